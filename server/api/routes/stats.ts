import { z } from "zod";
import type { AppContext } from "../../context";
import { chinaDayOf, isoOfDay } from "../../chain/cnipa";
import type { LicenceEntity, RoyaltyPaymentEntity } from "../../indexer/handlers/licensing";
import type { PledgeEntity } from "../../indexer/handlers/pledges";
import type { Json } from "../../store/codec";
import { LegalStatus } from "../../chain/roles";
import type { PatentEntity } from "../../indexer";
import { keys, prefixEnd } from "../../store/keys";
import { BlockRef, createApiRouter, indexedBlock, type ApiRouter } from "../endpoint";
import { DORMANT_YEARS, type Reader } from "../read";
import { readerOf } from "./exchange";

/**
 * `GET /v1/stats`: the programme's indicators over every registered patent. They need one pass over the
 * patents, so the gateway keeps a snapshot per indexed block: an answer is the latest snapshot (its
 * `block` says when it was true); a newer one is computed in the background, or awaited when cheap
 * (the last pass took under REFRESH_INLINE_MS) or when `minBlock` asks for it.
 */

const Rate = z.object({
  registered: z.number().int(),
  implemented: z.number().int(),
  rate: z.number().describe("implemented / registered, 0 when none registered"),
});

export const StatsSchema = z
  .object({
    block: BlockRef,
    asOfDate: z.string().describe("the day dormancy is judged at (gateway clock, China Standard Time)"),
    patents: z.object({
      registered: z.number().int(),
      byStatus: z.record(z.string(), z.number().int()),
      byKind: z.record(z.string(), z.number().int()),
    }),
    implementation: Rate.extend({
      byRecord: z
        .object({ transfer: z.number().int(), licence: z.number().int(), pledge: z.number().int(), equity: z.number().int() })
        .describe("patents with at least one record of each kind"),
    }).describe("implementation rate: share of registered patents with any transfer, licence, pledge or equity record"),
    byOwner: z
      .array(Rate.extend({ owner: z.string() }))
      .describe("by current owner (institution), most patents first; `owners` says how many there are in all"),
    owners: z.number().int(),
    byIpcSection: z.array(Rate.extend({ section: z.string() })).describe("a patent counts once in each IPC section among its codes"),
    byGrantYear: z.array(Rate.extend({ year: z.number().int() })),
    dormant: z.object({
      count: z.number().int(),
      rule: z.string(),
    }),
    volumes: z
      .object({
        byMonth: z.array(
          z.object({
            month: z.string().describe("YYYY-MM (China Standard Time)"),
            licensing: z.object({
              licencesGranted: z.number().int(),
              byKind: z.record(z.string(), z.number().int()).describe("Exclusive, Sole, NonExclusive, Sublicence"),
              openLicencesTaken: z.number().int(),
              royaltyPayments: z.number().int(),
              royaltiesPaid: z.record(z.string(), z.string()).describe("by token address: decimal amounts in the token's unit"),
            }),
            pledgeFinancing: z.object({
              registered: z.number().int().describe("pledges registered with CNIPA that month"),
              securedRegistered: z.record(z.string(), z.string()).describe("their secured amounts by currency (minor unit)"),
              proposed: z.number().int(),
              securedProposed: z.record(z.string(), z.string()),
            }),
          }),
        ),
        totals: z.object({
          licencesGranted: z.number().int(),
          royaltyPayments: z.number().int(),
          royaltiesPaid: z.record(z.string(), z.string()),
          pledgesRegistered: z.number().int(),
          securedRegistered: z.record(z.string(), z.string()),
        }),
        dating: z.string().describe("which date each fact is counted at"),
        undated: z.number().int().describe("facts left out because no timestamp of their block was found"),
      })
      .describe("licensing volume and pledge financing volume over time, by month"),
    notCovered: z.array(z.string()).describe("indicators the current index cannot give yet, and why"),
    computedMs: z.number().int().describe("how long the pass over the index took"),
  })
  .meta({ id: "Stats" });
