import { z } from "zod";
import type { AppContext } from "../../context";
import { formatCnipaNumber, isoOfDay } from "../../chain/cnipa";
import { LegalStatus, LockBits } from "../../chain/roles";
import { QueryError, type AmountsByCurrency, type PledgeeExposure } from "../../indexer";
import { PLEDGE_STATUS, PledgeStatus } from "../../indexer/handlers/enums";
import type { ActConsentEntity, PledgeEntity } from "../../indexer/handlers/pledges";
import { addToExposure, newExposure } from "../../indexer/queries";
import { idOfIndexKey, keys, prefixEnd } from "../../store/keys";
import { createApiRouter, digits, type ApiRouter } from "../endpoint";
import { ApiError } from "../errors";
import {
  actConsentView,
  ActConsentSchema,
  addressParam,
  dealView,
  DealSchema,
  licenceView,
  LicenceSchema,
  openLicenceView,
  OpenLicenceSchema,
  pledgeView,
  PledgeSchema,
  proceedsView,
  ProceedsSchema,
  ValuationSchema,
  valuationView,
} from "../rights";
import { NumberParams, PageQuery, TransferSchema, transferView } from "../schemas";
import { readerOf } from "./exchange";

/**
 * The banks' router: the encumbrance view of a patent (registry facts, pledges active and pending with the
 * pledgee's consents, licences in force, the open-licence declaration, equity deals not ended, valuations,
 * and what bars a new pledge), pledges by pledgee, pledgor, status and patent, one pledge in full, and
 * the exposure of each bank.
 */

const LockSchema = z.object({
  bit: z.number().int(),
  name: z.string().describe(`one of ${Object.keys(LockBits).join(", ")}`),
  module: z.string().nullable().describe("the contract the admin named for this lock bit"),
});

const BLOCKER_CODES = [
  "NOT_VALID",
  "EXPIRED",
  "TRANSFER_PENDING",
  "PLEDGED",
  "PLEDGE_PENDING",
  "UNDER_DISPOSAL",
  "EQUITY_DEAL",
  "LISTED",
] as const;
const CAUTION_CODES = ["EXCLUSIVE_LICENCE", "SOLE_LICENCE", "OPEN_LICENCE", "LICENCE_PAST_END"] as const;

const FactSchema = <C extends readonly [string, ...string[]]>(codes: C) =>
  z.object({
    code: z.enum(codes),
    message: z.string(),
    ref: z.string().nullable().describe("the id of the pledge, transfer, licence or deal concerned"),
  });

const EncumbrancePledgeSchema = PledgeSchema.extend({
  phase: z.enum(["pending", "active", "defaulted"]).describe("pending: Proposed or Agreed; active: Registered; defaulted: Defaulted or Enforced"),
  patentStatus: z.string().describe("this patent's state in the pledge: Pledged or Disposing"),
  consentsGranted: z.array(ActConsentSchema).describe("the pledgee's consents to acts on this patent (given, used or revoked)"),
});

export const EncumbrancesSchema = z
  .object({
    patent: z.object({
      id: z.string(),
      number: z.string(),
      owner: z.string(),
      status: z.string(),
      statusCode: z.number().int(),
      expiryDay: z.number().int(),
      expiryDate: z.string(),
      inForce: z.boolean().describe("valid and before its expiry day (gateway clock, China Standard Time)"),
    }),
    locks: z.array(LockSchema).describe("lock bits set on the patent"),
    pendingTransfer: TransferSchema.nullable(),
    pledges: z.array(EncumbrancePledgeSchema).describe("pledges holding the patent (active and pending), by id"),
    licences: z
      .object({
        exclusiveOrSole: z.array(LicenceSchema).describe("exclusive and sole licences in force"),
        nonExclusive: z.number().int().describe("non-exclusive licences and sublicences in force"),
        inForce: z.number().int(),
      })
      .describe("licences in force (status Active; one past its end day stays Active until someone records its expiry)"),
    openLicence: OpenLicenceSchema.nullable().describe("the open-licence declaration in force, if any"),
    equityDeals: z.array(DealSchema).describe("equity deals not ended (Proposed, Accepted, Executing)"),
    valuations: z.object({
      latest: ValuationSchema.nullable(),
      count: z.number().int(),
      history: z.array(ValuationSchema).describe("the most recent valuations, newest first"),
    }),
    blockers: z
      .array(FactSchema(BLOCKER_CODES))
      .describe("facts that bar a new pledge on the ledger (the registry's state, a pledge or a deal holding the patent, a listing); empty when none"),
    cautions: z
      .array(FactSchema(CAUTION_CODES))
      .describe("facts that do not bar a pledge but bind a pledgee (licences survive a change of owner)"),
    pledgeBlockers: z.array(z.string()).describe("the messages of `blockers` (kept for earlier clients)"),
  })
  .meta({ id: "Encumbrances" });

