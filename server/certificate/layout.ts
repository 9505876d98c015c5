import { AbiCoder, keccak256 } from "ethers";

/**
 * Where the facts of a certificate live in contract storage. Slots and byte offsets are those of the
 * compiler's storage layout (solc `storageLayout`, kept in artifacts/build-info); the test
 * test/certificate/layout.test.ts pins every number here against it, so that a change of layout breaks
 * a test rather than a bank's verification.
 *
 * None of these contracts uses ERC-7201 namespaced storage: OpenZeppelin 5's non-upgradeable ERC721 and
 * AccessManaged keep plain sequential slots (ERC721 slots 0-5, AccessManaged 6 in the registry), and the
 * registry keeps each patent's ERC-721 owner in its packed `Patent` slot, not in ERC721's `_owners`.
 */
export const LAYOUT = {
  PatentRegistry: {
    /** mapping(uint256 patentId => Patent): one slot {owner, kind, status, locks, filingDay, grantDay}. */
    patents: 7n,
    patent: { owner: 0, kind: 20, status: 21, locks: 22, filingDay: 24, grantDay: 28 },
    /** LockHolder[16] indexed by lock bit, one slot each: the module holding the bit and how many patents carry it. */
    lockModules: 12n,
    lockHolder: { module: 0, count: 20 },
  },
  Pledges: {
    /** mapping(uint256 pledgeId => Pledge), four slots. */
    pledges: 1n,
    pledge: {
      slot0: { pledgee: 0, status: 20, currency: 21, termEndDay: 24, agreedDay: 28 },
      slot1: { securedAmount: 0, recovered: 16 },
      slot2: { proposer: 0, registrationDay: 20, patentCount: 24, activeCount: 25, consentsMissing: 26 },
      slot3: { contractHash: 0 },
    },
    /** mapping(uint256 pledgeId => mapping(uint256 patentId => PledgedPatent {pledgor, status, auctionId})). */
    entries: 4n,
    entry: { pledgor: 0, status: 20, auctionId: 21 },
    /** mapping(uint256 patentId => uint256 pledgeId). */
    latestPledge: 6n,
  },
  Licensing: {
    /** mapping(uint256 licenceId => Licence), seven slots; certificates read the first two. */
    licences: 2n,
    licence: {
      slot0: { patentId: 0, licensee: 8, kind: 28, status: 29, sublicensable: 30, open: 31 },
      slot1: { fields: 0, territories: 8, startDay: 16, endDay: 20 },
    },
    /** mapping(uint256 patentId => uint64[]): active licences granted on the patent, four ids a slot. */
    active: 4n,
    /** mapping(uint256 patentId => OpenLicenceTerms), two slots. */
    openTerms: 7n,
    openTermsFields: {
      slot0: { method: 0, royaltyBps: 1, termDays: 3, amount: 7 },
      slot1: { token: 0 },
    },
    /** mapping(uint256 patentId => bool). */
    openDeclared: 8n,
  },
  Valuations: {
    /** mapping(uint256 patentId => Valuation[]), three slots an element. */
    valuations: 1n,
    valuationSlots: 3n,
    valuation: {
      slot0: { appraiser: 0, valuationDay: 20, method: 24, currency: 25 },
      slot1: { amount: 0 },
      slot2: { reportHash: 0 },
    },
  },
} as const;

/** The lock bit whose module is the Pledges contract (contracts/libraries/PatentTypes.sol LOCK_PLEDGED). */
export const LOCK_PLEDGED = 2n;

const coder = AbiCoder.defaultAbiCoder();

/** Slot of `mapping[key]` for a value-type key at mapping slot `slot`: keccak256(key . slot). */
export function mappingSlot(key: bigint, slot: bigint): bigint {
  return BigInt(keccak256(coder.encode(["uint256", "uint256"], [key, slot])));
}

/** First slot of the data of a dynamic array whose length is at `slot`: keccak256(slot). */
export function arrayDataSlot(slot: bigint): bigint {
  return BigInt(keccak256(coder.encode(["uint256"], [slot])));
}

/** `bytes` bytes of `word` starting at byte `offset` from the low-order end (the layout's offset). */
export function field(word: bigint, offset: number, bytes: number): bigint {
  return (word >> BigInt(offset * 8)) & ((1n << BigInt(bytes * 8)) - 1n);
}
