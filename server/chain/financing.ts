/** Financing and equity enums; mirror contracts/libraries/{PledgeTypes,EquityTypes,ValuationTypes}.sol. */
export enum PledgeStatus {
  None = 0,
  Proposed = 1,
  Agreed = 2,
  Registered = 3,
  Refused = 4,
  Withdrawn = 5,
  Released = 6,
  Defaulted = 7,
  Enforced = 8,
}

export enum PledgedPatentStatus {
  None = 0,
  Pledged = 1,
  Left = 2,
  Disposing = 3,
  Sold = 4,
  Disposed = 5,
  Released = 6,
}

export enum ProceedsRoute {
  EarlyRepayment = 0,
  Escrow = 1,
}

export enum ValuationMethod {
  Cost = 0,
  Market = 1,
  Income = 2,
}

export enum DealStatus {
  None = 0,
  Proposed = 1,
  Accepted = 2,
  Executing = 3,
  Executed = 4,
  Failed = 5,
  Cancelled = 6,
}

export enum EquityForm {
  Shares = 0,
  BasisPoints = 1,
}

export enum BenefitRole {
  Inventor = 0,
  TransferOffice = 1,
}

export enum WarrantStatus {
  None = 0,
  Granted = 1,
  Exercised = 2,
  Expired = 3,
}
