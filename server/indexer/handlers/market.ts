import type { StoreWrite } from "../../store/db";
import { keys } from "../../store/keys";
import { defineHandler, type EventHandler, type LedgerEvent, type StateView } from "../types";
import { addAmounts, must, nameOf, point, timeline, ZERO_ADDRESS, type ChainPoint } from "./common";
import { LICENCE_KIND, LISTING_KIND, LISTING_STATUS, ListingKind, ListingStatus, OFFER_STATUS, OfferStatus, TRADE_PATH, TradePath } from "./enums";

/**
 * The read model of the market contracts Venues and Exchange (auctions: ./auctions.ts).
 *
 * Venues: each venue with its name and fee (every opening and fee change kept under `vfee/`), its brokers
 * (accredited with a share of its fee, or revoked), and its trade figures (`vst/`: listings and owner
 * auctions made through it, trades paid out on either side, volume and fees earned per token).
 *
 * Listings: the terms exactly as `Listed` emitted them (a client passes `{listingId, seller, terms}` back as
 * calldata), the status (Open -> Cancelled | Expired | Settled (licence) | Pending (sale) -> Settled |
 * Refused), the trade (`ListingSettled`), the payouts (`ProceedsCredited`) and the refund (`SaleRefunded`).
 * A listing's id is `patentId * 10,000 + n` (the contract's scheme), so events that carry only the
 * listing id still reach the patent's timeline. Offers: on-chain offers with their escrow (Open, Cancelled
 * with the refund, Accepted) and the signed offer accepted on a listing (its price and venues come from the
 * `ListingSettled` that follows in the same transaction). Indexes: listings by status, by venue, by venue
 * and status, by seller and by patent; offers by listing and by buyer. Every listing and offer event goes
 * on the timeline of the listed patent.
 */

// ---------------------------------------------------------------- entities

/** `ListingParams` as the chain emitted it (uint64/uint96 fields as decimal strings). */
export type ListingTermsJson = {
  patentId: string;
  kind: number;
  venue: string;
  broker: string;
  token: string;
  price: string;
  expiry: string;
  licenceKind: number;
  sublicensable: boolean;
  scope: { fields: string; territories: string; startDay: number; endDay: number };
  contractHash: string;
};

export type TradeJson = {
  buyer: string;
  path: string;
  pathCode: number;
  /** Offer id (Offer), nonce (SignedOffer), "0" (Buy). */
  ref: string;
  buyerVenue: string;
  buyerBroker: string;
  feeBps: number;
  listingBrokerBps: number;
  buyerBrokerBps: number;
  token: string;
  price: string;
  /** The licence granted (Licence) or the transfer agreed (Sale). */
  rightId: string;
  at: ChainPoint;
};

export type PayoutsJson = {
  payee: string;
  payeeAmount: string;
  payeeEscrowed: boolean;
  listingVenue: string;
  listingVenueAmount: string;
  buyerVenue: string;
  buyerVenueAmount: string;
  listingBroker: string;
  listingBrokerAmount: string;
  buyerBroker: string;
  buyerBrokerAmount: string;
};

export type ListingEntity = {
  id: string;
  patentId: string;
  seller: string;
  kind: string;
  kindCode: number;
  /** The licence offered (licence listings), else null. */
  licenceKind: string | null;
  terms: ListingTermsJson;
  status: string;
  statusCode: number;
  /** Cancelled (seller or listing venue) or Expired (anyone): who closed it. */
  closed: { by: string; at: ChainPoint } | null;
  trade: TradeJson | null;
  payouts: (PayoutsJson & { token: string; at: ChainPoint }) | null;
  refund: { transferId: string; buyer: string; token: string; amount: string; at: ChainPoint } | null;
  listed: ChainPoint;
  updated: ChainPoint;
};

