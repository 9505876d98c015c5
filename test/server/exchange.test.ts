import { expect } from "chai";
import request from "supertest";
import type { Express } from "express";
import { formatCnipaNumber } from "../../server/chain/cnipa";
import type { PatentView } from "../../server/api/schemas";
import { SCENARIO, STORY } from "../indexer/helpers/ledger";
import { errorOf, indexedGateway, type IndexedGateway } from "./helpers";
import { apiStory, EXTRA, FINANCE, FIN_NUMBERS, financeStory, NUMBERS } from "./story";

type PatentPage = {
  block: { number: number; hash: string };
  items: PatentView[];
  next: string | null;
  scan: { driver: string; examined: number; limit: number; complete: boolean };
};

/** Every page of a search, following `next`. */
async function allPages(app: Express, query: string): Promise<PatentPage[]> {
  const pages: PatentPage[] = [];
  let cursor: string | null = null;
  do {
    const url: string = `/v1/patents?${query}${cursor ? `&cursor=${cursor}` : ""}`;
    const page = (await request(app).get(url).expect(200)).body as PatentPage;
    pages.push(page);
    cursor = page.next;
  } while (cursor !== null && pages.length < 100);
  return pages;
}

const numbersOf = (pages: PatentPage[]) => pages.flatMap((p) => p.items.map((i) => i.number));

