import type { StoreWrite } from "../../store/db";
import { keys } from "../../store/keys";
import { defineHandler, type EventHandler, type LedgerEvent, type StateView } from "../types";
import { must, nameOf, point, timeline, ZERO_ADDRESS, type ChainPoint } from "./common";
import { AUCTION_KIND, AUCTION_STATUS, AuctionKind, AuctionStatus } from "./enums";
import { statsOf, tradeStats, withdrawnHandler } from "./market";

/**
 * The read model of the AuctionHouse: auctions (owner auctions through a listing venue, pledge disposals
 * linked to their pledge) with their rules as opened, the reserve, the highest bid, the end time after
 * every extension, and the final state (Sold with its payouts, Unsold with the refund and the registry's
 * or a guard's revert data, Refused, Cancelled); every bid in chain order under `bid/<auction>/`.
 * Indexes: auctions by status, by patent and by kind. Every auction event goes on the patent's timeline.
 */

// ---------------------------------------------------------------- entities

/** The `Auction` struct as `AuctionCreated` emitted it (uint64/uint96 fields as decimal strings). */
type AuctionJson = {
  patentId: string;
  startTime: string;
  endTime: string;
  maxEndTime: string;
  seller: string;
  kind: number;
  status: number;
  incrementBps: number;
  listingFeeBps: number;
  listingBrokerBps: number;
  extensionWindow: number;
  token: string;
  pledgeId: string;
  listingVenue: string;
  transferId: string;
  listingBroker: string;
  reserve: string;
  proceedsTo: string;
  bidder: string;
  bid: string;
  bidVenue: string;
  bidFeeBps: number;
  bidBrokerBps: number;
  bidBroker: string;
};

export type HighestBidJson = {
  bidder: string;
  amount: string;
  venue: string;
  broker: string;
  venueFeeBps: number;
  brokerShareBps: number;
  at: ChainPoint;
};

export type AuctionPayoutsJson = {
  price: string;
  owed: string;
  payee: string;
  net: string;
  listingVenue: string;
  listingVenueFee: string;
  listingBroker: string;
  listingBrokerFee: string;
  buyerVenue: string;
  buyerVenueFee: string;
  buyerBroker: string;
  buyerBrokerFee: string;
};

export type AuctionEntity = {
  id: string;
  patentId: string;
  seller: string;
  kind: string;
  kindCode: number;
  /** The pledge a disposal serves; null for an owner auction. */
  pledgeId: string | null;
  status: string;
  statusCode: number;
  token: string;
  reserve: string;
  incrementBps: number;
  /** Unix seconds as decimal strings. `endTime` is the end after every extension; `originalEndTime` as opened. */
  startTime: string;
  endTime: string;
  originalEndTime: string;
  maxEndTime: string;
  extensionWindow: number;
  /** Listing venue and broker of an owner auction (null for a disposal), with the rates fixed at opening. */
  listingVenue: string | null;
  listingBroker: string | null;
  listingFeeBps: number;
  listingBrokerBps: number;
  /** Where the seller's net goes for a pledged patent (null: the seller). */
  proceedsTo: string | null;
  highestBid: HighestBidJson | null;
  bids: number;
  extensions: number;
  closed: { winner: string; price: string; transferId: string; at: ChainPoint } | null;
  unsold: { refunded: string | null; refund: string; reason: string; at: ChainPoint } | null;
  settled: { winner: string; transferId: string; payouts: AuctionPayoutsJson; at: ChainPoint } | null;
  refused: { transferId: string; winner: string; refund: string; at: ChainPoint } | null;
  cancelled: { by: string; at: ChainPoint } | null;
  created: ChainPoint;
  updated: ChainPoint;
};

export type BidEntity = {
  auctionId: string;
  patentId: string;
  bidder: string;
  amount: string;
  venue: string;
  broker: string | null;
  venueFeeBps: number;
  brokerShareBps: number;
  /** The auction's end after this bid. */
  endTime: string;
  extended: boolean;
  outbid: string | null;
  outbidAmount: string;
  at: ChainPoint;
};

// ---------------------------------------------------------------- event argument shapes (abi.ts output)

