import { PatentKind } from "./roles";

/**
 * CNIPA patent numbers, as cited: "ZL" + application number + "." + check digit.
 * 12-digit numbers (from October 2003): 4-digit year, kind digit, 7-digit serial.
 * 8-digit numbers (before): 2-digit year, kind digit, 5-digit serial.
 * Kind digits: 1 invention, 2 utility model, 3 design, 8 PCT invention, 9 PCT utility model.
 * The check digit is the sum of digits weighted 2,3,4,5,6,7,8,9,2,3,4,5 modulo 11; 10 is "X".
 * On chain the token id is the application number as an integer.
 */
export interface CnipaNumber {
  number: bigint;
  digits: string;
  checkDigit: number;
  year: number;
  kindDigit: number;
  kind: PatentKind;
}

const PATTERN = /^(?:ZL|CN)?\s*(\d{8}|\d{12})\.?([\dX])$/i;

export class CnipaNumberError extends Error {
  constructor(
    readonly input: string,
    readonly reason: string,
  ) {
    super(`invalid CNIPA number "${input}": ${reason}`);
    this.name = "CnipaNumberError";
  }
}

export function checkDigitOf(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) sum += Number(digits[i]) * ((i % 8) + 2);
  return sum % 11;
}

export function kindOfDigit(kindDigit: number): PatentKind | undefined {
  if (kindDigit === 1 || kindDigit === 8) return PatentKind.Invention;
  if (kindDigit === 2 || kindDigit === 9) return PatentKind.UtilityModel;
  if (kindDigit === 3) return PatentKind.Design;
  return undefined;
}

/** Parses and fully validates a cited number such as "ZL202110234567.5". Throws CnipaNumberError. */
export function parseCnipaNumber(input: string): CnipaNumber {
  const m = PATTERN.exec(input.trim());
  if (!m) throw new CnipaNumberError(input, "expected ZL followed by 8 or 12 digits, a dot and a check digit");
  const digits = m[1]!;
  const check = m[2]!.toUpperCase() === "X" ? 10 : Number(m[2]);
  const long = digits.length === 12;
  const year = long ? Number(digits.slice(0, 4)) : (Number(digits.slice(0, 2)) >= 85 ? 1900 : 2000) + Number(digits.slice(0, 2));
  if (long ? year < 2003 : year > 2003 || year < 1985) throw new CnipaNumberError(input, `year ${year} does not fit a ${digits.length}-digit number`);
  const kindDigit = Number(digits[long ? 4 : 2]);
  const kind = kindOfDigit(kindDigit);
  if (kind === undefined) throw new CnipaNumberError(input, `kind digit ${kindDigit} is not 1, 2, 3, 8 or 9`);
  const expected = checkDigitOf(digits);
  if (check !== expected) {
    throw new CnipaNumberError(input, `check digit is ${check === 10 ? "X" : check}, expected ${expected === 10 ? "X" : expected}`);
  }
  return { number: BigInt(digits), digits, checkDigit: check, year, kindDigit, kind };
}

/** Formats a token id (application number) as cited: "ZL202110234567.5". */
export function formatCnipaNumber(number: bigint | number): string {
  const n = BigInt(number);
  const digits = n >= 100_000_000_000n ? n.toString() : n.toString().padStart(8, "0");
  const check = checkDigitOf(digits);
  return `ZL${digits}.${check === 10 ? "X" : check}`;
}

/** Builds a valid number from its parts (year, kind digit, serial); used for demo data and tests. */
export function makeCnipaNumber(year: number, kindDigit: number, serial: number): string {
  const digits = `${year}${kindDigit}${String(serial).padStart(7, "0")}`;
  const check = checkDigitOf(digits);
  return `ZL${digits}.${check === 10 ? "X" : check}`;
}

/** Calendar days since 1970-01-01 for an ISO date "YYYY-MM-DD" (a China Standard Time date). */
export function dayOf(isoDate: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m) throw new Error(`invalid date "${isoDate}": expected YYYY-MM-DD`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const d = new Date(ms);
  if (d.getUTCFullYear() !== Number(m[1]) || d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) {
    throw new Error(`invalid date "${isoDate}": no such calendar day`);
  }
  return ms / 86_400_000;
}

/** ISO date "YYYY-MM-DD" of a calendar day number. */
export function isoOfDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** Today's calendar day in China Standard Time for a unix timestamp in seconds. */
export function chinaDayOf(timestampSeconds: number): number {
  return Math.floor((timestampSeconds + 8 * 3600) / 86_400);
}
