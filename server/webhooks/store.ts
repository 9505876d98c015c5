import type { Store } from "../store/db";
import { keys, prefixEnd } from "../store/keys";

/**
 * Webhook registrations, their delivery records and the pending deliveries, kept in the gateway's
 * LevelDB under the gateway-local key space `g/wh/` (keys.ts): never written by the indexer, so outside
 * the index digest and every rebuild comparison; they survive restarts and `gateway.ts rebuild`.
 * The API writes registrations (`g/wh/s/<id>`); the dispatcher writes delivery records (`g/wh/st/<id>`)
 * and the queue (`g/wh/q/<due ms>/<delivery id>`), so the two never overwrite each other's keys.
 */

export const WEBHOOK_EVENTS = ["patent.listed", "patent.dormant"] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Most webhooks one gateway holds. */
export const MAX_WEBHOOKS = 1000;

export const WEBHOOK_ID = /^wh_[0-9a-f]{24}$/;

export type WebhookFilter = {
  /** GB/T 4754-2017 codes or priority industry ids; a patent matches through the concordance. */
  industries: string[];
  /** IPC prefixes. */
  ipc: string[];
};

export type WebhookRecord = {
  id: string;
  url: string;
  events: WebhookEvent[];
  filter: WebhookFilter;
  secret: string;
  /** When it was registered, and the indexed block then: changes of later blocks are delivered. */
  created: { at: string; block: number };
};

export type WebhookState = {
  status: "active" | "failing";
  delivered: number;
  /** Deliveries dropped after the last attempt failed. */
  failed: number;
  lastAttempt: { at: string; delivery: string; ok: boolean; status: number | null; error: string | null } | null;
};

export type PendingDelivery = {
  id: string;
  webhook: string;
  event: WebhookEvent;
  /** The exact JSON text POSTed (and signed) on every attempt. */
  body: string;
  /** Attempts made so far. */
  attempts: number;
};

export const INITIAL_STATE: WebhookState = { status: "active", delivered: 0, failed: 0, lastAttempt: null };

export interface WebhookStore {
  add(record: WebhookRecord): Promise<void>;
  get(id: string): Promise<WebhookRecord | undefined>;
  list(): Promise<WebhookRecord[]>;
  count(): Promise<number>;
  state(id: string): Promise<WebhookState>;
  /** Removes the registration and its delivery record; pending deliveries are dropped when they come due. */
  remove(id: string): Promise<boolean>;
}

export function createWebhookStore(store: Store): WebhookStore {
  return {
    async add(record) {
      await store.batch([{ key: keys.webhook(record.id), value: record }]);
    },
    get: (id) => store.get<WebhookRecord>(keys.webhook(id)),
    async list() {
      const out: WebhookRecord[] = [];
      const prefix = keys.webhookPrefix();
      for await (const [, record] of store.iterate<WebhookRecord>({ gte: prefix, lt: prefixEnd(prefix), limit: MAX_WEBHOOKS })) out.push(record);
      return out;
    },
    async count() {
      return (await store.keysWithPrefix(keys.webhookPrefix(), { limit: MAX_WEBHOOKS })).length;
    },
    async state(id) {
      return (await store.get<WebhookState>(keys.webhookState(id))) ?? INITIAL_STATE;
    },
    async remove(id) {
      if ((await store.getRaw(keys.webhook(id))) === undefined) return false;
      await store.batch([
        { key: keys.webhook(id), value: null },
        { key: keys.webhookState(id), value: null },
      ]);
      return true;
    },
  };
}
