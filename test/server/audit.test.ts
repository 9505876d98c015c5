import { expect } from "chai";
import request from "supertest";
import { formatCnipaNumber } from "../../server/chain/cnipa";
import { CSV_COLUMNS } from "../../server/api/routes/audit";
import { errorOf, indexedGateway, type IndexedGateway } from "./helpers";
import { NUMBERS } from "./story";

describe("audit API", () => {
  let g: IndexedGateway;

  before(async () => {
    g = await indexedGateway();
  });

  after(async () => {
    await g?.close();
  });

  describe("GET /v1/audit/patents/{number}/transfers", () => {
    it("answers the ownership history as JSON with each fact's chain point", async () => {
      const res = await request(g.app).get(`/v1/audit/patents/${NUMBERS.moved}/transfers`).expect(200);
      expect(res.body.block.number).to.equal(g.indexer.status().indexed!.number);
      expect(res.body.patent.number).to.equal(NUMBERS.moved);
      expect(res.body.transfers).to.have.length(1);
      const t = res.body.transfers[0];
      expect(t).to.include({ id: "1", status: "Registered", cnipaReference: "CNIPA-2026-0001" });
      expect(t.proposed.txHash).to.match(/^0x[0-9a-f]{64}$/);
      expect(t.updated.block).to.be.greaterThan(t.proposed.block);
    });

    it("answers CSV with a header row, one row per transfer and the block in headers", async () => {
      const res = await request(g.app).get(`/v1/audit/patents/${NUMBERS.refused}/transfers?format=csv`).expect(200).expect("content-type", /text\/csv/);
      const lines = res.text.trimEnd().split("\r\n");
      expect(lines[0]).to.equal(CSV_COLUMNS.join(","));
      expect(lines).to.have.length(2);
      const cells = lines[1]!.split(",");
      expect(cells[0]).to.equal("2");
      expect(cells[1]).to.equal(NUMBERS.refused);
      expect(cells[4]).to.equal("Refused");
      expect(cells[8]).to.equal("材料不全");
      expect(res.headers["x-indexed-block"]).to.equal(String(g.indexer.status().indexed!.number));
      expect(res.headers["content-disposition"]).to.include(`${NUMBERS.refused}-transfers.csv`);
    });

    it("answers an empty history for a patent never transferred", async () => {
      const res = await request(g.app).get(`/v1/audit/patents/${NUMBERS.design}/transfers`).expect(200);
      expect(res.body.transfers).to.deep.equal([]);
    });

    it("answers 400 for an unknown format or a bad number and 404 for an unregistered one", async () => {
      expect(errorOf(await request(g.app).get(`/v1/audit/patents/${NUMBERS.moved}/transfers?format=xml`).expect(400)).code).to.equal("BAD_REQUEST");
      expect(errorOf(await request(g.app).get("/v1/audit/patents/ZL123/transfers").expect(400)).code).to.equal("INVALID_PATENT_NUMBER");
      expect(errorOf(await request(g.app).get(`/v1/audit/patents/${formatCnipaNumber(202410999999n)}/transfers`).expect(404)).code).to.equal(
        "PATENT_NOT_FOUND",
      );
    });
  });
});
