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