describe("exchange API", () => {
  let g: IndexedGateway;
  let scu: string;
  let uestc: string;
  let rongxin: string;

  before(async () => {
    g = await indexedGateway(apiStory);
    // The index keeps addresses in lower case.
    scu = (await g.ledger.parties.scu.getAddress()).toLowerCase();
    uestc = (await g.ledger.parties.uestc.getAddress()).toLowerCase();
    rongxin = (await g.ledger.parties.rongxin.getAddress()).toLowerCase();
  });

  after(async () => {
    await g?.close();
  });

  describe("GET /v1/patents", () => {
    it("pages through every patent in number order with the indexed block on each page", async () => {
      const pages = await allPages(g.app, "limit=50");
      const numbers = numbersOf(pages);
      expect(numbers).to.have.length(EXTRA + 4);
      expect(new Set(numbers).size).to.equal(numbers.length);
      const ids = pages.flatMap((p) => p.items.map((i) => BigInt(i.id)));
      expect(ids).to.deep.equal([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      const indexed = g.indexer.status().indexed!;
      for (const page of pages) {
        expect(page.block).to.deep.equal({ number: indexed.number, hash: indexed.hash });
        expect(page.scan).to.include({ driver: "all", complete: true });
      }
      expect(pages.at(-1)!.next).to.equal(null);
    });

    it("walks backwards with order=desc", async () => {
      const asc = numbersOf(await allPages(g.app, "limit=40"));
      const desc = numbersOf(await allPages(g.app, "limit=40&order=desc"));
      expect(desc).to.deep.equal([...asc].reverse());
    });

    it("filters by owner through the owner index", async () => {
      const res = await request(g.app).get(`/v1/patents?owner=${rongxin}`).expect(200);
      expect(res.body.items.map((p: PatentView) => p.number)).to.deep.equal([NUMBERS.moved]);
      expect(res.body.scan.driver).to.equal("owner");
      const scuOnly = await request(g.app).get(`/v1/patents?owner=${scu.toLowerCase()}`).expect(200);
      expect(scuOnly.body.items.map((p: PatentView) => p.number)).to.deep.equal([NUMBERS.refused]);
    });

    it("filters by IPC prefix, listing a patent with several matching codes once across pages", async () => {
      const pages = await allPages(g.app, "ipc=H01M&limit=1");
      expect(numbersOf(pages).sort()).to.deep.equal([NUMBERS.moved, NUMBERS.cancelled].sort());
      expect(pages[0]!.scan.driver).to.equal("ipc");
      const group = await request(g.app).get("/v1/patents?ipc=H01M%2010/05").expect(200);
      expect(group.body.items.map((p: PatentView) => p.number).sort()).to.deep.equal([NUMBERS.moved, NUMBERS.cancelled].sort());
      const medicine = numbersOf(await allPages(g.app, "ipc=A61K"));
      expect(medicine).to.have.length(EXTRA / 6);
    });

    it("filters by status and kind", async () => {
      const res = await request(g.app).get("/v1/patents?status=UnderInvalidation").expect(200);
      expect(res.body.items.map((p: PatentView) => p.number)).to.deep.equal([NUMBERS.design]);
      expect(res.body.items[0].status).to.equal("UnderInvalidation");
      const designs = await request(g.app).get("/v1/patents?kind=Design").expect(200);
      expect(designs.body.items.map((p: PatentView) => p.number)).to.deep.equal([NUMBERS.design]);
      const utility = numbersOf(await allPages(g.app, "kind=UtilityModel"));
      expect(utility).to.have.length(EXTRA / 10);
    });

    it("combines filters: the smallest index drives, the rest are checked on each entry", async () => {
      const res = await request(g.app).get(`/v1/patents?owner=${uestc}&ipc=A61K&readiness=1-3&willing=true&mode=licence&limit=200`).expect(200);
      expect(res.body.scan.driver).to.equal("ipc");
      for (const p of res.body.items as PatentView[]) {
        expect(p.owner).to.equal(uestc);
        expect(p.ipc[0]).to.match(/^A61K/);
        expect(p.inventory.readiness).to.be.within(1, 3);
        expect(p.inventory.willing).to.equal(true);
        expect(p.inventory.modeNames).to.include("licence");
      }
      expect(res.body.items.length).to.be.greaterThan(0);
    });

    it("finds a keyword in the title", async () => {
      const res = await request(g.app).get(`/v1/patents?q=${encodeURIComponent("白酒")}&limit=200`).expect(200);
      expect(res.body.items).to.have.length(EXTRA / 6);
      for (const p of res.body.items as PatentView[]) expect(p.title).to.include("白酒");
    });

    it("lists dormant patents: valid, granted over five years ago, no transfer, licence, pledge or equity", async () => {
      const res = await request(g.app).get("/v1/patents?dormant=true").expect(200);
      expect(res.body.items.map((p: PatentView) => p.number).sort()).to.deep.equal([NUMBERS.refused, NUMBERS.cancelled].sort());
      expect(res.body.scan.driver).to.equal("status");
    });

    it("answers a partial page with complete=false when the scan limit ends it, and continues from next", async () => {
      const app = g.appWith({ SEARCH_SCAN_LIMIT: "100" });
      const first = (await request(app).get("/v1/patents?q=nowhere").expect(200)).body as PatentPage;
      expect(first.items).to.deep.equal([]);
      expect(first.scan).to.deep.equal({ driver: "all", examined: 100, limit: 100, complete: false });
      expect(first.next).to.be.a("string");
      const second = (await request(app).get(`/v1/patents?q=nowhere&cursor=${first.next}`).expect(200)).body as PatentPage;
      expect(second.scan).to.deep.equal({ driver: "all", examined: EXTRA + 4 - 100, limit: 100, complete: true });
      expect(second.next).to.equal(null);
    });

    const bad: [string, string, string][] = [
      ["an IPC code that is not one", "ipc=Z99", "BAD_REQUEST"],
      ["an owner that is not an address", "owner=0x1234", "BAD_REQUEST"],
      ["an unknown status", "status=Sleeping", "BAD_REQUEST"],
      ["a readiness outside 1-9", "readiness=0", "BAD_REQUEST"],
      ["a limit of 0", "limit=0", "BAD_REQUEST"],
      ["a limit over 200", "limit=201", "BAD_REQUEST"],
      ["a boolean that is not one", "dormant=yes", "BAD_REQUEST"],
      ["an unknown parameter", "colour=red", "BAD_REQUEST"],
      ["a cursor that is not base64url", "cursor=a%2Bb", "BAD_REQUEST"],
      ["a cursor of another query", `cursor=${Buffer.from("ix/owner/00/1").toString("base64url")}`, "INVALID_CURSOR"],
      ["a cursor that does not round-trip", "cursor=A", "INVALID_CURSOR"],
    ];
    for (const [what, query, code] of bad) {
      it(`answers 400 ${code} for ${what}`, async () => {
        const res = await request(g.app).get(`/v1/patents?${query}`).expect(400);
        expect(errorOf(res).code).to.equal(code);
      });
    }

    it("answers 400 INVALID_CURSOR for an owner cursor used on an IPC query", async () => {
      const first = (await request(g.app).get(`/v1/patents?owner=${uestc}&limit=1`).expect(200)).body as PatentPage;
      const res = await request(g.app).get(`/v1/patents?ipc=H&cursor=${first.next}`).expect(400);
      expect(errorOf(res).code).to.equal("INVALID_CURSOR");
    });
  });

  describe("GET /v1/patents/{number}", () => {
    it("answers the dossier: owner, dates, inventory, transfers, evaluations and implementation", async () => {
      const res = await request(g.app).get(`/v1/patents/${NUMBERS.moved}`).expect(200);
      const body = res.body;
      expect(body.block.number).to.equal(g.indexer.status().indexed!.number);
      expect(body.patent).to.include({ id: SCENARIO.moved.toString(), number: NUMBERS.moved, owner: rongxin, holder: scu, kind: "Invention", status: "Valid" });
      expect(body.patent).to.include({ filingDate: "2019-03-15", grantDate: "2021-06-30", expiryDate: "2039-03-15" });
      expect(body.patent.inventory).to.include({ readiness: 7, modes: 1 });
      expect(body.patent.inventory.modeNames).to.deep.equal(["transfer"]);
      expect(body.inForce).to.equal(true);
      expect(body.implementation).to.deep.equal({ transfer: true, licence: false, pledge: false, equity: false, any: true });
      expect(body.dormant).to.equal(false);
      expect(body.pendingTransfer).to.equal(null);
      expect(body.transfers).to.have.length(1);
      expect(body.transfers[0]).to.include({ status: "Registered", cnipaReference: "CNIPA-2026-0001", from: scu, to: rongxin });
      expect(body.evaluations).to.have.length(1);
      expect(body.evaluations[0]).to.include({ interest: 80, improvementNeed: 20, cooperationWillingness: 90 });
      expect(body.licences).to.deep.equal({ total: 0, inForce: 0, items: [], more: false });
      expect(body.openLicence).to.equal(null);
      expect(body.pledges).to.deep.equal({ items: [], more: false });
      expect(body.valuations).to.deep.equal({ latest: null, count: 0 });
      expect(body.equityDeals).to.deep.equal({ items: [], more: false });
    });

    it("accepts the number with or without ZL, dot and check digit", async () => {
      const digits = SCENARIO.refused.toString();
      const check = NUMBERS.refused.slice(-1);
      for (const form of [NUMBERS.refused, `${digits}.${check}`, `${digits}${check}`, digits, `zl${digits}.${check}`]) {
        const res = await request(g.app).get(`/v1/patents/${form}`).expect(200);
        expect(res.body.patent.number).to.equal(NUMBERS.refused);
        expect(res.body.dormant).to.equal(true);
      }
    });

    it("answers 400 INVALID_PATENT_NUMBER for a wrong check digit", async () => {
      const wrong = `${NUMBERS.moved.slice(0, -1)}${(Number(NUMBERS.moved.slice(-1)) + 1) % 10}`;
      const res = await request(g.app).get(`/v1/patents/${wrong}`).expect(400);
      expect(errorOf(res).code).to.equal("INVALID_PATENT_NUMBER");
      expect(errorOf(res).message).to.include("check digit");
      expect(errorOf(res).details).to.deep.equal([{ path: "number", message: errorOf(res).message }]);
    });

    it("answers 400 INVALID_PATENT_NUMBER for text that is no number", async () => {
      const res = await request(g.app).get("/v1/patents/not-a-patent").expect(400);
      expect(errorOf(res).code).to.equal("INVALID_PATENT_NUMBER");
    });

    it("answers 404 PATENT_NOT_FOUND for a valid number nobody registered", async () => {
      const number = formatCnipaNumber(202410999999n);
      const res = await request(g.app).get(`/v1/patents/${number}`).expect(404);
      expect(res.body).to.deep.equal({
        error: { code: "PATENT_NOT_FOUND", message: `${number} is not registered on the ledger`, details: { number } },
      });
    });
  });

  describe("GET /v1/patents/{number}/timeline", () => {
    it("answers every event about the patent in chain order, paged", async () => {
      const all = (await request(g.app).get(`/v1/patents/${NUMBERS.moved}/timeline?limit=200`).expect(200)).body;
      const events = all.items.map((e: { event: string }) => e.event);
      expect(events[0]).to.equal("Transfer");
      expect(events).to.include.members(["PatentRegistered", "InventoryUpdated", "MarketEvaluated", "TransferProposed", "TransferRegistered"]);
      const points = all.items.map((e: { block: number; logIndex: number }) => e.block * 1e6 + e.logIndex);
      expect(points).to.deep.equal([...points].sort((a: number, b: number) => a - b));
      expect(all.patent).to.deep.equal({ id: SCENARIO.moved.toString(), number: NUMBERS.moved });
      const first = (await request(g.app).get(`/v1/patents/${NUMBERS.moved}/timeline?limit=3`).expect(200)).body;
      expect(first.items).to.deep.equal(all.items.slice(0, 3));
      const second = (await request(g.app).get(`/v1/patents/${NUMBERS.moved}/timeline?limit=3&cursor=${first.next}`).expect(200)).body;
      expect(second.items).to.deep.equal(all.items.slice(3, 6));
    });

    it("answers 400 INVALID_CURSOR for a cursor of another patent", async () => {
      const first = (await request(g.app).get(`/v1/patents/${NUMBERS.moved}/timeline?limit=1`).expect(200)).body;
      const res = await request(g.app).get(`/v1/patents/${NUMBERS.refused}/timeline?cursor=${first.next}`).expect(400);
      expect(errorOf(res).code).to.equal("INVALID_CURSOR");
    });

    it("answers 404 PATENT_NOT_FOUND and 400 INVALID_PATENT_NUMBER", async () => {
      expect(errorOf(await request(g.app).get(`/v1/patents/${formatCnipaNumber(202410999999n)}/timeline`).expect(404)).code).to.equal("PATENT_NOT_FOUND");
      expect(errorOf(await request(g.app).get("/v1/patents/ZL2021/timeline").expect(400)).code).to.equal("INVALID_PATENT_NUMBER");
    });
  });

  describe("without an index", () => {
    it("answers 503 INDEX_UNAVAILABLE", async () => {
      const { createApp } = await import("../../server/api/app");
      const app = createApp({ ...g.ctx, index: undefined });
      for (const path of ["/v1/patents", `/v1/patents/${NUMBERS.moved}`, `/v1/patents/${NUMBERS.moved}/timeline`, "/v1/stats"]) {
        expect(errorOf(await request(app).get(path).expect(503)).code).to.equal("INDEX_UNAVAILABLE");
      }
    });
  });
});

describe("exchange API: the dossier's rights", () => {
  let g: IndexedGateway;

  before(async () => {
    g = await indexedGateway(financeStory);
  });

  after(async () => {
    await g?.close();
  });

  it("lists licences active and ended, the valuation and the implementation by licence", async () => {
    const body = (await request(g.app).get(`/v1/patents/${FIN_NUMBERS.licensed}`).expect(200)).body;
    expect(body.licences.total).to.equal(2);
    expect(body.licences.inForce).to.equal(0);
    expect(body.licences.items.map((l: { id: string; status: string }) => [l.id, l.status])).to.deep.equal([
      ["1", "Terminated"],
      ["2", "Revoked"],
    ]);
    expect(body.licences.items[0].ended.reason).to.equal("被许可人违约");
    expect(body.valuations.count).to.equal(1);
    expect(body.valuations.latest).to.include({ amount: "300000000", currency: "CNY" });
    expect(body.implementation.licence).to.equal(true);
  });

  it("shows the registered portfolio pledge with this patent's state, and the licence in force", async () => {
    const body = (await request(g.app).get(`/v1/patents/${FIN_NUMBERS.exclusive}`).expect(200)).body;
    expect(body.pledges.items).to.have.length(1);
    expect(body.pledges.items[0]).to.include({ id: "2", status: "Registered", patentStatus: "Pledged", portfolio: true, securedAmount: "500000000" });
    expect(body.licences).to.include({ total: 1, inForce: 1 });
    expect(body.licences.items[0]).to.include({ kind: "Exclusive", status: "Active" });
    expect(body.valuations.count).to.equal(2);
    const sold = (await request(g.app).get(`/v1/patents/${formatCnipaNumber(STORY.pledgedSold)}`).expect(200)).body;
    expect(sold.pledges.items[0]).to.include({ id: "1", status: "Released", patentStatus: "Left" });
  });

  it("shows the open-licence declaration and the equity deals", async () => {
    const open = (await request(g.app).get(`/v1/patents/${FIN_NUMBERS.open}`).expect(200)).body;
    expect(open.openLicence).to.include({ declared: true, taken: 0 });
    const withdrawn = (await request(g.app).get(`/v1/patents/${formatCnipaNumber(STORY.open)}`).expect(200)).body;
    expect(withdrawn.openLicence).to.include({ declared: false, taken: 1 });
    expect(withdrawn.openLicence.withdrawnAt.txHash).to.match(/^0x[0-9a-f]{64}$/);
    const deal = (await request(g.app).get(`/v1/patents/${FIN_NUMBERS.deal}`).expect(200)).body;
    expect(deal.equityDeals.items.map((d: { id: string; status: string }) => [d.id, d.status])).to.deep.equal([["2", "Proposed"]]);
    expect(deal.equityDeals.items[0].patents[0].patentId).to.equal(FINANCE.deal.toString());
    const executed = (await request(g.app).get(`/v1/patents/${FIN_NUMBERS.contributed}`).expect(200)).body;
    expect(executed.equityDeals.items[0]).to.include({ id: "1", status: "Executed" });
  });
});
