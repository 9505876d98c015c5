import { expect } from "chai";
import { createQueries, QueryError } from "../../server/indexer/queries";
import type { PledgeStatus } from "../../server/indexer/handlers/enums";
import { keys } from "../../server/store/keys";
import { tempStore, type TempStore } from "./helpers/ledger";

const BANK = "0x" + "44".repeat(20);
const P1 = "201910000001";

describe("Indexer queries", () => {
  let t: TempStore;

  before(async () => {
    t = await tempStore();
    const at = (block: number) => ({ block, logIndex: 0, txHash: "0x" + "cd".repeat(32) });
    await t.store.batch([
      // Five valuations of one patent (entities stored under the by-patent prefix) and one of another.
      ...[0, 1, 2, 3, 4].map((i) => ({ key: keys.valuation(P1, i), value: { patentId: P1, index: String(i), amount: String(100 * (i + 1)), recorded: at(i) } })),
      { key: keys.valuation("201910000002", 0), value: { patentId: "201910000002", index: "0", amount: "7", recorded: at(9) } },
      // Three pledges of one pledgee, one of them with status Released.
      ...[1, 2, 10].map((id) => ({ key: keys.pledge(id), value: { id: String(id), pledgee: BANK, status: id === 2 ? "Released" : "Registered" } })),
      ...[1, 2, 10].map((id) => ({ key: keys.pledgesByPledgee(BANK, id), value: "" })),
      ...[1, 10].map((id) => ({ key: keys.pledgesByStatus(3, id), value: "" })),
      { key: keys.pledgesByStatus(6, 2), value: "" },
    ]);
  });

  after(async () => {
    await t?.close();
  });

  it("pages entities stored under a prefix with a cursor, in key order, without the next patent's", async () => {
    const q = createQueries(t.store);
    const first = await q.valuationsOfPatent(P1, { limit: 2 });
    const second = await q.valuationsOfPatent(P1, { limit: 2, after: first.next });
    const third = await q.valuationsOfPatent(P1, { limit: 2, after: second.next });
    expect([...first.items, ...second.items, ...third.items].map((v) => v.index)).to.deep.equal(["0", "1", "2", "3", "4"]);
    expect(third.next).to.equal(null);
    expect((await q.latestValuation(P1))!.amount).to.equal("500");
    expect(await q.latestValuation("201910000003")).to.equal(undefined);
  });

  it("pages an index numerically (id 10 after id 2) and refuses a cursor of another query", async () => {
    const q = createQueries(t.store);
    const first = await q.pledgesByPledgee(BANK, { limit: 2 });
    expect(first.items.map((p) => p.id)).to.deep.equal(["1", "2"]);
    const rest = await q.pledgesByPledgee(BANK, { limit: 2, after: first.next });
    expect(rest).to.deep.equal({ items: [{ id: "10", pledgee: BANK, status: "Registered" }], next: null });
    await q.pledgesByStatus("Registered", { after: first.next }).then(
      () => expect.fail("expected a QueryError"),
      (err: Error) => expect(err).to.be.instanceOf(QueryError),
    );
  });

  it("answers pledges by status name or code", async () => {
    const q = createQueries(t.store);
    expect((await q.pledgesByStatus("Registered")).items.map((p) => p.id)).to.deep.equal(["1", "10"]);
    expect((await q.pledgesByStatus(6)).items.map((p) => p.id)).to.deep.equal(["2"]);
    await q.pledgesByStatus(9 as PledgeStatus).then(
      () => expect.fail("expected a QueryError"),
      (err: Error) => expect(err).to.be.instanceOf(QueryError).with.property("message").match(/unknown pledge status/),
    );
  });

  describe("indexedBlock", () => {
    it("answers the cursor as written, and a new cursor as soon as a batch writes it", async () => {
      const own = await tempStore();
      try {
        const q = createQueries(own.store);
        expect(await q.indexedBlock()).to.equal(undefined);
        const v0 = own.store.version();
        await own.store.batch([{ key: keys.cursor(), value: { number: 7, hash: "0x07" } }]);
        expect(own.store.version()).to.be.greaterThan(v0);
        expect(await q.indexedBlock()).to.deep.equal({ number: 7, hash: "0x07" });
        // Served from the cache while nothing is written: a caller's change does not leak into it.
        const seen = (await q.indexedBlock())!;
        seen.number = 99;
        expect(await q.indexedBlock()).to.deep.equal({ number: 7, hash: "0x07" });
        await own.store.batchEncoded([{ key: keys.cursor(), value: JSON.stringify({ hash: "0x08", number: 8 }) }]);
        expect(await q.indexedBlock()).to.deep.equal({ number: 8, hash: "0x08" });
        await own.store.wipe();
        expect(await q.indexedBlock()).to.equal(undefined);
      } finally {
        await own.close();
      }
    });

    it("caches nothing read while a write was under way", async () => {
      const own = await tempStore();
      try {
        const q = createQueries(own.store);
        await own.store.batch([{ key: keys.cursor(), value: { number: 1, hash: "0x01" } }]);
        // The read and the write race: whichever the read saw, the next read must see block 2.
        const [read] = await Promise.all([q.indexedBlock(), own.store.batch([{ key: keys.cursor(), value: { number: 2, hash: "0x02" } }])]);
        expect([1, 2]).to.include(read!.number);
        expect(await q.indexedBlock()).to.deep.equal({ number: 2, hash: "0x02" });
      } finally {
        await own.close();
      }
    });
  });
});