export type OfferEntity = {
  /** OnChain (escrowed) or Signed (EIP-712, indexed once accepted). */
  kind: "OnChain" | "Signed";
  /** The on-chain offer's id; null for a signed offer. */
  offerId: string | null;
  /** The signed offer's nonce and EIP-712 digest; null for an on-chain offer. */
  nonce: string | null;
  digest: string | null;
  listingId: string;
  patentId: string;
  buyer: string;
  /** Null for a signed offer until its `ListingSettled` (same transaction) is applied. */
  buyerVenue: string | null;
  broker: string | null;
  token: string | null;
  price: string | null;
  status: string;
  statusCode: number;
  made: ChainPoint | null;
  cancelled: { refund: string; at: ChainPoint } | null;
  accepted: ChainPoint | null;
};

export type VenueEntity = {
  address: string;
  name: string;
  feeBps: number;
  opened: ChainPoint;
  updated: ChainPoint;
};

export type VenueFeeEntry = { venue: string; event: string; name: string | null; previousFeeBps: number | null; feeBps: number; at: ChainPoint };

export type BrokerEntity = {
  venue: string;
  broker: string;
  shareBps: number;
  state: "Accredited" | "Revoked";
  accredited: ChainPoint;
  revoked: ChainPoint | null;
  updated: ChainPoint;
};

/** A venue's figures: listing side counts listings and owner auctions made through it; trades count either side. */
export type VenueStatsEntity = {
  venue: string;
  listings: number;
  auctions: number;
  trades: number;
  /** Price of the trades paid out with the venue on either side, per token. */
  volume: { [token: string]: string };
  /** Venue fees credited to the venue, per token (brokers' shares excluded). */
  fees: { [token: string]: string };
};

export type WithdrawalEntity = { contract: string; account: string; token: string; amount: string; at: ChainPoint };

// ---------------------------------------------------------------- event argument shapes (abi.ts output)

type VenueOpenedArgs = { venue: string; name: string; feeBps: number };
type VenueFeeChangedArgs = { venue: string; previousFeeBps: number; feeBps: number };
type FeeCapChangedArgs = { previousCapBps: number; capBps: number };
type BrokerAccreditedArgs = { venue: string; broker: string; shareBps: number };
type BrokerRevokedArgs = { venue: string; broker: string };

type TokenAllowedArgs = { token: string; allowed: boolean };
type ListedArgs = { listingId: string; patentId: string; seller: string; terms: ListingTermsJson };
type ListingClosedArgs = { listingId: string; patentId: string; by: string };
type OfferTermsJson = { listingId: string; buyer: string; buyerVenue: string; broker: string; token: string; price: string };
type OfferMadeArgs = { offerId: string; listingId: string; buyer: string; offer: OfferTermsJson };
type OfferCancelledArgs = { offerId: string; listingId: string; buyer: string; refund: string };
type OfferAcceptedArgs = { offerId: string; listingId: string; buyer: string };
type SignedOfferAcceptedArgs = { listingId: string; buyer: string; nonce: string; digest: string };
type SignedOfferCancelledArgs = { buyer: string; nonce: string };
type NonceBumpedArgs = { buyer: string; minNonce: string };
type TradeArgs = Omit<TradeJson, "buyer" | "path" | "pathCode" | "at"> & { kind: number; path: number };
type ListingSettledArgs = { listingId: string; patentId: string; buyer: string; trade: TradeArgs };
type ProceedsCreditedArgs = { listingId: string; token: string; payouts: PayoutsJson };
type SaleRefundedArgs = { listingId: string; transferId: string; buyer: string; token: string; amount: string };
type WithdrawnArgs = { account: string; token: string; amount: string };

// ---------------------------------------------------------------- helpers

/** Listings per patent in the contract's id scheme (`patentId * LISTINGS_PER_PATENT + n`). */
export const LISTINGS_PER_PATENT = 10_000n;
export const patentOfListing = (listingId: string): string => (BigInt(listingId) / LISTINGS_PER_PATENT).toString();

