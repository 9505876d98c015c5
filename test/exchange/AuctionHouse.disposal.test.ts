import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import { Act, LockBits, Roles } from "../../server/chain/roles";
import {
  AuctionKind,
  AuctionStatus,
  CHONGQING_FEE_BPS,
  HOUR,
  auctionFixture,
  disposal,
  registeredPledge,
  today,
  type AuctionFixture,
} from "./auctionFixtures";

/** Pledge statuses and pledged-patent statuses used below; mirror contracts/libraries/PledgeTypes.sol. */
const PledgeStatus = { Defaulted: 7, Enforced: 8 } as const;
const PatentInPledge = { Pledged: 1, Disposing: 3, Disposed: 5 } as const;

/** A disposal of ids[0] (debt 5,000,000, reserve 4,000,000) with a bid by companyA through Chongqing. */
async function bidDisposalFixture() {
  const f = await auctionFixture();
  const d = await disposal(f, f.ids[0]!);
  await f.auctionHouse.connect(f.companyA).bid(d.auctionId, f.tokenAddress, 4_000_000n, f.chongqing.address, ethers.ZeroAddress);
  return { ...f, ...d };
}

/** Bids `price` by companyB through Chengdu with the broker, ends, closes, and returns the transfer id. */
async function sellAt(f: AuctionFixture & { auctionId: bigint }, price: bigint): Promise<bigint> {
  await f.auctionHouse.connect(f.companyB).bid(f.auctionId, f.tokenAddress, price, f.chengdu.address, f.broker.address);
  await time.increaseTo((await f.auctionHouse.auction(f.auctionId)).endTime);
  await f.auctionHouse.close(f.auctionId);
  return f.registry.pendingTransfer(f.ids[0]!);
}

