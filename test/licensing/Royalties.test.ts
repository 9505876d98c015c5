import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { LockBits, Roles } from "../../server/chain/roles";
import { FeeMethod, FeeTrigger, LicenceKind } from "../../server/chain/licensing";
import { MockEncumbranceGuard__factory, ReentrantToken__factory } from "../../typechain-types";
import { DAY, chainToday, licenceTerms, licensingFixture, nextLicenceId, type GrantOptions, type LicensingFixture } from "./fixture";

async function grant(f: LicensingFixture, licensee: string, o: GrantOptions = {}) {
  const id = await nextLicenceId(f);
  await f.licensing.connect(f.uniA).grant(f.patentId, licenceTerms(licensee, f.tokenAddress, f.today, o));
  return id;
}

/** uniA shares: unit 50.00 %, inventors (uniB) 33.33 %, technology-transfer office (broker) 16.67 %. */
async function declareShares(f: LicensingFixture) {
  await f.royalties.connect(f.uniA).declareShares(f.patentId, {
    unitBps: 5000,
    inventorsBps: 3333,
    ttoBps: 1667,
    inventors: f.uniB.address,
    tto: f.broker.address,
  });
}

const royalty: GrantOptions = { method: FeeMethod.RunningRoyalty, royaltyBps: 500 };

