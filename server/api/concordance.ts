import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { normaliseIpcPrefix } from "../store/keys";

/**
 * The IPC-to-industry concordance shipped in server/data/ipc-industry.json (method and sources in
 * docs/ipc-industry.md): IPC prefixes mapped to GB/T 4754-2017 industry codes, and Sichuan's six
 * priority industries as sets of those codes. Loaded and checked once.
 */

const INDUSTRY_CODE = /^[A-T](\d{2}(\d(\d)?)?)?$/;

const ConcordanceFile = z.object({
  description: z.string(),
  version: z.string(),
  schemes: z.record(z.string(), z.string()),
  industries: z.record(z.string().regex(INDUSTRY_CODE), z.string()),
  priorityIndustries: z.array(
    z.object({ id: z.string(), name: z.string(), nameEn: z.string(), industries: z.array(z.string().regex(INDUSTRY_CODE)).min(1) }),
  ),
  concordance: z.array(z.object({ ipc: z.string().min(1), industries: z.array(z.string().regex(INDUSTRY_CODE)).min(1) })),
});
export type ConcordanceData = z.infer<typeof ConcordanceFile>;

/** A concordance row with its IPC prefix in index form and its specificity (1 section ... 4 main group). */
export interface ConcordanceRow {
  ipc: string;
  key: string;
  specificity: number;
  industries: string[];
}

export interface Concordance {
  data: ConcordanceData;
  rows: ConcordanceRow[];
  /** The name of an industry code, if the file names it. */
  nameOf(code: string): string | undefined;
}

export const DEFAULT_CONCORDANCE_FILE = path.join(__dirname, "../data/ipc-industry.json");

/** Specificity of an IPC prefix: 1 section, 2 class, 3 subclass, 4 main group, 5 subgroup. */
export function ipcSpecificity(prefix: string): number {
  const compact = prefix.toUpperCase().replace(/\s+/g, "");
  if (compact.includes("/") && /\/\d+$/.test(compact)) return 5;
  if (/^[A-H]\d{2}[A-Z]\d/.test(compact)) return 4;
  if (/^[A-H]\d{2}[A-Z]/.test(compact)) return 3;
  if (/^[A-H]\d{2}/.test(compact)) return 2;
  return 1;
}

export function loadConcordance(file = DEFAULT_CONCORDANCE_FILE): Concordance {
  const data = ConcordanceFile.parse(JSON.parse(readFileSync(file, "utf8")));
  for (const row of data.concordance) {
    for (const code of row.industries) if (!(code in data.industries)) throw new Error(`${file}: ${row.ipc} maps to unnamed industry ${code}`);
  }
  const rows = data.concordance.map((r) => ({ ipc: r.ipc, key: normaliseIpcPrefix(r.ipc), specificity: ipcSpecificity(r.ipc), industries: r.industries }));
  return { data, rows, nameOf: (code) => data.industries[code] };
}

/** GB/T 4754-2017 division ranges of each section (to read "39" as "C39"). */
const SECTION_OF_DIVISION: [number, number, string][] = [
  [1, 5, "A"], [6, 12, "B"], [13, 43, "C"], [44, 46, "D"], [47, 50, "E"], [51, 52, "F"], [53, 60, "G"], [61, 62, "H"], [63, 65, "I"],
  [66, 69, "J"], [70, 70, "K"], [71, 72, "L"], [73, 75, "M"], [76, 79, "N"], [80, 82, "O"], [83, 83, "P"], [84, 85, "Q"], [86, 90, "R"],
  [91, 96, "S"], [97, 97, "T"],
];

/** "3973" -> "C3973", "c39" -> "C39", "C" -> "C"; undefined when no such division exists. */
export function normaliseIndustryCode(input: string): string | undefined {
  const text = input.trim().toUpperCase();
  if (/^[A-T]$/.test(text)) return text;
  const m = /^([A-T])?(\d{2,4})$/.exec(text);
  if (!m) return undefined;
  const division = Number(m[2]!.slice(0, 2));
  const section = SECTION_OF_DIVISION.find(([lo, hi]) => division >= lo && division <= hi)?.[2];
  if (!section || (m[1] !== undefined && m[1] !== section)) return undefined;
  return `${section}${m[2]}`;
}