const listingStatus = (code: ListingStatus) => ({ status: nameOf(LISTING_STATUS, code), statusCode: code });
const offerStatus = (code: OfferStatus) => ({ status: nameOf(OFFER_STATUS, code), statusCode: code });

/** Moves the listing to `status` with its two status index entries. */
function withStatus(l: ListingEntity, status: ListingStatus): { listing: ListingEntity; writes: StoreWrite[] } {
  if (l.statusCode === status) return { listing: l, writes: [] };
  return {
    listing: { ...l, ...listingStatus(status) },
    writes: [
      { key: keys.listingsByStatus(l.statusCode, l.id), value: null },
      { key: keys.listingsByStatus(status, l.id), value: "" },
      { key: keys.listingsByVenueStatus(l.terms.venue, l.statusCode, l.id), value: null },
      { key: keys.listingsByVenueStatus(l.terms.venue, status, l.id), value: "" },
    ],
  };
}

/** A handler that updates one listing (read by its id) and puts the event on the patent's timeline. */
function listingUpdate<A extends { listingId: string }>(
  change: (listing: ListingEntity, e: LedgerEvent<A>, state: StateView) => { listing: ListingEntity; extra?: StoreWrite[] },
  moreReads: (e: LedgerEvent<A>) => string[] = () => [],
): EventHandler {
  return defineHandler<A>({
    reads: (e) => [keys.listing(e.args.listingId), ...moreReads(e)],
    apply(e, state) {
      const before = must<ListingEntity>(state, keys.listing(e.args.listingId), e);
      const { listing, extra = [] } = change(before, e, state);
      return [{ key: keys.listing(listing.id), value: { ...listing, updated: point(e) } }, ...extra, timeline(e, listing.patentId)];
    },
  });
}

function offerUpdate<A extends { offerId: string }>(change: (offer: OfferEntity, e: LedgerEvent<A>) => OfferEntity): EventHandler {
  return defineHandler<A>({
    reads: (e) => [keys.offer(e.args.offerId)],
    apply(e, state) {
      const before = must<OfferEntity>(state, keys.offer(e.args.offerId), e);
      return [{ key: keys.offer(e.args.offerId), value: change(before, e) }, timeline(e, before.patentId)];
    },
  });
}

const emptyStats = (venue: string): VenueStatsEntity => ({ venue, listings: 0, auctions: 0, trades: 0, volume: {}, fees: {} });

const addTo = (totals: { [token: string]: string }, token: string, amount: string): { [token: string]: string } => ({
  ...totals,
  [token]: addAmounts(totals[token] ?? "0", amount),
});

/** The stats of a venue as stored (declared read), or empty. */
export const statsOf = (state: StateView, venue: string): VenueStatsEntity => state.get<VenueStatsEntity>(keys.venueStats(venue)) ?? emptyStats(venue);

/**
 * Venue figures of one paid-out trade: the listing venue and the buyer venue (once when the same) count
 * the trade and its price; each is credited the fee it earned. Zero addresses (no venue) are skipped.
 */
export function tradeStats(
  state: StateView,
  token: string,
  price: string,
  sides: { venue: string; fee: string }[],
): StoreWrite[] {
  const merged = new Map<string, string>();
  for (const s of sides) {
    if (s.venue === ZERO_ADDRESS) continue;
    merged.set(s.venue, addAmounts(merged.get(s.venue) ?? "0", s.fee));
  }
  return [...merged].map(([venue, fee]) => {
    const st = statsOf(state, venue);
    const next: VenueStatsEntity = { ...st, trades: st.trades + 1, volume: addTo(st.volume, token, price), fees: addTo(st.fees, token, fee) };
    return { key: keys.venueStats(venue), value: next };
  });
}

const sumOf = (...amounts: string[]): string => amounts.reduce((a, b) => addAmounts(a, b), "0");

// ---------------------------------------------------------------- Venues

