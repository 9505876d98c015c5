import { expect } from "chai";
import { artifacts } from "hardhat";
import { LAYOUT } from "../../server/certificate/layout";

interface StorageEntry {
  label: string;
  slot: string;
  offset: number;
  type: string;
}
interface StorageLayout {
  storage: StorageEntry[];
  types: Record<string, { label: string; numberOfBytes: string; members?: StorageEntry[] }>;
}

/** The compiler's storage layout of a contract, from artifacts/build-info (hardhat.config.ts asks solc for it). */
async function layoutOf(source: string, name: string): Promise<StorageLayout> {
  const info = await artifacts.getBuildInfo(`${source}:${name}`);
  const output = info?.output.contracts[source]?.[name] as { storageLayout?: StorageLayout } | undefined;
  if (!output?.storageLayout) throw new Error(`no storageLayout for ${name}: is "storageLayout" in the solc outputSelection?`);
  return output.storageLayout;
}

function variable(layout: StorageLayout, label: string): StorageEntry {
  const entry = layout.storage.find((s) => s.label === label);
  if (!entry) throw new Error(`no state variable ${label}`);
  return entry;
}

/** { member: [slot, offset] } of the struct a mapping (or array of a mapping) holds. */
function membersOf(layout: StorageLayout, typeLabel: string): Record<string, [number, number]> {
  const type = Object.values(layout.types).find((t) => t.label === typeLabel && t.members);
  if (!type?.members) throw new Error(`no struct ${typeLabel}`);
  return Object.fromEntries(type.members.map((m) => [m.label, [Number(m.slot), m.offset]]));
}

/** The layout table of server/certificate/layout.ts as { member: [slot, offset] } for a struct split by slot. */
function table(bySlot: Record<string, Record<string, number>>): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  for (const [slotName, fields] of Object.entries(bySlot)) {
    const slot = Number(slotName.replace("slot", ""));
    for (const [name, offset] of Object.entries(fields)) out[name] = [slot, offset];
  }
  return out;
}

function pick(all: Record<string, [number, number]>, names: string[]): Record<string, [number, number]> {
  return Object.fromEntries(names.map((n) => [n, all[n]!]));
}

describe("certificate storage layout", () => {
  describe("PatentRegistry", () => {
    it("keeps each patent in one packed slot of _patents, owner included, at the slots layout.ts names", async () => {
      const layout = await layoutOf("contracts/registry/PatentRegistry.sol", "PatentRegistry");
      expect(Number(variable(layout, "_patents").slot)).to.equal(Number(LAYOUT.PatentRegistry.patents));
      expect(variable(layout, "_patents").type).to.match(/^t_mapping\(t_uint256,t_struct\(Patent\)/);
      expect(Number(variable(layout, "_lockModules").slot)).to.equal(Number(LAYOUT.PatentRegistry.lockModules));
      expect(variable(layout, "_lockModules").type).to.match(/^t_array\(t_struct\(LockHolder\)\d+_storage\)16_storage$/);
      expect(membersOf(layout, "struct PatentRegistry.LockHolder")).to.deep.equal(table({ slot0: LAYOUT.PatentRegistry.lockHolder }));
      const members = membersOf(layout, "struct Patent");
      expect(Object.keys(members)).to.deep.equal(Object.keys(LAYOUT.PatentRegistry.patent));
      for (const [name, offset] of Object.entries(LAYOUT.PatentRegistry.patent)) expect(members[name], name).to.deep.equal([0, offset]);
    });

    it("uses no ERC-7201 namespace: ERC721 and AccessManaged state sits in the first sequential slots", async () => {
      const layout = await layoutOf("contracts/registry/PatentRegistry.sol", "PatentRegistry");
      expect(layout.storage.slice(0, 7).map((s) => `${s.slot}:${s.label}`)).to.deep.equal([
        "0:_name", "1:_symbol", "2:_owners", "3:_balances", "4:_tokenApprovals", "5:_operatorApprovals", "6:_authority",
      ]);
    });
  });

  describe("Pledges", () => {
    it("places _pledges, _entries and _latestPledge and their members where layout.ts reads them", async () => {
      const layout = await layoutOf("contracts/financing/Pledges.sol", "Pledges");
      const P = LAYOUT.Pledges;
      expect(Number(variable(layout, "_pledges").slot)).to.equal(Number(P.pledges));
      expect(Number(variable(layout, "_entries").slot)).to.equal(Number(P.entries));
      expect(variable(layout, "_entries").type).to.match(/^t_mapping\(t_uint256,t_mapping\(t_uint256,t_struct\(PledgedPatent\)/);
      expect(Number(variable(layout, "_latestPledge").slot)).to.equal(Number(P.latestPledge));
      const pledge = membersOf(layout, "struct Pledge");
      const expected = table(P.pledge);
      expect(pick(pledge, Object.keys(expected))).to.deep.equal(expected);
      expect(Object.keys(pledge)).to.have.lengthOf(Object.keys(expected).length, "a Pledge member the certificate does not read");
      const entry = membersOf(layout, "struct PledgedPatent");
      expect(entry).to.deep.equal(table({ slot0: P.entry }));
    });
  });

  describe("Licensing", () => {
    it("places _licences, _active, _openTerms and _openDeclared and their members where layout.ts reads them", async () => {
      const layout = await layoutOf("contracts/licensing/Licensing.sol", "Licensing");
      const L = LAYOUT.Licensing;
      expect(Number(variable(layout, "_licences").slot)).to.equal(Number(L.licences));
      expect(Number(variable(layout, "_active").slot)).to.equal(Number(L.active));
      expect(variable(layout, "_active").type).to.equal("t_mapping(t_uint256,t_array(t_uint64)dyn_storage)");
      expect(Number(variable(layout, "_openTerms").slot)).to.equal(Number(L.openTerms));
      expect(Number(variable(layout, "_openDeclared").slot)).to.equal(Number(L.openDeclared));
      const licence = membersOf(layout, "struct Licence");
      expect(pick(licence, Object.keys(L.licence.slot0))).to.deep.equal(table({ slot0: L.licence.slot0 }));
      expect(licence.scope).to.deep.equal([1, 0]);
      expect(membersOf(layout, "struct LicenceScope")).to.deep.equal(table({ slot0: L.licence.slot1 }));
      expect(membersOf(layout, "struct OpenLicenceTerms")).to.deep.equal(table(L.openTermsFields));
    });
  });

  describe("Valuations", () => {
    it("keeps each patent's history as an array of three-slot Valuation structs", async () => {
      const layout = await layoutOf("contracts/financing/Valuations.sol", "Valuations");
      const V = LAYOUT.Valuations;
      expect(Number(variable(layout, "_valuations").slot)).to.equal(Number(V.valuations));
      const type = Object.values(layout.types).find((t) => t.label === "struct Valuation");
      expect(BigInt(type?.numberOfBytes ?? 0) / 32n).to.equal(V.valuationSlots);
      expect(membersOf(layout, "struct Valuation")).to.deep.equal(table(V.valuation));
    });
  });
});
