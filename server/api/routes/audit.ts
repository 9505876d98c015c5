import { z } from "zod";
import type { AppContext } from "../../context";
import { formatCnipaNumber, isoOfDay } from "../../chain/cnipa";
import { isLicenceFact, licenceReportDigest, type LicenceFact } from "../../audit/licences";
import { QueryError, type TimelineEntry, type TransferEntity } from "../../indexer";
import type { DealEntity } from "../../indexer/handlers/equity";
import type { LicenceEntity, OpenLicenceHistoryEntry } from "../../indexer/handlers/licensing";
import { idOfIndexKey, keys, prefixEnd } from "../../store/keys";
import { createApiRouter, indexedBlock, type ApiRouter } from "../endpoint";
import { ApiError } from "../errors";
import {
  addressParam,
  DealSchema,
  dealView,
  licenceView,
  LicenceSchema,
  RevenueReportSchema,
  revenueReportView,
  RoyaltyPaymentSchema,
  royaltyPaymentView,
  WarrantSchema,
  warrantView,
} from "../rights";
import { ChainPointSchema, NumberParams, PageQuery, TimelineEntrySchema, TransferSchema, transferView } from "../schemas";

/**
 * The auditors' router: ownership history of a patent; its licensing history (every licence with scope,
 * term, filing, royalty payments with their splits, revenue reports and how it ended, each fact with its
 * transaction, block and log index, and a digest anyone can recompute from the chain) as JSON or CSV;
 * licences by owner and by licensee; equity deals and warrants by company and by contributor.
 */

const FormatQuery = z.object({
  format: z.enum(["json", "csv"], { error: "format: json or csv" }).optional().describe("json (default) or csv"),
});

export const TransferHistorySchema = z
  .object({
    patent: z.object({ id: z.string(), number: z.string(), owner: z.string(), holder: z.string() }),
    transfers: z.array(TransferSchema).describe("oldest first"),
  })
  .meta({ id: "TransferHistory" });

export const CSV_COLUMNS = [
  "transferId",
  "patentNumber",
  "from",
  "to",
  "status",
  "agreedDate",
  "registrationDate",
  "cnipaReference",
  "refusalReason",
  "cancelledBy",
  "proposedBlock",
  "proposedLogIndex",
  "proposedTx",
  "updatedBlock",
  "updatedLogIndex",
  "updatedTx",
] as const;

/** RFC 4180 field: quoted when it holds a comma, quote or line break; a leading =+-@ is prefixed with ' (spreadsheet formula injection). */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === undefined) return "";
  if (value === null) return "";
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function transfersCsv(number: string, transfers: TransferEntity[]): string {
  const rows = transfers.map((t) =>
    [
      t.id,
      number,
      t.from,
      t.to,
      t.status,
      t.agreedDay === null ? null : isoOfDay(t.agreedDay),
      t.registrationDay === null ? null : isoOfDay(t.registrationDay),
      t.cnipaReference,
      t.refusalReason,
      t.cancelledBy,
      t.proposed.block,
      t.proposed.logIndex,
      t.proposed.txHash,
      t.updated.block,
      t.updated.logIndex,
      t.updated.txHash,
    ]
      .map(csvField)
      .join(","),
  );
  return `${[CSV_COLUMNS.join(","), ...rows].join("\r\n")}\r\n`;
}

// ---------------------------------------------------------------- licensing history

const LicenceFactSchema = TimelineEntrySchema.meta({ id: "LicenceFact", description: "An event of Licensing or Royalties about the patent, in chain order." });

export const LicenceHistorySchema = z
  .object({
    patent: z.object({ id: z.string(), number: z.string(), owner: z.string() }),
    licences: z
      .array(
        z.object({
          licence: LicenceSchema,
          endedAt: ChainPointSchema.nullable().describe("the event that ended it (termination, expiry, revocation with its parent)"),
          payments: z.array(RoyaltyPaymentSchema).describe("royalty and fee payments with their three-way splits, in order"),
          revenueReports: z.array(RevenueReportSchema),
        }),
      )
      .describe("every licence of the patent (active and ended), by licence id"),
    openLicences: z
      .array(z.object({ event: z.string(), owner: z.string(), terms: z.record(z.string(), z.unknown()).nullable(), at: ChainPointSchema }))
      .describe("open-licence declarations and withdrawals, in chain order"),
    facts: z.array(LicenceFactSchema).describe("every Licensing and Royalties event about the patent up to `block`, in chain order"),
    digest: z.object({
      algorithm: z.literal("sha256"),
      value: z.string().describe("0x + SHA-256 of the canonical JSON of `facts` (docs/api.md, server/audit/licences.ts)"),
      facts: z.number().int(),
      command: z.string().describe("recompute it from a node of your own"),
    }),
  })
  .meta({ id: "LicenceHistory" });

