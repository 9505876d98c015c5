import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, reset, time } from "@nomicfoundation/hardhat-network-helpers";
import fc from "fast-check";
import { fcParams } from "../helpers/properties";
import { PatentKind } from "../../server/chain/roles";
import { CnipaNumberError, checkDigitOf, chinaDayOf, dayOf, kindOfDigit, parseCnipaNumber } from "../../server/chain/cnipa";
import { LibraryHarness__factory } from "../../typechain-types";

async function harnessFixture() {
  const [deployer] = await ethers.getSigners();
  const harness = await new LibraryHarness__factory(deployer).deploy();
  return { harness };
}

const DAY_MS = 86_400_000;
/** 9999-12-31: the last day the properties cover. */
const LAST_DAY = Date.UTC(9999, 11, 31) / DAY_MS;

/** A digit string of a CNIPA application number, 12-digit (years 1990-2100) or 8-digit (any 2-digit year). */
const digitsArb = fc.oneof(
  fc
    .tuple(fc.integer({ min: 1990, max: 2100 }), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 9_999_999 }))
    .map(([y, k, s]) => `${y}${k}${String(s).padStart(7, "0")}`),
  fc
    .tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 99_999 }))
    .map(([y, k, s]) => `${String(y).padStart(2, "0")}${k}${String(s).padStart(5, "0")}`),
);

function civilOf(day: number): [number, number, number] {
  const d = new Date(day * DAY_MS);
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
}

describe("CnipaNumber (library, through LibraryHarness)", () => {
  after(async () => reset());

  describe("checkDigit", () => {
    it("equals checkDigitOf of server/chain/cnipa.ts for 12-digit numbers", async () => {
      const { harness } = await loadFixture(harnessFixture);
      await fc.assert(
        fc.asyncProperty(fc.bigInt({ min: 100_000_000_000n, max: 999_999_999_999n }), async (n) => {
          expect(Number(await harness.checkDigit(n))).to.equal(checkDigitOf(n.toString()));
        }),
        fcParams(),
      );
    });

    it("equals checkDigitOf for 8-digit numbers, leading zeros included", async () => {
      const { harness } = await loadFixture(harnessFixture);
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 0, max: 99_999_999 }), async (n) => {
          expect(Number(await harness.checkDigit(n))).to.equal(checkDigitOf(String(n).padStart(8, "0")));
        }),
        fcParams(),
      );
    });

    it("gives X (10) and the example ZL202110234567.5", async () => {
      const { harness } = await loadFixture(harnessFixture);
      expect(await harness.checkDigit(201910000017n)).to.equal(10n);
      expect(await harness.checkDigit(202110234567n)).to.equal(5n);
    });
  });

  describe("parse", () => {
    it("accepts exactly the numbers parseCnipaNumber accepts, with the same year and kind", async () => {
      const { harness } = await loadFixture(harnessFixture);
      await fc.assert(
        fc.asyncProperty(digitsArb, async (digits) => {
          const check = checkDigitOf(digits);
          const cited = `ZL${digits}.${check === 10 ? "X" : check}`;
          let offChain: ReturnType<typeof parseCnipaNumber> | undefined;
          try {
            offChain = parseCnipaNumber(cited);
          } catch (err) {
            expect(err).to.be.instanceOf(CnipaNumberError);
          }
          const [ok, year, kindDigit] = await harness.parse(BigInt(digits));
          const kind = kindOfDigit(Number(kindDigit));
          const onChain = ok && kind !== undefined && (await harness.kindMatches(kindDigit, kind));
          expect(onChain, cited).to.equal(offChain !== undefined);
          if (offChain) {
            expect(Number(year)).to.equal(offChain.year);
            expect(Number(kindDigit)).to.equal(offChain.kindDigit);
            expect(kind).to.equal(offChain.kind);
          }
        }),
        fcParams(),
      );
    });

    it("refuses numbers of 9 to 11 digits, zero, and 13 or more digits", async () => {
      const { harness } = await loadFixture(harnessFixture);
      const malformed = fc.oneof(
        fc.constant(0n),
        fc.bigInt({ min: 100_000_000n, max: 99_999_999_999n }),
        fc.bigInt({ min: 1_000_000_000_000n, max: 2n ** 64n - 1n }),
      );
      await fc.assert(
        fc.asyncProperty(malformed, async (n) => {
          expect((await harness.parse(n))[0]).to.equal(false);
        }),
        fcParams(),
      );
    });

    it("reads 8-digit years 85-99 as 19xx and 00-03 as 20xx", async () => {
      const { harness } = await loadFixture(harnessFixture);
      expect(await harness.parse(85_100_001n)).to.deep.equal([true, 1985n, 1n]);
      expect(await harness.parse(99_300_001n)).to.deep.equal([true, 1999n, 3n]);
      expect(await harness.parse(100_001n)).to.deep.equal([true, 2000n, 1n]);
      expect(await harness.parse(3_200_001n)).to.deep.equal([true, 2003n, 2n]);
      expect((await harness.parse(4_100_001n))[0]).to.equal(false);
      expect((await harness.parse(84_100_001n))[0]).to.equal(false);
    });
  });

  describe("kindMatches", () => {
    it("matches kind digits 1/8 to inventions, 2/9 to utility models and 3 to designs, nothing else", async () => {
      const { harness } = await loadFixture(harnessFixture);
      for (let digit = 0; digit <= 9; digit++) {
        for (const kind of [PatentKind.Invention, PatentKind.UtilityModel, PatentKind.Design]) {
          expect(await harness.kindMatches(digit, kind), `${digit}/${PatentKind[kind]}`).to.equal(kindOfDigit(digit) === kind);
        }
      }
    });
  });
});

