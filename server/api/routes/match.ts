import { z } from "zod";
import type { AppContext } from "../../context";
import { LegalStatus, Modes } from "../../chain/roles";
import type { PatentEntity } from "../../indexer";
import { keys, normaliseIpc, normaliseIpcPrefix, prefixEnd } from "../../store/keys";
import { ipcSpecificity, loadConcordance, normaliseIndustryCode, type Concordance } from "../concordance";
import type { ApiRouter } from "../endpoint";
import { ApiError } from "../errors";
import { IPC_PREFIX, MODE_NAMES, PatentSchema, patentView } from "../schemas";

/**
 * `GET /v1/match?industry=&ipc=`: patents ranked for an enterprise's needs. The industry (a GB/T 4754-2017
 * code or one of Sichuan's six priority industries) becomes IPC prefixes through the shipped
 * concordance; `ipc` adds prefixes directly. Candidates come from the IPC index under each prefix
 * (bounded); each valid candidate is scored:
 *   relevance (the specificity 1-5 of the most specific prefix it matches, x0.6 when the concordance row
 *   is for a broader industry than the one asked, and ignored when such a row is a whole IPC section) + readiness/9 + 1 if willing + 0.5 if it prefers the mode asked.
 */

const MatchQuery = z.object({
  industry: z
    .string()
    .max(40)
    .optional()
    .describe("GB/T 4754-2017 code (C, C39, 397, C3973) or a priority industry: electronic-information, equipment-manufacturing, food-light-industry, advanced-materials, energy-chemicals, medicine-health"),
  ipc: z.string().regex(IPC_PREFIX, "ipc: an IPC prefix such as H01M or H01M 10").optional().describe("an IPC prefix of interest"),
  mode: z.enum(MODE_NAMES, { error: `mode: one of ${MODE_NAMES.join(", ")}` }).optional().describe("preferred mode of the enterprise"),
  limit: z
    .string()
    .regex(/^\d{1,3}$/, "limit: decimal digits")
    .transform(Number)
    .pipe(z.number().int().min(1, "limit: at least 1").max(100, "limit: at most 100"))
    .optional()
    .describe("patents answered, 1-100 (default 20)"),
});

export const MatchSchema = z
  .object({
    industries: z.array(z.object({ code: z.string(), name: z.string().nullable() })).describe("the industry codes the query stands for"),
    interests: z
      .array(z.object({ ipc: z.string(), weight: z.number(), via: z.string().describe('"ipc" or the industry code of the concordance row') }))
      .describe("the IPC prefixes searched, with the relevance a match under each gives"),
    items: z.array(
      z.object({
        patent: PatentSchema,
        score: z.number(),
        relevance: z.number(),
        matched: z.object({ code: z.string(), interest: z.string(), via: z.string() }),
      }),
    ),
    candidates: z.object({
      examined: z.number().int(),
      complete: z.boolean().describe("false when some prefix had more patents than the scan limit allowed to examine"),
    }),
  })
  .meta({ id: "Match" });

export interface Interest {
  ipc: string;
  key: string;
  weight: number;
  via: string;
}

export function interestsFor(concordance: Concordance, industries: string[], ipc: string | undefined): Interest[] {
  const byKey = new Map<string, Interest>();
  const add = (i: Interest) => {
    const had = byKey.get(i.key);
    if (!had || had.weight < i.weight) byKey.set(i.key, i);
  };
  if (ipc !== undefined) add({ ipc: ipc.toUpperCase(), key: normaliseIpcPrefix(ipc), weight: ipcSpecificity(ipc), via: "ipc" });
  for (const row of concordance.rows) {
    for (const target of row.industries) {
      for (const wanted of industries) {
        // The row serves the industry asked (or a part of it): full weight; a row for a broader industry:
        // less, and not at all for a whole IPC section (too vague to suggest a patent).
        const factor = target.startsWith(wanted) ? 1 : wanted.startsWith(target) && row.specificity >= 2 ? 0.6 : 0;
        if (factor > 0) add({ ipc: row.ipc, key: row.key, weight: row.specificity * factor, via: target });
      }
    }
  }
  return [...byKey.values()].sort((a, b) => b.weight - a.weight || (a.key < b.key ? -1 : 1));
}

