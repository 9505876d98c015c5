import { z } from "zod";
import type { AppContext } from "../../context";
import type { BidEntity, OfferEntity, VenueStatsEntity } from "../../indexer";
import { AUCTION_STATUS, LISTING_KIND, LISTING_STATUS } from "../../indexer/handlers/enums";
import { keys } from "../../store/keys";
import { createApiRouter, type ApiRouter } from "../endpoint";
import { ApiError } from "../errors";
import {
  AuctionDetailSchema,
  AuctionPageSchema,
  auctionView,
  bidView,
  knownTokens,
  ListingDetailSchema,
  ListingPageSchema,
  listingView,
  offerView,
  settlementView,
  VenueDetailSchema,
  venueDetailView,
  VenueSchema,
  venueView,
} from "../market-views";
import { booleanParam, PageQuery, PatentNumberParam } from "../schemas";
import { cursorError } from "./exchange";

/**
 * The market router: listings (sale or licence, open on every venue), their offers and settlements, auctions
 * (owner auctions and pledge disposals) with their bids, and the venues with their brokers and figures. The
 * answer shapes are in ../market-views.ts; `marketOfPatentView` (re-exported here) is the dossier's helper.
 */

export { decimalOf, marketOfPatentView, PatentMarketSchema } from "../market-views";

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

// ---------------------------------------------------------------- routes

const AddressQuery = (what: string) =>
  z
    .string()
    .regex(ADDRESS, `${what}: an address, 0x + 40 hex digits`)
    .transform((s) => s.toLowerCase());

const LISTING_STATUS_NAMES = LISTING_STATUS.slice(1) as unknown as [string, ...string[]];
const AUCTION_STATUS_NAMES = AUCTION_STATUS.slice(1) as unknown as [string, ...string[]];

export const ListingsQuery = PageQuery.extend({
  status: z.enum(LISTING_STATUS_NAMES, { error: `status: one of ${LISTING_STATUS_NAMES.join(", ")}` }).optional(),
  venue: AddressQuery("venue").optional().describe("the listing venue"),
  seller: AddressQuery("seller").optional(),
  kind: z.enum(LISTING_KIND, { error: "kind: Sale or Licence" }).optional(),
  patent: z.string().describe("CNIPA number of the patent").pipe(PatentNumberParam).optional(),
});

export const AuctionsQuery = PageQuery.extend({
  status: z.enum(AUCTION_STATUS_NAMES, { error: `status: one of ${AUCTION_STATUS_NAMES.join(", ")}` }).optional(),
  patent: z.string().describe("CNIPA number of the patent").pipe(PatentNumberParam).optional(),
  disposal: booleanParam("disposal").optional().describe("true: pledge disposals only; false: owner auctions only"),
});

const IdParams = (what: string) =>
  z.object({ id: z.string().regex(/^\d{1,20}$/, `${what}: decimal digits`).describe(`the ${what}`) });

const AddressParams = z.object({ address: AddressQuery("address").describe("the venue's account") });

/** Most bids an auction's answer carries. */
const MAX_BIDS = 1_000;