type Stats = z.infer<typeof StatsSchema>;

const StatsQuery = z.object({
  top: z
    .string()
    .regex(/^\d{1,4}$/, "top: decimal digits")
    .transform(Number)
    .pipe(z.number().int().min(1, "top: at least 1").max(1000, "top: at most 1000"))
    .optional()
    .describe("owners listed in byOwner (default 50)"),
});

const REFRESH_INLINE_MS = 500;

interface Counter {
  registered: number;
  implemented: number;
}
const rate = (c: Counter) => ({ ...c, rate: c.registered === 0 ? 0 : c.implemented / c.registered });
const bump = <K>(map: Map<K, Counter>, key: K, implemented: boolean) => {
  const c = map.get(key) ?? { registered: 0, implemented: 0 };
  c.registered++;
  if (implemented) c.implemented++;
  map.set(key, c);
};

/** Snapshot without the owner cut (so that `top` is applied per answer). */
type Snapshot = Omit<Stats, "byOwner"> & { allOwners: (Counter & { owner: string })[] };

type Volumes = Stats["volumes"];
/** Entities dated per batch in the volume pass. */
const VOLUME_BATCH = 1000;
type Month = Volumes["byMonth"][number];

const addTo = (into: Record<string, string>, key: string, value: string) => {
  into[key] = (BigInt(into[key] ?? "0") + BigInt(value)).toString();
};
const monthOfDay = (day: number) => isoOfDay(day).slice(0, 7);

/** Block timestamps (unix seconds) the index lacks, asked of the node once: by block number and hash. */
export type TimestampCache = Map<string, number>;

/**
 * Licensing and pledge financing volume by month, in one pass over the licences, royalty payments and
 * pledges. Licences and payments carry no day in their events: they are dated by their block's timestamp,
 * which the index keeps on its block records (asked of the node for records written before it did).
 */