const lockName = (bit: number): string => Object.entries(LockBits).find(([, b]) => b === bit)?.[0] ?? `BIT_${bit}`;
const VALUATION_HISTORY = 5;

const phaseOf = (p: PledgeEntity): "pending" | "active" | "defaulted" =>
  p.statusCode === PledgeStatus.Proposed || p.statusCode === PledgeStatus.Agreed
    ? "pending"
    : p.statusCode === PledgeStatus.Registered
      ? "active"
      : "defaulted";

// ---------------------------------------------------------------- pledges list

const PLEDGE_STATUS_NAMES = PLEDGE_STATUS.slice(1) as unknown as [string, ...string[]];

export const PledgeQuery = PageQuery.extend({
  pledgee: addressParam("pledgee").optional().describe("the bank; uses the pledgee index"),
  pledgor: addressParam("pledgor").optional().describe("a pledgor; uses the pledgor index"),
  status: z.enum(PLEDGE_STATUS_NAMES, { error: `status: one of ${PLEDGE_STATUS_NAMES.join(", ")}` }).optional().describe("uses the status index"),
  patent: z
    .string()
    .max(40, "patent: too long")
    .optional()
    .describe('a patent (CNIPA number or application number) in the pledge; uses the by-patent index'),
});

export const PledgePageSchema = z
  .object({
    items: z.array(PledgeSchema),
    next: z.string().nullable().describe("cursor of the next page; null on the last"),
    scan: z.object({
      driver: z.enum(["patent", "pledgor", "pledgee", "status", "all"]).describe("the index walked; the other filters are checked on each pledge"),
      examined: z.number().int(),
      complete: z.boolean().describe("false when the scan limit ended the page before it was full; `next` continues"),
    }),
  })
  .meta({ id: "PledgePage" });

export const PledgeDetailSchema = z
  .object({
    pledge: PledgeSchema,
    patents: z.array(z.object({ patentId: z.string(), number: z.string() })).describe("the CNIPA numbers of the pledge's patents, in its order"),
    consents: z.array(ActConsentSchema).describe("the pledgee's consents to acts on the pledged patents"),
    proceeds: z.array(ProceedsSchema).describe("proceeds escrowed and paid, in chain order"),
    disposals: z
      .array(z.object({ patentId: z.string(), status: z.string(), disposal: PledgeSchema.shape.patents.element.shape.disposal }))
      .describe("the disposal auction of each patent that had one"),
  })
  .meta({ id: "PledgeDetail" });

const AmountsSchema = z.record(z.string(), z.string()).describe("by currency code: decimal amounts in the minor unit");

const ExposureSchema = z.object({
  pledgee: z.string(),
  pledges: z.number().int(),
  byStatus: z.record(z.string(), z.number().int()),
  active: z.number().int().describe("Registered or Defaulted"),
  portfolioPledges: z.number().int().describe("active pledges of more than one patent"),
  patentsPledged: z.number().int().describe("distinct patents held by active or pending pledges"),
  pledgors: z.number().int(),
  outstanding: AmountsSchema.describe("secured amounts of active pledges (a Defaulted one less what was recovered)"),
  pending: AmountsSchema.describe("secured amounts of Proposed or Agreed pledges"),
  recovered: AmountsSchema,
});

export const ExposureAnswerSchema = z
  .object({
    banks: z.array(ExposureSchema).describe("one bank with `pledgee`; else every bank with a pending or active pledge, largest book first"),
    scope: z
      .enum(["pledgee", "open-book"])
      .describe("pledgee: every pledge of the bank; open-book: only Proposed, Agreed, Registered and Defaulted pledges, grouped by pledgee"),
  })
  .meta({ id: "Exposure" });

