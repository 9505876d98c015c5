import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { getAddress, isAddress } from "ethers";
import { z } from "zod";
import { DEMO_ACCOUNTS, demoWallet } from "../chain/accounts";
import { chinaDayOf, CnipaNumberError, dayOf, parseCnipaNumber, type CnipaNumber } from "../chain/cnipa";
import type { ScenarioKey } from "../chain/scenarios";
import { ipcProblem, parseIpc } from "./ipc";
import { MODE_NAMES, scenarioKeyOf, type ModeName } from "./names";
import type { InventoryInput, PatentInput } from "./records";

/**
 * A university's inventory spreadsheet (存量专利盘点表) as CSV, one granted patent per row:
 *
 *   number,title,ipc,filing_date,grant_date,holder,readiness,willing,modes,self_score,unit_score,scenarios,dossier_hash
 *
 * `ipc` separated by ";", `modes` (transfer, licence, equity) and `scenarios` (keys or Chinese labels of
 * server/chain/scenarios.ts) by "|"; `holder` an address or a demo account name; `dossier_hash` optional.
 * Every row is checked fully (more than the registry checks on chain) before anything is sent.
 */
export const INVENTORY_COLUMNS = [
  "number",
  "title",
  "ipc",
  "filing_date",
  "grant_date",
  "holder",
  "readiness",
  "willing",
  "modes",
  "self_score",
  "unit_score",
  "scenarios",
  "dossier_hash",
] as const;
export type InventoryColumn = (typeof INVENTORY_COLUMNS)[number];
const OPTIONAL_COLUMNS: readonly InventoryColumn[] = ["dossier_hash"];

/** Most IPC codes on one patent (the registry's MAX_IPC). */
export const MAX_IPC_CODES = 8;
export const MAX_TITLE_LENGTH = 200;

export interface InventoryRow {
  line: number; // physical line in the file where the row starts (1 = header)
  input: PatentInput;
}

export interface BadRow {
  line: number;
  number?: string;
  reasons: string[];
}

export interface InventoryValidation {
  good: InventoryRow[];
  bad: BadRow[];
}

/** The file as a whole cannot be read (no header, unknown columns, unparseable CSV). */
export class InventoryFileError extends Error {
  override name = "InventoryFileError";
}

export interface ValidateOptions {
  /** Today's calendar day in China (default: by this machine's clock); dates after it are refused. */
  today?: number;
}

// ------------------------------------------------------------------ field schemas

const custom = (ctx: z.RefinementCtx, message: string) => ctx.addIssue({ code: "custom", message });

const cnipa = z.string().transform((s, ctx): CnipaNumber => {
  if (s === "") {
    custom(ctx, "missing");
    return z.NEVER;
  }
  try {
    return parseCnipaNumber(s);
  } catch (err) {
    custom(ctx, err instanceof CnipaNumberError ? `"${s}": ${err.reason}` : String(err));
    return z.NEVER;
  }
});

const title = z.string().min(1, "missing").max(MAX_TITLE_LENGTH, `longer than ${MAX_TITLE_LENGTH} characters`);

const ipcList = z.string().transform((s, ctx): string[] => {
  const codes = s.split(";").map((c) => c.trim()).filter((c) => c !== "");
  if (codes.length === 0) custom(ctx, "missing (at least one IPC code, main classification first)");
  if (codes.length > MAX_IPC_CODES) custom(ctx, `${codes.length} codes, at most ${MAX_IPC_CODES}`);
  const symbols: string[] = [];
  for (const code of codes) {
    const problem = ipcProblem(code);
    if (problem) custom(ctx, problem);
    else {
      const symbol = parseIpc(code).symbol;
      if (symbols.includes(symbol)) custom(ctx, `${symbol} listed twice`);
      symbols.push(symbol);
    }
  }
  return symbols;
});

