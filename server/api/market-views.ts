import { z } from "zod";
import type { AppContext } from "../context";
import { formatCnipaNumber } from "../chain/cnipa";
import type { AuctionEntity, BidEntity, BrokerEntity, ListingEntity, OfferEntity, Queries, VenueDetail, VenueEntity, VenueStatsEntity } from "../indexer";
import { AUCTION_STATUS, LISTING_KIND, LISTING_STATUS } from "../indexer/handlers/enums";
import { ChainPointSchema } from "./schemas";

/**
 * The answer shapes of the market router (routes/market.ts): listings with their offers and settlement,
 * auctions with their bids, venues with their figures. Amounts are `{ token, symbol, decimals, units, value }`:
 * `units` in the token's smallest unit as the chain keeps them, `value` the same as a decimal string in token
 * units (dCNY: 2 decimals). `marketOfPatentView` is what the dossier shows of a patent's market activity.
 */

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

// ---------------------------------------------------------------- amounts

export const AmountSchema = z
  .object({
    token: z.string().describe("the ERC-20 settlement token"),
    symbol: z.string().nullable().describe("the token's symbol when the gateway knows it (dCNY), else null"),
    decimals: z.number().int().nullable().describe("the token's decimals when known, else null (value is then the units)"),
    units: z.string().describe("the amount in the token's smallest unit (e.g. fen), as the chain keeps it"),
    value: z.string().describe('the amount in token units as a decimal string ("12000.00")'),
  })
  .meta({ id: "Amount", description: "An amount of a settlement token." });
export type AmountView = z.infer<typeof AmountSchema>;

/** Token symbol and decimals the gateway knows: the deployment's settlement token. */
export function knownTokens(ctx: AppContext): Map<string, { symbol: string; decimals: number }> {
  const tokens = new Map<string, { symbol: string; decimals: number }>();
  const demo = ctx.deployments.contracts.DemoSettlementToken;
  if (demo) tokens.set(demo.toLowerCase(), { symbol: "dCNY", decimals: 2 });
  return tokens;
}