export const LICENCE_CSV_COLUMNS = [
  "block",
  "logIndex",
  "txHash",
  "contract",
  "event",
  "patentNumber",
  "licenceId",
  "party",
  "kind",
  "fields",
  "territories",
  "startDate",
  "endDate",
  "feeMethod",
  "royaltyBps",
  "filingReference",
  "filedDate",
  "amount",
  "token",
  "unitAmount",
  "inventorsAmount",
  "ttoAmount",
  "revenue",
  "due",
  "reason",
  "day",
  "args",
] as const;

type Args = Record<string, unknown>;
const str = (v: unknown): string | null => (v === undefined || v === null ? null : typeof v === "object" ? JSON.stringify(v) : String(v));
const dateOf = (v: unknown): string | null => (typeof v === "number" && v > 0 ? isoOfDay(v) : null);

/** One CSV row per fact: the common columns filled from the event's arguments, the whole arguments as JSON last. */
export function licenceFactsCsv(number: string, facts: LicenceFact[], digest: string): string {
  const rows = facts.map((f) => {
    const a = f.args as Args;
    const scope = (a.scope ?? {}) as Args;
    const fee = (a.fee ?? {}) as Args;
    const split = (a.split ?? {}) as Args;
    const party = a.licensee ?? a.sublicensee ?? a.payer ?? a.owner ?? a.by ?? null;
    const kinds = ["Exclusive", "Sole", "NonExclusive", "Sublicence"];
    const methods = ["LumpSum", "RunningRoyalty", "UseFirstPayLater"];
    return [
      f.block,
      f.logIndex,
      f.txHash,
      f.contract,
      f.event,
      number,
      str(a.licenceId),
      str(party),
      typeof a.kind === "number" ? (kinds[a.kind] ?? String(a.kind)) : null,
      str(scope.fields),
      str(scope.territories),
      dateOf(scope.startDay),
      dateOf(scope.endDay),
      typeof fee.method === "number" ? (methods[fee.method] ?? String(fee.method)) : null,
      str(fee.royaltyBps),
      str(a.filingRef),
      dateOf(a.filedDay),
      str(a.amount ?? fee.amount),
      str(a.token),
      str(split.unitAmount),
      str(split.inventorsAmount),
      str(split.ttoAmount),
      str(a.revenue),
      str(a.due),
      str(a.reason),
      dateOf(a.day),
      JSON.stringify(a),
    ]
      .map(csvField)
      .join(",");
  });
  return `# licensing history of ${number}; digest ${digest} (sha256 of the canonical JSON of the facts)\r\n${[LICENCE_CSV_COLUMNS.join(","), ...rows].join("\r\n")}\r\n`;
}

const ENDING_EVENTS = new Set(["LicenceTerminated", "LicenceExpired", "SublicenceRevoked"]);

// ---------------------------------------------------------------- by party

const LicencePartyQuery = PageQuery.extend({
  owner: addressParam("owner").optional().describe("the current owner: licences of every patent it owns (walks its patents)"),
  licensee: addressParam("licensee").optional().describe("licences held by this licensee (the licensee index)"),
});

export const LicencePageSchema = z
  .object({
    items: z.array(LicenceSchema.extend({ patentNumber: z.string() })),
    next: z.string().nullable(),
    scan: z.object({
      driver: z.enum(["owner", "licensee"]),
      examined: z.number().int().describe("index entries examined (owner: patents and licences)"),
      complete: z.boolean().describe("false when the scan limit ended the page before it was full; `next` continues"),
    }),
  })
  .meta({ id: "LicencePage" });

const EquityQuery = PageQuery.extend({
  company: addressParam("company").optional().describe("deals with this company"),
  contributor: addressParam("contributor").optional().describe("deals proposed by this owner (the contributor of the patents)"),
});

