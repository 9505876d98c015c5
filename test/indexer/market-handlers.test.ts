import { expect } from "chai";
import { ethers, Interface } from "ethers";
import { createLogDecoder } from "../../server/indexer/abi";
import { DEFAULT_ABIS, DEFAULT_HANDLERS } from "../../server/indexer/handlers";
import type { AuctionEntity, BidEntity } from "../../server/indexer/handlers/auctions";
import { ListingStatus } from "../../server/indexer/handlers/enums";
import { patentOfListing, type BrokerEntity, type ListingEntity, type OfferEntity, type VenueEntity, type VenueStatsEntity } from "../../server/indexer/handlers/market";
import type { EventArgs, LedgerEvent } from "../../server/indexer/types";
import type { Json } from "../../server/store/codec";
import { keys } from "../../server/store/keys";
import { at, keysWith, run, runAll } from "./helpers/handlers";
import { IAuctionHouse__factory, IExchange__factory, IVenues__factory } from "../../typechain-types";

const ZERO = ethers.ZeroAddress;
const SCU = "0x" + "11".repeat(20);
const RONGXIN = "0x" + "22".repeat(20);
const YUZHI = "0x" + "33".repeat(20);
const CHENGDU = "0x" + "44".repeat(20);
const CHONGQING = "0x" + "55".repeat(20);
const BROKER = "0x" + "66".repeat(20);
const TOKEN = "0x" + "88".repeat(20);
const PLEDGES = "0x" + "99".repeat(20);
const P1 = "201910000001";
const L1 = "2019100000010001"; // P1's first listing
const H = (n: number) => "0x" + n.toString(16).padStart(2, "0").repeat(32);

let logIndex = 0;
const block = 10;
function ev(contract: string, event: string, args: EventArgs): LedgerEvent {
  return { contract, address: "0x" + "aa".repeat(20), event, args, blockNumber: block, blockHash: H(0xab), txHash: H(0xcd), logIndex: logIndex++ };
}


const terms = (over: Partial<Record<string, Json>> = {}) => ({
  patentId: P1,
  kind: 0,
  venue: CHENGDU,
  broker: BROKER,
  token: TOKEN,
  price: "1000000",
  expiry: "1900000000",
  licenceKind: 0,
  sublicensable: false,
  scope: { fields: "0", territories: "0", startDay: 0, endDay: 0 },
  contractHash: H(1),
  ...over,
});
const listed = (over: Partial<Record<string, Json>> = {}, listingId = L1, seller = SCU) =>
  ev("Exchange", "Listed", { listingId, patentId: patentOfListing(listingId), seller, terms: terms(over) });
const payouts = (listingVenue: string, buyerVenue: string) => ({
  payee: SCU,
  payeeAmount: "980000",
  payeeEscrowed: false,
  listingVenue,
  listingVenueAmount: "7000",
  buyerVenue,
  buyerVenueAmount: "8000",
  listingBroker: BROKER,
  listingBrokerAmount: "3000",
  buyerBroker: ZERO,
  buyerBrokerAmount: "2000",
});
const trade = (over: Partial<Record<string, Json>> = {}) => ({
  kind: 0,
  path: 0,
  ref: "0",
  buyerVenue: CHONGQING,
  buyerBroker: ZERO,
  feeBps: 200,
  listingBrokerBps: 3000,
  buyerBrokerBps: 0,
  token: TOKEN,
  price: "1000000",
  rightId: "5",
  ...over,
});
const auctionStruct = (over: Partial<Record<string, Json>> = {}) => ({
  patentId: P1,
  startTime: "1000",
  endTime: "5000",
  maxEndTime: "6000",
  seller: SCU,
  kind: 0,
  status: 1,
  incrementBps: 500,
  listingFeeBps: 200,
  listingBrokerBps: 3000,
  extensionWindow: 600,
  token: TOKEN,
  pledgeId: "0",
  listingVenue: CHENGDU,
  transferId: "0",
  listingBroker: ZERO,
  reserve: "500000",
  proceedsTo: ZERO,
  bidder: ZERO,
  bid: "0",
  bidVenue: ZERO,
  bidFeeBps: 0,
  bidBrokerBps: 0,
  bidBroker: ZERO,
  ...over,
});
const bid = (bidder: string, amount: string, endTime: string, outbid = ZERO, outbidAmount = "0", auctionId = "1") =>
  ev("AuctionHouse", "BidPlaced", { auctionId, bidder, venue: CHONGQING, amount, broker: ZERO, venueFeeBps: 150, brokerShareBps: 0, endTime, outbid, outbidAmount });

