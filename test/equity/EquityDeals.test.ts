import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { Act, LockBits } from "../../server/chain/roles";
import { financingFixture, pledgeOf, today, type FinancingFixture } from "../financing/fixtures";
import type { DealTermsStruct } from "../../typechain-types/contracts/equity/EquityDeals";

const DealStatus = { None: 0, Proposed: 1, Accepted: 2, Executing: 3, Executed: 4, Failed: 5, Cancelled: 6 } as const;
const Form = { Shares: 0, BasisPoints: 1 } as const;
const Role = { Inventor: 0, TransferOffice: 1 } as const;
const WarrantStatus = { None: 0, Granted: 1, Exercised: 2, Expired: 3 } as const;
const CNY = "0x434e59";

function dealTerms(f: FinancingFixture, over: Partial<DealTermsStruct> = {}): DealTermsStruct {
  return {
    company: f.companyA.address,
    valuation: 12_000_000_00n,
    currency: CNY,
    form: Form.BasisPoints,
    equity: 1_500n,
    valuationReportHash: ethers.id("valuation-report"),
    contractHash: ethers.id("equity-contract"),
    companyRegistration: "91510100MA6C4XXXXX",
    ...over,
  };
}

async function equityFixture() {
  const f = await financingFixture();
  const inventor = (await ethers.getSigners())[10]!; // swjtu account, standing in for an inventor
  const shares = [
    { beneficiary: inventor.address, role: Role.Inventor, bps: 5_000 },
    { beneficiary: f.chengdu.address, role: Role.TransferOffice, bps: 1_000 },
  ];
  return { ...f, inventor, shares };
}

async function proposed(f: Awaited<ReturnType<typeof equityFixture>>, patents = [0, 1]) {
  const ids = patents.map((i) => f.ids[i]!);
  await f.equityDeals.connect(f.uniA).proposeDeal(dealTerms(f), ids, f.shares);
  return { dealId: await f.equityDeals.dealCount(), ids };
}

