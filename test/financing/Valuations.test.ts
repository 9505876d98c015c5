import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { financingFixture, today } from "./fixtures";

const Method = { Cost: 0, Market: 1, Income: 2 } as const;
const CNY = "0x434e59";

describe("Valuations", () => {
  describe("recordValuation", () => {
    it("records appraisals that banks read as latest and as history", async () => {
      const f = await loadFixture(financingFixture);
      const id = f.ids[0]!;
      const day = await today();
      const report = ethers.id("report-1");
      await expect(f.valuations.connect(f.appraiser).recordValuation(id, 8_000_000n, CNY, Method.Income, day - 3, report))
        .to.emit(f.valuations, "ValuationRecorded")
        .withArgs(id, 0n, f.appraiser.address, 8_000_000n, CNY, Method.Income, day - 3, report);
      await expect(
        f.valuations.connect(f.appraiser).recordValuation(id, 9_000_000n, CNY, Method.Market, day, ethers.id("report-2")),
      )
        .to.emit(f.valuations, "ValuationRecorded")
        .withArgs(id, 1n, f.appraiser.address, 9_000_000n, CNY, Method.Market, day, ethers.id("report-2"));
      expect(await f.valuations.valuationCount(id)).to.equal(2n);
      const latest = await f.valuations.connect(f.bankA).latestValuation(id);
      expect(latest.amount).to.equal(9_000_000n);
      expect(latest.method).to.equal(Method.Market);
      expect(latest.appraiser).to.equal(f.appraiser.address);
      const first = await f.valuations.valuationAt(id, 0n);
      expect([first.amount, first.method, first.valuationDay, first.reportHash, first.currency]).to.deep.equal([
        8_000_000n,
        BigInt(Method.Income),
        BigInt(day - 3),
        report,
        CNY,
      ]);
    });

    it("reverts with ValuationsZeroAmount, ValuationsInvalidCurrency, ValuationsDayInFuture and ValuationsEmptyReport", async () => {
      const f = await loadFixture(financingFixture);
      const id = f.ids[0]!;
      const day = await today();
      const v = f.valuations.connect(f.appraiser);
      const report = ethers.id("r");
      await expect(v.recordValuation(id, 0n, CNY, Method.Cost, day, report))
        .to.be.revertedWithCustomError(f.valuations, "ValuationsZeroAmount")
        .withArgs(id);
      await expect(v.recordValuation(id, 1n, "0x000000", Method.Cost, day, report))
        .to.be.revertedWithCustomError(f.valuations, "ValuationsInvalidCurrency")
        .withArgs("0x000000");
      await expect(v.recordValuation(id, 1n, CNY, Method.Cost, day + 1, report))
        .to.be.revertedWithCustomError(f.valuations, "ValuationsDayInFuture")
        .withArgs(day + 1, day);
      await expect(v.recordValuation(id, 1n, CNY, Method.Cost, day, ethers.ZeroHash))
        .to.be.revertedWithCustomError(f.valuations, "ValuationsEmptyReport")
        .withArgs(id);
      await expect(v.recordValuation(999n, 1n, CNY, Method.Cost, day, report))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryUnknownPatent")
        .withArgs(999n);
    });

    it("reverts with AccessManagedUnauthorized for a caller without the appraiser role", async () => {
      const f = await loadFixture(financingFixture);
      await expect(
        f.valuations.connect(f.bankA).recordValuation(f.ids[0]!, 1n, CNY, Method.Cost, await today(), ethers.id("r")),
      )
        .to.be.revertedWithCustomError(f.valuations, "AccessManagedUnauthorized")
        .withArgs(f.bankA.address);
    });
  });

  describe("latestValuation and valuationAt", () => {
    it("reverts with ValuationsNoValuation and ValuationsIndexOutOfRange", async () => {
      const f = await loadFixture(financingFixture);
      const id = f.ids[0]!;
      await expect(f.valuations.latestValuation(id))
        .to.be.revertedWithCustomError(f.valuations, "ValuationsNoValuation")
        .withArgs(id);
      await expect(f.valuations.valuationAt(id, 0n))
        .to.be.revertedWithCustomError(f.valuations, "ValuationsIndexOutOfRange")
        .withArgs(id, 0n, 0n);
    });
  });
});
