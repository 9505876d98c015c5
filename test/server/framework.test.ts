import { expect } from "chai";
import request from "supertest";
import { errorOf, indexedGateway, type IndexedGateway } from "./helpers";

type OpenApi = {
  openapi: string;
  paths: Record<string, Record<string, { operationId: string; parameters: { name: string; in: string }[]; responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, unknown> };
};

describe("gateway API framework", () => {
  let g: IndexedGateway;

  before(async () => {
    g = await indexedGateway();
  });

  after(async () => {
    await g?.close();
  });

  describe("GET /openapi.json", () => {
    it("documents every route with its parameters, answers and the shared error schema", async () => {
      const res = await request(g.app).get("/openapi.json").expect(200).expect("content-type", /application\/json/);
      const doc = res.body as OpenApi;
      expect(doc.openapi).to.equal("3.1.0");
      expect(doc.paths["/v1/health"]!.get!.operationId).to.equal("getHealth");
      const digest = doc.paths["/v1/digest"]!.get!;
      expect(digest.parameters.map((p) => p.name)).to.include.members(["block", "minBlock"]);
      expect(digest.responses).to.include.keys("200", "400", "409", "503");
      expect(doc.components.schemas).to.include.keys("ErrorBody", "BlockRef", "Digest", "Health");
      expect(JSON.stringify(doc)).to.not.include("#/$defs/");
      const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
      expect(refs.length).to.be.greaterThan(10);
      for (const ref of refs) expect(doc.components.schemas, ref).to.have.property(ref);
      const operations = Object.values(doc.paths).flatMap((methods) => Object.values(methods).map((op) => op.operationId));
      expect(new Set(operations).size).to.equal(operations.length);
      expect(operations).to.include.members(["searchPatents", "getPatent", "getPatentTimeline", "getTransferHistory", "matchPatents", "streamPatentEvents", "getStats"]);
    });
  });

  describe("GET /docs", () => {
    it("serves a self-contained HTML reference listing the operations", async () => {
      const res = await request(g.app).get("/docs").expect(200).expect("content-type", /text\/html/);
      expect(res.text).to.include("/v1/digest").and.include("ErrorBody");
      expect(res.text).to.not.match(/<script|https?:\/\/(?!json-schema\.org)/);
    });
  });

  describe("GET /metrics", () => {
    it("exports request latency by route and the indexed block", async () => {
      await request(g.app).get("/v1/digest").expect(200);
      const res = await request(g.app).get("/metrics").expect(200).expect("content-type", /text\/plain/);
      expect(res.text).to.match(/tianfu_http_request_duration_seconds_bucket\{[^}]*route="\/v1\/digest"/);
      const indexed = g.indexer.status().indexed!.number;
      expect(res.text).to.include(`tianfu_indexed_block ${indexed}`);
      expect(res.text).to.include("tianfu_index_lag_blocks");
      expect(res.text).to.match(/^process_resident_memory_bytes [1-9]\d*$/m);
      expect(res.text).to.match(/^nodejs_heap_size_used_bytes [1-9]\d*$/m);
      expect(res.text).to.match(/^nodejs_heap_size_total_bytes [1-9]\d*$/m);
    });
  });

  describe("security headers and limits", () => {
    it("sets helmet's headers", async () => {
      const res = await request(g.app).get("/v1/digest").expect(200);
      expect(res.headers).to.include.keys("content-security-policy", "x-content-type-options", "strict-transport-security");
      expect(res.headers).to.not.have.key("x-powered-by");
    });

    it("answers 429 RATE_LIMITED past the configured requests per minute", async () => {
      const app = g.appWith({ RATE_LIMIT_PER_MINUTE: "3" });
      for (let i = 0; i < 3; i++) await request(app).get("/v1/digest").expect(200);
      const res = await request(app).get("/v1/digest").expect(429);
      expect(errorOf(res).code).to.equal("RATE_LIMITED");
      expect(res.headers).to.include.keys("ratelimit", "ratelimit-policy");
    });
  });

  describe("validation", () => {
    it("answers 400 BAD_REQUEST naming an unknown query parameter", async () => {
      const res = await request(g.app).get("/v1/digest?blok=3").expect(400);
      expect(errorOf(res).code).to.equal("BAD_REQUEST");
      expect(errorOf(res).details).to.deep.equal([{ path: "query", message: 'Unrecognized key: "blok"' }]);
    });

    it("answers 400 BAD_REQUEST for a repeated parameter", async () => {
      const res = await request(g.app).get("/v1/digest?block=1&block=2").expect(400);
      expect((errorOf(res).details as { path: string }[])[0]!.path).to.equal("block");
    });
  });

  describe("minBlock", () => {
    it("answers at once when the index has reached minBlock", async () => {
      const at = g.indexer.status().indexed!.number;
      await request(g.app).get(`/v1/digest?minBlock=${at}`).expect(200);
    });

    it("answers 409 INDEX_BEHIND after the wait when the index stays behind", async () => {
      const at = g.indexer.status().indexed!.number;
      const started = Date.now();
      const res = await request(g.app).get(`/v1/digest?minBlock=${at + 5}`).expect(409);
      expect(Date.now() - started).to.be.at.least(250);
      expect(errorOf(res).code).to.equal("INDEX_BEHIND");
      expect(errorOf(res).details).to.deep.include({ minBlock: at + 5, waitedMs: 300 });
    });

    it("waits for the index to catch up within the wait", async () => {
      await g.node.rpc("evm_mine");
      const head = Number(await g.node.rpc<string>("eth_blockNumber"));
      const app = g.appWith({ MIN_BLOCK_WAIT_MS: "5000" });
      const pending = request(app).get(`/v1/digest?minBlock=${head}`);
      setTimeout(() => void g.sync(), 100);
      const res = await pending.expect(200);
      expect(res.body.block).to.equal(head);
    });
  });
});
