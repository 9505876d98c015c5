import { expect } from "chai";
import { ethers } from "ethers";
import request from "supertest";
import { formatCnipaNumber } from "../../server/chain/cnipa";
import { SCENARIO } from "../indexer/helpers/ledger";
import { errorOf, indexedGateway, type IndexedGateway } from "./helpers";
import { NUMBERS } from "./story";

describe("financing API", () => {
  let g: IndexedGateway;

  before(async () => {
    g = await indexedGateway();
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
        owner: (await g.ledger.parties.rongxin.getAddress()).toLowerCase(),
        status: "Valid",
        statusCode: 0,
        expiryDay: res.body.patent.expiryDay,
        expiryDate: "2039-03-15",
        inForce: true,
      });
      expect(res.body.locks).to.deep.equal([]);
      expect(res.body.pendingTransfer).to.equal(null);
      expect(res.body.pledgeBlockers).to.deep.equal([]);
    });

    it("names the legal status that bars a pledge", async () => {
      const res = await request(g.app).get(`/v1/financing/patents/${NUMBERS.design}/encumbrances`).expect(200);
      expect(res.body.pledgeBlockers).to.deep.equal(["legal status is UnderInvalidation"]);
    });

    it("shows a pending transfer with its lock and names it as a blocker", async () => {
      const { parties } = g.ledger;
      await (await g.ledger.registry.connect(parties.uestc).proposeTransfer(SCENARIO.cancelled, await parties.yuzhi.getAddress(), ethers.id("contract-9"))).wait();
      await g.sync();
      const res = await request(g.app).get(`/v1/financing/patents/${NUMBERS.cancelled}/encumbrances`).expect(200);
      expect(res.body.pendingTransfer).to.include({ id: "4", status: "Proposed" });
      expect(res.body.pledgeBlockers).to.deep.equal(["transfer 4 is pending"]);
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
});