/** `units` as a decimal string with `decimals` places ("1200000" with 2 -> "12000.00"). */
export function decimalOf(units: string, decimals: number): string {
  if (decimals === 0) return units;
  const digits = units.padStart(decimals + 1, "0");
  return `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

export function amountOf(tokens: Map<string, { symbol: string; decimals: number }>, token: string, units: string): AmountView {
  const known = tokens.get(token.toLowerCase());
  return { token, symbol: known?.symbol ?? null, decimals: known?.decimals ?? null, units, value: known ? decimalOf(units, known.decimals) : units };
}

/** A Unix time in seconds (uint64 as text) as ISO 8601, or null when out of the calendar's range. */
export function isoOfUnix(seconds: string): string | null {
  const ms = Number(seconds) * 1000;
  return Number.isFinite(ms) && ms <= 8.64e15 ? new Date(ms).toISOString() : null;
}

const orNull = (address: string): string | null => (address === ZERO_ADDRESS ? null : address);

// ---------------------------------------------------------------- schemas

const Party = z.object({ address: z.string(), amount: AmountSchema });

export const OfferSchema = z
  .object({
    kind: z.enum(["OnChain", "Signed"]).describe("OnChain: escrowed with the exchange; Signed: an EIP-712 offer, indexed once accepted"),
    offerId: z.string().nullable().describe("the on-chain offer's id; null for a signed offer"),
    nonce: z.string().nullable().describe("the signed offer's nonce"),
    digest: z.string().nullable().describe("the signed offer's EIP-712 digest"),
    listingId: z.string(),
    buyer: z.string(),
    buyerVenue: z.string().nullable(),
    broker: z.string().nullable(),
    price: AmountSchema.nullable(),
    status: z.string().describe("Open (escrowed), Cancelled (refunded to the buyer's balance) or Accepted"),
    refund: AmountSchema.nullable().describe("credited back to the buyer when cancelled"),
    made: ChainPointSchema.nullable(),
    cancelled: ChainPointSchema.nullable(),
    accepted: ChainPointSchema.nullable(),
  })
  .meta({ id: "Offer" });

export const SettlementSchema = z
  .object({
    buyer: z.string(),
    path: z.string().describe("Buy, Offer or SignedOffer"),
    ref: z.string().describe("the offer id (Offer), the nonce (SignedOffer) or 0 (Buy)"),
    rightId: z.string().describe("the licence granted (licence listing) or the transfer agreed (sale)"),
    price: AmountSchema,
    feeBps: z.number().int().describe("the listing venue's fee at the trade"),
    listingBrokerBps: z.number().int(),
    buyerBrokerBps: z.number().int(),
    buyerVenue: z.string(),
    buyerBroker: z.string().nullable(),
    agreed: ChainPointSchema,
    paid: z
      .object({
        sellerNet: AmountSchema.describe("the price less every fee"),
        proceedsTo: z.string().describe("who received the net: the seller, or where a pledgee's consent routed it"),
        proceedsEscrowed: z.boolean().describe("the net was deposited with the Pledges contract in escrow for the pledgor"),
        listingVenue: Party,
        buyerVenue: Party,
        listingBroker: Party.nullable(),
        buyerBroker: Party.nullable(),
        at: ChainPointSchema,
      })
      .nullable()
      .describe("the payouts: a licence at once, a sale once CNIPA registers the transfer"),
    refund: z
      .object({ transferId: z.string(), buyer: z.string(), amount: AmountSchema, at: ChainPointSchema })
      .nullable()
      .describe("CNIPA refused the sale: the buyer was credited the full price"),
  })
  .meta({ id: "Settlement" });

export const ListingSchema = z
  .object({
    id: z.string().describe("patent id × 10,000 + the patent's listing sequence"),
    patentId: z.string(),
    number: z.string().describe("the patent's CNIPA number"),
    seller: z.string(),
    kind: z.enum(LISTING_KIND),
    licenceKind: z.string().nullable().describe("the licence offered (licence listings): Exclusive, Sole or NonExclusive"),
    status: z.string().describe(`one of ${LISTING_STATUS.slice(1).join(", ")}`),
    venue: z.string().describe("the listing venue (the listing is open on every venue)"),
    broker: z.string().nullable(),
    price: AmountSchema,
    expiry: z.string().nullable().describe("trades need a block time before this (ISO 8601)"),
    scope: z
      .object({ fields: z.string(), territories: z.string(), startDay: z.number().int(), endDay: z.number().int() })
      .nullable()
      .describe("the licence's scope (licence listings): field and territory bit masks, days since 1970-01-01"),
    sublicensable: z.boolean(),
    contractHash: z.string(),
    terms: z.record(z.string(), z.unknown()).describe("ListingParams as `Listed` emitted them: pass `{ listingId: id, seller, terms }` back to the exchange"),
    closed: z.object({ by: z.string(), at: ChainPointSchema }).nullable().describe("who cancelled or expired it"),
    listed: ChainPointSchema,
    updated: ChainPointSchema,
  })
  .meta({ id: "Listing" });

export const ListingDetailSchema = z
  .object({ listing: ListingSchema, offers: z.array(OfferSchema), settlement: SettlementSchema.nullable() })
  .meta({ id: "ListingDetail" });

const ScanSchema = z.object({
  driver: z.string().describe("the index walked: patent, venue-status, seller, venue, status or all (the others are checked on each entry)"),
  examined: z.number().int(),
  complete: z.boolean().describe("false when the scan limit ended the page before it was full; `next` continues"),
});

export const ListingPageSchema = z.object({ items: z.array(ListingSchema), next: z.string().nullable(), scan: ScanSchema }).meta({ id: "ListingPage" });

export const BidSchema = z
  .object({
    bidder: z.string(),
    amount: AmountSchema,
    venue: z.string(),
    broker: z.string().nullable(),
    venueFeeBps: z.number().int(),
    brokerShareBps: z.number().int(),
    endTime: z.string().nullable().describe("the auction's end after this bid"),
    extended: z.boolean().describe("the bid came within the extension window and pushed the end"),
    outbid: z.string().nullable(),
    at: ChainPointSchema,
  })
  .meta({ id: "Bid" });

export const AuctionSchema = z
  .object({
    id: z.string(),
    patentId: z.string(),
    number: z.string(),
    seller: z.string(),
    kind: z.enum(["Owner", "Disposal"]),
    disposal: z.boolean(),
    pledgeId: z.string().nullable().describe("the pledge a disposal serves"),
    status: z.string().describe(`one of ${AUCTION_STATUS.slice(1).join(", ")}`),
    reserve: AmountSchema,
    incrementBps: z.number().int(),
    startTime: z.string().nullable(),
    endTime: z.string().nullable().describe("after every extension"),
    originalEndTime: z.string().nullable(),
    maxEndTime: z.string().nullable(),
    extensionWindowSeconds: z.number().int(),
    listingVenue: z.string().nullable(),
    listingBroker: z.string().nullable(),
    listingFeeBps: z.number().int(),
    highestBid: BidSchema.omit({ endTime: true, extended: true, outbid: true }).nullable(),
    bids: z.number().int(),
    extensions: z.number().int(),
    closed: z.object({ winner: z.string(), price: AmountSchema, transferId: z.string(), at: ChainPointSchema }).nullable(),
    settled: z
      .object({
        winner: z.string(),
        transferId: z.string(),
        price: AmountSchema,
        owed: AmountSchema.describe("disposal: the debt outstanding, paid to the pledgee first"),
        net: AmountSchema,
        payee: z.string(),
        listingVenue: Party.nullable(),
        buyerVenue: Party.nullable(),
        listingBroker: Party.nullable(),
        buyerBroker: Party.nullable(),
        at: ChainPointSchema,
      })
      .nullable(),
    unsold: z.object({ refunded: z.string().nullable(), refund: AmountSchema, reason: z.string(), at: ChainPointSchema }).nullable(),
    refused: z.object({ transferId: z.string(), winner: z.string(), refund: AmountSchema, at: ChainPointSchema }).nullable(),
    cancelled: z.object({ by: z.string(), at: ChainPointSchema }).nullable(),
    created: ChainPointSchema,
    updated: ChainPointSchema,
  })
  .meta({ id: "Auction" });

export const AuctionPageSchema = z.object({ items: z.array(AuctionSchema), next: z.string().nullable(), scan: ScanSchema }).meta({ id: "AuctionPage" });

export const AuctionDetailSchema = z
  .object({ auction: AuctionSchema, bids: z.array(BidSchema).describe("in chain order"), bidsTruncated: z.boolean() })
  .meta({ id: "AuctionDetail" });

export const VenueSchema = z
  .object({
    address: z.string(),
    name: z.string(),
    feeBps: z.number().int().describe("the fee as last set (the exchange clamps it to the current cap when reading)"),
    listings: z.number().int().describe("listings made through the venue"),
    auctions: z.number().int().describe("owner auctions listed through the venue"),
    trades: z.number().int().describe("trades paid out with the venue on either side"),
    volume: z.array(AmountSchema).describe("price of those trades, per token"),
    fees: z.array(AmountSchema).describe("venue fees credited to the venue, per token (brokers' shares excluded)"),
    opened: ChainPointSchema,
    updated: ChainPointSchema,
  })
  .meta({ id: "Venue" });

export const VenueDetailSchema = z
  .object({
    venue: VenueSchema,
    listingsByStatus: z.record(z.string(), z.number().int()),
    brokers: z.array(
      z.object({ broker: z.string(), shareBps: z.number().int(), state: z.enum(["Accredited", "Revoked"]), accredited: ChainPointSchema, revoked: ChainPointSchema.nullable() }),
    ),
    feeHistory: z.array(z.object({ event: z.string(), name: z.string().nullable(), previousFeeBps: z.number().int().nullable(), feeBps: z.number().int(), at: ChainPointSchema })),
  })
  .meta({ id: "VenueDetail" });

export const PatentMarketSchema = z
  .object({ listings: z.array(ListingSchema), auctions: z.array(AuctionSchema) })
  .meta({ id: "PatentMarket", description: "A patent's listings and auctions, open and past, oldest first." });

// ---------------------------------------------------------------- views

type Tokens = Map<string, { symbol: string; decimals: number }>;

const numberOf = (patentId: string): string => formatCnipaNumber(BigInt(patentId));

export function listingView(tokens: Tokens, l: ListingEntity): z.infer<typeof ListingSchema> {
  const t = l.terms;
  const licence = l.kind === "Licence";
  return {
    id: l.id,
    patentId: l.patentId,
    number: numberOf(l.patentId),
    seller: l.seller,
    kind: l.kind as (typeof LISTING_KIND)[number],
    licenceKind: l.licenceKind,
    status: l.status,
    venue: t.venue,
    broker: orNull(t.broker),
    price: amountOf(tokens, t.token, t.price),
    expiry: isoOfUnix(t.expiry),
    scope: licence ? t.scope : null,
    sublicensable: t.sublicensable,
    contractHash: t.contractHash,
    terms: t,
    closed: l.closed,
    listed: l.listed,
    updated: l.updated,
  };
}

export function offerView(tokens: Tokens, o: OfferEntity): z.infer<typeof OfferSchema> {
  const amount = (units: string) => (o.token === null ? null : amountOf(tokens, o.token, units));
  return {
    kind: o.kind,
    offerId: o.offerId,
    nonce: o.nonce,
    digest: o.digest,
    listingId: o.listingId,
    buyer: o.buyer,
    buyerVenue: o.buyerVenue,
    broker: o.broker === null ? null : orNull(o.broker),
    price: o.price === null ? null : amount(o.price),
    status: o.status,
    refund: o.cancelled ? amount(o.cancelled.refund) : null,
    made: o.made,
    cancelled: o.cancelled?.at ?? null,
    accepted: o.accepted,
  };
}

export function settlementView(tokens: Tokens, l: ListingEntity): z.infer<typeof SettlementSchema> | null {
  const t = l.trade;
  if (t === null) return null;
  const amount = (units: string) => amountOf(tokens, t.token, units);
  const party = (address: string, units: string) => ({ address, amount: amount(units) });
  const p = l.payouts;
  return {
    buyer: t.buyer,
    path: t.path,
    ref: t.ref,
    rightId: t.rightId,
    price: amount(t.price),
    feeBps: t.feeBps,
    listingBrokerBps: t.listingBrokerBps,
    buyerBrokerBps: t.buyerBrokerBps,
    buyerVenue: t.buyerVenue,
    buyerBroker: orNull(t.buyerBroker),
    agreed: t.at,
    paid: p
      ? {
          sellerNet: amount(p.payeeAmount),
          proceedsTo: p.payee,
          proceedsEscrowed: p.payeeEscrowed,
          listingVenue: party(p.listingVenue, p.listingVenueAmount),
          buyerVenue: party(p.buyerVenue, p.buyerVenueAmount),
          listingBroker: p.listingBroker === ZERO_ADDRESS ? null : party(p.listingBroker, p.listingBrokerAmount),
          buyerBroker: p.buyerBroker === ZERO_ADDRESS ? null : party(p.buyerBroker, p.buyerBrokerAmount),
          at: p.at,
        }
      : null,
    refund: l.refund ? { transferId: l.refund.transferId, buyer: l.refund.buyer, amount: amountOf(tokens, l.refund.token, l.refund.amount), at: l.refund.at } : null,
  };
}

export function bidView(tokens: Tokens, token: string, b: BidEntity): z.infer<typeof BidSchema> {
  return {
    bidder: b.bidder,
    amount: amountOf(tokens, token, b.amount),
    venue: b.venue,
    broker: b.broker,
    venueFeeBps: b.venueFeeBps,
    brokerShareBps: b.brokerShareBps,
    endTime: isoOfUnix(b.endTime),
    extended: b.extended,
    outbid: b.outbid,
    at: b.at,
  };
}

export function auctionView(tokens: Tokens, a: AuctionEntity): z.infer<typeof AuctionSchema> {
  const amount = (units: string) => amountOf(tokens, a.token, units);
  const party = (address: string, units: string) => (address === ZERO_ADDRESS ? null : { address, amount: amount(units) });
  const s = a.settled;
  const h = a.highestBid;
  return {
    id: a.id,
    patentId: a.patentId,
    number: numberOf(a.patentId),
    seller: a.seller,
    kind: a.kind as "Owner" | "Disposal",
    disposal: a.kind === "Disposal",
    pledgeId: a.pledgeId,
    status: a.status,
    reserve: amount(a.reserve),
    incrementBps: a.incrementBps,
    startTime: isoOfUnix(a.startTime),
    endTime: isoOfUnix(a.endTime),
    originalEndTime: isoOfUnix(a.originalEndTime),
    maxEndTime: isoOfUnix(a.maxEndTime),
    extensionWindowSeconds: a.extensionWindow,
    listingVenue: a.listingVenue,
    listingBroker: a.listingBroker,
    listingFeeBps: a.listingFeeBps,
    highestBid: h
      ? { bidder: h.bidder, amount: amount(h.amount), venue: h.venue, broker: orNull(h.broker), venueFeeBps: h.venueFeeBps, brokerShareBps: h.brokerShareBps, at: h.at }
      : null,
    bids: a.bids,
    extensions: a.extensions,
    closed: a.closed ? { winner: a.closed.winner, price: amount(a.closed.price), transferId: a.closed.transferId, at: a.closed.at } : null,
    settled: s
      ? {
          winner: s.winner,
          transferId: s.transferId,
          price: amount(s.payouts.price),
          owed: amount(s.payouts.owed),
          net: amount(s.payouts.net),
          payee: s.payouts.payee,
          listingVenue: party(s.payouts.listingVenue, s.payouts.listingVenueFee),
          buyerVenue: party(s.payouts.buyerVenue, s.payouts.buyerVenueFee),
          listingBroker: party(s.payouts.listingBroker, s.payouts.listingBrokerFee),
          buyerBroker: party(s.payouts.buyerBroker, s.payouts.buyerBrokerFee),
          at: s.at,
        }
      : null,
    unsold: a.unsold ? { refunded: a.unsold.refunded, refund: amount(a.unsold.refund), reason: a.unsold.reason, at: a.unsold.at } : null,
    refused: a.refused ? { transferId: a.refused.transferId, winner: a.refused.winner, refund: amount(a.refused.refund), at: a.refused.at } : null,
    cancelled: a.cancelled,
    created: a.created,
    updated: a.updated,
  };
}

const totals = (tokens: Tokens, byToken: { [token: string]: string }) =>
  Object.keys(byToken)
    .sort()
    .map((token) => amountOf(tokens, token, byToken[token]!));

export function venueView(tokens: Tokens, v: VenueEntity, stats: VenueStatsEntity | undefined): z.infer<typeof VenueSchema> {
  return {
    address: v.address,
    name: v.name,
    feeBps: v.feeBps,
    listings: stats?.listings ?? 0,
    auctions: stats?.auctions ?? 0,
    trades: stats?.trades ?? 0,
    volume: totals(tokens, stats?.volume ?? {}),
    fees: totals(tokens, stats?.fees ?? {}),
    opened: v.opened,
    updated: v.updated,
  };
}

export function venueDetailView(tokens: Tokens, d: VenueDetail): z.infer<typeof VenueDetailSchema> {
  return {
    venue: venueView(tokens, d.venue, d.stats),
    listingsByStatus: d.listingsByStatus,
    brokers: d.brokers.map((b: BrokerEntity) => ({ broker: b.broker, shareBps: b.shareBps, state: b.state, accredited: b.accredited, revoked: b.revoked })),
    feeHistory: d.feeHistory.map((f) => ({ event: f.event, name: f.name, previousFeeBps: f.previousFeeBps, feeBps: f.feeBps, at: f.at })),
  };
}

/** A patent's listings and auctions, open and past, as the dossier shows them. */
export async function marketOfPatentView(ctx: AppContext, queries: Queries, patentId: string): Promise<z.infer<typeof PatentMarketSchema>> {
  const tokens = knownTokens(ctx);
  const m = await queries.marketOfPatent(patentId);
  return { listings: m.listings.map((l) => listingView(tokens, l)), auctions: m.auctions.map((a) => auctionView(tokens, a)) };
}