export const venuesHandlers: Record<string, EventHandler> = {
  /** Opening again renames the venue and resets its fee; the first opening is kept. */
  VenueOpened: defineHandler<VenueOpenedArgs>({
    reads: (e) => [keys.venue(e.args.venue)],
    apply(e, state) {
      const a = e.args;
      const before = state.get<VenueEntity>(keys.venue(a.venue));
      const venue: VenueEntity = { address: a.venue, name: a.name, feeBps: a.feeBps, opened: before?.opened ?? point(e), updated: point(e) };
      const entry: VenueFeeEntry = { venue: a.venue, event: e.event, name: a.name, previousFeeBps: before?.feeBps ?? null, feeBps: a.feeBps, at: point(e) };
      return [
        { key: keys.venue(a.venue), value: venue },
        { key: keys.venueFee(a.venue, e.blockNumber, e.logIndex), value: entry },
      ];
    },
  }),

  VenueFeeChanged: defineHandler<VenueFeeChangedArgs>({
    reads: (e) => [keys.venue(e.args.venue)],
    apply(e, state) {
      const a = e.args;
      const before = must<VenueEntity>(state, keys.venue(a.venue), e);
      const entry: VenueFeeEntry = { venue: a.venue, event: e.event, name: null, previousFeeBps: a.previousFeeBps, feeBps: a.feeBps, at: point(e) };
      return [
        { key: keys.venue(a.venue), value: { ...before, feeBps: a.feeBps, updated: point(e) } },
        { key: keys.venueFee(a.venue, e.blockNumber, e.logIndex), value: entry },
      ];
    },
  }),

  FeeCapChanged: defineHandler<FeeCapChangedArgs>({
    reads: () => [],
    apply: (e) => [{ key: keys.setting("Venues", "feeCap"), value: { previousCapBps: e.args.previousCapBps, capBps: e.args.capBps, at: point(e) } }],
  }),

  /** A new accreditation, or a new share for an accredited broker (re-accreditation after a revocation starts anew). */
  BrokerAccredited: defineHandler<BrokerAccreditedArgs>({
    reads: (e) => [keys.broker(e.args.venue, e.args.broker)],
    apply(e, state) {
      const a = e.args;
      const before = state.get<BrokerEntity>(keys.broker(a.venue, a.broker));
      const still = before !== undefined && before.state === "Accredited";
      const broker: BrokerEntity = {
        venue: a.venue,
        broker: a.broker,
        shareBps: a.shareBps,
        state: "Accredited",
        accredited: still ? before.accredited : point(e),
        revoked: null,
        updated: point(e),
      };
      return [{ key: keys.broker(a.venue, a.broker), value: broker }];
    },
  }),

  BrokerRevoked: defineHandler<BrokerRevokedArgs>({
    reads: (e) => [keys.broker(e.args.venue, e.args.broker)],
    apply(e, state) {
      const key = keys.broker(e.args.venue, e.args.broker);
      const before = must<BrokerEntity>(state, key, e);
      return [{ key, value: { ...before, state: "Revoked", revoked: point(e), updated: point(e) } }];
    },
  }),
};

// ---------------------------------------------------------------- Exchange

