import { expect } from "chai";
import { ethers } from "ethers";
import { createReader } from "../../server/api/read";
import { dayOf } from "../../server/chain/cnipa";
import { registryHandlers } from "../../server/indexer/handlers/registry";
import type { LedgerEvent } from "../../server/indexer/types";
import { canonicalJson } from "../../server/store/codec";
import { tempStore, type TempStore } from "../indexer/helpers/ledger";

const A = "0x00000000000000000000000000000000000000aa";
const B = "0x00000000000000000000000000000000000000bb";

/** The index writes of one registration, as the indexer stores them. */
function registered(serial: number, holder: string, ipc: string): { key: string; value: string | null }[] {
  const zero = ethers.ZeroHash;
  const event: LedgerEvent = {
    contract: "PatentRegistry",
    address: zero,
    event: "PatentRegistered",
    blockNumber: 1,
    blockHash: zero,
    txHash: zero,
    logIndex: serial * 2 + 1,
    args: {
      patentId: (202010000000n + BigInt(serial)).toString(),
      holder,
      commitment: zero,
      recordHash: zero,
      facts: { checkDigit: 0, kind: 0, filingDay: dayOf("2019-03-15"), grantDay: dayOf("2021-06-30"), dossierHash: zero },
      title: `patent ${serial}`,
      ipc: [ipc],
      inventory: { readiness: 5, willing: true, modes: 1, selfScore: 70, unitScore: 70, scenarioTags: 0 },
    },
  };
  return registryHandlers.PatentRegistered!.apply(event, { get: () => undefined }).map((w) => ({
    key: w.key,
    value: w.value === null ? null : canonicalJson(w.value),
  }));
}

describe("API read helpers (server/api/read.ts)", () => {
  describe("search", () => {
    let t: TempStore;

    beforeEach(async () => {
      t = await tempStore();
    });

    afterEach(async () => {
      await t?.close();
    });

    it("walks the smaller index of two filters, and counts them again after a write", async () => {
      // Owner A: 3 patents under H01M; owner B: 1 more under H01M. owner=A (3) is smaller than ipc=H01M (4).
      await t.store.batchEncoded([...[0, 1, 2].flatMap((i) => registered(i, A, "H01M 10/0525")), ...registered(3, B, "H01M 4/525")]);
      const reader = createReader(t.store, { scanLimit: 1000 });
      const page = () => reader.search({ owner: A, ipc: "H01M" }, { limit: 50, order: "asc" });
      const first = await page();
      expect(first.driver).to.equal("owner");
      expect(first.items).to.have.length(3);
      expect((await page()).driver).to.equal("owner"); // the counts kept between writes give the same plan
      // Five more of owner A under G06F: now ipc=H01M (4) is the smaller index.
      await t.store.batchEncoded([4, 5, 6, 7, 8].flatMap((i) => registered(i, A, "G06F 16/27")));
      const after = await page();
      expect(after.driver).to.equal("ipc");
      expect(after.items.map((p) => p.id)).to.deep.equal(first.items.map((p) => p.id));
    });
  });
});