describe("CalendarDays (library, through LibraryHarness)", () => {
  after(async () => reset());

  it("toCivil agrees with JavaScript Date from 1970 to 9999", async () => {
    const { harness } = await loadFixture(harnessFixture);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: LAST_DAY }), async (day) => {
        expect((await harness.toCivil(day)).map(Number)).to.deep.equal(civilOf(day));
      }),
      fcParams(),
    );
  });

  it("fromCivil agrees with Date.UTC for every valid date from 1970 to 9999", async () => {
    const { harness } = await loadFixture(harnessFixture);
    const dateArb = fc
      .tuple(fc.integer({ min: 1970, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }))
      .filter(([y, m, d]) => new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d);
    await fc.assert(
      fc.asyncProperty(dateArb, async ([y, m, d]) => {
        expect(Number(await harness.fromCivil(y, m, d))).to.equal(Date.UTC(y, m - 1, d) / DAY_MS);
      }),
      fcParams(),
    );
  });

  it("yearOf agrees with getUTCFullYear", async () => {
    const { harness } = await loadFixture(harnessFixture);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: LAST_DAY }), async (day) => {
        expect(Number(await harness.yearOf(day))).to.equal(new Date(day * DAY_MS).getUTCFullYear());
      }),
      fcParams(),
    );
  });

  it("addYears keeps the calendar date and maps 29 February to 1 March in common years, like Date.UTC", async () => {
    const { harness } = await loadFixture(harnessFixture);
    const leapDays = fc.integer({ min: 0, max: 2000 }).map((k) => Date.UTC(1972 + 4 * k, 1, 29) / DAY_MS);
    const dayArb = fc.oneof(fc.integer({ min: 0, max: Date.UTC(9900, 0, 1) / DAY_MS }), leapDays);
    await fc.assert(
      fc.asyncProperty(dayArb, fc.integer({ min: 0, max: 30 }), async (day, years) => {
        const [y, m, d] = civilOf(day);
        expect(Number(await harness.addYears(day, years))).to.equal(Date.UTC(y + years, m - 1, d) / DAY_MS);
      }),
      fcParams(),
    );
  });

  it("addYears of fixed cases: 2020-02-29 + 10 = 2030-03-01, + 20 = 2040-02-29, 2100 is no leap year", async () => {
    const { harness } = await loadFixture(harnessFixture);
    expect(await harness.addYears(dayOf("2020-02-29"), 10)).to.equal(BigInt(dayOf("2030-03-01")));
    expect(await harness.addYears(dayOf("2020-02-29"), 20)).to.equal(BigInt(dayOf("2040-02-29")));
    expect(await harness.addYears(dayOf("2096-02-29"), 4)).to.equal(BigInt(dayOf("2100-03-01")));
    expect(await harness.addYears(dayOf("1996-02-29"), 4)).to.equal(BigInt(dayOf("2000-02-29")));
  });

  it("today is the China Standard Time day of the block timestamp (UTC+8), across midnight", async () => {
    const { harness } = await loadFixture(harnessFixture);
    const runs = Math.min(fcParams().numRuns ?? 200, 50);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 40 }), fc.integer({ min: -3, max: 3 }), async (daysAhead, secondsFromMidnight) => {
        const latestDay = chinaDayOf(await time.latest());
        const ts = (latestDay + daysAhead) * 86_400 - 8 * 3600 + secondsFromMidnight;
        await time.setNextBlockTimestamp(ts);
        await expect(harness.recordToday()).to.emit(harness, "TodayRecorded").withArgs(chinaDayOf(ts), ts);
        expect(Number(await harness.today())).to.equal(chinaDayOf(ts));
      }),
      { ...fcParams(), numRuns: runs },
    );
  });
});
