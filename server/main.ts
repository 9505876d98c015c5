import type { Server } from "node:http";
import { ConfigError, dataPaths, loadConfig, type Config } from "./config";
import { createIndexer, createQueries } from "./indexer";
import { openStore, type Store } from "./store/db";
import { createContext, type AppContext } from "./context";
import { createApp } from "./api/app";
import { DeploymentsError } from "./chain/deployments";
import { createWebhookDispatcher } from "./webhooks";

/** How long shutdown waits for open requests before closing their connections. */
const SHUTDOWN_GRACE_MS = 5000;

/** Warns (does not stop) when the node answers with another chain id than the deployments file names. */
async function checkChain(ctx: AppContext): Promise<void> {
  try {
    const block = await ctx.provider.getBlock("latest");
    const code = await ctx.provider.getCode(ctx.deployments.contracts.PatentRegistry ?? "");
    if (code === "0x") {
      ctx.logger.warn(
        { registry: ctx.deployments.contracts.PatentRegistry, head: block?.number },
        "no PatentRegistry code at the deployments file's address: wrong chain or deployments file?",
      );
    }
  } catch (err) {
    ctx.logger.warn({ reason: (err as Error).message.split("\n")[0] }, "chain node not reachable yet");
  }
}

function listen(ctx: AppContext): Promise<Server> {
  const app = createApp(ctx);
  return new Promise((resolve, reject) => {
    const server = app.listen(ctx.config.port, ctx.config.host, (err?: Error) => (err ? reject(err) : resolve(server)));
  });
}

async function main(): Promise<void> {
  let config: Config;
  let ctx: AppContext;
  try {
    config = loadConfig();
    ctx = createContext(config);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof DeploymentsError) {
      console.error(`gateway: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  // Only warns: runs alongside start-up so that serving does not wait for the node.
  void checkChain(ctx);
  let db: Store;
  try {
    db = await openStore(dataPaths(config).gatewayDb);
  } catch (err) {
    console.error(`gateway: cannot open the index at ${dataPaths(config).gatewayDb}: ${(err as Error).message}`);
    process.exit(1);
  }
  const indexer = createIndexer({
    rpcUrl: config.chainRpcUrl,
    db,
    deployments: ctx.deployments,
    logger: ctx.logger,
    confirmations: config.confirmations,
    reorgWindow: config.reorgWindow,
  });
  ctx.index = { indexer, queries: createQueries(db), store: db };
  let server: Server;
  try {
    server = await listen(ctx);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EADDRINUSE") {
      console.error(`gateway: ${config.host}:${config.port} is already in use: stop the other server or set PORT`);
      process.exit(1);
    }
    throw err;
  }
  // Serve first, then backfill: /v1/health answers from the first moment and reports the lag.
  indexer.start();
  // Webhook deliveries run beside the indexer (never in its path) from the state kept in the index's LevelDB.
  const webhooks = createWebhookDispatcher(ctx);
  webhooks.start();
  ctx.logger.info(
    { url: `http://${config.host}:${config.port}`, chain: config.chainRpcUrl, chainId: ctx.deployments.chainId },
    "gateway listening",
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    ctx.logger.info({ signal }, "gateway stopping");
    const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
    server.close(() => {
      clearTimeout(force);
      ctx.provider.destroy();
      Promise.all([indexer.stop(), webhooks.stop()])
        .then(() => db.close())
        .catch((err: unknown) => ctx.logger.error({ err }, "closing the index failed"))
        .finally(() => {
          ctx.logger.info("gateway stopped");
          process.exit(0);
        });
    });
    server.closeIdleConnections();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((err: unknown) => {
  console.error("gateway: fatal:", err);
  process.exit(1);
});
