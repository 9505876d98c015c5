import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployFixture } from "../helpers/fixtures";
import { clientFor } from "./helpers";
import {
  defaultDossierHash,
  importInventory,
  InventoryFileError,
  LedgerError,
  readInventoryFile,
  validateInventoryCsv,
  type ImportProgress,
} from "../../server/client";
import { demoWallet } from "../../server/chain/accounts";
import { makeCnipaNumber } from "../../server/chain/cnipa";

const HEADER = "number,title,ipc,filing_date,grant_date,holder,readiness,willing,modes,self_score,unit_score,scenarios,dossier_hash";

/** Five good rows (lines 2, 3, 6, 7 and 16) among bad ones; line 10-11 is one row with a two-line title. */
const MIXED = `${HEADER}
ZL201910123456.X,一种锂离子电池高镍三元正极材料及其制备方法,H01M 4/525;H01M10/0525,2019-03-12,2021-06-18,scu,6,yes,transfer|licence,82,78,newEnergy|newMaterials,
ZL202011587342.X,一种基于深度学习的射频信号调制识别方法,G06N 3/08,2020-11-05,2022-08-23,uestc,5,yes,licence|equity,75,70,人工智能,
ZL201910123456.3,check digit wrong,H01M 4/525,2019-03-12,2021-06-18,scu,6,yes,transfer,82,78,,
ZL201940123456.1,kind digit wrong,H01M 4/525,2019-03-12,2021-06-18,scu,6,yes,transfer,82,78,,
ZL201810421903.5,一种高速列车受电弓主动控制方法,B60L 5/28,2018-05-21,2020-09-15,swjtu,7,yes,transfer|licence,80,85,railTransit,
ZL201880012345.5,一种氮化镓高电子迁移率晶体管,H01L 29/778,2017-12-19,2021-11-30,uestc,6,no,,60,,integratedCircuits,

ZL201911062718.2,dates out of order,A61K 36/9066,2019-10-30,2019-03-04,scu,4,yes,licence,70,65,,
"ZL202122214587.4","一种放射性废水
处理装置",G21F 9/12,2021-09-14,2022-02-25,swust,10,yes,transfer,101,72,,
ZL201711190452.0,bad ipc,C08G 64/3;Z01M 1/00,2017-11-28,2020-04-10,cioc,7,yes,transfer,88,90,,
ZL201910123456.X,duplicate,H01M 4/525,2019-03-12,2021-06-18,scu,6,yes,transfer,82,78,,
ZL202011587349.1,filing year wrong,G06N 3/08,2019-11-05,2022-08-23,uestc,5,yes,licence,75,70,,
ZL201610834217.1,future grant,C07D 207/16,2016-09-20,2099-05-07,cioc,5,yes,licence,72,74,,
ZL202211453390.9,一种毫米波宽角扫描相控阵天线,H01Q 21/00;H01Q 3/26,2022-11-11,2024-07-02,0x8626f6940E2eb28930eFb4CeF49B2d1F2C9C1199,4,yes,licence,79,76,communications,0x6d1f1c0f3c5a2f8e7b4d9a0e1c2b3a4f5e6d7c8b9a0f1e2d3c4b5a6978695a4b
ZL201610834299.9,too few columns
`;

function tempCsv(name: string, text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "tianfu-inv-")), name);
  writeFileSync(file, text);
  return file;
}

/** n good rows of one university: inventions of 2020, serials 3000001.. */
function goodRows(n: number): string {
  const rows = [HEADER];
  for (let i = 1; i <= n; i++) {
    const number = makeCnipaNumber(2020, 1, 3_000_000 + i);
    rows.push(`${number},一种复合材料样品${i},C08K 3/04,2020-04-0${(i % 9) + 1},2022-01-10,scu,5,yes,licence,60,60,newMaterials,`);
  }
  return `${rows.join("\n")}\n`;
}

