import { expect } from "chai";
import request from "supertest";
import { createApp } from "../../server/api/app";
import { loadConfig } from "../../server/config";
import { createContext, type AppContext } from "../../server/context";
import { createQueries } from "../../server/indexer";
import { startAnvil, type AnvilNode } from "../indexer/helpers/anvil";
import { deployOn, indexerFor, providerFor, runScenario, silentLogger, tempStore, type DeployedLedger, type TempStore } from "../indexer/helpers/ledger";

describe("gateway with its index (Anvil)", () => {
  let node: AnvilNode;
  let ledger: DeployedLedger;
  let store: TempStore;
  let ctx: AppContext;

  before(async () => {
    node = await startAnvil();
    ledger = await deployOn(node.url);
    await runScenario(ledger);
    store = await tempStore();
    const indexer = indexerFor(node.url, store.store, ledger.deployments);
    await indexer.syncToHead();
    ctx = createContext(loadConfig({ CHAIN_RPC_URL: node.url }), {
      logger: silentLogger,
      provider: providerFor(node.url),
      deployments: ledger.deployments,
    });
    ctx.index = { indexer, queries: createQueries(store.store), store: store.store };
  });

  after(async () => {
    ctx?.provider.destroy();
    await store?.close();
    await node?.stop();
  });

  describe("GET /v1/health", () => {
    it("reports the indexed block, its hash and the lag behind the head", async () => {
      const head = await ctx.provider.getBlock("latest");
      const res = await request(createApp(ctx)).get("/v1/health").expect(200);
      expect(res.body.indexed).to.deep.equal({ number: head!.number, hash: head!.hash });
      expect(res.body.lag).to.equal(0);
      expect(res.body.indexer).to.include({ reachable: true, halt: null, reorgs: 0 });
    });
  });

  describe("GET /v1/digest", () => {
    it("answers the digest at the indexed block without a block parameter", async () => {
      const at = ctx.index!.indexer.status().indexed!.number;
      const res = await request(createApp(ctx)).get("/v1/digest").expect(200);
      expect(res.body.block).to.equal(at);
      expect(res.body.digest).to.match(/^0x[0-9a-f]{64}$/);
      expect(res.body).to.deep.equal(await ctx.index!.queries.getDigest(at));
    });

    it("answers the digest at an earlier block, different from the latest once events changed the index", async () => {
      const at = ctx.index!.indexer.status().indexed!.number;
      const early = await request(createApp(ctx)).get(`/v1/digest?block=${ledger.deployments.deploymentBlock}`).expect(200);
      const latest = await request(createApp(ctx)).get(`/v1/digest?block=${at}`).expect(200);
      expect(early.body.digest).to.not.equal(latest.body.digest);
    });

    it("answers 409 NOT_INDEXED for a block beyond the index", async () => {
      const res = await request(createApp(ctx)).get("/v1/digest?block=999999999").expect(409);
      expect(res.body.error.code).to.equal("NOT_INDEXED");
    });

    it("answers 400 BAD_REQUEST for a block that is not a number", async () => {
      const res = await request(createApp(ctx)).get("/v1/digest?block=latest").expect(400);
      expect(res.body.error.code).to.equal("BAD_REQUEST");
      expect(res.body.error.details[0].path).to.equal("block");
    });
  });

  describe("without an index", () => {
    it("answers 503 INDEX_UNAVAILABLE for the digest", async () => {
      const bare: AppContext = { ...ctx, index: undefined };
      const res = await request(createApp(bare)).get("/v1/digest").expect(503);
      expect(res.body.error.code).to.equal("INDEX_UNAVAILABLE");
    });
  });
});