type AuctionCreatedArgs = { auctionId: string; patentId: string; seller: string; auction: AuctionJson };
type BidPlacedArgs = {
  auctionId: string;
  bidder: string;
  venue: string;
  amount: string;
  broker: string;
  venueFeeBps: number;
  brokerShareBps: number;
  endTime: string;
  outbid: string;
  outbidAmount: string;
};
type AuctionClosedArgs = { auctionId: string; patentId: string; winner: string; price: string; transferId: string };
type AuctionUnsoldArgs = { auctionId: string; patentId: string; refunded: string; refund: string; reason: string };
type AuctionSettledArgs = { auctionId: string; patentId: string; winner: string; transferId: string; payouts: AuctionPayoutsJson };
type AuctionRefusedArgs = { auctionId: string; patentId: string; transferId: string; winner: string; refund: string };
type AuctionCancelledArgs = { auctionId: string; patentId: string; seller: string };
type RulesSetArgs = { rules: { extensionWindow: number; disposalMaxExtension: number; disposalIncrementBps: number } };

// ---------------------------------------------------------------- helpers

const nonZero = (address: string): string | null => (address === ZERO_ADDRESS ? null : address);
const auctionStatus = (code: AuctionStatus) => ({ status: nameOf(AUCTION_STATUS, code), statusCode: code });

function withStatus(a: AuctionEntity, status: AuctionStatus): { auction: AuctionEntity; writes: StoreWrite[] } {
  if (a.statusCode === status) return { auction: a, writes: [] };
  return {
    auction: { ...a, ...auctionStatus(status) },
    writes: [
      { key: keys.auctionsByStatus(a.statusCode, a.id), value: null },
      { key: keys.auctionsByStatus(status, a.id), value: "" },
    ],
  };
}

function auctionUpdate<A extends { auctionId: string }>(
  change: (auction: AuctionEntity, e: LedgerEvent<A>, state: StateView) => { auction: AuctionEntity; extra?: StoreWrite[] },
  moreReads: (e: LedgerEvent<A>) => string[] = () => [],
): EventHandler {
  return defineHandler<A>({
    reads: (e) => [keys.auction(e.args.auctionId), ...moreReads(e)],
    apply(e, state) {
      const before = must<AuctionEntity>(state, keys.auction(e.args.auctionId), e);
      const { auction, extra = [] } = change(before, e, state);
      return [{ key: keys.auction(auction.id), value: { ...auction, updated: point(e) } }, ...extra, timeline(e, auction.patentId)];
    },
  });
}

/** A final state reached from the auction's current one. */
function ending<A extends { auctionId: string }>(status: AuctionStatus, fields: (a: AuctionEntity, e: LedgerEvent<A>) => Partial<AuctionEntity>): EventHandler {
  return auctionUpdate<A>((a, e) => {
    const { auction, writes } = withStatus(a, status);
    return { auction: { ...auction, ...fields(a, e) }, extra: writes };
  });
}

// ---------------------------------------------------------------- handlers

