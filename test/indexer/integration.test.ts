import { expect } from "chai";
import type { Signer } from "ethers";
import { createQueries } from "../../server/indexer/queries";
import { LegalStatus } from "../../server/chain/roles";
import { formatCnipaNumber } from "../../server/chain/cnipa";
import type { Store } from "../../server/store/db";
import { startAnvil, type AnvilNode } from "./helpers/anvil";
import { deployOn, dumpStore, indexerFor, record, runScenario, SCENARIO, tempStore, type DeployedLedger, type TempStore } from "./helpers/ledger";

describe("Indexer against Anvil", () => {
  let node: AnvilNode;
  let ledger: DeployedLedger;
  let a: TempStore;
  let scu: string, uestc: string, rongxin: string, yuzhi: string;

  before(async () => {
    node = await startAnvil();
    ledger = await deployOn(node.url);
    await runScenario(ledger);
    const address = async (s: Signer) => (await s.getAddress()).toLowerCase();
    scu = await address(ledger.parties.scu);
    uestc = await address(ledger.parties.uestc);
    rongxin = await address(ledger.parties.rongxin);
    yuzhi = await address(ledger.parties.yuzhi);
    a = await tempStore();
    // A small window so that the first sync both backfills ranges and follows blocks one by one.
    await indexerFor(node.url, a.store, ledger.deployments, { reorgWindow: 4, initialRange: 3 }).syncToHead();
  });

  after(async () => {
    await a?.close();
    await node?.stop();
  });

  describe("read model", () => {
    it("holds a patent moved by a registered transfer with its new owner and no pending transfer", async () => {
      const q = createQueries(a.store);
      const p = await q.getPatent(SCENARIO.moved);
      expect(p).to.include({ owner: rongxin, holder: scu, kind: "Invention", status: "Valid", pendingTransfer: null, locks: 0 });
      expect(p!.number).to.equal(formatCnipaNumber(SCENARIO.moved));
      expect(p!.inventory).to.deep.equal({ readiness: 7, willing: true, modes: 1, selfScore: 90, unitScore: 85, scenarioTags: 9 });
      expect(p!.ipc).to.deep.equal(["H01M 4/525", "H01M 10/0525"]);
      const onChain = await ledger.registry.expiryDay(SCENARIO.moved);
      expect(p!.expiryDay).to.equal(Number(onChain));
      const transfers = await q.transfersOfPatent(SCENARIO.moved);
      expect(transfers.map((t) => [t.id, t.status, t.cnipaReference])).to.deep.equal([["1", "Registered", "CNIPA-2026-0001"]]);
      const evaluations = await q.evaluationsOfPatent(SCENARIO.moved);
      expect(evaluations.map((e) => [e.interest, e.improvementNeed, e.cooperationWillingness])).to.deep.equal([[80, 20, 90]]);
    });

    it("computes the design expiry with the 15-year rule and indexes the status change", async () => {
      const q = createQueries(a.store);
      const p = await q.getPatent(SCENARIO.design);
      expect(p).to.include({ kind: "Design", status: "UnderInvalidation", statusCode: LegalStatus.UnderInvalidation });
      expect(p!.expiryDay).to.equal(Number(await ledger.registry.expiryDay(SCENARIO.design)));
      const under = await q.listPatents({ status: LegalStatus.UnderInvalidation });
      expect(under.items.map((x) => x.id)).to.deep.equal([SCENARIO.design.toString()]);
      const valid = await q.listPatents({ status: LegalStatus.Valid });
      expect(valid.items.map((x) => x.id)).to.have.members([SCENARIO.moved, SCENARIO.refused, SCENARIO.cancelled].map(String));
    });

    it("keeps refused and cancelled transfers with their final state and the owner unchanged", async () => {
      const q = createQueries(a.store);
      expect(await q.getTransfer(2)).to.include({ status: "Refused", refusalReason: "材料不全", from: scu, to: yuzhi });
      expect(await q.getTransfer(3)).to.include({ status: "Cancelled", cancelledBy: uestc });
      expect((await q.getPatent(SCENARIO.refused))!.owner).to.equal(scu);
      expect((await q.getPatent(SCENARIO.cancelled))!.pendingTransfer).to.equal(null);
    });

    it("indexes patents by owner after a move, with paging", async () => {
      const q = createQueries(a.store);
      expect((await q.listPatents({ owner: rongxin })).items.map((x) => x.id)).to.deep.equal([SCENARIO.moved.toString()]);
      const first = await q.listPatents({ owner: uestc }, { limit: 1 });
      expect(first.items).to.have.length(1);
      expect(first.next).to.be.a("string");
      const second = await q.listPatents({ owner: uestc }, { limit: 1, after: first.next });
      expect(second.next).to.equal(null);
      expect([...first.items, ...second.items].map((x) => x.id)).to.deep.equal([SCENARIO.cancelled, SCENARIO.design].map(String));
      expect((await q.listPatents({ owner: scu })).items.map((x) => x.id)).to.deep.equal([SCENARIO.refused.toString()]);
    });

    it("answers IPC prefix queries at every level of the hierarchy", async () => {
      const q = createQueries(a.store);
      const ids = async (ipc: string) => (await q.listPatents({ ipc })).items.map((x) => x.id).sort();
      expect(await ids("H01M")).to.deep.equal([SCENARIO.moved, SCENARIO.cancelled].map(String).sort());
      expect(await ids("H01M 10/05")).to.deep.equal([SCENARIO.moved, SCENARIO.cancelled].map(String).sort());
      expect(await ids("H01M 10/0525")).to.deep.equal([SCENARIO.moved.toString()]);
      expect(await ids("H01M 4")).to.deep.equal([SCENARIO.moved.toString()]);
      expect(await ids("G06F")).to.deep.equal([SCENARIO.refused.toString()]);
      expect(await ids("A01B")).to.deep.equal([]);
    });

    it("keeps every event about a patent in chain order on its timeline", async () => {
      const q = createQueries(a.store);
      const { items } = await q.timeline(SCENARIO.moved, { limit: 100 });
      expect(items.map((e) => e.event)).to.deep.equal([
        "Transfer",
        "PatentRegistered",
        "InventoryUpdated",
        "MarketEvaluated",
        "PatentLocked",
        "TransferProposed",
        "TransferAgreed",
        "PatentUnlocked",
        "Transfer",
        "TransferRegistered",
      ]);
      const order = items.map((e) => e.block * 1e6 + e.logIndex);
      expect(order).to.deep.equal([...order].sort((x, y) => x - y));
      for (const e of items) expect(e.txHash).to.match(/^0x[0-9a-f]{64}$/);
    });
  });

  describe("determinism", () => {
    it("builds a byte-identical index from scratch with other range sizes and window", async () => {
      const b = await tempStore();
      try {
        await indexerFor(node.url, b.store, ledger.deployments, { reorgWindow: 4, initialRange: 1000 }).syncToHead();
        expect(await dumpStore(b.store)).to.deep.equal(await dumpStore(a.store));
      } finally {
        await b.close();
      }
    });

    it("builds the same index when a backfill range is applied in slices of a few logs", async () => {
      const b = await tempStore();
      try {
        const batches: number[] = [];
        const counting: Store = { ...b.store, batchEncoded: (writes) => (batches.push(writes.length), b.store.batchEncoded(writes)) };
        await indexerFor(node.url, counting, ledger.deployments, { reorgWindow: 4, initialRange: 1000, maxLogsPerBatch: 3 }).syncToHead();
        expect(await dumpStore(b.store)).to.deep.equal(await dumpStore(a.store));
        // One range backfills all but the window; sliced, it took several batches (one per tip block follows).
        expect(batches.length).to.be.above(10);
      } finally {
        await b.close();
      }
    });

    it("rolls back to the last batch written when a backfill batch fails while the next slice is applied, and resumes to the same index", async () => {
      const b = await tempStore();
      try {
        let calls = 0;
        const failing: Store = {
          ...b.store,
          // The fourth batch fails late, after the next slice was applied on top of it.
          batchEncoded: async (writes) => {
            if (++calls !== 4) return b.store.batchEncoded(writes);
            await new Promise((r) => setTimeout(r, 50));
            throw new Error("disk full");
          },
        };
        const first = indexerFor(node.url, failing, ledger.deployments, { reorgWindow: 4, initialRange: 1000, maxLogsPerBatch: 3 });
        let failed: Error | undefined;
        await first.syncToHead().catch((err: Error) => (failed = err));
        expect(failed?.message).to.equal("disk full");
        expect(first.status().lastError).to.deep.equal({ name: "Error", message: "disk full" });
        // The same indexer goes on from the last batch written, as does a fresh one.
        await first.syncToHead();
        expect(await dumpStore(b.store)).to.deep.equal(await dumpStore(a.store));
      } finally {
        await b.close();
      }
    });

    it("resumes from its cursor and reaches the same digest as a one-shot index", async () => {
      const mid = await tempStore();
      try {
        const { registry, parties } = ledger;
        await (await registry.connect(parties.registrar).register(record(scu, 9))).wait();
        const digestA = await indexerFor(node.url, a.store, ledger.deployments, { reorgWindow: 4 }).syncToHead();
        await indexerFor(node.url, mid.store, ledger.deployments, { reorgWindow: 4, initialRange: 2 }).syncToHead();
        const qa = createQueries(a.store);
        const qm = createQueries(mid.store);
        expect(await qm.getDigest()).to.deep.equal(await qa.getDigest());
        expect((await qa.getDigest(digestA.number)).digest).to.match(/^0x[0-9a-f]{64}$/);
        expect(await dumpStore(mid.store)).to.deep.equal(await dumpStore(a.store));
      } finally {
        await mid.close();
      }
    });
  });

  describe("chain identity", () => {
    it("refuses to index a store built on another chain", async () => {
      const other = await startAnvil(["--chain-id", "31338"]);
      try {
        const indexer = indexerFor(other.url, a.store, { ...ledger.deployments, chainId: 31338 });
        await indexer.syncToHead().then(
          () => expect.fail("expected a halt"),
          (err: Error) => expect(err.name).to.equal("IndexerHaltError"),
        );
        expect(indexer.status()).to.deep.include({ state: "halted" });
        expect(indexer.status().halt!.code).to.equal("CHAIN_MISMATCH");
      } finally {
        await other.stop();
      }
    });
  });
});
