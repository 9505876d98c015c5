import { z } from "zod";
import type { AppContext } from "../../context";
import { LegalStatus, Modes } from "../../chain/roles";
import { QueryError } from "../../indexer";
import { createApiRouter, type ApiRouter } from "../endpoint";
import { ApiError } from "../errors";
import { registerEvents } from "./events";
import { registerMatch } from "./match";
import { createReader, CursorError, DORMANT_YEARS, type Reader } from "../read";
import {
  booleanParam,
  IPC_PREFIX,
  EvaluationSchema,
  evaluationView,
  ImplementationSchema,
  KIND_NAMES,
  MODE_NAMES,
  NumberParams,
  PageQuery,
  PatentSchema,
  patentView,
  STATUS_NAMES,
  TimelineEntrySchema,
  timelineView,
  TransferSchema,
  transferView,
} from "../schemas";

/** The exchange's router: patent search, dossier and timeline (listings and auctions come with the market index). */

export const SearchQuery = PageQuery.extend({
  ipc: z
    .string()
    .regex(IPC_PREFIX, 'ipc: an IPC prefix such as "H", "H01", "H01M", "H01M 10" or "H01M 10/05"')
    .optional()
    .describe("IPC prefix (section, class, subclass, group); uses the IPC index"),
  q: z.string().min(1).max(100, "q: at most 100 characters").optional().describe("keyword in the title (case-insensitive)"),
  owner: z
    .string()
    .regex(/^0x[0-9a-fA-F]{40}$/, "owner: an address, 0x + 40 hex digits")
    .optional()
    .describe("current owner; uses the owner index"),
  status: z.enum(STATUS_NAMES, { error: `status: one of ${STATUS_NAMES.join(", ")}` }).optional().describe("legal status; uses the status index"),
  kind: z.enum(KIND_NAMES, { error: `kind: one of ${KIND_NAMES.join(", ")}` }).optional(),
  readiness: z
    .string()
    .regex(/^[1-9](-[1-9])?$/, 'readiness: a level 1-9 ("7") or a range ("5-9")')
    .optional()
    .describe('technology readiness level: "7" or a range "5-9"'),
  willing: booleanParam("willing").optional().describe("willing to commercialise"),
  mode: z.enum(MODE_NAMES, { error: `mode: one of ${MODE_NAMES.join(", ")}` }).optional().describe("a preferred mode"),
  listed: booleanParam("listed").optional().describe("under a listing lock"),
  dormant: booleanParam("dormant")
    .optional()
    .describe(`granted more than ${DORMANT_YEARS} years ago, valid, with no transfer, licence, pledge or equity record`),
  order: z.enum(["asc", "desc"], { error: "order: asc or desc" }).optional().describe("walk order (default asc)"),
});

export const PatentPageSchema = z
  .object({
    items: z.array(PatentSchema),
    next: z.string().nullable().describe("cursor of the next page; null on the last"),
    scan: z
      .object({
        driver: z
          .enum(["owner", "ipc", "status", "all"])
          .describe(
            "the key range walked: the smallest index among the indexed filters (owner, ipc, status), else every patent. " +
              "Items come in that range's order: by number, or by IPC code then number for ipc",
          ),
        examined: z.number().int().describe("entries examined for this page"),
        limit: z.number().int().describe("most entries one page examines"),
        complete: z
          .boolean()
          .describe("false when the scan limit ended the page before it was full; `next` continues the scan"),
      })
      .describe("how the page was found: filters without an index (q, kind, readiness, willing, mode, listed, dormant) are checked on each entry"),
  })
  .meta({ id: "PatentPage" });

export const DossierSchema = z
  .object({
    patent: PatentSchema,
    inForce: z.boolean().describe("valid and not past its expiry day (gateway clock, China Standard Time)"),
    implementation: ImplementationSchema,
    dormant: z.boolean(),
    pendingTransfer: TransferSchema.nullable(),
    transfers: z.array(TransferSchema).describe("every transfer of the patent, oldest first"),
    evaluations: z.array(EvaluationSchema),
  })
  .meta({ id: "Dossier", description: "Everything the registry index knows about one patent." });

export const TimelinePageSchema = z
  .object({
    patent: z.object({ id: z.string(), number: z.string() }),
    items: z.array(TimelineEntrySchema),
    next: z.string().nullable(),
  })
  .meta({ id: "TimelinePage" });

/** The reader over the context's index (the framework answers 503 before a handler runs without one). */
export function readerOf(ctx: AppContext): () => Reader {
  let reader: Reader | undefined;
  return () => (reader ??= createReader(ctx.index!.store, { scanLimit: ctx.config.searchScanLimit }));
}

