import { expect } from "chai";
import request from "supertest";
import { ipcSpecificity, loadConcordance, normaliseIndustryCode } from "../../server/api/concordance";
import { errorOf, indexedGateway, type IndexedGateway } from "./helpers";
import { apiStory, EXTRA } from "./story";

type MatchItem = { patent: { number: string; ipc: string[]; inventory: { readiness: number; willing: boolean } }; score: number; relevance: number; matched: { code: string; interest: string; via: string } };

describe("matching", () => {
  describe("the IPC-to-industry concordance", () => {
    const c = loadConcordance();

    it("covers every IPC section", () => {
      const sections = new Set(c.rows.filter((r) => r.specificity === 1).map((r) => r.ipc));
      expect([...sections].sort()).to.deep.equal(["A", "B", "C", "D", "E", "F", "G", "H"]);
    });

    it("maps classes or finer prefixes into each of Sichuan's six priority industries", () => {
      expect(c.data.priorityIndustries.map((p) => p.id)).to.deep.equal([
        "electronic-information",
        "equipment-manufacturing",
        "food-light-industry",
        "advanced-materials",
        "energy-chemicals",
        "medicine-health",
      ]);
      for (const p of c.data.priorityIndustries) {
        const rows = c.rows.filter((r) => r.specificity >= 2 && r.industries.some((code) => p.industries.some((w) => code.startsWith(w))));
        expect(rows.length, p.id).to.be.at.least(8);
      }
    });

    it("names every industry code it uses", () => {
      for (const r of c.rows) for (const code of r.industries) expect(c.nameOf(code), code).to.be.a("string");
    });

    it("reads industry codes with or without their section letter", () => {
      expect(normaliseIndustryCode("3973")).to.equal("C3973");
      expect(normaliseIndustryCode("c39")).to.equal("C39");
      expect(normaliseIndustryCode("65")).to.equal("I65");
      expect(normaliseIndustryCode("Q")).to.equal("Q");
      expect(normaliseIndustryCode("I39")).to.equal(undefined);
      expect(normaliseIndustryCode("99")).to.equal(undefined);
      expect(ipcSpecificity("H")).to.equal(1);
      expect(ipcSpecificity("H01")).to.equal(2);
      expect(ipcSpecificity("H01M")).to.equal(3);
      expect(ipcSpecificity("H01M 10")).to.equal(4);
      expect(ipcSpecificity("H01M 10/05")).to.equal(5);
    });
  });

  describe("GET /v1/match", () => {
    let g: IndexedGateway;

    before(async () => {
      g = await indexedGateway(apiStory);
    });

    after(async () => {
      await g?.close();
    });

    it("ranks patents for a priority industry through the concordance, most specific match and readiest first", async () => {
      const res = await request(g.app).get("/v1/match?industry=medicine-health&limit=100").expect(200);
      expect(res.body.block.number).to.equal(g.indexer.status().indexed!.number);
      expect(res.body.industries.map((i: { code: string }) => i.code)).to.deep.equal(["C27", "C358", "Q84"]);
      const items = res.body.items as MatchItem[];
      expect(items).to.have.length(EXTRA / 6);
      for (const item of items) {
        expect(item.patent.ipc[0]).to.match(/^A61K 36/);
        expect(item.matched).to.deep.include({ interest: "A61K 36", code: "A61K 36/185" });
        expect(item.relevance).to.equal(4);
      }
      const scores = items.map((i) => i.score);
      expect(scores).to.deep.equal([...scores].sort((a, b) => b - a));
      expect(items[0]!.patent.inventory.readiness).to.be.greaterThan(items.at(-1)!.patent.inventory.readiness);
    });

    it("ranks by a GB/T 4754 class code given with or without its section letter", async () => {
      const a = await request(g.app).get("/v1/match?industry=C1512").expect(200);
      const b = await request(g.app).get("/v1/match?industry=1512").expect(200);
      expect(a.body.items).to.deep.equal(b.body.items);
      expect(a.body.industries).to.deep.equal([{ code: "C1512", name: "白酒制造" }]);
      for (const item of a.body.items as MatchItem[]) expect(item.patent.ipc[0]).to.match(/^C12G/);
    });

    it("ranks by an IPC prefix, preferring the mode asked", async () => {
      const plain = (await request(g.app).get("/v1/match?ipc=B25J&limit=100").expect(200)).body.items as MatchItem[];
      expect(plain).to.have.length(EXTRA / 6);
      const scoreOf = (items: MatchItem[], n: string) => items.find((i) => i.patent.number === n)!.score;
      // The story's robot patents prefer licences, none equity.
      const licence = (await request(g.app).get("/v1/match?ipc=B25J&mode=licence&limit=100").expect(200)).body.items as MatchItem[];
      const equity = (await request(g.app).get("/v1/match?ipc=B25J&mode=equity&limit=100").expect(200)).body.items as MatchItem[];
      for (const i of plain) {
        expect(scoreOf(licence, i.patent.number)).to.be.closeTo(i.score + 0.5, 1e-9);
        expect(scoreOf(equity, i.patent.number)).to.equal(i.score);
      }
    });

    it("answers only valid patents", async () => {
      const res = await request(g.app).get("/v1/match?ipc=D&limit=100").expect(200);
      expect(res.body.items).to.deep.equal([]);
    });

    const bad: [string, string][] = [
      ["neither industry nor ipc", ""],
      ["an unknown industry", "industry=Z99"],
      ["a division that does not exist", "industry=C99"],
      ["an IPC prefix that is not one", "ipc=H0"],
      ["a limit over 100", "ipc=H&limit=101"],
      ["an unknown mode", "ipc=H&mode=barter"],
    ];
    for (const [what, query] of bad) {
      it(`answers 400 BAD_REQUEST for ${what}`, async () => {
        const res = await request(g.app).get(`/v1/match?${query}`).expect(400);
        expect(errorOf(res).code).to.equal("BAD_REQUEST");
      });
    }
  });
});
