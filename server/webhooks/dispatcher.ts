import { createHash } from "node:crypto";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { AppContext } from "../context";
import { LegalStatus, LockBits } from "../chain/roles";
import type { PatentEntity } from "../indexer";
import { addYears } from "../indexer/expiry";
import { indexedBlock, type BlockRef } from "../api/endpoint";
import { loadConcordance, type Concordance } from "../api/concordance";
import { readChanges } from "../api/events";
import { createReader, DORMANT_YEARS } from "../api/read";
import { patentView } from "../api/schemas";
import type { StoreWrite } from "../store/db";
import { idOfIndexKey, keys, prefixEnd } from "../store/keys";
import { compileFilter } from "./filter";
import { ATTEMPT_HEADER, DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signBody } from "./signature";
import { createWebhookStore, type PendingDelivery, type WebhookEvent, type WebhookRecord, type WebhookState } from "./store";
import { checkWebhookUrl, guardedLookup } from "./url";

/**
 * The webhook dispatcher: a background loop beside the indexer, never in its path (the indexer does not
 * wait for it; it only reads what the indexer committed).
 *
 * 1. Enqueue. For the blocks indexed since its cursor (`g/wh/cursor`) it reads the patents they changed
 *    (the undo records, as the SSE feed does) and derives `patent.listed` (the LISTED lock bit appeared)
 *    and `patent.dormant` (a patent registered or restored to Valid that is already dormant); once per
 *    calendar day it sweeps valid patents for those that turned dormant since the last sweep (five years
 *    after grant, no transfer, licence, pledge or equity record). Each match with a webhook's events and
 *    filter becomes a pending delivery; the deliveries and the new cursor go in one batch, so a crash
 *    neither loses nor doubles them.
 * 2. Send. Due deliveries are POSTed (a few at a time, each with a timeout) with the signature, delivery
 *    id, event and attempt headers. A 2xx answer completes it; anything else (other status, timeout,
 *    refused connection) reschedules it after retryBaseMs * 2^(attempt-1) (at most one hour), until
 *    maxAttempts: then it is dropped and the webhook marked `failing` (a later success marks it active).
 *    Delivery is at least once: a receiver that answered too late gets the same delivery id again.
 * A reorg moves the cursor to the new indexed block; deliveries already made are not recalled.
 */

export interface WebhookDispatcherOptions {
  /** How often the loop looks for new blocks and due deliveries. */
  pollMs?: number;
  /** Deliveries in flight at once. */
  concurrency?: number;
  /** The clock (ms since 1970): tests move it. */
  now?: () => number;
}

export interface WebhookDispatcher {
  start(): void;
  /** Stops the loop and waits for deliveries in flight. */
  stop(): Promise<void>;
  /** One round: enqueue from new blocks (and the daily sweep), then send what is due. */
  tick(): Promise<void>;
}

export type DeliveryBody = {
  id: string;
  type: WebhookEvent;
  webhook: string;
  /** The block of the change (for the daily dormancy sweep: the indexed block at the sweep). */
  block: number;
  /** For patent.dormant: the calendar day (days since 1970, China Standard Time) it became dormant. */
  dormantSince: number | null;
  patent: ReturnType<typeof patentView>;
};

const MAX_BACKOFF_MS = 3_600_000;
const MAX_ERROR_TEXT = 200;

const deliveryId = (webhook: string, type: WebhookEvent, patentId: string, at: string): string =>
  `dl_${createHash("sha256").update(`${webhook}|${type}|${patentId}|${at}`).digest("hex").slice(0, 32)}`;

