import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployFixture } from "../helpers/fixtures";
import { runCliOn } from "./helpers";
import { parseBps } from "../../scripts/cli/commands/venue";
import { demoWallet } from "../../server/chain/accounts";

const TX = "tx 0x[0-9a-f]{64} \\(block \\d+, gas \\d+\\)";

describe("tianfu CLI", () => {
  describe("venue", () => {
    it("opens the signing venue with its fee and shows it", async () => {
      const f = await loadFixture(deployFixture);
      const opened = await runCliOn(f, "venue", "open", "重庆知识产权交易中心", "--fee", "1.5%", "--as", "chongqing");
      expect(opened.err).to.deep.equal([]);
      expect(opened.out[0]).to.match(new RegExp(`^venue 重庆知识产权交易中心 opened at 150 bps: ${TX}$`));
      expect(await f.venues.venueName(demoWallet("chongqing").address)).to.equal("重庆知识产权交易中心");
      const shown = await runCliOn(f, "venue", "show", "chongqing");
      expect(shown.out).to.deep.equal([`${demoWallet("chongqing").address}  重庆知识产权交易中心  fee 150 bps`]);
    });

    it("reports an account without the VENUE role with the decoded error, and a venue not open", async () => {
      const f = await loadFixture(deployFixture);
      const run = await runCliOn(f, "venue", "open", "假交易所", "--fee", "100", "--as", "rongxin");
      expect(run.code).to.equal(1);
      expect(run.err[0]).to.equal(`error: AccessManagedUnauthorized(caller=${demoWallet("rongxin").address})`);
      const shown = await runCliOn(f, "venue", "show", "chengdu");
      expect(shown.code).to.equal(1);
      expect(shown.err[0]).to.match(/^error: Venues\w+\(/);
    });

    it("refuses a fee that is not basis points or a percentage", async () => {
      expect(parseBps("150")).to.equal(150);
      expect(parseBps("2%")).to.equal(200);
      expect(parseBps("0.25%")).to.equal(25);
      expect(() => parseBps("10001")).to.throw(/basis points 0-10000/);
      expect(() => parseBps("1.5")).to.throw(/basis points 0-10000/);
      const f = await loadFixture(deployFixture);
      const run = await runCliOn(f, "venue", "open", "x", "--fee", "abc", "--as", "chengdu");
      expect(run.err).to.deep.equal(['error: --fee "abc": basis points 0-10000 (e.g. 150) or a percentage (e.g. 1.5%)']);
    });
  });
});
