/**
 * The only place LevelDB keys are built. Every number in a key is fixed width so that the byte order
 * of keys is the chain order: block numbers as 12 decimal digits, ids (patents, transfers, evaluations,
 * licences, payments, pledges, valuations, deals, warrants) as 20 decimal digits (uint64), log indexes
 * as 6 digits, lock bits, statuses and acts as 2, addresses as 40 lowercase hex digits. Key spaces are separated by a short prefix and "/".
 */

export const BLOCK_WIDTH = 12;
export const ID_WIDTH = 20;
export const LOG_INDEX_WIDTH = 6;

export class KeyError extends Error {
  override name = "KeyError";
}

const DIGITS = /^\d+$/;

function fixed(value: bigint | number | string, width: number, what: string): string {
  let s: string;
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value) || value < 0) throw new KeyError(`${what} must be a non-negative integer, got "${value}"`);
    s = String(value);
  } else {
    s = typeof value === "string" ? value : value.toString();
    if (!DIGITS.test(s)) throw new KeyError(`${what} must be a non-negative integer, got "${s}"`);
  }
  if (s.length > width) throw new KeyError(`${what} ${s} is wider than ${width} digits`);
  return s.padStart(width, "0");
}

export const blockPart = (n: number): string => fixed(n, BLOCK_WIDTH, "block number");
export const idPart = (id: bigint | number | string): string => fixed(id, ID_WIDTH, "id");
export const logIndexPart = (i: number): string => fixed(i, LOG_INDEX_WIDTH, "log index");

export function addressPart(address: string): string {
  if (!/^0x[0-9a-fA-F]{40}$/.test(address)) throw new KeyError(`not an address: "${address}"`);
  return address.slice(2).toLowerCase();
}

/**
 * IPC symbols in WIPO's fixed-width form: subclass (4), main group right-aligned (4), subgroup
 * left-aligned (6), so "H01M 10/052" -> "H01M0010052000". Prefixes of the symbol give prefixes of the
 * key: "H01M", "H01M 10" -> "H01M0010", "H01M 10/05" -> "H01M001005". Codes that do not parse keep
 * their upper-case characters without spaces (they sort after none of the parsed ones by design).
 */
const IPC_SYMBOL = /^([A-H]\d\d[A-Z])(\d{1,4})\/(\d{1,6})$/;
const ipcCache = new Map<string, string>();

export function normaliseIpc(code: string): string {
  const cached = ipcCache.get(code);
  if (cached !== undefined) return cached;
  const compact = code.toUpperCase().replace(/\s+/g, "");
  const m = IPC_SYMBOL.exec(compact);
  const out = m ? `${m[1]}${m[2]!.padStart(4, "0")}${m[3]!.padEnd(6, "0")}` : compact;
  if (ipcCache.size < 100_000) ipcCache.set(code, out); // IPC codes are a small vocabulary
  return out;
}

/** The key prefix for an IPC prefix query; the subgroup is not padded so "H01M 10/05" finds 10/052. */
export function normaliseIpcPrefix(prefix: string): string {
  const compact = prefix.toUpperCase().replace(/\s+/g, "");
  const m = /^([A-H]\d\d[A-Z])(?:(\d{1,4})(?:\/(\d{0,6}))?)?$/.exec(compact);
  if (!m) return compact;
  let out = m[1]!;
  if (m[2] !== undefined) out += m[2].padStart(4, "0");
  if (m[3] !== undefined) out += m[3];
  return out;
}

/** Two-character status code so that statuses sort by their enum value. */
export const statusPart = (status: number): string => fixed(status, 2, "status");
export const lockBitPart = (bit: number): string => fixed(bit, 2, "lock bit");
export const actPart = (act: number): string => fixed(act, 2, "act");

type Id = bigint | number | string;

