/** Role ids of the AccessManager; mirror contracts/access/Roles.sol. */
export const Roles = {
  ADMIN: 0n,
  REGISTRAR: 1n,
  VENUE: 2n,
  BANK: 3n,
  APPRAISER: 4n,
  EVALUATOR: 5n,
  MODULE: 6n,
} as const;

export type RoleName = keyof typeof Roles;

/** Lock bits of the registry; mirror contracts/libraries/PatentTypes.sol. */
export const LockBits = {
  TRANSFER_PENDING: 0,
  LISTED: 1,
  PLEDGED: 2,
  EQUITY: 3,
  DISPOSAL: 4,
  AUCTION: 5,
} as const;

export enum PatentKind {
  Invention = 0,
  UtilityModel = 1,
  Design = 2,
}

export enum LegalStatus {
  Valid = 0,
  Lapsed = 1,
  Invalidated = 2,
  UnderInvalidation = 3,
  Frozen = 4,
  Expired = 5,
}

export enum Act {
  Transfer = 0,
  Licence = 1,
  OpenLicence = 2,
  Pledge = 3,
  List = 4,
  Contribute = 5,
}

export enum TransferStatus {
  None = 0,
  Proposed = 1,
  Agreed = 2,
  Registered = 3,
  Refused = 4,
  Cancelled = 5,
}

export const Modes = { TRANSFER: 1, LICENCE: 2, EQUITY: 4 } as const;
