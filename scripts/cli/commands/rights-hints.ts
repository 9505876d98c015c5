/** Hints shown under decoded errors of the rights contracts (licence, royalty, pledge, value, equity, warrant). */
export const RIGHTS_HINTS: Record<string, string> = {
  LicensingConflict: "an exclusive or sole licence may not overlap another in time, territory and field: narrow --fields, --territories or the dates (see `licence show <licenceId>`)",
  LicensingOpenLicenceDeclared: "an open licence is declared on this patent: no exclusive or sole licence meanwhile (`licence open withdraw` first)",
  LicensingExclusiveLicenceActive: "an exclusive or sole licence is in force: an open licence cannot be declared until it ends",
  LicensingNotOwner: "only the patent's owner may do this",
  LicensingBadDates: "the licence must end after it starts, after today, and no later than the patent's expiry (`--until expiry`)",
  LicensingFeeAboveLimit: "the declared fee is above --max-fee",
  RoyaltiesNotLicensee: "only the licensee reports revenue and pays (choose it with --as or PRIVATE_KEY)",
  RoyaltiesAboveOwed: "pay at most what is owed (omit --amount to pay everything owed)",
  PledgesConsentRequired: "the patent is pledged: the bank must first allow this act with this counterparty (`pledge allow <pledgeId> <number> --act ... --counterparty ... --route ...`)",
  PledgesAlreadyPledged: "a patent carries one pledge at a time; see `pledge list --patent <number>`",
  PledgesPledgeeNotBank: "the pledgee must hold the bank role",
  PledgesNoDisposalModule: "no disposal auction (LOCK_DISPOSAL module) is set up on this ledger; the admin names it with setLockModule",
  PledgesTermPastExpiry: "the debt term must end before the patent's expiry",
  ERC20InsufficientBalance: "the paying account does not hold enough of the settlement token",
  EquityDealsPatentCommitted: "the patent is committed to another equity deal",
  ValuationsDayInFuture: "the valuation base day may not be in the future",
};
