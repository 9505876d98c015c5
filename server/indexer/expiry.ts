import { PatentKind } from "../chain/roles";

/** 2021-06-01 as a calendar day: design applications filed from this day run 15 years, before it 10. */
export const DESIGN_TERM_CHANGE_DAY = 18779;

/** The same calendar date `years` later; 29 February maps to 1 March in common years (as CalendarDays.addYears). */
export function addYears(day: number, years: number): number {
  const d = new Date(day * 86_400_000);
  return Date.UTC(d.getUTCFullYear() + years, d.getUTCMonth(), d.getUTCDate()) / 86_400_000;
}

/** The first day the patent is no longer in force: the contract's `expiryDay` rule. */
export function expiryDayOf(kind: PatentKind, filingDay: number): number {
  const term = kind === PatentKind.Invention ? 20 : kind === PatentKind.UtilityModel ? 10 : filingDay >= DESIGN_TERM_CHANGE_DAY ? 15 : 10;
  return addYears(filingDay, term);
}
