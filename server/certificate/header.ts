import { encodeRlp, getBytes, keccak256, type RlpStructuredDataish } from "ethers";

/**
 * Execution-layer block header fields in RLP order. The first 15 are in every header; each later one was
 * added by a fork (London: baseFeePerGas; Shanghai: withdrawalsRoot; Cancun: blobGasUsed, excessBlobGas,
 * parentBeaconBlockRoot; Prague: requestsHash) and a header carries a prefix of them.
 */
export const HEADER_FIELDS = [
  ["parentHash", "hash"],
  ["sha3Uncles", "hash"],
  ["miner", "address"],
  ["stateRoot", "hash"],
  ["transactionsRoot", "hash"],
  ["receiptsRoot", "hash"],
  ["logsBloom", "bloom"],
  ["difficulty", "quantity"],
  ["number", "quantity"],
  ["gasLimit", "quantity"],
  ["gasUsed", "quantity"],
  ["timestamp", "quantity"],
  ["extraData", "data"],
  ["mixHash", "hash"],
  ["nonce", "nonce"],
  ["baseFeePerGas", "quantity"],
  ["withdrawalsRoot", "hash"],
  ["blobGasUsed", "quantity"],
  ["excessBlobGas", "quantity"],
  ["parentBeaconBlockRoot", "hash"],
  ["requestsHash", "hash"],
] as const;

export type HeaderFieldName = (typeof HEADER_FIELDS)[number][0];
export type HeaderFieldKind = (typeof HEADER_FIELDS)[number][1];
/** Fields every header has (pre-London). */
export const BASE_HEADER_FIELDS = 15;

/** A block header as the certificate carries it: lower-case hex, quantities without leading zeros. */
export type BlockHeader = Partial<Record<HeaderFieldName, string>>;

/** Canonical hex of each field kind: what a node answers, and the only spelling a verifier accepts. */
export const HEX_PATTERNS: Record<HeaderFieldKind, RegExp> = {
  hash: /^0x[0-9a-f]{64}$/,
  address: /^0x[0-9a-f]{40}$/,
  bloom: /^0x[0-9a-f]{512}$/,
  quantity: /^0x(?:0|[1-9a-f][0-9a-f]*)$/,
  data: /^0x(?:[0-9a-f]{2})*$/,
  nonce: /^0x[0-9a-f]{16}$/,
};

export class HeaderError extends Error {
  override name = "HeaderError";
}

/** The header fields of a JSON-RPC block (`eth_getBlockByNumber`), normalised to the canonical spelling. */
export function headerFromRpcBlock(block: Record<string, unknown>): BlockHeader {
  const header: BlockHeader = {};
  let ended = false;
  for (const [index, [name, kind]] of HEADER_FIELDS.entries()) {
    const raw = block[name];
    if (raw === undefined || raw === null) {
      if (index < BASE_HEADER_FIELDS) throw new HeaderError(`the node's block has no ${name}`);
      ended = true;
      continue;
    }
    if (ended) throw new HeaderError(`the node's block has ${name} but not every field before it`);
    if (typeof raw !== "string") throw new HeaderError(`the node's block has a non-string ${name}`);
    let text = raw.toLowerCase();
    if (kind === "quantity") text = `0x${BigInt(text).toString(16)}`;
    if (!HEX_PATTERNS[kind].test(text)) throw new HeaderError(`the node's block has a malformed ${name}: ${raw}`);
    header[name] = text;
  }
  return header;
}

/** Checks the header's shape: every base field, then a prefix of the fork fields, each spelled canonically. */
export function checkHeader(header: BlockHeader): void {
  let ended = false;
  for (const [index, [name, kind]] of HEADER_FIELDS.entries()) {
    const value = header[name];
    if (value === undefined) {
      if (index < BASE_HEADER_FIELDS) throw new HeaderError(`header.${name} is missing`);
      ended = true;
      continue;
    }
    if (ended) throw new HeaderError(`header.${name} is present but a field before it is missing`);
    if (!HEX_PATTERNS[kind].test(value)) throw new HeaderError(`header.${name} is not canonical hex: ${value}`);
  }
}

/** The header's RLP: base fields, then the fork fields present, quantities as minimal big-endian bytes. */
export function headerRlp(header: BlockHeader): Uint8Array {
  checkHeader(header);
  const items: RlpStructuredDataish[] = [];
  for (const [name, kind] of HEADER_FIELDS) {
    const value = header[name];
    if (value === undefined) break;
    items.push(kind === "quantity" ? quantityBytes(value) : value);
  }
  return getBytes(encodeRlp(items));
}

/** keccak256 of the RLP of the header: the block hash. */
export function hashHeader(header: BlockHeader): string {
  return keccak256(headerRlp(header));
}

/** Minimal big-endian bytes of a canonical quantity ("0x0" is the empty string). */
function quantityBytes(quantity: string): string {
  if (quantity === "0x0") return "0x";
  const digits = quantity.slice(2);
  return `0x${digits.length % 2 === 1 ? "0" : ""}${digits}`;
}
