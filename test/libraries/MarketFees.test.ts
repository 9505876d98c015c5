import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { MarketFeesHarness__factory } from "../../typechain-types";
import { splitFees } from "../../server/chain/exchange";
import { fcParams } from "../helpers/properties";

async function harnessFixture() {
  const [deployer] = await ethers.getSigners();
  return new MarketFeesHarness__factory(deployer).deploy();
}

describe("MarketFees (library, through MarketFeesHarness)", () => {
  describe("split", () => {
    it("divides every price exactly as the TypeScript mirror, the five parts summing to the price", async () => {
      const harness = await loadFixture(harnessFixture);
      const args = fc.tuple(
        fc.bigInt({ min: 0n, max: (1n << 96n) - 1n }),
        fc.integer({ min: 0, max: 2_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.boolean(),
      );
      await fc.assert(
        fc.asyncProperty(args, async ([price, feeBps, listingBrokerBps, buyerBrokerBps, same]) => {
          const s = await harness.split(price, feeBps, listingBrokerBps, buyerBrokerBps, same);
          const mirror = splitFees(price, feeBps, listingBrokerBps, buyerBrokerBps, same);
          expect([s.seller, s.listingVenue, s.buyerVenue, s.listingBroker, s.buyerBroker]).to.deep.equal([
            mirror.seller,
            mirror.listingVenue,
            mirror.buyerVenue,
            mirror.listingBroker,
            mirror.buyerBroker,
          ]);
          expect(s.seller + s.listingVenue + s.buyerVenue + s.listingBroker + s.buyerBroker).to.equal(price);
          if (same) expect(s.buyerVenue).to.equal(0n);
        }),
        fcParams(200),
      );
    });

    it("splits 10,000.00 at 200 bps with 30% and 20% brokers as documented", async () => {
      const harness = await loadFixture(harnessFixture);
      const s = await harness.split(1_000_000n, 200, 3_000, 2_000, false);
      expect([s.seller, s.listingVenue, s.buyerVenue, s.listingBroker, s.buyerBroker]).to.deep.equal([
        980_000n,
        7_000n,
        8_000n,
        3_000n,
        2_000n,
      ]);
    });

    it("gives the odd unit of an odd fee to the listing venue", async () => {
      const harness = await loadFixture(harnessFixture);
      const s = await harness.split(150n, 200, 0, 0, false); // fee 3
      expect([s.listingVenue, s.buyerVenue]).to.deep.equal([2n, 1n]);
    });

    it("reverts with MarketFeesBpsAboveWhole for a fee or share above 100%", async () => {
      const harness = await loadFixture(harnessFixture);
      await expect(harness.split(1n, 10_001, 0, 0, false))
        .to.be.revertedWithCustomError(harness, "MarketFeesBpsAboveWhole")
        .withArgs(10_001);
      await expect(harness.split(1n, 0, 0, 10_001, false))
        .to.be.revertedWithCustomError(harness, "MarketFeesBpsAboveWhole")
        .withArgs(10_001);
    });
  });
});
