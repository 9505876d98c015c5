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

export function canonicalJson(value: Json): string {
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
        for (let i = 0; i < value.length; i++) out += (i === 0 ? "" : ",") + canonicalJson(value[i]!);
        return `${out}]`;
      }
      const names = Object.keys(value).sort();
      let out = "{";
      let first = true;
      for (const name of names) {
        const v = value[name];
        if (v === undefined) continue;
        out += `${first ? "" : ","}${quoted(name)}:${canonicalJson(v)}`;
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