describe("AuctionHouse (pledge disposal)", () => {
  describe("startDisposal", () => {
    it("opens a disposal auction from the Pledges contract and locks LOCK_DISPOSAL", async () => {
      const f = await loadFixture(auctionFixture);
      const { pledgeId, auctionId, endTime } = await disposal(f, f.ids[0]!);
      const a = await f.auctionHouse.auction(auctionId);
      expect(a.kind).to.equal(AuctionKind.Disposal);
      expect(a.status).to.equal(AuctionStatus.Open);
      expect(a.pledgeId).to.equal(pledgeId);
      expect(a.seller).to.equal(f.uniA.address);
      expect(a.reserve).to.equal(4_000_000n);
      expect(a.endTime).to.equal(endTime);
      expect(a.maxEndTime).to.equal(endTime + 24 * HOUR);
      expect(a.incrementBps).to.equal(100);
      expect(a.listingVenue).to.equal(ethers.ZeroAddress);
      expect(await f.registry.isLocked(f.ids[0]!, LockBits.DISPOSAL)).to.equal(true);
      expect((await f.pledges.pledgedPatent(pledgeId, f.ids[0]!)).status).to.equal(PatentInPledge.Disposing);
    });

    it("emits AuctionCreated and the Pledges contract's DisposalStarted with the auction id", async () => {
      const f = await loadFixture(auctionFixture);
      const pledgeId = await registeredPledge(f, f.ids[0]!);
      const endTime = (await time.latest()) + HOUR;
      const tx = f.pledges.connect(f.bankA).startDisposal(pledgeId, [f.ids[0]!], [4_000_000n], f.tokenAddress, endTime);
      await expect(tx).to.emit(f.auctionHouse, "AuctionCreated").withArgs(1n, f.ids[0]!, f.uniA.address, anyValue);
      await expect(tx)
        .to.emit(f.pledges, "DisposalStarted")
        .withArgs(pledgeId, f.ids[0]!, 1n, f.house, f.tokenAddress, 4_000_000n, endTime);
      await expect(tx).to.emit(f.registry, "PatentLocked").withArgs(f.ids[0]!, LockBits.DISPOSAL, f.house);
    });

    it("reverts with AuctionHouseNotPledges for any caller but the Pledges contract", async () => {
      const f = await loadFixture(auctionFixture);
      const endTime = (await time.latest()) + HOUR;
      await expect(f.auctionHouse.connect(f.bankA).startDisposal(1n, f.ids[0]!, f.tokenAddress, 1n, endTime))
        .to.be.revertedWithCustomError(f.auctionHouse, "AuctionHouseNotPledges")
        .withArgs(f.bankA.address);
    });

    it("reverts with AuctionHouseBadSchedule for an end time in the past", async () => {
      const f = await loadFixture(auctionFixture);
      const pledgeId = await registeredPledge(f, f.ids[0]!);
      const now = await time.latest();
      await time.setNextBlockTimestamp(now + 5);
      await expect(f.pledges.connect(f.bankA).startDisposal(pledgeId, [f.ids[0]!], [1n], f.tokenAddress, now))
        .to.be.revertedWithCustomError(f.auctionHouse, "AuctionHouseBadSchedule")
        .withArgs(now + 5, now, now, now + 5);
    });

    it("refuses to start while an owner auction holds the patent (AuctionHouseUnderAuction)", async () => {
      const f = await loadFixture(auctionFixture);
      const pledgeId = await registeredPledge(f, f.ids[0]!);
      await f.pledges.connect(f.bankA).consent(pledgeId, f.ids[0]!, Act.List, ethers.ZeroAddress, 0);
      await f.auctionHouse.connect(f.uniA).createAuction(f.terms(f.ids[0]!));
      await expect(f.pledges.connect(f.bankA).startDisposal(pledgeId, [f.ids[0]!], [1n], f.tokenAddress, (await time.latest()) + HOUR))
        .to.be.revertedWithCustomError(f.auctionHouse, "AuctionHouseUnderAuction")
        .withArgs(f.ids[0]!, 1n);
    });
  });

  describe("bid", () => {
    it("reverts with AuctionHouseSellerBid when the pledgor bids on its own patent", async () => {
      const f = await loadFixture(auctionFixture);
      const { auctionId } = await disposal(f, f.ids[0]!);
      await f.token.connect(f.admin).mint(f.uniA.address, 10_000_000n);
      await f.token.connect(f.uniA).approve(f.house, ethers.MaxUint256);
      await expect(f.auctionHouse.connect(f.uniA).bid(auctionId, f.tokenAddress, 4_000_000n, f.chengdu.address, ethers.ZeroAddress))
        .to.be.revertedWithCustomError(f.auctionHouse, "AuctionHouseSellerBid")
        .withArgs(auctionId, f.uniA.address);
    });

    it("reverts with AuctionHouseBelowIncrement under the 1% disposal increment", async () => {
      const f = await loadFixture(bidDisposalFixture);
      await expect(f.auctionHouse.connect(f.companyB).bid(f.auctionId, f.tokenAddress, 4_039_999n, f.chengdu.address, ethers.ZeroAddress))
        .to.be.revertedWithCustomError(f.auctionHouse, "AuctionHouseBelowIncrement")
        .withArgs(f.auctionId, 4_039_999n, 4_040_000n);
    });
  });

  describe("guard of LOCK_DISPOSAL", () => {
    it("refuses an owner auction of a patent under disposal", async () => {
      const f = await loadFixture(bidDisposalFixture);
      await expect(f.auctionHouse.connect(f.uniA).createAuction(f.terms(f.ids[0]!)))
        .to.be.revertedWithCustomError(f.auctionHouse, "AuctionHouseUnderAuction")
        .withArgs(f.ids[0]!, f.auctionId);
    });

    it("refuses another module's act on the patent (a module agreeing a transfer)", async () => {
      const f = await loadFixture(bidDisposalFixture);
      await f.accessManager.connect(f.admin).grantRole(Roles.MODULE, f.stranger.address, 0);
      // the Pledges guard answers first (bit 2) for a patent under disposal
      await expect(f.registry.connect(f.stranger).agreeTransfer(f.ids[0]!, f.companyB.address, ethers.id("x")))
        .to.be.revertedWithCustomError(f.pledges, "PledgesUnderDisposal")
        .withArgs(f.pledgeId, f.ids[0]!);
    });
  });

  describe("settlement", () => {
    it("pays the pledgee first, then the fees, then the surplus to the pledgor", async () => {
      const f = await loadFixture(bidDisposalFixture);
      const transferId = await sellAt(f, 6_000_000n);
      // debt 5,000,000; fee 2% of 6,000,000 = 120,000 (within the 1,000,000 above the debt), all to
      // Chengdu (the winner's venue) less the broker's 20% of the buyer venue's half (12,000)
      const tx = f.registry.connect(f.registrar).registerTransfer(transferId, "ZR2026-0009", await today());
      await expect(tx)
        .to.emit(f.auctionHouse, "AuctionSettled")
        .withArgs(f.auctionId, f.ids[0]!, f.companyB.address, transferId, [
          6_000_000n,
          5_000_000n,
          await f.pledges.getAddress(),
          5_880_000n,
          f.chengdu.address,
          108_000n,
          ethers.ZeroAddress,
          0n,
          f.chengdu.address,
          0n,
          f.broker.address,
          12_000n,
        ]);
      await expect(tx)
        .to.emit(f.pledges, "DisposalSettled")
        .withArgs(f.pledgeId, f.ids[0]!, f.companyB.address, f.auctionId, 5_880_000n, 5_000_000n, 880_000n);
      await expect(tx).to.changeTokenBalances(f.token, [f.bankA, f.uniA, f.house], [5_000_000n, 880_000n, -5_880_000n]);
      await expect(tx).to.emit(f.registry, "PatentUnlocked").withArgs(f.ids[0]!, LockBits.DISPOSAL, f.house);
      expect(await f.registry.ownerOf(f.ids[0]!)).to.equal(f.companyB.address);
      expect(await f.auctionHouse.withdrawable(f.chengdu.address, f.tokenAddress)).to.equal(108_000n);
      expect(await f.auctionHouse.withdrawable(f.broker.address, f.tokenAddress)).to.equal(12_000n);
      expect(await f.auctionHouse.withdrawable(f.companyA.address, f.tokenAddress)).to.equal(4_000_000n);
      expect(await f.token.balanceOf(f.house)).to.equal(4_000_000n + 120_000n);
      expect((await f.pledges.pledge(f.pledgeId)).status).to.equal(PledgeStatus.Enforced);
      expect((await f.pledges.pledgedPatent(f.pledgeId, f.ids[0]!)).status).to.equal(PatentInPledge.Disposed);
      expect((await f.auctionHouse.auction(f.auctionId)).status).to.equal(AuctionStatus.Sold);
    });

    it("caps the fee at the part of the price above the debt outstanding", async () => {
      const f = await loadFixture(bidDisposalFixture);
      const transferId = await sellAt(f, 5_050_000n);
      // nominal fee 101,000 > 50,000 above the debt: the fee is 50,000 and the pledgee gets all it is owed
      await expect(f.registry.connect(f.registrar).registerTransfer(transferId, "ZR", await today()))
        .to.emit(f.pledges, "DisposalSettled")
        .withArgs(f.pledgeId, f.ids[0]!, f.companyB.address, f.auctionId, 5_000_000n, 5_000_000n, 0n);
      expect(await f.auctionHouse.withdrawable(f.chengdu.address, f.tokenAddress)).to.equal(45_000n);
      expect(await f.auctionHouse.withdrawable(f.broker.address, f.tokenAddress)).to.equal(5_000n);
    });

    it("takes no fee when the price does not cover the debt", async () => {
      const f = await loadFixture(bidDisposalFixture);
      await time.increaseTo((await f.auctionHouse.auction(f.auctionId)).endTime);
      await f.auctionHouse.close(f.auctionId);
      const transferId = await f.registry.pendingTransfer(f.ids[0]!);
      const tx = f.registry.connect(f.registrar).registerTransfer(transferId, "ZR", await today());
      await expect(tx)
        .to.emit(f.pledges, "DisposalSettled")
        .withArgs(f.pledgeId, f.ids[0]!, f.companyA.address, f.auctionId, 4_000_000n, 4_000_000n, 0n);
      await expect(tx).to.changeTokenBalances(f.token, [f.bankA, f.house], [4_000_000n, -4_000_000n]);
      expect(await f.auctionHouse.withdrawable(f.chongqing.address, f.tokenAddress)).to.equal(0n);
      expect(await f.token.balanceOf(f.house)).to.equal(0n);
    });

    it("uses the winner's venue's rate for the fee", async () => {
      const f = await loadFixture(auctionFixture);
      const d = await disposal(f, f.ids[0]!, 1_000_000n, { securedAmount: 1_000_000n });
      await f.auctionHouse.connect(f.companyA).bid(d.auctionId, f.tokenAddress, 2_000_000n, f.chongqing.address, ethers.ZeroAddress);
      await time.increaseTo(d.endTime);
      await f.auctionHouse.close(d.auctionId);
      await f.registry.connect(f.registrar).registerTransfer(await f.registry.pendingTransfer(f.ids[0]!), "ZR", await today());
      // 1.5% of 2,000,000 = 30,000 to Chongqing; the pledgor gets 2,000,000 - 1,000,000 - 30,000
      expect(await f.auctionHouse.withdrawable(f.chongqing.address, f.tokenAddress)).to.equal(30_000n);
      expect(await f.auctionHouse.withdrawable(f.chengdu.address, f.tokenAddress)).to.equal(0n);
      expect((2_000_000n * BigInt(CHONGQING_FEE_BPS)) / 10_000n).to.equal(30_000n);
      expect(await f.token.balanceOf(f.uniA.address)).to.equal(970_000n);
    });
  });

  describe("unsold and refused", () => {
    it("ends unsold without a bid, clears the lock and returns the patent to the pledge", async () => {
      const f = await loadFixture(auctionFixture);
      const { pledgeId, auctionId, endTime } = await disposal(f, f.ids[0]!);
      await time.increaseTo(endTime);
      const tx = f.auctionHouse.close(auctionId);
      await expect(tx).to.emit(f.auctionHouse, "AuctionUnsold").withArgs(auctionId, f.ids[0]!, ethers.ZeroAddress, 0n, "0x");
      await expect(tx).to.emit(f.pledges, "DisposalFailed").withArgs(pledgeId, f.ids[0]!, auctionId);
      await expect(tx).to.emit(f.registry, "PatentUnlocked").withArgs(f.ids[0]!, LockBits.DISPOSAL, f.house);
      expect((await f.pledges.pledgedPatent(pledgeId, f.ids[0]!)).status).to.equal(PatentInPledge.Pledged);
      expect((await f.pledges.pledge(pledgeId)).status).to.equal(PledgeStatus.Defaulted);
      // the pledgee may start again with a lower reserve
      await f.pledges.connect(f.bankA).startDisposal(pledgeId, [f.ids[0]!], [1_000_000n], f.tokenAddress, (await time.latest()) + HOUR);
      expect((await f.auctionHouse.auction(auctionId + 1n)).reserve).to.equal(1_000_000n);
    });

    it("refunds the winner, clears the lock and calls onDisposalFailed when registration is refused", async () => {
      const f = await loadFixture(bidDisposalFixture);
      const transferId = await sellAt(f, 6_000_000n);
      const tx = f.registry.connect(f.registrar).refuseTransfer(transferId, "court preservation order");
      await expect(tx)
        .to.emit(f.auctionHouse, "AuctionRefused")
        .withArgs(f.auctionId, f.ids[0]!, transferId, f.companyB.address, 6_000_000n);
      await expect(tx).to.emit(f.pledges, "DisposalFailed").withArgs(f.pledgeId, f.ids[0]!, f.auctionId);
      await expect(tx).to.emit(f.registry, "PatentUnlocked").withArgs(f.ids[0]!, LockBits.DISPOSAL, f.house);
      expect(await f.registry.ownerOf(f.ids[0]!)).to.equal(f.uniA.address);
      expect(await f.auctionHouse.withdrawable(f.companyB.address, f.tokenAddress)).to.equal(6_000_000n);
      expect(await f.auctionHouse.withdrawable(f.companyA.address, f.tokenAddress)).to.equal(4_000_000n);
      expect(await f.token.balanceOf(f.house)).to.equal(10_000_000n);
      expect((await f.pledges.pledgedPatent(f.pledgeId, f.ids[0]!)).status).to.equal(PatentInPledge.Pledged);
      await f.auctionHouse.connect(f.companyB).withdraw(f.tokenAddress);
      await f.auctionHouse.connect(f.companyA).withdraw(f.tokenAddress);
      expect(await f.token.balanceOf(f.house)).to.equal(0n);
      // the pledgee may now release the patent
      await f.pledges.connect(f.bankA).releasePledge(f.pledgeId);
    });
  });
});