describe("client inventory import", () => {
  describe("validateInventoryCsv", () => {
    it("reports every bad row with its physical line and reasons", () => {
      const { good, bad } = validateInventoryCsv(MIXED);
      expect(good.map((r) => r.line)).to.deep.equal([2, 3, 6, 7, 16]);
      expect(bad).to.deep.equal([
        { line: 4, number: "ZL201910123456.3", reasons: ['number: "ZL201910123456.3": check digit is 3, expected X'] },
        { line: 5, number: "ZL201940123456.1", reasons: ['number: "ZL201940123456.1": kind digit 4 is not 1, 2, 3, 8 or 9'] },
        { line: 9, number: "ZL201911062718.2", reasons: ["filing_date 2019-10-30 is after grant_date 2019-03-04"] },
        { line: 10, number: "ZL202122214587.4", reasons: ["readiness: 10 is outside 1-9", "self_score: 101 is outside 0-100"] },
        {
          line: 12,
          number: "ZL201711190452.0",
          reasons: ['ipc: "C08G 64/3": the subgroup must be 2-6 digits after "/"', 'ipc: "Z01M 1/00": section Z is not A-H'],
        },
        { line: 13, number: "ZL201910123456.X", reasons: ["number: duplicate of line 2"] },
        {
          line: 14,
          number: "ZL202011587349.1",
          reasons: ["filing_date 2019-11-05 is not in 2020, the year of application number 202011587349"],
        },
        { line: 15, number: "ZL201610834217.1", reasons: ["grant_date 2099-05-07 is in the future"] },
        { line: 17, number: "ZL201610834299.9", reasons: ["expected 13 columns, found 2"] },
      ]);
    });

    it("normalises IPC codes, derives names and resolves demo holders", () => {
      const { good } = validateInventoryCsv(MIXED);
      const first = good[0]!.input;
      expect(first.ipc).to.deep.equal(["H01M 4/525", "H01M 10/0525"]);
      expect(first.holder).to.equal(demoWallet("scu").address);
      expect(first.inventory).to.deep.equal({
        readiness: 6,
        willing: true,
        modes: ["transfer", "licence"],
        selfScore: 82,
        unitScore: 78,
        scenarios: ["newEnergy", "newMaterials"],
      });
      expect(good[1]!.input.inventory.scenarios).to.deep.equal(["artificialIntelligence"]);
      expect(good[3]!.input.inventory).to.include({ willing: false, unitScore: 0 });
    });

    it("accepts a PCT national-phase number whose year is not the filing year", () => {
      const { good } = validateInventoryCsv(MIXED);
      expect(good[3]!.input).to.include({ number: "ZL201880012345.5", filingDate: "2017-12-19" });
    });

    it("refuses a file that is not UTF-8", () => {
      const file = tempCsv("gbk.csv", "");
      writeFileSync(file, Buffer.concat([Buffer.from(`${HEADER}\nZL201910123456.X,`), Buffer.from([0xd2, 0xbb, 0xd6, 0xd6]), Buffer.from("\n")]));
      expect(() => readInventoryFile(file)).to.throw(InventoryFileError, /not valid UTF-8/);
    });

    it("refuses a file whose header lacks a column", () => {
      expect(() => validateInventoryCsv("number,title\nZL201910123456.X,x\n")).to.throw(InventoryFileError, /missing column\(s\) ipc/);
    });
  });

  describe("importInventory", () => {
    it("registers the good rows, reports the bad ones, and registers nothing new when re-run", async () => {
      const f = await loadFixture(deployFixture);
      const client = await clientFor(f, f.registrar);
      const file = tempCsv("mixed.csv", MIXED);

      const first = await importInventory(client, file, { batchSize: 2 });
      expect(first.total).to.equal(5);
      expect(first.registered).to.equal(5);
      expect(first.skipped).to.deep.equal([]);
      expect(first.bad.map((b) => b.line)).to.deep.equal([4, 5, 9, 10, 12, 13, 14, 15, 17]);
      expect(first.transactions).to.have.length(3);
      expect(await f.registry.balanceOf(demoWallet("uestc").address)).to.equal(2n);

      const patent = await client.getPatent("ZL201910123456.X");
      const { good } = validateInventoryCsv(MIXED);
      expect(patent).to.deep.include({ owner: demoWallet("scu").address, kind: "invention", status: "valid", filingDate: "2019-03-12" });
      expect(patent.record).to.deep.include({ title: "一种锂离子电池高镍三元正极材料及其制备方法", ipc: ["H01M 4/525", "H01M 10/0525"] });
      expect(patent.record!.dossierHash).to.equal(defaultDossierHash(good[0]!.input));
      const explicit = await client.getPatent("ZL202211453390.9");
      expect(explicit.record!.dossierHash).to.equal("0x6d1f1c0f3c5a2f8e7b4d9a0e1c2b3a4f5e6d7c8b9a0f1e2d3c4b5a6978695a4b");

      const again = await importInventory(client, file, { batchSize: 2 });
      expect(again.registered).to.equal(0);
      expect(again.transactions).to.deep.equal([]);
      expect(again.skipped.map((s) => [s.line, s.reason])).to.deep.equal([
        [2, "already registered"],
        [3, "already registered"],
        [6, "already registered"],
        [7, "already registered"],
        [16, "already registered"],
      ]);
    });

    it("resumes an interrupted import without duplicates", async () => {
      const f = await loadFixture(deployFixture);
      const client = await clientFor(f, f.registrar);
      const file = tempCsv("many.csv", goodRows(7));

      const seen: ImportProgress[] = [];
      let error: unknown;
      try {
        await importInventory(client, file, {
          batchSize: 3,
          onProgress: (p) => {
            seen.push(p);
            throw new Error("interrupted");
          },
        });
      } catch (err) {
        error = err;
      }
      expect((error as Error).message).to.equal("interrupted");
      expect(seen).to.have.length(1);
      expect(seen[0]).to.deep.include({ done: 3, total: 7, registered: 3, skipped: 0, batch: 3 });
      expect(await f.registry.balanceOf(demoWallet("scu").address)).to.equal(3n);

      const progress: ImportProgress[] = [];
      const resumed = await importInventory(client, file, { batchSize: 3, onProgress: (p) => void progress.push(p) });
      expect(resumed.registered).to.equal(4);
      expect(resumed.skipped.map((s) => s.line)).to.deep.equal([2, 3, 4]);
      // The skipped rows do not shrink the batches: 3 + 1 patents in two transactions.
      expect(resumed.transactions).to.have.length(2);
      expect(progress.map((p) => p.batch)).to.deep.equal([3, 1]);
      expect(await f.registry.balanceOf(demoWallet("scu").address)).to.equal(7n);
    });

    it("names the CSV line of a patent the registry refuses (a concurrent registration)", async () => {
      const f = await loadFixture(deployFixture);
      const client = await clientFor(f, f.registrar);
      const file = tempCsv("race.csv", goodRows(3));
      await importInventory(client, file, { batchSize: 3 });
      // Another registrar got there between the existence check and the batch.
      const blind = { ...client, registeredAmong: async () => new Set<bigint>() };
      let error: unknown;
      try {
        await importInventory(blind, file, { batchSize: 3 });
      } catch (err) {
        error = err;
      }
      const first = makeCnipaNumber(2020, 1, 3_000_001);
      expect(error).to.be.instanceOf(LedgerError);
      expect((error as LedgerError).message).to.equal(
        `PatentRegistryAlreadyRegistered(patentId=${first.slice(2, 14)}) at line 2 (${first})`,
      );
    });

    it("refuses a batch size above the registry's limit", async () => {
      const f = await loadFixture(deployFixture);
      const client = await clientFor(f, f.registrar);
      const file = tempCsv("one.csv", goodRows(1));
      let error: unknown;
      try {
        await importInventory(client, file, { batchSize: 201 });
      } catch (err) {
        error = err;
      }
      expect(error).to.be.instanceOf(RangeError);
    });
  });
});
