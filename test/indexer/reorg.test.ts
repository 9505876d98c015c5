import { expect } from "chai";
import type { Signer } from "ethers";
import { IndexerHaltError } from "../../server/indexer/follower";
import { createQueries } from "../../server/indexer/queries";
import { keys } from "../../server/store/keys";
import { startAnvil, type AnvilNode } from "./helpers/anvil";
import { deployOn, dumpStore, indexerFor, record, runScenario, tempStore, type DeployedLedger, type TempStore } from "./helpers/ledger";

/**
 * Reorgs made with evm_snapshot / evm_revert and different transactions (re-mining the same ones
 * would give the same hashes). Each test gets its own Anvil node.
 */
describe("Indexer reorgs (Anvil)", () => {
  let node: AnvilNode;
  let ledger: DeployedLedger;
  let store: TempStore;
  let holder: string;
  let serial = 100;

  beforeEach(async () => {
    node = await startAnvil();
    ledger = await deployOn(node.url);
    await runScenario(ledger);
    holder = await ledger.parties.scu.getAddress();
    store = await tempStore();
  });

  afterEach(async () => {
    await store.close();
    await node.stop();
  });

  /** Mines `count` blocks, each registering a fresh patent; returns their ids. */
  async function registerBlocks(count: number, by: Signer = ledger.parties.registrar): Promise<bigint[]> {
    const ids: bigint[] = [];
    for (let i = 0; i < count; i++) {
      const r = record(holder, ++serial);
      await (await ledger.registry.connect(by).register(r)).wait();
      ids.push(r.number as bigint);
    }
    return ids;
  }

  async function keysMentioning(id: bigint): Promise<string[]> {
    const needle = id.toString().padStart(20, "0");
    return (await dumpStore(store.store)).map(([k]) => k).filter((k) => k.includes(needle));
  }

  async function expectEqualToCleanRebuild(): Promise<void> {
    const clean = await tempStore();
    try {
      await indexerFor(node.url, clean.store, ledger.deployments, { reorgWindow: 8 }).syncToHead();
      expect(await createQueries(store.store).getDigest()).to.deep.equal(await createQueries(clean.store).getDigest());
      expect(await dumpStore(store.store)).to.deep.equal(await dumpStore(clean.store));
    } finally {
      await clean.close();
    }
  }

  for (const [depth, extra] of [
    [1, 0],
    [3, 1],
    [5, 2],
  ] as const) {
    it(`rolls back a reorg of depth ${depth} (new chain ${extra} block(s) longer) and equals a clean rebuild`, async () => {
      const indexer = indexerFor(node.url, store.store, ledger.deployments, { reorgWindow: 8 });
      await indexer.syncToHead();
      const snapshot = await node.rpc<string>("evm_snapshot");
      const dropped = await registerBlocks(depth);
      await indexer.syncToHead();
      for (const id of dropped) expect(await createQueries(store.store).getPatent(id)).to.not.equal(undefined);

      await node.rpc("evm_revert", [snapshot]);
      const kept = await registerBlocks(depth + extra);
      await indexer.syncToHead();

      expect(indexer.status().lastReorg).to.deep.equal({ depth, ancestor: (await ledger.provider.getBlockNumber()) - depth - extra });
      for (const id of dropped) {
        expect(await keysMentioning(id), `keys of dropped patent ${id}`).to.deep.equal([]);
      }
      for (const id of kept) expect((await createQueries(store.store).getPatent(id))!.owner).to.equal(holder.toLowerCase());
      await expectEqualToCleanRebuild();
    });
  }

  it("notices a reorg on restart when the cursor's block is no longer canonical", async () => {
    await indexerFor(node.url, store.store, ledger.deployments, { reorgWindow: 8 }).syncToHead();
    const snapshot = await node.rpc<string>("evm_snapshot");
    const dropped = await registerBlocks(2);
    await indexerFor(node.url, store.store, ledger.deployments, { reorgWindow: 8 }).syncToHead();
    await node.rpc("evm_revert", [snapshot]);
    await registerBlocks(2, ledger.parties.registrar);
    const restarted = indexerFor(node.url, store.store, ledger.deployments, { reorgWindow: 8 });
    await restarted.syncToHead();
    expect(restarted.status().reorgs).to.equal(1);
    for (const id of dropped) expect(await keysMentioning(id)).to.deep.equal([]);
    await expectEqualToCleanRebuild();
  });

  it("does not treat a lower head as a reorg", async () => {
    const indexer = indexerFor(node.url, store.store, ledger.deployments, { reorgWindow: 8 });
    await indexer.syncToHead();
    const snapshot = await node.rpc<string>("evm_snapshot");
    await node.rpc("evm_mine");
    await node.rpc("evm_mine");
    await indexer.syncToHead();
    const before = await dumpStore(store.store);
    // The same block contents re-mined below the old head: the cursor block is gone for now, not replaced.
    await node.rpc("evm_revert", [snapshot]);
    expect(await indexer.step()).to.equal(false);
    expect(indexer.status().reorgs).to.equal(0);
    expect(await dumpStore(store.store)).to.deep.equal(before);
  });

  it("stops ingestion with a clear error on a reorg deeper than the window and keeps serving", async () => {
    const indexer = indexerFor(node.url, store.store, ledger.deployments, { reorgWindow: 4 });
    await indexer.syncToHead();
    const snapshot = await node.rpc<string>("evm_snapshot");
    const dropped = await registerBlocks(6);
    await indexer.syncToHead();
    const digestBefore = await createQueries(store.store).getDigest();

    await node.rpc("evm_revert", [snapshot]);
    await registerBlocks(6);
    const err = await indexer.syncToHead().then(
      () => expect.fail("expected a halt"),
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(IndexerHaltError);
    expect((err as IndexerHaltError).code).to.equal("REORG_TOO_DEEP");
    expect((err as Error).message).to.match(/reorg deeper than the window of 4 blocks/);
    const status = indexer.status();
    expect(status.state).to.equal("halted");
    expect(status.halt!.code).to.equal("REORG_TOO_DEEP");
    // The last good data stays readable, unchanged.
    const q = createQueries(store.store);
    expect(await q.getDigest()).to.deep.equal(digestBefore);
    expect(await q.getPatent(dropped[5]!)).to.not.equal(undefined);
    expect(await store.store.get(keys.cursor())).to.deep.equal(status.indexed);
    // And stays halted.
    await indexer.step().then(
      () => expect.fail("expected the halt to persist"),
      (e: Error) => expect(e.name).to.equal("IndexerHaltError"),
    );
  });
});