export const EquityPageSchema = z
  .object({
    items: z.array(
      z.object({
        deal: DealSchema,
        patents: z.array(z.object({ patentId: z.string(), number: z.string() })),
        warrants: z.array(WarrantSchema),
      }),
    ),
    next: z.string().nullable(),
  })
  .meta({ id: "EquityPage" });

/** Most patents and licence index entries one owner page examines. */
const OWNER_SCAN_LIMIT = 5000;

function exactlyOne(query: Record<string, unknown>, names: string[]): string {
  const given = names.filter((n) => query[n] !== undefined);
  if (given.length !== 1) {
    throw new ApiError(400, "BAD_REQUEST", `give exactly one of ${names.join(", ")}`, names.map((n) => ({ path: n, message: given.length === 0 ? "missing" : "only one of them" })));
  }
  return given[0]!;
}

export function registerAudit(api: ApiRouter, ctx: AppContext): void {
  api.get({
    path: "/audit/patents/{number}/transfers",
    operationId: "getTransferHistory",
    summary: "Ownership history of a patent (JSON or CSV)",
    description:
      "Every transfer with its state, CNIPA registration reference and the chain point (block, log index, transaction) of its proposal " +
      "and last change. CSV answers carry the block in the X-Indexed-Block and X-Indexed-Block-Hash headers.",
    params: NumberParams,
    query: FormatQuery,
    response: TransferHistorySchema,
    alsoProduces: ["text/csv"],
    errors: { 400: ["BAD_REQUEST", "INVALID_PATENT_NUMBER"], 404: ["PATENT_NOT_FOUND"] },
    indexed: "read",
    async handler({ params, query, res }) {
      const { queries } = ctx.index!;
      const patent = await queries.getPatent(params.number.id);
      if (!patent) throw new ApiError(404, "PATENT_NOT_FOUND", `${params.number.number} is not registered on the ledger`, { number: params.number.number });
      const transfers = await queries.transfersOfPatent(patent.id);
      if (query.format === "csv") {
        const block = await indexedBlock(ctx);
        res
          .status(200)
          .type("text/csv; charset=utf-8")
          .set("X-Indexed-Block", String(block.number))
          .set("X-Indexed-Block-Hash", block.hash ?? "")
          .attachment(`${patent.number}-transfers.csv`)
          .send(transfersCsv(patent.number, transfers));
        return undefined;
      }
      return {
        patent: { id: patent.id, number: patent.number, owner: patent.owner, holder: patent.holder },
        transfers: transfers.map(transferView),
      };
    },
  });

  api.get({
    path: "/audit/patents/{number}/licences",
    operationId: "getLicenceHistory",
    summary: "Licensing history of a patent with royalties, and a digest anyone can recompute (JSON or CSV)",
    description:
      "Every licence of the patent (active and ended) with scope, term, fee terms, filing reference, royalty payments with their splits, revenue " +
      "reports and how it ended; the open-licence declarations; and `facts`, every Licensing and Royalties event about the patent in chain order " +
      "with its transaction, block and log index. `digest` is SHA-256 over the canonical JSON of `facts`: `tianfu audit licences <number> " +
      "--rpc <your node> --to-block <block.number>` recomputes it from the chain without the gateway. CSV answers carry one row per fact, " +
      "the block in X-Indexed-Block and X-Indexed-Block-Hash and the digest in X-Report-Digest.",
    params: NumberParams,
    query: FormatQuery,
    response: LicenceHistorySchema,
    alsoProduces: ["text/csv"],
    errors: { 400: ["BAD_REQUEST", "INVALID_PATENT_NUMBER"], 404: ["PATENT_NOT_FOUND"] },
    indexed: "read",
    async handler({ params, query, res }) {
      const { queries, store } = ctx.index!;
      const patent = await queries.getPatent(params.number.id);
      if (!patent) throw new ApiError(404, "PATENT_NOT_FOUND", `${params.number.number} is not registered on the ledger`, { number: params.number.number });
      const facts: LicenceFact[] = [];
      const prefix = keys.timelinePrefix(patent.id);
      for await (const [, entry] of store.iterate<TimelineEntry>({ gte: prefix, lt: prefixEnd(prefix) })) if (isLicenceFact(entry)) facts.push(entry);
      const digest = licenceReportDigest(facts);
      if (query.format === "csv") {
        const block = await indexedBlock(ctx);
        res
          .status(200)
          .type("text/csv; charset=utf-8")
          .set("X-Indexed-Block", String(block.number))
          .set("X-Indexed-Block-Hash", block.hash ?? "")
          .set("X-Report-Digest", digest)
          .attachment(`${patent.number}-licences.csv`)
          .send(licenceFactsCsv(patent.number, facts, digest));
        return undefined;
      }
      const licences = await pagesOf<LicenceEntity>((after) => queries.licencesOfPatent(patent.id, { after, limit: 500 }));
      const endings = new Map(facts.filter((f) => ENDING_EVENTS.has(f.event)).map((f) => [String(f.args.licenceId), { block: f.block, logIndex: f.logIndex, txHash: f.txHash }]));
      const detailed = await Promise.all(
        licences.map(async (l) => {
          const [payments, reports] = await Promise.all([
            pagesOf((after) => queries.royaltyPaymentsOfLicence(l.id, { after, limit: 500 })),
            pagesOf((after) => queries.revenueReportsOfLicence(l.id, { after, limit: 500 })),
          ]);
          return { licence: licenceView(l), endedAt: endings.get(l.id) ?? null, payments: payments.map(royaltyPaymentView), revenueReports: reports.map(revenueReportView) };
        }),
      );
      const openLicences = await pagesOf<OpenLicenceHistoryEntry>((after) => queries.openLicenceHistory(patent.id, { after, limit: 500 }));
      const block = await indexedBlock(ctx);
      return {
        patent: { id: patent.id, number: patent.number, owner: patent.owner },
        licences: detailed,
        openLicences: openLicences.map((o) => ({ event: o.event, owner: o.owner, terms: o.terms, at: o.at })),
        facts,
        digest: {
          algorithm: "sha256" as const,
          value: digest,
          facts: facts.length,
          command: `npm run tianfu -- --rpc <your node> audit licences ${patent.number} --to-block ${block.number}`,
        },
      };
    },
  });

  api.get({
    path: "/audit/licences",
    operationId: "listLicencesByParty",
    summary: "Licences by owner or by licensee",
    description:
      "Give exactly one of `owner` and `licensee`. By licensee: the licensee index, in licence id order. By owner: the licences (active and ended) " +
      `of every patent the address owns now, patent by patent; one page examines at most ${OWNER_SCAN_LIMIT} index entries (see \`scan\`).`,
    query: LicencePartyQuery,
    response: LicencePageSchema,
    errors: { 400: ["BAD_REQUEST", "INVALID_CURSOR"] },
    indexed: "read",
    async handler({ query }) {
      const { queries, store } = ctx.index!;
      const limit = query.limit ?? 50;
      const driver = exactlyOne(query, ["owner", "licensee"]) as "owner" | "licensee";
      const withNumber = (l: LicenceEntity) => ({ ...licenceView(l), patentNumber: formatCnipaNumber(BigInt(l.patentId)) });
      if (driver === "licensee") {
        const page = await queries.licencesOfLicensee(query.licensee!, { after: query.cursor, limit }).catch(invalidCursor);
        return { items: page.items.map(withNumber), next: page.next, scan: { driver, examined: page.items.length, complete: true } };
      }
      // The cursor is the last index key handled: an owner-index key (every licence of that patent done) or a licence-index key.
      const ownerPrefix = keys.byOwnerPrefix(query.owner!);
      let resumeLicence: string | undefined;
      let lastPatentKey: string | undefined;
      if (query.cursor !== undefined) {
        const key = Buffer.from(query.cursor, "base64url").toString("utf8");
        if (Buffer.from(key, "utf8").toString("base64url") !== query.cursor) throw new ApiError(400, "INVALID_CURSOR", "the cursor is not valid base64url");
        if (key.startsWith(ownerPrefix)) lastPatentKey = key;
        else if (/^ix\/lic-patent\/\d{20}\/\d{20}$/.test(key)) {
          const patentId = key.split("/")[2]!.replace(/^0+(?=\d)/, "");
          // The patent's own licences continue first; the walk then goes on after it.
          resumeLicence = key;
          lastPatentKey = keys.byOwner(query.owner!, patentId);
        } else throw new ApiError(400, "INVALID_CURSOR", "the cursor does not belong to this query");
      }
      const items: LicenceEntity[] = [];
      let examined = 0;
      let last: string | undefined;
      let exhausted = false;
      const takeLicences = async (patentId: string, after: string | undefined): Promise<boolean> => {
        const prefix = keys.licencesOfPatentPrefix(patentId);
        const found = await store.keysWithPrefix(prefix, { limit: limit - items.length + 1, ...(after !== undefined ? { gt: after } : {}) });
        const room = limit - items.length;
        const taken = found.slice(0, room);
        examined += taken.length;
        const values = await store.getMany<LicenceEntity>(taken.map((k) => keys.licence(idOfIndexKey(k))));
        for (const v of values) if (v !== undefined) items.push(v);
        if (found.length > room) {
          last = taken[taken.length - 1];
          return false; // the page is full inside this patent's licences
        }
        return true;
      };
      if (resumeLicence !== undefined) {
        const patentId = resumeLicence.split("/")[2]!;
        if (!(await takeLicences(patentId, resumeLicence))) return pageOf(items, last, examined);
        last = lastPatentKey;
        if (items.length >= limit) return pageOf(items, last, examined);
      }
      while (items.length < limit && examined < OWNER_SCAN_LIMIT && !exhausted) {
        const patents = await store.keysWithPrefix(ownerPrefix, { limit: 100, ...(lastPatentKey !== undefined ? { gt: lastPatentKey } : {}) });
        if (patents.length < 100) exhausted = true;
        for (const pk of patents) {
          examined++;
          if (!(await takeLicences(idOfIndexKey(pk), undefined))) return pageOf(items, last, examined);
          last = lastPatentKey = pk;
          if (items.length >= limit || examined >= OWNER_SCAN_LIMIT) {
            exhausted = exhausted && pk === patents[patents.length - 1];
            break;
          }
        }
      }
      return pageOf(items, exhausted ? undefined : last, examined, items.length >= limit || exhausted);

      function pageOf(found: LicenceEntity[], cursorKey: string | undefined, seen: number, complete = true) {
        return {
          items: found.map(withNumber),
          next: cursorKey === undefined ? null : Buffer.from(cursorKey, "utf8").toString("base64url"),
          scan: { driver, examined: seen, complete },
        };
      }
    },
  });

  api.get({
    path: "/audit/equity",
    operationId: "listEquityDeals",
    summary: "Equity-for-technology deals and their warrants by company or by contributor",
    description: "Give exactly one of `company` and `contributor`. Deals in id order, each with its patents' CNIPA numbers and its warrants.",
    query: EquityQuery,
    response: EquityPageSchema,
    errors: { 400: ["BAD_REQUEST", "INVALID_CURSOR"] },
    indexed: "read",
    async handler({ query }) {
      const { queries } = ctx.index!;
      const by = exactlyOne(query, ["company", "contributor"]);
      const page = { after: query.cursor, limit: query.limit ?? 50 };
      const deals = await (by === "company" ? queries.dealsByCompany(query.company!, page) : queries.dealsByContributor(query.contributor!, page)).catch(invalidCursor);
      const items = await Promise.all(
        deals.items.map(async (d: DealEntity) => ({
          deal: dealView(d),
          patents: d.patents.map((x) => ({ patentId: x.patentId, number: formatCnipaNumber(BigInt(x.patentId)) })),
          warrants: (await pagesOf((after) => queries.warrantsOfDeal(d.id, { after, limit: 500 }))).map(warrantView),
        })),
      );
      return { items, next: deals.next };
    },
  });
}

function invalidCursor(err: unknown): never {
  if (err instanceof QueryError) throw new ApiError(400, "INVALID_CURSOR", err.message);
  throw err;
}

/** Every item of a paged query (a licence's payments, a deal's warrants). */
async function pagesOf<T>(page: (after: string | undefined) => Promise<{ items: T[]; next: string | null }>): Promise<T[]> {
  const out: T[] = [];
  let after: string | undefined;
  for (;;) {
    const p = await page(after);
    out.push(...p.items);
    if (p.next === null) return out;
    after = p.next;
  }
}


export function createAuditRouter(ctx: AppContext): ApiRouter {
  const api = createApiRouter(ctx, "audit");
  registerAudit(api, ctx);
  return api;
}
