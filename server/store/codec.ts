/**
 * Values are canonical JSON: object keys sorted, no whitespace, integers beyond 2^53 as decimal
 * strings (the handlers produce them so). Two gateways on one chain write the same bytes.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export class CodecError extends Error {
  override name = "CodecError";
}

export function canonicalJson(value: Json): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isSafeInteger(value)) throw new CodecError(`only safe integers are stored, got ${value}`);
      return String(value);
    case "string":
      return JSON.stringify(value);
    case "object": {
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
      const names = Object.keys(value).sort();
      const parts: string[] = [];
      for (const name of names) {
        const v = value[name];
        if (v === undefined) continue;
        parts.push(`${JSON.stringify(name)}:${canonicalJson(v)}`);
      }
      return `{${parts.join(",")}}`;
    }
    default:
      throw new CodecError(`cannot store a ${typeof value}`);
  }
}

export function decodeJson<T extends Json = Json>(text: string): T {
  return JSON.parse(text) as T;
}
