import type { AppContext } from "../context";
import type { PatentEntity } from "../indexer";
import type { Store } from "../store/db";
import { keys } from "../store/keys";
import type { BlockRef } from "./endpoint";
import { indexedBlock } from "./endpoint";

/**
 * Patent changes as the indexer applies blocks, for the server-sent events feed. The hub polls the
 * index cursor while it has subscribers; for each newly indexed block it reads the block's undo record
 * (the keys the block wrote, with their prior values), which the indexer keeps for blocks it follows at
 * the tip (the last REORG_WINDOW blocks). Blocks the indexer backfilled in ranges (a gateway catching up
 * after a long stop) carry no undo record and yield no events. A reorg moves the cursor back: the hub
 * says so with a `reorg` event and goes on from the new cursor.
 */

export type PatentChangeType = "patent.registered" | "patent.status" | "patent.owner" | "patent.updated";

export interface PatentChange {
  type: PatentChangeType;
  /** The last block of the poll that touched the patent. */
  block: number;
  patent: PatentEntity;
  previous: { status: string; owner: string; lockBits: number[] } | null;
}

export type HubMessage = { kind: "changes"; at: BlockRef; changes: PatentChange[] } | { kind: "reorg"; from: BlockRef; to: BlockRef };

export interface EventHub {
  subscribe(listener: (message: HubMessage) => void): () => void;
  /** Subscribers now (for tests and metrics). */
  size(): number;
  close(): void;
}

type UndoRecord = [string, string | null][];

const PATENT_KEY = /^p\/\d{20}$/;

function classify(before: PatentEntity | null, after: PatentEntity): PatentChangeType {
  if (before === null) return "patent.registered";
  if (before.statusCode !== after.statusCode) return "patent.status";
  if (before.owner !== after.owner) return "patent.owner";
  return "patent.updated";
}

/**
 * The patents changed by the blocks after `from` up to `to` (both indexed), read from the blocks' undo
 * records: one change per patent (its state now, its state before `from`), ordered by block then id.
 * Blocks without undo records (backfilled in ranges) yield none.
 */
export async function readChanges(store: Store, from: number, to: number): Promise<PatentChange[]> {
  // Prior value of each patent key before these blocks, and the last block touching it.
  const before = new Map<string, { prior: string | null; block: number }>();
  for await (const [key, undo] of store.iterate<UndoRecord>({ gt: keys.undo(from), lte: keys.undo(to) })) {
    const block = Number(key.slice(keys.undoPrefix().length));
    for (const [written, prior] of undo) {
      if (!PATENT_KEY.test(written)) continue;
      const seen = before.get(written);
      before.set(written, { prior: seen ? seen.prior : prior, block });
    }
  }
  if (before.size === 0) return [];
  const patentKeys = [...before.keys()];
  const now = await store.getMany<PatentEntity>(patentKeys);
  const changes: PatentChange[] = [];
  patentKeys.forEach((key, i) => {
    const after = now[i];
    if (!after) return;
    const { prior, block } = before.get(key)!;
    const previous = prior === null ? null : (JSON.parse(prior) as PatentEntity);
    changes.push({
      type: classify(previous, after),
      block,
      patent: after,
      previous: previous ? { status: previous.status, owner: previous.owner, lockBits: previous.lockBits } : null,
    });
  });
  changes.sort((a, b) => a.block - b.block || (a.patent.id.length - b.patent.id.length || (a.patent.id < b.patent.id ? -1 : 1)));
  return changes;
}

export function createEventHub(ctx: AppContext, pollMs = 200): EventHub {
  const listeners = new Set<(message: HubMessage) => void>();
  let timer: NodeJS.Timeout | undefined;
  let last: BlockRef | undefined;
  let polling = false;

  const emit = (message: HubMessage) => {
    for (const listener of listeners) listener(message);
  };

  async function poll(): Promise<void> {
    if (polling || !ctx.index) return;
    polling = true;
    try {
      const at = await indexedBlock(ctx);
      if (last === undefined) {
        last = at;
        return;
      }
      if (at.number < last.number || (at.number === last.number && at.hash !== last.hash)) {
        emit({ kind: "reorg", from: last, to: at });
        last = at;
        return;
      }
      if (at.number === last.number) return;
      const changes = await readChanges(ctx.index.store, last.number, at.number);
      last = at;
      if (changes.length === 0) return;
      emit({ kind: "changes", at, changes });
    } catch (err) {
      ctx.logger.warn({ err }, "event feed poll failed");
    } finally {
      polling = false;
    }
  }

  return {
    subscribe(listener) {
      listeners.add(listener);
      if (!timer) {
        last = undefined;
        void poll();
        timer = setInterval(() => void poll(), pollMs);
        timer.unref();
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && timer) {
          clearInterval(timer);
          timer = undefined;
        }
      };
    },
    size: () => listeners.size,
    close() {
      listeners.clear();
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}

