import { ClassicLevel } from "classic-level";
import { canonicalJson, decodeJson, type Json } from "./codec";
import { prefixEnd } from "./keys";

/** One write of an atomic batch; `value: null` deletes the key. */
export interface StoreWrite {
  key: string;
  value: Json | null;
}

export interface IterateOptions {
  gt?: string;
  gte?: string;
  lt?: string;
  lte?: string;
  limit?: number;
  reverse?: boolean;
}

/**
 * A thin typed wrapper over LevelDB (classic-level): string keys from keys.ts, canonical JSON values,
 * atomic batches. Only one process may open a database at a time.
 */
export interface Store {
  readonly location: string;
  get<T extends Json>(key: string): Promise<T | undefined>;
  getMany<T extends Json>(keys: string[]): Promise<(T | undefined)[]>;
  /** Raw stored text (for digests and byte comparisons). */
  getRaw(key: string): Promise<string | undefined>;
  getManyRaw(keys: string[]): Promise<(string | undefined)[]>;
  batch(writes: StoreWrite[]): Promise<void>;
  /** A batch of already-encoded values (canonical JSON text); null deletes. Applied in order. */
  batchEncoded(writes: { key: string; value: string | null }[]): Promise<void>;
  iterate<T extends Json>(options: IterateOptions): AsyncIterable<[string, T]>;
  iterateRaw(options: IterateOptions): AsyncIterable<[string, string]>;
  keysWithPrefix(prefix: string, options?: { limit?: number; gt?: string }): Promise<string[]>;
  /** Deletes every key in one atomic batch (LevelDB's clear() is not atomic). */
  wipe(): Promise<void>;
  /**
   * Changes whenever a write through this store starts or ends (it is the only writer: one process opens the
   * database), so a value read while it stays the same is still current. Lets readers cache hot keys.
   */
  version(): number;
  close(): Promise<void>;
}

export async function openStore(location: string): Promise<Store> {
  // A larger write buffer than LevelDB's 4 MiB: backfill batches are a few MiB each.
  const db = new ClassicLevel<string, string>(location, { keyEncoding: "utf8", valueEncoding: "utf8", writeBufferSize: 16 * 1024 * 1024 });
  await db.open();

  let version = 0;
  /** Every write goes through here: the version moves before and after it (see Store.version). */
  async function write(ops: ({ type: "put"; key: string; value: string } | { type: "del"; key: string })[]): Promise<void> {
    version++;
    try {
      await db.batch(ops);
    } finally {
      version++;
    }
  }

  async function* iterateRaw(options: IterateOptions): AsyncIterable<[string, string]> {
    for await (const entry of db.iterator({ ...options, limit: options.limit ?? -1 })) yield entry;
  }

  return {
    location,
    async get<T extends Json>(key: string) {
      const raw = await db.get(key);
      return raw === undefined ? undefined : decodeJson<T>(raw);
    },
    async getMany<T extends Json>(keys: string[]) {
      if (keys.length === 0) return [];
      const raws = await db.getMany(keys);
      return raws.map((raw) => (raw === undefined ? undefined : decodeJson<T>(raw)));
    },
    async getRaw(key) {
      return db.get(key);
    },
    async getManyRaw(keys) {
      return keys.length === 0 ? [] : db.getMany(keys);
    },
    async batchEncoded(writes) {
      if (writes.length === 0) return;
      await write(
        writes.map((w) => (w.value === null ? { type: "del" as const, key: w.key } : { type: "put" as const, key: w.key, value: w.value })),
      );
    },
    async batch(writes) {
      if (writes.length === 0) return;
      await write(
        writes.map((w) =>
          w.value === null ? { type: "del" as const, key: w.key } : { type: "put" as const, key: w.key, value: canonicalJson(w.value) },
        ),
      );
    },
    async *iterate<T extends Json>(options: IterateOptions): AsyncIterable<[string, T]> {
      for await (const [key, raw] of iterateRaw(options)) yield [key, decodeJson<T>(raw)];
    },
    iterateRaw,
    async keysWithPrefix(prefix, options = {}) {
      const out: string[] = [];
      const bounds = options.gt !== undefined ? { gt: options.gt } : { gte: prefix };
      for await (const key of db.keys({ ...bounds, lt: prefixEnd(prefix), limit: options.limit ?? -1 })) out.push(key);
      return out;
    },
    async wipe() {
      const all: StoreWrite[] = [];
      for await (const key of db.keys()) all.push({ key, value: null });
      await write(all.map((w) => ({ type: "del" as const, key: w.key })));
    },
    version: () => version,
    async close() {
      await db.close();
    },
  };
}
