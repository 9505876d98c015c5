import { expect } from "chai";
import { ethers } from "hardhat";
import { impersonateAccount, loadFixture, setBalance, time } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import { FUNCTION_ROLES } from "../../scripts/deploy";
import { Act, LegalStatus, LockBits, type Roles } from "../../server/chain/roles";
import { ReentrantToken__factory } from "../../typechain-types";
import {
  AuctionStatus,
  BROKER_SHARE_BPS,
  CHENGDU_FEE_BPS,
  HOUR,
  auctionFixture,
  openAuction,
  registeredPledge,
  today,
  type AuctionFixture,
} from "./auctionFixtures";

const Route = { EarlyRepayment: 0, Escrow: 1 } as const;

/** An owner auction of ids[0] with a first bid by companyA (1,000,000 through Chongqing). */
async function biddenFixture() {
  const f = await auctionFixture();
  const auctionId = await openAuction(f, f.ids[0]!);
  await f.auctionHouse.connect(f.companyA).bid(auctionId, f.tokenAddress, 1_000_000n, f.chongqing.address, ethers.ZeroAddress);
  return { ...f, auctionId };
}

/** biddenFixture, outbid by companyB (2,000,000 through Chongqing), ended and closed. */
async function closedFixture() {
  const f = await biddenFixture();
  await f.auctionHouse.connect(f.companyB).bid(f.auctionId, f.tokenAddress, 2_000_000n, f.chongqing.address, ethers.ZeroAddress);
  await time.increaseTo((await f.auctionHouse.auction(f.auctionId)).endTime);
  await f.auctionHouse.close(f.auctionId);
  const transferId = await f.registry.pendingTransfer(f.ids[0]!);
  return { ...f, transferId };
}

async function house(f: AuctionFixture): Promise<bigint> {
  return f.token.balanceOf(f.house);
}

