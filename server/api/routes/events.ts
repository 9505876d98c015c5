import { z } from "zod";
import type { AppContext } from "../../context";
import { normaliseIpc, normaliseIpcPrefix } from "../../store/keys";
import { loadConcordance, normaliseIndustryCode, type Concordance } from "../concordance";
import { indexedBlock, type ApiRouter } from "../endpoint";
import { ApiError } from "../errors";
import { createEventHub, type EventHub, type HubMessage, type PatentChange } from "../events";
import { IPC_PREFIX, PatentSchema, patentView } from "../schemas";
import { interestsFor } from "./match";

/**
 * `GET /v1/events/stream`: server-sent events of patent changes as the indexer applies blocks, filtered
 * by industry (through the concordance) or IPC prefix. Events: `ready` (the block the feed starts
 * after), `patent.registered`, `patent.status`, `patent.owner`, `patent.updated`, `reorg`; a comment
 * line every HEARTBEAT_MS keeps proxies from closing the connection.
 */

const HEARTBEAT_MS = 15_000;

const StreamQuery = z.object({
  industry: z.string().max(40).optional().describe("GB/T 4754-2017 code or priority industry id, as for /v1/match"),
  ipc: z.string().regex(IPC_PREFIX, "ipc: an IPC prefix such as H01M or H01M 10").optional().describe("an IPC prefix"),
});

export const PatentEventSchema = z
  .object({
    type: z.enum(["patent.registered", "patent.status", "patent.owner", "patent.updated"]),
    block: z.number().int().describe("the block of the change"),
    indexed: z.object({ number: z.number().int(), hash: z.string().nullable() }).describe("the indexed block when the event was sent"),
    patent: PatentSchema,
    previous: z.object({ status: z.string(), owner: z.string() }).nullable(),
  })
  .meta({
    id: "PatentEvent",
    description: "The `data` of each patent event of the text/event-stream (the event name is `type`; the event id is `block:patentId`).",
  });

function filterFor(concordance: () => Concordance, industry: string | undefined, ipc: string | undefined): (change: PatentChange) => boolean {
  if (industry === undefined && ipc === undefined) return () => true;
  let industries: string[] = [];
  if (industry !== undefined) {
    const c = concordance();
    const priority = c.data.priorityIndustries.find((p) => p.id === industry.toLowerCase());
    const code = priority ? undefined : normaliseIndustryCode(industry);
    if (!priority && code === undefined) {
      throw new ApiError(400, "BAD_REQUEST", `unknown industry "${industry}"`, [
        { path: "industry", message: "a GB/T 4754-2017 code such as C39 or 3973, or a priority industry id" },
      ]);
    }
    industries = priority ? priority.industries : [code!];
  }
  const prefixes = [
    ...(ipc !== undefined ? [normaliseIpcPrefix(ipc)] : []),
    ...(industry !== undefined ? interestsFor(concordance(), industries, undefined).map((i) => i.key) : []),
  ];
  return (change) => change.patent.ipc.some((code) => prefixes.some((p) => normaliseIpc(code).startsWith(p)));
}

export function registerEvents(api: ApiRouter, ctx: AppContext): void {
  let hub: EventHub | undefined;
  let concordance: Concordance | undefined;
  const conc = () => (concordance ??= loadConcordance());

  api.get({
    path: "/events/stream",
    operationId: "streamPatentEvents",
    summary: "Server-sent events: new patents and status or owner changes as blocks are indexed",
    description:
      "A text/event-stream. Each event's data is a PatentEvent. Changes come from the blocks the indexer follows at the tip; " +
      "a gateway catching up on a long backlog in ranges sends none for those blocks. Filter by `industry` or `ipc`.",
    query: StreamQuery,
    response: PatentEventSchema,
    alsoProduces: ["text/event-stream"],
    errors: { 400: ["BAD_REQUEST"] },
    indexed: "self",
    async handler({ query, req, res }) {
      const matches = filterFor(conc, query.industry, query.ipc);
      hub ??= createEventHub(ctx);
      res.status(200).set({
        "Content-Type": "text/event-stream; charset=utf-8",
        "Cache-Control": "no-cache, no-transform",
        Connection: "keep-alive",
        "X-Accel-Buffering": "no",
      });
      res.flushHeaders();
      const send = (event: string, id: string | undefined, data: unknown) => {
        res.write(`event: ${event}\n${id ? `id: ${id}\n` : ""}data: ${JSON.stringify(data)}\n\n`);
      };
      send("ready", undefined, { block: await indexedBlock(ctx) });
      const unsubscribe = hub.subscribe((message: HubMessage) => {
        if (message.kind === "reorg") {
          send("reorg", undefined, { from: message.from, to: message.to });
          return;
        }
        for (const change of message.changes) {
          if (!matches(change)) continue;
          send(change.type, `${change.block}:${change.patent.id}`, {
            type: change.type,
            block: change.block,
            indexed: message.at,
            patent: patentView(change.patent),
            previous: change.previous && { status: change.previous.status, owner: change.previous.owner },
          });
        }
      });
      const heartbeat = setInterval(() => res.write(": keep-alive\n\n"), HEARTBEAT_MS);
      heartbeat.unref();
      req.on("close", () => {
        clearInterval(heartbeat);
        unsubscribe();
      });
      return undefined;
    },
  });
}
