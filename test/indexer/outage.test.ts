import { expect } from "chai";
import { createQueries } from "../../server/indexer/queries";
import { startAnvil, type AnvilNode } from "./helpers/anvil";
import { startProxy } from "./helpers/proxy";
import { deployOn, dumpStore, indexerFor, record, runScenario, tempStore, type DeployedLedger, type TempStore } from "./helpers/ledger";

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("Indexer during an RPC outage", () => {
  let node: AnvilNode;
  let ledger: DeployedLedger;
  let store: TempStore;

  before(async () => {
    node = await startAnvil();
    ledger = await deployOn(node.url);
    await runScenario(ledger);
    store = await tempStore();
  });

  after(async () => {
    await store.close();
    await node.stop();
  });

  it("keeps running, reports the node unreachable, and catches up without gaps or duplicates", async () => {
    const proxy = await startProxy(node.url);
    const indexer = indexerFor(proxy.url, store.store, ledger.deployments, { reorgWindow: 4, rpcRetries: 1, rpcTimeoutMs: 1000, pollIntervalMs: 50 });
    try {
      indexer.start();
      const head = await ledger.provider.getBlockNumber();
      await until("indexed to the head", () => (indexer.status().indexed?.number ?? -1) >= head);
      expect(indexer.status().reachable).to.equal(true);

      proxy.setDown(true);
      const holder = await ledger.parties.uestc.getAddress();
      for (let i = 0; i < 6; i++) await (await ledger.registry.connect(ledger.parties.registrar).register(record(holder, 500 + i))).wait();
      await until("the outage is noticed", () => indexer.status().reachable === false);
      await new Promise((r) => setTimeout(r, 3000));
      const during = indexer.status();
      expect(during.state).to.not.be.oneOf(["halted", "stopped"]);
      expect(during.reachable).to.equal(false);
      expect(during.lastError!.name).to.equal("RpcTransportError");
      expect(during.indexed!.number).to.equal(head);

      proxy.setDown(false);
      const newHead = await ledger.provider.getBlockNumber();
      await until("caught up", () => (indexer.status().indexed?.number ?? -1) >= newHead);
      const after = indexer.status();
      expect(after.reachable).to.equal(true);
      expect(after.lastError).to.equal(null);
      await indexer.stop();

      const clean = await tempStore();
      try {
        await indexerFor(node.url, clean.store, ledger.deployments, { reorgWindow: 4 }).syncToHead();
        expect(await dumpStore(store.store)).to.deep.equal(await dumpStore(clean.store));
        expect((await createQueries(store.store).listPatents({ owner: holder }, { limit: 100 })).items).to.have.length(8);
      } finally {
        await clean.close();
      }
    } finally {
      await indexer.stop();
      await proxy.close();
    }
  });
});