const isoDate = z.string().transform((s, ctx): { iso: string; day: number } => {
  if (s === "") {
    custom(ctx, "missing");
    return z.NEVER;
  }
  try {
    return { iso: s, day: dayOf(s) };
  } catch {
    custom(ctx, /^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s} is not a calendar date` : `"${s}" is not a date (YYYY-MM-DD)`);
    return z.NEVER;
  }
});

const holderCache = new Map<string, string>();
const holder = z.string().transform((s, ctx): string => {
  if (s === "") {
    custom(ctx, "missing");
    return z.NEVER;
  }
  if (isAddress(s)) {
    if (/^0x0{40}$/i.test(s)) {
      custom(ctx, "the zero address cannot hold a patent");
      return z.NEVER;
    }
    return getAddress(s);
  }
  if (!DEMO_ACCOUNTS.some((a) => a.name === s)) {
    custom(ctx, `"${s}" is neither an address nor a demo account name`);
    return z.NEVER;
  }
  let address = holderCache.get(s);
  if (!address) {
    address = demoWallet(s).address;
    holderCache.set(s, address);
  }
  return address;
});

const intIn = (min: number, max: number, orEmpty?: number) =>
  z.string().transform((s, ctx): number => {
    if (s === "" && orEmpty !== undefined) return orEmpty;
    if (!/^\d+$/.test(s)) {
      custom(ctx, s === "" ? "missing" : `"${s}" is not a whole number`);
      return z.NEVER;
    }
    const n = Number(s);
    if (n < min || n > max) {
      custom(ctx, `${s} is outside ${min}-${max}`);
      return z.NEVER;
    }
    return n;
  });

const YES = ["yes", "y", "true", "1", "是"];
const NO = ["no", "n", "false", "0", "否"];
const willing = z.string().transform((s, ctx): boolean => {
  const t = s.toLowerCase();
  if (YES.includes(t)) return true;
  if (NO.includes(t)) return false;
  custom(ctx, `"${s}" is not yes or no`);
  return z.NEVER;
});

const modes = z.string().transform((s, ctx): ModeName[] => {
  const names = s.split("|").map((m) => m.trim().toLowerCase()).filter((m) => m !== "");
  const out: ModeName[] = [];
  for (const name of names) {
    const mode = MODE_NAMES.find((m) => m === name);
    if (!mode) custom(ctx, `"${name}" is not one of ${MODE_NAMES.join(", ")}`);
    else if (!out.includes(mode)) out.push(mode);
  }
  return out;
});

const scenarios = z.string().transform((s, ctx): ScenarioKey[] => {
  const out: ScenarioKey[] = [];
  for (const tag of s.split("|").map((t) => t.trim()).filter((t) => t !== "")) {
    const key = scenarioKeyOf(tag);
    if (!key) custom(ctx, `unknown scenario "${tag}" (see server/chain/scenarios.ts)`);
    else if (!out.includes(key)) out.push(key);
  }
  return out;
});

const dossierHash = z
  .string()
  .regex(/^$|^0x[0-9a-fA-F]{64}$/, "must be 0x followed by 64 hex digits, or empty")
  .transform((s) => (s === "" ? undefined : s.toLowerCase()));

const FIELDS = {
  number: cnipa,
  title,
  ipc: ipcList,
  filing_date: isoDate,
  grant_date: isoDate,
  holder,
  readiness: intIn(1, 9),
  willing,
  modes,
  self_score: intIn(0, 100, 0),
  unit_score: intIn(0, 100, 0),
  scenarios,
  dossier_hash: dossierHash,
} satisfies Record<InventoryColumn, z.ZodType<unknown, string>>;

type Parsed = { [K in InventoryColumn]?: z.output<(typeof FIELDS)[K]> };

/** The survey columns an owner may update after registration. */
export const INVENTORY_FIELD_COLUMNS = ["readiness", "willing", "modes", "self_score", "unit_score", "scenarios"] as const;
export type InventoryFieldColumn = (typeof INVENTORY_FIELD_COLUMNS)[number];

/** Applies the given survey columns (as text, validated like the CSV) over `base`. */
export function validateInventoryFields(
  fields: Partial<Record<InventoryFieldColumn, string>>,
  base: InventoryInput,
): { ok: true; inventory: InventoryInput } | { ok: false; reasons: string[] } {
  const reasons: string[] = [];
  const inventory: InventoryInput = { ...base };
  const keys: Record<InventoryFieldColumn, keyof InventoryInput> = {
    readiness: "readiness",
    willing: "willing",
    modes: "modes",
    self_score: "selfScore",
    unit_score: "unitScore",
    scenarios: "scenarios",
  };
  for (const column of INVENTORY_FIELD_COLUMNS) {
    const text = fields[column];
    if (text === undefined) continue;
    const schema: z.ZodType<unknown, string> = FIELDS[column];
    const result = schema.safeParse(text.trim());
    if (result.success) (inventory as unknown as Record<string, unknown>)[keys[column]] = result.data;
    else for (const issue of result.error.issues) reasons.push(`${column}: ${issue.message}`);
  }
  return reasons.length > 0 ? { ok: false, reasons } : { ok: true, inventory };
}

function todayByClock(): number {
  return chinaDayOf(Math.floor(Date.now() / 1000));
}

/**
 * Checks one row given as column -> text (missing columns read as empty). Returns the patent input or
 * every reason it is refused, each prefixed by its column.
 */
export function validateInventoryRecord(
  record: Partial<Record<InventoryColumn, string>>,
  opts: ValidateOptions = {},
): { ok: true; input: PatentInput } | { ok: false; number?: string; reasons: string[] } {
  const today = opts.today ?? todayByClock();
  const reasons: string[] = [];
  const parsed: Parsed = {};
  for (const column of INVENTORY_COLUMNS) {
    const schema: z.ZodType<unknown, string> = FIELDS[column];
    const result = schema.safeParse((record[column] ?? "").trim());
    if (result.success) (parsed as Record<string, unknown>)[column] = result.data;
    else for (const issue of result.error.issues) reasons.push(`${column}: ${issue.message}`);
  }
  const { number, filing_date: filing, grant_date: grant } = parsed;
  if (filing && grant && filing.day > grant.day) {
    reasons.push(`filing_date ${filing.iso} is after grant_date ${grant.iso}`);
  }
  if (filing && filing.day > today) reasons.push(`filing_date ${filing.iso} is in the future`);
  if (grant && grant.day > today) reasons.push(`grant_date ${grant.iso} is in the future`);
  // PCT national-phase numbers (kind digits 8 and 9) carry the year of entry, not of filing.
  if (number && filing && number.kindDigit < 8) {
    const filingYear = Number(filing.iso.slice(0, 4));
    if (filingYear !== number.year) {
      reasons.push(`filing_date ${filing.iso} is not in ${number.year}, the year of application number ${number.digits}`);
    }
  }
  const cited = number ? `ZL${number.digits}.${number.checkDigit === 10 ? "X" : number.checkDigit}` : undefined;
  if (reasons.length > 0) {
    const numberText = (record.number ?? "").trim();
    return { ok: false, number: cited ?? (numberText === "" ? undefined : numberText), reasons };
  }
  const p = parsed as Required<Parsed>;
  return {
    ok: true,
    input: {
      number: cited!,
      holder: p.holder,
      title: p.title,
      ipc: p.ipc,
      filingDate: p.filing_date.iso,
      grantDate: p.grant_date.iso,
      inventory: {
        readiness: p.readiness,
        willing: p.willing,
        modes: p.modes,
        selfScore: p.self_score,
        unitScore: p.unit_score,
        scenarios: p.scenarios,
      },
      ...(p.dossier_hash ? { dossierHash: p.dossier_hash } : {}),
    },
  };
}

interface CsvRecord {
  record: string[];
  raw: string;
  info: { lines: number };
}

/** The physical line where a record starts: csv-parse reports the line where it ends. */
function startLine(r: CsvRecord): number {
  const body = r.raw.replace(/^(?:[ \t]*\r?\n)+/, "").replace(/\r?\n$/, "");
  return r.info.lines - (body.match(/\n/g)?.length ?? 0);
}

/** Validates a whole inventory CSV: every row, plus duplicates within the file. */
export function validateInventoryCsv(text: string, opts: ValidateOptions = {}): InventoryValidation {
  let records: CsvRecord[];
  try {
    records = parse(text, {
      bom: true,
      info: true,
      raw: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as CsvRecord[];
  } catch (err) {
    throw new InventoryFileError(`cannot parse the CSV: ${(err as Error).message}`);
  }
  const [headerRecord, ...rows] = records;
  if (!headerRecord) throw new InventoryFileError("the file is empty: expected a header line");
  const header = headerRecord.record.map((h) => h.trim().toLowerCase());
  const unknown = header.filter((h) => !(INVENTORY_COLUMNS as readonly string[]).includes(h));
  const missing = INVENTORY_COLUMNS.filter((c) => !header.includes(c) && !OPTIONAL_COLUMNS.includes(c));
  const repeated = header.filter((h, i) => header.indexOf(h) !== i);
  if (unknown.length > 0 || missing.length > 0 || repeated.length > 0) {
    const problems = [
      ...(missing.length ? [`missing column(s) ${missing.join(", ")}`] : []),
      ...(unknown.length ? [`unknown column(s) ${unknown.join(", ")}`] : []),
      ...(repeated.length ? [`repeated column(s) ${repeated.join(", ")}`] : []),
    ];
    throw new InventoryFileError(`bad header on line ${startLine(headerRecord)}: ${problems.join("; ")}; expected ${INVENTORY_COLUMNS.join(",")}`);
  }

  const good: InventoryRow[] = [];
  const bad: BadRow[] = [];
  const firstLine = new Map<string, number>(); // application digits -> line of first occurrence
  for (const row of rows) {
    const line = startLine(row);
    if (row.record.length !== header.length) {
      const first = row.record[0]?.trim();
      bad.push({ line, ...(first ? { number: first } : {}), reasons: [`expected ${header.length} columns, found ${row.record.length}`] });
      continue;
    }
    const record = Object.fromEntries(header.map((h, i) => [h, row.record[i] ?? ""])) as Partial<Record<InventoryColumn, string>>;
    const result = validateInventoryRecord(record, opts);
    const reasons = result.ok ? [] : [...result.reasons];
    const number = result.ok ? result.input.number : result.number;
    let digits: string | undefined;
    try {
      digits = number ? parseCnipaNumber(number).digits : undefined;
    } catch {
      digits = undefined;
    }
    if (digits !== undefined) {
      const first = firstLine.get(digits);
      if (first !== undefined) reasons.push(`number: duplicate of line ${first}`);
      else firstLine.set(digits, line);
    }
    if (result.ok && reasons.length === 0) good.push({ line, input: result.input });
    else bad.push({ line, ...(number ? { number } : {}), reasons });
  }
  return { good, bad };
}

export function readInventoryFile(file: string, opts: ValidateOptions = {}): InventoryValidation {
  let text: string;
  try {
    text = new TextDecoder("utf-8").decode(readFileSync(file));
  } catch (err) {
    throw new InventoryFileError(`cannot read ${file}: ${(err as Error).message}`);
  }
  if (text.includes("\uFFFD")) {
    throw new InventoryFileError(`${file} is not valid UTF-8 (a spreadsheet saved as GBK?): save it as "CSV UTF-8"`);
  }
  return validateInventoryCsv(text, opts);
}
