import { expect } from "chai";
import fc from "fast-check";
import { fcParams } from "../helpers/properties";
import { PatentKind } from "../../server/chain/roles";
import {
  CnipaNumberError,
  checkDigitOf,
  chinaDayOf,
  dayOf,
  formatCnipaNumber,
  isoOfDay,
  kindOfDigit,
  makeCnipaNumber,
  parseCnipaNumber,
} from "../../server/chain/cnipa";

function reasonOf(input: string): string {
  try {
    parseCnipaNumber(input);
  } catch (err) {
    expect(err).to.be.instanceOf(CnipaNumberError);
    const e = err as CnipaNumberError;
    expect(e.name).to.equal("CnipaNumberError");
    expect(e.input).to.equal(input);
    expect(e.message).to.equal(`invalid CNIPA number "${input}": ${e.reason}`);
    return e.reason;
  }
  throw new Error(`${input} was accepted`);
}

describe("server/chain/cnipa", () => {
  describe("checkDigitOf", () => {
    it("weighs the digits 2..9,2..5 modulo 11", () => {
      expect(checkDigitOf("202110234567")).to.equal(5);
      expect(checkDigitOf("201910000017")).to.equal(10);
      expect(checkDigitOf("02100014")).to.equal(10);
      expect(checkDigitOf("000000000000")).to.equal(0);
    });
  });

  describe("kindOfDigit", () => {
    it("maps 1 and 8 to inventions, 2 and 9 to utility models, 3 to designs, others to nothing", () => {
      expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(kindOfDigit)).to.deep.equal([
        undefined,
        PatentKind.Invention,
        PatentKind.UtilityModel,
        PatentKind.Design,
        undefined,
        undefined,
        undefined,
        undefined,
        PatentKind.Invention,
        PatentKind.UtilityModel,
      ]);
    });
  });

  describe("parseCnipaNumber", () => {
    it("parses a cited 12-digit number", () => {
      expect(parseCnipaNumber("ZL202110234567.5")).to.deep.equal({
        number: 202110234567n,
        digits: "202110234567",
        checkDigit: 5,
        year: 2021,
        kindDigit: 1,
        kind: PatentKind.Invention,
      });
    });

    it("accepts CN or no prefix, lower case, spaces, no dot and a lower-case x", () => {
      for (const input of ["CN202110234567.5", "202110234567.5", "zl202110234567.5", "  ZL 202110234567.5 ", "ZL2021102345675"]) {
        expect(parseCnipaNumber(input).number, input).to.equal(202110234567n);
      }
      expect(parseCnipaNumber("ZL201910000017.x").checkDigit).to.equal(10);
    });

    it("parses 8-digit numbers before 2003, keeping the leading zero in the digits", () => {
      const p = parseCnipaNumber("ZL02100014.X");
      expect([p.number, p.digits, p.year, p.kind, p.checkDigit]).to.deep.equal([2100014n, "02100014", 2002, PatentKind.Invention, 10]);
      expect(parseCnipaNumber(makeEight("98300001")).year).to.equal(1998);
    });

    it("parses PCT kind digits 8 and 9", () => {
      expect(parseCnipaNumber(makeCnipaNumber(2019, 8, 1)).kind).to.equal(PatentKind.Invention);
      expect(parseCnipaNumber(makeCnipaNumber(2019, 9, 1)).kind).to.equal(PatentKind.UtilityModel);
    });

    it("refuses a malformed string with the expected shape", () => {
      for (const input of ["", "ZL2021102345.5", "ZL202110234567.55", "ZX202110234567.5", "ZL20211023456A.5", "ZL202110234567.Y"]) {
        expect(reasonOf(input), input).to.equal("expected ZL followed by 8 or 12 digits, a dot and a check digit");
      }
    });

    it("refuses a year that does not fit the length", () => {
      expect(reasonOf(makeCnipaNumber(2002, 1, 1))).to.equal("year 2002 does not fit a 12-digit number");
      expect(reasonOf(makeEight("04100001"))).to.equal("year 2004 does not fit a 8-digit number");
      expect(reasonOf(makeEight("84100001"))).to.equal("year 2084 does not fit a 8-digit number"); // 2-digit years below 85 read as 20xx
    });

    it("refuses an unknown kind digit", () => {
      expect(reasonOf(makeCnipaNumber(2019, 4, 1))).to.equal("kind digit 4 is not 1, 2, 3, 8 or 9");
      expect(reasonOf(makeCnipaNumber(2019, 0, 1))).to.equal("kind digit 0 is not 1, 2, 3, 8 or 9");
    });

    it("refuses a wrong check digit, naming both", () => {
      expect(reasonOf("ZL202110234567.4")).to.equal("check digit is 4, expected 5");
      expect(reasonOf("ZL202110234567.X")).to.equal("check digit is X, expected 5");
      expect(reasonOf("ZL201910000017.0")).to.equal("check digit is 0, expected X");
    });

    it("round-trips through formatCnipaNumber for every valid number", () => {
      const valid = fc
        .tuple(fc.integer({ min: 2003, max: 2099 }), fc.constantFrom(1, 2, 3, 8, 9), fc.integer({ min: 0, max: 9_999_999 }))
        .map(([y, k, s]) => makeCnipaNumber(y, k, s));
      fc.assert(
        fc.property(valid, (cited) => {
          const p = parseCnipaNumber(cited);
          expect(formatCnipaNumber(p.number)).to.equal(cited);
          expect(p.checkDigit).to.equal(checkDigitOf(p.digits));
        }),
        fcParams(),
      );
    });

    it("refuses every wrong check digit", () => {
      const wrong = fc
        .tuple(fc.integer({ min: 2003, max: 2099 }), fc.constantFrom(1, 2, 3), fc.integer({ min: 0, max: 9_999_999 }), fc.integer({ min: 1, max: 10 }))
        .map(([y, k, s, delta]) => {
          const digits = `${y}${k}${String(s).padStart(7, "0")}`;
          const c = (checkDigitOf(digits) + delta) % 11;
          return `ZL${digits}.${c === 10 ? "X" : c}`;
        });
      fc.assert(
        fc.property(wrong, (cited) => {
          expect(reasonOf(cited)).to.match(/^check digit is [\dX], expected [\dX]$/);
        }),
        fcParams(),
      );
    });
  });

  describe("formatCnipaNumber", () => {
    it("pads 8-digit numbers and writes 10 as X", () => {
      expect(formatCnipaNumber(2100014n)).to.equal("ZL02100014.X");
      expect(formatCnipaNumber(201910000017)).to.equal("ZL201910000017.X");
      expect(formatCnipaNumber(202110234567n)).to.equal("ZL202110234567.5");
    });
  });

  describe("makeCnipaNumber", () => {
    it("builds a cited number from year, kind digit and serial", () => {
      expect(makeCnipaNumber(2019, 1, 17)).to.equal("ZL201910000017.X");
      expect(makeCnipaNumber(2021, 1, 234567)).to.equal("ZL202110234567.5");
    });
  });

  describe("dayOf and isoOfDay", () => {
    it("count days since 1970-01-01", () => {
      expect(dayOf("1970-01-01")).to.equal(0);
      expect(dayOf("2021-06-01")).to.equal(18779);
      expect(dayOf("2020-02-29")).to.equal(18321);
      expect(isoOfDay(18779)).to.equal("2021-06-01");
    });

    it("refuse a malformed date", () => {
      for (const input of ["2021-6-1", "2021/06/01", "20210601", ""]) {
        expect(() => dayOf(input), input).to.throw(`invalid date "${input}": expected YYYY-MM-DD`);
      }
    });

    it("refuse a day that does not exist", () => {
      for (const input of ["2021-02-29", "2100-02-29", "2021-04-31", "2021-13-01", "2021-00-10"]) {
        expect(() => dayOf(input), input).to.throw(`invalid date "${input}": no such calendar day`);
      }
    });

    it("round-trip for every day from 1970 to 9999", () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 2_932_896 }), (day) => {
          expect(dayOf(isoOfDay(day))).to.equal(day);
        }),
        fcParams(),
      );
    });
  });

  describe("chinaDayOf", () => {
    it("turns the day at 16:00 UTC (midnight in China)", () => {
      const midnight = Date.UTC(2030, 0, 15, 16, 0, 0) / 1000;
      expect(chinaDayOf(midnight - 1)).to.equal(dayOf("2030-01-15"));
      expect(chinaDayOf(midnight)).to.equal(dayOf("2030-01-16"));
      expect(chinaDayOf(0)).to.equal(0);
    });
  });
});

/** An 8-digit cited number with its correct check digit. */
function makeEight(digits: string): string {
  const c = checkDigitOf(digits);
  return `ZL${digits}.${c === 10 ? "X" : c}`;
}
