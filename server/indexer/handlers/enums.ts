/**
 * Names of the Solidity enums the rights contracts emit, by value (mirror contracts/libraries/*Types.sol
 * and PatentTypes.sol's Act). The read model stores the name next to the code.
 */
export const ACT = ["Transfer", "Licence", "OpenLicence", "Pledge", "List", "Contribute"] as const;

export const LICENCE_KIND = ["Exclusive", "Sole", "NonExclusive", "Sublicence"] as const;
export const LICENCE_STATUS = ["None", "Active", "Terminated", "Expired", "Revoked"] as const;
export const FEE_METHOD = ["LumpSum", "RunningRoyalty", "UseFirstPayLater"] as const;
export const FEE_TRIGGER = ["None", "Date", "RevenueReported", "ProductLaunched"] as const;

export const PLEDGE_STATUS = ["None", "Proposed", "Agreed", "Registered", "Refused", "Withdrawn", "Released", "Defaulted", "Enforced"] as const;
export { PledgeStatus } from "../../chain/financing";
export const PLEDGED_PATENT_STATUS = ["None", "Pledged", "Left", "Disposing", "Sold", "Disposed", "Released"] as const;
export const PROCEEDS_ROUTE = ["EarlyRepayment", "Escrow"] as const;

export const VALUATION_METHOD = ["Cost", "Market", "Income"] as const;

export const DEAL_STATUS = ["None", "Proposed", "Accepted", "Executing", "Executed", "Failed", "Cancelled"] as const;
export const EQUITY_FORM = ["Shares", "BasisPoints"] as const;
export const BENEFIT_ROLE = ["Inventor", "TransferOffice"] as const;
export const WARRANT_STATUS = ["None", "Granted", "Exercised", "Expired"] as const;

export const LISTING_KIND = ["Sale", "Licence"] as const;
export const LISTING_STATUS = ["None", "Open", "Cancelled", "Expired", "Pending", "Settled", "Refused"] as const;
export const OFFER_STATUS = ["None", "Open", "Cancelled", "Accepted"] as const;
export const TRADE_PATH = ["Buy", "Offer", "SignedOffer"] as const;
export const AUCTION_KIND = ["Owner", "Disposal"] as const;
export const AUCTION_STATUS = ["None", "Open", "Settling", "Sold", "Unsold", "Refused", "Cancelled"] as const;
export { AuctionKind, AuctionStatus, ListingKind, ListingStatus, OfferStatus, TradePath } from "../../chain/exchange";