const ExposureQuery = z.object({
  pledgee: addressParam("pledgee").optional().describe("the bank; without it, every bank with an open pledge"),
});

const PLEDGE_SCAN_LIMIT = 5000;
/** Index entries counted per candidate when choosing the index to walk. */
const PLAN_PROBE = 1000;
const BATCH = 200;

export function registerFinancing(api: ApiRouter, ctx: AppContext): void {
  const reader = readerOf(ctx);

  api.get({
    path: "/financing/patents/{number}/encumbrances",
    operationId: "getEncumbrances",
    summary: "What a bank must know before lending against a patent",
    description:
      "Owner, legal status, expiry, locks with the module holding each, the pending transfer, pledges holding the patent (active and pending) with " +
      "the pledgee's consents to acts on it, exclusive and sole licences in force and the count of the others, the open-licence declaration, equity " +
      "deals not ended, the latest valuation with a short history, the facts that bar a new pledge (`blockers`) and those that bind a pledgee (`cautions`).",
    params: NumberParams,
    response: EncumbrancesSchema,
    errors: { 400: ["BAD_REQUEST", "INVALID_PATENT_NUMBER"], 404: ["PATENT_NOT_FOUND"] },
    indexed: "read",
    async handler({ params }) {
      const { queries, store } = ctx.index!;
      const e = await queries.encumbrancesOfPatent(params.number.id);
      if (!e) throw new ApiError(404, "PATENT_NOT_FOUND", `${params.number.number} is not registered on the ledger`, { number: params.number.number });
      const p = e.patent;
      const [modules, pending, consents, latest, history] = await Promise.all([
        store.getMany<{ module: string }>(p.lockBits.map((bit) => keys.lockModule(bit))),
        p.pendingTransfer !== null ? queries.getTransfer(p.pendingTransfer) : undefined,
        Promise.all(e.pledges.map((pl) => queries.actConsentsOfPledge(pl.id, { limit: 500 }))),
        queries.latestValuation(p.id),
        (async () => {
          const prefix = keys.valuationsOfPatentPrefix(p.id);
          const out = [];
          for await (const [, v] of store.iterate<Parameters<typeof valuationView>[0]>({ gte: prefix, lt: prefixEnd(prefix), reverse: true, limit: VALUATION_HISTORY })) {
            out.push(v);
          }
          return out;
        })(),
      ]);
      const today = reader().today();
      const inForce = p.statusCode === LegalStatus.Valid && today < p.expiryDay;
      type Fact<C> = { code: C; message: string; ref: string | null };
      const blockers: Fact<(typeof BLOCKER_CODES)[number]>[] = [];
      const cautions: Fact<(typeof CAUTION_CODES)[number]>[] = [];
      if (p.statusCode !== LegalStatus.Valid) blockers.push({ code: "NOT_VALID", message: `legal status is ${p.status}`, ref: null });
      else if (!inForce) blockers.push({ code: "EXPIRED", message: `expired on ${isoOfDay(p.expiryDay)}`, ref: null });
      if (p.pendingTransfer !== null) blockers.push({ code: "TRANSFER_PENDING", message: `transfer ${p.pendingTransfer} is pending`, ref: p.pendingTransfer });
      const pledges = e.pledges.map((pl, i) => {
        const entry = pl.patents.find((x) => x.patentId === p.id)!;
        const own: ActConsentEntity[] = consents[i]!.items.filter((c) => c.patentId === p.id);
        return { ...pledgeView(pl), phase: phaseOf(pl), patentStatus: entry.status, consentsGranted: own.map(actConsentView) };
      });
      for (const pl of pledges) {
        if (pl.phase === "pending") blockers.push({ code: "PLEDGE_PENDING", message: `pledge ${pl.id} to ${pl.pledgee} awaits registration (${pl.status})`, ref: pl.id });
        else blockers.push({ code: "PLEDGED", message: `already pledged: pledge ${pl.id} to ${pl.pledgee} (${pl.status})`, ref: pl.id });
        if (pl.patentStatus === "Disposing") blockers.push({ code: "UNDER_DISPOSAL", message: `under a pledge disposal (pledge ${pl.id})`, ref: pl.id });
      }
      if (pledges.length === 0 && p.lockBits.includes(LockBits.PLEDGED)) blockers.push({ code: "PLEDGED", message: "already pledged", ref: null });
      if (p.lockBits.includes(LockBits.DISPOSAL) && !blockers.some((b) => b.code === "UNDER_DISPOSAL")) {
        blockers.push({ code: "UNDER_DISPOSAL", message: "under a pledge disposal", ref: null });
      }
      for (const d of e.deals) blockers.push({ code: "EQUITY_DEAL", message: `committed to equity deal ${d.id} with ${d.company} (${d.status})`, ref: d.id });
      if (e.deals.length === 0 && p.lockBits.includes(LockBits.EQUITY)) blockers.push({ code: "EQUITY_DEAL", message: "committed to an equity deal", ref: null });
      if (p.lockBits.includes(LockBits.LISTED)) blockers.push({ code: "LISTED", message: "listed on the exchange", ref: null });

      const exclusiveOrSole = e.licences.filter((l) => l.kind === "Exclusive" || l.kind === "Sole");
      for (const l of exclusiveOrSole) {
        cautions.push({
          code: l.kind === "Exclusive" ? "EXCLUSIVE_LICENCE" : "SOLE_LICENCE",
          message: `${l.kind.toLowerCase()} licence ${l.id} to ${l.licensee} until ${isoOfDay(l.scope.endDay)}`,
          ref: l.id,
        });
      }
      for (const l of e.licences) {
        if (l.scope.endDay < today) cautions.push({ code: "LICENCE_PAST_END", message: `licence ${l.id} is past its end day but its expiry is not recorded`, ref: l.id });
      }
      if (e.openLicence) cautions.push({ code: "OPEN_LICENCE", message: `open licence declared by ${e.openLicence.owner} (${e.openLicence.taken} taken)`, ref: null });
      return {
        patent: {
          id: p.id,
          number: p.number,
          owner: p.owner,
          status: p.status,
          statusCode: p.statusCode,
          expiryDay: p.expiryDay,
          expiryDate: isoOfDay(p.expiryDay),
          inForce,
        },
        locks: p.lockBits.map((bit, i) => ({ bit, name: lockName(bit), module: modules[i]?.module ?? null })),
        pendingTransfer: pending ? transferView(pending) : null,
        pledges,
        licences: { exclusiveOrSole: exclusiveOrSole.map(licenceView), nonExclusive: e.licences.length - exclusiveOrSole.length, inForce: e.licences.length },
        openLicence: e.openLicence ? openLicenceView(e.openLicence) : null,
        equityDeals: e.deals.map(dealView),
        valuations: {
          latest: latest ? valuationView(latest) : null,
          count: latest ? Number(latest.index) + 1 : 0,
          history: history.map(valuationView),
        },
        blockers,
        cautions,
        pledgeBlockers: blockers.map((b) => b.message),
      };
    },
  });

  api.get({
    path: "/financing/pledges",
    operationId: "listPledges",
    summary: "Pledges by pledgee, pledgor, status or patent",
    description:
      "A page of pledges matching every filter given, in pledge id order. The walk uses the index with the fewest entries among the filters " +
      `given (patent, pledgor, pledgee, status; counted up to ${PLAN_PROBE}) and checks the other filters on each pledge; one page examines ` +
      `at most ${PLEDGE_SCAN_LIMIT} pledges.`,
    query: PledgeQuery,
    response: PledgePageSchema,
    errors: { 400: ["BAD_REQUEST", "INVALID_CURSOR", "INVALID_PATENT_NUMBER"] },
    indexed: "read",
    async handler({ query }) {
      const store = ctx.index!.store;
      let patentId: string | undefined;
      if (query.patent !== undefined) {
        const parsed = NumberParams.shape.number.safeParse(query.patent);
        if (!parsed.success) throw new ApiError(400, "INVALID_PATENT_NUMBER", parsed.error.issues[0]!.message, [{ path: "patent", message: parsed.error.issues[0]!.message }]);
        patentId = parsed.data.id;
      }
      const statusCode = query.status !== undefined ? PLEDGE_STATUS.indexOf(query.status as (typeof PLEDGE_STATUS)[number]) : undefined;
      type Driver = z.infer<typeof PledgePageSchema>["scan"]["driver"];
      const candidates: [Driver, string][] = [];
      if (patentId !== undefined) candidates.push(["patent", keys.pledgesOfPatentPrefix(patentId)]);
      if (query.pledgor !== undefined) candidates.push(["pledgor", keys.pledgesByPledgorPrefix(query.pledgor)]);
      if (query.pledgee !== undefined) candidates.push(["pledgee", keys.pledgesByPledgeePrefix(query.pledgee)]);
      if (statusCode !== undefined) candidates.push(["status", keys.pledgesByStatusPrefix(statusCode)]);
      let last: string | undefined;
      let chosen: [Driver, string] | undefined;
      if (query.cursor !== undefined) {
        last = Buffer.from(query.cursor, "base64url").toString("utf8");
        const all: [Driver, string][] = [...candidates, ["all", keys.pledgePrefix()]];
        chosen = all.find(([, prefix]) => last!.startsWith(prefix));
        if (!chosen || Buffer.from(last, "utf8").toString("base64url") !== query.cursor) {
          throw new ApiError(400, "INVALID_CURSOR", "the cursor does not belong to this query");
        }
      } else if (candidates.length === 0) chosen = ["all", keys.pledgePrefix()];
      else if (candidates.length === 1) chosen = candidates[0]!;
      else {
        // The index with the fewest entries (counted up to PLAN_PROBE each); ties go to the first in the list.
        const counts = await Promise.all(candidates.map(([, prefix]) => store.keysWithPrefix(prefix, { limit: PLAN_PROBE }).then((k) => k.length)));
        let best = 0;
        for (let i = 1; i < candidates.length; i++) if (counts[i]! < counts[best]!) best = i;
        chosen = candidates[best]!;
      }
      const [driver, prefix] = chosen;
      const limit = query.limit ?? 50;
      const matches = (p: PledgeEntity) =>
        (query.pledgee === undefined || p.pledgee === query.pledgee.toLowerCase()) &&
        (query.pledgor === undefined || p.pledgors.includes(query.pledgor.toLowerCase())) &&
        (statusCode === undefined || p.statusCode === statusCode) &&
        (patentId === undefined || p.patents.some((x) => x.patentId === patentId));
      const items: PledgeEntity[] = [];
      let examined = 0;
      let exhausted = false;
      const start = last;
      while (items.length < limit && examined < PLEDGE_SCAN_LIMIT && !exhausted) {
        const want = Math.min(BATCH, PLEDGE_SCAN_LIMIT - examined, driver === "all" ? limit - items.length + 1 : BATCH);
        const found = await store.keysWithPrefix(prefix, { limit: want, ...(last !== undefined ? { gt: last } : {}) });
        const values = driver === "all" ? await store.getMany<PledgeEntity>(found) : await store.getMany<PledgeEntity>(found.map((k) => keys.pledge(idOfIndexKey(k))));
        let consumed = 0;
        for (let i = 0; i < found.length && items.length < limit; i++) {
          consumed++;
          examined++;
          last = found[i];
          const p = values[i];
          if (p !== undefined && matches(p)) items.push(p);
        }
        if (found.length < want && consumed === found.length) exhausted = true;
      }
      const next = exhausted || last === undefined || last === start ? null : Buffer.from(last, "utf8").toString("base64url");
      return { items: items.map(pledgeView), next, scan: { driver, examined, complete: items.length === limit || exhausted } };
    },
  });

  api.get({
    path: "/financing/pledges/{id}",
    operationId: "getPledge",
    summary: "One pledge in full: patents, consents, proceeds, disposals",
    params: z.object({ id: digits("id").describe("the pledge id") }),
    response: PledgeDetailSchema,
    errors: { 400: ["BAD_REQUEST"], 404: ["PLEDGE_NOT_FOUND"] },
    indexed: "read",
    async handler({ params }) {
      const { queries } = ctx.index!;
      const pledge = await queries.getPledge(params.id);
      if (!pledge) throw new ApiError(404, "PLEDGE_NOT_FOUND", `no pledge ${params.id} on the ledger`, { id: String(params.id) });
      const [consents, proceeds] = await Promise.all([allPages((after) => queries.actConsentsOfPledge(pledge.id, { after, limit: 500 })), allPages((after) => queries.proceedsOfPledge(pledge.id, { after, limit: 500 }))]);
      return {
        pledge: pledgeView(pledge),
        patents: pledge.patents.map((x) => ({ patentId: x.patentId, number: formatCnipaNumber(BigInt(x.patentId)) })),
        consents: consents.map(actConsentView),
        proceeds: proceeds.map(proceedsView),
        disposals: pledge.patents.filter((x) => x.disposal !== null).map((x) => ({ patentId: x.patentId, status: x.status, disposal: x.disposal })),
      };
    },
  });

  api.get({
    path: "/financing/exposure",
    operationId: "getExposure",
    summary: "Exposure per bank: pledges, outstanding secured amounts, patents pledged",
    description:
      "With `pledgee`: the bank's whole book, walking every pledge it was ever pledgee of once. Without: the open book (Proposed, Agreed, " +
      "Registered and Defaulted pledges, walked through the status index) grouped by pledgee. Both are scans proportional to the pledges walked.",
    query: ExposureQuery,
    response: ExposureAnswerSchema,
    errors: { 400: ["BAD_REQUEST"] },
    indexed: "read",
    async handler({ query }) {
      const { queries, store } = ctx.index!;
      if (query.pledgee !== undefined) return { banks: [exposureView(await queries.exposureOf(query.pledgee))], scope: "pledgee" as const };
      const books = new Map<string, { x: PledgeeExposure; patents: Set<string>; pledgors: Set<string> }>();
      for (const status of [PledgeStatus.Proposed, PledgeStatus.Agreed, PledgeStatus.Registered, PledgeStatus.Defaulted]) {
        const prefix = keys.pledgesByStatusPrefix(status);
        let after: string | undefined;
        for (;;) {
          const found = await store.keysWithPrefix(prefix, { limit: 500, ...(after !== undefined ? { gt: after } : {}) });
          if (found.length === 0) break;
          after = found[found.length - 1];
          for (const p of await store.getMany<PledgeEntity>(found.map((k) => keys.pledge(idOfIndexKey(k))))) {
            if (p === undefined) continue;
            let book = books.get(p.pledgee);
            if (!book) books.set(p.pledgee, (book = { x: newExposure(p.pledgee), patents: new Set(), pledgors: new Set() }));
            addToExposure(book.x, p, book.patents, book.pledgors);
          }
          if (found.length < 500) break;
        }
      }
      const banks = [...books.values()].map(({ x, patents, pledgors }) => exposureView({ ...x, patentsPledged: patents.size, pledgors: pledgors.size }));
      banks.sort((a, b) => b.active + b.pledges - (a.active + a.pledges) || (a.pledgee < b.pledgee ? -1 : 1));
      return { banks, scope: "open-book" as const };
    },
  });
}

function exposureView(x: PledgeeExposure): z.infer<typeof ExposureSchema> {
  const sorted = (a: AmountsByCurrency) => Object.fromEntries(Object.entries(a).sort(([k1], [k2]) => (k1 < k2 ? -1 : 1)));
  return { ...x, outstanding: sorted(x.outstanding), pending: sorted(x.pending), recovered: sorted(x.recovered) };
}

/** Every item of a paged query (a pledge's consents and proceeds are few). */
async function allPages<T>(page: (after: string | undefined) => Promise<{ items: T[]; next: string | null }>): Promise<T[]> {
  const out: T[] = [];
  let after: string | undefined;
  for (;;) {
    const p = await page(after).catch((err: unknown) => {
      if (err instanceof QueryError) throw new ApiError(400, "INVALID_CURSOR", err.message);
      throw err;
    });
    out.push(...p.items);
    if (p.next === null) return out;
    after = p.next;
  }
}

export function createFinancingRouter(ctx: AppContext): ApiRouter {
  const api = createApiRouter(ctx, "financing");
  registerFinancing(api, ctx);
  return api;
}
