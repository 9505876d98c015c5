import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { AppContext } from "../../context";
import { indexedBlock, createApiRouter, type ApiRouter, type CodedIssueParams } from "../endpoint";
import { ApiError } from "../errors";
import { IPC_PREFIX } from "../schemas";
import { loadConcordance, type Concordance } from "../concordance";
import {
  createWebhookStore,
  industriesOf,
  MAX_URL_LENGTH,
  MAX_WEBHOOKS,
  newSecret,
  WEBHOOK_EVENTS,
  WEBHOOK_ID,
  checkWebhookUrl,
  WebhookUrlError,
  type WebhookRecord,
  type WebhookState,
} from "../../webhooks";

/**
 * Webhooks of the subscription feed (docs/api.md "Webhooks"): `POST /v1/webhooks` registers a URL with
 * a filter (industries and/or IPC prefixes) and event kinds and answers its secret once; `GET` and
 * `DELETE /v1/webhooks/{id}` read and remove it. The id is a random capability: there is no listing.
 * Deliveries are made by the dispatcher (server/webhooks/dispatcher.ts) that the gateway runs.
 */

const WebhookFilterSchema = z.object({
  industries: z.array(z.string().min(1).max(40)).max(20).describe("GB/T 4754-2017 codes or priority industry ids, as for /v1/match"),
  ipc: z.array(z.string().regex(IPC_PREFIX, "an IPC prefix such as H01M or H01M 10")).max(50).describe("IPC prefixes"),
});

export const WebhookSchema = z
  .object({
    id: z.string().describe("wh_ and 24 hex digits"),
    url: z.string(),
    events: z.array(z.enum(WEBHOOK_EVENTS)),
    filter: WebhookFilterSchema.describe("empty lists: every patent"),
    created: z.object({ at: z.string().describe("ISO 8601"), block: z.number().int().describe("the indexed block then; later blocks are delivered") }),
    status: z.enum(["active", "failing"]).describe("failing: a delivery was dropped after its last attempt; the next success makes it active"),
    delivered: z.number().int().describe("deliveries answered 2xx"),
    failed: z.number().int().describe("deliveries dropped after the last attempt"),
    lastAttempt: z
      .object({ at: z.string(), delivery: z.string(), ok: z.boolean(), status: z.number().int().nullable(), error: z.string().nullable() })
      .nullable(),
  })
  .meta({ id: "Webhook", description: "A webhook registration and its delivery record (never its secret)." });

const CreatedWebhookSchema = z
  .object({
    webhook: WebhookSchema,
    secret: z.string().describe("the HMAC-SHA256 key of the X-Tianfu-Signature header: shown only in this answer"),
  })
  .meta({ id: "CreatedWebhook" });

const DeletedWebhookSchema = z.object({ id: z.string(), deleted: z.literal(true) }).meta({ id: "DeletedWebhook" });

const WebhookParams = z.object({
  id: z.string().regex(WEBHOOK_ID, "id: wh_ and 24 lowercase hex digits").describe("the webhook id"),
});

function view(record: WebhookRecord, state: WebhookState): z.input<typeof WebhookSchema> {
  const { secret: _secret, ...rest } = record;
  return { ...rest, ...state };
}

