import { expect } from "chai";
import type { Json } from "../../server/store/codec";
import { canonicalJson } from "../../server/store/codec";
import { startAnvil, type AnvilNode } from "./helpers/anvil";
import { startHardhatNode } from "./helpers/hardhat-node";
import { deployOn, dumpStore, indexerFor, runRightsStory, runScenario, tempStore, type TempStore } from "./helpers/ledger";
import { runMarketStory } from "./helpers/market";

/** Fields that legitimately differ between two node implementations running the same script. */
const NODE_SPECIFIC = new Set(["txHash", "blockHash"]);

function strip(value: Json): Json {
  if (Array.isArray(value)) return value.map(strip);
  if (value !== null && typeof value === "object") {
    const out: { [k: string]: Json } = {};
    for (const [k, v] of Object.entries(value)) if (!NODE_SPECIFIC.has(k)) out[k] = strip(v);
    return out;
  }
  return value;
}

/** Entities and indexes without block records, headers, undo records, meta, or node-specific hashes. */
async function stateDigest(store: TempStore): Promise<[string, string][]> {
  return (await dumpStore(store.store))
    .filter(([key]) => !/^(b|h|u|m)\//.test(key))
    .map(([key, raw]) => [key, canonicalJson(strip(JSON.parse(raw) as Json))]);
}

describe("Indexer on two node implementations", () => {
  const nodes: AnvilNode[] = [];
  const stores: TempStore[] = [];

  after(async () => {
    for (const s of stores) await s.close();
    for (const n of nodes) await n.stop();
  });

  it("yields the same entities from Hardhat and Anvil for the same scripted transactions (registry, rights and market contracts)", async function () {
    this.timeout(300_000);
    for (const start of [startAnvil, startHardhatNode]) {
      const node = await start();
      nodes.push(node);
      const ledger = await deployOn(node.url);
      await runScenario(ledger);
      await runRightsStory(ledger);
      await runMarketStory(ledger);
      const store = await tempStore();
      stores.push(store);
      await indexerFor(node.url, store.store, ledger.deployments, { reorgWindow: 4, initialRange: 2 }).syncToHead();
    }
    const [anvil, hardhat] = [await stateDigest(stores[0]!), await stateDigest(stores[1]!)];
    expect(anvil.length).to.be.greaterThan(150);
    // The rights and market contracts' entities are there too (licences, pledges, deals, warrants, valuations,
    // venues, listings, offers, auctions, bids).
    for (const prefix of ["lic/", "pl/", "deal/", "war/", "val/", "roy/", "ven/", "lst/", "off/", "offs/", "auc/", "bid/", "ix/venue/"]) expect(anvil.some(([key]) => key.startsWith(prefix)), prefix).to.equal(true);
    expect(hardhat).to.deep.equal(anvil);
  });
});
