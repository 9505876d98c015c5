import { expect } from "chai";
import request from "supertest";
import { responseCacheOf } from "../../server/api/endpoint";
import { ByteLru, createResponseCache, type CachedAnswer } from "../../server/api/response-cache";
import { errorOf, indexedGateway, type IndexedGateway } from "./helpers";

const answer = (text: string): CachedAnswer => ({ body: Buffer.from(text), etag: `"${text}"`, bytes: text.length });

describe("response cache (server/api/response-cache.ts)", () => {
  describe("ByteLru", () => {
    it("evicts the least recently used entries to stay within its bytes", () => {
      const lru = new ByteLru<CachedAnswer>(30);
      lru.set("a", answer("1".repeat(9))); // 10 bytes
      lru.set("b", answer("2".repeat(9)));
      lru.set("c", answer("3".repeat(9)));
      expect(lru.bytes).to.equal(30);
      expect(lru.get("a")?.body.toString()).to.equal("1".repeat(9)); // a is now the most recent
      lru.set("d", answer("4".repeat(9)));
      expect(lru.get("b")).to.equal(undefined);
      expect(lru.get("a")).to.not.equal(undefined);
      expect(lru.get("c")).to.not.equal(undefined);
      expect(lru.bytes).to.be.at.most(30);
    });

    it("does not keep a value larger than the whole bound, and replaces a key's value", () => {
      const lru = new ByteLru<CachedAnswer>(10);
      lru.set("big", answer("x".repeat(20)));
      expect(lru.size).to.equal(0);
      lru.set("k", answer("abc"));
      lru.set("k", answer("abcdef"));
      expect(lru.size).to.equal(1);
      expect(lru.bytes).to.equal(7);
    });
  });

  describe("createResponseCache", () => {
    it("answers only at the store version it was filled at and empties itself when the version moves", () => {
      const cache = createResponseCache(1024);
      cache.set(2, "/v1/x", answer("old"));
      expect(cache.get(2, "/v1/x")?.body.toString()).to.equal("old");
      expect(cache.get(4, "/v1/x")).to.equal(undefined);
      // A read that finished after the store moved on is not kept.
      cache.set(2, "/v1/x", answer("stale"));
      expect(cache.get(4, "/v1/x")).to.equal(undefined);
      expect(cache.stats.entries).to.equal(0);
    });
  });

  describe("GET indexed answers through the cache", () => {
    let g: IndexedGateway;
    let dossier = "";

    before(async () => {
      g = await indexedGateway();
      const page = await request(g.app).get("/v1/patents?limit=1").expect(200);
      dossier = `/v1/patents/${(page.body as { items: { number: string }[] }).items[0]!.number}`;
    });

    after(async () => {
      await g?.close();
    });

    it("answers a repeated read from the cache with the same bytes and ETag as an uncached gateway", async () => {
      const cache = responseCacheOf(g.ctx);
      const first = await request(g.app).get(dossier).expect(200).expect("content-type", "application/json; charset=utf-8");
      const hitsBefore = cache.stats.hits;
      const second = await request(g.app).get(dossier).expect(200).expect("content-type", "application/json; charset=utf-8");
      expect(cache.stats.hits).to.equal(hitsBefore + 1);
      expect(second.text).to.equal(first.text);
      expect(second.headers.etag).to.equal(first.headers.etag).and.match(/^W\/"/);
      const fresh = await request(g.appWith({})).get(dossier).expect(200);
      expect(fresh.text).to.equal(first.text);
      expect(fresh.headers.etag).to.equal(first.headers.etag);
      expect(fresh.headers["content-length"]).to.equal(first.headers["content-length"]);
    });

    it("answers 304 without a body to If-None-Match with the current ETag, cached or not", async () => {
      const { headers } = await request(g.app).get(dossier).expect(200);
      const res = await request(g.app).get(dossier).set("If-None-Match", headers.etag!).expect(304);
      expect(res.text).to.equal("");
      await request(g.appWith({})).get(dossier).set("If-None-Match", headers.etag!).expect(304);
      await request(g.app).get(dossier).set("If-None-Match", 'W/"other"').expect(200);
    });

    it("answers the new block once the index moves, and the old ETag no longer matches", async () => {
      const before = await request(g.app).get(dossier).expect(200);
      await g.node.rpc("evm_mine");
      await g.sync();
      const after = await request(g.app).get(dossier).set("If-None-Match", before.headers.etag!).expect(200);
      expect(after.body.block.number).to.equal(before.body.block.number + 1);
      expect(after.body.block.hash).to.not.equal(before.body.block.hash);
      const fresh = await request(g.appWith({})).get(dossier).expect(200);
      expect(after.text).to.equal(fresh.text);
    });

    it("reads again on a new calendar day (China Standard Time), since in-force and dormant depend on it", async () => {
      const cache = responseCacheOf(g.ctx);
      await request(g.app).get(dossier).expect(200);
      const hits = cache.stats.hits;
      const realNow = Date.now;
      Date.now = () => realNow() + 86_400_000;
      try {
        await request(g.app).get(dossier).expect(200);
        expect(cache.stats.hits).to.equal(hits);
        await request(g.app).get(dossier).expect(200);
        expect(cache.stats.hits).to.equal(hits + 1);
      } finally {
        Date.now = realNow;
      }
    });

    it("keeps minBlock and validation answers as they were (never cached)", async () => {
      const at = g.indexer.status().indexed!.number;
      await request(g.app).get(`${dossier}?minBlock=${at}`).expect(200);
      await request(g.app).get(`${dossier}?minBlock=${at}`).expect(200);
      const behind = await request(g.app).get(`${dossier}?minBlock=${at + 5}`).expect(409);
      expect(errorOf(behind).code).to.equal("INDEX_BEHIND");
      await request(g.app).get(`${dossier}?bogus=1`).expect(400);
      await request(g.app).get(`${dossier}?bogus=1`).expect(400);
      await request(g.app).get("/v1/patents/ZL209999999999.1").expect((res) => expect(res.status).to.be.oneOf([400, 404]));
    });
  });
});
