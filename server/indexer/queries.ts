import type { Store } from "../store/db";
import { idOfIndexKey, keys } from "../store/keys";
import { ZERO_DIGEST } from "./apply";
import type { EvaluationEntity, PatentEntity, TimelineEntry, TransferEntity } from "./handlers/registry";

/**
 * Read helpers the API uses. Cursors are opaque (base64url of the last key returned); a page holds at
 * most `limit` items and `next` is null on the last page.
 */

export interface Page<T> {
  items: T[];
  next: string | null;
}

export interface PageOptions {
  after?: string | null;
  limit?: number;
}

export type PatentFilter = { owner: string } | { ipc: string } | { status: number } | Record<string, never>;

export interface DigestAnswer {
  /** The block asked for (or the indexed block). */
  block: number;
  digest: string;
  /** The last block at or below `block` whose events changed the index (null: none yet). */
  changedAt: { number: number; hash: string } | null;
}

export class QueryError extends Error {
  override name = "QueryError";
}

const MAX_LIMIT = 500;

const encodeCursor = (key: string): string => Buffer.from(key, "utf8").toString("base64url");

function decodeCursor(cursor: string, prefix: string): string {
  const key = Buffer.from(cursor, "base64url").toString("utf8");
  if (!key.startsWith(prefix)) throw new QueryError("the cursor does not belong to this query");
  return key;
}

export interface Queries {
  getPatent(id: bigint | number | string): Promise<PatentEntity | undefined>;
  listPatents(filter: PatentFilter, page?: PageOptions): Promise<Page<PatentEntity>>;
  timeline(patentId: bigint | string, page?: PageOptions): Promise<Page<TimelineEntry>>;
  getTransfer(id: bigint | number | string): Promise<TransferEntity | undefined>;
  transfersOfPatent(patentId: bigint | string): Promise<TransferEntity[]>;
  evaluationsOfPatent(patentId: bigint | string): Promise<EvaluationEntity[]>;
  getDigest(block?: number): Promise<DigestAnswer>;
  /** The indexed block (the cursor) as stored. */
  indexedBlock(): Promise<{ number: number; hash: string | null } | undefined>;
}

export function createQueries(db: Store): Queries {
  async function keyPage(prefix: string, page: PageOptions): Promise<{ keys: string[]; next: string | null }> {
    const limit = Math.min(Math.max(page.limit ?? 50, 1), MAX_LIMIT);
    const found = await db.keysWithPrefix(prefix, {
      limit: limit + 1,
      ...(page.after ? { gt: decodeCursor(page.after, prefix) } : {}),
    });
    const more = found.length > limit;
    const pageKeys = more ? found.slice(0, limit) : found;
    return { keys: pageKeys, next: more ? encodeCursor(pageKeys[pageKeys.length - 1]!) : null };
  }

  async function patentsOf(ids: string[]): Promise<PatentEntity[]> {
    const values = await db.getMany<PatentEntity>(ids.map((id) => keys.patent(id)));
    return values.filter((v): v is PatentEntity => v !== undefined);
  }

  return {
    getPatent: (id) => db.get<PatentEntity>(keys.patent(id)),

    async listPatents(filter, page = {}) {
      let prefix: string;
      if ("owner" in filter) prefix = keys.byOwnerPrefix(filter.owner);
      else if ("ipc" in filter) prefix = keys.byIpcPrefix(filter.ipc);
      else if ("status" in filter) prefix = keys.byStatusPrefix(filter.status);
      else prefix = keys.patentPrefix();
      const { keys: found, next } = await keyPage(prefix, page);
      // A patent with several codes under an IPC prefix has one index key per code: once per page.
      const ids = [...new Set(found.map(idOfIndexKey))];
      return { items: await patentsOf(ids), next };
    },

    async timeline(patentId, page = {}) {
      const prefix = keys.timelinePrefix(patentId);
      const { keys: found, next } = await keyPage(prefix, page);
      const items = await db.getMany<TimelineEntry>(found);
      return { items: items.filter((v): v is TimelineEntry => v !== undefined), next };
    },

    getTransfer: (id) => db.get<TransferEntity>(keys.transfer(id)),

    async transfersOfPatent(patentId) {
      const found = await db.keysWithPrefix(keys.transfersOfPatentPrefix(patentId));
      const values = await db.getMany<TransferEntity>(found.map((k) => keys.transfer(idOfIndexKey(k))));
      return values.filter((v): v is TransferEntity => v !== undefined);
    },

    async evaluationsOfPatent(patentId) {
      const found = await db.keysWithPrefix(keys.evaluationsOfPatentPrefix(patentId));
      const values = await db.getMany<EvaluationEntity>(found.map((k) => keys.evaluation(idOfIndexKey(k))));
      return values.filter((v): v is EvaluationEntity => v !== undefined);
    },

    async getDigest(block) {
      const cursor = await db.get<{ number: number; hash: string | null }>(keys.cursor());
      const at = block ?? cursor?.number ?? 0;
      if (cursor === undefined || at > cursor.number) {
        throw new QueryError(`block ${at} is not indexed yet (indexed: ${cursor?.number ?? "nothing"})`);
      }
      for await (const [, record] of db.iterate<{ number: number; hash: string; digest: string }>({
        gte: keys.blockPrefix(),
        lte: keys.block(at),
        reverse: true,
        limit: 1,
      })) {
        return { block: at, digest: record.digest, changedAt: { number: record.number, hash: record.hash } };
      }
      return { block: at, digest: ZERO_DIGEST, changedAt: null };
    },

    indexedBlock: () => db.get<{ number: number; hash: string | null }>(keys.cursor()),
  };
}

