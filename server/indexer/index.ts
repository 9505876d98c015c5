/** The indexer's public surface for the gateway: the follower, the read helpers and their types. */
export { createIndexer, ChainMovedError, IndexerHaltError } from "./follower";
export type { BlockRef, Indexer, IndexerOptions, IndexerState, IndexerStatus } from "./follower";
export { createQueries, QueryError } from "./queries";
export type {
  AmountsByCurrency,
  AuctionFilter,
  DigestAnswer,
  ListingFilter,
  Page,
  PageOptions,
  PatentEncumbrances,
  PatentFilter,
  PatentMarket,
  PledgeeExposure,
  PledgeStatusQuery,
  Queries,
  ScanPage,
  VenueDetail,
} from "./queries";
export { DEFAULT_ABIS, DEFAULT_HANDLERS } from "./handlers";
export type { EvaluationEntity, PatentEntity, TimelineEntry, TransferEntity } from "./handlers/registry";
export type {
  BenefitSharesEntity,
  LicenceEntity,
  OpenLicenceEntity,
  OpenLicenceHistoryEntry,
  RevenueReportEntity,
  RoyaltyPaymentEntity,
} from "./handlers/licensing";
export type { ActConsentEntity, PledgeEntity, PledgedPatentJson, ProceedsEntity } from "./handlers/pledges";
export type { ValuationEntity } from "./handlers/valuations";
export type { DealEntity, WarrantEntity } from "./handlers/equity";
export type { BrokerEntity, ListingEntity, OfferEntity, PayoutsJson, TradeJson, VenueEntity, VenueFeeEntry, VenueStatsEntity } from "./handlers/market";
export type { AuctionEntity, AuctionPayoutsJson, BidEntity } from "./handlers/auctions";
export { PLEDGE_STATUS, PledgeStatus } from "./handlers/enums";
export type { EventHandler, HandlerTable, LedgerEvent, StateView } from "./types";
export { defineHandler } from "./types";
