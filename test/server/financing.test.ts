import { expect } from "chai";
import { ethers } from "ethers";
import request from "supertest";
import { formatCnipaNumber } from "../../server/chain/cnipa";
import { SCENARIO, STORY } from "../indexer/helpers/ledger";
import { errorOf, indexedGateway, type IndexedGateway } from "./helpers";
import { FINANCE, FIN_NUMBERS, financeStory, NUMBERS } from "./story";

describe("financing API", () => {
  let g: IndexedGateway;
  let bank: string;
  let scu: string;
  let uestc: string;
  let rongxin: string;

  before(async () => {
    g = await indexedGateway(financeStory);
    bank = (await g.ledger.parties.bank.getAddress()).toLowerCase();
    scu = (await g.ledger.parties.scu.getAddress()).toLowerCase();
    uestc = (await g.ledger.parties.uestc.getAddress()).toLowerCase();
    rongxin = (await g.ledger.parties.rongxin.getAddress()).toLowerCase();
  });

  after(async () => {
    await g?.close();
  });

  describe("GET /v1/financing/patents/{number}/encumbrances", () => {
    it("answers owner, status, expiry and no blockers for a free valid patent", async () => {
      const res = await request(g.app).get(`/v1/financing/patents/${NUMBERS.moved}/encumbrances`).expect(200);
      expect(res.body.block.number).to.equal(g.indexer.status().indexed!.number);
      expect(res.body.patent).to.deep.equal({
        id: SCENARIO.moved.toString(),
        number: NUMBERS.moved,
        owner: rongxin,
        status: "Valid",
        statusCode: 0,
        expiryDay: res.body.patent.expiryDay,
        expiryDate: "2039-03-15",
        inForce: true,
      });
      expect(res.body.locks).to.deep.equal([]);
      expect(res.body.pendingTransfer).to.equal(null);
      expect(res.body.pledges).to.deep.equal([]);
      expect(res.body.licences).to.deep.equal({ exclusiveOrSole: [], nonExclusive: 0, inForce: 0 });
      expect(res.body.openLicence).to.equal(null);
      expect(res.body.equityDeals).to.deep.equal([]);
      expect(res.body.valuations).to.deep.equal({ latest: null, count: 0, history: [] });
      expect(res.body.blockers).to.deep.equal([]);
      expect(res.body.cautions).to.deep.equal([]);
      expect(res.body.pledgeBlockers).to.deep.equal([]);
    });

    it("names the legal status that bars a pledge", async () => {
      const res = await request(g.app).get(`/v1/financing/patents/${NUMBERS.design}/encumbrances`).expect(200);
      expect(res.body.blockers).to.deep.equal([{ code: "NOT_VALID", message: "legal status is UnderInvalidation", ref: null }]);
      expect(res.body.pledgeBlockers).to.deep.equal(["legal status is UnderInvalidation"]);
    });

    it("shows the registered portfolio pledge, the exclusive licence in force and the valuation history", async () => {
      const res = await request(g.app).get(`/v1/financing/patents/${FIN_NUMBERS.exclusive}/encumbrances`).expect(200);
      expect(res.body.pledges).to.have.length(1);
      const pl = res.body.pledges[0];
      expect(pl).to.include({ id: "2", pledgee: bank, securedAmount: "500000000", currency: "CNY", status: "Registered", phase: "active", patentStatus: "Pledged", portfolio: true });
      expect(pl.pledgors).to.deep.equal([scu]);
      expect(pl.registration.cnipaReference).to.equal("质押登记-2026-002");
      expect(pl.registrationDate).to.match(/^\d{4}-\d{2}-\d{2}$/);
      expect(pl.consentsGranted).to.deep.equal([]);
      expect(res.body.licences.inForce).to.equal(1);
      expect(res.body.licences.nonExclusive).to.equal(0);
      expect(res.body.licences.exclusiveOrSole).to.have.length(1);
      expect(res.body.licences.exclusiveOrSole[0]).to.include({ kind: "Exclusive", licensee: rongxin, status: "Active" });
      expect(res.body.valuations.count).to.equal(2);
      expect(res.body.valuations.latest).to.include({ index: "1", amount: "120000000", method: "Income", currency: "CNY" });
      expect(res.body.valuations.history.map((v: { index: string }) => v.index)).to.deep.equal(["1", "0"]);
      expect(res.body.blockers.map((b: { code: string }) => b.code)).to.deep.equal(["PLEDGED"]);
      expect(res.body.blockers[0].ref).to.equal("2");
      expect(res.body.cautions.map((c: { code: string }) => c.code)).to.deep.equal(["EXCLUSIVE_LICENCE"]);
      expect(res.body.locks.map((l: { name: string }) => l.name)).to.deep.equal(["PLEDGED"]);
    });

    it("lists the pledgee's consent on the patent it concerns and counts non-exclusive licences", async () => {
      const res = await request(g.app).get(`/v1/financing/patents/${FIN_NUMBERS.nonExclusive}/encumbrances`).expect(200);
      expect(res.body.licences).to.deep.include({ exclusiveOrSole: [], nonExclusive: 1, inForce: 1 });
      const consents = res.body.pledges[0].consentsGranted;
      expect(consents).to.have.length(1);
      expect(consents[0]).to.include({ pledgeId: "2", patentId: FINANCE.nonExclusive.toString(), act: "Licence", counterparty: rongxin, route: "EarlyRepayment", state: "Given" });
      expect(consents[0].given.txHash).to.match(/^0x[0-9a-f]{64}$/);
      expect(res.body.cautions).to.deep.equal([]);
    });

    it("shows a pending pledge as a blocker", async () => {
      const res = await request(g.app).get(`/v1/financing/patents/${FIN_NUMBERS.pending}/encumbrances`).expect(200);
      expect(res.body.pledges).to.have.length(1);
      expect(res.body.pledges[0]).to.include({ id: "3", status: "Proposed", phase: "pending", consentsMissing: 1 });
      expect(res.body.blockers.map((b: { code: string }) => b.code)).to.deep.equal(["PLEDGE_PENDING"]);
    });

    it("shows the open-licence declaration as a caution and an equity deal not ended as a blocker", async () => {
      const open = await request(g.app).get(`/v1/financing/patents/${FIN_NUMBERS.open}/encumbrances`).expect(200);
      expect(open.body.openLicence).to.include({ owner: uestc, declared: true, taken: 0 });
      expect(open.body.openLicence.terms).to.include({ methodName: "LumpSum", amount: "3000", termDays: 365 });
      expect(open.body.cautions.map((c: { code: string }) => c.code)).to.deep.equal(["OPEN_LICENCE"]);
      expect(open.body.blockers).to.deep.equal([]);
      const deal = await request(g.app).get(`/v1/financing/patents/${FIN_NUMBERS.deal}/encumbrances`).expect(200);
      expect(deal.body.equityDeals).to.have.length(1);
      expect(deal.body.equityDeals[0]).to.include({ id: "2", status: "Proposed", company: rongxin, form: "BasisPoints" });
      expect(deal.body.blockers.map((b: { code: string }) => b.code)).to.deep.equal(["EQUITY_DEAL"]);
    });

    it("leaves out ended licences, released pledges and executed deals", async () => {
      const licensed = await request(g.app).get(`/v1/financing/patents/${FIN_NUMBERS.licensed}/encumbrances`).expect(200);
      expect(licensed.body.licences.inForce).to.equal(0);
      expect(licensed.body.valuations.count).to.equal(1);
      const kept = await request(g.app).get(`/v1/financing/patents/${FIN_NUMBERS.pledgedKept}/encumbrances`).expect(200);
      expect(kept.body.pledges).to.deep.equal([]);
      expect(kept.body.blockers).to.deep.equal([]);
      const contributed = await request(g.app).get(`/v1/financing/patents/${FIN_NUMBERS.contributed}/encumbrances`).expect(200);
      expect(contributed.body.equityDeals).to.deep.equal([]);
    });

    it("shows a pending transfer with its lock and names it as a blocker", async () => {
      const { parties } = g.ledger;
      const receipt = await (await g.ledger.registry.connect(parties.uestc).proposeTransfer(SCENARIO.cancelled, await parties.yuzhi.getAddress(), ethers.id("contract-9"))).wait();
      const id = receipt!.logs.map((x) => g.ledger.registry.interface.parseLog(x)).find((x) => x?.name === "TransferProposed")!.args.transferId.toString();
      await g.sync();
      const res = await request(g.app).get(`/v1/financing/patents/${NUMBERS.cancelled}/encumbrances`).expect(200);
      expect(res.body.pendingTransfer).to.include({ id, status: "Proposed" });
      expect(res.body.blockers).to.deep.equal([{ code: "TRANSFER_PENDING", message: `transfer ${id} is pending`, ref: id }]);
      const registry = (await g.ledger.registry.getAddress()).toLowerCase();
      expect(res.body.locks).to.deep.equal([{ bit: 0, name: "TRANSFER_PENDING", module: registry }]);
    });

    it("answers 400 INVALID_PATENT_NUMBER and 404 PATENT_NOT_FOUND", async () => {
      expect(errorOf(await request(g.app).get("/v1/financing/patents/ZL201910000001.0/encumbrances").expect(400)).code).to.equal("INVALID_PATENT_NUMBER");
      expect(errorOf(await request(g.app).get(`/v1/financing/patents/${formatCnipaNumber(202410999999n)}/encumbrances`).expect(404)).code).to.equal(
        "PATENT_NOT_FOUND",
      );
    });
  });

  describe("GET /v1/financing/pledges", () => {
    const ids = (res: request.Response) => res.body.items.map((p: { id: string }) => p.id);

    it("lists every pledge by id without filters", async () => {
      const res = await request(g.app).get("/v1/financing/pledges").expect(200);
      expect(ids(res)).to.deep.equal(["1", "2", "3"]);
      expect(res.body.next).to.equal(null);
      expect(res.body.scan).to.deep.equal({ driver: "all", examined: 3, complete: true });
      expect(res.body.block.number).to.equal(g.indexer.status().indexed!.number);
    });

    it("filters by pledgee, pledgor, status and patent, combined", async () => {
      expect(ids(await request(g.app).get(`/v1/financing/pledges?pledgee=${bank}`).expect(200))).to.deep.equal(["1", "2", "3"]);
      expect(ids(await request(g.app).get(`/v1/financing/pledges?pledgor=${uestc}`).expect(200))).to.deep.equal(["3"]);
      expect(ids(await request(g.app).get("/v1/financing/pledges?status=Registered").expect(200))).to.deep.equal(["2"]);
      expect(ids(await request(g.app).get("/v1/financing/pledges?status=Released").expect(200))).to.deep.equal(["1"]);
      const byPatent = await request(g.app).get(`/v1/financing/pledges?patent=${FIN_NUMBERS.nonExclusive}`).expect(200);
      expect(ids(byPatent)).to.deep.equal(["2"]);
      expect(byPatent.body.scan.driver).to.equal("patent");
      const both = await request(g.app).get(`/v1/financing/pledges?pledgee=${bank}&status=Proposed&pledgor=${uestc}`).expect(200);
      expect(ids(both)).to.deep.equal(["3"]);
      expect(both.body.scan.driver).to.equal("pledgor");
      const smallest = await request(g.app).get(`/v1/financing/pledges?pledgee=${bank}&status=Registered`).expect(200);
      expect(ids(smallest)).to.deep.equal(["2"]);
      expect(smallest.body.scan.driver).to.equal("status");
      expect(ids(await request(g.app).get(`/v1/financing/pledges?pledgor=${rongxin}`).expect(200))).to.deep.equal([]);
    });

    it("pages with a cursor", async () => {
      const first = await request(g.app).get(`/v1/financing/pledges?pledgee=${bank}&limit=2`).expect(200);
      expect(ids(first)).to.deep.equal(["1", "2"]);
      const second = await request(g.app).get(`/v1/financing/pledges?pledgee=${bank}&limit=2&cursor=${first.body.next}`).expect(200);
      expect(ids(second)).to.deep.equal(["3"]);
      expect(second.body.next).to.equal(null);
      const all = await request(g.app).get("/v1/financing/pledges?limit=1").expect(200);
      expect(ids(await request(g.app).get(`/v1/financing/pledges?limit=5&cursor=${all.body.next}`).expect(200))).to.deep.equal(["2", "3"]);
      // A cursor carries the index it walked: the next page of a two-filter query walks the same one.
      const a = await request(g.app).get(`/v1/financing/pledges?pledgee=${bank}&status=Released&limit=1`).expect(200);
      expect(ids(a)).to.deep.equal(["1"]);
      expect(a.body.scan.driver).to.equal("status");
    });

    it("answers 400 for a bad address, status, patent or a cursor of another query", async () => {
      expect(errorOf(await request(g.app).get("/v1/financing/pledges?pledgee=0x12").expect(400)).code).to.equal("BAD_REQUEST");
      expect(errorOf(await request(g.app).get("/v1/financing/pledges?status=Pledged").expect(400)).code).to.equal("BAD_REQUEST");
      expect(errorOf(await request(g.app).get("/v1/financing/pledges?patent=ZL201910000001.0").expect(400)).code).to.equal("INVALID_PATENT_NUMBER");
      const first = await request(g.app).get(`/v1/financing/pledges?pledgee=${bank}&limit=1`).expect(200);
      expect(errorOf(await request(g.app).get(`/v1/financing/pledges?status=Registered&cursor=${first.body.next}`).expect(400)).code).to.equal("INVALID_CURSOR");
      expect(errorOf(await request(g.app).get("/v1/financing/pledges?owner=x").expect(400)).code).to.equal("BAD_REQUEST");
    });
  });

  describe("GET /v1/financing/pledges/{id}", () => {
    it("answers the released pledge with its patents, the consumed consent, and no proceeds", async () => {
      const res = await request(g.app).get("/v1/financing/pledges/1").expect(200);
      expect(res.body.pledge).to.include({ id: "1", status: "Released", loanReference: "成银贷-2026-001", portfolio: true });
      expect(res.body.pledge.patents.map((x: { status: string }) => x.status)).to.deep.equal(["Left", "Released"]);
      expect(res.body.pledge.patents[0].leftTo).to.equal(rongxin);
      expect(res.body.patents).to.deep.equal([
        { patentId: STORY.pledgedSold.toString(), number: formatCnipaNumber(STORY.pledgedSold) },
        { patentId: STORY.pledgedKept.toString(), number: formatCnipaNumber(STORY.pledgedKept) },
      ]);
      expect(res.body.consents).to.have.length(1);
      expect(res.body.consents[0]).to.include({ act: "Transfer", state: "Used" });
      expect(res.body.proceeds).to.deep.equal([]);
      expect(res.body.disposals).to.deep.equal([]);
    });

    it("answers 404 PLEDGE_NOT_FOUND and 400 for an id that is not a number", async () => {
      expect(errorOf(await request(g.app).get("/v1/financing/pledges/99").expect(404)).code).to.equal("PLEDGE_NOT_FOUND");
      expect(errorOf(await request(g.app).get("/v1/financing/pledges/abc").expect(400)).code).to.equal("BAD_REQUEST");
    });
  });

  describe("GET /v1/financing/exposure", () => {
    it("answers a bank's book: outstanding, pending, patents and portfolio pledges", async () => {
      const res = await request(g.app).get(`/v1/financing/exposure?pledgee=${bank}`).expect(200);
      expect(res.body.scope).to.equal("pledgee");
      expect(res.body.banks).to.deep.equal([
        {
          pledgee: bank,
          pledges: 3,
          byStatus: { Released: 1, Registered: 1, Proposed: 1 },
          active: 1,
          portfolioPledges: 1,
          patentsPledged: 3,
          pledgors: 2,
          outstanding: { CNY: "500000000" },
          pending: { CNY: "80000000" },
          recovered: {},
        },
      ]);
    });

    it("answers the open book of every bank without pledgee, and an empty book for a bank without pledges", async () => {
      const res = await request(g.app).get("/v1/financing/exposure").expect(200);
      expect(res.body.scope).to.equal("open-book");
      expect(res.body.banks).to.have.length(1);
      expect(res.body.banks[0]).to.include({ pledgee: bank, pledges: 2, active: 1, patentsPledged: 3 });
      const none = await request(g.app).get(`/v1/financing/exposure?pledgee=${rongxin}`).expect(200);
      expect(none.body.banks[0]).to.include({ pledges: 0, active: 0 });
      expect(errorOf(await request(g.app).get("/v1/financing/exposure?pledgee=bank").expect(400)).code).to.equal("BAD_REQUEST");
    });
  });
});
