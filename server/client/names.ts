import { LegalStatus, LockBits, Modes, PatentKind, TransferStatus } from "../chain/roles";
import { SCENARIOS, type ScenarioKey } from "../chain/scenarios";

/** The names the client library and the CLI use for the ledger's enums and bitmasks (kebab-case). */

export const KIND_NAMES = { [PatentKind.Invention]: "invention", [PatentKind.UtilityModel]: "utility-model", [PatentKind.Design]: "design" } as const;
export type KindName = (typeof KIND_NAMES)[PatentKind];

export const STATUS_NAMES = {
  [LegalStatus.Valid]: "valid",
  [LegalStatus.Lapsed]: "lapsed",
  [LegalStatus.Invalidated]: "invalidated",
  [LegalStatus.UnderInvalidation]: "under-invalidation",
  [LegalStatus.Frozen]: "frozen",
  [LegalStatus.Expired]: "expired",
} as const;
export type StatusName = (typeof STATUS_NAMES)[LegalStatus];
/** Statuses the registrar may set (`expired` is derived from the date, never set). */
export const SETTABLE_STATUSES = ["valid", "lapsed", "invalidated", "under-invalidation", "frozen"] as const;
export type SettableStatusName = (typeof SETTABLE_STATUSES)[number];

export function statusOfName(name: string): LegalStatus {
  const entry = Object.entries(STATUS_NAMES).find(([, n]) => n === name);
  if (!entry) throw new Error(`unknown legal status "${name}"; expected one of ${Object.values(STATUS_NAMES).join(", ")}`);
  return Number(entry[0]) as LegalStatus;
}

export const TRANSFER_STATUS_NAMES = {
  [TransferStatus.None]: "none",
  [TransferStatus.Proposed]: "proposed",
  [TransferStatus.Agreed]: "agreed",
  [TransferStatus.Registered]: "registered",
  [TransferStatus.Refused]: "refused",
  [TransferStatus.Cancelled]: "cancelled",
} as const;
export type TransferStatusName = (typeof TRANSFER_STATUS_NAMES)[TransferStatus];

export const MODE_NAMES = ["transfer", "licence", "equity"] as const;
export type ModeName = (typeof MODE_NAMES)[number];
const MODE_BITS: Record<ModeName, number> = { transfer: Modes.TRANSFER, licence: Modes.LICENCE, equity: Modes.EQUITY };

export function modesMask(modes: readonly ModeName[]): number {
  return modes.reduce((mask, m) => mask | MODE_BITS[m], 0);
}

export function modeNames(mask: number): ModeName[] {
  return MODE_NAMES.filter((m) => (mask & MODE_BITS[m]) !== 0);
}

const LOCK_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(LockBits).map(([name, bit]) => [bit, name.toLowerCase().replace(/_/g, "-")]),
);

/** Names of the lock bits set in a mask (`transfer-pending`, `listed`, `pledged`, ...; unknown bits as `bit-N`). */
export function lockNames(mask: number): string[] {
  const names: string[] = [];
  for (let bit = 0; bit < 16; bit++) if ((mask >> bit) & 1) names.push(LOCK_NAMES[bit] ?? `bit-${bit}`);
  return names;
}

export function isScenarioKey(key: string): key is ScenarioKey {
  return SCENARIOS.some((s) => s.key === key);
}

/** A scenario key from its key or its Chinese label; undefined when unknown. */
export function scenarioKeyOf(text: string): ScenarioKey | undefined {
  return SCENARIOS.find((s) => s.key === text || s.label === text)?.key;
}