export function registerMarket(api: ApiRouter, ctx: AppContext): void {
  const tokens = knownTokens(ctx);
  const queries = () => ctx.index!.queries;

  api.get({
    path: "/listings",
    operationId: "listListings",
    summary: "Listings: open and past market activity on every venue",
    description:
      "A page of listings matching every filter given, in listing id order within the index walked: the patent's listings when `patent` " +
      "is given, else the venue's listings in one status, a seller's, a venue's, a status's, or every listing; other filters are checked " +
      "on each entry (at most 5,000 per page: `scan.complete` false means `next` continues).",
    query: ListingsQuery,
    response: ListingPageSchema,
    errors: { 400: ["BAD_REQUEST", "INVALID_CURSOR", "INVALID_PATENT_NUMBER"] },
    indexed: "read",
    async handler({ query }) {
      const page = await queries()
        .listings(
          { status: query.status as (typeof LISTING_STATUS)[number] | undefined, venue: query.venue, seller: query.seller, kind: query.kind, patent: query.patent?.id },
          { after: query.cursor, limit: query.limit ?? 50 },
        )
        .catch(cursorError);
      return { items: page.items.map((l) => listingView(tokens, l)), next: page.next, scan: { driver: page.driver, examined: page.examined, complete: page.complete } };
    },
  });

  api.get({
    path: "/listings/{id}",
    operationId: "getListing",
    summary: "A listing with its offers and its settlement",
    description: "The listing's terms and status, every offer made on it (on-chain offers and the signed offer accepted), and the trade: price, the fee to each venue and broker, the seller's net and where it went.",
    params: IdParams("listing id"),
    response: ListingDetailSchema,
    errors: { 400: ["BAD_REQUEST"], 404: ["LISTING_NOT_FOUND"] },
    indexed: "read",
    async handler({ params }) {
      const listing = await queries().getListing(params.id);
      if (!listing) throw new ApiError(404, "LISTING_NOT_FOUND", `no listing ${params.id} is indexed`, { id: params.id });
      const offers: OfferEntity[] = [];
      let after: string | null = null;
      do {
        const page = await queries().offersOfListing(listing.id, { after, limit: 500 });
        offers.push(...page.items);
        after = page.next;
      } while (after !== null && offers.length < 5_000);
      return { listing: listingView(tokens, listing), offers: offers.map((o) => offerView(tokens, o)), settlement: settlementView(tokens, listing) };
    },
  });

  api.get({
    path: "/auctions",
    operationId: "listAuctions",
    summary: "Auctions: owner auctions and pledge disposals, open and past",
    query: AuctionsQuery,
    response: AuctionPageSchema,
    errors: { 400: ["BAD_REQUEST", "INVALID_CURSOR", "INVALID_PATENT_NUMBER"] },
    indexed: "read",
    async handler({ query }) {
      const page = await queries()
        .auctions(
          {
            status: query.status as (typeof AUCTION_STATUS)[number] | undefined,
            patent: query.patent?.id,
            kind: query.disposal === undefined ? undefined : query.disposal ? "Disposal" : "Owner",
          },
          { after: query.cursor, limit: query.limit ?? 50 },
        )
        .catch(cursorError);
      return { items: page.items.map((a) => auctionView(tokens, a)), next: page.next, scan: { driver: page.driver, examined: page.examined, complete: page.complete } };
    },
  });

  api.get({
    path: "/auctions/{id}",
    operationId: "getAuction",
    summary: "An auction with its bids in order",
    params: IdParams("auction id"),
    response: AuctionDetailSchema,
    errors: { 400: ["BAD_REQUEST"], 404: ["AUCTION_NOT_FOUND"] },
    indexed: "read",
    async handler({ params }) {
      const auction = await queries().getAuction(params.id);
      if (!auction) throw new ApiError(404, "AUCTION_NOT_FOUND", `no auction ${params.id} is indexed`, { id: params.id });
      const bids: BidEntity[] = [];
      let after: string | null = null;
      do {
        const page = await queries().bidsOfAuction(auction.id, { after, limit: 500 });
        bids.push(...page.items);
        after = page.next;
      } while (after !== null && bids.length < MAX_BIDS);
      return { auction: auctionView(tokens, auction), bids: bids.slice(0, MAX_BIDS).map((b) => bidView(tokens, auction.token, b)), bidsTruncated: after !== null || bids.length > MAX_BIDS };
    },
  });

  api.get({
    path: "/venues",
    operationId: "listVenues",
    summary: "The exchange venues with their fees and figures",
    response: z.object({ items: z.array(VenueSchema) }).meta({ id: "VenueList" }),
    indexed: "read",
    async handler() {
      const venues = await queries().venues();
      const stats = await ctx.index!.store.getMany<VenueStatsEntity>(venues.map((v) => keys.venueStats(v.address)));
      return { items: venues.map((v, i) => venueView(tokens, v, stats[i])) };
    },
  });

  api.get({
    path: "/venues/{address}",
    operationId: "getVenue",
    summary: "A venue: fee and its history, brokers, listings by status, trades and volume per token",
    params: AddressParams,
    response: VenueDetailSchema,
    errors: { 400: ["BAD_REQUEST"], 404: ["VENUE_NOT_FOUND"] },
    indexed: "read",
    async handler({ params }) {
      const detail = await queries().getVenue(params.address);
      if (!detail) throw new ApiError(404, "VENUE_NOT_FOUND", `${params.address} has not opened as a venue`, { address: params.address });
      return venueDetailView(tokens, detail);
    },
  });
}

export function createMarketRouter(ctx: AppContext): ApiRouter {
  const api = createApiRouter(ctx, "market");
  registerMarket(api, ctx);
  return api;
}
