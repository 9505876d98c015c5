import { h } from "./dom";
import { hashText, party, table } from "./format";
import { routeHash } from "./page";

/**
 * A table for items of a module whose answer shape the dashboard does not know in detail (market,
 * financing, audit answers of newer gateways): scalar fields as columns, addresses named, patent numbers
 * linked to their dossier, nested objects flattened one level ("price.amount").
 */

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const HASH = /^0x[0-9a-fA-F]{64}$/;
const CNIPA = /^ZL\d{12}\.[\dX]$/;
const MAX_COLUMNS = 9;

type Flat = Record<string, unknown>;

function flatten(item: Record<string, unknown>): Flat {
  const out: Flat = {};
  for (const [k, v] of Object.entries(item)) {
    if (v !== null && typeof v === "object" && !Array.isArray(v)) {
      for (const [k2, v2] of Object.entries(v as Record<string, unknown>)) {
        if (v2 === null || typeof v2 !== "object") out[`${k}.${k2}`] = v2;
      }
    } else {
      out[k] = v;
    }
  }
  return out;
}

export function cell(value: unknown): string | Node {
  if (value === null || value === undefined) return "—";
  if (typeof value === "string" && ADDRESS.test(value)) return party(value);
  if (typeof value === "string" && HASH.test(value)) return hashText(value);
  if (typeof value === "string" && CNIPA.test(value)) return h("a", { href: routeHash("patent", [value]) }, value);
  if (Array.isArray(value)) return value.map((v) => (typeof v === "object" ? JSON.stringify(v) : String(v))).join(", ");
  return String(value);
}

export function genericTable(caption: string, items: Record<string, unknown>[]): HTMLElement {
  const flat = items.map(flatten);
  const columns: string[] = [];
  for (const row of flat) {
    for (const k of Object.keys(row)) if (!columns.includes(k) && columns.length < MAX_COLUMNS) columns.push(k);
  }
  return table(caption, columns, flat.map((row) => columns.map((c) => cell(row[c]))));
}

/** A nested definition list of an object of unknown shape (arrays of objects become tables). */
export function objectFacts(obj: Record<string, unknown>, depth = 0): HTMLElement {
  const dl = h("dl", { class: depth === 0 ? "facts" : "facts nested" });
  for (const [k, v] of Object.entries(obj)) {
    let value: string | Node;
    if (Array.isArray(v) && v.length > 0 && v.every((x) => x !== null && typeof x === "object")) value = genericTable(k, v as Record<string, unknown>[]);
    else if (Array.isArray(v) && v.length === 0) value = "—";
    else if (v !== null && typeof v === "object" && !Array.isArray(v) && depth < 2) value = objectFacts(v as Record<string, unknown>, depth + 1);
    else value = cell(v);
    dl.append(h("dt", null, k), h("dd", null, value));
  }
  return dl;
}
