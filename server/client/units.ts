import { decodeBytes32String, encodeBytes32String } from "ethers";
import { dayOf, isoOfDay } from "../chain/cnipa";
import { BenefitRole, DealStatus, EquityForm, PledgedPatentStatus, PledgeStatus, ProceedsRoute, ValuationMethod, WarrantStatus } from "../chain/financing";
import { FeeMethod, FeeTrigger, FIELD_CLASSES, LicenceKind, LicenceStatus, SCOPE_ALL, scopeMask, TERRITORIES } from "../chain/licensing";
import { Act } from "../chain/roles";

/**
 * Amounts, rates, dates, scopes and enum names as people write them, parsed exactly (never through floating
 * point) into what the contracts take. Every parser names the option it reads in its error, e.g.
 * `--lump-sum "1.234": at most 2 decimals (fen)`. Shared by the CLI and programs using the client library.
 */
export class InputError extends Error {
  override name = "InputError";

  constructor(
    /** The option or field that was read, e.g. `--lump-sum`. */
    readonly option: string,
    readonly value: string,
    problem: string,
  ) {
    super(`${option} "${value}": ${problem}`);
  }
}

// ---------------------------------------------------------------- amounts

/** Minor units (fen) per yuan. */
export const FEN_PER_YUAN = 100n;

/**
 * A yuan amount with at most two decimals ("200000", "1,234.5", "0.01") as fen. Positive unless `allowZero`.
 * Thousands separators "," and "_" are accepted; anything else (signs, exponents, 3 decimals) is refused.
 */
export function parseYuan(text: string, option: string, opts: { allowZero?: boolean } = {}): bigint {
  const clean = text.trim().replace(/[,_]/g, "");
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(clean);
  if (!m) {
    if (/^\d+\.\d{3,}$/.test(clean)) throw new InputError(option, text, "at most 2 decimals (fen)");
    throw new InputError(option, text, "not an amount in yuan, e.g. 200000 or 1234.56");
  }
  const fen = BigInt(m[1]!) * FEN_PER_YUAN + BigInt((m[2] ?? "").padEnd(2, "0"));
  if (fen === 0n && !opts.allowZero) throw new InputError(option, text, "must be more than zero");
  if (fen >= 1n << 128n) throw new InputError(option, text, "too large");
  return fen;
}

/** Fen in the units of a token with `decimals` decimals (at least 2, so that every fen is representable). */
export function fenToTokenUnits(fen: bigint, decimals: number): bigint {
  if (!Number.isInteger(decimals) || decimals < 2 || decimals > 36) {
    throw new Error(`a settlement token with ${decimals} decimals cannot carry amounts in fen`);
  }
  return fen * 10n ** BigInt(decimals - 2);
}

/** Token units as a decimal string with every decimal the token has: 20000000 units at 2 decimals -> "200000.00". */
export function formatUnitsExact(units: bigint, decimals: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(decimals + 1, "0");
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals);
  return `${negative ? "-" : ""}${whole}${decimals > 0 ? `.${fraction}` : ""}`;
}

/** Fen as yuan with two decimals. */
export function formatYuan(fen: bigint): string {
  return formatUnitsExact(fen, 2);
}

/** A whole number (e.g. shares) 1..max. */
export function parseCount(text: string, option: string, max = (1n << 128n) - 1n): bigint {
  const clean = text.trim().replace(/[,_]/g, "");
  if (!/^\d+$/.test(clean) || BigInt(clean) === 0n) throw new InputError(option, text, "not a positive whole number");
  if (BigInt(clean) > max) throw new InputError(option, text, `at most ${max}`);
  return BigInt(clean);
}

// ---------------------------------------------------------------- rates

/** A rate as a percentage with up to two decimals ("3%", "2.5%") or in basis points ("300bps"), as basis points 1..10,000. */
export function parseBps(text: string, option: string, opts: { allowZero?: boolean } = {}): number {
  const clean = text.trim().toLowerCase();
  let bps: number;
  const pct = /^(\d{1,3})(?:\.(\d{1,2}))?\s*%$/.exec(clean);
  const bp = /^(\d{1,5})\s*(?:bps?|bp)$/.exec(clean);
  if (pct) bps = Number(pct[1]) * 100 + Number((pct[2] ?? "").padEnd(2, "0"));
  else if (bp) bps = Number(bp[1]);
  else if (/^\d+(?:\.\d+)?$/.test(clean)) throw new InputError(option, text, 'give the unit: a percentage such as "3%" or basis points such as "300bps"');
  else throw new InputError(option, text, 'not a rate: a percentage such as "3%" or "2.5%", or basis points such as "300bps"');
  if (bps > 10_000) throw new InputError(option, text, "more than 100%");
  if (bps === 0 && !opts.allowZero) throw new InputError(option, text, "must be more than zero");
  return bps;
}

