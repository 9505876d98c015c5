/**
 * Values are canonical JSON: object keys sorted, no whitespace, integers beyond 2^53 as decimal
 * strings (the handlers produce them so). Two gateways on one chain write the same bytes.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export class CodecError extends Error {
  override name = "CodecError";
}

/** Quoted object keys: entities share a few dozen field names. */
const quotedNames = new Map<string, string>();
function quoted(name: string): string {
  let q = quotedNames.get(name);
  if (q === undefined) {
    q = JSON.stringify(name);
    if (quotedNames.size < 10_000) quotedNames.set(name, q);
  }
  return q;
}

/**
 * Canonical JSON text: one walk checks the value (what canonicalJsonSlow would refuse, it refuses) and
 * collects every object key; JSON.stringify with the sorted keys as its property list then writes every
 * object's keys in that order, natively. Same bytes as canonicalJsonSlow, without building the text from
 * thousands of small string concatenations (the slow path was a tenth of a backfill's CPU, and more in GC).
 */
export function canonicalJson(value: Json): string {
  if (typeof value !== "object" || value === null) return canonicalJsonSlow(value);
  const names = new Set<string>();
  check(value, names);
  return JSON.stringify(value, [...names].sort());
}

function check(value: Json, names: Set<string>): void {
  switch (typeof value) {
    case "string":
    case "boolean":
      return;
    case "number":
      if (!Number.isSafeInteger(value)) throw new CodecError(`only safe integers are stored, got ${value}`);
      return;
    case "object": {
      if (value === null) return;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) check(value[i]!, names);
        return;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) {
        throw new CodecError("only plain objects are stored");
      }
      for (const name of Object.keys(value)) {
        if (name === "__proto__") throw new CodecError("the key __proto__ is not stored");
        const v = value[name];
        if (v === undefined) continue;
        names.add(name);
        check(v, names);
      }
      return;
    }
    default:
      throw new CodecError(`cannot store a ${typeof value}`);
  }
}

/** The reference implementation (text built by recursion): canonicalJson writes the same bytes. */
export function canonicalJsonSlow(value: Json): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      if (!Number.isSafeInteger(value)) throw new CodecError(`only safe integers are stored, got ${value}`);
      return String(value);
    case "boolean":
      return value ? "true" : "false";
    case "object": {
      if (value === null) return "null";
      if (Array.isArray(value)) {
        let out = "[";
        for (let i = 0; i < value.length; i++) out += (i === 0 ? "" : ",") + canonicalJsonSlow(value[i]!);
        return `${out}]`;
      }
      const names = Object.keys(value).sort();
      let out = "{";
      let first = true;
      for (const name of names) {
        const v = value[name];
        if (v === undefined) continue;
        out += `${first ? "" : ","}${quoted(name)}:${canonicalJsonSlow(v)}`;
        first = false;
      }
      return `${out}}`;
    }
    default:
      throw new CodecError(`cannot store a ${typeof value}`);
  }
}

export function decodeJson<T extends Json = Json>(text: string): T {
  return JSON.parse(text) as T;
}
