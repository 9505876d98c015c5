import type { TypedDataDomain, TypedDataField } from "ethers";

/** Mirrors of contracts/libraries/ExchangeTypes.sol and the fee model of contracts/libraries/MarketFees.sol. */
export enum ListingKind {
  Sale = 0,
  Licence = 1,
}

export enum ListingStatus {
  None = 0,
  Open = 1,
  Cancelled = 2,
  Expired = 3,
  Pending = 4,
  Settled = 5,
  Refused = 6,
}

export enum OfferStatus {
  None = 0,
  Open = 1,
  Cancelled = 2,
  Accepted = 3,
}

export enum TradePath {
  Buy = 0,
  Offer = 1,
  SignedOffer = 2,
}

/** EIP-712 domain name and version of the Exchange contract. */
export const EXCHANGE_DOMAIN_NAME = "Tianfu Exchange";
export const EXCHANGE_DOMAIN_VERSION = "1";

/** EIP-712 types of a signed offer (primary type `Offer`). */
export const OFFER_TYPES: Record<string, TypedDataField[]> = {
  Offer: [
    { name: "listingId", type: "uint256" },
    { name: "buyer", type: "address" },
    { name: "buyerVenue", type: "address" },
    { name: "broker", type: "address" },
    { name: "price", type: "uint256" },
    { name: "token", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/** A signed offer's typed-data value (the `SignedOffer` struct of the contract). */
export interface SignedOfferValue {
  listingId: bigint;
  buyer: string;
  buyerVenue: string;
  broker: string;
  price: bigint;
  token: string;
  nonce: bigint;
  deadline: bigint;
}

export function exchangeDomain(chainId: bigint, exchange: string): TypedDataDomain {
  return { name: EXCHANGE_DOMAIN_NAME, version: EXCHANGE_DOMAIN_VERSION, chainId, verifyingContract: exchange };
}

export interface FeeSplit {
  seller: bigint;
  listingVenue: bigint;
  buyerVenue: bigint;
  listingBroker: bigint;
  buyerBroker: bigint;
}

/** The fee model (MarketFees.split): every unit of `price` goes to exactly one party. */
export function splitFees(
  price: bigint,
  feeBps: number,
  listingBrokerBps: number,
  buyerBrokerBps: number,
  sameVenue: boolean,
): FeeSplit {
  const fee = (price * BigInt(feeBps)) / 10_000n;
  const buyerPart = fee / 2n;
  const listingPart = fee - buyerPart;
  const listingBroker = (listingPart * BigInt(listingBrokerBps)) / 10_000n;
  const buyerBroker = (buyerPart * BigInt(buyerBrokerBps)) / 10_000n;
  let listingVenue = listingPart - listingBroker;
  let buyerVenue = buyerPart - buyerBroker;
  if (sameVenue) {
    listingVenue += buyerVenue;
    buyerVenue = 0n;
  }
  return { seller: price - fee, listingVenue, buyerVenue, listingBroker, buyerBroker };
}

/** Mirrors of contracts/libraries/AuctionTypes.sol. */
export enum AuctionKind {
  Owner = 0,
  Disposal = 1,
}

export enum AuctionStatus {
  None = 0,
  Open = 1,
  Settling = 2,
  Sold = 3,
  Unsold = 4,
  Refused = 5,
  Cancelled = 6,
}
