import { z } from "zod";
import type { AppContext } from "../../context";
import { LegalStatus, Modes } from "../../chain/roles";
import { QueryError } from "../../indexer";
import { createApiRouter, type ApiRouter } from "../endpoint";
import { ApiError } from "../errors";
import { keys } from "../../store/keys";
import { DealSchema, dealView, LicenceSchema, licenceView, OpenLicenceSchema, openLicenceView, PledgeSchema, pledgeView, ValuationSchema, valuationView } from "../rights";
import { registerEvents } from "./events";
import { registerMatch } from "./match";
import { createReader, CursorError, DORMANT_YEARS, type Reader } from "../read";
import { marketOfPatentView, PatentMarketSchema } from "../market-views";
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

/** Most licences, pledges and deals the dossier lists (with `more` when there are others). */
const DOSSIER_LIST = 50;

const LicenceSummarySchema = LicenceSchema.pick({
  id: true,
  licensee: true,
  grantor: true,
  kind: true,
  status: true,
  open: true,
  parentId: true,
  startDate: true,
  endDate: true,
  ended: true,
  granted: true,
}).meta({ id: "LicenceSummary" });

const PledgeSummarySchema = PledgeSchema.pick({
  id: true,
  pledgee: true,
  pledgors: true,
  securedAmount: true,
  currency: true,
  termEndDate: true,
  status: true,
  portfolio: true,
  registrationDate: true,
})
  .extend({ patentStatus: z.string().describe("this patent's state in the pledge") })
  .meta({ id: "PledgeSummary" });

/** The exchange's router: patent search, dossier and timeline (listings, auctions and venues: routes/market.ts). */

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
  venue: z
    .string()
    .regex(/^0x[0-9a-fA-F]{40}$/, "venue: an address, 0x + 40 hex digits")
    .optional()
    .describe("listed through this venue: an open listing made through it. A venue's open listings drive the walk (driver `venue`)"),
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
          .enum(["owner", "ipc", "status", "venue", "all"])
          .describe(
            "the key range walked: the venue's open listings with venue, else the smallest index among the indexed filters (owner, ipc, status), else every patent. " +
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
    // ---- rights (licences, open licence, pledges, valuations, equity deals)
    licences: z
      .object({
        total: z.number().int(),
        inForce: z.number().int(),
        items: z.array(LicenceSummarySchema).describe(`the first ${DOSSIER_LIST} licences by id; the audit route lists them all with royalties`),
        more: z.boolean(),
      })
      .describe("licences of the patent, active and ended"),
    openLicence: OpenLicenceSchema.nullable().describe("the open-licence declaration, in force or withdrawn (`declared` tells); null if never declared"),
    pledges: z
      .object({
        items: z.array(PledgeSummarySchema).describe(`the first ${DOSSIER_LIST} pledges of the patent by id`),
        more: z.boolean(),
      })
      .describe("pledges of the patent, every state"),
    valuations: z.object({ latest: ValuationSchema.nullable(), count: z.number().int() }),
    equityDeals: z.object({ items: z.array(DealSchema).describe(`the first ${DOSSIER_LIST} deals by id`), more: z.boolean() }),
    market: PatentMarketSchema.describe("listings and auctions of the patent on every venue, open and past, oldest first"),
  })
  .meta({ id: "Dossier", description: "Everything the ledger's index knows about one patent." });

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
            venue: query.venue,
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
    description:
      "Owner, status, dates, inventory, locks, transfers, market evaluations and its implementation record; its licences (active and ended), " +
      "open-licence declaration, pledges, valuations (latest and count) and equity deals; its listings and auctions on every venue.",
    params: NumberParams,
    response: DossierSchema,
    errors: { 400: ["BAD_REQUEST", "INVALID_PATENT_NUMBER"], 404: ["PATENT_NOT_FOUND"] },
    indexed: "read",
    async handler({ params }) {
      const { queries } = ctx.index!;
      const patent = await queries.getPatent(params.number.id);
      if (!patent) throw new ApiError(404, "PATENT_NOT_FOUND", `${params.number.number} is not registered on the ledger`, { number: params.number.number });
      const [transfers, evaluations, implementation, licences, active, openLicence, pledges, latest, deals, market] = await Promise.all([
        queries.transfersOfPatent(patent.id),
        queries.evaluationsOfPatent(patent.id),
        reader().implementationOf(patent),
        queries.licencesOfPatent(patent.id, { limit: DOSSIER_LIST }),
        ctx.index!.store.keysWithPrefix(keys.activeLicencesOfPatentPrefix(patent.id)),
        queries.getOpenLicence(patent.id),
        queries.pledgesOfPatent(patent.id, { limit: DOSSIER_LIST }),
        queries.latestValuation(patent.id),
        queries.dealsOfPatent(patent.id, { limit: DOSSIER_LIST }),
        marketOfPatentView(ctx, queries, patent.id),
      ]);
      const total = licences.next === null ? licences.items.length : (await ctx.index!.store.keysWithPrefix(keys.licencesOfPatentPrefix(patent.id))).length;
      const today = reader().today();
      return {
        patent: patentView(patent),
        inForce: patent.statusCode === LegalStatus.Valid && today < patent.expiryDay,
        implementation,
        dormant: await reader().isDormant(patent, today),
        pendingTransfer: transfers.find((t) => t.id === patent.pendingTransfer) ?? null,
        transfers: transfers.map(transferView),
        evaluations: evaluations.map(evaluationView),
        licences: {
          total,
          inForce: active.length,
          items: licences.items.map((l) => {
            const v = licenceView(l);
            return {
              id: v.id,
              licensee: v.licensee,
              grantor: v.grantor,
              kind: v.kind,
              status: v.status,
              open: v.open,
              parentId: v.parentId,
              startDate: v.startDate,
              endDate: v.endDate,
              ended: v.ended,
              granted: v.granted,
            };
          }),
          more: licences.next !== null,
        },
        openLicence: openLicence ? openLicenceView(openLicence) : null,
        pledges: {
          items: pledges.items.map((pl) => {
            const v = pledgeView(pl);
            return {
              id: v.id,
              pledgee: v.pledgee,
              pledgors: v.pledgors,
              securedAmount: v.securedAmount,
              currency: v.currency,
              termEndDate: v.termEndDate,
              status: v.status,
              portfolio: v.portfolio,
              registrationDate: v.registrationDate,
              patentStatus: pl.patents.find((x) => x.patentId === patent.id)?.status ?? "None",
            };
          }),
          more: pledges.next !== null,
        },
        valuations: { latest: latest ? valuationView(latest) : null, count: latest ? Number(latest.index) + 1 : 0 },
        equityDeals: { items: deals.items.map(dealView), more: deals.next !== null },
        market,
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