export function createWebhookDispatcher(ctx: AppContext, options: WebhookDispatcherOptions = {}): WebhookDispatcher {
  if (!ctx.index) throw new Error("webhooks need the gateway's index");
  const store = ctx.index.store;
  const hooks = createWebhookStore(store);
  const settings = ctx.config.webhooks;
  const now = options.now ?? (() => Date.now());
  const pollMs = options.pollMs ?? 500;
  const concurrency = options.concurrency ?? 4;
  const reader = createReader(store, { scanLimit: ctx.config.searchScanLimit, now });
  const log = ctx.logger.child({ part: "webhooks" });
  let concordance: Concordance | undefined;
  const filters = new Map<string, (p: PatentEntity) => boolean>();
  const inFlight = new Map<string, Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  // Delivery records are read-modify-written: one at a time.
  let stateChain: Promise<void> = Promise.resolve();

  function matcher(hook: WebhookRecord): (p: PatentEntity) => boolean {
    let m = filters.get(hook.id);
    if (!m) {
      m = compileFilter((concordance ??= loadConcordance()), hook.filter);
      filters.set(hook.id, m);
    }
    return m;
  }

  function delivery(hook: WebhookRecord, type: WebhookEvent, patent: PatentEntity, block: number, dormantSince: number | null, dueMs: number): StoreWrite {
    const id = deliveryId(hook.id, type, patent.id, dormantSince === null ? `block:${block}` : `day:${dormantSince}`);
    const body: DeliveryBody = { id, type, webhook: hook.id, block, dormantSince, patent: patentView(patent) };
    const pending: PendingDelivery = { id, webhook: hook.id, event: type, body: JSON.stringify(body), attempts: 0 };
    return { key: keys.webhookDelivery(dueMs, id), value: pending };
  }

  async function enqueue(): Promise<void> {
    const at = await indexedBlock(ctx);
    const cursor = await store.get<BlockRef>(keys.webhookCursor());
    if (cursor === undefined || at.number < cursor.number || (at.number === cursor.number && at.hash !== cursor.hash)) {
      if (cursor !== undefined) log.warn({ from: cursor, to: at }, "the index moved back (reorg): webhook deliveries go on from the new block");
      await store.batch([{ key: keys.webhookCursor(), value: at }]);
      return;
    }
    const webhooks = await hooks.list();
    const writes: StoreWrite[] = [];
    const due = now();
    const day = reader.today();
    if (at.number > cursor.number && webhooks.length > 0) {
      for (const change of await readChanges(store, cursor.number, at.number)) {
        const types: [WebhookEvent, number | null][] = [];
        const wasListed = change.previous?.lockBits.includes(LockBits.LISTED) ?? false;
        if (change.patent.lockBits.includes(LockBits.LISTED) && !wasListed) types.push(["patent.listed", null]);
        if ((change.previous === null || change.previous.status !== change.patent.status) && (await reader.isDormant(change.patent, day))) {
          types.push(["patent.dormant", addYears(change.patent.grantDay, DORMANT_YEARS)]);
        }
        for (const [type, since] of types) {
          for (const hook of webhooks) {
            if (hook.created.block >= change.block || !hook.events.includes(type) || !matcher(hook)(change.patent)) continue;
            writes.push(delivery(hook, type, change.patent, change.block, since, due));
          }
        }
      }
    }
    if (at.number > cursor.number) writes.push({ key: keys.webhookCursor(), value: at });
    writes.push(...(await sweepDormant(at, day, webhooks, due)));
    await store.batch(writes);
  }

  /** Deliveries for patents that became dormant after the last swept day, up to `day` (once a day). */
  async function sweepDormant(at: BlockRef, day: number, webhooks: WebhookRecord[], due: number): Promise<StoreWrite[]> {
    const last = await store.get<number>(keys.webhookDormantDay());
    if (last !== undefined && last >= day) return [];
    const writes: StoreWrite[] = [{ key: keys.webhookDormantDay(), value: day }];
    const wanting = webhooks.filter((h) => h.events.includes("patent.dormant"));
    if (last === undefined || wanting.length === 0) return writes;
    const prefix = keys.byStatusPrefix(LegalStatus.Valid);
    let ids: string[] = [];
    const flush = async () => {
      const patents = await store.getMany<PatentEntity>(ids.map((id) => keys.patent(id)));
      ids = [];
      for (const p of patents) {
        if (!p || p.grantDay === 0) continue;
        const since = addYears(p.grantDay, DORMANT_YEARS);
        if (since <= last || since > day || !(await reader.isDormant(p, day))) continue;
        for (const hook of wanting) if (matcher(hook)(p)) writes.push(delivery(hook, "patent.dormant", p, at.number, since, due));
      }
    };
    for await (const [key] of store.iterateRaw({ gte: prefix, lt: prefixEnd(prefix) })) {
      ids.push(idOfIndexKey(key));
      if (ids.length >= 256) await flush();
    }
    await flush();
    return writes;
  }

  function updateState(hookId: string, change: (s: WebhookState) => WebhookState): Promise<void> {
    const next = stateChain.then(async () => {
      if ((await hooks.get(hookId)) === undefined) return; // deleted meanwhile
      await store.batch([{ key: keys.webhookState(hookId), value: change(await hooks.state(hookId)) }]);
    });
    stateChain = next.catch(() => undefined);
    return next;
  }

  function post(url: string, pending: PendingDelivery, attempt: number, secret: string): Promise<number> {
    const target = checkWebhookUrl(url, settings.allowPrivate);
    const send = target.protocol === "https:" ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(
        target,
        {
          method: "POST",
          timeout: settings.timeoutMs,
          ...(settings.allowPrivate ? {} : { lookup: guardedLookup }),
          headers: {
            "content-type": "application/json",
            "content-length": Buffer.byteLength(pending.body),
            "user-agent": "tianfu-gateway-webhooks/1",
            [DELIVERY_HEADER]: pending.id,
            [EVENT_HEADER]: pending.event,
            [ATTEMPT_HEADER]: String(attempt),
            [SIGNATURE_HEADER]: signBody(secret, pending.body),
          },
        },
        (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
          res.on("error", reject);
        },
      );
      // `timeout` catches an idle socket; the deadline also catches a receiver that trickles its answer.
      const tooLate = () => req.destroy(new Error(`no answer within ${settings.timeoutMs} ms`));
      const deadline = setTimeout(tooLate, settings.timeoutMs);
      req.on("timeout", tooLate);
      req.on("error", reject);
      req.on("close", () => clearTimeout(deadline));
      req.end(pending.body);
    });
  }

  async function attempt(key: string, pending: PendingDelivery): Promise<void> {
    const hook = await hooks.get(pending.webhook);
    if (!hook) {
      await store.batch([{ key, value: null }]); // the webhook was deleted: its deliveries stop
      return;
    }
    const n = pending.attempts + 1;
    let status: number | null = null;
    let error: string | null = null;
    try {
      status = await post(hook.url, pending, n, hook.secret);
      if (status < 200 || status >= 300) error = `answered ${status}`;
    } catch (err) {
      error = (err as Error).message.slice(0, MAX_ERROR_TEXT);
    }
    const ok = error === null;
    const last = { at: new Date(now()).toISOString(), delivery: pending.id, ok, status, error };
    const dropped = !ok && n >= settings.maxAttempts;
    const writes: StoreWrite[] = [{ key, value: null }];
    if (!ok && !dropped) {
      const wait = Math.min(MAX_BACKOFF_MS, settings.retryBaseMs * 2 ** (n - 1));
      writes.push({ key: keys.webhookDelivery(now() + wait, pending.id), value: { ...pending, attempts: n } });
    }
    await store.batch(writes);
    if (!ok) log.info({ webhook: hook.id, delivery: pending.id, attempt: n, error, dropped }, "webhook delivery failed");
    await updateState(hook.id, (s) => ({
      status: ok ? "active" : dropped ? "failing" : s.status,
      delivered: s.delivered + (ok ? 1 : 0),
      failed: s.failed + (dropped ? 1 : 0),
      lastAttempt: last,
    }));
  }

  async function sendDue(): Promise<void> {
    const free = concurrency - inFlight.size;
    if (free <= 0) return;
    const prefix = keys.webhookQueuePrefix();
    const upTo = keys.webhookDelivery(now() + 1, "");
    for await (const [key, pending] of store.iterate<PendingDelivery>({ gte: prefix, lt: upTo < prefixEnd(prefix) ? upTo : prefixEnd(prefix), limit: free + inFlight.size })) {
      if (inFlight.has(key) || inFlight.size >= concurrency) continue;
      const job = attempt(key, pending)
        .catch((err: unknown) => log.warn({ err, delivery: pending.id }, "webhook delivery bookkeeping failed"))
        .finally(() => inFlight.delete(key));
      inFlight.set(key, job);
    }
  }

  async function tick(): Promise<void> {
    try {
      await enqueue();
      await sendDue();
    } catch (err) {
      log.warn({ err }, "webhook dispatcher round failed");
    }
  }

  /** Waits for the deliveries in flight (tests). */
  async function settle(): Promise<void> {
    await Promise.all(inFlight.values());
  }

  return {
    start() {
      if (timer) return;
      const loop = () => {
        running = tick().finally(() => {
          running = undefined;
          if (timer) timer = setTimeout(loop, pollMs).unref();
        });
      };
      timer = setTimeout(loop, 0).unref();
    },
    async stop() {
      const t = timer;
      timer = undefined;
      if (t) clearTimeout(t);
      await running;
      await settle();
      await stateChain;
    },
    async tick() {
      await tick();
      await settle();
      await stateChain;
    },
  };
}
