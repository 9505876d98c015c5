import { getAddress } from "ethers";
import { formatCnipaNumber, parseCnipaNumber } from "../../server/chain/cnipa";
import type { Certificate } from "../../server/certificate/format";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A deep copy that tests may alter freely. */
export function copy(certificate: Certificate): Certificate {
  return JSON.parse(JSON.stringify(certificate)) as Certificate;
}

/** Every path to a leaf (string, number, boolean or null) under `value`. */
export function leafPaths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== "object") return [prefix];
  if (Array.isArray(value)) return value.flatMap((v, i) => leafPaths(v, [...prefix, i]));
  return Object.entries(value).flatMap(([k, v]) => leafPaths(v, [...prefix, k]));
}

export function getAt(root: Json, path: (string | number)[]): Json {
  let node: Json = root;
  for (const key of path) node = (node as Record<string | number, Json>)[key]!;
  return node;
}

export function setAt(root: Json, path: (string | number)[], value: Json): void {
  let node: Json = root;
  for (const key of path.slice(0, -1)) node = (node as Record<string | number, Json>)[key]!;
  (node as Record<string | number, Json>)[path[path.length - 1]!] = value;
}

const OTHER_NAMES: Record<string, string> = {
  Valid: "Lapsed", Lapsed: "Valid", Expired: "Valid", Frozen: "Valid", Invalidated: "Valid", UnderInvalidation: "Valid",
  Invention: "UtilityModel", UtilityModel: "Invention", Design: "Invention",
  Registered: "Released", Proposed: "Agreed", Agreed: "Registered", Released: "Registered",
  Pledged: "Released", Active: "Terminated", Sole: "Exclusive", Exclusive: "NonExclusive", NonExclusive: "Exclusive",
  Income: "Market", Market: "Cost", Cost: "Income", RunningRoyalty: "LumpSum", LumpSum: "RunningRoyalty",
  CNY: "USD", PLEDGED: "LISTED",
};

/**
 * A plausible, well-formed but different value for a leaf: what a dishonest gateway would write (another
 * address, the next day, one more fen, another status), so that the verifier is tested on meaning, not shape.
 */
export function plausiblyAltered(value: Json): Json {
  if (typeof value === "boolean") return !value;
  if (typeof value === "number") return value + 1;
  if (value === null) return "2030-01-01";
  if (typeof value !== "string") throw new Error("not a leaf");
  if (/^0x[0-9a-fA-F]{40}$/.test(value)) return getAddress(`0x${(BigInt(value) ^ 1n).toString(16).padStart(40, "0")}`);
  if (/^0x[0-9a-f]+$/.test(value)) return `${value.slice(0, -1)}${value.endsWith("0") ? "1" : "0"}`;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return new Date(Date.parse(`${value}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  }
  if (/^\d+$/.test(value)) return (BigInt(value) + 1n).toString();
  if (value in OTHER_NAMES) return OTHER_NAMES[value]!;
  if (value.startsWith("ZL")) return formatCnipaNumber(parseCnipaNumber(value).number + 1n);
  return `${value}x`;
}
