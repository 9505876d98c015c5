import { createHash } from "node:crypto";
import { keccak256 } from "ethers";
import { canonicalJson, type Json } from "../store/codec";
import type { Store } from "../store/db";
import type { EventHandler, HandlerTable, LedgerEvent, StateView } from "./types";

/**
 * Applies decoded events to the index: prefetches every key the handlers declare, runs the pure
 * handlers in chain order against an in-memory overlay, and returns per block the ordered writes
 * (for the digest), the undo records (prior values) when asked, and the final value of every key.
 */

export const ZERO_DIGEST = `0x${"00".repeat(32)}`;

/** An encoded write: `value` is canonical JSON text, null deletes. */
export interface EncodedWrite {
  key: string;
  value: string | null;
}

export interface BlockResult {
  number: number;
  blockHash: string;
  writes: EncodedWrite[];
  /** [key, prior canonical value or null], in first-write order; only when undo is tracked. */
  undo: [string, string | null][];
}

export interface ApplyResult {
  blocks: BlockResult[];
  /** Final value of every key written (canonical JSON or null for deleted). */
  final: Map<string, string | null>;
}

export class UndeclaredReadError extends Error {
  override name = "UndeclaredReadError";
}

export async function applyEvents(
  store: Store,
  handlers: HandlerTable,
  events: LedgerEvent[],
  options: {
    trackUndo: boolean;
    /** Values a batch still being written will give keys (its `final`): read before the store. */
    pending?: ReadonlyMap<string, string | null>;
  },
): Promise<ApplyResult> {
  const resolved: [LedgerEvent, EventHandler][] = [];
  for (const e of events) {
    const h = handlers[e.contract]?.[e.event];
    if (h) resolved.push([e, h]);
  }

  // Prefetch every declared read in one getMany.
  const base = new Map<string, string | null>();
  const wanted = new Set<string>();
  for (const [e, h] of resolved) for (const key of h.reads(e)) wanted.add(key);
  if (options.pending) for (const key of wanted) if (options.pending.has(key)) base.set(key, options.pending.get(key)!);
  await loadBase(store, base, [...wanted]);

  const current = new Map<string, string | null>();
  const parsed = new Map<string, Json | undefined>();
  let declared: Set<string> = new Set();
  const view: StateView = {
    get<T extends Json>(key: string): T | undefined {
      if (!declared.has(key)) throw new UndeclaredReadError(`handler read undeclared key ${key}`);
      if (parsed.has(key)) return parsed.get(key) as T | undefined;
      const raw = current.has(key) ? current.get(key)! : base.get(key);
      const value = raw === null || raw === undefined ? undefined : (JSON.parse(raw) as T);
      parsed.set(key, value);
      return value;
    },
  };

  const blocks: BlockResult[] = [];
  let block: BlockResult | undefined;
  let firstWrites = new Set<string>();
  const undoUnknown: [BlockResult, number, string][] = [];
  for (const [e, h] of resolved) {
    if (!block || block.number !== e.blockNumber) {
      block = { number: e.blockNumber, blockHash: e.blockHash, writes: [], undo: [] };
      blocks.push(block);
      firstWrites = new Set();
    }
    declared = new Set(h.reads(e));
    for (const w of h.apply(e, view)) {
      const encoded = w.value === null ? null : canonicalJson(w.value);
      if (options.trackUndo && !firstWrites.has(w.key)) {
        firstWrites.add(w.key);
        if (current.has(w.key)) block.undo.push([w.key, current.get(w.key)!]);
        else if (base.has(w.key)) block.undo.push([w.key, base.get(w.key)!]);
        else {
          block.undo.push([w.key, null]);
          undoUnknown.push([block, block.undo.length - 1, w.key]);
        }
      }
      current.set(w.key, encoded);
      parsed.delete(w.key);
      block.writes.push({ key: w.key, value: encoded });
    }
  }
  if (block && block.writes.length === 0) blocks.pop();

  // Prior values of keys written but never read: fetch them now.
  if (undoUnknown.length > 0) {
    if (options.pending) for (const [, , key] of undoUnknown) if (!base.has(key) && options.pending.has(key)) base.set(key, options.pending.get(key)!);
    const missing = [...new Set(undoUnknown.map(([, , key]) => key))].filter((k) => !base.has(k));
    await loadBase(store, base, missing);
    for (const [b, i, key] of undoUnknown) b.undo[i] = [key, base.get(key) ?? null];
  }
  return { blocks: blocks.filter((b) => b.writes.length > 0), final: current };
}

async function loadBase(store: Store, base: Map<string, string | null>, keys: string[]): Promise<void> {
  const todo = keys.filter((k) => !base.has(k));
  for (let i = 0; i < todo.length; i += 10_000) {
    const chunk = todo.slice(i, i + 10_000);
    const raws = await store.getManyRaw(chunk);
    chunk.forEach((key, j) => base.set(key, raws[j] ?? null));
  }
}

/**
 * digest_n = keccak256(digest_prev (32 bytes) || n (uint64 big-endian) || blockHash (32 bytes) ||
 * sha256(the block's changes in order)), each change encoded as u32 key length, key, then 0xffffffff
 * for a delete or u32 value length and the value (canonical JSON). The changes are hashed with Node's
 * native SHA-256 (megabytes per range; a JavaScript keccak there took most of the indexing time);
 * the chain of digests uses keccak256. Blocks without ledger events leave the digest unchanged.
 */
export function blockDigest(previous: string, number: number, blockHash: string, writes: EncodedWrite[]): string {
  // The changes are encoded into one scratch buffer (Buffer.write encodes and counts the UTF-8 bytes in
  // one pass; the length goes in front once known) and hashed in large chunks, not 4 updates per write.
  const changes = createHash("sha256");
  let buf = scratch;
  let at = 0;
  const put = (text: string): void => {
    const room = 4 + 3 * text.length; // UTF-8 takes at most 3 bytes per UTF-16 unit
    if (at + room > buf.length) {
      changes.update(buf.subarray(0, at));
      at = 0;
      if (room > buf.length) buf = Buffer.allocUnsafe(room);
    }
    const written = buf.write(text, at + 4, "utf8");
    buf.writeUInt32BE(written, at);
    at += 4 + written;
  };
  for (const w of writes) {
    put(w.key);
    if (w.value === null) {
      if (at + 4 > buf.length) {
        changes.update(buf.subarray(0, at));
        at = 0;
      }
      buf.writeUInt32BE(0xffffffff, at);
      at += 4;
    } else put(w.value);
  }
  changes.update(buf.subarray(0, at));
  const n = Buffer.alloc(8);
  n.writeBigUInt64BE(BigInt(number));
  return keccak256(Buffer.concat([Buffer.from(previous.slice(2), "hex"), n, Buffer.from(blockHash.slice(2), "hex"), changes.digest()]));
}

/** blockDigest's encoding buffer (one process indexes one chain at a time; blockDigest is synchronous). */
const scratch = Buffer.allocUnsafe(1 << 20);
