import { expect } from "chai";
import request from "supertest";
import { errorOf, indexedGateway, type IndexedGateway } from "./helpers";
import { chinaDayOf, isoOfDay } from "../../server/chain/cnipa";
import type { Json } from "../../server/store/codec";
import { keys } from "../../server/store/keys";
import { apiStory, EXTRA, financeStory } from "./story";

describe("stats API", () => {
  let g: IndexedGateway;

  before(async () => {
    g = await indexedGateway(apiStory);
  });

  after(async () => {
    await g?.close();
  });

  describe("GET /v1/stats", () => {
    it("answers the implementation rate overall, by owner, by IPC section and by grant year, at the indexed block", async () => {
      const res = await request(g.app).get("/v1/stats").expect(200);
      const s = res.body;
      const indexed = g.indexer.status().indexed!;
      expect(s.block).to.deep.equal({ number: indexed.number, hash: indexed.hash });
      const registered = EXTRA + 4;
      expect(s.patents).to.deep.equal({
        registered,
        byStatus: { Valid: registered - 1, UnderInvalidation: 1 },
        byKind: { Invention: registered - 1 - EXTRA / 10, UtilityModel: EXTRA / 10, Design: 1 },
      });
      expect(s.implementation).to.deep.equal({
        registered,
        implemented: 1,
        rate: 1 / registered,
        byRecord: { transfer: 1, licence: 0, pledge: 0, equity: 0 },
      });
      const uestc = (await g.ledger.parties.uestc.getAddress()).toLowerCase();
      const rongxin = (await g.ledger.parties.rongxin.getAddress()).toLowerCase();
      expect(s.owners).to.equal(3);
      expect(s.byOwner[0]).to.deep.equal({ owner: uestc, registered: EXTRA + 2, implemented: 0, rate: 0 });
      expect(s.byOwner).to.deep.include({ owner: rongxin, registered: 1, implemented: 1, rate: 1 });
      expect(s.byIpcSection.map((r: { section: string }) => r.section)).to.deep.equal(["A", "B", "C", "D", "G", "H"]);
      expect(s.byIpcSection.find((r: { section: string }) => r.section === "H")).to.deep.equal({
        section: "H",
        registered: 2 + EXTRA / 6,
        implemented: 1,
        rate: 1 / (2 + EXTRA / 6),
      });
      expect(s.byGrantYear.map((r: { year: number; registered: number }) => [r.year, r.registered])).to.deep.equal([
        [2021, 3],
        [2024, 1],
        [2025, EXTRA],
      ]);
      expect(s.dormant.count).to.equal(2);
      expect(s.notCovered.join(" ")).to.include("region");
    });

    it("lists the top owners asked for", async () => {
      const res = await request(g.app).get("/v1/stats?top=1").expect(200);
      expect(res.body.byOwner).to.have.length(1);
      expect(res.body.owners).to.equal(3);
    });

    it("answers a new snapshot once the index moves", async () => {
      const before = (await request(g.app).get("/v1/stats").expect(200)).body;
      const { record } = await import("../indexer/helpers/ledger");
      const scu = await g.ledger.parties.scu.getAddress();
      await (await g.ledger.registry.connect(g.ledger.parties.registrar).register(record(scu, 900))).wait();
      await g.sync();
      const at = g.indexer.status().indexed!.number;
      const after = (await request(g.app).get(`/v1/stats?minBlock=${at}`).expect(200)).body;
      expect(after.block.number).to.equal(at);
      expect(after.patents.registered).to.equal(before.patents.registered + 1);
    });

    it("answers 400 for a top outside 1-1000 and 409 INDEX_BEHIND for a minBlock beyond the index", async () => {
      expect(errorOf(await request(g.app).get("/v1/stats?top=0").expect(400)).code).to.equal("BAD_REQUEST");
      expect(errorOf(await request(g.app).get("/v1/stats?top=1001").expect(400)).code).to.equal("BAD_REQUEST");
      const at = g.indexer.status().indexed!.number;
      expect(errorOf(await request(g.app).get(`/v1/stats?minBlock=${at + 100}`).expect(409)).code).to.equal("INDEX_BEHIND");
    });
  });

  describe("GET /v1/stats volumes", () => {
    let f: IndexedGateway;

    before(async () => {
      f = await indexedGateway(financeStory);
    });

    after(async () => {
      await f?.close();
    });

    it("answers licensing and pledge financing volume by month, dated by block timestamps and registration days", async () => {
      const s = (await request(f.app).get("/v1/stats").expect(200)).body;
      const latest = await f.ledger.provider.getBlock("latest");
      const month = isoOfDay(chinaDayOf(latest!.timestamp)).slice(0, 7);
      const token = (await f.ledger.token.getAddress()).toLowerCase();
      expect(s.volumes.undated).to.equal(0);
      expect(s.volumes.byMonth).to.deep.equal([
        {
          month,
          licensing: {
            licencesGranted: 5,
            byKind: { Exclusive: 2, Sublicence: 1, NonExclusive: 2 },
            openLicencesTaken: 1,
            royaltyPayments: 2,
            royaltiesPaid: { [token]: "25000" },
          },
          pledgeFinancing: { registered: 2, securedRegistered: { CNY: "600000000" }, proposed: 3, securedProposed: { CNY: "680000000" } },
        },
      ]);
      expect(s.volumes.totals).to.deep.equal({
        licencesGranted: 5,
        royaltyPayments: 2,
        royaltiesPaid: { [token]: "25000" },
        pledgesRegistered: 2,
        securedRegistered: { CNY: "600000000" },
      });
      expect(s.implementation.byRecord).to.include({ licence: 4, equity: 2 });
    });

    it("keeps the block timestamp on the index's block records (and asks the node for records without one)", async () => {
      const store = f.ctx.index!.store;
      const cursor = f.indexer.status().indexed!.number;
      let withStamp = 0;
      for await (const [, r] of store.iterate<{ timestamp?: number }>({ gte: keys.blockPrefix(), lt: keys.block(cursor + 1) })) if (typeof r.timestamp === "number") withStamp++;
      expect(withStamp).to.be.greaterThan(10);
      // A record written by an earlier gateway, without the timestamp: the stats ask the node for it.
      const before = (await request(f.app).get("/v1/stats").expect(200)).body.volumes;
      const stripped: { key: string; value: Json }[] = [];
      for await (const [key, r] of store.iterate<{ [k: string]: Json }>({ gte: keys.blockPrefix(), lt: keys.block(cursor + 1) })) {
        const { timestamp: _dropped, ...rest } = r;
        stripped.push({ key, value: rest });
      }
      await store.batch(stripped);
      const after = (await request(f.appWith({})).get("/v1/stats").expect(200)).body.volumes;
      expect(after).to.deep.equal(before);
    });
  });
});