export function registerMatch(api: ApiRouter, ctx: AppContext): void {
  let concordance: Concordance | undefined;
  const conc = () => (concordance ??= loadConcordance());

  api.get({
    path: "/match",
    operationId: "matchPatents",
    summary: "Patents ranked for an enterprise's industry or IPC interests",
    description:
      "Industry codes become IPC prefixes through the IPC-to-industry concordance shipped with the gateway (server/data/ipc-industry.json, " +
      "documented in docs/ipc-industry.md). Valid patents under those prefixes are scored: relevance (specificity of the matched prefix, " +
      "1 section to 5 subgroup, x0.6 through a broader concordance row) + readiness/9 + 1 if willing to commercialise + 0.5 if it prefers the mode asked.",
    query: MatchQuery,
    response: MatchSchema,
    errors: { 400: ["BAD_REQUEST"] },
    indexed: "read",
    async handler({ query }) {
      if (query.industry === undefined && query.ipc === undefined) {
        throw new ApiError(400, "BAD_REQUEST", "give industry or ipc", [{ path: "query", message: "industry or ipc is required" }]);
      }
      const c = conc();
      let industries: string[] = [];
      if (query.industry !== undefined) {
        const priority = c.data.priorityIndustries.find((p) => p.id === query.industry!.toLowerCase());
        const code = priority ? undefined : normaliseIndustryCode(query.industry);
        if (!priority && code === undefined) {
          throw new ApiError(400, "BAD_REQUEST", `unknown industry "${query.industry}"`, [
            { path: "industry", message: "a GB/T 4754-2017 code such as C39 or 3973, or a priority industry id" },
          ]);
        }
        industries = priority ? priority.industries : [code!];
      }
      const interests = interestsFor(c, industries, query.ipc);
      const store = ctx.index!.store;
      const perPrefix = Math.max(200, Math.floor(ctx.config.searchScanLimit / Math.max(1, interests.length)));
      const ids = new Set<string>();
      let examined = 0;
      let complete = true;
      for (const interest of interests) {
        const prefix = keys.byIpcPrefix(interest.ipc);
        let n = 0;
        for await (const [key] of store.iterateRaw({ gte: prefix, lt: prefixEnd(prefix), limit: perPrefix + 1 })) {
          if (++n > perPrefix) {
            complete = false;
            break;
          }
          ids.add(key.slice(key.lastIndexOf("/") + 1));
        }
        examined += Math.min(n, perPrefix);
      }
      const patents = (await store.getMany<PatentEntity>([...ids].map((id) => keys.patent(id)))).filter(
        (p): p is PatentEntity => p !== undefined && p.statusCode === LegalStatus.Valid,
      );
      const modeBit = query.mode !== undefined ? Modes[query.mode.toUpperCase() as keyof typeof Modes] : undefined;
      const scored = patents.map((p) => {
        let best: { relevance: number; code: string; interest: Interest } | undefined;
        for (const code of p.ipc) {
          const normal = normaliseIpc(code);
          for (const interest of interests) {
            if (!normal.startsWith(interest.key)) continue;
            if (!best || interest.weight > best.relevance) best = { relevance: interest.weight, code, interest };
          }
        }
        const relevance = best?.relevance ?? 0;
        const score =
          relevance + p.inventory.readiness / 9 + (p.inventory.willing ? 1 : 0) + (modeBit !== undefined && (p.inventory.modes & modeBit) !== 0 ? 0.5 : 0);
        return { p, best, relevance, score: Math.round(score * 1000) / 1000 };
      });
      scored.sort((a, b) => b.score - a.score || (BigInt(a.p.id) < BigInt(b.p.id) ? -1 : 1));
      return {
        industries: industries.map((code) => ({ code, name: c.nameOf(code) ?? null })),
        interests: interests.map(({ ipc, weight, via }) => ({ ipc, weight, via })),
        items: scored
          .filter((s) => s.best !== undefined)
          .slice(0, query.limit ?? 20)
          .map((s) => ({
            patent: patentView(s.p),
            score: s.score,
            relevance: s.relevance,
            matched: { code: s.best!.code, interest: s.best!.interest.ipc, via: s.best!.interest.via },
          })),
        candidates: { examined, complete },
      };
    },
  });
}
