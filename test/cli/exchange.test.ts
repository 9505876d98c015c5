import { expect } from "chai";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployFixture, patentRecord } from "../helpers/fixtures";
import { runCliOn, type Run } from "./helpers";
import { parsePrice } from "../../scripts/cli/commands/exchange";
import { demoWallet } from "../../server/chain/accounts";
import { formatCnipaNumber } from "../../server/chain/cnipa";

type Fixture = Awaited<ReturnType<typeof marketFixture>>;

async function cli(f: Fixture, ...argv: string[]): Promise<Run> {
  return runCliOn(f, ...argv);
}

/** Both venues open; scu holds two patents; rongxin and yuzhi hold dCNY. */
async function marketFixture() {
  const f = await deployFixture();
  await f.venues.connect(f.chengdu).openVenue("成都知识产权交易中心", 200);
  await f.venues.connect(f.chongqing).openVenue("重庆知识产权交易中心", 150);
  const records = [31, 32].map((n) => patentRecord(f.uniA.address, n));
  await f.registry.connect(f.registrar).registerBatch(records);
  for (const who of [f.companyA, f.companyB]) await f.token.connect(f.admin).mint(who.address, 100_000_000n);
  return { ...f, numbers: records.map((r) => formatCnipaNumber(BigInt(r.number))) };
}

const licenceFlags = ["--kind", "licence", "--fields", "C37", "--territories", "51,50", "--start", "2026-12-01", "--end", "2027-12-01"];

describe("tianfu CLI", () => {
  describe("exchange", () => {
    it("lists a patent, takes an on-chain offer, accepts it and settles the sale through registration", async () => {
      const f = await loadFixture(marketFixture);
      const listed = await cli(f, "exchange", "list", f.numbers[0]!, "--kind", "sale", "--venue", "chengdu", "--price", "10000", "--as", "scu");
      expect(listed.code, listed.err.join("\n")).to.equal(0);
      const listingId = BigInt(f.numbers[0]!.slice(2, 14)) * 10_000n + 1n;
      expect(listed.out[0]).to.match(new RegExp(`^listing #${listingId} of .* \\(sale, 10000\\.00\\)`));
      const shown = await cli(f, "exchange", "show", `${listingId}`);
      expect(shown.out[0]).to.equal(`listing #${listingId}  ${f.numbers[0]}  sale  open`);
      const offered = await cli(f, "exchange", "offer", `${listingId}`, "--venue", "chongqing", "--price", "9000.50", "--as", "rongxin");
      expect(offered.out[0]).to.match(/^offer #1 on listing .* \(9000\.50 escrowed\)/);
      expect((await cli(f, "exchange", "accept", `${listingId}`, "--offer", "1", "--as", "scu")).code).to.equal(0);
      expect((await cli(f, "exchange", "show", `${listingId}`)).out[0]).to.match(/ pending$/);
      const settled = await cli(f, "exchange", "settle", `${listingId}`, "--reference", "ZR2026001", "--as", "registrar");
      expect(settled.out[0]).to.match(/transfer #1 registered, proceeds credited/);
      expect(await f.registry.ownerOf(BigInt(f.numbers[0]!.slice(2, 14)))).to.equal(demoWallet("rongxin").address);
      const withdrawn = await cli(f, "exchange", "withdraw", "--as", "scu");
      expect(withdrawn.out[0]).to.match(/^withdrew 8820\.49: tx /); // 900,050 fen less the 2% fee (18,001)
    });

    it("signs an offer off-chain and lets the seller accept the file", async () => {
      const f = await loadFixture(marketFixture);
      await cli(f, "exchange", "list", f.numbers[1]!, ...licenceFlags, "--venue", "chongqing", "--price", "500", "--as", "scu");
      const listingId = `${BigInt(f.numbers[1]!.slice(2, 14)) * 10_000n + 1n}`;
      const file = path.join(mkdtempSync(path.join(tmpdir(), "tianfu-offer-")), "offer.json");
      const signed = await cli(f, "exchange", "sign-offer", listingId, "--venue", "chengdu", "--price", "450", "--out", file, "--as", "yuzhi");
      expect(signed.out[0]).to.equal(`signed offer (nonce 0) on listing #${listingId} written to ${file}`);
      const accepted = await cli(f, "exchange", "accept", listingId, "--signed", file, "--as", "scu");
      expect(accepted.code, accepted.err.join("\n")).to.equal(0);
      expect((await f.licensing.licence(1n)).licensee).to.equal(demoWallet("yuzhi").address);
      const replay = await cli(f, "exchange", "accept", listingId, "--signed", file, "--as", "scu");
      expect(replay.code).to.equal(1);
      expect(replay.err[0]).to.match(/^error: ExchangeListingNotOpen\(listingId=\d+, status=Settled\(5\)\)$/);
    });

    it("reports a listed patent's refusal with the decoded error and a hint", async () => {
      const f = await loadFixture(marketFixture);
      await cli(f, "exchange", "list", f.numbers[0]!, "--kind", "sale", "--venue", "chengdu", "--price", "1", "--as", "scu");
      const run = await cli(f, "transfer", "propose", f.numbers[0]!, "--to", "rongxin", "--as", "scu");
      expect(run.code).to.equal(1);
      expect(run.err[0]).to.equal(`error: ExchangePatentListed(patentId=${BigInt(f.numbers[0]!.slice(2, 14))}, act=Transfer(0))`);
      expect(run.err[1]).to.match(/^hint: the patent is listed on the exchange/);
    });

    it("buys at the listed price and cancels listings and offers", async () => {
      const f = await loadFixture(marketFixture);
      await cli(f, "exchange", "list", f.numbers[0]!, "--kind", "sale", "--venue", "chengdu", "--price", "100", "--as", "scu");
      await cli(f, "exchange", "list", f.numbers[1]!, ...licenceFlags, "--venue", "chengdu", "--price", "100", "--as", "scu");
      const [sale, lic] = f.numbers.map((n) => `${BigInt(n.slice(2, 14)) * 10_000n + 1n}`);
      expect((await cli(f, "exchange", "buy", lic!, "--venue", "chongqing", "--as", "rongxin")).code).to.equal(0);
      await cli(f, "exchange", "offer", sale!, "--venue", "chongqing", "--price", "90", "--as", "yuzhi");
      expect((await cli(f, "exchange", "cancel", "--offer", "1", "--as", "yuzhi")).out[0]).to.match(/^offer #1 cancelled/);
      expect((await cli(f, "exchange", "cancel", sale!, "--as", "scu")).out[0]).to.match(/cancelled: tx/);
      expect((await cli(f, "exchange", "cancel", "--nonce", "3", "--as", "yuzhi")).out[0]).to.match(/nonce 3 cancelled/);
    });

    it("refuses bad input before sending anything", async () => {
      const f = await loadFixture(marketFixture);
      const run = await cli(f, "exchange", "list", f.numbers[0]!, "--kind", "lease", "--venue", "chengdu", "--price", "1", "--as", "scu");
      expect(run.code).to.equal(1);
      expect(run.err[0]).to.equal('error: --kind "lease" is neither sale nor licence');
      expect(() => parsePrice("1.234")).to.throw(/at most two decimals/);
      expect(parsePrice("80000.5")).to.equal(8_000_050n);
    });
  });
});
