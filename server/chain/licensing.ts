/** Licensing enums and constants; mirror contracts/libraries/LicenceTypes.sol. */
export enum LicenceKind {
  Exclusive = 0,
  Sole = 1,
  NonExclusive = 2,
  Sublicence = 3,
}

export enum LicenceStatus {
  None = 0,
  Active = 1,
  Terminated = 2,
  Expired = 3,
  Revoked = 4,
}

export enum FeeMethod {
  LumpSum = 0,
  RunningRoyalty = 1,
  UseFirstPayLater = 2,
}

export enum FeeTrigger {
  None = 0,
  Date = 1,
  RevenueReported = 2,
  ProductLaunched = 3,
}

/** Every field-of-use class and every territory region (open licences). */
export const SCOPE_ALL = (1n << 64n) - 1n;
export const BPS = 10_000n;

/**
 * Field-of-use classes: bit i of `LicenceScope.fields`. The classes are disjoint, so overlap is a non-zero AND.
 * Bits 0-18: the sections of GB/T 4754-2017 (国民经济行业分类) other than C; bits 19-49: the manufacturing
 * divisions 13-43 of section C. Bits 50-63 are reserved.
 */
export const FIELD_CLASSES: readonly string[] = [
  ...["A", "B", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R", "S", "T"],
  ...Array.from({ length: 31 }, (_, i) => `C${13 + i}`),
];

/**
 * Territory regions: bit i of `LicenceScope.territories`, disjoint. Bits 0-33: provincial-level divisions by
 * GB/T 2260 code, in code order; 34-37: regions outside China. Bits 38-63 are reserved.
 */
export const TERRITORIES: readonly string[] = [
  ...["11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42"],
  ...["43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82"],
  ...["asia", "europe", "americas", "world"],
];

/** The bitmask of the named classes or regions (e.g. scopeMask(TERRITORIES, ["51", "50"]) for Sichuan and Chongqing). */
export function scopeMask(vocabulary: readonly string[], names: readonly string[]): bigint {
  let mask = 0n;
  for (const name of names) {
    const bit = vocabulary.indexOf(name);
    if (bit < 0) throw new Error(`unknown scope name "${name}"`);
    mask |= 1n << BigInt(bit);
  }
  return mask;
}