export function createWebhookRouter(ctx: AppContext): ApiRouter {
  const api = createApiRouter(ctx, "webhooks");
  let concordance: Concordance | undefined;
  const hooks = () => createWebhookStore(ctx.index!.store);

  const url = z
    .string()
    .describe(`http or https URL, at most ${MAX_URL_LENGTH} characters; private addresses only with WEBHOOK_ALLOW_PRIVATE`)
    .superRefine((value, issue) => {
      try {
        checkWebhookUrl(value, ctx.config.webhooks.allowPrivate);
      } catch (err) {
        if (!(err instanceof WebhookUrlError)) throw err;
        const params: CodedIssueParams = { apiCode: err.code };
        issue.addIssue({ code: "custom", message: err.message, params });
      }
    });
  const Body = z.strictObject({
    url,
    events: z.array(z.enum(WEBHOOK_EVENTS)).min(1).max(WEBHOOK_EVENTS.length).optional().describe("default: every kind"),
    filter: z.strictObject(WebhookFilterSchema.partial().shape).optional().describe("default: every patent"),
  });

  api.post({
    path: "/webhooks",
    operationId: "createWebhook",
    summary: "Register a webhook for new listings and newly dormant patents",
    description:
      "Deliveries are POSTs of a JSON WebhookDelivery with headers X-Tianfu-Delivery (idempotency id), X-Tianfu-Event, X-Tianfu-Attempt and " +
      "X-Tianfu-Signature: sha256=HMAC-SHA256(secret, body) in hex. A 2xx answer within WEBHOOK_TIMEOUT_MS completes a delivery; otherwise it " +
      "is retried with exponential backoff up to WEBHOOK_MAX_ATTEMPTS, then dropped and the webhook marked failing. At least once: deduplicate by the delivery id.",
    body: Body,
    status: 201,
    response: CreatedWebhookSchema,
    errors: { 400: ["BAD_REQUEST", "INVALID_WEBHOOK_URL", "WEBHOOK_URL_NOT_ALLOWED"], 409: ["TOO_MANY_WEBHOOKS"] },
    indexed: "self",
    async handler({ body }) {
      const filter = { industries: body.filter?.industries ?? [], ipc: (body.filter?.ipc ?? []).map((p) => p.toUpperCase()) };
      const problems = filter.industries
        .map((entry, i) => ({ entry, i }))
        .filter(({ entry }) => industriesOf((concordance ??= loadConcordance()), entry) === undefined)
        .map(({ entry, i }) => ({ path: `filter.industries.${i}`, message: `unknown industry "${entry}": a GB/T 4754-2017 code such as C39, or a priority industry id` }));
      if (problems.length > 0) throw new ApiError(400, "BAD_REQUEST", "invalid request body", problems);
      const store = hooks();
      if ((await store.count()) >= MAX_WEBHOOKS) {
        throw new ApiError(409, "TOO_MANY_WEBHOOKS", `this gateway holds ${MAX_WEBHOOKS} webhooks, the most it accepts`, { limit: MAX_WEBHOOKS });
      }
      const at = await indexedBlock(ctx);
      const record: WebhookRecord = {
        id: `wh_${randomBytes(12).toString("hex")}`,
        url: body.url,
        events: [...new Set(body.events ?? WEBHOOK_EVENTS)],
        filter,
        secret: newSecret(),
        created: { at: new Date().toISOString(), block: at.number },
      };
      await store.add(record);
      return { webhook: view(record, await store.state(record.id)), secret: record.secret };
    },
  });

  api.get({
    path: "/webhooks/{id}",
    operationId: "getWebhook",
    summary: "A webhook and its delivery record",
    params: WebhookParams,
    response: WebhookSchema,
    errors: { 404: ["WEBHOOK_NOT_FOUND"] },
    indexed: "self",
    async handler({ params }) {
      const store = hooks();
      const record = await store.get(params.id);
      if (!record) throw new ApiError(404, "WEBHOOK_NOT_FOUND", `no webhook ${params.id}`, { id: params.id });
      return view(record, await store.state(record.id));
    },
  });

  api.delete({
    path: "/webhooks/{id}",
    operationId: "deleteWebhook",
    summary: "Delete a webhook: no delivery is made to it afterwards",
    params: WebhookParams,
    response: DeletedWebhookSchema,
    errors: { 404: ["WEBHOOK_NOT_FOUND"] },
    indexed: "self",
    async handler({ params }) {
      if (!(await hooks().remove(params.id))) throw new ApiError(404, "WEBHOOK_NOT_FOUND", `no webhook ${params.id}`, { id: params.id });
      return { id: params.id, deleted: true as const };
    },
  });
  return api;
}
