import { expect } from "chai";
import request from "supertest";
import { formatCnipaNumber } from "../../server/chain/cnipa";
import { demoWallet } from "../../server/chain/accounts";
import { decimalOf, marketOfPatentView } from "../../server/api/routes/market";
import { MARKET, runMarketStory, type MarketStoryResult } from "../indexer/helpers/market";
import { errorOf, indexedGateway, type IndexedGateway } from "./helpers";

type Amount = { token: string; symbol: string | null; decimals: number | null; units: string; value: string };
type Party = { address: string; amount: Amount };
type ListingView = { id: string; number: string; status: string; kind: string; venue: string; seller: string; price: Amount; expiry: string | null; terms: { venue: string } };
type ListingPage = { block: { number: number; hash: string }; items: ListingView[]; next: string | null; scan: { driver: string; complete: boolean } };

describe("market API", () => {
  let g: IndexedGateway;
  let story: MarketStoryResult;
  let scu: string, rongxin: string, yuzhi: string, token: string;
  const chengdu = demoWallet("chengdu").address.toLowerCase();
  const chongqing = demoWallet("chongqing").address.toLowerCase();
  const broker = demoWallet("broker").address.toLowerCase();
  const investor = demoWallet("investor").address.toLowerCase();

  before(async function () {
    this.timeout(180_000);
    g = await indexedGateway(async (l) => {
      story = await runMarketStory(l);
    });
    const p = g.ledger.parties;
    [scu, rongxin, yuzhi] = (await Promise.all([p.scu, p.rongxin, p.yuzhi].map((s) => s.getAddress()))).map((a) => a.toLowerCase()) as [string, string, string];
    token = (await g.ledger.token.getAddress()).toLowerCase();
  });

  after(async () => {
    await g?.close();
  });

  const get = (url: string, status = 200) => request(g.app).get(url).expect(status);
  const ids = (page: { items: { id: string }[] }) => page.items.map((x) => x.id);

  describe("GET /v1/listings", () => {
    it("answers every listing with the block stamp, the price in token units and the terms to pass back", async () => {
      const page = (await get("/v1/listings")).body as ListingPage;
      const indexed = g.indexer.status().indexed!;
      expect(page.block).to.deep.equal({ number: indexed.number, hash: indexed.hash });
      expect(page.items).to.have.length(6);
      const sale = page.items.find((l) => l.id === story.listings.saleOffer.toString())!;
      expect(sale).to.deep.include({ number: formatCnipaNumber(MARKET.saleOffer), kind: "Sale", status: "Settled", venue: chengdu, seller: scu });
      expect(sale.price).to.deep.equal({ token, symbol: "dCNY", decimals: 2, units: "1000000", value: "10000.00" });
      expect(sale.expiry).to.equal(new Date((MARKET.t0 + 30 * MARKET.DAY) * 1000).toISOString());
      expect(sale.terms.venue).to.equal(chengdu);
    });

    it("filters by status, venue, seller, kind and patent number", async () => {
      expect(ids((await get("/v1/listings?status=Open")).body as ListingPage)).to.deep.equal([story.listings.relisted.toString()]);
      const cq = (await get(`/v1/listings?venue=${chongqing.toUpperCase().replace("0X", "0x")}&status=Settled`)).body as ListingPage;
      expect(ids(cq)).to.deep.equal([story.listings.licenceBuy.toString()]);
      expect(cq.scan.driver).to.equal("venue-status");
      expect((await get(`/v1/listings?seller=${scu}`)).body.items).to.have.length(6);
      expect((await get(`/v1/listings?seller=${rongxin}`)).body.items).to.deep.equal([]);
      expect(ids((await get("/v1/listings?kind=Licence")).body as ListingPage)).to.deep.equal([story.listings.licenceBuy, story.listings.expired].map(String));
      const number = formatCnipaNumber(MARKET.relisted);
      expect(ids((await get(`/v1/listings?patent=${number}`)).body as ListingPage)).to.deep.equal([story.listings.cancelled, story.listings.relisted].map(String));
    });

    it("finds the patents listed through a venue in the patent search (venue filter), and only those", async () => {
      const open = (await get("/v1/listings?status=Open")).body as ListingPage;
      expect(open.items).to.have.length(1);
      const listing = open.items[0]!;
      const other = listing.venue === chengdu ? chongqing : chengdu;
      const found = (await get(`/v1/patents?venue=${listing.venue}`)).body as { items: { number: string }[]; scan: { driver: string } };
      expect(found.items.map((p) => p.number)).to.deep.equal([listing.number]);
      expect(found.scan.driver).to.equal("venue");
      // Other filters apply on top; the other venue has no open listing.
      expect((await get(`/v1/patents?venue=${listing.venue}&status=Lapsed`)).body.items).to.deep.equal([]);
      expect((await get(`/v1/patents?venue=${other}`)).body.items).to.deep.equal([]);
      const bad = errorOf(await get("/v1/patents?venue=chengdu", 400));
      expect(bad.code).to.equal("BAD_REQUEST");
      expect(JSON.stringify(bad.details)).to.contain("venue: an address");
    });

    it("pages with the cursor it returns", async () => {
      const first = (await get("/v1/listings?limit=4")).body as ListingPage;
      const second = (await get(`/v1/listings?limit=4&cursor=${first.next}`)).body as ListingPage;
      expect([first.items.length, second.items.length, second.next]).to.deep.equal([4, 2, null]);
      expect(new Set([...ids(first), ...ids(second)]).size).to.equal(6);
    });

    it("answers 400 with a code for bad filters and cursors", async () => {
      expect(errorOf(await get("/v1/listings?status=Sold", 400)).code).to.equal("BAD_REQUEST");
      expect(errorOf(await get("/v1/listings?venue=chengdu", 400)).code).to.equal("BAD_REQUEST");
      expect(errorOf(await get("/v1/listings?kind=Rent", 400)).code).to.equal("BAD_REQUEST");
      expect(errorOf(await get("/v1/listings?limit=0", 400)).code).to.equal("BAD_REQUEST");
      expect(errorOf(await get("/v1/listings?cursor=bm90LWEta2V5", 400)).code).to.equal("INVALID_CURSOR");
      const wrong = formatCnipaNumber(MARKET.relisted).replace(/\.(\d)$/, (_, d: string) => `.${(Number(d) + 1) % 10}`);
      expect(errorOf(await get(`/v1/listings?patent=${wrong}`, 400)).code).to.equal("INVALID_PATENT_NUMBER");
      expect(errorOf(await get("/v1/listings?colour=red", 400)).code).to.equal("BAD_REQUEST");
    });
  });

  describe("GET /v1/listings/{id}", () => {
    it("answers the settlement: price, fees to each venue and broker, the seller's net and where it went, and the offers", async () => {
      const body = (await get(`/v1/listings/${story.listings.saleOffer}`)).body as {
        block: { number: number };
        offers: { offerId: string; status: string; price: Amount; refund: Amount | null }[];
        settlement: {
          path: string;
          price: Amount;
          paid: { sellerNet: Amount; proceedsTo: string; listingVenue: Party; buyerVenue: Party; listingBroker: Party | null; buyerBroker: Party | null };
        };
      };
      expect(body.block.number).to.be.a("number");
      const s = body.settlement;
      expect(s.path).to.equal("Offer");
      expect(s.price.value).to.equal("9000.00");
      expect(s.paid.sellerNet.value).to.equal("8820.00");
      expect(s.paid.proceedsTo).to.equal(scu);
      expect([s.paid.listingVenue.address, s.paid.listingVenue.amount.value]).to.deep.equal([chengdu, "63.00"]);
      expect([s.paid.buyerVenue.address, s.paid.buyerVenue.amount.value]).to.deep.equal([chongqing, "72.00"]);
      expect([s.paid.listingBroker!.address, s.paid.listingBroker!.amount.value]).to.deep.equal([broker, "27.00"]);
      expect([s.paid.buyerBroker!.address, s.paid.buyerBroker!.amount.value]).to.deep.equal([investor, "18.00"]);
      const total = [s.paid.sellerNet, s.paid.listingVenue.amount, s.paid.buyerVenue.amount, s.paid.listingBroker!.amount, s.paid.buyerBroker!.amount].reduce(
        (sum, a) => sum + BigInt(a.units),
        0n,
      );
      expect(total.toString()).to.equal(s.price.units);
      expect(body.offers.map((o) => [o.offerId, o.status, o.price.value, o.refund?.value ?? null])).to.deep.equal([
        [story.offers.cancelled.toString(), "Cancelled", "9500.00", "9500.00"],
        [story.offers.accepted.toString(), "Accepted", "9000.00", null],
      ]);
    });

    it("answers the refused sale's refund and an open listing without a settlement", async () => {
      const refused = (await get(`/v1/listings/${story.listings.saleRefused}`)).body as { settlement: { path: string; paid: null; refund: { buyer: string; amount: Amount } } };
      expect(refused.settlement).to.deep.include({ path: "SignedOffer", paid: null });
      expect(refused.settlement.refund).to.deep.include({ buyer: yuzhi });
      expect(refused.settlement.refund.amount.value).to.equal("8000.00");
      expect((await get(`/v1/listings/${story.listings.relisted}`)).body).to.deep.include({ settlement: null, offers: [] });
    });

    it("answers 404 LISTING_NOT_FOUND for an unknown id and 400 for one that is not a number", async () => {
      expect(errorOf(await get("/v1/listings/123", 404)).code).to.equal("LISTING_NOT_FOUND");
      expect(errorOf(await get("/v1/listings/abc", 400)).code).to.equal("BAD_REQUEST");
      expect(errorOf(await get(`/v1/listings/${"9".repeat(21)}`, 400)).code).to.equal("BAD_REQUEST");
    });
  });

  describe("GET /v1/auctions", () => {
    it("filters by status, patent and disposal", async () => {
      expect(ids((await get("/v1/auctions")).body)).to.have.length(3);
      expect(ids((await get("/v1/auctions?disposal=true")).body)).to.deep.equal([story.auctions.disposal.toString()]);
      expect(ids((await get("/v1/auctions?disposal=false")).body)).to.deep.equal([story.auctions.sold, story.auctions.cancelled].map(String));
      expect(ids((await get("/v1/auctions?status=Sold")).body)).to.deep.equal([story.auctions.sold.toString()]);
      expect(ids((await get(`/v1/auctions?patent=${formatCnipaNumber(MARKET.expired)}`)).body)).to.deep.equal([story.auctions.disposal.toString()]);
      expect(errorOf(await get("/v1/auctions?disposal=yes", 400)).code).to.equal("BAD_REQUEST");
      expect(errorOf(await get("/v1/auctions?status=Pending", 400)).code).to.equal("BAD_REQUEST");
    });

    it("answers an auction with its bids in order, the extended end and the payouts", async () => {
      const body = (await get(`/v1/auctions/${story.auctions.sold}`)).body as {
        auction: { status: string; endTime: string; originalEndTime: string; extensions: number; settled: { price: Amount; net: Amount; listingVenue: Party } };
        bids: { bidder: string; amount: Amount; extended: boolean }[];
        bidsTruncated: boolean;
      };
      const end = MARKET.t0 + 5 * MARKET.DAY;
      expect(body.auction).to.deep.include({ status: "Sold", extensions: 1, originalEndTime: new Date(end * 1000).toISOString(), endTime: new Date((end + 540) * 1000).toISOString() });
      expect(body.auction.settled.price.value).to.equal("7000.00");
      expect(body.auction.settled.listingVenue.address).to.equal(chengdu);
      expect(body.bids.map((b) => [b.bidder, b.amount.value, b.extended])).to.deep.equal([
        [rongxin, "5000.00", false],
        [yuzhi, "6000.00", false],
        [rongxin, "7000.00", true],
      ]);
      expect(body.bidsTruncated).to.equal(false);
      const disposal = (await get(`/v1/auctions/${story.auctions.disposal}`)).body as { auction: { disposal: boolean; pledgeId: string; status: string } };
      expect(disposal.auction).to.deep.include({ disposal: true, pledgeId: story.pledgeId.toString(), status: "Unsold" });
      expect(errorOf(await get("/v1/auctions/99", 404)).code).to.equal("AUCTION_NOT_FOUND");
    });
  });

  describe("GET /v1/venues", () => {
    it("lists both venues with fees, counts and volume per token", async () => {
      const items = (await get("/v1/venues")).body.items as { address: string; name: string; feeBps: number; listings: number; trades: number; volume: Amount[] }[];
      const byAddress = Object.fromEntries(items.map((v) => [v.address, v]));
      expect(byAddress[chengdu]).to.deep.include({ name: "成都知识产权交易中心", feeBps: 200, listings: 3, trades: 3 });
      expect(byAddress[chengdu]!.volume.map((a) => a.value)).to.deep.equal(["26000.00"]);
      expect(byAddress[chongqing]).to.deep.include({ feeBps: 180, listings: 3, trades: 2 });
    });

    it("answers a venue with brokers, fee history and listings by status; 404 and 400 otherwise", async () => {
      const body = (await get(`/v1/venues/${chengdu}`)).body as {
        venue: { fees: Amount[] };
        brokers: { broker: string; state: string }[];
        feeHistory: { feeBps: number }[];
        listingsByStatus: Record<string, number>;
      };
      expect(body.brokers.map((b) => [b.broker, b.state]).sort()).to.deep.equal(
        [
          [broker, "Accredited"],
          [yuzhi, "Revoked"],
        ].sort(),
      );
      expect(body.listingsByStatus).to.deep.include({ Settled: 1, Refused: 1, Expired: 1, Open: 0 });
      expect(body.feeHistory.map((f) => f.feeBps)).to.deep.equal([200]);
      expect(body.venue.fees[0]!.symbol).to.equal("dCNY");
      expect(errorOf(await get(`/v1/venues/${scu}`, 404)).code).to.equal("VENUE_NOT_FOUND");
      expect(errorOf(await get("/v1/venues/0x1234", 400)).code).to.equal("BAD_REQUEST");
    });
  });

  describe("the document and the dossier helper", () => {
    it("documents the market paths and their error codes in /openapi.json", async () => {
      const doc = (await get("/openapi.json")).body as { paths: Record<string, unknown> };
      for (const path of ["/v1/listings", "/v1/listings/{id}", "/v1/auctions", "/v1/auctions/{id}", "/v1/venues", "/v1/venues/{address}"]) expect(doc.paths, path).to.have.property(path);
      expect(JSON.stringify(doc.paths["/v1/listings/{id}"])).to.contain("LISTING_NOT_FOUND");
    });

    it("gives the dossier a patent's listings and auctions, open and past", async () => {
      const m = await marketOfPatentView(g.ctx, g.ctx.index!.queries, MARKET.expired.toString());
      expect(m.listings.map((l) => l.status)).to.deep.equal(["Expired"]);
      expect(m.auctions.map((a) => [a.kind, a.status])).to.deep.equal([["Disposal", "Unsold"]]);
      expect(await marketOfPatentView(g.ctx, g.ctx.index!.queries, "201910000001")).to.deep.equal({ listings: [], auctions: [] });
    });

    it("puts the patent's listings and auctions in its dossier", async () => {
      const res = await get(`/v1/patents/${MARKET.expired.toString()}`);
      expect(res.status).to.equal(200);
      const market = (res.body as { market: { listings: { status: string }[]; auctions: { kind: string; status: string }[] } }).market;
      expect(market.listings.map((l) => l.status)).to.deep.equal(["Expired"]);
      expect(market.auctions.map((a) => [a.kind, a.status])).to.deep.equal([["Disposal", "Unsold"]]);
    });

    it("formats units with the token's decimals", () => {
      expect([decimalOf("5", 2), decimalOf("120000000", 2), decimalOf("0", 2), decimalOf("7", 0)]).to.deep.equal(["0.05", "1200000.00", "0.00", "7"]);
    });
  });
});