export const auctionHouseHandlers: Record<string, EventHandler> = {
  AuctionCreated: defineHandler<AuctionCreatedArgs>({
    reads: (e) => [keys.venueStats(e.args.auction.listingVenue)],
    apply(e, state) {
      const { auctionId, patentId, seller, auction: x } = e.args;
      const disposal = x.kind === AuctionKind.Disposal;
      const auction: AuctionEntity = {
        id: auctionId,
        patentId,
        seller,
        kind: nameOf(AUCTION_KIND, x.kind),
        kindCode: x.kind,
        pledgeId: disposal ? x.pledgeId : null,
        ...auctionStatus(AuctionStatus.Open),
        token: x.token,
        reserve: x.reserve,
        incrementBps: x.incrementBps,
        startTime: x.startTime,
        endTime: x.endTime,
        originalEndTime: x.endTime,
        maxEndTime: x.maxEndTime,
        extensionWindow: x.extensionWindow,
        listingVenue: nonZero(x.listingVenue),
        listingBroker: nonZero(x.listingBroker),
        listingFeeBps: x.listingFeeBps,
        listingBrokerBps: x.listingBrokerBps,
        proceedsTo: nonZero(x.proceedsTo),
        highestBid: null,
        bids: 0,
        extensions: 0,
        closed: null,
        unsold: null,
        settled: null,
        refused: null,
        cancelled: null,
        created: point(e),
        updated: point(e),
      };
      const writes: StoreWrite[] = [
        { key: keys.auction(auctionId), value: auction },
        { key: keys.auctionsByStatus(AuctionStatus.Open, auctionId), value: "" },
        { key: keys.auctionsOfPatent(patentId, auctionId), value: "" },
        { key: keys.auctionsByKind(x.kind, auctionId), value: "" },
      ];
      if (x.listingVenue !== ZERO_ADDRESS) {
        const stats = statsOf(state, x.listingVenue);
        writes.push({ key: keys.venueStats(x.listingVenue), value: { ...stats, auctions: stats.auctions + 1 } });
      }
      writes.push(timeline(e, patentId));
      return writes;
    },
  }),

  BidPlaced: auctionUpdate<BidPlacedArgs>((a, e) => {
    const b = e.args;
    const extended = b.endTime !== a.endTime;
    const bid: BidEntity = {
      auctionId: a.id,
      patentId: a.patentId,
      bidder: b.bidder,
      amount: b.amount,
      venue: b.venue,
      broker: nonZero(b.broker),
      venueFeeBps: b.venueFeeBps,
      brokerShareBps: b.brokerShareBps,
      endTime: b.endTime,
      extended,
      outbid: nonZero(b.outbid),
      outbidAmount: b.outbidAmount,
      at: point(e),
    };
    const highestBid: HighestBidJson = {
      bidder: b.bidder,
      amount: b.amount,
      venue: b.venue,
      broker: b.broker,
      venueFeeBps: b.venueFeeBps,
      brokerShareBps: b.brokerShareBps,
      at: point(e),
    };
    return {
      auction: { ...a, highestBid, bids: a.bids + 1, endTime: b.endTime, extensions: a.extensions + (extended ? 1 : 0) },
      extra: [{ key: keys.bid(a.id, e.blockNumber, e.logIndex), value: bid }],
    };
  }),

  AuctionClosed: ending<AuctionClosedArgs>(AuctionStatus.Settling, (_, e) => ({
    closed: { winner: e.args.winner, price: e.args.price, transferId: e.args.transferId, at: point(e) },
  })),

  AuctionUnsold: ending<AuctionUnsoldArgs>(AuctionStatus.Unsold, (_, e) => ({
    unsold: { refunded: nonZero(e.args.refunded), refund: e.args.refund, reason: e.args.reason, at: point(e) },
  })),

  AuctionSettled: auctionUpdate<AuctionSettledArgs>(
    (a, e, state) => {
      const p = e.args.payouts;
      const { auction, writes } = withStatus(a, AuctionStatus.Sold);
      const stats = tradeStats(state, a.token, p.price, [
        { venue: p.listingVenue, fee: p.listingVenueFee },
        { venue: p.buyerVenue, fee: p.buyerVenueFee },
      ]);
      return {
        auction: { ...auction, settled: { winner: e.args.winner, transferId: e.args.transferId, payouts: p, at: point(e) } },
        extra: [...writes, ...stats],
      };
    },
    (e) => [keys.venueStats(e.args.payouts.listingVenue), keys.venueStats(e.args.payouts.buyerVenue)],
  ),

  AuctionRefused: ending<AuctionRefusedArgs>(AuctionStatus.Refused, (_, e) => ({
    refused: { transferId: e.args.transferId, winner: e.args.winner, refund: e.args.refund, at: point(e) },
  })),

  AuctionCancelled: ending<AuctionCancelledArgs>(AuctionStatus.Cancelled, (_, e) => ({ cancelled: { by: e.args.seller, at: point(e) } })),

  RulesSet: defineHandler<RulesSetArgs>({
    reads: () => [],
    apply: (e) => [{ key: keys.setting("AuctionHouse", "rules"), value: { ...e.args.rules, at: point(e) } }],
  }),

  Withdrawn: withdrawnHandler(),
};