export function cursorError(err: unknown): never {
  if (err instanceof CursorError || err instanceof QueryError) throw new ApiError(400, "INVALID_CURSOR", err.message);
  throw err;
}

export function registerExchange(api: ApiRouter, ctx: AppContext): void {
  const reader = readerOf(ctx);

  api.get({
    path: "/patents",
    operationId: "searchPatents",
    summary: "Search patents",
    description:
      "A page of patents matching every filter given. The search walks the smallest secondary index among owner, ipc and status " +
      "and checks the other filters on each entry; without any of those it walks every patent. One page examines at most " +
      "`scan.limit` entries: a rare match over a large range may answer a partial page with `scan.complete: false` and a `next` cursor that continues.",
    query: SearchQuery,
    response: PatentPageSchema,
    errors: { 400: ["BAD_REQUEST", "INVALID_CURSOR"] },
    indexed: "read",
    async handler({ query }) {
      let readinessMin: number | undefined;
      let readinessMax: number | undefined;
      if (query.readiness !== undefined) {
        const [lo, hi] = query.readiness.split("-").map(Number);
        readinessMin = lo;
        readinessMax = hi ?? lo;
      }
      const page = await reader()
        .search(
          {
            owner: query.owner,
            ipc: query.ipc,
            status: query.status !== undefined ? LegalStatus[query.status as keyof typeof LegalStatus] : undefined,
            kind: query.kind,
            readinessMin,
            readinessMax,
            willing: query.willing,
            mode: query.mode !== undefined ? Modes[query.mode.toUpperCase() as keyof typeof Modes] : undefined,
            q: query.q,
            listed: query.listed,
            dormant: query.dormant,
          },
          { cursor: query.cursor, limit: query.limit ?? 50, order: query.order ?? "asc" },
        )
        .catch(cursorError);
      return {
        items: page.items.map(patentView),
        next: page.next,
        scan: { driver: page.driver, examined: page.examined, limit: ctx.config.searchScanLimit, complete: page.complete },
      };
    },
  });

  api.get({
    path: "/patents/{number}",
    operationId: "getPatent",
    summary: "A patent's dossier",
    description: "Owner, status, dates, inventory, locks, transfers, market evaluations and its implementation record.",
    params: NumberParams,
    response: DossierSchema,
    errors: { 400: ["BAD_REQUEST", "INVALID_PATENT_NUMBER"], 404: ["PATENT_NOT_FOUND"] },
    indexed: "read",
    async handler({ params }) {
      const { queries } = ctx.index!;
      const patent = await queries.getPatent(params.number.id);
      if (!patent) throw new ApiError(404, "PATENT_NOT_FOUND", `${params.number.number} is not registered on the ledger`, { number: params.number.number });
      const [transfers, evaluations, implementation] = await Promise.all([
        queries.transfersOfPatent(patent.id),
        queries.evaluationsOfPatent(patent.id),
        reader().implementationOf(patent),
      ]);
      const today = reader().today();
      return {
        patent: patentView(patent),
        inForce: patent.statusCode === LegalStatus.Valid && today < patent.expiryDay,
        implementation,
        dormant: await reader().isDormant(patent, today),
        pendingTransfer: transfers.find((t) => t.id === patent.pendingTransfer) ?? null,
        transfers: transfers.map(transferView),
        evaluations: evaluations.map(evaluationView),
      };
    },
  });

  api.get({
    path: "/patents/{number}/timeline",
    operationId: "getPatentTimeline",
    summary: "Every event about a patent, in chain order",
    params: NumberParams,
    query: PageQuery,
    response: TimelinePageSchema,
    errors: { 400: ["BAD_REQUEST", "INVALID_PATENT_NUMBER", "INVALID_CURSOR"], 404: ["PATENT_NOT_FOUND"] },
    indexed: "read",
    async handler({ params, query }) {
      const { queries } = ctx.index!;
      const patent = await queries.getPatent(params.number.id);
      if (!patent) throw new ApiError(404, "PATENT_NOT_FOUND", `${params.number.number} is not registered on the ledger`, { number: params.number.number });
      const page = await queries.timeline(patent.id, { after: query.cursor, limit: query.limit ?? 50 }).catch(cursorError);
      return { patent: { id: patent.id, number: patent.number }, items: page.items.map(timelineView), next: page.next };
    },
  });
}

export function createExchangeRouter(ctx: AppContext): ApiRouter {
  const api = createApiRouter(ctx, "exchange");
  registerExchange(api, ctx);
  registerMatch(api, ctx);
  registerEvents(api, ctx);
  return api;
}
