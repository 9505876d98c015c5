import { expect } from "chai";
import request from "supertest";
import { formatCnipaNumber } from "../../server/chain/cnipa";
import { createLedgerClient } from "../../server/client";
import { CSV_COLUMNS, LICENCE_CSV_COLUMNS } from "../../server/api/routes/audit";
import { runCli } from "../../scripts/cli/program";
import type { CliDeps } from "../../scripts/cli/context";
import { providerFor, STORY } from "../indexer/helpers/ledger";
import { errorOf, indexedGateway, type IndexedGateway } from "./helpers";
import { FINANCE, FIN_NUMBERS, financeStory, NUMBERS } from "./story";

describe("audit API", () => {
  let g: IndexedGateway;
  let scu: string;
  let uestc: string;
  let rongxin: string;
  let yuzhi: string;

  /** Runs the CLI in-process, reading from the test node (no gateway). */
  async function cli(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
    const out: string[] = [];
    const err: string[] = [];
    const provider = providerFor(g.node.url);
    const deps: CliDeps = {
      out: (s) => out.push(s),
      err: (s) => err.push(s),
      env: {},
      connect: async () => createLedgerClient({ runner: provider, deployments: g.ledger.deployments }),
    };
    try {
      return { code: await runCli(argv, deps), out, err };
    } finally {
      provider.destroy();
    }
  }

  before(async () => {
    g = await indexedGateway(financeStory);
    scu = (await g.ledger.parties.scu.getAddress()).toLowerCase();
    uestc = (await g.ledger.parties.uestc.getAddress()).toLowerCase();
    rongxin = (await g.ledger.parties.rongxin.getAddress()).toLowerCase();
    yuzhi = (await g.ledger.parties.yuzhi.getAddress()).toLowerCase();
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

  describe("GET /v1/audit/patents/{number}/licences", () => {
    it("answers every licence with scope, filing, payments with splits, revenue reports and how it ended", async () => {
      const res = await request(g.app).get(`/v1/audit/patents/${FIN_NUMBERS.licensed}/licences`).expect(200);
      expect(res.body.patent).to.deep.equal({ id: STORY.licensed.toString(), number: FIN_NUMBERS.licensed, owner: scu });
      expect(res.body.licences.map((l: { licence: { id: string } }) => l.licence.id)).to.deep.equal(["1", "2"]);
      const [main, sub] = res.body.licences;
      expect(main.licence).to.include({ kind: "Exclusive", licensee: rongxin, status: "Terminated" });
      expect(main.licence.filing.reference).to.equal("备案-2026-0001");
      expect(main.licence.ended.reason).to.equal("被许可人违约");
      expect(main.licence.scope.fields).to.equal("11");
      expect(main.licence.startDate).to.match(/^\d{4}-\d{2}-\d{2}$/);
      expect(main.endedAt.txHash).to.match(/^0x[0-9a-f]{64}$/);
      expect(main.payments).to.have.length(1);
      expect(main.payments[0]).to.include({ payment: "1", amount: "20000", payer: rongxin, fee: false });
      expect(main.payments[0].split).to.include({ unitAmount: "18000", inventorsAmount: "1200", ttoAmount: "800" });
      expect(main.revenueReports).to.have.length(1);
      expect(main.revenueReports[0]).to.include({ revenue: "1000000", licensee: rongxin });
      expect(sub.licence).to.include({ kind: "Sublicence", parentId: "1", licensee: yuzhi, status: "Revoked" });
      expect(sub.endedAt).to.not.equal(null);
      const events = res.body.facts.map((f: { event: string }) => f.event);
      expect(events).to.deep.equal([
        "LicenceGranted",
        "LicenceFiled",
        "LicenceGranted",
        "SublicenceGranted",
        "SharesDeclared",
        "RevenueReported",
        "RoyaltyPaid",
        "SublicenceRevoked",
        "LicenceTerminated",
      ]);
      for (const f of res.body.facts) expect(f.txHash).to.match(/^0x[0-9a-f]{64}$/);
      expect(res.body.digest).to.include({ algorithm: "sha256", facts: 9 });
      expect(res.body.digest.value).to.match(/^0x[0-9a-f]{64}$/);
      expect(res.body.digest.command).to.include(`audit licences ${FIN_NUMBERS.licensed} --to-block ${res.body.block.number}`);
    });

    it("gives a digest that the CLI recomputes from the node's logs alone, and a different one at an earlier block", async () => {
      const res = await request(g.app).get(`/v1/audit/patents/${FIN_NUMBERS.licensed}/licences`).expect(200);
      const run = await cli("audit", "licences", FIN_NUMBERS.licensed, "--to-block", String(res.body.block.number), "--digest");
      expect(run.err).to.deep.equal([]);
      expect(run.code).to.equal(0);
      expect(run.out).to.deep.equal([res.body.digest.value]);
      const json = await cli("audit", "licences", FIN_NUMBERS.licensed, "--json");
      expect(JSON.parse(json.out[0]!).facts).to.deep.equal(res.body.facts);
      const before = await cli("audit", "licences", FIN_NUMBERS.licensed, "--to-block", String(res.body.facts[8].block - 1), "--digest");
      expect(before.out[0]).to.match(/^0x[0-9a-f]{64}$/).and.not.equal(res.body.digest.value);
    });

    it("agrees with the CLI for an open licence taken and withdrawn, and for a patent without licences", async () => {
      for (const number of [formatCnipaNumber(STORY.open), NUMBERS.moved]) {
        const res = await request(g.app).get(`/v1/audit/patents/${number}/licences`).expect(200);
        const run = await cli("audit", "licences", number, "--to-block", String(res.body.block.number), "--digest");
        expect(run.out).to.deep.equal([res.body.digest.value]);
      }
      const open = await request(g.app).get(`/v1/audit/patents/${formatCnipaNumber(STORY.open)}/licences`).expect(200);
      expect(open.body.openLicences.map((o: { event: string }) => o.event)).to.deep.equal(["OpenLicenceDeclared", "OpenLicenceWithdrawn"]);
      expect(open.body.licences[0].licence).to.include({ open: true, licensee: yuzhi });
      const none = await request(g.app).get(`/v1/audit/patents/${NUMBERS.moved}/licences`).expect(200);
      expect(none.body.facts).to.deep.equal([]);
      expect(none.body.digest.facts).to.equal(0);
    });

    it("answers CSV: one row per fact with its chain point, and the digest in a header", async () => {
      const json = await request(g.app).get(`/v1/audit/patents/${FIN_NUMBERS.licensed}/licences`).expect(200);
      const res = await request(g.app).get(`/v1/audit/patents/${FIN_NUMBERS.licensed}/licences?format=csv`).expect(200).expect("content-type", /text\/csv/);
      expect(res.headers["x-report-digest"]).to.equal(json.body.digest.value);
      const lines = res.text.trimEnd().split("\r\n");
      expect(lines[0]).to.include(json.body.digest.value);
      expect(lines[1]).to.equal(LICENCE_CSV_COLUMNS.join(","));
      expect(lines).to.have.length(2 + 9);
      const paid = lines.find((l) => l.includes(",RoyaltyPaid,"))!.split(",");
      expect(paid[0]).to.equal(String(json.body.facts[6].block));
      expect(paid[2]).to.equal(json.body.facts[6].txHash);
      expect(paid[LICENCE_CSV_COLUMNS.indexOf("amount")]).to.equal("20000");
      expect(paid[LICENCE_CSV_COLUMNS.indexOf("unitAmount")]).to.equal("18000");
      expect(res.headers["content-disposition"]).to.include(`${FIN_NUMBERS.licensed}-licences.csv`);
    });

    it("answers 400 and 404 like the other patent routes", async () => {
      expect(errorOf(await request(g.app).get(`/v1/audit/patents/${NUMBERS.moved}/licences?format=pdf`).expect(400)).code).to.equal("BAD_REQUEST");
      expect(errorOf(await request(g.app).get("/v1/audit/patents/ZL1/licences").expect(400)).code).to.equal("INVALID_PATENT_NUMBER");
      expect(errorOf(await request(g.app).get(`/v1/audit/patents/${formatCnipaNumber(202410999999n)}/licences`).expect(404)).code).to.equal("PATENT_NOT_FOUND");
    });
  });

  describe("GET /v1/audit/licences", () => {
    const ids = (res: request.Response) => res.body.items.map((l: { id: string }) => l.id);

    it("lists licences by licensee with their patent numbers", async () => {
      const res = await request(g.app).get(`/v1/audit/licences?licensee=${yuzhi}`).expect(200);
      expect(ids(res)).to.deep.equal(["2", "3", "5"]);
      expect(res.body.items[2]).to.include({ patentNumber: FIN_NUMBERS.nonExclusive, kind: "NonExclusive" });
      expect(res.body.scan.driver).to.equal("licensee");
    });

    it("lists the licences of every patent an owner holds, and pages through them", async () => {
      const all = await request(g.app).get(`/v1/audit/licences?owner=${scu}`).expect(200);
      expect(ids(all)).to.deep.equal(["1", "2", "3", "4", "5"]);
      expect(all.body.next).to.equal(null);
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let i = 0; i < 10; i++) {
        const page: request.Response = await request(g.app)
          .get(`/v1/audit/licences?owner=${scu}&limit=2${cursor ? `&cursor=${cursor}` : ""}`)
          .expect(200);
        seen.push(...ids(page));
        cursor = page.body.next;
        if (cursor === null) break;
      }
      expect(seen).to.deep.equal(["1", "2", "3", "4", "5"]);
      expect(ids(await request(g.app).get(`/v1/audit/licences?owner=${uestc}`).expect(200))).to.deep.equal([]);
    });

    it("answers 400 without exactly one of owner and licensee, or with a foreign cursor", async () => {
      expect(errorOf(await request(g.app).get("/v1/audit/licences").expect(400)).code).to.equal("BAD_REQUEST");
      expect(errorOf(await request(g.app).get(`/v1/audit/licences?owner=${scu}&licensee=${yuzhi}`).expect(400)).code).to.equal("BAD_REQUEST");
      expect(errorOf(await request(g.app).get("/v1/audit/licences?owner=scu").expect(400)).code).to.equal("BAD_REQUEST");
      expect(errorOf(await request(g.app).get(`/v1/audit/licences?owner=${scu}&cursor=${Buffer.from("p/1").toString("base64url")}`).expect(400)).code).to.equal("INVALID_CURSOR");
      expect(errorOf(await request(g.app).get(`/v1/audit/licences?owner=${scu}&cursor=${Buffer.from("ix/lic-patent/x/y").toString("base64url")}`).expect(400)).code).to.equal(
        "INVALID_CURSOR",
      );
      expect(errorOf(await request(g.app).get(`/v1/audit/licences?licensee=${yuzhi}&cursor=${Buffer.from("p/1").toString("base64url")}`).expect(400)).code).to.equal(
        "INVALID_CURSOR",
      );
    });
  });

  describe("GET /v1/audit/equity", () => {
    it("lists deals with their warrants by company and by contributor", async () => {
      const byCompany = await request(g.app).get(`/v1/audit/equity?company=${rongxin}`).expect(200);
      expect(byCompany.body.items.map((x: { deal: { id: string } }) => x.deal.id)).to.deep.equal(["1", "2"]);
      const [executed, proposed] = byCompany.body.items;
      expect(executed.deal).to.include({ status: "Executed", owner: uestc, companyRegistration: "91510100MA61234567" });
      expect(executed.patents).to.deep.equal([{ patentId: STORY.contributed.toString(), number: FIN_NUMBERS.contributed }]);
      expect(executed.warrants).to.have.length(1);
      expect(executed.warrants[0]).to.include({ holder: uestc, status: "Exercised", shares: "1000" });
      expect(proposed.deal.status).to.equal("Proposed");
      expect(proposed.patents[0].patentId).to.equal(FINANCE.deal.toString());
      const byContributor = await request(g.app).get(`/v1/audit/equity?contributor=${uestc}&limit=1`).expect(200);
      expect(byContributor.body.items.map((x: { deal: { id: string } }) => x.deal.id)).to.deep.equal(["1"]);
      const next = await request(g.app).get(`/v1/audit/equity?contributor=${uestc}&limit=1&cursor=${byContributor.body.next}`).expect(200);
      expect(next.body.items.map((x: { deal: { id: string } }) => x.deal.id)).to.deep.equal(["2"]);
      expect((await request(g.app).get(`/v1/audit/equity?contributor=${scu}`).expect(200)).body.items).to.deep.equal([]);
    });

    it("answers 400 without exactly one of company and contributor", async () => {
      expect(errorOf(await request(g.app).get("/v1/audit/equity").expect(400)).code).to.equal("BAD_REQUEST");
      expect(errorOf(await request(g.app).get(`/v1/audit/equity?company=${rongxin}&contributor=${uestc}`).expect(400)).code).to.equal("BAD_REQUEST");
    });
  });
});
