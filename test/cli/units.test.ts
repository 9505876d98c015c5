import { expect } from "chai";
import { FIELD_CLASSES, SCOPE_ALL, scopeMask, TERRITORIES } from "../../server/chain/licensing";
import { ProceedsRoute } from "../../server/chain/financing";
import {
  CHINA_TERRITORIES,
  currencyOf,
  fenToTokenUnits,
  formatBps,
  formatUnitsExact,
  InputError,
  parseBps,
  parseCount,
  parseCurrency,
  parseDate,
  parseFields,
  parseName,
  parseTerritories,
  parseYuan,
  ROUTE_NAMES,
  scopeNames,
} from "../../server/client/units";

function refusal(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(InputError);
    return err as InputError;
  }
  throw new Error("expected an InputError");
}

describe("units", () => {
  describe("parseYuan", () => {
    it("converts yuan with up to two decimals to fen exactly", () => {
      expect(parseYuan("200000", "--lump-sum")).to.equal(20_000_000n);
      expect(parseYuan("1,234.5", "--lump-sum")).to.equal(123_450n);
      expect(parseYuan("0.01", "--lump-sum")).to.equal(1n);
      expect(parseYuan("0.29", "--x")).to.equal(29n); // 0.29 * 100 is 28.999999999999996 in floating point
      expect(parseYuan("12345678901234567890.99", "--x")).to.equal(1234567890123456789099n);
    });

    it("refuses three decimals, naming the option and the value", () => {
      const err = refusal(() => parseYuan("1.234", "--lump-sum"));
      expect(err.message).to.equal('--lump-sum "1.234": at most 2 decimals (fen)');
      expect(err.option).to.equal("--lump-sum");
    });

    it("refuses signs, exponents, words and zero", () => {
      for (const bad of ["-1", "1e6", "abc", "", "1.", ".5", "0x10"]) {
        expect(refusal(() => parseYuan(bad, "--amount")).message).to.match(/^--amount ".*": not an amount in yuan/);
      }
      expect(refusal(() => parseYuan("0.00", "--amount")).message).to.equal('--amount "0.00": must be more than zero');
      expect(parseYuan("0", "--amount", { allowZero: true })).to.equal(0n);
    });
  });

  describe("fenToTokenUnits and formatUnitsExact", () => {
    it("scales fen to the token's decimals and back without loss", () => {
      expect(fenToTokenUnits(123n, 2)).to.equal(123n);
      expect(fenToTokenUnits(123n, 18)).to.equal(1_230_000_000_000_000_000n);
      expect(formatUnitsExact(20_000_000n, 2)).to.equal("200000.00");
      expect(formatUnitsExact(5n, 2)).to.equal("0.05");
      expect(formatUnitsExact(1_230_000_000_000_000_000n, 18)).to.equal("1.230000000000000000");
    });

    it("refuses a token with fewer than two decimals", () => {
      expect(() => fenToTokenUnits(1n, 0)).to.throw(/0 decimals cannot carry amounts in fen/);
    });
  });

  describe("parseBps", () => {
    it("reads percentages and basis points", () => {
      expect(parseBps("3%", "--royalty")).to.equal(300);
      expect(parseBps("2.5%", "--royalty")).to.equal(250);
      expect(parseBps("0.01%", "--royalty")).to.equal(1);
      expect(parseBps("300bps", "--royalty")).to.equal(300);
      expect(parseBps("100%", "--royalty")).to.equal(10_000);
      expect(formatBps(250)).to.equal("2.50% (250 bps)");
      expect(formatBps(300)).to.equal("3% (300 bps)");
    });

    it("refuses a bare number, more than 100% and three decimals", () => {
      expect(refusal(() => parseBps("3", "--royalty")).message).to.equal('--royalty "3": give the unit: a percentage such as "3%" or basis points such as "300bps"');
      expect(refusal(() => parseBps("101%", "--royalty")).message).to.equal('--royalty "101%": more than 100%');
      expect(refusal(() => parseBps("2.555%", "--royalty")).message).to.match(/not a rate/);
      expect(refusal(() => parseBps("0%", "--royalty")).message).to.match(/more than zero/);
    });
  });

  describe("dates, counts and currencies", () => {
    it("reads calendar dates and names the option on a bad one", () => {
      expect(parseDate("1970-01-02", "--until")).to.equal(1);
      expect(refusal(() => parseDate("2026-02-30", "--until")).message).to.equal('--until "2026-02-30": no such calendar day');
      expect(refusal(() => parseDate("27/11/2026", "--from")).message).to.equal('--from "27/11/2026": expected YYYY-MM-DD');
    });

    it("reads whole counts", () => {
      expect(parseCount("1,000", "--shares")).to.equal(1000n);
      expect(refusal(() => parseCount("1.5", "--shares")).message).to.equal('--shares "1.5": not a positive whole number');
    });

    it("encodes ISO 4217 codes as bytes3 and back", () => {
      expect(parseCurrency("CNY")).to.equal("0x434e59");
      expect(currencyOf("0x434e59")).to.equal("CNY");
      expect(refusal(() => parseCurrency("cny")).message).to.match(/^--currency "cny": not an ISO 4217 code/);
    });
  });

  describe("parseName", () => {
    it("maps a name to the chain's enum value, listing the names when unknown", () => {
      expect(parseName(ROUTE_NAMES, "escrow", "--route")).to.equal(ProceedsRoute.Escrow);
      expect(parseName(ROUTE_NAMES, "REPAY", "--route")).to.equal(ProceedsRoute.EarlyRepayment);
      expect(refusal(() => parseName(ROUTE_NAMES, "bank", "--route")).message).to.equal('--route "bank": not one of repay, escrow');
    });
  });

  describe("licence scopes", () => {
    it("reads field classes and territories into the contracts' bitmasks", () => {
      expect(parseFields("C39,I")).to.equal(scopeMask(FIELD_CLASSES, ["C39", "I"]));
      expect(parseFields("all")).to.equal(SCOPE_ALL);
      expect(parseTerritories("51,50")).to.equal(scopeMask(TERRITORIES, ["51", "50"]));
      expect(parseTerritories("china")).to.equal(CHINA_TERRITORIES);
      expect(parseTerritories("china,europe")).to.equal(CHINA_TERRITORIES | scopeMask(TERRITORIES, ["europe"]));
      expect(parseTerritories("all")).to.equal(SCOPE_ALL);
    });

    it("names the scope back", () => {
      expect(scopeNames(FIELD_CLASSES, scopeMask(FIELD_CLASSES, ["C39", "I"]))).to.deep.equal(["I", "C39"]);
      expect(scopeNames(TERRITORIES, CHINA_TERRITORIES | scopeMask(TERRITORIES, ["europe"]))).to.deep.equal(["china", "europe"]);
      expect(scopeNames(TERRITORIES, SCOPE_ALL)).to.deep.equal(["all"]);
    });

    it("refuses unknown classes and regions, naming them", () => {
      expect(refusal(() => parseFields("C39,C99")).message).to.match(/^--fields "C39,C99": unknown field class C99/);
      expect(refusal(() => parseFields("C")).message).to.match(/unknown field class C:/);
      expect(refusal(() => parseTerritories("51,99")).message).to.match(/^--territories "51,99": unknown territory 99/);
    });
  });
});
