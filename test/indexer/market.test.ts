import { expect } from "chai";
import { createQueries, type Queries } from "../../server/indexer/queries";
import { startHardhatNode } from "./helpers/hardhat-node";
import type { AnvilNode } from "./helpers/anvil";
import { deployOn, dumpStore, indexerFor, tempStore, type DeployedLedger, type TempStore } from "./helpers/ledger";
import { MARKET, runMarketStory, type MarketStoryResult } from "./helpers/market";

describe("Indexer read model of the market contracts (Hardhat node)", () => {
  let node: AnvilNode;
  let ledger: DeployedLedger;
  let a: TempStore;
  let q: Queries;
  let story: MarketStoryResult;
  let scu: string, uestc: string, rongxin: string, yuzhi: string, chengdu: string, chongqing: string, broker: string, investor: string, token: string;

  before(async function () {
    this.timeout(240_000);
    node = await startHardhatNode();
    ledger = await deployOn(node.url);
    story = await runMarketStory(ledger);
    const { demoWallet } = await import("../../server/chain/accounts");
    const p = ledger.parties;
    [scu, uestc, rongxin, yuzhi] = (await Promise.all([p.scu, p.uestc, p.rongxin, p.yuzhi].map((s) => s.getAddress()))).map((x) => x.toLowerCase()) as [
      string,
      string,
      string,
      string,
    ];
    [chengdu, chongqing, broker, investor] = ["chengdu", "chongqing", "broker", "investor"].map((n) => demoWallet(n).address.toLowerCase()) as [string, string, string, string];
    token = (await ledger.token.getAddress()).toLowerCase();
    a = await tempStore();
    await indexerFor(node.url, a.store, ledger.deployments, { reorgWindow: 4, initialRange: 5 }).syncToHead();
    q = createQueries(a.store);
  });

  after(async () => {
    await a?.close();
    await node?.stop();
  });

  describe("venues", () => {
    it("keeps both venues with their names, current fees and fee history", async () => {
      expect((await q.venues()).map((v) => [v.address, v.name, v.feeBps]).sort()).to.deep.equal(
        [
          [chengdu, "成都知识产权交易中心", 200],
          [chongqing, "重庆知识产权交易中心", 180],
        ].sort(),
      );
      const cq = (await q.getVenue(chongqing))!;
      expect(cq.feeHistory.map((f) => [f.event, f.previousFeeBps, f.feeBps])).to.deep.equal([
        ["VenueOpened", null, 150],
        ["VenueFeeChanged", 150, 180],
      ]);
      expect(await ledger.venues.feeBps(chongqing)).to.equal(BigInt(cq.venue.feeBps));
    });

    it("keeps accredited and revoked brokers with their shares", async () => {
      const cd = (await q.getVenue(chengdu))!;
      expect(cd.brokers.map((b) => [b.broker, b.shareBps, b.state]).sort()).to.deep.equal(
        [
          [broker, 3000, "Accredited"],
          [yuzhi, 1000, "Revoked"],
        ].sort(),
      );
      expect((await q.getVenue(chongqing))!.brokers.map((b) => [b.broker, b.shareBps, b.state])).to.deep.equal([[investor, 2000, "Accredited"]]);
    });

    it("counts listings by status, trades and volume per token as the payouts show", async () => {
      const cd = (await q.getVenue(chengdu))!;
      // Chengdu lists the sale to the offer, the refused sale and the expired licence, and the owner auctions.
      expect(cd.stats).to.deep.include({ listings: 3, auctions: 2 });
      expect(cd.listingsByStatus).to.deep.include({ Open: 0, Settled: 1, Refused: 1, Expired: 1 });
      // Trades paid out with Chengdu on a side: the offer sale (listing), the licence (buyer), the auction (both).
      expect(cd.stats.trades).to.equal(3);
      expect(cd.stats.volume).to.deep.equal({ [token]: (900_000n + MARKET.price + 700_000n).toString() });
      const cq = (await q.getVenue(chongqing))!;
      expect(cq.listingsByStatus).to.deep.include({ Open: 1, Cancelled: 1, Settled: 1 });
      expect(cq.stats.trades).to.equal(2);
    });
  });

  describe("listings", () => {
    it("keeps the terms as Listed emitted them, the trade through the accepted offer and its payouts", async () => {
      const l = (await q.getListing(story.listings.saleOffer))!;
      expect(l).to.deep.include({ patentId: MARKET.saleOffer.toString(), seller: scu, kind: "Sale", status: "Settled", licenceKind: null, closed: null, refund: null });
      expect(l.terms).to.deep.include({ venue: chengdu, broker, token, price: MARKET.price.toString(), expiry: String(MARKET.t0 + 30 * MARKET.DAY) });
      expect(l.trade).to.deep.include({ buyer: yuzhi, path: "Offer", ref: story.offers.accepted.toString(), buyerVenue: chongqing, buyerBroker: investor, feeBps: 200, price: "900000" });
      expect(l.trade!.listingBrokerBps).to.equal(3000);
      const p = l.payouts!;
      expect(p).to.deep.include({ payee: scu, payeeAmount: "882000", listingVenue: chengdu, listingVenueAmount: "6300", listingBroker: broker, listingBrokerAmount: "2700" });
      expect(p).to.deep.include({ buyerVenue: chongqing, buyerVenueAmount: "7200", buyerBroker: investor, buyerBrokerAmount: "1800" });
      const transfer = await q.getTransfer(l.trade!.rightId);
      expect(transfer).to.deep.include({ to: yuzhi, status: "Registered" });
    });

    it("settles a bought licence at once and names the licence granted", async () => {
      const l = (await q.getListing(story.listings.licenceBuy))!;
      expect(l).to.deep.include({ kind: "Licence", licenceKind: "NonExclusive", status: "Settled" });
      expect(l.trade).to.deep.include({ path: "Buy", ref: "0", buyer: rongxin, buyerVenue: chengdu });
      const licence = (await q.getLicence(l.trade!.rightId))!;
      expect(licence).to.deep.include({ licensee: rongxin, kind: "NonExclusive", patentId: MARKET.licenceBuy.toString() });
    });

    it("keeps the refused sale with the refund and the accepted signed offer with its terms", async () => {
      const l = (await q.getListing(story.listings.saleRefused))!;
      expect(l.status).to.equal("Refused");
      expect(l.trade).to.deep.include({ path: "SignedOffer", ref: "3", price: "800000" });
      expect(l.refund).to.deep.include({ buyer: yuzhi, amount: "800000", token, transferId: l.trade!.rightId });
      const offers = (await q.offersOfListing(story.listings.saleRefused)).items;
      expect(offers.map((o) => [o.kind, o.status, o.nonce, o.price, o.buyerVenue])).to.deep.equal([["Signed", "Accepted", "3", "800000", chongqing]]);
      expect(offers[0]!.digest).to.match(/^0x[0-9a-f]{64}$/);
    });

    it("keeps the cancelled and the expired listings with who closed them; the relisting is open", async () => {
      expect((await q.getListing(story.listings.cancelled))!).to.deep.include({ status: "Cancelled", closed: { by: scu, at: (await q.getListing(story.listings.cancelled))!.closed!.at } });
      expect((await q.getListing(story.listings.expired))!.closed!.by).to.equal(rongxin);
      expect((await q.getListing(story.listings.expired))!.status).to.equal("Expired");
      expect(story.listings.relisted).to.equal(story.listings.cancelled + 1n);
      expect((await q.listings({ status: "Open" })).items.map((l) => l.id)).to.deep.equal([story.listings.relisted.toString()]);
    });

    it("filters by venue, seller, kind and patent and pages with a cursor", async () => {
      const ids = (items: { id: string }[]) => items.map((x) => x.id);
      expect(ids((await q.listings({ venue: chongqing })).items)).to.deep.equal(
        [story.listings.licenceBuy, story.listings.cancelled, story.listings.relisted].map(String),
      );
      expect(ids((await q.listings({ venue: chengdu, status: "Expired" })).items)).to.deep.equal([story.listings.expired.toString()]);
      expect((await q.listings({ seller: scu })).items).to.have.length(6);
      expect(ids((await q.listings({ kind: "Licence" })).items)).to.deep.equal([story.listings.licenceBuy, story.listings.expired].map(String));
      expect(ids((await q.listings({ patent: MARKET.relisted.toString() })).items)).to.deep.equal([story.listings.cancelled, story.listings.relisted].map(String));
      const first = await q.listings({ seller: scu }, { limit: 4 });
      const second = await q.listings({ seller: scu }, { limit: 4, after: first.next });
      expect([first.items.length, second.items.length, second.next]).to.deep.equal([4, 2, null]);
      const scan = await q.listings({ kind: "Licence" }, { limit: 1, scanLimit: 1 });
      expect(scan).to.deep.include({ driver: "all", examined: 1, complete: false });
    });

    it("keeps the offers of the listing and of each buyer with their escrow state", async () => {
      const offers = (await q.offersOfListing(story.listings.saleOffer)).items;
      expect(offers.map((o) => [o.offerId, o.buyer, o.status, o.price])).to.deep.equal([
        [story.offers.cancelled.toString(), rongxin, "Cancelled", "950000"],
        [story.offers.accepted.toString(), yuzhi, "Accepted", "900000"],
      ]);
      expect(offers[0]!.cancelled!.refund).to.equal("950000");
      expect((await q.offersByBuyer(yuzhi)).items.map((o) => o.kind)).to.deep.equal(["OnChain", "Signed"]);
    });

    it("puts every listing and offer event on the patent's timeline", async () => {
      const events = (await q.timeline(MARKET.saleOffer)).items.filter((e) => e.contract === "Exchange").map((e) => e.event);
      expect(events).to.deep.equal(["Listed", "OfferMade", "OfferMade", "OfferCancelled", "OfferAccepted", "ListingSettled", "ProceedsCredited"]);
    });
  });

  describe("auctions", () => {
    it("keeps the sold owner auction with its bids in order, the extension and the payouts", async () => {
      const x = (await q.getAuction(story.auctions.sold))!;
      const end = MARKET.t0 + 5 * MARKET.DAY;
      expect(x).to.deep.include({ kind: "Owner", status: "Sold", seller: uestc, listingVenue: chengdu, listingBroker: broker, pledgeId: null, bids: 3, extensions: 1 });
      expect([x.originalEndTime, x.endTime]).to.deep.equal([String(end), String(end - 60 + 600)]);
      expect(x.highestBid).to.deep.include({ bidder: rongxin, amount: "700000", venue: chengdu });
      expect(x.settled!.payouts).to.deep.include({ price: "700000", payee: uestc, listingVenue: chengdu });
      const bids = (await q.bidsOfAuction(story.auctions.sold)).items;
      expect(bids.map((b) => [b.bidder, b.amount, b.outbid, b.extended])).to.deep.equal([
        [rongxin, "500000", null, false],
        [yuzhi, "600000", rongxin, false],
        [rongxin, "700000", yuzhi, true],
      ]);
      const onChain = await ledger.auctionHouse.auction(story.auctions.sold);
      expect(x.endTime).to.equal(onChain.endTime.toString());
    });

    it("keeps the cancelled auction and the unsold disposal linked to its pledge", async () => {
      expect((await q.getAuction(story.auctions.cancelled))!).to.deep.include({ status: "Cancelled", bids: 0 });
      const d = (await q.getAuction(story.auctions.disposal))!;
      expect(d).to.deep.include({ kind: "Disposal", status: "Unsold", pledgeId: story.pledgeId.toString(), listingVenue: null, seller: scu });
      expect(d.unsold).to.deep.include({ refunded: null, refund: "0", reason: "0x" });
      const pledge = (await q.getPledge(story.pledgeId))!;
      expect(pledge.patents[0]!.disposal).to.deep.include({ auctionId: d.id });
    });

    it("filters auctions by status, kind and patent", async () => {
      const ids = (items: { id: string }[]) => items.map((x) => x.id);
      expect(ids((await q.auctions({ kind: "Disposal" })).items)).to.deep.equal([story.auctions.disposal.toString()]);
      expect(ids((await q.auctions({ status: "Sold" })).items)).to.deep.equal([story.auctions.sold.toString()]);
      expect(ids((await q.auctions({ patent: MARKET.auctioned.toString() })).items)).to.deep.equal([story.auctions.sold.toString()]);
      expect((await q.auctions({})).items).to.have.length(3);
    });

    it("answers a patent's market activity: listings and auctions, open and past", async () => {
      const m = await q.marketOfPatent(MARKET.expired);
      expect(m.listings.map((l) => l.status)).to.deep.equal(["Expired"]);
      expect(m.auctions.map((x) => [x.kind, x.status])).to.deep.equal([["Disposal", "Unsold"]]);
      const events = (await q.timeline(MARKET.auctioned)).items.filter((e) => e.contract === "AuctionHouse").map((e) => e.event);
      expect(events).to.deep.equal(["AuctionCreated", "BidPlaced", "BidPlaced", "BidPlaced", "AuctionClosed", "AuctionSettled"]);
    });
  });

  describe("reorgs", () => {
    it("rolls back an offer and a cancellation of a dropped branch and equals a clean rebuild", async function () {
      this.timeout(120_000);
      const { exchange, token, parties: p } = ledger;
      const indexer = indexerFor(node.url, a.store, ledger.deployments, { reorgWindow: 4 });
      await indexer.syncToHead();
      const snapshot = await node.rpc<string>("evm_snapshot");
      const open = (await q.getListing(story.listings.relisted))!;
      const listing = { listingId: open.id, seller: open.seller, terms: open.terms };
      await (await exchange.connect(p.rongxin).makeOffer(listing, chengdu, "0x0000000000000000000000000000000000000000", 1_500_000n)).wait();
      await (await exchange.connect(p.scu).cancel(listing)).wait();
      await indexer.syncToHead();
      expect((await q.getListing(open.id))!.status).to.equal("Cancelled");
      expect((await q.offersOfListing(open.id)).items).to.have.length(1);

      await node.rpc("evm_revert", [snapshot]);
      for (let i = 0; i < 3; i++) await (await token.connect(p.admin).mint(investor, BigInt(1 + i))).wait();
      await indexer.syncToHead();
      expect(indexer.status().lastReorg).to.include({ depth: 2 });
      expect((await q.getListing(open.id))!.status).to.equal("Open");
      expect((await q.offersOfListing(open.id)).items).to.deep.equal([]);
      expect((await q.offersByBuyer(rongxin)).items.map((o) => o.offerId)).to.deep.equal([story.offers.cancelled.toString()]);
      expect((await q.listings({ status: "Open" })).items.map((l) => l.id)).to.deep.equal([open.id]);
      expect((await q.getVenue(chongqing))!.listingsByStatus).to.deep.include({ Open: 1, Cancelled: 1 });
      const clean = await tempStore();
      try {
        await indexerFor(node.url, clean.store, ledger.deployments, { reorgWindow: 4 }).syncToHead();
        expect(await createQueries(clean.store).getDigest()).to.deep.equal(await q.getDigest());
        expect(await dumpStore(clean.store)).to.deep.equal(await dumpStore(a.store));
      } finally {
        await clean.close();
      }
    });
  });

  describe("determinism", () => {
    it("rebuilds a byte-identical index (and digest) from scratch with other range sizes", async () => {
      const b = await tempStore();
      try {
        await indexerFor(node.url, b.store, ledger.deployments, { reorgWindow: 4, initialRange: 1000 }).syncToHead();
        expect(await createQueries(b.store).getDigest()).to.deep.equal(await q.getDigest());
        expect(await dumpStore(b.store)).to.deep.equal(await dumpStore(a.store));
      } finally {
        await b.close();
      }
    });
  });
});
