import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { deployFixture, patentRecord } from "../helpers/fixtures";
import { fixtureDeployments, runCliOn, type Run } from "./helpers";
import { runCli } from "../../scripts/cli/program";
import { demoWallet } from "../../server/chain/accounts";
import { chinaDayOf, formatCnipaNumber, isoOfDay } from "../../server/chain/cnipa";
import { FIELD_CLASSES, scopeMask, TERRITORIES } from "../../server/chain/licensing";
import { LockBits, Roles } from "../../server/chain/roles";
import { MinimalDisposalAuction__factory } from "../../typechain-types";
import { createLedgerClient } from "../../server/client";

const TX = "tx 0x[0-9a-f]{64} \\(block \\d+, gas \\d+\\)";
const HASH = ethers.id("report");
const address = (name: string) => demoWallet(name).address;

/**
 * The ledger with six patents of scu (serials 31-36), tokens for the licensees and the pledgor, and the
 * minimal disposal auction holding LOCK_DISPOSAL (standing in for the exchange).
 */
async function rightsFixture() {
  const f = await deployFixture();
  const records = [31, 32, 33, 34, 35, 36].map((n) => patentRecord(f.uniA.address, n));
  await f.registry.connect(f.registrar).registerBatch(records);
  const numbers = records.map((r) => formatCnipaNumber(BigInt(r.number)));
  for (const who of [f.companyA, f.companyB, f.uniA, f.uniB]) await f.token.connect(f.admin).mint(who.address, 100_000_000n);
  const auction = await new MinimalDisposalAuction__factory(f.admin).deploy(await f.registry.getAddress(), await f.pledges.getAddress());
  await f.accessManager.connect(f.admin).grantRole(Roles.MODULE, await auction.getAddress(), 0);
  await f.registry.connect(f.admin).setLockModule(LockBits.DISPOSAL, await auction.getAddress());
  return { ...f, numbers, auction };
}
type Fixture = Awaited<ReturnType<typeof rightsFixture>>;

async function cli(f: Fixture, ...argv: string[]): Promise<Run> {
  return runCliOn(f, ...argv);
}

/** Runs and expects success, answering stdout. */
async function ok(f: Fixture, ...argv: string[]): Promise<string[]> {
  const run = await cli(f, ...argv);
  expect(run.err, argv.join(" ")).to.deep.equal([]);
  expect(run.code).to.equal(0);
  return run.out;
}

async function today(): Promise<number> {
  return chinaDayOf(await time.latest());
}

const inDays = async (n: number) => isoOfDay((await today()) + n);

