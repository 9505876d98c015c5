import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployFixture } from "../helpers/fixtures";
import { seedDemo } from "../../scripts/seed";
import { DEMO_PATENTS, demoPatentId } from "../../scripts/demo/patents";
import { demoAccount } from "../../server/chain/accounts";
import { parseCnipaNumber } from "../../server/chain/cnipa";
import { LegalStatus, LockBits, PatentKind, TransferStatus } from "../../server/chain/roles";
import { LicenceKind } from "../../server/chain/licensing";
import { DealStatus, PledgeStatus } from "../../server/chain/financing";
import { payoutAddress } from "../../scripts/demo/rights";

async function seededFixture() {
  const f = await deployFixture();
  const signers = await ethers.getSigners();
  const summary = await seedDemo({
    ledger: f,
    signer: (name) => {
      const s = signers[demoAccount(name).index];
      if (!s) throw new Error(`no signer for ${name}`);
      return s;
    },
  });
  return { ...f, signers, summary };
}

describe("demo seed", () => {
  describe("DEMO_PATENTS", () => {
    it("has about 50 patents with unique, valid numbers whose year is the filing year", () => {
      expect(DEMO_PATENTS.length).to.be.within(45, 60);
      const numbers = new Set(DEMO_PATENTS.map((p) => p.cited));
      expect(numbers.size).to.equal(DEMO_PATENTS.length);
      for (const p of DEMO_PATENTS) {
        const cited = parseCnipaNumber(p.cited);
        expect(cited.year, p.key).to.equal(Number(p.filing.slice(0, 4)));
        expect(cited.kind, p.key).to.equal(p.kind);
        expect(p.filing < p.grant, p.key).to.equal(true);
        expect(p.readiness, p.key).to.be.within(1, 9);
      }
    });

    it("mixes kinds, filing years 2012-2023, IPC sections and all six institutions", () => {
      const kinds = new Set(DEMO_PATENTS.map((p) => p.kind));
      expect([...kinds].sort()).to.deep.equal([PatentKind.Invention, PatentKind.UtilityModel, PatentKind.Design]);
      const years = DEMO_PATENTS.map((p) => Number(p.filing.slice(0, 4)));
      expect(Math.min(...years)).to.equal(2012);
      expect(Math.max(...years)).to.equal(2023);
      const sections = new Set(DEMO_PATENTS.flatMap((p) => p.ipc.map((c) => c[0])));
      expect(sections.size).to.be.at.least(7);
      expect(new Set(DEMO_PATENTS.map((p) => p.holder)).size).to.equal(6);
    });
  });

  describe("seedDemo", () => {
    it("registers every demo patent to its holder (or its registered buyer)", async () => {
      const f = await loadFixture(seededFixture);
      expect(f.summary.patents).to.equal(DEMO_PATENTS.length);
      const moved: Record<string, string> = {
        "uestc-superjunction-mosfet": "rongxin",
        "cqu-rare-earth-mg-alloy": "yuzhi",
        "scu-oncolytic-vaccinia": "tianfubio",
        "scu-pu-stent": "tianfubio", // contributed for equity
      };
      for (const p of DEMO_PATENTS) {
        const owner = moved[p.key] ?? p.holder;
        expect(await f.registry.ownerOf(demoPatentId(p.key)), p.key).to.equal(
          f.signers[demoAccount(owner).index]?.address,
        );
      }
    });

    it("leaves one transfer awaiting registration and one refused", async () => {
      const f = await loadFixture(seededFixture);
      expect(f.summary.transfers).to.deep.equal({ registered: 3, pending: 1, refused: 1 });
      const pendingId = await f.registry.pendingTransfer(demoPatentId("swjtu-rail-fastener-clip"));
      expect((await f.registry.transferRecord(pendingId)).status).to.equal(TransferStatus.Agreed);
      expect(await f.registry.isLocked(demoPatentId("swjtu-rail-fastener-clip"), LockBits.TRANSFER_PENDING)).to.equal(
        true,
      );
      expect(await f.registry.pendingTransfer(demoPatentId("cioc-kinase-inhibitor"))).to.equal(0n);
      expect(await f.registry.transferCount()).to.equal(6n); // five sales and the equity contribution
    });

    it("records one lapsed patent and one under invalidation", async () => {
      const f = await loadFixture(seededFixture);
      expect(await f.registry.legalStatus(demoPatentId("cqu-probabilistic-load-flow"))).to.equal(LegalStatus.Lapsed);
      expect(await f.registry.legalStatus(demoPatentId("cqu-wind-pitch-control"))).to.equal(
        LegalStatus.UnderInvalidation,
      );
      const valid = await Promise.all(DEMO_PATENTS.map((p) => f.registry.legalStatus(demoPatentId(p.key))));
      expect(valid.filter((s) => s === BigInt(LegalStatus.Valid)).length).to.equal(DEMO_PATENTS.length - 2);
    });

    it("records market evaluations and inventory updates as events", async () => {
      const f = await loadFixture(seededFixture);
      const evaluated = await f.registry.queryFilter(f.registry.filters.MarketEvaluated());
      expect(evaluated.length).to.equal(f.summary.evaluations).and.to.be.greaterThan(0);
      const updated = await f.registry.queryFilter(f.registry.filters.InventoryUpdated());
      expect(updated.length).to.equal(f.summary.inventoryUpdates).and.to.be.greaterThan(0);
    });

    it("grants licences, takes an open licence and pays royalties split three ways", async () => {
      const f = await loadFixture(seededFixture);
      expect(f.summary.rights).to.include({ licences: 3, openLicences: 1, royaltyPayments: 3 });
      expect(await f.licensing.licenceCount()).to.equal(3n);
      const exclusive = await f.licensing.licence(1n);
      expect(exclusive.kind).to.equal(BigInt(LicenceKind.Exclusive));
      expect(exclusive.licensee).to.equal(f.signers[demoAccount("rongxin").index]?.address);
      const taken = await f.licensing.licence(3n);
      expect(taken.open).to.equal(true);
      const paid = await f.royalties.queryFilter(f.royalties.filters.RoyaltyPaid());
      expect(paid.length).to.equal(3);
      // 3% of 12,500,000.00 yuan reported: 375,000.00 yuan, 70% to the inventors.
      const inventors = payoutAddress("uestc-gan-hemt:inventors");
      expect(await f.token.balanceOf(inventors)).to.equal(262_500n * 100n);
    });

    it("records valuations, a registered portfolio pledge with a consent, and a pledge awaiting registration", async () => {
      const f = await loadFixture(seededFixture);
      expect(f.summary.rights.valuations).to.equal(3);
      expect(await f.valuations.valuationCount(demoPatentId("uestc-leo-phased-array"))).to.equal(1n);
      expect(f.summary.rights.pledges).to.deep.equal({ registered: 1, pending: 1 });
      expect((await f.pledges.pledge(1n)).status).to.equal(BigInt(PledgeStatus.Registered));
      expect((await f.pledges.pledge(2n)).status).to.equal(BigInt(PledgeStatus.Agreed));
      for (const key of ["cqu-slm-titanium-lattice", "cqu-rare-earth-mg-alloy", "uestc-leo-phased-array"]) {
        expect(await f.registry.isLocked(demoPatentId(key), LockBits.PLEDGED), key).to.equal(true);
      }
    });

    it("executes an equity-for-technology deal through a registered transfer", async () => {
      const f = await loadFixture(seededFixture);
      expect(f.summary.rights.equityDeals).to.equal(1);
      expect((await f.equityDeals.deal(1n)).status).to.equal(BigInt(DealStatus.Executed));
    });

    it("opens the Chengdu and Chongqing venues and lists two patents, locked while listed", async () => {
      const f = await loadFixture(seededFixture);
      expect(f.summary.venues).to.equal(2);
      expect(f.summary.listings).to.equal(2);
      expect(await f.venues.feeBps(f.signers[demoAccount("chengdu").index]!.address)).to.equal(200);
      expect(await f.venues.feeBps(f.signers[demoAccount("chongqing").index]!.address)).to.equal(150);
      for (const key of ["uestc-mmwave-beamforming", "swjtu-autonomous-train-control"]) {
        expect(await f.registry.isLocked(demoPatentId(key), LockBits.LISTED), key).to.equal(true);
      }
    });
  });
});