export function formatBps(bps: number | bigint): string {
  const n = Number(bps);
  return `${(n / 100).toFixed(n % 100 === 0 ? 0 : 2)}% (${n} bps)`;
}

// ---------------------------------------------------------------- dates

/** A China Standard Time calendar date "YYYY-MM-DD" as a day number. */
export function parseDate(text: string, option: string): number {
  try {
    return dayOf(text.trim());
  } catch (err) {
    throw new InputError(option, text, (err as Error).message.replace(/^invalid date "[^"]*": /, ""));
  }
}

export { isoOfDay };

/** "YYYY-MM-DD", or "-" for day 0 (not set). */
export function dateOrDash(day: number | bigint): string {
  return Number(day) === 0 ? "-" : isoOfDay(Number(day));
}

/** An ISO 4217 currency code as the contracts' bytes3 (e.g. "CNY" -> 0x434e59). */
export function parseCurrency(text: string, option = "--currency"): string {
  if (!/^[A-Z]{3}$/.test(text)) throw new InputError(option, text, "not an ISO 4217 code of three capital letters, e.g. CNY");
  return encodeBytes32String(text).slice(0, 8);
}

export function currencyOf(bytes3: string): string {
  return decodeBytes32String(`${bytes3}${"0".repeat(66 - bytes3.length)}`);
}

// ---------------------------------------------------------------- enum names

/** A name table for an enum: value -> kebab-case name. */
export type NameTable<E extends number> = Readonly<Record<E, string>>;

export const LICENCE_KIND_NAMES: NameTable<LicenceKind> = {
  [LicenceKind.Exclusive]: "exclusive",
  [LicenceKind.Sole]: "sole",
  [LicenceKind.NonExclusive]: "non-exclusive",
  [LicenceKind.Sublicence]: "sublicence",
};
export const LICENCE_STATUS_NAMES: NameTable<LicenceStatus> = {
  [LicenceStatus.None]: "none",
  [LicenceStatus.Active]: "active",
  [LicenceStatus.Terminated]: "terminated",
  [LicenceStatus.Expired]: "expired",
  [LicenceStatus.Revoked]: "revoked",
};
export const FEE_METHOD_NAMES: NameTable<FeeMethod> = {
  [FeeMethod.LumpSum]: "lump-sum",
  [FeeMethod.RunningRoyalty]: "running-royalty",
  [FeeMethod.UseFirstPayLater]: "use-first-pay-later",
};
export const FEE_TRIGGER_NAMES: NameTable<FeeTrigger> = {
  [FeeTrigger.None]: "none",
  [FeeTrigger.Date]: "date",
  [FeeTrigger.RevenueReported]: "revenue-reported",
  [FeeTrigger.ProductLaunched]: "product-launched",
};
export const PLEDGE_STATUS_NAMES: NameTable<PledgeStatus> = {
  [PledgeStatus.None]: "none",
  [PledgeStatus.Proposed]: "proposed",
  [PledgeStatus.Agreed]: "agreed",
  [PledgeStatus.Registered]: "registered",
  [PledgeStatus.Refused]: "refused",
  [PledgeStatus.Withdrawn]: "withdrawn",
  [PledgeStatus.Released]: "released",
  [PledgeStatus.Defaulted]: "defaulted",
  [PledgeStatus.Enforced]: "enforced",
};
export const PLEDGED_PATENT_STATUS_NAMES: NameTable<PledgedPatentStatus> = {
  [PledgedPatentStatus.None]: "none",
  [PledgedPatentStatus.Pledged]: "pledged",
  [PledgedPatentStatus.Left]: "left",
  [PledgedPatentStatus.Disposing]: "disposing",
  [PledgedPatentStatus.Sold]: "sold",
  [PledgedPatentStatus.Disposed]: "disposed",
  [PledgedPatentStatus.Released]: "released",
};
/** The acts a pledgee may consent to (a pledge of a pledged patent is never consented). */
export const CONSENT_ACT_NAMES: Readonly<Partial<Record<Act, string>>> = {
  [Act.Transfer]: "transfer",
  [Act.Licence]: "licence",
  [Act.OpenLicence]: "open-licence",
  [Act.List]: "list",
  [Act.Contribute]: "contribute",
};
export const ROUTE_NAMES: NameTable<ProceedsRoute> = { [ProceedsRoute.EarlyRepayment]: "repay", [ProceedsRoute.Escrow]: "escrow" };
export const VALUATION_METHOD_NAMES: NameTable<ValuationMethod> = {
  [ValuationMethod.Cost]: "cost",
  [ValuationMethod.Market]: "market",
  [ValuationMethod.Income]: "income",
};
export const DEAL_STATUS_NAMES: NameTable<DealStatus> = {
  [DealStatus.None]: "none",
  [DealStatus.Proposed]: "proposed",
  [DealStatus.Accepted]: "accepted",
  [DealStatus.Executing]: "executing",
  [DealStatus.Executed]: "executed",
  [DealStatus.Failed]: "failed",
  [DealStatus.Cancelled]: "cancelled",
};
export const EQUITY_FORM_NAMES: NameTable<EquityForm> = { [EquityForm.Shares]: "shares", [EquityForm.BasisPoints]: "basis-points" };
export const BENEFIT_ROLE_NAMES: NameTable<BenefitRole> = { [BenefitRole.Inventor]: "inventor", [BenefitRole.TransferOffice]: "tto" };
export const WARRANT_STATUS_NAMES: NameTable<WarrantStatus> = {
  [WarrantStatus.None]: "none",
  [WarrantStatus.Granted]: "granted",
  [WarrantStatus.Exercised]: "exercised",
  [WarrantStatus.Expired]: "expired",
};

/** The enum value of a name in a table (case-insensitive), or an InputError listing the names. */
export function parseName<E extends number>(table: Readonly<Partial<Record<E, string>>>, text: string, option: string): E {
  const wanted = text.trim().toLowerCase();
  const entries = Object.entries(table) as [string, string][];
  const hit = entries.find(([, name]) => name === wanted);
  if (!hit) throw new InputError(option, text, `not one of ${entries.map(([, n]) => n).join(", ")}`);
  return Number(hit[0]) as E;
}

/** The name of an enum value (or `unknown(N)`). */
export function nameOf<E extends number>(table: Readonly<Partial<Record<E, string>>>, value: number | bigint): string {
  return table[Number(value) as E] ?? `unknown(${value})`;
}

// ---------------------------------------------------------------- licence scopes

/** Bits 0-33 of the territory mask: the provincial-level divisions of China (GB/T 2260). */
export const CHINA_TERRITORIES = scopeMask(TERRITORIES, TERRITORIES.slice(0, 34));

/** Field-of-use classes "C39,I" (names of FIELD_CLASSES) or "all", as the licence's bitmask. */
export function parseFields(text: string, option = "--fields"): bigint {
  const names = splitList(text);
  if (names.length === 1 && names[0]!.toLowerCase() === "all") return SCOPE_ALL;
  const unknown = names.filter((n) => !FIELD_CLASSES.includes(n.toUpperCase()));
  if (names.length === 0 || unknown.length > 0) {
    throw new InputError(option, text, `unknown field class ${unknown.join(", ") || "(none)"}: use GB/T 4754 sections A-T (not C) or divisions C13-C43, or "all"`);
  }
  return scopeMask(FIELD_CLASSES, names.map((n) => n.toUpperCase()));
}

/** Territories "51,50" (GB/T 2260 provincial codes; asia, europe, americas, world), "china" or "all", as the bitmask. */
export function parseTerritories(text: string, option = "--territories"): bigint {
  const names = splitList(text).map((n) => n.toLowerCase());
  let mask = 0n;
  const unknown: string[] = [];
  for (const name of names) {
    if (name === "all") mask |= SCOPE_ALL;
    else if (name === "china") mask |= CHINA_TERRITORIES;
    else if (TERRITORIES.includes(name)) mask |= scopeMask(TERRITORIES, [name]);
    else unknown.push(name);
  }
  if (names.length === 0 || unknown.length > 0) {
    throw new InputError(option, text, `unknown territory ${unknown.join(", ") || "(none)"}: use GB/T 2260 provincial codes such as 51 (Sichuan) and 50 (Chongqing), asia, europe, americas, world, "china" or "all"`);
  }
  return mask;
}

/** The names of the bits set in a scope mask ("all" for every bit, "china" for the 34 divisions). */
export function scopeNames(vocabulary: readonly string[], mask: bigint): string[] {
  if (mask === SCOPE_ALL) return ["all"];
  const names: string[] = [];
  let rest = mask;
  if (vocabulary === TERRITORIES && (mask & CHINA_TERRITORIES) === CHINA_TERRITORIES) {
    names.push("china");
    rest &= ~CHINA_TERRITORIES;
  }
  for (let bit = 0; bit < 64; bit++) if ((rest >> BigInt(bit)) & 1n) names.push(vocabulary[bit] ?? `bit-${bit}`);
  return names;
}

/** A list separated by "," (or ";", "|", spaces), empty items dropped. */
export function splitList(text: string): string[] {
  return text.split(/[,;|\s]+/).map((s) => s.trim()).filter((s) => s.length > 0);
}