async function computeVolumes(ctx: AppContext, cache: TimestampCache): Promise<Volumes> {
  const store = ctx.index!.store;
  const months = new Map<string, Month>();
  const monthOf = (m: string): Month => {
    let row = months.get(m);
    if (!row) {
      row = {
        month: m,
        licensing: { licencesGranted: 0, byKind: {}, openLicencesTaken: 0, royaltyPayments: 0, royaltiesPaid: {} },
        pledgeFinancing: { registered: 0, securedRegistered: {}, proposed: 0, securedProposed: {} },
      };
      months.set(m, row);
    }
    return row;
  };
  let undated = 0;
  const totals: Volumes["totals"] = { licencesGranted: 0, royaltyPayments: 0, royaltiesPaid: {}, pledgesRegistered: 0, securedRegistered: {} };

  /** Timestamps of a batch's blocks: from the index's block records, else from the node (cached). */
  async function stampsOf(blocks: number[]): Promise<Map<number, number>> {
    const stamps = new Map<number, number>();
    const distinct = [...new Set(blocks)];
    const records = await store.getMany<{ hash: string; timestamp?: number }>(distinct.map((n) => keys.block(n)));
    const missing: [number, string][] = [];
    distinct.forEach((n, j) => {
      const r = records[j];
      if (r?.timestamp !== undefined) stamps.set(n, r.timestamp);
      else if (r) {
        const cached = cache.get(`${n}:${r.hash}`);
        if (cached !== undefined) stamps.set(n, cached);
        else missing.push([n, r.hash]);
      }
    });
    for (let k = 0; k < missing.length; k += 20) {
      await Promise.all(
        missing.slice(k, k + 20).map(async ([n, hash]) => {
          const b = await ctx.provider.getBlock(n).catch(() => null);
          if (b && b.hash?.toLowerCase() === hash) {
            stamps.set(n, b.timestamp);
            cache.set(`${n}:${hash}`, b.timestamp);
          }
        }),
      );
    }
    return stamps;
  }

  /** Walks the entities under `prefix` in batches (memory stays bounded), each with the months of its blocks. */
  async function walk<T extends Json>(prefix: string, blockOf: (v: T) => number, apply: (v: T, month: string | undefined) => void): Promise<void> {
    let batch: T[] = [];
    const flush = async () => {
      const stamps = await stampsOf(batch.map(blockOf));
      for (const v of batch) {
        const t = stamps.get(blockOf(v));
        if (t === undefined) undated++;
        apply(v, t === undefined ? undefined : monthOfDay(chinaDayOf(t)));
      }
      batch = [];
    };
    for await (const [, v] of store.iterate<T>({ gte: prefix, lt: prefixEnd(prefix) })) {
      batch.push(v);
      if (batch.length === VOLUME_BATCH) await flush();
    }
    await flush();
  }

  await walk<LicenceEntity>(keys.licencePrefix(), (l) => l.granted.block, (l, m) => {
    if (m === undefined) return;
    const row = monthOf(m).licensing;
    row.licencesGranted++;
    row.byKind[l.kind] = (row.byKind[l.kind] ?? 0) + 1;
    if (l.open) row.openLicencesTaken++;
    totals.licencesGranted++;
  });
  await walk<RoyaltyPaymentEntity>(keys.royaltyPaymentPrefix(), (p) => p.paid.block, (p, m) => {
    if (m === undefined) return;
    const row = monthOf(m).licensing;
    row.royaltyPayments++;
    addTo(row.royaltiesPaid, p.token, p.amount);
    totals.royaltyPayments++;
    addTo(totals.royaltiesPaid, p.token, p.amount);
  });
  await walk<PledgeEntity>(keys.pledgePrefix(), (p) => p.proposed.block, (p, m) => {
    if (m !== undefined) {
      const row = monthOf(m).pledgeFinancing;
      row.proposed++;
      addTo(row.securedProposed, p.currency, p.securedAmount);
    }
    if (p.registration) {
      const row = monthOf(monthOfDay(p.registration.registrationDay)).pledgeFinancing;
      row.registered++;
      addTo(row.securedRegistered, p.currency, p.securedAmount);
      totals.pledgesRegistered++;
      addTo(totals.securedRegistered, p.currency, p.securedAmount);
    }
  });
  return {
    byMonth: [...months.values()].sort((a, b) => (a.month < b.month ? -1 : 1)),
    totals,
    dating:
      "licences granted, open licences taken and royalty payments by their block's timestamp; pledges proposed by their block's timestamp; " +
      "pledges registered by their registration day (the event's); months in China Standard Time",
    undated,
  };
}