describe("AuctionHouse", () => {
  describe("restricted functions", () => {
    for (const [role, names] of Object.entries(FUNCTION_ROLES.AuctionHouse) as [keyof typeof Roles, readonly string[]][]) {
      for (const name of names) {
        it(`reverts ${name} for a caller without ${role}`, async () => {
          const f = await loadFixture(auctionFixture);
          const args: Record<string, unknown[]> = {
            setRules: [{ extensionWindow: 60, disposalMaxExtension: 60, disposalIncrementBps: 10 }],
          };
          const target = f.auctionHouse.connect(f.stranger) as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
          await expect(target[name]!(...args[name]!))
            .to.be.revertedWithCustomError(f.auctionHouse, "AccessManagedUnauthorized")
            .withArgs(f.stranger.address);
        });
      }
    }
  });

  describe("setRules", () => {
    it("sets the rules and emits RulesSet; auctions opened later use them", async () => {
      const f = await loadFixture(auctionFixture);
      const rules = { extensionWindow: 300, disposalMaxExtension: 3_600, disposalIncrementBps: 250 };
      await expect(f.auctionHouse.connect(f.admin).setRules(rules))
        .to.emit(f.auctionHouse, "RulesSet")
        .withArgs([300, 3_600, 250]);
      const id = await openAuction(f, f.ids[0]!);
      expect((await f.auctionHouse.auction(id)).extensionWindow).to.equal(300);
    });

    it("reverts with AuctionHouseBadRules for a zero disposal increment", async () => {
      const f = await loadFixture(auctionFixture);
      const rules = { extensionWindow: 300, disposalMaxExtension: 3_600, disposalIncrementBps: 0 };
      await expect(f.auctionHouse.connect(f.admin).setRules(rules))
        .to.be.revertedWithCustomError(f.auctionHouse, "AuctionHouseBadRules")
        .withArgs([300, 3_600, 0]);
    });
  });

  describe("createAuction", () => {
    it("opens an auction, locks LOCK_AUCTION and emits AuctionCreated with the record", async () => {
      const f = await loadFixture(auctionFixture);
      const terms = f.terms(f.ids[0]!, { broker: f.broker.address });
      const tx = f.auctionHouse.connect(f.uniA).createAuction(terms);
      await expect(tx).to.emit(f.auctionHouse, "AuctionCreated").withArgs(1n, f.ids[0]!, f.uniA.address, anyValue);
      await expect(tx).to.emit(f.registry, "PatentLocked").withArgs(f.ids[0]!, LockBits.AUCTION, f.house);
      const a = await f.auctionHouse.auction(1n);
      expect(a.status).to.equal(AuctionStatus.Open);
      expect(a.seller).to.equal(f.uniA.address);
      expect(a.listingVenue).to.equal(f.chengdu.address);
      expect(a.listingFeeBps).to.equal(CHENGDU_FEE_BPS);
      expect(a.listingBroker).to.equal(f.broker.address);
      expect(a.listingBrokerBps).to.equal(BROKER_SHARE_BPS);
      expect(a.startTime).to.equal(await time.latest());
      expect(a.extensionWindow).to.equal(600);
      expect(await f.auctionHouse.activeAuctionOf(f.ids[0]!)).to.equal(1n);
      expect(await f.registry.isLocked(f.ids[0]!, LockBits.AUCTION)).to.equal(true);
    });

    it("reverts with AuctionHouseNotOwner when the caller does not own the patent", async () => {
      const f = await loadFixture(auctionFixture);
      await expect(f.auctionHouse.connect(f.stranger).createAuction(f.terms(f.ids[0]!)))
        .to.be.revertedWithCustomError(f.auctionHouse, "AuctionHouseNotOwner")
        .withArgs(f.ids[0]!, f.stranger.address, f.uniA.address);
    });

    it("reverts with AuctionHouseZeroToken, AuctionHouseZeroReserve and AuctionHouseBadIncrement for bad terms", async () => {
      const f = await loadFixture(auctionFixture);
      const h = f.auctionHouse.connect(f.uniA);
      await expect(h.createAuction(f.terms(f.ids[0]!, { token: ethers.ZeroAddress }))).to.be.revertedWithCustomError(
        h,
        "AuctionHouseZeroToken",
      );
      await expect(h.createAuction(f.terms(f.ids[0]!, { reserve: 0 }))).to.be.revertedWithCustomError(h, "AuctionHouseZeroReserve");
      await expect(h.createAuction(f.terms(f.ids[0]!, { incrementBps: 0 })))
        .to.be.revertedWithCustomError(h, "AuctionHouseBadIncrement")
        .withArgs(0, 5_000);
      await expect(h.createAuction(f.terms(f.ids[0]!, { incrementBps: 5_001 })))
        .to.be.revertedWithCustomError(h, "AuctionHouseBadIncrement")
        .withArgs(5_001, 5_000);
    });

    it("reverts with AuctionHouseBadSchedule for an end in the past or a max end before the end", async () => {
      const f = await loadFixture(auctionFixture);
      const now = await time.latest();
      await time.setNextBlockTimestamp(now + 1); // the clock may run ahead of the last block after other files
      await expect(f.auctionHouse.connect(f.uniA).createAuction(f.terms(f.ids[0]!, { endTime: now, maxEndTime: now })))
        .to.be.revertedWithCustomError(f.auctionHouse, "AuctionHouseBadSchedule")
        .withArgs(now + 1, now, now, now + 1);
      const end = now + HOUR;
      await time.setNextBlockTimestamp(now + 10);
      await expect(f.auctionHouse.connect(f.uniA).createAuction(f.terms(f.ids[0]!, { endTime: end, maxEndTime: end - 1 })))
        .to.be.revertedWithCustomError(f.auctionHouse, "AuctionHouseBadSchedule")
        .withArgs(now + 10, end, end - 1, now + 10);
    });

    it("reverts with AuctionHouseNotVenue for a listing venue that is not open", async () => {
      const f = await loadFixture(auctionFixture);
      await expect(f.auctionHouse.connect(f.uniA).createAuction(f.terms(f.ids[0]!, { venue: f.stranger.address })))
        .to.be.revertedWithCustomError(f.auctionHouse, "AuctionHouseNotVenue")
        .withArgs(f.stranger.address);
    });

    it("reverts with AuctionHouseBrokerNotOfVenue when the broker acts for another venue", async () => {
      const f = await loadFixture(auctionFixture);
      const terms = f.terms(f.ids[0]!, { venue: f.chongqing.address, broker: f.broker.address });
      await expect(f.auctionHouse.connect(f.uniA).createAuction(terms))
        .to.be.revertedWithCustomError(f.auctionHouse, "AuctionHouseBrokerNotOfVenue")
        .withArgs(f.broker.address, f.chongqing.address, f.chengdu.address);
    });

    it("reverts with AuctionHouseUnderAuction for a patent already at auction", async () => {
      const f = await loadFixture(auctionFixture);
      await openAuction(f, f.ids[0]!);
      await expect(f.auctionHouse.connect(f.uniA).createAuction(f.terms(f.ids[0]!)))
        .to.be.revertedWithCustomError(f.auctionHouse, "AuctionHouseUnderAuction")
        .withArgs(f.ids[0]!, 1n);
    });

    it("reverts with PledgesConsentRequired for a pledged patent without the pledgee's consent to the listing", async () => {
      const f = await loadFixture(auctionFixture);
      const pledgeId = await registeredPledge(f, f.ids[0]!);
      await expect(f.auctionHouse.connect(f.uniA).createAuction(f.terms(f.ids[0]!)))
        .to.be.revertedWithCustomError(f.pledges, "PledgesConsentRequired")
        .withArgs(pledgeId, f.ids[0]!, Act.List, ethers.ZeroAddress);
    });
  });

  describe("cancelAuction", () => {
    it("cancels an auction without bids and clears the lock", async () => {
      const f = await loadFixture(auctionFixture);
      const id = await openAuction(f, f.ids[0]!);
      await expect(f.auctionHouse.connect(f.uniA).cancelAuction(id))
        .to.emit(f.auctionHouse, "AuctionCancelled")
        .withArgs(id, f.ids[0]!, f.uniA.address)
        .and.to.emit(f.registry, "PatentUnlocked")
        .withArgs(f.ids[0]!, LockBits.AUCTION, f.house);
      expect((await f.auctionHouse.auction(id)).status).to.equal(AuctionStatus.Cancelled);
      expect(await f.auctionHouse.activeAuctionOf(f.ids[0]!)).to.equal(0n);
    });

    it("reverts with AuctionHouseNotSeller for another caller", async () => {
      const f = await loadFixture(auctionFixture);
      const id = await openAuction(f, f.ids[0]!);
      await expect(f.auctionHouse.connect(f.stranger).cancelAuction(id))
        .to.be.revertedWithCustomError(f.auctionHouse, "AuctionHouseNotSeller")
        .withArgs(id, f.stranger.address);
    });

    it("reverts with AuctionHouseHasBid once a bid is in", async () => {
      const f = await loadFixture(biddenFixture);
      await expect(f.auctionHouse.connect(f.uniA).cancelAuction(f.auctionId))
        .to.be.revertedWithCustomError(f.auctionHouse, "AuctionHouseHasBid")
        .withArgs(f.auctionId, f.companyA.address);
    });

    it("reverts with AuctionHouseNotOpen when cancelled twice", async () => {
      const f = await loadFixture(auctionFixture);
      const id = await openAuction(f, f.ids[0]!);
      await f.auctionHouse.connect(f.uniA).cancelAuction(id);
      await expect(f.auctionHouse.connect(f.uniA).cancelAuction(id))
        .to.be.revertedWithCustomError(f.auctionHouse, "AuctionHouseNotOpen")
        .withArgs(id, AuctionStatus.Cancelled);
    });
  });

  describe("bid", () => {
    it("escrows the first bid and emits BidPlaced", async () => {
      const f = await loadFixture(auctionFixture);
      const id = await openAuction(f, f.ids[0]!);
      const end = (await f.auctionHouse.auction(id)).endTime;
      const tx = f.auctionHouse.connect(f.companyA).bid(id, f.tokenAddress, 1_000_000n, f.chengdu.address, f.broker.address);
      await expect(tx)
        .to.emit(f.auctionHouse, "BidPlaced")
        .withArgs(id, f.companyA.address, f.chengdu.address, 1_000_000n, f.broker.address, CHENGDU_FEE_BPS, BROKER_SHARE_BPS, end, ethers.ZeroAddress, 0n);
      await expect(tx).to.changeTokenBalances(f.token, [f.companyA, f.house], [-1_000_000n, 1_000_000n]);
      expect(await f.auctionHouse.minimumBid(id)).to.equal(1_050_000n);
    });

    it("credits the outbid bidder's withdrawable balance", async () => {
      const f = await loadFixture(biddenFixture);
      const end = (await f.auctionHouse.auction(f.auctionId)).endTime;
      await expect(f.auctionHouse.connect(f.companyB).bid(f.auctionId, f.tokenAddress, 1_050_000n, f.chengdu.address, ethers.ZeroAddress))
        .to.emit(f.auctionHouse, "BidPlaced")
        .withArgs(f.auctionId, f.companyB.address, f.chengdu.address, 1_050_000n, ethers.ZeroAddress, CHENGDU_FEE_BPS, 0, end, f.companyA.address, 1_000_000n);
      expect(await f.auctionHouse.withdrawable(f.companyA.address, f.tokenAddress)).to.equal(1_000_000n);
      expect(await house(f)).to.equal(2_050_000n);
    });

    it("reverts with AuctionHouseBelowReserve for a first bid under the reserve", async () => {
      const f = await loadFixture(auctionFixture);
      const id = await openAuction(f, f.ids[0]!);
      await expect(f.auctionHouse.connect(f.companyA).bid(id, f.tokenAddress, 999_999n, f.chengdu.address, ethers.ZeroAddress))
        .to.be.revertedWithCustomError(f.auctionHouse, "AuctionHouseBelowReserve")
        .withArgs(id, 999_999n, 1_000_000n);
    });

    it("reverts with AuctionHouseBelowIncrement for a bid under the highest plus the increment", async () => {
      const f = await loadFixture(biddenFixture);
      await expect(f.auctionHouse.connect(f.companyB).bid(f.auctionId, f.tokenAddress, 1_049_999n, f.chengdu.address, ethers.ZeroAddress))
        .to.be.revertedWithCustomError(f.auctionHouse, "AuctionHouseBelowIncrement")
        .withArgs(f.auctionId, 1_049_999n, 1_050_000n);
    });

    it("reverts with AuctionHouseEnded after the end and AuctionHouseNotStarted before the start", async () => {
      const f = await loadFixture(auctionFixture);
      const now = await time.latest();
      const id = await openAuction(f, f.ids[0]!, { startTime: now + HOUR, endTime: now + 2 * HOUR, maxEndTime: now + 2 * HOUR });
      await expect(f.auctionHouse.connect(f.companyA).bid(id, f.tokenAddress, 1_000_000n, f.chengdu.address, ethers.ZeroAddress))
        .to.be.revertedWithCustomError(f.auctionHouse, "AuctionHouseNotStarted")
        .withArgs(id, now + HOUR);
      await time.increaseTo(now + 2 * HOUR);
      await expect(f.auctionHouse.connect(f.companyA).bid(id, f.tokenAddress, 1_000_000n, f.chengdu.address, ethers.ZeroAddress))
        .to.be.revertedWithCustomError(f.auctionHouse, "AuctionHouseEnded")
        .withArgs(id, now + 2 * HOUR);
    });

    it("reverts with AuctionHouseWrongToken for a bid in another token", async () => {
      const f = await loadFixture(auctionFixture);
      const id = await openAuction(f, f.ids[0]!);
      await expect(f.auctionHouse.connect(f.companyA).bid(id, f.stranger.address, 1_000_000n, f.chengdu.address, ethers.ZeroAddress))
        .to.be.revertedWithCustomError(f.auctionHouse, "AuctionHouseWrongToken")
        .withArgs(id, f.stranger.address, f.tokenAddress);
    });

    it("reverts with AuctionHouseSellerBid when the seller bids", async () => {
      const f = await loadFixture(auctionFixture);
      const id = await openAuction(f, f.ids[0]!);
      await expect(f.auctionHouse.connect(f.uniA).bid(id, f.tokenAddress, 1_000_000n, f.chengdu.address, ethers.ZeroAddress))
        .to.be.revertedWithCustomError(f.auctionHouse, "AuctionHouseSellerBid")
        .withArgs(id, f.uniA.address);
    });

    it("reverts with AuctionHouseNotVenue for a wrong venue", async () => {
      const f = await loadFixture(auctionFixture);
      const id = await openAuction(f, f.ids[0]!);
      await expect(f.auctionHouse.connect(f.companyA).bid(id, f.tokenAddress, 1_000_000n, f.companyB.address, ethers.ZeroAddress))
        .to.be.revertedWithCustomError(f.auctionHouse, "AuctionHouseNotVenue")
        .withArgs(f.companyB.address);
    });

    it("reverts with AuctionHouseBrokerNotOfVenue for a broker acting for another venue", async () => {
      const f = await loadFixture(auctionFixture);
      const id = await openAuction(f, f.ids[0]!);
      await expect(f.auctionHouse.connect(f.companyA).bid(id, f.tokenAddress, 1_000_000n, f.chongqing.address, f.broker.address))
        .to.be.revertedWithCustomError(f.auctionHouse, "AuctionHouseBrokerNotOfVenue")
        .withArgs(f.broker.address, f.chongqing.address, f.chengdu.address);
    });

    it("reverts with AuctionHouseAmountTooLarge for a bid above 96 bits", async () => {
      const f = await loadFixture(auctionFixture);
      const id = await openAuction(f, f.ids[0]!);
      await expect(f.auctionHouse.connect(f.companyA).bid(id, f.tokenAddress, 2n ** 96n, f.chengdu.address, ethers.ZeroAddress))
        .to.be.revertedWithCustomError(f.auctionHouse, "AuctionHouseAmountTooLarge")
        .withArgs(2n ** 96n);
    });

    it("reverts with AuctionHouseUnknownAuction for an auction that does not exist", async () => {
      const f = await loadFixture(auctionFixture);
      await expect(f.auctionHouse.connect(f.companyA).bid(9n, f.tokenAddress, 1n, f.chengdu.address, ethers.ZeroAddress))
        .to.be.revertedWithCustomError(f.auctionHouse, "AuctionHouseUnknownAuction")
        .withArgs(9n);
    });

    it("extends the end by the window for a late bid, never past the max end", async () => {
      const f = await loadFixture(auctionFixture);
      const now = await time.latest();
      const id = await openAuction(f, f.ids[0]!, { endTime: now + HOUR, maxEndTime: now + HOUR + 900 });
      await time.setNextBlockTimestamp(now + HOUR - 300);
      await expect(f.auctionHouse.connect(f.companyA).bid(id, f.tokenAddress, 1_000_000n, f.chengdu.address, ethers.ZeroAddress))
        .to.emit(f.auctionHouse, "BidPlaced")
        .withArgs(id, f.companyA.address, f.chengdu.address, 1_000_000n, ethers.ZeroAddress, CHENGDU_FEE_BPS, 0, now + HOUR + 300, ethers.ZeroAddress, 0n);
      await time.setNextBlockTimestamp(now + HOUR + 250);
      await f.auctionHouse.connect(f.companyB).bid(id, f.tokenAddress, 1_050_000n, f.chengdu.address, ethers.ZeroAddress);
      expect((await f.auctionHouse.auction(id)).endTime).to.equal(now + HOUR + 850);
      await time.setNextBlockTimestamp(now + HOUR + 800);
      await f.auctionHouse.connect(f.companyA).bid(id, f.tokenAddress, 2_000_000n, f.chengdu.address, ethers.ZeroAddress);
      expect((await f.auctionHouse.auction(id)).endTime).to.equal(now + HOUR + 900);
      await time.setNextBlockTimestamp(now + HOUR + 900);
      await expect(f.auctionHouse.connect(f.companyB).bid(id, f.tokenAddress, 3_000_000n, f.chengdu.address, ethers.ZeroAddress))
        .to.be.revertedWithCustomError(f.auctionHouse, "AuctionHouseEnded")
        .withArgs(id, now + HOUR + 900);
    });

    it("reverts with ReentrancyGuardReentrantCall when the token calls back into the house", async () => {
      const f = await loadFixture(auctionFixture);
      const evil = await new ReentrantToken__factory(f.admin).deploy();
      const evilAddress = await evil.getAddress();
      await evil.mint(f.companyA.address, 10_000_000n);
      await evil.connect(f.companyA).approve(f.house, ethers.MaxUint256);
      const id = await openAuction(f, f.ids[0]!, { token: evilAddress });
      await evil.arm(f.house, f.auctionHouse.interface.encodeFunctionData("withdraw", [evilAddress]));
      await expect(
        f.auctionHouse.connect(f.companyA).bid(id, evilAddress, 1_000_000n, f.chengdu.address, ethers.ZeroAddress),
      ).to.be.revertedWithCustomError(f.auctionHouse, "ReentrancyGuardReentrantCall");
      expect(await evil.balanceOf(f.house)).to.equal(0n);
    });
  });

  describe("close", () => {
    it("reverts with AuctionHouseNotEnded before the end", async () => {
      const f = await loadFixture(biddenFixture);
      const end = (await f.auctionHouse.auction(f.auctionId)).endTime;
      await expect(f.auctionHouse.close(f.auctionId))
        .to.be.revertedWithCustomError(f.auctionHouse, "AuctionHouseNotEnded")
        .withArgs(f.auctionId, end);
    });

    it("ends an auction without bids unsold and clears the lock", async () => {
      const f = await loadFixture(auctionFixture);
      const id = await openAuction(f, f.ids[0]!);
      await time.increaseTo((await f.auctionHouse.auction(id)).endTime);
      await expect(f.auctionHouse.connect(f.stranger).close(id))
        .to.emit(f.auctionHouse, "AuctionUnsold")
        .withArgs(id, f.ids[0]!, ethers.ZeroAddress, 0n, "0x")
        .and.to.emit(f.registry, "PatentUnlocked")
        .withArgs(f.ids[0]!, LockBits.AUCTION, f.house);
      expect((await f.auctionHouse.auction(id)).status).to.equal(AuctionStatus.Unsold);
    });

    it("agrees the transfer to the winner and emits AuctionClosed", async () => {
      const f = await loadFixture(biddenFixture);
      await time.increaseTo((await f.auctionHouse.auction(f.auctionId)).endTime);
      const tx = f.auctionHouse.connect(f.stranger).close(f.auctionId);
      await expect(tx).to.emit(f.auctionHouse, "AuctionClosed").withArgs(f.auctionId, f.ids[0]!, f.companyA.address, 1_000_000n, 1n);
      await expect(tx).to.emit(f.registry, "TransferAgreed").withArgs(1n, f.ids[0]!, f.companyA.address, f.house, await today());
      const a = await f.auctionHouse.auction(f.auctionId);
      expect(a.status).to.equal(AuctionStatus.Settling);
      expect(a.transferId).to.equal(1n);
    });

    it("reverts with AuctionHouseNotOpen when closed twice", async () => {
      const f = await loadFixture(closedFixture);
      await expect(f.auctionHouse.close(f.auctionId))
        .to.be.revertedWithCustomError(f.auctionHouse, "AuctionHouseNotOpen")
        .withArgs(f.auctionId, AuctionStatus.Settling);
    });

    it("ends unsold and refunds the winner when the transfer cannot be agreed (patent frozen)", async () => {
      const f = await loadFixture(biddenFixture);
      await f.registry.connect(f.registrar).setLegalStatus(f.ids[0]!, LegalStatus.Frozen, "court preservation order");
      await time.increaseTo((await f.auctionHouse.auction(f.auctionId)).endTime);
      const reason = f.registry.interface.encodeErrorResult("PatentRegistryPatentNotActionable", [f.ids[0]!, Act.Transfer, LegalStatus.Frozen]);
      await expect(f.auctionHouse.close(f.auctionId))
        .to.emit(f.auctionHouse, "AuctionUnsold")
        .withArgs(f.auctionId, f.ids[0]!, f.companyA.address, 1_000_000n, reason);
      expect(await f.auctionHouse.withdrawable(f.companyA.address, f.tokenAddress)).to.equal(1_000_000n);
      expect(await f.registry.isLocked(f.ids[0]!, LockBits.AUCTION)).to.equal(false);
    });
  });

  describe("onTransferRegistered", () => {
    it("pays the seller's net and the venues' fees into withdrawable balances and clears the lock", async () => {
      const f = await loadFixture(closedFixture);
      const tx = f.registry.connect(f.registrar).registerTransfer(f.transferId, "ZR2026-0001", await today());
      // price 2,000,000 at Chengdu's 2%: fee 40,000, half to the buyer's venue (Chongqing)
      await expect(tx)
        .to.emit(f.auctionHouse, "AuctionSettled")
        .withArgs(f.auctionId, f.ids[0]!, f.companyB.address, f.transferId, [
          2_000_000n,
          0n,
          f.uniA.address,
          1_960_000n,
          f.chengdu.address,
          20_000n,
          ethers.ZeroAddress,
          0n,
          f.chongqing.address,
          20_000n,
          ethers.ZeroAddress,
          0n,
        ]);
      await expect(tx).to.emit(f.registry, "PatentUnlocked").withArgs(f.ids[0]!, LockBits.AUCTION, f.house);
      expect(await f.registry.ownerOf(f.ids[0]!)).to.equal(f.companyB.address);
      expect(await f.auctionHouse.withdrawable(f.uniA.address, f.tokenAddress)).to.equal(1_960_000n);
      expect(await f.auctionHouse.withdrawable(f.chengdu.address, f.tokenAddress)).to.equal(20_000n);
      expect(await f.auctionHouse.withdrawable(f.chongqing.address, f.tokenAddress)).to.equal(20_000n);
      expect(await f.auctionHouse.withdrawable(f.companyA.address, f.tokenAddress)).to.equal(1_000_000n);
      expect(await house(f)).to.equal(3_000_000n);
      expect((await f.auctionHouse.auction(f.auctionId)).status).to.equal(AuctionStatus.Sold);
      expect(await f.auctionHouse.activeAuctionOf(f.ids[0]!)).to.equal(0n);
    });

    it("gives brokers their shares and one venue both parts when the bid comes through the listing venue", async () => {
      const f = await loadFixture(auctionFixture);
      const id = await openAuction(f, f.ids[1]!, { broker: f.broker.address });
      await f.auctionHouse.connect(f.companyA).bid(id, f.tokenAddress, 3_000_001n, f.chengdu.address, f.broker.address);
      await time.increaseTo((await f.auctionHouse.auction(id)).endTime);
      await f.auctionHouse.close(id);
      // fee floor(3,000,001 * 2%) = 60,000; parts 30,000 each; brokers 20% of each; Chengdu keeps both venue parts
      await expect(f.registry.connect(f.registrar).registerTransfer(await f.registry.pendingTransfer(f.ids[1]!), "ZR", await today()))
        .to.emit(f.auctionHouse, "AuctionSettled")
        .withArgs(id, f.ids[1]!, f.companyA.address, anyValue, [
          3_000_001n,
          0n,
          f.uniA.address,
          2_940_001n,
          f.chengdu.address,
          48_000n,
          f.broker.address,
          6_000n,
          f.chengdu.address,
          0n,
          f.broker.address,
          6_000n,
        ]);
      expect(await f.auctionHouse.withdrawable(f.chengdu.address, f.tokenAddress)).to.equal(48_000n);
      expect(await f.auctionHouse.withdrawable(f.broker.address, f.tokenAddress)).to.equal(12_000n);
    });

    it("reverts with AuctionHouseUnknownTransfer for a transfer the house is not settling", async () => {
      const f = await loadFixture(closedFixture);
      const registryAddress = await f.registry.getAddress();
      await impersonateAccount(registryAddress);
      await setBalance(registryAddress, 10n ** 18n);
      const asRegistry = await ethers.getSigner(registryAddress);
      await expect(f.auctionHouse.connect(asRegistry).onTransferRegistered(f.transferId + 1n, f.ids[0]!))
        .to.be.revertedWithCustomError(f.auctionHouse, "AuctionHouseUnknownTransfer")
        .withArgs(f.transferId + 1n);
      await f.registry.connect(f.registrar).registerTransfer(f.transferId, "ZR", await today());
      // settled once: a second call for the same transfer is refused
      await expect(f.auctionHouse.connect(asRegistry).onTransferRegistered(f.transferId, f.ids[0]!))
        .to.be.revertedWithCustomError(f.auctionHouse, "AuctionHouseUnknownTransfer")
        .withArgs(f.transferId);
    });

    it("reverts with AuctionHouseNotRegistry for another caller", async () => {
      const f = await loadFixture(closedFixture);
      await expect(f.auctionHouse.connect(f.stranger).onTransferRegistered(f.transferId, f.ids[0]!))
        .to.be.revertedWithCustomError(f.auctionHouse, "AuctionHouseNotRegistry")
        .withArgs(f.stranger.address);
    });
  });

  describe("onTransferRefused", () => {
    it("refunds the winner, clears the lock and leaves the patent with the seller", async () => {
      const f = await loadFixture(closedFixture);
      await expect(f.registry.connect(f.registrar).refuseTransfer(f.transferId, "contract incomplete"))
        .to.emit(f.auctionHouse, "AuctionRefused")
        .withArgs(f.auctionId, f.ids[0]!, f.transferId, f.companyB.address, 2_000_000n)
        .and.to.emit(f.registry, "PatentUnlocked")
        .withArgs(f.ids[0]!, LockBits.AUCTION, f.house);
      expect(await f.registry.ownerOf(f.ids[0]!)).to.equal(f.uniA.address);
      expect(await f.auctionHouse.withdrawable(f.companyB.address, f.tokenAddress)).to.equal(2_000_000n);
      expect((await f.auctionHouse.auction(f.auctionId)).status).to.equal(AuctionStatus.Refused);
      // the owner may auction it again
      const now = await time.latest();
      await openAuction(f, f.ids[0]!, { endTime: now + HOUR, maxEndTime: now + HOUR });
    });

    it("reverts with AuctionHouseNotRegistry for another caller", async () => {
      const f = await loadFixture(closedFixture);
      await expect(f.auctionHouse.connect(f.stranger).onTransferRefused(f.transferId, f.ids[0]!))
        .to.be.revertedWithCustomError(f.auctionHouse, "AuctionHouseNotRegistry")
        .withArgs(f.stranger.address);
    });
  });

  describe("withdraw", () => {
    it("pays out the caller's balance and emits Withdrawn", async () => {
      const f = await loadFixture(closedFixture);
      const tx = f.auctionHouse.connect(f.companyA).withdraw(f.tokenAddress);
      await expect(tx).to.emit(f.auctionHouse, "Withdrawn").withArgs(f.companyA.address, f.tokenAddress, 1_000_000n);
      await expect(tx).to.changeTokenBalances(f.token, [f.companyA, f.house], [1_000_000n, -1_000_000n]);
      expect(await f.auctionHouse.withdrawable(f.companyA.address, f.tokenAddress)).to.equal(0n);
    });

    it("reverts with AuctionHouseNothingToWithdraw for an empty balance", async () => {
      const f = await loadFixture(closedFixture);
      await expect(f.auctionHouse.connect(f.companyB).withdraw(f.tokenAddress))
        .to.be.revertedWithCustomError(f.auctionHouse, "AuctionHouseNothingToWithdraw")
        .withArgs(f.companyB.address, f.tokenAddress);
    });
  });

  describe("authorise (guard of LOCK_AUCTION)", () => {
    it("refuses a pledge of a patent at auction with AuctionHouseUnderAuction", async () => {
      const f = await loadFixture(biddenFixture);
      await expect(f.pledges.connect(f.bankA).proposePledge(f.pledgeTerms, [{ patentId: f.ids[0]!, pledgor: f.uniA.address }]))
        .to.be.revertedWithCustomError(f.auctionHouse, "AuctionHouseUnderAuction")
        .withArgs(f.ids[0]!, f.auctionId);
    });

    it("refuses the owner's own transfer of a patent at auction", async () => {
      const f = await loadFixture(biddenFixture);
      await expect(f.registry.connect(f.uniA).proposeTransfer(f.ids[0]!, f.companyA.address, ethers.id("side deal")))
        .to.be.revertedWithCustomError(f.auctionHouse, "AuctionHouseUnderAuction")
        .withArgs(f.ids[0]!, f.auctionId);
    });

    it("reverts with AuctionHouseNotRegistry when called by another account", async () => {
      const f = await loadFixture(biddenFixture);
      await expect(f.auctionHouse.connect(f.stranger).authorise(f.ids[0]!, Act.Transfer, f.stranger.address, f.stranger.address))
        .to.be.revertedWithCustomError(f.auctionHouse, "AuctionHouseNotRegistry")
        .withArgs(f.stranger.address);
    });
  });

  describe("owner auctions of pledged patents", () => {
    async function pledgedAuction(f: AuctionFixture, route: number, consentTransfer: boolean) {
      const pledgeId = await registeredPledge(f, f.ids[2]!);
      await f.pledges.connect(f.bankA).consent(pledgeId, f.ids[2]!, Act.List, ethers.ZeroAddress, route);
      if (consentTransfer) await f.pledges.connect(f.bankA).consent(pledgeId, f.ids[2]!, Act.Transfer, ethers.ZeroAddress, route);
      const id = await openAuction(f, f.ids[2]!);
      await f.auctionHouse.connect(f.companyA).bid(id, f.tokenAddress, 1_000_000n, f.chengdu.address, ethers.ZeroAddress);
      await time.increaseTo((await f.auctionHouse.auction(id)).endTime);
      return { pledgeId, id };
    }

    it("pays the net to the pledgee for early repayment", async () => {
      const f = await loadFixture(auctionFixture);
      const { id } = await pledgedAuction(f, Route.EarlyRepayment, true);
      expect((await f.auctionHouse.auction(id)).proceedsTo).to.equal(f.bankA.address);
      await f.auctionHouse.close(id);
      await f.registry.connect(f.registrar).registerTransfer(await f.registry.pendingTransfer(f.ids[2]!), "ZR", await today());
      expect(await f.auctionHouse.withdrawable(f.bankA.address, f.tokenAddress)).to.equal(980_000n);
      expect(await f.auctionHouse.withdrawable(f.uniA.address, f.tokenAddress)).to.equal(0n);
      expect(await f.registry.ownerOf(f.ids[2]!)).to.equal(f.companyA.address);
    });

    it("deposits the net with the Pledges contract for escrow", async () => {
      const f = await loadFixture(auctionFixture);
      const { pledgeId, id } = await pledgedAuction(f, Route.Escrow, true);
      await f.auctionHouse.close(id);
      await expect(f.registry.connect(f.registrar).registerTransfer(await f.registry.pendingTransfer(f.ids[2]!), "ZR", await today()))
        .to.emit(f.pledges, "ProceedsEscrowed")
        .withArgs(pledgeId, f.ids[2]!, f.tokenAddress, f.uniA.address, f.house, 980_000n);
      expect(await f.pledges.escrowed(pledgeId, f.tokenAddress, f.uniA.address)).to.equal(980_000n);
      expect(await house(f)).to.equal(20_000n);
    });

    it("ends unsold and refunds the bidder when the pledgee has not consented to the transfer", async () => {
      const f = await loadFixture(auctionFixture);
      const { pledgeId, id } = await pledgedAuction(f, Route.EarlyRepayment, false);
      const reason = f.pledges.interface.encodeErrorResult("PledgesConsentRequired", [pledgeId, f.ids[2]!, Act.Transfer, f.companyA.address]);
      await expect(f.auctionHouse.close(id))
        .to.emit(f.auctionHouse, "AuctionUnsold")
        .withArgs(id, f.ids[2]!, f.companyA.address, 1_000_000n, reason);
      expect(await f.auctionHouse.withdrawable(f.companyA.address, f.tokenAddress)).to.equal(1_000_000n);
      expect(await f.registry.isLocked(f.ids[2]!, LockBits.PLEDGED)).to.equal(true);
    });
  });
});