export const keys = {
  // ---- meta
  chain: () => "m/chain",
  cursor: () => "m/cursor",

  // ---- blocks: digest records for blocks with changes; headers and undo records for the recent window
  block: (n: number) => `b/${blockPart(n)}`,
  blockPrefix: () => "b/",
  header: (n: number) => `h/${blockPart(n)}`,
  headerPrefix: () => "h/",
  undo: (n: number) => `u/${blockPart(n)}`,
  undoPrefix: () => "u/",

  // ---- registry entities
  patent: (id: bigint | number | string) => `p/${idPart(id)}`,
  patentPrefix: () => "p/",
  transfer: (id: bigint | number | string) => `t/${idPart(id)}`,
  evaluation: (id: bigint | number | string) => `e/${idPart(id)}`,
  commitment: (id: bigint | number | string) => `c/${idPart(id)}`,
  lockModule: (bit: number) => `l/${lockBitPart(bit)}`,
  /** A contract's configuration event (e.g. Licensing's royalties contract). */
  setting: (contract: string, name: string) => `s/${contract}/${name}`,

  // ---- timeline: every event about a patent in chain order
  timeline: (patentId: bigint | number | string, block: number, logIndex: number) =>
    `tl/${idPart(patentId)}/${blockPart(block)}/${logIndexPart(logIndex)}`,
  timelinePrefix: (patentId: bigint | number | string) => `tl/${idPart(patentId)}/`,

  // ---- secondary indexes (value: empty string)
  byOwner: (owner: string, patentId: bigint | number | string) => `ix/owner/${addressPart(owner)}/${idPart(patentId)}`,
  byOwnerPrefix: (owner: string) => `ix/owner/${addressPart(owner)}/`,
  byIpc: (code: string, patentId: bigint | number | string) => `ix/ipc/${normaliseIpc(code)}/${idPart(patentId)}`,
  /** Matches every code that starts with the normalised prefix. */
  byIpcPrefix: (prefix: string) => `ix/ipc/${normaliseIpcPrefix(prefix)}`,
  byStatus: (status: number, patentId: bigint | number | string) => `ix/status/${statusPart(status)}/${idPart(patentId)}`,
  byStatusPrefix: (status: number) => `ix/status/${statusPart(status)}/`,
  transfersOfPatent: (patentId: bigint | number | string, transferId: bigint | number | string) =>
    `ix/ptransfer/${idPart(patentId)}/${idPart(transferId)}`,
  transfersOfPatentPrefix: (patentId: bigint | number | string) => `ix/ptransfer/${idPart(patentId)}/`,
  evaluationsOfPatent: (patentId: bigint | number | string, evaluationId: bigint | number | string) =>
    `ix/peval/${idPart(patentId)}/${idPart(evaluationId)}`,
  evaluationsOfPatentPrefix: (patentId: bigint | number | string) => `ix/peval/${idPart(patentId)}/`,

  // ---- licensing entities
  licence: (id: Id) => `lic/${idPart(id)}`,
  licencePrefix: () => "lic/",
  /** The current open-licence declaration of a patent (kept, marked withdrawn, after a withdrawal). */
  openLicence: (patentId: Id) => `ol/${idPart(patentId)}`,
  openLicenceHistory: (patentId: Id, block: number, logIndex: number) => `olh/${idPart(patentId)}/${blockPart(block)}/${logIndexPart(logIndex)}`,
  openLicenceHistoryPrefix: (patentId: Id) => `olh/${idPart(patentId)}/`,

  // ---- royalties entities
  royaltyPayment: (licenceId: Id, payment: Id) => `roy/${idPart(licenceId)}/${idPart(payment)}`,
  royaltyPaymentsOfLicencePrefix: (licenceId: Id) => `roy/${idPart(licenceId)}/`,
  royaltyPaymentPrefix: () => "roy/",
  revenueReport: (licenceId: Id, block: number, logIndex: number) => `rev/${idPart(licenceId)}/${blockPart(block)}/${logIndexPart(logIndex)}`,
  revenueReportsOfLicencePrefix: (licenceId: Id) => `rev/${idPart(licenceId)}/`,
  benefitShares: (patentId: Id) => `shr/${idPart(patentId)}`,

  // ---- pledge entities
  pledge: (id: Id) => `pl/${idPart(id)}`,
  pledgePrefix: () => "pl/",
  actConsent: (pledgeId: Id, patentId: Id, act: number, counterparty: string) =>
    `plc/${idPart(pledgeId)}/${idPart(patentId)}/${actPart(act)}/${addressPart(counterparty)}`,
  actConsentsOfPledgePrefix: (pledgeId: Id) => `plc/${idPart(pledgeId)}/`,
  pledgeProceeds: (pledgeId: Id, block: number, logIndex: number) => `plp/${idPart(pledgeId)}/${blockPart(block)}/${logIndexPart(logIndex)}`,
  pledgeProceedsPrefix: (pledgeId: Id) => `plp/${idPart(pledgeId)}/`,

  // ---- valuations: keyed by patent, so the entity key is also the by-patent index
  valuation: (patentId: Id, index: Id) => `val/${idPart(patentId)}/${idPart(index)}`,
  valuationsOfPatentPrefix: (patentId: Id) => `val/${idPart(patentId)}/`,

  // ---- equity entities
  deal: (id: Id) => `deal/${idPart(id)}`,
  warrant: (id: Id) => `war/${idPart(id)}`,

  // ---- secondary indexes of licences (value: empty string; the entity id ends the key)
  licencesOfLicensee: (licensee: string, licenceId: Id) => `ix/lic-licensee/${addressPart(licensee)}/${idPart(licenceId)}`,
  licencesOfLicenseePrefix: (licensee: string) => `ix/lic-licensee/${addressPart(licensee)}/`,
  licencesOfPatent: (patentId: Id, licenceId: Id) => `ix/lic-patent/${idPart(patentId)}/${idPart(licenceId)}`,
  licencesOfPatentPrefix: (patentId: Id) => `ix/lic-patent/${idPart(patentId)}/`,
  /** Licences in force (status Active) of a patent: removed when a licence ends. */
  activeLicencesOfPatent: (patentId: Id, licenceId: Id) => `ix/lic-active/${idPart(patentId)}/${idPart(licenceId)}`,
  activeLicencesOfPatentPrefix: (patentId: Id) => `ix/lic-active/${idPart(patentId)}/`,
  sublicences: (parentId: Id, licenceId: Id) => `ix/lic-sub/${idPart(parentId)}/${idPart(licenceId)}`,
  sublicencesPrefix: (parentId: Id) => `ix/lic-sub/${idPart(parentId)}/`,
  /** Patents with an open-licence declaration in force. */
  openLicensed: (patentId: Id) => `ix/open/${idPart(patentId)}`,
  openLicensedPrefix: () => "ix/open/",
  /** Royalty payments of a patent: ".../<licence id>/<payment number>". */
  royaltiesOfPatent: (patentId: Id, licenceId: Id, payment: Id) => `ix/roy-patent/${idPart(patentId)}/${idPart(licenceId)}/${idPart(payment)}`,
  royaltiesOfPatentPrefix: (patentId: Id) => `ix/roy-patent/${idPart(patentId)}/`,

  // ---- secondary indexes of pledges
  pledgesByPledgee: (pledgee: string, pledgeId: Id) => `ix/pl-pledgee/${addressPart(pledgee)}/${idPart(pledgeId)}`,
  pledgesByPledgeePrefix: (pledgee: string) => `ix/pl-pledgee/${addressPart(pledgee)}/`,
  pledgesByPledgor: (pledgor: string, pledgeId: Id) => `ix/pl-pledgor/${addressPart(pledgor)}/${idPart(pledgeId)}`,
  pledgesByPledgorPrefix: (pledgor: string) => `ix/pl-pledgor/${addressPart(pledgor)}/`,
  pledgesByStatus: (status: number, pledgeId: Id) => `ix/pl-status/${statusPart(status)}/${idPart(pledgeId)}`,
  pledgesByStatusPrefix: (status: number) => `ix/pl-status/${statusPart(status)}/`,
  pledgesOfPatent: (patentId: Id, pledgeId: Id) => `ix/pl-patent/${idPart(patentId)}/${idPart(pledgeId)}`,
  pledgesOfPatentPrefix: (patentId: Id) => `ix/pl-patent/${idPart(patentId)}/`,

  // ---- secondary indexes of equity deals and warrants
  dealsByCompany: (company: string, dealId: Id) => `ix/deal-company/${addressPart(company)}/${idPart(dealId)}`,
  dealsByCompanyPrefix: (company: string) => `ix/deal-company/${addressPart(company)}/`,
  /** Deals by contributor: the owner who proposed the deal. */
  dealsByContributor: (owner: string, dealId: Id) => `ix/deal-owner/${addressPart(owner)}/${idPart(dealId)}`,
  dealsByContributorPrefix: (owner: string) => `ix/deal-owner/${addressPart(owner)}/`,
  dealsOfPatent: (patentId: Id, dealId: Id) => `ix/deal-patent/${idPart(patentId)}/${idPart(dealId)}`,
  dealsOfPatentPrefix: (patentId: Id) => `ix/deal-patent/${idPart(patentId)}/`,
  warrantsOfDeal: (dealId: Id, warrantId: Id) => `ix/war-deal/${idPart(dealId)}/${idPart(warrantId)}`,
  warrantsOfDealPrefix: (dealId: Id) => `ix/war-deal/${idPart(dealId)}/`,
  warrantsByHolder: (holder: string, warrantId: Id) => `ix/war-holder/${addressPart(holder)}/${idPart(warrantId)}`,
  warrantsByHolderPrefix: (holder: string) => `ix/war-holder/${addressPart(holder)}/`,

  // ---- venue indexes (exchange): RESERVED. The exchange contract is being written on another branch;
  // its listings, offers, auctions and settlements and the `ix/venue/...` indexes go here once its
  // events exist. No key of this space is written today.
} as const;

/** The last `count` fixed-width ids of a key, without leading zeros (composite index keys). */
export function idsOfKeyTail(key: string, count: number): string[] {
  const parts = key.split("/").slice(-count);
  return parts.map((p) => p.replace(/^0+(?=\d)/, ""));
}

/** The patent id at the end of a secondary-index key (".../<20 digits>"). */
export function idOfIndexKey(key: string): string {
  return key.slice(-ID_WIDTH).replace(/^0+(?=\d)/, "");
}

/** The first key after every key that starts with `prefix` (for `lt` bounds). */
export function prefixEnd(prefix: string): string {
  return `${prefix}\xff`;
}