export const exchangeHandlers: Record<string, EventHandler> = {
  TokenAllowed: defineHandler<TokenAllowedArgs>({
    reads: () => [],
    apply: (e) => [{ key: keys.marketToken(e.args.token), value: { token: e.args.token, allowed: e.args.allowed, at: point(e) } }],
  }),

  Listed: defineHandler<ListedArgs>({
    reads: (e) => [keys.venueStats(e.args.terms.venue)],
    apply(e, state) {
      const a = e.args;
      const t = a.terms;
      const licence = t.kind === ListingKind.Licence;
      const listing: ListingEntity = {
        id: a.listingId,
        patentId: a.patentId,
        seller: a.seller,
        kind: nameOf(LISTING_KIND, t.kind),
        kindCode: t.kind,
        licenceKind: licence ? nameOf(LICENCE_KIND, t.licenceKind) : null,
        terms: t,
        ...listingStatus(ListingStatus.Open),
        closed: null,
        trade: null,
        payouts: null,
        refund: null,
        listed: point(e),
        updated: point(e),
      };
      const stats = statsOf(state, t.venue);
      return [
        { key: keys.listing(a.listingId), value: listing },
        { key: keys.listingsByStatus(ListingStatus.Open, a.listingId), value: "" },
        { key: keys.listingsByVenue(t.venue, a.listingId), value: "" },
        { key: keys.listingsByVenueStatus(t.venue, ListingStatus.Open, a.listingId), value: "" },
        { key: keys.listingsBySeller(a.seller, a.listingId), value: "" },
        { key: keys.listingsOfPatent(a.patentId, a.listingId), value: "" },
        { key: keys.venueStats(t.venue), value: { ...stats, listings: stats.listings + 1 } },
        timeline(e, a.patentId),
      ];
    },
  }),

  ListingCancelled: listingUpdate<ListingClosedArgs>((l, e) => {
    const { listing, writes } = withStatus(l, ListingStatus.Cancelled);
    return { listing: { ...listing, closed: { by: e.args.by, at: point(e) } }, extra: writes };
  }),

  ListingExpired: listingUpdate<ListingClosedArgs>((l, e) => {
    const { listing, writes } = withStatus(l, ListingStatus.Expired);
    return { listing: { ...listing, closed: { by: e.args.by, at: point(e) } }, extra: writes };
  }),

  OfferMade: defineHandler<OfferMadeArgs>({
    reads: () => [],
    apply(e) {
      const a = e.args;
      const o = a.offer;
      const offer: OfferEntity = {
        kind: "OnChain",
        offerId: a.offerId,
        nonce: null,
        digest: null,
        listingId: a.listingId,
        patentId: patentOfListing(a.listingId),
        buyer: a.buyer,
        buyerVenue: o.buyerVenue,
        broker: o.broker,
        token: o.token,
        price: o.price,
        ...offerStatus(OfferStatus.Open),
        made: point(e),
        cancelled: null,
        accepted: null,
      };
      return [
        { key: keys.offer(a.offerId), value: offer },
        { key: keys.offersOfListing(a.listingId, { onChain: a.offerId }), value: "" },
        { key: keys.offersByBuyer(a.buyer, { onChain: a.offerId }), value: "" },
        timeline(e, offer.patentId),
      ];
    },
  }),

  OfferCancelled: offerUpdate<OfferCancelledArgs>((o, e) => ({ ...o, ...offerStatus(OfferStatus.Cancelled), cancelled: { refund: e.args.refund, at: point(e) } })),

  OfferAccepted: offerUpdate<OfferAcceptedArgs>((o, e) => ({ ...o, ...offerStatus(OfferStatus.Accepted), accepted: point(e) })),

  /** The signed offer's terms (venue, broker, price) follow in ListingSettled, in the same transaction. */
  SignedOfferAccepted: defineHandler<SignedOfferAcceptedArgs>({
    reads: () => [],
    apply(e) {
      const a = e.args;
      const offer: OfferEntity = {
        kind: "Signed",
        offerId: null,
        nonce: a.nonce,
        digest: a.digest,
        listingId: a.listingId,
        patentId: patentOfListing(a.listingId),
        buyer: a.buyer,
        buyerVenue: null,
        broker: null,
        token: null,
        price: null,
        ...offerStatus(OfferStatus.Accepted),
        made: null,
        cancelled: null,
        accepted: point(e),
      };
      return [
        { key: keys.signedOffer(a.listingId), value: offer },
        { key: keys.offersOfListing(a.listingId, { signedOn: a.listingId }), value: "" },
        { key: keys.offersByBuyer(a.buyer, { signedOn: a.listingId }), value: "" },
        timeline(e, offer.patentId),
      ];
    },
  }),

  SignedOfferCancelled: defineHandler<SignedOfferCancelledArgs>({
    reads: () => [],
    apply: (e) => [{ key: keys.cancelledNonce(e.args.buyer, e.args.nonce), value: { buyer: e.args.buyer, nonce: e.args.nonce, at: point(e) } }],
  }),

  NonceBumped: defineHandler<NonceBumpedArgs>({
    reads: () => [],
    apply: (e) => [{ key: keys.minNonce(e.args.buyer), value: { buyer: e.args.buyer, minNonce: e.args.minNonce, at: point(e) } }],
  }),

  /** A licence is granted at once (Settled); a sale is agreed and awaits registration (Pending). */
  ListingSettled: listingUpdate<ListingSettledArgs>(
    (l, e, state) => {
      const a = e.args;
      const t = a.trade;
      const trade: TradeJson = {
        buyer: a.buyer,
        path: nameOf(TRADE_PATH, t.path),
        pathCode: t.path,
        ref: t.ref,
        buyerVenue: t.buyerVenue,
        buyerBroker: t.buyerBroker,
        feeBps: t.feeBps,
        listingBrokerBps: t.listingBrokerBps,
        buyerBrokerBps: t.buyerBrokerBps,
        token: t.token,
        price: t.price,
        rightId: t.rightId,
        at: point(e),
      };
      const { listing, writes } = withStatus(l, t.kind === ListingKind.Licence ? ListingStatus.Settled : ListingStatus.Pending);
      const extra = [...writes];
      if (t.path === TradePath.SignedOffer) {
        const signed = state.get<OfferEntity>(keys.signedOffer(a.listingId));
        if (signed !== undefined) {
          extra.push({ key: keys.signedOffer(a.listingId), value: { ...signed, buyerVenue: t.buyerVenue, broker: t.buyerBroker, token: t.token, price: t.price } });
        }
      }
      return { listing: { ...listing, trade }, extra };
    },
    (e) => [keys.signedOffer(e.args.listingId)],
  ),

  /** The trade was paid out: a licence at once, a sale on registration (the listing is then Settled). */
  ProceedsCredited: listingUpdate<ProceedsCreditedArgs>(
    (l, e, state) => {
      const p = e.args.payouts;
      const { listing, writes } = withStatus(l, ListingStatus.Settled);
      const price = sumOf(p.payeeAmount, p.listingVenueAmount, p.buyerVenueAmount, p.listingBrokerAmount, p.buyerBrokerAmount);
      const stats = tradeStats(state, e.args.token, price, [
        { venue: p.listingVenue, fee: p.listingVenueAmount },
        { venue: p.buyerVenue, fee: p.buyerVenueAmount },
      ]);
      return { listing: { ...listing, payouts: { ...p, token: e.args.token, at: point(e) } }, extra: [...writes, ...stats] };
    },
    (e) => [keys.venueStats(e.args.payouts.listingVenue), keys.venueStats(e.args.payouts.buyerVenue)],
  ),

  SaleRefunded: listingUpdate<SaleRefundedArgs>((l, e) => {
    const a = e.args;
    const { listing, writes } = withStatus(l, ListingStatus.Refused);
    return { listing: { ...listing, refund: { transferId: a.transferId, buyer: a.buyer, token: a.token, amount: a.amount, at: point(e) } }, extra: writes };
  }),

  Withdrawn: withdrawnHandler(),
};

/** A withdrawal of a balance (Exchange and AuctionHouse). */
export function withdrawnHandler(): EventHandler {
  return defineHandler<WithdrawnArgs>({
    reads: () => [],
    apply(e) {
      const w: WithdrawalEntity = { contract: e.contract, account: e.args.account, token: e.args.token, amount: e.args.amount, at: point(e) };
      return [{ key: keys.withdrawal(e.args.account, e.blockNumber, e.logIndex), value: w }];
    },
  });
}
