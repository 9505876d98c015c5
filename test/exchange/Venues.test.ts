import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { FUNCTION_ROLES, INITIAL_FEE_CAP_BPS } from "../../scripts/deploy";
import { Roles } from "../../server/chain/roles";
import { deployFixture } from "../helpers/fixtures";

async function openedFixture() {
  const f = await deployFixture();
  await f.venues.connect(f.chengdu).openVenue("成都知识产权交易中心", 200);
  await f.venues.connect(f.chongqing).openVenue("重庆知识产权交易中心", 150);
  return f;
}

describe("Venues", () => {
  describe("restricted functions", () => {
    for (const [role, names] of Object.entries(FUNCTION_ROLES.Venues) as [keyof typeof Roles, readonly string[]][]) {
      for (const name of names) {
        it(`reverts ${name} for a caller without ${role}`, async () => {
          const f = await loadFixture(openedFixture);
          const args: Record<string, unknown[]> = {
            openVenue: ["x", 1],
            setFee: [1],
            accreditBroker: [f.broker.address, 100],
            revokeBroker: [f.broker.address],
            setFeeCap: [100],
          };
          const venues = f.venues.connect(f.stranger) as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
          await expect(venues[name]!(...args[name]!))
            .to.be.revertedWithCustomError(f.venues, "AccessManagedUnauthorized")
            .withArgs(f.stranger.address);
        });
      }
    }
  });

  describe("openVenue", () => {
    it("opens the calling venue with its name and fee", async () => {
      const f = await loadFixture(deployFixture);
      await expect(f.venues.connect(f.chengdu).openVenue("成都", 200))
        .to.emit(f.venues, "VenueOpened")
        .withArgs(f.chengdu.address, "成都", 200);
      expect(await f.venues.isVenue(f.chengdu.address)).to.equal(true);
      expect(await f.venues.feeBps(f.chengdu.address)).to.equal(200);
      expect(await f.venues.venueName(f.chengdu.address)).to.equal("成都");
    });

    it("reverts with VenuesEmptyName for an empty name", async () => {
      const f = await loadFixture(deployFixture);
      await expect(f.venues.connect(f.chengdu).openVenue("", 200)).to.be.revertedWithCustomError(f.venues, "VenuesEmptyName");
    });

    it("reverts with VenuesFeeAboveCap for a fee above the cap", async () => {
      const f = await loadFixture(deployFixture);
      await expect(f.venues.connect(f.chengdu).openVenue("成都", INITIAL_FEE_CAP_BPS + 1))
        .to.be.revertedWithCustomError(f.venues, "VenuesFeeAboveCap")
        .withArgs(INITIAL_FEE_CAP_BPS + 1, INITIAL_FEE_CAP_BPS);
    });

    it("treats an account that never opened, or lost the VENUE role, as no venue", async () => {
      const f = await loadFixture(openedFixture);
      expect(await f.venues.isVenue(f.stranger.address)).to.equal(false);
      await expect(f.venues.feeBps(f.stranger.address))
        .to.be.revertedWithCustomError(f.venues, "VenuesNotVenue")
        .withArgs(f.stranger.address);
      await f.accessManager.connect(f.admin).revokeRole(Roles.VENUE, f.chongqing.address);
      expect(await f.venues.isVenue(f.chongqing.address)).to.equal(false);
      await expect(f.venues.venueName(f.chongqing.address))
        .to.be.revertedWithCustomError(f.venues, "VenuesNotVenue")
        .withArgs(f.chongqing.address);
    });
  });

  describe("setFee", () => {
    it("changes the fee and emits VenueFeeChanged", async () => {
      const f = await loadFixture(openedFixture);
      await expect(f.venues.connect(f.chengdu).setFee(300)).to.emit(f.venues, "VenueFeeChanged").withArgs(f.chengdu.address, 200, 300);
      expect(await f.venues.feeBps(f.chengdu.address)).to.equal(300);
    });

    it("reverts with VenuesNotVenue for a venue that has not opened", async () => {
      const f = await loadFixture(deployFixture);
      await expect(f.venues.connect(f.chengdu).setFee(100))
        .to.be.revertedWithCustomError(f.venues, "VenuesNotVenue")
        .withArgs(f.chengdu.address);
    });

    it("reverts with VenuesFeeAboveCap above the cap", async () => {
      const f = await loadFixture(openedFixture);
      await expect(f.venues.connect(f.chengdu).setFee(501)).to.be.revertedWithCustomError(f.venues, "VenuesFeeAboveCap").withArgs(501, 500);
    });
  });

  describe("setFeeCap", () => {
    it("lowers the cap, clamping fees above it when read", async () => {
      const f = await loadFixture(openedFixture);
      await expect(f.venues.connect(f.admin).setFeeCap(100)).to.emit(f.venues, "FeeCapChanged").withArgs(500, 100);
      expect(await f.venues.feeCapBps()).to.equal(100);
      expect(await f.venues.feeBps(f.chengdu.address)).to.equal(100);
    });

    it("reverts with VenuesCapAboveLimit above 20%", async () => {
      const f = await loadFixture(openedFixture);
      await expect(f.venues.connect(f.admin).setFeeCap(2001)).to.be.revertedWithCustomError(f.venues, "VenuesCapAboveLimit").withArgs(2001, 2000);
    });
  });

  describe("accreditBroker", () => {
    it("accredits a broker with a share of the venue's fee, and changes the share", async () => {
      const f = await loadFixture(openedFixture);
      await expect(f.venues.connect(f.chengdu).accreditBroker(f.broker.address, 3000))
        .to.emit(f.venues, "BrokerAccredited")
        .withArgs(f.chengdu.address, f.broker.address, 3000);
      await f.venues.connect(f.chengdu).accreditBroker(f.broker.address, 2500);
      expect(await f.venues.brokerShareBps(f.chengdu.address, f.broker.address)).to.equal(2500);
      expect(await f.venues.brokerOf(f.broker.address)).to.deep.equal([f.chengdu.address, 2500n]);
    });

    it("reverts with VenuesBrokerOfOtherVenue when another venue accredits the broker", async () => {
      const f = await loadFixture(openedFixture);
      await f.venues.connect(f.chengdu).accreditBroker(f.broker.address, 3000);
      await expect(f.venues.connect(f.chongqing).accreditBroker(f.broker.address, 3000))
        .to.be.revertedWithCustomError(f.venues, "VenuesBrokerOfOtherVenue")
        .withArgs(f.broker.address, f.chengdu.address);
    });

    it("reverts with VenuesShareAboveWhole above 100%, VenuesZeroBroker for address zero", async () => {
      const f = await loadFixture(openedFixture);
      await expect(f.venues.connect(f.chengdu).accreditBroker(f.broker.address, 10_001))
        .to.be.revertedWithCustomError(f.venues, "VenuesShareAboveWhole")
        .withArgs(10_001);
      await expect(f.venues.connect(f.chengdu).accreditBroker("0x0000000000000000000000000000000000000000", 100))
        .to.be.revertedWithCustomError(f.venues, "VenuesZeroBroker");
    });

    it("reverts with VenuesNotVenue for a venue that has not opened", async () => {
      const f = await loadFixture(deployFixture);
      await expect(f.venues.connect(f.chengdu).accreditBroker(f.broker.address, 100))
        .to.be.revertedWithCustomError(f.venues, "VenuesNotVenue")
        .withArgs(f.chengdu.address);
    });
  });

  describe("revokeBroker", () => {
    it("withdraws the accreditation; the broker is then nobody's", async () => {
      const f = await loadFixture(openedFixture);
      await f.venues.connect(f.chengdu).accreditBroker(f.broker.address, 3000);
      await expect(f.venues.connect(f.chengdu).revokeBroker(f.broker.address))
        .to.emit(f.venues, "BrokerRevoked")
        .withArgs(f.chengdu.address, f.broker.address);
      await expect(f.venues.brokerShareBps(f.chengdu.address, f.broker.address))
        .to.be.revertedWithCustomError(f.venues, "VenuesNotBrokerOf")
        .withArgs(f.chengdu.address, f.broker.address);
    });

    it("reverts with VenuesNotBrokerOf when the broker belongs to another venue", async () => {
      const f = await loadFixture(openedFixture);
      await f.venues.connect(f.chengdu).accreditBroker(f.broker.address, 3000);
      await expect(f.venues.connect(f.chongqing).revokeBroker(f.broker.address))
        .to.be.revertedWithCustomError(f.venues, "VenuesNotBrokerOf")
        .withArgs(f.chongqing.address, f.broker.address);
    });
  });
});