describe("EquityDeals", () => {
  describe("proposeDeal", () => {
    it("records the deal, its patents and benefit shares", async () => {
      const f = await loadFixture(equityFixture);
      const ids = [f.ids[0]!, f.ids[1]!];
      const t = dealTerms(f);
      const tx = f.equityDeals.connect(f.uniA).proposeDeal(t, ids, f.shares);
      await expect(tx)
        .to.emit(f.equityDeals, "DealProposed")
        .withArgs(1n, f.uniA.address, f.companyA.address, t.valuation, CNY, Form.BasisPoints, 1_500n, t.valuationReportHash, t.contractHash, t.companyRegistration);
      await expect(tx).to.emit(f.equityDeals, "DealPatentAdded").withArgs(1n, ids[1]);
      await expect(tx)
        .to.emit(f.equityDeals, "BenefitShareRecorded")
        .withArgs(1n, f.inventor.address, Role.Inventor, 5_000);
      await expect(tx)
        .to.emit(f.equityDeals, "BenefitShareRecorded")
        .withArgs(1n, f.chengdu.address, Role.TransferOffice, 1_000);
      const d = await f.equityDeals.deal(1n);
      expect(d.status).to.equal(DealStatus.Proposed);
      expect(d.owner).to.equal(f.uniA.address);
      expect(d.patentCount).to.equal(2);
      expect(await f.equityDeals.dealPatents(1n)).to.deep.equal(ids);
      expect((await f.equityDeals.benefitShares(1n)).map((s) => s.bps)).to.deep.equal([5_000n, 1_000n]);
      expect(await f.registry.isLocked(ids[0]!, LockBits.EQUITY)).to.equal(false);
    });

    it("reverts with EquityDealsNotOwner when the proposer does not own a patent", async () => {
      const f = await loadFixture(equityFixture);
      await expect(f.equityDeals.connect(f.uniA).proposeDeal(dealTerms(f), [f.ids[3]!], []))
        .to.be.revertedWithCustomError(f.equityDeals, "EquityDealsNotOwner")
        .withArgs(f.ids[3]!, f.uniA.address, f.uniB.address);
    });

    it("reverts on bad terms with the rule and values", async () => {
      const f = await loadFixture(equityFixture);
      const d = f.equityDeals.connect(f.uniA);
      const one = [f.ids[0]!];
      await expect(d.proposeDeal(dealTerms(f, { company: f.uniA.address }), one, []))
        .to.be.revertedWithCustomError(f.equityDeals, "EquityDealsInvalidCompany")
        .withArgs(f.uniA.address);
      await expect(d.proposeDeal(dealTerms(f, { valuation: 0n }), one, [])).to.be.revertedWithCustomError(
        f.equityDeals,
        "EquityDealsZeroValue",
      );
      await expect(d.proposeDeal(dealTerms(f, { equity: 10_001n }), one, []))
        .to.be.revertedWithCustomError(f.equityDeals, "EquityDealsBasisPointsOverflow")
        .withArgs(10_001n);
      await expect(d.proposeDeal(dealTerms(f, { currency: "0x000000" }), one, []))
        .to.be.revertedWithCustomError(f.equityDeals, "EquityDealsInvalidCurrency")
        .withArgs("0x000000");
      await expect(d.proposeDeal(dealTerms(f, { companyRegistration: "" }), one, [])).to.be.revertedWithCustomError(
        f.equityDeals,
        "EquityDealsEmptyText",
      );
      await expect(d.proposeDeal(dealTerms(f), [], []))
        .to.be.revertedWithCustomError(f.equityDeals, "EquityDealsPortfolioSize")
        .withArgs(0, 20);
      await expect(d.proposeDeal(dealTerms(f), [f.ids[0]!, f.ids[0]!], []))
        .to.be.revertedWithCustomError(f.equityDeals, "EquityDealsDuplicatePatent")
        .withArgs(f.ids[0]!);
      const over = [
        { beneficiary: f.inventor.address, role: Role.Inventor, bps: 9_000 },
        { beneficiary: f.chengdu.address, role: Role.TransferOffice, bps: 1_001 },
      ];
      await expect(d.proposeDeal(dealTerms(f), one, over))
        .to.be.revertedWithCustomError(f.equityDeals, "EquityDealsSharesExceedWhole")
        .withArgs(10_001n);
      await expect(d.proposeDeal(dealTerms(f), one, [{ beneficiary: ethers.ZeroAddress, role: Role.Inventor, bps: 1 }]))
        .to.be.revertedWithCustomError(f.equityDeals, "EquityDealsInvalidBeneficiary")
        .withArgs(ethers.ZeroAddress);
      const eleven = Array.from({ length: 11 }, () => ({ beneficiary: f.inventor.address, role: Role.Inventor, bps: 1 }));
      await expect(d.proposeDeal(dealTerms(f), one, eleven))
        .to.be.revertedWithCustomError(f.equityDeals, "EquityDealsTooManyShares")
        .withArgs(11, 10);
    });
  });

  describe("acceptDeal", () => {
    it("locks every patent with LOCK_EQUITY, and the lock refuses every other act", async () => {
      const f = await loadFixture(equityFixture);
      const { dealId, ids } = await proposed(f);
      const tx = f.equityDeals.connect(f.companyA).acceptDeal(dealId);
      await expect(tx).to.emit(f.equityDeals, "DealAccepted").withArgs(dealId, f.companyA.address);
      await expect(tx)
        .to.emit(f.registry, "PatentLocked")
        .withArgs(ids[0]!, LockBits.EQUITY, await f.equityDeals.getAddress());
      expect(await f.equityDeals.committedDealOf(ids[0]!)).to.equal(dealId);
      await expect(f.registry.connect(f.uniA).proposeTransfer(ids[0]!, f.companyB.address, ethers.ZeroHash))
        .to.be.revertedWithCustomError(f.equityDeals, "EquityDealsPatentCommitted")
        .withArgs(ids[0]!, dealId);
      await expect(f.pledges.connect(f.bankA).proposePledge(f.terms, [{ patentId: ids[1]!, pledgor: f.uniA.address }]))
        .to.be.revertedWithCustomError(f.equityDeals, "EquityDealsPatentCommitted")
        .withArgs(ids[1]!, dealId);
    });

    it("reverts with PledgesConsentRequired when a patent is pledged without the pledgee's consent", async () => {
      const f = await loadFixture(equityFixture);
      const pledgeId = await pledgeOf(f, [{ patentId: f.ids[0]!, pledgor: f.uniA.address }]);
      const { dealId } = await proposed(f, [0]);
      await expect(f.equityDeals.connect(f.companyA).acceptDeal(dealId))
        .to.be.revertedWithCustomError(f.pledges, "PledgesConsentRequired")
        .withArgs(pledgeId, f.ids[0]!, Act.Contribute, f.companyA.address);
    });

    it("contributes a pledged patent with the pledgee's consent, which also covers the transfer", async () => {
      const f = await loadFixture(equityFixture);
      const patentId = f.ids[0]!;
      const pledgeId = await pledgeOf(f, [{ patentId, pledgor: f.uniA.address }]);
      await f.pledges.connect(f.bankA).consent(pledgeId, patentId, Act.Contribute, f.companyA.address, 0);
      const { dealId } = await proposed(f, [0]);
      await expect(f.equityDeals.connect(f.companyA).acceptDeal(dealId))
        .to.emit(f.pledges, "ActConsented")
        .withArgs(pledgeId, patentId, f.companyA.address, Act.Transfer, 0);
      await f.equityDeals.connect(f.uniA).executeDeal(dealId);
      const transferId = await f.registry.pendingTransfer(patentId);
      const reg = f.registry.connect(f.registrar).registerTransfer(transferId, "ZR1", await today());
      await expect(reg).to.emit(f.pledges, "PatentLeftPledge").withArgs(pledgeId, patentId, f.companyA.address);
      await expect(reg).to.emit(f.equityDeals, "DealExecuted").withArgs(dealId, f.companyA.address, await today());
      expect(await f.registry.ownerOf(patentId)).to.equal(f.companyA.address);
      expect(await f.registry.isLocked(patentId, LockBits.PLEDGED)).to.equal(false);
      expect(await f.registry.isLocked(patentId, LockBits.EQUITY)).to.equal(false);
    });

    it("keeps a committed pledged patent out of a disposal (EquityDealsPatentCommitted)", async () => {
      const f = await loadFixture(equityFixture);
      const patentId = f.ids[0]!;
      const pledgeId = await pledgeOf(f, [{ patentId, pledgor: f.uniA.address }]);
      await f.pledges.connect(f.bankA).consent(pledgeId, patentId, Act.Contribute, f.companyA.address, 0);
      const { dealId } = await proposed(f, [0]);
      await f.equityDeals.connect(f.companyA).acceptDeal(dealId);
      const token = await f.token.getAddress();
      await expect(f.pledges.connect(f.bankA).startDisposal(pledgeId, [patentId], [1n], token, 0n))
        .to.be.revertedWithCustomError(f.equityDeals, "EquityDealsPatentCommitted")
        .withArgs(patentId, dealId);
    });

    it("reverts with EquityDealsNotCompany, EquityDealsWrongStatus and EquityDealsNotOwner", async () => {
      const f = await loadFixture(equityFixture);
      const { dealId } = await proposed(f);
      await expect(f.equityDeals.connect(f.uniA).acceptDeal(dealId))
        .to.be.revertedWithCustomError(f.equityDeals, "EquityDealsNotCompany")
        .withArgs(dealId, f.uniA.address, f.companyA.address);
      await expect(f.equityDeals.connect(f.companyA).acceptDeal(99n))
        .to.be.revertedWithCustomError(f.equityDeals, "EquityDealsUnknownDeal")
        .withArgs(99n);
      // the owner sells one patent before the company accepts
      await f.registry.connect(f.uniA).proposeTransfer(f.ids[1]!, f.companyB.address, ethers.ZeroHash);
      await f.registry.connect(f.companyB).acceptTransfer(1n);
      await f.registry.connect(f.registrar).registerTransfer(1n, "ZR1", await today());
      await expect(f.equityDeals.connect(f.companyA).acceptDeal(dealId))
        .to.be.revertedWithCustomError(f.equityDeals, "EquityDealsNotOwner")
        .withArgs(f.ids[1]!, f.uniA.address, f.companyB.address);
      await f.equityDeals.connect(f.uniA).cancelDeal(dealId);
      await expect(f.equityDeals.connect(f.companyA).acceptDeal(dealId))
        .to.be.revertedWithCustomError(f.equityDeals, "EquityDealsWrongStatus")
        .withArgs(dealId, DealStatus.Cancelled);
    });
  });

  describe("cancelDeal", () => {
    it("unlocks the patents of an accepted deal", async () => {
      const f = await loadFixture(equityFixture);
      const { dealId, ids } = await proposed(f);
      await f.equityDeals.connect(f.companyA).acceptDeal(dealId);
      await expect(f.equityDeals.connect(f.companyA).cancelDeal(dealId))
        .to.emit(f.equityDeals, "DealCancelled")
        .withArgs(dealId, f.companyA.address);
      expect(await f.registry.isLocked(ids[0]!, LockBits.EQUITY)).to.equal(false);
      expect(await f.equityDeals.committedDealOf(ids[0]!)).to.equal(0n);
    });

    it("reverts with EquityDealsNotParty and EquityDealsWrongStatus once executing", async () => {
      const f = await loadFixture(equityFixture);
      const { dealId } = await proposed(f);
      await expect(f.equityDeals.connect(f.stranger).cancelDeal(dealId))
        .to.be.revertedWithCustomError(f.equityDeals, "EquityDealsNotParty")
        .withArgs(dealId, f.stranger.address);
      await f.equityDeals.connect(f.companyA).acceptDeal(dealId);
      await f.equityDeals.connect(f.companyA).executeDeal(dealId);
      await expect(f.equityDeals.connect(f.uniA).cancelDeal(dealId))
        .to.be.revertedWithCustomError(f.equityDeals, "EquityDealsWrongStatus")
        .withArgs(dealId, DealStatus.Executing);
    });
  });

  describe("executeDeal", () => {
    it("agrees every transfer and is executed when the last one is registered", async () => {
      const f = await loadFixture(equityFixture);
      const { dealId, ids } = await proposed(f);
      await f.equityDeals.connect(f.companyA).acceptDeal(dealId);
      const tx = f.equityDeals.connect(f.uniA).executeDeal(dealId);
      await expect(tx).to.emit(f.equityDeals, "DealTransferAgreed").withArgs(dealId, ids[0]!, 1n);
      await expect(tx).to.emit(f.equityDeals, "DealTransferAgreed").withArgs(dealId, ids[1]!, 2n);
      const day = await today();
      await expect(f.registry.connect(f.registrar).registerTransfer(1n, "ZR1", day))
        .to.emit(f.equityDeals, "DealTransferRegistered")
        .withArgs(dealId, ids[0]!, 1n);
      expect((await f.equityDeals.deal(dealId)).status).to.equal(DealStatus.Executing);
      const last = f.registry.connect(f.registrar).registerTransfer(2n, "ZR2", day);
      await expect(last).to.emit(f.equityDeals, "DealExecuted").withArgs(dealId, f.companyA.address, day);
      await expect(last)
        .to.emit(f.registry, "PatentUnlocked")
        .withArgs(ids[1]!, LockBits.EQUITY, await f.equityDeals.getAddress());
      const d = await f.equityDeals.deal(dealId);
      expect(d.status).to.equal(DealStatus.Executed);
      expect(d.executedDay).to.equal(day);
      for (const id of ids) {
        expect(await f.registry.ownerOf(id)).to.equal(f.companyA.address);
        expect(await f.registry.isLocked(id, LockBits.EQUITY)).to.equal(false);
      }
    });

    it("marks the deal failed and unlocks the patent when CNIPA refuses a transfer", async () => {
      const f = await loadFixture(equityFixture);
      const { dealId, ids } = await proposed(f, [0]);
      await f.equityDeals.connect(f.companyA).acceptDeal(dealId);
      await f.equityDeals.connect(f.companyA).executeDeal(dealId);
      await expect(f.registry.connect(f.registrar).refuseTransfer(1n, "valuation report missing"))
        .to.emit(f.equityDeals, "DealFailed")
        .withArgs(dealId, ids[0]!, 1n);
      expect((await f.equityDeals.deal(dealId)).status).to.equal(DealStatus.Failed);
      expect(await f.registry.isLocked(ids[0]!, LockBits.EQUITY)).to.equal(false);
      expect(await f.registry.ownerOf(ids[0]!)).to.equal(f.uniA.address);
    });

    it("reverts with EquityDealsWrongStatus before acceptance and EquityDealsNotParty for a stranger", async () => {
      const f = await loadFixture(equityFixture);
      const { dealId } = await proposed(f);
      await expect(f.equityDeals.connect(f.uniA).executeDeal(dealId))
        .to.be.revertedWithCustomError(f.equityDeals, "EquityDealsWrongStatus")
        .withArgs(dealId, DealStatus.Proposed);
      await f.equityDeals.connect(f.companyA).acceptDeal(dealId);
      await expect(f.equityDeals.connect(f.stranger).executeDeal(dealId))
        .to.be.revertedWithCustomError(f.equityDeals, "EquityDealsNotParty")
        .withArgs(dealId, f.stranger.address);
    });
  });

  describe("guard and observer callbacks", () => {
    it("reverts with EquityDealsNotRegistry when anyone but the registry calls", async () => {
      const f = await loadFixture(equityFixture);
      const s = f.stranger.address;
      await expect(f.equityDeals.connect(f.stranger).authorise(f.ids[0]!, Act.Transfer, s, s))
        .to.be.revertedWithCustomError(f.equityDeals, "EquityDealsNotRegistry")
        .withArgs(s);
      await expect(f.equityDeals.connect(f.stranger).onPatentTransferred(f.ids[0]!, s, s))
        .to.be.revertedWithCustomError(f.equityDeals, "EquityDealsNotRegistry")
        .withArgs(s);
      await expect(f.equityDeals.connect(f.stranger).onTransferRegistered(1n, f.ids[0]!))
        .to.be.revertedWithCustomError(f.equityDeals, "EquityDealsNotRegistry")
        .withArgs(s);
      await expect(f.equityDeals.connect(f.stranger).onTransferRefused(1n, f.ids[0]!))
        .to.be.revertedWithCustomError(f.equityDeals, "EquityDealsNotRegistry")
        .withArgs(s);
    });
  });

  describe("warrants", () => {
    async function granted(triggerRequired = true) {
      const f = await loadFixture(equityFixture);
      const { dealId } = await proposed(f, [0]);
      const day = await today();
      await f.equityDeals
        .connect(f.companyA)
        .grantWarrant(dealId, f.inventor.address, 100_000n, 150n, day + 10, day + 40, triggerRequired, "Series A closes");
      return { f, dealId, day, warrantId: await f.equityDeals.warrantCount() };
    }

    it("records a warrant for an inventor with its window and trigger", async () => {
      const f = await loadFixture(equityFixture);
      const { dealId } = await proposed(f, [0]);
      const day = await today();
      await expect(
        f.equityDeals
          .connect(f.companyA)
          .grantWarrant(dealId, f.inventor.address, 100_000n, 150n, day + 10, day + 40, true, "Series A closes"),
      )
        .to.emit(f.equityDeals, "WarrantGranted")
        .withArgs(1n, dealId, f.inventor.address, f.companyA.address, 100_000n, 150n, CNY, day + 10, day + 40, true, "Series A closes");
      const w = await f.equityDeals.warrant(1n);
      expect(w.status).to.equal(WarrantStatus.Granted);
      expect(w.holder).to.equal(f.inventor.address);
    });

    it("is exercised by its holder within the window once the trigger is recorded", async () => {
      const { f, warrantId, day } = await granted();
      await expect(f.equityDeals.connect(f.inventor).exerciseWarrant(warrantId))
        .to.be.revertedWithCustomError(f.equityDeals, "EquityDealsOutsideWindow")
        .withArgs(warrantId, day, day + 10, day + 40);
      await time.increase(12 * 86_400);
      await expect(f.equityDeals.connect(f.inventor).exerciseWarrant(warrantId))
        .to.be.revertedWithCustomError(f.equityDeals, "EquityDealsTriggerNotMet")
        .withArgs(warrantId);
      await expect(f.equityDeals.connect(f.uniA).recordTrigger(warrantId))
        .to.be.revertedWithCustomError(f.equityDeals, "EquityDealsNotCompany")
        .withArgs(1n, f.uniA.address, f.companyA.address);
      await expect(f.equityDeals.connect(f.companyA).recordTrigger(warrantId))
        .to.emit(f.equityDeals, "WarrantTriggered")
        .withArgs(warrantId, f.companyA.address, await today());
      await expect(f.equityDeals.connect(f.companyA).recordTrigger(warrantId))
        .to.be.revertedWithCustomError(f.equityDeals, "EquityDealsNoTrigger")
        .withArgs(warrantId);
      await expect(f.equityDeals.connect(f.uniA).exerciseWarrant(warrantId))
        .to.be.revertedWithCustomError(f.equityDeals, "EquityDealsNotHolder")
        .withArgs(warrantId, f.uniA.address, f.inventor.address);
      await expect(f.equityDeals.connect(f.inventor).exerciseWarrant(warrantId))
        .to.emit(f.equityDeals, "WarrantExercised")
        .withArgs(warrantId, f.inventor.address, 100_000n, await today());
      expect((await f.equityDeals.warrant(warrantId)).status).to.equal(WarrantStatus.Exercised);
      await expect(f.equityDeals.connect(f.inventor).exerciseWarrant(warrantId))
        .to.be.revertedWithCustomError(f.equityDeals, "EquityDealsWarrantState")
        .withArgs(warrantId, WarrantStatus.Exercised);
    });

    it("is marked expired by anyone after the window, not before", async () => {
      const { f, warrantId, day } = await granted(false);
      await expect(f.equityDeals.connect(f.stranger).expireWarrant(warrantId))
        .to.be.revertedWithCustomError(f.equityDeals, "EquityDealsWindowOpen")
        .withArgs(warrantId, day, day + 40);
      await time.increase(41 * 86_400);
      await expect(f.equityDeals.connect(f.inventor).exerciseWarrant(warrantId))
        .to.be.revertedWithCustomError(f.equityDeals, "EquityDealsOutsideWindow")
        .withArgs(warrantId, day + 41, day + 10, day + 40);
      await expect(f.equityDeals.connect(f.stranger).expireWarrant(warrantId))
        .to.emit(f.equityDeals, "WarrantExpired")
        .withArgs(warrantId, f.stranger.address, day + 41);
      expect((await f.equityDeals.warrant(warrantId)).status).to.equal(WarrantStatus.Expired);
    });

    it("reverts with EquityDealsInvalidHolder, EquityDealsInvalidWindow, EquityDealsNotCompany and EquityDealsUnknownWarrant", async () => {
      const f = await loadFixture(equityFixture);
      const { dealId } = await proposed(f, [0]);
      const day = await today();
      const c = f.equityDeals.connect(f.companyA);
      await expect(c.grantWarrant(dealId, f.stranger.address, 1n, 1n, day, day + 1, false, ""))
        .to.be.revertedWithCustomError(f.equityDeals, "EquityDealsInvalidHolder")
        .withArgs(dealId, f.stranger.address);
      await expect(c.grantWarrant(dealId, f.uniA.address, 1n, 1n, day + 2, day + 1, false, ""))
        .to.be.revertedWithCustomError(f.equityDeals, "EquityDealsInvalidWindow")
        .withArgs(day + 2, day + 1, day);
      await expect(c.grantWarrant(dealId, f.uniA.address, 1n, 1n, day, day + 1, true, "")).to.be.revertedWithCustomError(
        f.equityDeals,
        "EquityDealsEmptyText",
      );
      await expect(c.grantWarrant(dealId, f.uniA.address, 0n, 1n, day, day + 1, false, "")).to.be.revertedWithCustomError(
        f.equityDeals,
        "EquityDealsZeroValue",
      );
      await expect(f.equityDeals.connect(f.uniA).grantWarrant(dealId, f.uniA.address, 1n, 1n, day, day + 1, false, ""))
        .to.be.revertedWithCustomError(f.equityDeals, "EquityDealsNotCompany")
        .withArgs(dealId, f.uniA.address, f.companyA.address);
      await expect(f.equityDeals.warrant(5n))
        .to.be.revertedWithCustomError(f.equityDeals, "EquityDealsUnknownWarrant")
        .withArgs(5n);
      await f.equityDeals.connect(f.uniA).cancelDeal(dealId);
      await expect(c.grantWarrant(dealId, f.uniA.address, 1n, 1n, day, day + 1, false, ""))
        .to.be.revertedWithCustomError(f.equityDeals, "EquityDealsWrongStatus")
        .withArgs(dealId, DealStatus.Cancelled);
    });
  });
});