describe("tianfu CLI: rights", () => {
  it("names the contract a deployments file lacks", async () => {
    const f = await loadFixture(rightsFixture);
    const full = await fixtureDeployments(f);
    const { LedgerAccessManager, PatentRegistry } = full.contracts;
    const deployments = { ...full, contracts: { LedgerAccessManager: LedgerAccessManager!, PatentRegistry: PatentRegistry! } };
    const err: string[] = [];
    const code = await runCli(["licence", "show", "1"], {
      out: () => undefined,
      err: (s) => err.push(s),
      env: {},
      connect: async () => createLedgerClient({ runner: ethers.provider, deployments }),
    });
    expect(code).to.equal(1);
    expect(err).to.deep.equal(["error: the deployments file names no Licensing contract"]);
  });

  describe("licence", () => {
    it("grants an exclusive running-royalty licence, shows it, reports revenue and pays with an automatic approval", async () => {
      const f = await loadFixture(rightsFixture);
      const [p] = f.numbers;
      const until = await inDays(365);
      const granted = await ok(f, "licence", "grant", p!, "--as", "scu", "--to", "rongxin", "--kind", "exclusive", "--fields", "C39,I", "--territories", "51,50", "--until", until, "--royalty", "3%");
      expect(granted[0]).to.match(new RegExp(`^licence #1 \\(exclusive\\) of ${p!.replace(".", "\\.")} granted to ${address("rongxin")} \\(rongxin 成都蓉芯微电子有限公司\\): ${TX}$`));
      const licence = await f.licensing.licence(1n);
      expect(licence.scope.fields).to.equal(scopeMask(FIELD_CLASSES, ["C39", "I"]));
      expect(licence.scope.territories).to.equal(scopeMask(TERRITORIES, ["51", "50"]));
      expect(licence.fee.royaltyBps).to.equal(300n);
      expect(licence.token).to.equal(await f.token.getAddress());

      const report = await ok(f, "royalty", "report", "1", "--revenue", "125000.50", "--report-hash", HASH, "--as", "rongxin");
      expect(report[0]).to.match(new RegExp(`^revenue reported on licence #1: royalty due 3750.01 dCNY, owed 3750.01 dCNY: ${TX}$`));
      const paid = await ok(f, "royalty", "pay", "1", "--as", "rongxin");
      expect(paid[0]).to.match(new RegExp(`^approved Royalties for 3750.01 dCNY \\(allowance was short\\): ${TX}$`));
      expect(paid[1]).to.match(new RegExp(`^paid 3750.01 dCNY of royalties on licence #1: ${TX}$`));
      expect(await f.token.balanceOf(f.uniA.address)).to.equal(100_000_000n + 375_001n);

      const shown = await ok(f, "licence", "show", "1");
      expect(shown[0]).to.equal(`licence #1  ${p}  exclusive  active`);
      expect(shown).to.include(`  scope       fields I,C39; territories 50,51; ${isoOfDay(await today())} to ${until} (excl.)`);
      expect(shown).to.include("  paid        3750.01 dCNY in 1 payment(s); owed 0.00 dCNY; revenue reported 125000.50 dCNY");
      const json = JSON.parse((await ok(f, "licence", "show", "1", "--json")).join("\n")) as { kind: string; fee: { royaltyBps: number } };
      expect(json).to.deep.include({ kind: "exclusive" });
      expect(json.fee.royaltyBps).to.equal(300);
      const list = await ok(f, "licence", "list", p!);
      expect(list).to.have.length(1);
      expect(list[0]).to.match(/^#1 {2}.* {2}exclusive {2}active {2}.*running royalty 3% \(300 bps\)/);
    });

    it("refuses an overlapping exclusive grant with LicensingConflict naming the licence, and a hint", async () => {
      const f = await loadFixture(rightsFixture);
      const [p] = f.numbers;
      const until = await inDays(365);
      await ok(f, "licence", "grant", p!, "--as", "scu", "--to", "rongxin", "--kind", "exclusive", "--fields", "C39", "--territories", "51", "--until", until, "--royalty", "300bps");
      const run = await cli(f, "licence", "grant", p!, "--as", "scu", "--to", "yuzhi", "--kind", "non-exclusive", "--fields", "all", "--territories", "china", "--until", until, "--lump-sum", "1000");
      expect(run.code).to.equal(1);
      const l = await f.licensing.licence(1n);
      expect(run.err[0]).to.equal(
        `error: LicensingConflict(licenceId=1, kind=Exclusive(0), startDay=${l.scope.startDay}, endDay=${l.scope.endDay}, fields=${l.scope.fields}, territories=${l.scope.territories})`,
      );
      expect(run.err[1]).to.match(/^hint: an exclusive or sole licence may not overlap another/);
    });

    it("refuses bad input before sending, naming the option and the value", async () => {
      const f = await loadFixture(rightsFixture);
      const [p] = f.numbers;
      const base = ["licence", "grant", p!, "--as", "scu", "--to", "yuzhi", "--kind", "sole", "--fields", "all", "--territories", "china", "--until", "2030-01-01"];
      expect((await cli(f, ...base, "--lump-sum", "1.234")).err).to.deep.equal(['error: --lump-sum "1.234": at most 2 decimals (fen)']);
      expect((await cli(f, ...base, "--royalty", "3")).err).to.deep.equal(['error: --royalty "3": give the unit: a percentage such as "3%" or basis points such as "300bps"']);
      expect((await cli(f, ...base, "--lump-sum", "10", "--royalty", "3%")).err[0]).to.match(/^error: give exactly one fee/);
      expect((await cli(f, ...base.map((a) => (a === "china" ? "sichuan" : a)), "--lump-sum", "10")).err[0]).to.match(/^error: --territories "sichuan": unknown territory sichuan/);
      expect((await cli(f, ...base, "--use-first-pay-later", "10", "--trigger", "payday")).err).to.deep.equal([
        'error: --trigger "payday": not one of revenue-reported, product-launched',
      ]);
      const badKind = await cli(f, ...base.map((a) => (a === "sole" ? "monopoly" : a)), "--lump-sum", "10");
      expect(badKind.code).to.equal(1);
      expect(badKind.err[0]).to.match(/option '--kind <kind>' argument 'monopoly' is invalid/);
      expect(await f.licensing.licenceCount()).to.equal(0n);
    });

    it("pays a lump sum, files, sublicenses and terminates (revoking the sublicence)", async () => {
      const f = await loadFixture(rightsFixture);
      const [, p] = f.numbers;
      await ok(f, "licence", "grant", p!, "--as", "scu", "--to", "yuzhi", "--kind", "non-exclusive", "--fields", "all", "--territories", "china", "--until", "expiry", "--lump-sum", "200,000", "--sublicensable");
      const fee = await ok(f, "royalty", "pay-fee", "1", "--as", "yuzhi");
      expect(fee[0]).to.match(/^approved Royalties for 200000.00 dCNY/);
      expect(fee[1]).to.match(/^paid the fee of 200000.00 dCNY on licence #1/);
      const filed = await ok(f, "licence", "file", "1", "--reference", "2026990000123", "--as", "registrar");
      expect(filed[0]).to.match(new RegExp(`^licence #1 filed as 2026990000123 on ${isoOfDay(await today())}: ${TX}$`));
      const sub = await ok(f, "licence", "sublicence", "1", "--as", "yuzhi", "--to", "rongxin", "--fields", "C39", "--territories", "50", "--until", await inDays(100), "--royalty", "1%");
      expect(sub[0]).to.match(/^sublicence #2 of licence #1 granted to /);
      const terminated = await ok(f, "licence", "terminate", "1", "--reason", "breach of contract", "--as", "scu");
      expect(terminated[0]).to.match(/^licence #1 terminated: /);
      expect((await ok(f, "licence", "show", "2"))[0]).to.equal(`licence #2  ${p}  sublicence  revoked ${isoOfDay(await today())}`);
      const again = await cli(f, "licence", "terminate", "1", "--reason", "again", "--as", "scu");
      expect(again.err).to.deep.equal(["error: LicensingNotActive(licenceId=1, status=Terminated(2))"]);
    });

    it("defers a fee until a product launch or a date, and expires a licence after its end", async () => {
      const f = await loadFixture(rightsFixture);
      const [, , p] = f.numbers;
      await ok(f, "licence", "grant", p!, "--as", "scu", "--to", "rongxin", "--kind", "non-exclusive", "--fields", "all", "--territories", "all", "--until", await inDays(3), "--use-first-pay-later", "5000", "--trigger", "product-launched");
      expect((await ok(f, "royalty", "launch", "1", "--as", "rongxin"))[0]).to.match(/^product launch recorded on licence #1; its fee is now due/);
      expect((await ok(f, "royalty", "pay-fee", "1", "--as", "rongxin"))[1]).to.match(/^paid the fee of 5000.00 dCNY/);
      const early = await cli(f, "licence", "expire", "1", "--as", "stranger");
      expect(early.err[0]).to.match(/^error: LicensingNotEnded\(licenceId=1, endDay=\d+, today=\d+\)$/);
      const due = await inDays(60);
      await ok(f, "licence", "grant", p!, "--as", "scu", "--to", "yuzhi", "--kind", "non-exclusive", "--fields", "all", "--territories", "all", "--until", await inDays(90), "--use-first-pay-later", "0.05", "--trigger", due);
      const deferred = await f.licensing.licence(2n);
      expect([deferred.fee.trigger, deferred.fee.triggerDay, deferred.fee.amount]).to.deep.equal([1n, BigInt((await today()) + 60), 5n]);
      expect(await ok(f, "licence", "show", "2")).to.include(`  fee         use first, pay later: 0.05 dCNY on ${due} (token ${await f.token.getAddress()})`);
      await time.increase(4 * 86_400);
      expect((await ok(f, "licence", "expire", "1", "--as", "stranger"))[0]).to.match(/^licence #1 expired/);
    });

    it("declares, shows, takes (approving the fee) and withdraws an open licence", async () => {
      const f = await loadFixture(rightsFixture);
      const [, , , p] = f.numbers;
      await ok(f, "licence", "open", "declare", p!, "--lump-sum", "5000", "--term-days", "365", "--as", "scu");
      expect(await ok(f, "licence", "open", "show", p!)).to.deep.equal([`${p}: open licence declared`, "  terms       lump sum 5000.00 dCNY, 365 days per licence, every field and territory"]);
      const low = await cli(f, "licence", "open", "take", p!, "--max-fee", "4000", "--as", "yuzhi");
      expect(low.err[0]).to.equal(`error: LicensingFeeAboveLimit(patentId=${BigInt(p!.slice(2, 14))}, amount=500000, maxFee=400000)`);
      const taken = await ok(f, "licence", "open", "take", p!, "--as", "yuzhi");
      expect(taken[0]).to.match(/^approved Royalties for 5000.00 dCNY/);
      expect(taken[1]).to.match(new RegExp(`^open licence #1 of ${p!.replace(".", "\\.")} taken: ${TX}$`));
      const exclusive = await cli(f, "licence", "grant", p!, "--as", "scu", "--to", "rongxin", "--kind", "exclusive", "--fields", "C39", "--territories", "51", "--until", await inDays(30), "--lump-sum", "1");
      expect(exclusive.err[0]).to.equal(`error: LicensingOpenLicenceDeclared(patentId=${BigInt(p!.slice(2, 14))})`);
      expect((await ok(f, "licence", "open", "withdraw", p!, "--as", "scu"))[0]).to.match(/withdrawn/);
      expect(await ok(f, "licence", "open", "show", p!)).to.deep.equal([`${p}: no open licence declared`]);
    });
  });

  describe("royalty", () => {
    it("declares benefit shares that split the next payment, and shows them; no approval when the allowance suffices", async () => {
      const f = await loadFixture(rightsFixture);
      const [p] = f.numbers;
      const inventors = ethers.Wallet.createRandom().address;
      await ok(f, "royalty", "shares", p!, "--inventors", "70%", "--tto", "10%", "--inventors-address", inventors, "--tto-address", "broker", "--as", "scu");
      const shown = await ok(f, "royalty", "shares", p!);
      expect(shown).to.include(`  inventors   70% (7000 bps) to ${inventors}`);
      expect(shown).to.include("  unit        20% (2000 bps)");
      await ok(f, "licence", "grant", p!, "--as", "scu", "--to", "rongxin", "--kind", "non-exclusive", "--fields", "all", "--territories", "all", "--until", await inDays(30), "--lump-sum", "1000.01");
      await f.token.connect(f.companyA).approve(await f.royalties.getAddress(), ethers.MaxUint256);
      const paid = await ok(f, "royalty", "pay-fee", "1", "--as", "rongxin");
      expect(paid).to.have.length(1); // the allowance sufficed: no approval sent
      expect(paid[0]).to.match(/^paid the fee of 1000.01 dCNY on licence #1/);
      expect(await f.token.balanceOf(inventors)).to.equal(70_000n); // 70% of 100,001 fen, rounded down
      expect(await f.token.balanceOf(address("broker"))).to.equal(10_000n);
    });

    it("refuses shares that do not sum to 100% and a payment by someone other than the licensee", async () => {
      const f = await loadFixture(rightsFixture);
      const [p] = f.numbers;
      const sum = await cli(f, "royalty", "shares", p!, "--unit", "50%", "--inventors", "60%", "--inventors-address", "broker", "--as", "scu");
      expect(sum.err).to.deep.equal(["error: --unit, --inventors and --tto must sum to 100% (they sum to 110% (11000 bps))"]);
      await ok(f, "licence", "grant", p!, "--as", "scu", "--to", "rongxin", "--kind", "non-exclusive", "--fields", "all", "--territories", "all", "--until", await inDays(30), "--royalty", "5%");
      const run = await cli(f, "royalty", "report", "1", "--revenue", "100", "--as", "yuzhi");
      expect(run.err[0]).to.equal(`error: RoyaltiesNotLicensee(licenceId=1, caller=${address("yuzhi")}, licensee=${address("rongxin")})`);
      expect(run.err[1]).to.match(/^hint: only the licensee/);
      const over = await cli(f, "royalty", "pay", "1", "--amount", "0.01", "--as", "rongxin");
      expect(over.err[0]).to.equal("error: RoyaltiesAboveOwed(licenceId=1, amount=1, owed=0)");
    });
  });

  describe("pledge", () => {
    it("takes a bank's portfolio pledge from proposal to release, with a consented licence in between", async () => {
      const f = await loadFixture(rightsFixture);
      const [p1, p2] = f.numbers;
      const termEnd = await inDays(365);
      const proposed = await ok(f, "pledge", "propose", "--as", "bankA", "--pledgee", "bankA", "--patents", `${p1},${p2}`, "--amount", "5,000,000", "--term-end", termEnd, "--loan-ref", "成农商知贷[2026]第0187号");
      expect(proposed[0]).to.match(new RegExp(`^pledge #1 of ${p1!.replace(".", "\\.")}, ${p2!.replace(".", "\\.")} to ${address("bankA")} \\(bankA 成都银行\\) proposed: ${TX}$`));
      expect((await ok(f, "pledge", "consent", "1", "--as", "scu"))[0]).to.match(/^pledge #1 consented; every party agreed: it awaits registration/);
      await ok(f, "pledge", "register", "1", "--reference", "Y2026510000187", "--as", "registrar");
      const shown = await ok(f, "pledge", "show", "1");
      expect(shown[0]).to.equal("pledge #1  registered");
      expect(shown).to.include(`  secured     5000000.00 CNY, term ends ${termEnd}`);
      expect(shown).to.include(`  patent      ${p1}  pledged  pledgor ${address("scu")} (scu 四川大学)`);

      const grant = ["licence", "grant", p1!, "--as", "scu", "--to", "rongxin", "--kind", "non-exclusive", "--fields", "all", "--territories", "china", "--until", await inDays(200), "--lump-sum", "100000"];
      const refused = await cli(f, ...grant);
      expect(refused.err[0]).to.equal(`error: PledgesConsentRequired(pledgeId=1, patentId=${BigInt(p1!.slice(2, 14))}, act=Licence(1), counterparty=${address("rongxin")})`);
      expect(refused.err[1]).to.match(/^hint: the patent is pledged: the bank must first allow this act/);
      const allowed = await ok(f, "pledge", "allow", "1", p1!, "--act", "licence", "--counterparty", "rongxin", "--route", "repay", "--as", "bankA");
      expect(allowed[0]).to.match(/^pledge #1: licence of .* with 0x.* \(rongxin .*\) allowed, proceeds to repay: /);
      await ok(f, ...grant);
      expect((await f.licensing.licence(1n)).proceedsTo).to.equal(address("bankA"));

      await ok(f, "pledge", "allow", "1", p2!, "--act", "transfer", "--counterparty", "any", "--route", "escrow", "--as", "bankA");
      expect((await ok(f, "pledge", "revoke", "1", p2!, "--act", "transfer", "--counterparty", "any", "--as", "bankA"))[0]).to.match(/consent to transfer of .* revoked/);
      const list = await ok(f, "pledge", "list", "--pledgee", "bankA");
      expect(list).to.have.length(1);
      expect(list[0]).to.match(/^#1 {2}registered {2}5000000.00 CNY/);
      expect(await ok(f, "pledge", "list", "--patent", p2!)).to.deep.equal(list);
      expect(await ok(f, "pledge", "list", "--pledgor", "scu")).to.deep.equal(list);
      expect(await ok(f, "pledge", "list", "--pledgor", "uestc")).to.deep.equal(["no pledges"]);
      expect((await ok(f, "pledge", "release", "1", "--as", "bankA"))[0]).to.match(/^pledge #1 released/);
      expect((await ok(f, "pledge", "show", "1"))[0]).to.equal("pledge #1  released");
    });

    it("escrows deposited proceeds, approving the Pledges contract, and refuses a consent by anyone but the bank", async () => {
      const f = await loadFixture(rightsFixture);
      const [p1] = f.numbers;
      await ok(f, "pledge", "propose", "--as", "scu", "--pledgee", "bankB", "--patents", p1!, "--amount", "1000000", "--term-end", await inDays(300), "--loan-ref", "渝银科贷[2026]第0042号");
      const stranger = await cli(f, "pledge", "allow", "1", p1!, "--act", "list", "--counterparty", "chengdu", "--route", "repay", "--as", "scu");
      expect(stranger.err[0]).to.equal(`error: PledgesNotPledgee(pledgeId=1, caller=${address("scu")}, pledgee=${address("bankB")})`);
      const bad = await cli(f, "pledge", "allow", "1", p1!, "--act", "pledge", "--counterparty", "chengdu", "--route", "repay", "--as", "bankB");
      expect(bad.err).to.deep.equal(['error: --act "pledge": not one of transfer, licence, open-licence, list, contribute']);
      const deposited = await ok(f, "pledge", "deposit", p1!, "--amount", "1500.50", "--as", "scu");
      expect(deposited[0]).to.match(/^approved Pledges for 1500.50 dCNY \(allowance was short\)/);
      expect(deposited[1]).to.match(/^deposited 1500.50 dCNY for the pledge of /);
      expect(await f.pledges.escrowed(1n, await f.token.getAddress(), f.uniA.address)).to.equal(150_050n);
      expect((await ok(f, "pledge", "withdraw", "1", "--as", "bankB"))[0]).to.match(/^pledge #1 withdrawn/);
      expect(await f.token.balanceOf(f.uniA.address)).to.equal(100_000_000n);
    });

    it("records a refused registration, and starts a disposal on default", async () => {
      const f = await loadFixture(rightsFixture);
      const [p1, p2, p3] = f.numbers;
      const termEnd = await inDays(300);
      await ok(f, "pledge", "propose", "--as", "bankA", "--pledgee", "bankA", "--patents", p1!, "--amount", "1000", "--term-end", termEnd, "--loan-ref", "L-1");
      await ok(f, "pledge", "consent", "1", "--as", "scu");
      expect((await ok(f, "pledge", "refuse", "1", "--reason", "合同主体不符", "--as", "registrar"))[0]).to.match(/^pledge #1 refused/);
      const twice = await cli(f, "pledge", "register", "1", "--reference", "Y1", "--as", "registrar");
      expect(twice.err).to.deep.equal(["error: PledgesWrongStatus(pledgeId=1, status=Refused(4))"]);

      await ok(f, "pledge", "propose", "--as", "bankA", "--pledgee", "bankA", "--patents", `${p2},${p3}`, "--amount", "1000", "--term-end", termEnd, "--loan-ref", "L-2");
      await ok(f, "pledge", "consent", "2", "--as", "scu");
      await ok(f, "pledge", "register", "2", "--reference", "Y2", "--as", "registrar");
      const mismatch = await cli(f, "pledge", "default", "2", "--patents", `${p2},${p3}`, "--reserves", "800", "--as", "bankA");
      expect(mismatch.err).to.deep.equal(['error: --reserves "800": 1 reserve(s) for 2 patent(s)']);
      const started = await ok(f, "pledge", "default", "2", "--patents", p2!, "--reserves", "800.00", "--days", "3", "--as", "bankA");
      expect(started[0]).to.match(new RegExp(`^pledge #2 in default: disposal of ${p2!.replace(".", "\\.")} started, bidding closes `));
      const shown = await ok(f, "pledge", "show", "2");
      expect(shown[0]).to.equal("pledge #2  defaulted");
      expect(shown).to.include(`  patent      ${p2}  disposing  pledgor ${address("scu")} (scu 四川大学)  auction #1`);
      expect((await f.auction.auctions(1n)).reserve).to.equal(80_000n);
    });
  });

  describe("value and valuation show", () => {
    it("records valuations by the appraiser and lists them, refusing others and bad methods", async () => {
      const f = await loadFixture(rightsFixture);
      const [p] = f.numbers;
      const day = await inDays(-3);
      const recorded = await ok(f, "value", p!, "--amount", "3800000", "--method", "cost", "--date", day, "--report-hash", HASH, "--as", "appraiser");
      expect(recorded[0]).to.match(new RegExp(`^valuation #0 of .* recorded: 3800000 CNY \\(cost, ${day}\\): ${TX}$`));
      await ok(f, "value", p!, "--amount", "4200000.5", "--method", "income", "--date", day, "--report-hash", HASH, "--as", "appraiser");
      const shown = await ok(f, "valuation", "show", p!);
      expect(shown).to.have.length(2);
      expect(shown[1]).to.equal(`#1  ${day}  4200000.50 CNY  income  by ${address("appraiser")} (appraiser 天府资产评估有限公司)  report ${HASH}`);
      const json = JSON.parse((await ok(f, "valuation", "show", p!, "--json")).join("\n")) as { amount: string }[];
      expect(json[1]!.amount).to.equal("420000050");
      const stranger = await cli(f, "value", p!, "--amount", "1", "--method", "market", "--date", day, "--report-hash", HASH, "--as", "stranger");
      expect(stranger.err[0]).to.equal(`error: AccessManagedUnauthorized(caller=${address("stranger")})`);
      const method = await cli(f, "value", p!, "--amount", "1", "--method", "guess", "--date", day, "--report-hash", HASH, "--as", "appraiser");
      expect(method.err).to.deep.equal(['error: --method "guess": not one of cost, market, income']);
      const future = await cli(f, "value", p!, "--amount", "1", "--method", "market", "--date", await inDays(2), "--report-hash", HASH, "--as", "appraiser");
      expect(future.err[0]).to.match(/^error: ValuationsDayInFuture\(valuationDay=\d+, today=\d+\)$/);
    });
  });

  describe("equity and warrant", () => {
    it("contributes a patent for equity: propose, accept, execute, register; a warrant granted, triggered and exercised", async () => {
      const f = await loadFixture(rightsFixture);
      const [p] = f.numbers;
      const proposed = await ok(f, "equity", "propose", "--as", "scu", "--company", "tianfubio", "--patents", p!, "--valuation", "8,000,000", "--capital", "8%", "--share", "inventor:broker:70%", "--registration", "91510100MA62TF0B1X");
      expect(proposed[0]).to.match(/^equity deal #1 proposed: /);
      await ok(f, "equity", "accept", "1", "--as", "tianfubio");
      const executed = await ok(f, "equity", "execute", "1", "--as", "scu");
      expect(executed[0]).to.match(/^equity deal #1 executing: transfer\(s\) #1 await registration/);
      await ok(f, "transfer", "register", "1", "--reference", "专利权转让登记 2026-1102-0051", "--as", "registrar");
      const shown = await ok(f, "equity", "show", "1");
      expect(shown[0]).to.equal("equity deal #1  executed");
      expect(shown).to.include("  valuation   8000000.00 CNY for 8% (800 bps) of the registered capital");
      expect(shown).to.include(`  share       inventor 70% (7000 bps) to ${address("broker")} (broker 技术经理人 李明)`);
      expect(await f.registry.ownerOf(BigInt(p!.slice(2, 14)))).to.equal(address("tianfubio"));

      const start = await inDays(0);
      const end = await inDays(30);
      const w = ["warrant", "grant", "1", "--holder", "scu", "--shares", "100000", "--strike", "1.50", "--window-start", start, "--window-end", end, "--trigger", "Series A closes"];
      const notCompany = await cli(f, ...w, "--as", "scu");
      expect(notCompany.err[0]).to.equal(`error: EquityDealsNotCompany(dealId=1, caller=${address("scu")}, company=${address("tianfubio")})`);
      expect((await ok(f, ...w, "--as", "tianfubio"))[0]).to.match(/^warrant #1 granted to /);
      const early = await cli(f, "warrant", "exercise", "1", "--as", "scu");
      expect(early.err).to.deep.equal(["error: EquityDealsTriggerNotMet(warrantId=1)"]);
      await ok(f, "warrant", "trigger", "1", "--as", "tianfubio");
      await ok(f, "warrant", "exercise", "1", "--as", "scu");
      const warrant = await ok(f, "warrant", "show", "1");
      expect(warrant[0]).to.equal(`warrant #1  exercised ${start}  (deal #1)`);
      expect(warrant).to.include("  right       100000 shares at 1.50 CNY each");
      expect(warrant).to.include("  trigger     Series A closes (met)");
    });

    it("cancels a deal, expires a warrant after its window, and refuses a deal without one consideration", async () => {
      const f = await loadFixture(rightsFixture);
      const [p1, p2] = f.numbers;
      const none = await cli(f, "equity", "propose", "--as", "scu", "--company", "tianfubio", "--patents", p1!, "--valuation", "1000", "--registration", "X");
      expect(none.err).to.deep.equal(["error: give exactly one consideration: --shares <n> or --capital <rate>"]);
      await ok(f, "equity", "propose", "--as", "scu", "--company", "tianfubio", "--patents", p1!, "--valuation", "1000", "--shares", "500", "--registration", "X");
      await ok(f, "equity", "accept", "1", "--as", "tianfubio");
      expect((await ok(f, "equity", "cancel", "1", "--as", "tianfubio"))[0]).to.match(/^equity deal #1 cancelled/);
      expect((await ok(f, "equity", "show", "1", "--json")).join("")).to.contain('"status": "cancelled"');

      await ok(f, "equity", "propose", "--as", "scu", "--company", "tianfubio", "--patents", p2!, "--valuation", "1000", "--shares", "500", "--registration", "X");
      await ok(f, "warrant", "grant", "2", "--holder", "scu", "--shares", "10", "--strike", "1", "--window-start", await inDays(0), "--window-end", await inDays(1), "--as", "tianfubio");
      const open = await cli(f, "warrant", "expire", "1", "--as", "stranger");
      expect(open.err[0]).to.match(/^error: EquityDealsWindowOpen\(warrantId=1, today=\d+, windowEnd=\d+\)$/);
      await time.increase(3 * 86_400);
      expect((await ok(f, "warrant", "expire", "1", "--as", "stranger"))[0]).to.match(/^warrant #1 expired/);
      const twice = await cli(f, "warrant", "expire", "1", "--as", "stranger");
      expect(twice.err).to.deep.equal(["error: EquityDealsWarrantState(warrantId=1, status=Expired(3))"]);
    });
  });
});