describe("Market handlers", () => {
  describe("coverage", () => {
    it("handles every event the market contracts' interfaces declare", () => {
      const interfaces = { Venues: IVenues__factory.abi, Exchange: IExchange__factory.abi, AuctionHouse: IAuctionHouse__factory.abi };
      for (const [name, abi] of Object.entries(interfaces)) {
        const declared: string[] = [];
        new Interface(abi).forEachEvent((event) => declared.push(event.name));
        expect(Object.keys(DEFAULT_HANDLERS[name]!).sort(), name).to.deep.equal(declared.sort());
      }
    });
  });

  describe("log decoding", () => {
    const contracts = ["Exchange", "AuctionHouse"].map((name, i) => ({ name, address: "0x" + String(i + 1).repeat(40), abi: DEFAULT_ABIS[name]!, events: Object.keys(DEFAULT_HANDLERS[name]!) }));
    const decoder = createLogDecoder(contracts);
    const decode = (name: string, event: string, values: unknown[]) => {
      const c = contracts.find((x) => x.name === name)!;
      const encoded = new Interface(c.abi).encodeEventLog(event, values);
      return decoder.decode({ address: c.address, topics: encoded.topics, data: encoded.data, blockNumber: 1, blockHash: H(1), transactionHash: H(2), logIndex: 0 })!;
    };

    it("decodes Listed's terms struct: uint64 and uint96 as decimal strings, enums and days as numbers", () => {
      const e = decode("Exchange", "Listed", [BigInt(L1), BigInt(P1), SCU, [BigInt(P1), 1, CHENGDU, BROKER, TOKEN, 1_000_000n, 1_900_000_000n, 2, false, [3n, 1n << 22n, 20_000, 21_000], H(1)]]);
      expect(e.args).to.deep.equal({
        listingId: L1,
        patentId: P1,
        seller: SCU,
        terms: terms({ kind: 1, licenceKind: 2, scope: { fields: "3", territories: (1n << 22n).toString(), startDay: 20_000, endDay: 21_000 } }),
      });
    });

    it("decodes AuctionUnsold's revert data as hex and BidPlaced's end time", () => {
      const unsold = decode("AuctionHouse", "AuctionUnsold", [1n, BigInt(P1), RONGXIN, 700_000n, "0x12345678"]);
      expect(unsold.args).to.deep.equal({ auctionId: "1", patentId: P1, refunded: RONGXIN, refund: "700000", reason: "0x12345678" });
      const placed = decode("AuctionHouse", "BidPlaced", [1n, RONGXIN, CHONGQING, 500_000n, ZERO, 150, 0, 5_600n, ZERO, 0n]);
      expect(placed.args).to.include({ auctionId: "1", amount: "500000", endTime: "5600", venueFeeBps: 150 });
    });
  });

  describe("Venues", () => {
    it("keeps the first opening when a venue opens again, and every fee in the history", () => {
      const state = new Map<string, Json>();
      const opened = ev("Venues", "VenueOpened", { venue: CHENGDU, name: "成都", feeBps: 200 });
      runAll(state, opened, ev("Venues", "VenueFeeChanged", { venue: CHENGDU, previousFeeBps: 200, feeBps: 250 }), ev("Venues", "VenueOpened", { venue: CHENGDU, name: "成都知识产权交易中心", feeBps: 100 }));
      expect(at<VenueEntity>(state, keys.venue(CHENGDU))).to.deep.include({ name: "成都知识产权交易中心", feeBps: 100, opened: { block, logIndex: opened.logIndex, txHash: H(0xcd) } });
      const history = keysWith(state, keys.venueFeePrefix(CHENGDU)).map((k) => at<{ previousFeeBps: number | null; feeBps: number }>(state, k));
      expect(history.map((h) => [h.previousFeeBps, h.feeBps])).to.deep.equal([
        [null, 200],
        [200, 250],
        [250, 100],
      ]);
    });

    it("marks a revoked broker and starts anew when it is accredited again", () => {
      const state = new Map<string, Json>();
      runAll(state, ev("Venues", "BrokerAccredited", { venue: CHENGDU, broker: BROKER, shareBps: 3000 }), ev("Venues", "BrokerRevoked", { venue: CHENGDU, broker: BROKER }));
      expect(at<BrokerEntity>(state, keys.broker(CHENGDU, BROKER))).to.deep.include({ state: "Revoked", shareBps: 3000 });
      const again = ev("Venues", "BrokerAccredited", { venue: CHENGDU, broker: BROKER, shareBps: 1000 });
      run(again, state);
      expect(at<BrokerEntity>(state, keys.broker(CHENGDU, BROKER))).to.deep.include({ state: "Accredited", shareBps: 1000, revoked: null, accredited: { block, logIndex: again.logIndex, txHash: H(0xcd) } });
    });
  });

  describe("Exchange", () => {
    it("indexes a listing under its status, venue, venue and status, seller and patent, and counts it for the venue", () => {
      const state = new Map<string, Json>();
      const e = listed();
      const writes = run(e, state);
      expect(writes.map((w) => w.key)).to.deep.equal([
        keys.listing(L1),
        keys.listingsByStatus(ListingStatus.Open, L1),
        keys.listingsByVenue(CHENGDU, L1),
        keys.listingsByVenueStatus(CHENGDU, ListingStatus.Open, L1),
        keys.listingsBySeller(SCU, L1),
        keys.listingsOfPatent(P1, L1),
        keys.venueStats(CHENGDU),
        keys.timeline(P1, block, e.logIndex),
      ]);
      expect(at<ListingEntity>(state, keys.listing(L1))).to.deep.include({ kind: "Sale", licenceKind: null, status: "Open", terms: terms() });
      expect(at<VenueStatsEntity>(state, keys.venueStats(CHENGDU)).listings).to.equal(1);
    });

    it("moves both status indexes when a listing is cancelled", () => {
      const state = new Map<string, Json>();
      runAll(state, listed(), ev("Exchange", "ListingCancelled", { listingId: L1, patentId: P1, by: CHENGDU }));
      expect(keysWith(state, "ix/lst-status/")).to.deep.equal([keys.listingsByStatus(ListingStatus.Cancelled, L1)]);
      expect(keysWith(state, "ix/venue-status/")).to.deep.equal([keys.listingsByVenueStatus(CHENGDU, ListingStatus.Cancelled, L1)]);
      expect(at<ListingEntity>(state, keys.listing(L1)).closed!.by).to.equal(CHENGDU);
    });

    it("takes a sale through Pending to Settled with its payouts, and counts the trade once for a venue on both sides", () => {
      const state = new Map<string, Json>();
      runAll(state, listed(), ev("Exchange", "ListingSettled", { listingId: L1, patentId: P1, buyer: RONGXIN, trade: trade({ buyerVenue: CHENGDU }) }));
      expect(at<ListingEntity>(state, keys.listing(L1))).to.deep.include({ status: "Pending" });
      run(ev("Exchange", "ProceedsCredited", { listingId: L1, token: TOKEN, payouts: payouts(CHENGDU, CHENGDU) }), state);
      const l = at<ListingEntity>(state, keys.listing(L1));
      expect(l.status).to.equal("Settled");
      expect(l.payouts).to.deep.include({ payeeAmount: "980000", token: TOKEN });
      expect(at<VenueStatsEntity>(state, keys.venueStats(CHENGDU))).to.deep.include({ listings: 1, trades: 1, volume: { [TOKEN]: "1000000" }, fees: { [TOKEN]: "15000" } });
    });

    it("credits a refused sale's refund and ends the listing Refused", () => {
      const state = new Map<string, Json>();
      runAll(
        state,
        listed(),
        ev("Exchange", "ListingSettled", { listingId: L1, patentId: P1, buyer: RONGXIN, trade: trade() }),
        ev("Exchange", "SaleRefunded", { listingId: L1, transferId: "5", buyer: RONGXIN, token: TOKEN, amount: "1000000" }),
      );
      expect(at<ListingEntity>(state, keys.listing(L1))).to.deep.include({ status: "Refused", refund: { transferId: "5", buyer: RONGXIN, token: TOKEN, amount: "1000000", at: at<ListingEntity>(state, keys.listing(L1)).refund!.at } });
      expect(keysWith(state, "ix/lst-status/")).to.deep.equal([keys.listingsByStatus(ListingStatus.Refused, L1)]);
    });

    it("completes the accepted signed offer with the trade's venue and price", () => {
      const state = new Map<string, Json>();
      runAll(
        state,
        listed({ kind: 1, licenceKind: 2 }),
        ev("Exchange", "SignedOfferAccepted", { listingId: L1, buyer: YUZHI, nonce: "115792089237316195423570985008687907853269984665640564039457584007913129639935", digest: H(9) }),
        ev("Exchange", "ListingSettled", { listingId: L1, patentId: P1, buyer: YUZHI, trade: trade({ kind: 1, path: 2, ref: "7", price: "900000" }) }),
      );
      const o = at<OfferEntity>(state, keys.signedOffer(L1));
      expect(o).to.deep.include({ kind: "Signed", status: "Accepted", buyer: YUZHI, price: "900000", buyerVenue: CHONGQING, token: TOKEN, offerId: null });
      expect(at<ListingEntity>(state, keys.listing(L1))).to.deep.include({ status: "Settled", licenceKind: "NonExclusive" });
      expect(keysWith(state, "ix/off-")).to.deep.equal([keys.offersByBuyer(YUZHI, { signedOn: L1 }), keys.offersOfListing(L1, { signedOn: L1 })].sort());
    });

    it("keeps an on-chain offer's escrow state and refund, on the patent's timeline", () => {
      const state = new Map<string, Json>();
      const offer = { listingId: L1, buyer: RONGXIN, buyerVenue: CHONGQING, broker: ZERO, token: TOKEN, price: "900000" };
      runAll(state, listed(), ev("Exchange", "OfferMade", { offerId: "4", listingId: L1, buyer: RONGXIN, offer }), ev("Exchange", "OfferCancelled", { offerId: "4", listingId: L1, buyer: RONGXIN, refund: "900000" }));
      expect(at<OfferEntity>(state, keys.offer(4))).to.deep.include({ kind: "OnChain", offerId: "4", patentId: P1, status: "Cancelled", cancelled: { refund: "900000", at: at<OfferEntity>(state, keys.offer(4)).cancelled!.at } });
      expect(keysWith(state, keys.timelinePrefix(P1))).to.have.length(3);
    });

    it("keeps a cancelled nonce of any width under the buyer", () => {
      const state = new Map<string, Json>();
      const max = (2n ** 256n - 1n).toString();
      run(ev("Exchange", "SignedOfferCancelled", { buyer: YUZHI, nonce: max }), state);
      expect(keysWith(state, keys.cancelledNoncePrefix(YUZHI))).to.deep.equal([keys.cancelledNonce(YUZHI, max)]);
    });
  });

  describe("AuctionHouse", () => {
    it("follows the highest bid and the end time as late bids extend it", () => {
      const state = new Map<string, Json>();
      runAll(state, ev("AuctionHouse", "AuctionCreated", { auctionId: "1", patentId: P1, seller: SCU, auction: auctionStruct() }), bid(RONGXIN, "500000", "5000"), bid(YUZHI, "600000", "5540", RONGXIN, "500000"));
      const a = at<AuctionEntity>(state, keys.auction(1));
      expect(a).to.deep.include({ status: "Open", bids: 2, extensions: 1, endTime: "5540", originalEndTime: "5000", listingBroker: null, pledgeId: null });
      expect(a.highestBid).to.deep.include({ bidder: YUZHI, amount: "600000" });
      const bids = keysWith(state, keys.bidsOfAuctionPrefix(1)).map((k) => at<BidEntity>(state, k));
      expect(bids.map((b) => [b.bidder, b.outbid, b.extended])).to.deep.equal([
        [RONGXIN, null, false],
        [YUZHI, RONGXIN, true],
      ]);
      expect(at<VenueStatsEntity>(state, keys.venueStats(CHENGDU)).auctions).to.equal(1);
    });

    it("links a disposal to its pledge, counts no listing venue, and moves the status index to its end", () => {
      const state = new Map<string, Json>();
      runAll(
        state,
        ev("AuctionHouse", "AuctionCreated", { auctionId: "2", patentId: P1, seller: SCU, auction: auctionStruct({ kind: 1, pledgeId: "3", listingVenue: ZERO, proceedsTo: PLEDGES }) }),
        bid(RONGXIN, "500000", "5000", ZERO, "0", "2"),
      );
      expect(keysWith(state, "vst/")).to.deep.equal([]);
      const winner = ev("AuctionHouse", "AuctionClosed", { auctionId: "2", patentId: P1, winner: RONGXIN, price: "500000", transferId: "9" });
      const settled = ev("AuctionHouse", "AuctionSettled", {
        auctionId: "2",
        patentId: P1,
        winner: RONGXIN,
        transferId: "9",
        payouts: { price: "500000", owed: "400000", payee: PLEDGES, net: "492500", listingVenue: CHONGQING, listingVenueFee: "7500", listingBroker: ZERO, listingBrokerFee: "0", buyerVenue: ZERO, buyerVenueFee: "0", buyerBroker: ZERO, buyerBrokerFee: "0" },
      });
      runAll(state, winner, settled);
      const a = at<AuctionEntity>(state, keys.auction(2));
      expect(a).to.deep.include({ kind: "Disposal", pledgeId: "3", status: "Sold", proceedsTo: PLEDGES, listingVenue: null });
      expect(keysWith(state, "ix/auc-status/")).to.deep.equal([keys.auctionsByStatus(3, 2)]);
      expect(at<VenueStatsEntity>(state, keys.venueStats(CHONGQING))).to.deep.include({ trades: 1, volume: { [TOKEN]: "500000" }, fees: { [TOKEN]: "7500" } });
    });
  });
});
