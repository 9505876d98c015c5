/**
 * Bounded caches of serialised answers (issue 6: API throughput).
 *
 * `ByteLru` keeps values by key, least recently used first out, bounded by the bytes of keys and values.
 * `createResponseCache` holds the serialised JSON answers of indexed reads, valid for one state of the index:
 * an answer read while the store was unwritten is exactly what a fresh read would give until the next write
 * (the store is the only writer, and every block's writes and its cursor move in one batch), so the cache is
 * emptied whenever the store's write version moves (a new block, a rollback, a webhook cursor).
 */

/** A value with its size in bytes. */
export interface Sized {
  bytes: number;
}

/** Least-recently-used map bounded by the bytes of its entries (key length plus `value.bytes`). */
export class ByteLru<V extends Sized> {
  private readonly entries = new Map<string, V>();
  private used = 0;

  constructor(readonly maxBytes: number) {}

  /** Bytes held (keys and values). */
  get bytes(): number {
    return this.used;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    // Most recently used last.
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  /** Stores the value unless it alone exceeds the bound; evicts the least recently used to fit. */
  set(key: string, value: V): void {
    const cost = key.length + value.bytes;
    this.delete(key);
    if (cost > this.maxBytes) return;
    this.entries.set(key, value);
    this.used += cost;
    for (const [oldest, old] of this.entries) {
      if (this.used <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.used -= oldest.length + old.bytes;
    }
  }

  delete(key: string): void {
    const old = this.entries.get(key);
    if (old === undefined) return;
    this.entries.delete(key);
    this.used -= key.length + old.bytes;
  }

  clear(): void {
    this.entries.clear();
    this.used = 0;
  }
}

/** A serialised answer as sent: the body bytes and their ETag. */
export interface CachedAnswer extends Sized {
  body: Buffer;
  etag: string;
}

/** Default bound of the response cache: 64 MiB of answers (a dossier is about 2-4 KiB). */
export const RESPONSE_CACHE_BYTES = 64 * 1024 * 1024;

export interface ResponseCache {
  /** The answer cached for `key` at store version `version`, if any. */
  get(version: number, key: string): CachedAnswer | undefined;
  /** Keeps `answer` for `key` as true at store version `version` (ignored if the store has moved since). */
  set(version: number, key: string, answer: CachedAnswer): void;
  readonly stats: { hits: number; misses: number; bytes: number; entries: number };
}

export function createResponseCache(maxBytes = RESPONSE_CACHE_BYTES): ResponseCache {
  const lru = new ByteLru<CachedAnswer>(maxBytes);
  let at = -1;
  let hits = 0;
  let misses = 0;
  const moveTo = (version: number) => {
    if (version !== at) {
      lru.clear();
      at = version;
    }
  };
  return {
    get(version, key) {
      moveTo(version);
      const answer = lru.get(key);
      if (answer) hits++;
      else misses++;
      return answer;
    },
    set(version, key, answer) {
      // An older read (the store moved while it ran) is not kept; a newer version empties the cache first.
      if (version < at) return;
      moveTo(version);
      lru.set(key, answer);
    },
    get stats() {
      return { hits, misses, bytes: lru.bytes, entries: lru.size };
    },
  };
}