describe("Royalties", () => {
  describe("declareShares", () => {
    it("records the shares and emits SharesDeclared", async () => {
      const f = await loadFixture(licensingFixture);
      const shares = { unitBps: 6000, inventorsBps: 3000, ttoBps: 1000, inventors: f.uniB.address, tto: f.broker.address };
      await expect(f.royalties.connect(f.uniA).declareShares(f.patentId, shares))
        .to.emit(f.royalties, "SharesDeclared")
        .withArgs(f.patentId, f.uniA.address, [6000, 3000, 1000, f.uniB.address, f.broker.address]);
      const [stored, by] = await f.royalties.shares(f.patentId);
      expect(stored.inventorsBps).to.equal(3000n);
      expect(by).to.equal(f.uniA.address);
    });

    it("reverts with RoyaltiesNotOwner, RoyaltiesSharesNotWhole and RoyaltiesNoPayoutAddress", async () => {
      const f = await loadFixture(licensingFixture);
      const ok = { unitBps: 6000, inventorsBps: 3000, ttoBps: 1000, inventors: f.uniB.address, tto: f.broker.address };
      await expect(f.royalties.connect(f.stranger).declareShares(f.patentId, ok))
        .to.be.revertedWithCustomError(f.royalties, "RoyaltiesNotOwner")
        .withArgs(f.patentId, f.stranger.address, f.uniA.address);
      await expect(f.royalties.connect(f.uniA).declareShares(f.patentId, { ...ok, ttoBps: 999 }))
        .to.be.revertedWithCustomError(f.royalties, "RoyaltiesSharesNotWhole")
        .withArgs(f.patentId, 9999n);
      await expect(f.royalties.connect(f.uniA).declareShares(f.patentId, { ...ok, tto: ethers.ZeroAddress }))
        .to.be.revertedWithCustomError(f.royalties, "RoyaltiesNoPayoutAddress")
        .withArgs(f.patentId);
      await expect(f.royalties.connect(f.uniA).declareShares(f.patentId, { ...ok, inventors: ethers.ZeroAddress }))
        .to.be.revertedWithCustomError(f.royalties, "RoyaltiesNoPayoutAddress")
        .withArgs(f.patentId);
      await expect(
        f.royalties.connect(f.uniA).declareShares(f.patentId, { ...ok, unitBps: 7000, ttoBps: 0, tto: ethers.ZeroAddress }),
      ).to.emit(f.royalties, "SharesDeclared");
    });
  });

  describe("reportRevenue", () => {
    it("computes the royalty due on chain and adds it to what is owed", async () => {
      const f = await loadFixture(licensingFixture);
      const id = await grant(f, f.companyA.address, royalty);
      const report = ethers.id("2026Q3");
      await expect(f.royalties.connect(f.companyA).reportRevenue(id, 1_234_567n, report))
        .to.emit(f.royalties, "RevenueReported")
        .withArgs(id, f.patentId, f.companyA.address, 1_234_567n, 61_728n, 61_728n, report);
      await expect(f.royalties.connect(f.companyA).reportRevenue(id, 100n, report))
        .to.emit(f.royalties, "RevenueReported")
        .withArgs(id, f.patentId, f.companyA.address, 100n, 5n, 61_733n, report);
      const a = await f.royalties.account(id);
      expect([a.owed, a.revenue]).to.deep.equal([61_733n, 1_234_667n]);
    });

    it("makes a use-first-pay-later fee fall due on the first revenue reported", async () => {
      const f = await loadFixture(licensingFixture);
      const id = await grant(f, f.companyA.address, { method: FeeMethod.UseFirstPayLater, amount: 80_000n, trigger: FeeTrigger.RevenueReported });
      expect(await f.royalties.feeStatus(id)).to.deep.equal([false, 80_000n, false]);
      await expect(f.royalties.connect(f.companyA).reportRevenue(id, 0n, ethers.ZeroHash)).not.to.emit(f.royalties, "FeeFellDue");
      const tx = f.royalties.connect(f.companyA).reportRevenue(id, 5_000n, ethers.ZeroHash);
      await expect(tx).to.emit(f.royalties, "FeeFellDue").withArgs(id, f.patentId, FeeTrigger.RevenueReported, f.today, 80_000n);
      await expect(tx).to.emit(f.royalties, "RevenueReported").withArgs(id, f.patentId, f.companyA.address, 5_000n, 0n, 0n, ethers.ZeroHash);
      expect(await f.royalties.feeStatus(id)).to.deep.equal([true, 80_000n, false]);
      await expect(f.royalties.connect(f.companyA).reportRevenue(id, 5_000n, ethers.ZeroHash)).not.to.emit(f.royalties, "FeeFellDue");
    });

    it("reverts with RoyaltiesNotLicensee, RoyaltiesWrongMethod and RoyaltiesWrongTrigger", async () => {
      const f = await loadFixture(licensingFixture);
      const running = await grant(f, f.companyA.address, royalty);
      await expect(f.royalties.connect(f.uniA).reportRevenue(running, 1n, ethers.ZeroHash))
        .to.be.revertedWithCustomError(f.royalties, "RoyaltiesNotLicensee")
        .withArgs(running, f.uniA.address, f.companyA.address);
      const lump = await grant(f, f.companyB.address);
      await expect(f.royalties.connect(f.companyB).reportRevenue(lump, 1n, ethers.ZeroHash))
        .to.be.revertedWithCustomError(f.royalties, "RoyaltiesWrongMethod")
        .withArgs(lump, FeeMethod.LumpSum);
      const dated = await grant(f, f.stranger.address, { method: FeeMethod.UseFirstPayLater, amount: 1n, trigger: FeeTrigger.Date, triggerDay: f.today + 5 });
      await expect(f.royalties.connect(f.stranger).reportRevenue(dated, 1n, ethers.ZeroHash))
        .to.be.revertedWithCustomError(f.royalties, "RoyaltiesWrongTrigger")
        .withArgs(dated, FeeTrigger.Date);
    });
  });

  describe("recordLaunch", () => {
    it("makes a launch-triggered fee fall due once", async () => {
      const f = await loadFixture(licensingFixture);
      const id = await grant(f, f.companyA.address, { method: FeeMethod.UseFirstPayLater, amount: 9_000n, trigger: FeeTrigger.ProductLaunched });
      const evidence = ethers.id("launch press release");
      const tx = f.royalties.connect(f.companyA).recordLaunch(id, evidence);
      await expect(tx).to.emit(f.royalties, "ProductLaunched").withArgs(id, f.patentId, f.today, evidence);
      await expect(tx).to.emit(f.royalties, "FeeFellDue").withArgs(id, f.patentId, FeeTrigger.ProductLaunched, f.today, 9_000n);
      await expect(f.royalties.connect(f.companyA).recordLaunch(id, evidence))
        .to.be.revertedWithCustomError(f.royalties, "RoyaltiesAlreadyLaunched")
        .withArgs(id, f.today);
    });

    it("reverts with RoyaltiesWrongMethod and RoyaltiesWrongTrigger", async () => {
      const f = await loadFixture(licensingFixture);
      const running = await grant(f, f.companyA.address, royalty);
      await expect(f.royalties.connect(f.companyA).recordLaunch(running, ethers.ZeroHash))
        .to.be.revertedWithCustomError(f.royalties, "RoyaltiesWrongMethod")
        .withArgs(running, FeeMethod.RunningRoyalty);
      const onRevenue = await grant(f, f.companyB.address, { method: FeeMethod.UseFirstPayLater, amount: 1n, trigger: FeeTrigger.RevenueReported });
      await expect(f.royalties.connect(f.companyB).recordLaunch(onRevenue, ethers.ZeroHash))
        .to.be.revertedWithCustomError(f.royalties, "RoyaltiesWrongTrigger")
        .withArgs(onRevenue, FeeTrigger.RevenueReported);
    });
  });

  describe("payRoyalty", () => {
    it("splits a payment three ways at once, the unit taking the rounding remainder", async () => {
      const f = await loadFixture(licensingFixture);
      await declareShares(f);
      const id = await grant(f, f.companyA.address, royalty);
      await f.royalties.connect(f.companyA).reportRevenue(id, 100_000n, ethers.ZeroHash); // owes 5,000
      // 1,001: inventors 1001*3333/10000 = 333, office 1001*1667/10000 = 166, unit 502
      const tx = f.royalties.connect(f.companyA).payRoyalty(id, 1_001n);
      await expect(tx)
        .to.emit(f.royalties, "RoyaltyPaid")
        .withArgs(id, f.patentId, f.companyA.address, 1n, false, f.tokenAddress, 1_001n, [
          f.uniA.address,
          502n,
          f.uniB.address,
          333n,
          f.broker.address,
          166n,
        ]);
      await expect(tx).to.changeTokenBalances(f.token, [f.companyA, f.uniA, f.uniB, f.broker], [-1_001n, 502n, 333n, 166n]);
      const a = await f.royalties.account(id);
      expect([a.owed, a.paid, a.payments]).to.deep.equal([3_999n, 1_001n, 1n]);
      expect(await f.token.balanceOf(await f.royalties.getAddress())).to.equal(0n);
    });

    it("pays everything to a new owner once the patent changed hands, until it declares shares", async () => {
      const f = await loadFixture(licensingFixture);
      await declareShares(f);
      const id = await grant(f, f.companyA.address, royalty);
      await f.royalties.connect(f.companyA).reportRevenue(id, 100_000n, ethers.ZeroHash);
      await f.registry.connect(f.uniA).proposeTransfer(f.patentId, f.uniB.address, ethers.ZeroHash);
      await f.registry.connect(f.uniB).acceptTransfer(1n);
      await f.registry.connect(f.registrar).registerTransfer(1n, "CNIPA-T-1", await chainToday());
      expect((await f.royalties.previewSplit(id, 1_000n, false)).unit).to.equal(f.uniB.address);
      await expect(f.royalties.connect(f.companyA).payRoyalty(id, 1_000n)).to.changeTokenBalances(
        f.token,
        [f.uniB, f.uniA, f.broker],
        [1_000n, 0n, 0n],
      );
    });

    it("reverts with RoyaltiesZeroAmount, RoyaltiesAboveOwed and RoyaltiesNotLicensee", async () => {
      const f = await loadFixture(licensingFixture);
      const id = await grant(f, f.companyA.address, royalty);
      await f.royalties.connect(f.companyA).reportRevenue(id, 1_000n, ethers.ZeroHash);
      await expect(f.royalties.connect(f.companyA).payRoyalty(id, 0n))
        .to.be.revertedWithCustomError(f.royalties, "RoyaltiesZeroAmount")
        .withArgs(id);
      await expect(f.royalties.connect(f.companyA).payRoyalty(id, 51n))
        .to.be.revertedWithCustomError(f.royalties, "RoyaltiesAboveOwed")
        .withArgs(id, 51n, 50n);
      await expect(f.royalties.connect(f.companyB).payRoyalty(id, 1n))
        .to.be.revertedWithCustomError(f.royalties, "RoyaltiesNotLicensee")
        .withArgs(id, f.companyB.address, f.companyA.address);
    });

    it("reverts with ReentrancyGuardReentrantCall when the token calls back into payRoyalty", async () => {
      const f = await loadFixture(licensingFixture);
      const evil = await new ReentrantToken__factory(f.admin).deploy();
      await evil.mint(f.companyA.address, 1_000_000n);
      await evil.connect(f.companyA).approve(await f.royalties.getAddress(), ethers.MaxUint256);
      const id = await grant(f, f.companyA.address, { ...royalty, token: await evil.getAddress() });
      await f.royalties.connect(f.companyA).reportRevenue(id, 100_000n, ethers.ZeroHash);
      await evil.arm(await f.royalties.getAddress(), f.royalties.interface.encodeFunctionData("payRoyalty", [id, 1n]));
      await expect(f.royalties.connect(f.companyA).payRoyalty(id, 100n)).to.be.revertedWithCustomError(
        f.royalties,
        "ReentrancyGuardReentrantCall",
      );
      await evil.arm(ethers.ZeroAddress, "0x");
      await expect(f.royalties.connect(f.companyA).payRoyalty(id, 100n)).to.emit(f.royalties, "RoyaltyPaid");
    });
  });

  describe("payFee", () => {
    it("pays a lump sum once, split", async () => {
      const f = await loadFixture(licensingFixture);
      await declareShares(f);
      const id = await grant(f, f.companyA.address, { amount: 100_000n });
      const tx = f.royalties.connect(f.companyA).payFee(id);
      await expect(tx)
        .to.emit(f.royalties, "RoyaltyPaid")
        .withArgs(id, f.patentId, f.companyA.address, 1n, true, f.tokenAddress, 100_000n, [
          f.uniA.address,
          50_000n,
          f.uniB.address,
          33_330n,
          f.broker.address,
          16_670n,
        ]);
      expect(await f.royalties.feeStatus(id)).to.deep.equal([true, 100_000n, true]);
      await expect(f.royalties.connect(f.companyA).payFee(id))
        .to.be.revertedWithCustomError(f.royalties, "RoyaltiesFeeAlreadyPaid")
        .withArgs(id);
    });

    it("pays the fee wholly to the proceedsTo the registry named at grant (a pledgee)", async () => {
      const f = await loadFixture(licensingFixture);
      await declareShares(f);
      const guard = await new MockEncumbranceGuard__factory(f.admin).deploy(await f.registry.getAddress());
      await f.accessManager.connect(f.admin).grantRole(Roles.MODULE, await guard.getAddress(), 0);
      await f.registry.connect(f.admin).setLockModule(LockBits.PLEDGED, await guard.getAddress());
      await guard.lock(f.patentId, LockBits.PLEDGED);
      await guard.configure(false, f.bankA.address);
      const id = await grant(f, f.companyA.address, { amount: 70_000n });
      await expect(f.royalties.connect(f.companyA).payFee(id)).to.changeTokenBalances(
        f.token,
        [f.companyA, f.bankA, f.uniA, f.uniB],
        [-70_000n, 70_000n, 0n, 0n],
      );
    });

    it("pays a sublicence's fee to the parent's licensee", async () => {
      const f = await loadFixture(licensingFixture);
      await declareShares(f);
      const parent = await grant(f, f.companyA.address, { kind: LicenceKind.Exclusive, sublicensable: true });
      const sub = await nextLicenceId(f);
      await f.licensing.connect(f.companyA).grantSublicence(parent, licenceTerms(f.companyB.address, f.tokenAddress, f.today, { amount: 4_000n }));
      await expect(f.royalties.connect(f.companyB).payFee(sub)).to.changeTokenBalances(
        f.token,
        [f.companyB, f.companyA, f.uniA],
        [-4_000n, 4_000n, 0n],
      );
    });

    it("lets a deferred fee be paid early, and reports a date trigger due from its day", async () => {
      const f = await loadFixture(licensingFixture);
      const id = await grant(f, f.companyA.address, { method: FeeMethod.UseFirstPayLater, amount: 3_000n, trigger: FeeTrigger.Date, triggerDay: f.today + 30 });
      expect(await f.royalties.feeStatus(id)).to.deep.equal([false, 3_000n, false]);
      await time.increase(30 * DAY);
      expect(await f.royalties.feeStatus(id)).to.deep.equal([true, 3_000n, false]);
      await expect(f.royalties.connect(f.companyA).payFee(id)).to.changeTokenBalances(f.token, [f.companyA, f.uniA], [-3_000n, 3_000n]);
    });

    it("sends nothing to a party whose share is zero", async () => {
      const f = await loadFixture(licensingFixture);
      await f.royalties.connect(f.uniA).declareShares(f.patentId, {
        unitBps: 0,
        inventorsBps: 10_000,
        ttoBps: 0,
        inventors: f.uniB.address,
        tto: ethers.ZeroAddress,
      });
      const id = await grant(f, f.companyA.address, { amount: 12_345n });
      const tx = f.royalties.connect(f.companyA).payFee(id);
      await expect(tx)
        .to.emit(f.royalties, "RoyaltyPaid")
        .withArgs(id, f.patentId, f.companyA.address, 1n, true, f.tokenAddress, 12_345n, [
          f.uniA.address,
          0n,
          f.uniB.address,
          12_345n,
          ethers.ZeroAddress,
          0n,
        ]);
      await expect(tx).to.changeTokenBalances(f.token, [f.companyA, f.uniA, f.uniB], [-12_345n, 0n, 12_345n]);
    });

    it("reverts with ReentrancyGuardReentrantCall when the token calls back into payFee", async () => {
      const f = await loadFixture(licensingFixture);
      const evil = await new ReentrantToken__factory(f.admin).deploy();
      await evil.mint(f.companyA.address, 1_000_000n);
      await evil.connect(f.companyA).approve(await f.royalties.getAddress(), ethers.MaxUint256);
      const id = await grant(f, f.companyA.address, { token: await evil.getAddress() });
      await evil.arm(await f.royalties.getAddress(), f.royalties.interface.encodeFunctionData("payFee", [id]));
      await expect(f.royalties.connect(f.companyA).payFee(id)).to.be.revertedWithCustomError(
        f.royalties,
        "ReentrancyGuardReentrantCall",
      );
    });

    it("reverts with RoyaltiesWrongMethod for a running royalty and RoyaltiesZeroAmount for a free licence", async () => {
      const f = await loadFixture(licensingFixture);
      const running = await grant(f, f.companyA.address, royalty);
      expect(await f.royalties.feeStatus(running)).to.deep.equal([false, 0n, false]);
      await expect(f.royalties.connect(f.companyA).payFee(running))
        .to.be.revertedWithCustomError(f.royalties, "RoyaltiesWrongMethod")
        .withArgs(running, FeeMethod.RunningRoyalty);
      const free = await grant(f, f.companyB.address, { amount: 0n });
      await expect(f.royalties.connect(f.companyB).payFee(free))
        .to.be.revertedWithCustomError(f.royalties, "RoyaltiesZeroAmount")
        .withArgs(free);
    });
  });

  describe("collectFee", () => {
    it("reverts with RoyaltiesNotLicensing for any caller but the licensing contract", async () => {
      const f = await loadFixture(licensingFixture);
      const id = await grant(f, f.companyA.address);
      await expect(f.royalties.connect(f.uniA).collectFee(id, f.companyA.address))
        .to.be.revertedWithCustomError(f.royalties, "RoyaltiesNotLicensing")
        .withArgs(f.uniA.address);
    });
  });
});
