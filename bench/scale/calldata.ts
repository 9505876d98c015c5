/**
 * Hand-rolled ABI encoding of the few call shapes the scale generator sends millions of times.
 * ethers' encoder costs about 0.6 ms per updateInventory call on this machine, which made the
 * JavaScript side, not Anvil, the bottleneck of a ten-million-event generation. These functions write
 * the same bytes (bench/scale/calldata.check.ts compares them with ethers on every shape).
 */
import { id } from "ethers";

/** The 4-byte selector of a signature, without 0x. */
export const selector = (signature: string): string => id(signature).slice(2, 10);

/** One 32-byte word of an unsigned integer, bool or address, as 64 hex digits. */
export function word(v: bigint | number | boolean | string): string {
  if (typeof v === "string") return v.replace(/^0x/, "").toLowerCase().padStart(64, "0");
  if (typeof v === "boolean") return v ? "1".padStart(64, "0") : "0".padStart(64, "0");
  return v.toString(16).padStart(64, "0");
}

/** Bytes (hex without 0x) as an ABI `bytes`/`string` tail: length word, data padded to 32 bytes. */
function tail(hex: string): string {
  const len = hex.length / 2;
  const pad = (64 - (hex.length % 64)) % 64;
  return word(len) + hex + "0".repeat(pad);
}

const utf8Hex = (s: string): string => Buffer.from(s, "utf8").toString("hex");

/** A head of static words and string arguments: `args` items are words (64 hex) or { text }. */
export function call(sel: string, args: (string | { text: string })[]): string {
  let head = "";
  let tails = "";
  const headSize = args.length * 32;
  for (const a of args) {
    if (typeof a === "string") head += a;
    else {
      head += word(headSize + tails.length / 2);
      tails += tail(utf8Hex(a.text));
    }
  }
  return `0x${sel}${head}${tails}`;
}

/** BenchForwarder.run(address[] targets, bytes[] calls). */
export function runCall(sel: string, targets: string[], calls: string[]): string {
  const n = targets.length;
  let out = sel + word(0x40) + word(0x40 + 32 + 32 * n) + word(n);
  for (const t of targets) out += word(t);
  out += word(n);
  let offset = 32 * n;
  const bodies: string[] = [];
  for (const c of calls) {
    out += word(offset);
    const body = tail(c.slice(2));
    bodies.push(body);
    offset += body.length / 2;
  }
  return `0x${out}${bodies.join("")}`;
}

/** An ABI array of dynamic elements: length, offsets from after the length word, then the elements. */
function dynamicArray(elements: string[]): string {
  let out = word(elements.length);
  let offset = 32 * elements.length;
  for (const e of elements) {
    out += word(offset);
    offset += e.length / 2;
  }
  return out + elements.join("");
}

export interface RegistrationWords {
  number: bigint;
  holder: string;
  facts: { checkDigit: number; kind: number; filingDay: number; grantDay: number; dossierHash: string };
  title: string;
  ipc: string[];
  inventory: { readiness: number; willing: boolean; modes: number; selfScore: number; unitScore: number; scenarioTags: number };
}

/** PatentRegistry.registerBatch(PatentRegistration[]): ethers takes about half a second for 200 records. */
export function registerBatchCall(sel: string, records: RegistrationWords[]): string {
  const tuples = records.map((r) => {
    const f = r.facts;
    const i = r.inventory;
    const titleTail = tail(utf8Hex(r.title));
    const ipcTail = dynamicArray(r.ipc.map((code) => tail(utf8Hex(code))));
    const headWords = 15;
    return (
      word(r.number) +
      word(r.holder) +
      word(f.checkDigit) +
      word(f.kind) +
      word(f.filingDay) +
      word(f.grantDay) +
      word(f.dossierHash) +
      word(headWords * 32) +
      word(headWords * 32 + titleTail.length / 2) +
      word(i.readiness) +
      word(i.willing) +
      word(i.modes) +
      word(i.selfScore) +
      word(i.unitScore) +
      word(i.scenarioTags) +
      titleTail +
      ipcTail
    );
  });
  return `0x${sel}${word(0x20)}${dynamicArray(tuples)}`;
}
