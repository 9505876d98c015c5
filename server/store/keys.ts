/**
 * The only place LevelDB keys are built. Every number in a key is fixed width so that the byte order
 * of keys is the chain order: block numbers as 12 decimal digits, patent, transfer and evaluation ids
 * as 20 decimal digits (uint64), log indexes as 6 digits, lock bits as 2, addresses as 40 lowercase
 * hex digits. Key spaces are separated by a short prefix and "/".
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
} as const;

/** The patent id at the end of a secondary-index key (".../<20 digits>"). */
export function idOfIndexKey(key: string): string {
  return key.slice(-ID_WIDTH).replace(/^0+(?=\d)/, "");
}

/** The first key after every key that starts with `prefix` (for `lt` bounds). */
export function prefixEnd(prefix: string): string {
  return `${prefix}\xff`;
}
