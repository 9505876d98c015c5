import request from "supertest";
import type { Express } from "express";
import { createApp } from "../../server/api/app";
import { loadConfig } from "../../server/config";
import { createContext, type AppContext } from "../../server/context";
import { createQueries, type Indexer } from "../../server/indexer";
import { startAnvil, type AnvilNode } from "../indexer/helpers/anvil";
import { deployOn, indexerFor, providerFor, runScenario, silentLogger, tempStore, type DeployedLedger, type TempStore } from "../indexer/helpers/ledger";

/** A gateway over a real index: Anvil, the ledger deployed, a story run and indexed to the head. */
export interface IndexedGateway {
  node: AnvilNode;
  ledger: DeployedLedger;
  store: TempStore;
  indexer: Indexer;
  ctx: AppContext;
  app: Express;
  /** An app over the same index with other settings. */
  appWith(env: NodeJS.ProcessEnv): Express;
  /** Indexes what the chain has now. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** Test settings: no rate limit, a short minBlock wait. */
export const TEST_ENV: NodeJS.ProcessEnv = { RATE_LIMIT_PER_MINUTE: "0", MIN_BLOCK_WAIT_MS: "300" };

export async function indexedGateway(story: (ledger: DeployedLedger) => Promise<void> = runScenario): Promise<IndexedGateway> {
  const node = await startAnvil();
  const ledger = await deployOn(node.url);
  await story(ledger);
  const store = await tempStore();
  const indexer = indexerFor(node.url, store.store, ledger.deployments);
  await indexer.syncToHead();
  const contextFor = (env: NodeJS.ProcessEnv): AppContext => {
    const ctx = createContext(loadConfig({ CHAIN_RPC_URL: node.url, ...TEST_ENV, ...env }), {
      logger: silentLogger,
      provider: providerFor(node.url),
      deployments: ledger.deployments,
    });
    ctx.index = { indexer, queries: createQueries(store.store), store: store.store };
    return ctx;
  };
  const contexts: AppContext[] = [];
  const ctx = contextFor({});
  contexts.push(ctx);
  return {
    node,
    ledger,
    store,
    indexer,
    ctx,
    app: createApp(ctx),
    appWith(env) {
      const c = contextFor(env);
      contexts.push(c);
      return createApp(c);
    },
    async sync() {
      await indexer.syncToHead();
    },
    async close() {
      for (const c of contexts) c.provider.destroy();
      ledger.provider.destroy();
      await store.close();
      await node.stop();
    },
  };
}

/** The error body of an answer, typed. */
export function errorOf(res: request.Response): { code: string; message: string; details: unknown } {
  return (res.body as { error: { code: string; message: string; details: unknown } }).error;
}
