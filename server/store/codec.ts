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
 * returns it as is where every object already has its keys in sorted order and no undefined field, or
 * a copy with sorted keys where not; native JSON.stringify (its fast path, no replacer) then writes it.
 * Same bytes as canonicalJsonSlow. An object with a key starting with a digit (V8 enumerates integer
 * keys first, whatever their insertion order) takes canonicalJsonSlow. JSON.stringify with a sorted key
 * list as replacer, used before, looked every name of the list up on every object: an eighth of a backfill's CPU.
 */
export function canonicalJson(value: Json): string {
  if (typeof value !== "object" || value === null) return canonicalJsonSlow(value);
  digitKey = false;
  const sorted = normalize(value);
  return digitKey ? canonicalJsonSlow(value) : JSON.stringify(sorted);
}

/** Set by normalize when an object has a key starting with a digit. */
let digitKey = false;

type JsonObject = { [key: string]: Json };

/** The first `count` fields of an object whose keys are in order and whose values need no change. */
function copyFirst(value: JsonObject, names: string[], count: number): JsonObject {
  const out: JsonObject = {};
  for (let i = 0; i < count; i++) out[names[i]!] = value[names[i]!]!;
  return out;
}

/** The value itself when it is already canonical in key order, else a copy that is; throws what canonicalJsonSlow throws. */
function normalize(value: Json): Json {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      if (!Number.isSafeInteger(value)) throw new CodecError(`only safe integers are stored, got ${value}`);
      return value;
    case "object": {
      if (value === null) return value;
      if (Array.isArray(value)) {
        let out: Json[] | undefined;
        for (let i = 0; i < value.length; i++) {
          const v = value[i]!;
          const n = normalize(v);
          if (out !== undefined) out.push(n);
          else if (n !== v) {
            out = value.slice(0, i);
            out.push(n);
          }
        }
        return out ?? value;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) {
        throw new CodecError("only plain objects are stored");
      }
      const names = Object.keys(value);
      let inOrder = true;
      for (let i = 0; i < names.length; i++) {
        const name = names[i]!;
        if (name === "__proto__") throw new CodecError("the key __proto__ is not stored");
        const c = name.charCodeAt(0);
        if (c >= 48 && c <= 57) digitKey = true;
        if (i > 0 && names[i - 1]! > name) inOrder = false;
      }
      let out: JsonObject | undefined;
      if (!inOrder) {
        names.sort();
        out = {};
      }
      for (let i = 0; i < names.length; i++) {
        const name = names[i]!;
        const v = value[name];
        if (v === undefined) {
          out ??= copyFirst(value, names, i);
          continue;
        }
        const n = normalize(v);
        if (out !== undefined) out[name] = n;
        else if (n !== v) {
          out = copyFirst(value, names, i);
          out[name] = n;
        }
      }
      return out ?? value;
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