async function computeStats(ctx: AppContext, reader: Reader, cache: TimestampCache): Promise<Snapshot> {
  const started = Date.now();
  const store = ctx.index!.store;
  const block = await indexedBlock(ctx);
  const today = reader.today();
  const byStatus: Record<string, number> = {};
  const byKind: Record<string, number> = {};
  const byRecord = { transfer: 0, licence: 0, pledge: 0, equity: 0 };
  const total: Counter = { registered: 0, implemented: 0 };
  const owners = new Map<string, Counter>();
  const sections = new Map<string, Counter>();
  const years = new Map<number, Counter>();
  let dormant = 0;
  for await (const [, p] of store.iterate<PatentEntity>({ gte: keys.patentPrefix(), lt: prefixEnd(keys.patentPrefix()) })) {
    const impl = await reader.implementationOf(p);
    total.registered++;
    if (impl.any) total.implemented++;
    for (const k of ["transfer", "licence", "pledge", "equity"] as const) if (impl[k]) byRecord[k]++;
    byStatus[p.status] = (byStatus[p.status] ?? 0) + 1;
    byKind[p.kind] = (byKind[p.kind] ?? 0) + 1;
    bump(owners, p.owner, impl.any);
    for (const section of new Set(p.ipc.map((c) => c.trim().charAt(0).toUpperCase()).filter((c) => /[A-H]/.test(c)))) bump(sections, section, impl.any);
    bump(years, Number(isoOfDay(p.grantDay).slice(0, 4)), impl.any);
    if (!impl.any && p.statusCode === LegalStatus.Valid && (await reader.isDormant(p, today))) dormant++;
  }
  return {
    block,
    asOfDate: isoOfDay(today),
    patents: { registered: total.registered, byStatus, byKind },
    implementation: { ...rate(total), byRecord },
    allOwners: [...owners].map(([owner, c]) => ({ owner, ...c })).sort((a, b) => b.registered - a.registered || (a.owner < b.owner ? -1 : 1)),
    owners: owners.size,
    byIpcSection: [...sections].sort(([a], [b]) => (a < b ? -1 : 1)).map(([section, c]) => ({ section, ...rate(c) })),
    byGrantYear: [...years].sort(([a], [b]) => a - b).map(([year, c]) => ({ year, ...rate(c) })),
    dormant: {
      count: dormant,
      rule: `valid, granted more than ${DORMANT_YEARS} years before asOfDate, no transfer, licence, pledge or equity record`,
    },
    volumes: await computeVolumes(ctx, cache),
    notCovered: [
      "by city or region: the ledger holds no location for a patent or an owner (CNIPA application numbers do not encode one); " +
        "it needs a participant directory",
      "implementation over time by the date of each record: byGrantYear groups the rate by grant year; volumes gives licensing and pledge financing by month",
    ],
    computedMs: Date.now() - started,
  };
}

export function registerStats(api: ApiRouter, ctx: AppContext): void {
  const reader = readerOf(ctx);
  let snapshot: Snapshot | undefined;
  let running: Promise<Snapshot> | undefined;
  const timestamps: TimestampCache = new Map();

  const refresh = (): Promise<Snapshot> =>
    (running ??= computeStats(ctx, reader(), timestamps)
      .then((s) => {
        if (!snapshot || s.block.number >= snapshot.block.number) snapshot = s;
        return s;
      })
      .finally(() => {
        running = undefined;
      }));

  async function current(minBlock: number | undefined): Promise<Snapshot> {
    const at = await indexedBlock(ctx);
    if (snapshot && snapshot.block.number === at.number && snapshot.block.hash === at.hash) return snapshot;
    const fresh = refresh();
    const mustWait = !snapshot || (minBlock !== undefined && snapshot.block.number < minBlock) || snapshot.computedMs < REFRESH_INLINE_MS;
    if (mustWait) return fresh;
    fresh.catch((err: unknown) => ctx.logger.error({ err }, "stats refresh failed"));
    return snapshot!;
  }

  api.get({
    path: "/stats",
    operationId: "getStats",
    summary: "Implementation and programme indicators",
    description:
      "Implementation rate (share of registered patents with any transfer, licence, pledge or equity record) overall, by owner, by IPC section " +
      "and by grant year; dormant patents; licensing volume and pledge financing volume by month. Computed in one pass over the patents, " +
      "licences, royalty payments and pledges per indexed block, in the background once a pass takes longer than " +
      `${REFRESH_INLINE_MS} ms (the answer is then the last snapshot); \`block\` is the block the snapshot was true at.`,
    query: StatsQuery,
    response: StatsSchema,
    indexed: "self",
    async handler({ query }) {
      const { allOwners, ...rest } = await current((query as { minBlock?: number }).minBlock);
      return { ...rest, byOwner: allOwners.slice(0, query.top ?? 50).map((o) => ({ ...o, rate: o.registered === 0 ? 0 : o.implemented / o.registered })) };
    },
  });
}

export function createStatsRouter(ctx: AppContext): ApiRouter {
  const api = createApiRouter(ctx, "stats");
  registerStats(api, ctx);
  return api;
}
