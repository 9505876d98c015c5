import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployFixture, patentRecord } from "../helpers/fixtures";
import { runCliOn, type Run } from "./helpers";
import { demoWallet } from "../../server/chain/accounts";
import { formatCnipaNumber } from "../../server/chain/cnipa";

async function cli(f: Awaited<ReturnType<typeof deployFixture>>, ...argv: string[]): Promise<Run> {
  return runCliOn(f, ...argv);
}

async function registered(f: Awaited<ReturnType<typeof deployFixture>>, serial: number): Promise<string> {
  const record = patentRecord(f.uniA.address, serial);
  await f.registry.connect(f.registrar).register(record);
  return formatCnipaNumber(BigInt(record.number));
}

describe("tianfu CLI", () => {
  describe("patent", () => {
    it("prints the on-chain dossier", async () => {
      const f = await loadFixture(deployFixture);
      const number = await registered(f, 11);
      const run = await cli(f, "patent", number);
      expect(run.code).to.equal(0);
      expect(run.out[0]).to.equal(`${number}  invention  valid`);
      expect(run.out).to.include(`  owner       ${f.uniA.address} (scu 四川大学)`);
      expect(run.out).to.include("  ipc         H01M 4/525; H01M 10/0525");
      expect(run.out).to.include("  expires     2039-03-15");
    });

    it("prints JSON with --json", async () => {
      const f = await loadFixture(deployFixture);
      const number = await registered(f, 12);
      const run = await cli(f, "patent", number, "--json");
      const json = JSON.parse(run.out.join("\n")) as { number: string; owner: string; kind: string; locks: string[] };
      expect(json).to.deep.include({ number, owner: f.uniA.address, kind: "invention", locks: [] });
    });

    it("reports an unknown patent as the decoded custom error, exit code 1", async () => {
      const f = await loadFixture(deployFixture);
      const run = await cli(f, "patent", "ZL202110234567.5");
      expect(run.code).to.equal(1);
      expect(run.err).to.deep.equal(["error: PatentRegistryUnknownPatent(patentId=202110234567)"]);
    });

    it("refuses a malformed number before asking the chain", async () => {
      const f = await loadFixture(deployFixture);
      const run = await cli(f, "patent", "ZL202110234567.8");
      expect(run.code).to.equal(1);
      expect(run.err).to.deep.equal(['error: invalid CNIPA number "ZL202110234567.8": check digit is 8, expected 5']);
    });
  });

  describe("status", () => {
    it("reports a refusal by the access manager with a hint", async () => {
      const f = await loadFixture(deployFixture);
      const number = await registered(f, 13);
      const run = await cli(f, "status", number, "lapsed", "--reason", "annual fee unpaid", "--as", "stranger");
      expect(run.code).to.equal(1);
      expect(run.err[0]).to.equal(`error: AccessManagedUnauthorized(caller=${f.stranger.address})`);
      expect(run.err[1]).to.match(/^hint: the signing account does not hold the role/);
    });

    it("records a status change by the registrar", async () => {
      const f = await loadFixture(deployFixture);
      const number = await registered(f, 14);
      const run = await cli(f, "--as", "registrar", "status", number, "frozen", "--reason", "(2026)川01执保123号");
      expect(run.code).to.equal(0);
      expect(run.out[0]).to.match(new RegExp(`^${number.replace(".", "\\.")} is now frozen: tx 0x[0-9a-f]{64}`));
      expect((await cli(f, "patent", number)).out[0]).to.equal(`${number}  invention  frozen`);
    });

    it("asks for a signer when none is given", async () => {
      const f = await loadFixture(deployFixture);
      const number = await registered(f, 15);
      const run = await cli(f, "status", number, "lapsed", "--reason", "fee");
      expect(run.code).to.equal(1);
      expect(run.err).to.deep.equal(["error: this command signs a transaction: pass --as <demo account> or set PRIVATE_KEY"]);
    });
  });

  describe("register", () => {
    it("registers a patent from flags", async () => {
      const f = await loadFixture(deployFixture);
      const run = await cli(
        f, "register", "--as", "registrar",
        "--number", "ZL201910123456.X", "--title", "一种锂离子电池高镍三元正极材料", "--ipc", "H01M 4/525,H01M 10/0525",
        "--filing", "2019-03-12", "--grant", "2021-06-18", "--holder", "scu", "--readiness", "6",
        "--modes", "transfer,licence", "--scenarios", "newEnergy",
      );
      expect(run.err).to.deep.equal([]);
      expect(run.code).to.equal(0);
      expect(await f.registry.ownerOf(201910123456n)).to.equal(demoWallet("scu").address);
    });

    it("refuses a record that fails the checks, naming every problem", async () => {
      const f = await loadFixture(deployFixture);
      const run = await cli(
        f, "register", "--as", "registrar",
        "--number", "ZL201910123456.X", "--title", "x", "--ipc", "H01M4",
        "--filing", "2020-03-12", "--grant", "2021-06-18", "--holder", "scu", "--readiness", "12",
      );
      expect(run.code).to.equal(1);
      expect(run.err).to.deep.equal([
        'error: refused before sending: ipc: "H01M4": the main group must be 1-4 digits followed by "/"; readiness: 12 is outside 1-9; ' +
          "filing_date 2020-03-12 is not in 2019, the year of application number 201910123456",
      ]);
    });
  });

  describe("transfer", () => {
    it("proposes, accepts and registers a transfer", async () => {
      const f = await loadFixture(deployFixture);
      const number = await registered(f, 16);
      const proposed = await cli(f, "transfer", "propose", number, "--to", "rongxin", "--as", "scu");
      expect(proposed.out[0]).to.match(/^transfer #1 of .* proposed/);
      expect((await cli(f, "transfer", "accept", "1", "--as", "rongxin")).code).to.equal(0);
      const shown = await cli(f, "patent", number);
      expect(shown.out.find((l) => l.startsWith("  locks"))).to.equal("  locks       transfer-pending");
      const reg = await cli(f, "transfer", "register", "1", "--reference", "2026110012345", "--as", "registrar");
      expect(reg.code).to.equal(0);
      expect(await f.registry.ownerOf(BigInt(number.slice(2, 14)))).to.equal(demoWallet("rongxin").address);
    });

    it("shows the decoded error when the buyer is not the one accepting", async () => {
      const f = await loadFixture(deployFixture);
      const number = await registered(f, 17);
      await cli(f, "transfer", "propose", number, "--to", "rongxin", "--as", "scu");
      const run = await cli(f, "transfer", "accept", "1", "--as", "yuzhi");
      expect(run.code).to.equal(1);
      expect(run.err).to.deep.equal([`error: PatentRegistryNotParty(transferId=1, caller=${demoWallet("yuzhi").address})`]);
    });
  });

  describe("import", () => {
    it("prints each bad row as `line N: reason` and exits non-zero", async () => {
      const f = await loadFixture(deployFixture);
      const dir = mkdtempSync(path.join(tmpdir(), "tianfu-cli-"));
      const file = path.join(dir, "inv.csv");
      writeFileSync(
        file,
        [
          "number,title,ipc,filing_date,grant_date,holder,readiness,willing,modes,self_score,unit_score,scenarios,dossier_hash",
          "ZL201910123456.X,一种正极材料,H01M 4/525,2019-03-12,2021-06-18,scu,6,yes,transfer,82,78,newEnergy,",
          "ZL201910123456.3,bad,H01M 4/525,2019-03-12,2021-06-18,scu,6,yes,transfer,82,78,,",
          "",
        ].join("\n"),
      );
      const run = await cli(f, "import", file, "--as", "registrar");
      expect(run.code).to.equal(2);
      expect(run.err).to.deep.equal(['line 3: number: "ZL201910123456.3": check digit is 3, expected X', "1 good row(s), 1 bad row(s)"]);
      expect(run.out[0]).to.match(/^registered 1, already registered 0, bad 1 \(1 transaction\(s\), gas \d+\)$/);
      const again = await cli(f, "import", file, "--as", "registrar");
      expect(again.out[0]).to.equal("registered 0, already registered 1, bad 1");
    });
  });

  it("reports an unknown command with exit code 1", async () => {
    const f = await loadFixture(deployFixture);
    const run = await cli(f, "mortgage");
    expect(run.code).to.equal(1);
    expect(run.err[0]).to.match(/unknown command 'mortgage'/);
  });
});
