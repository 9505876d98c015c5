import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { Act, LegalStatus, LockBits } from "../../server/chain/roles";
import { financingFixture, pledgeOf, today, type FinancingFixture } from "./fixtures";

const PledgeStatus = {
  None: 0,
  Proposed: 1,
  Agreed: 2,
  Registered: 3,
  Refused: 4,
  Withdrawn: 5,
  Released: 6,
  Defaulted: 7,
  Enforced: 8,
} as const;
const Entry = { None: 0, Pledged: 1, Left: 2, Disposing: 3, Sold: 4, Disposed: 5, Released: 6 } as const;
const Route = { EarlyRepayment: 0, Escrow: 1 } as const;
const CNY = "0x434e59";

function one(f: FinancingFixture, index = 0) {
  return [{ patentId: f.ids[index]!, pledgor: f.uniA.address }];
}

describe("Pledges", () => {
  describe("proposePledge", () => {
    it("records a pledge proposed by the bank, locks the patent and counts the bank's consent", async () => {
      const f = await loadFixture(financingFixture);
      const id = f.ids[0]!;
      const tx = f.pledges.connect(f.bankA).proposePledge(f.terms, one(f));
      await expect(tx)
        .to.emit(f.pledges, "PledgeProposed")
        .withArgs(1n, f.bankA.address, f.bankA.address, 5_000_000n, CNY, f.terms.termEndDay, f.terms.contractHash, "CDB-2026-0001");
      await expect(tx).to.emit(f.pledges, "PatentPledged").withArgs(1n, id, f.uniA.address);
      await expect(tx).to.emit(f.pledges, "PledgeConsented").withArgs(1n, f.bankA.address, 1);
      await expect(tx).to.emit(f.registry, "PatentLocked").withArgs(id, LockBits.PLEDGED, await f.pledges.getAddress());
      expect(await f.registry.isLocked(id, LockBits.PLEDGED)).to.equal(true);
      expect(await f.pledges.activePledgeOf(id)).to.equal(1n);
      const p = await f.pledges.pledge(1n);
      expect(p.status).to.equal(PledgeStatus.Proposed);
      expect(p.consentsMissing).to.equal(1);
      expect(p.patentCount).to.equal(1);
      expect(await f.pledges.pledgePatents(1n)).to.deep.equal([id]);
      expect(await f.pledges.pledgors(1n)).to.deep.equal([f.uniA.address]);
    });

    it("lets a pledgor propose", async () => {
      const f = await loadFixture(financingFixture);
      await expect(f.pledges.connect(f.uniA).proposePledge(f.terms, one(f)))
        .to.emit(f.pledges, "PledgeConsented")
        .withArgs(1n, f.uniA.address, 1);
      expect(await f.pledges.hasConsented(1n, f.uniA.address)).to.equal(true);
      expect(await f.pledges.hasConsented(1n, f.bankA.address)).to.equal(false);
    });

    it("records a cluster pledge over patents of several owners (集合授信), each owner consenting", async () => {
      const f = await loadFixture(financingFixture);
      const items = [
        { patentId: f.ids[0]!, pledgor: f.uniA.address },
        { patentId: f.ids[3]!, pledgor: f.uniB.address },
        { patentId: f.ids[1]!, pledgor: f.uniA.address },
      ];
      await f.pledges.connect(f.bankA).proposePledge(f.terms, items);
      expect((await f.pledges.pledge(1n)).consentsMissing).to.equal(2);
      expect(await f.pledges.pledgors(1n)).to.deep.equal([f.uniA.address, f.uniB.address]);
      await f.pledges.connect(f.uniA).consentPledge(1n);
      await expect(f.pledges.connect(f.uniB).consentPledge(1n))
        .to.emit(f.pledges, "PledgeAgreed")
        .withArgs(1n, await today());
    });

    it("reverts with PledgesPledgeeNotBank when the pledgee holds no bank role", async () => {
      const f = await loadFixture(financingFixture);
      const terms = { ...f.terms, pledgee: f.companyA.address };
      await expect(f.pledges.connect(f.uniA).proposePledge(terms, one(f)))
        .to.be.revertedWithCustomError(f.pledges, "PledgesPledgeeNotBank")
        .withArgs(f.companyA.address);
    });

    it("reverts with PledgesPortfolioSize when empty or over 20 patents", async () => {
      const f = await loadFixture(financingFixture);
      await expect(f.pledges.connect(f.bankA).proposePledge(f.terms, []))
        .to.be.revertedWithCustomError(f.pledges, "PledgesPortfolioSize")
        .withArgs(0, 20);
      const many = f.ids.filter((_, i) => i !== 3 && i !== 4).map((patentId) => ({ patentId, pledgor: f.uniA.address }));
      expect(many.length).to.equal(24);
      await expect(f.pledges.connect(f.bankA).proposePledge(f.terms, many.slice(0, 21)))
        .to.be.revertedWithCustomError(f.pledges, "PledgesPortfolioSize")
        .withArgs(21, 20);
    });

    it("reverts with PledgesZeroAmount, PledgesInvalidCurrency, PledgesTermEnded and PledgesEmptyText on bad terms", async () => {
      const f = await loadFixture(financingFixture);
      const propose = (t: Partial<typeof f.terms>) =>
        f.pledges.connect(f.bankA).proposePledge({ ...f.terms, ...t }, one(f));
      await expect(propose({ securedAmount: 0n })).to.be.revertedWithCustomError(f.pledges, "PledgesZeroAmount");
      await expect(propose({ currency: "0x000000" }))
        .to.be.revertedWithCustomError(f.pledges, "PledgesInvalidCurrency")
        .withArgs("0x000000");
      await expect(propose({ termEndDay: f.day - 1 }))
        .to.be.revertedWithCustomError(f.pledges, "PledgesTermEnded")
        .withArgs(f.day - 1, f.day);
      await expect(propose({ loanReference: "" })).to.be.revertedWithCustomError(f.pledges, "PledgesEmptyText");
    });

    it("reverts with PledgesPledgorNotOwner when the pledgor does not own the patent", async () => {
      const f = await loadFixture(financingFixture);
      const items = [{ patentId: f.ids[3]!, pledgor: f.uniA.address }];
      await expect(f.pledges.connect(f.bankA).proposePledge(f.terms, items))
        .to.be.revertedWithCustomError(f.pledges, "PledgesPledgorNotOwner")
        .withArgs(f.ids[3]!, f.uniA.address, f.uniB.address);
    });

    for (const [name, status] of [
      ["under invalidation", LegalStatus.UnderInvalidation],
      ["frozen by a preservation order", LegalStatus.Frozen],
      ["lapsed", LegalStatus.Lapsed],
      ["invalidated", LegalStatus.Invalidated],
    ] as const) {
      it(`reverts with PledgesPatentNotValid when the patent is ${name}`, async () => {
        const f = await loadFixture(financingFixture);
        await f.registry.connect(f.registrar).setLegalStatus(f.ids[0]!, status, "CNIPA notice");
        await expect(f.pledges.connect(f.bankA).proposePledge(f.terms, one(f)))
          .to.be.revertedWithCustomError(f.pledges, "PledgesPatentNotValid")
          .withArgs(f.ids[0]!, status);
      });
    }

    it("reverts with PledgesTermPastExpiry when the debt term reaches the patent's expiry", async () => {
      const f = await loadFixture(financingFixture);
      const expiry = await f.registry.expiryDay(f.ids[0]!);
      await expect(f.pledges.connect(f.bankA).proposePledge({ ...f.terms, termEndDay: expiry }, one(f)))
        .to.be.revertedWithCustomError(f.pledges, "PledgesTermPastExpiry")
        .withArgs(f.ids[0]!, expiry, expiry);
      await expect(f.pledges.connect(f.bankA).proposePledge({ ...f.terms, termEndDay: expiry - 1n }, one(f))).to.emit(
        f.pledges,
        "PledgeProposed",
      );
    });

    it("reverts with PledgesAlreadyPledged when a pledge is pending or registered on the patent", async () => {
      const f = await loadFixture(financingFixture);
      await f.pledges.connect(f.bankA).proposePledge(f.terms, one(f));
      const other = { ...f.terms, pledgee: f.bankB.address };
      await expect(f.pledges.connect(f.bankB).proposePledge(other, one(f)))
        .to.be.revertedWithCustomError(f.pledges, "PledgesAlreadyPledged")
        .withArgs(f.ids[0]!, 1n);
      const id2 = await pledgeOf(f, one(f, 1));
      await expect(f.pledges.connect(f.bankB).proposePledge(other, one(f, 1)))
        .to.be.revertedWithCustomError(f.pledges, "PledgesAlreadyPledged")
        .withArgs(f.ids[1]!, id2);
    });

    it("reverts with PledgesDuplicatePatent when a patent appears twice", async () => {
      const f = await loadFixture(financingFixture);
      const items = [...one(f), ...one(f)];
      await expect(f.pledges.connect(f.bankA).proposePledge(f.terms, items))
        .to.be.revertedWithCustomError(f.pledges, "PledgesDuplicatePatent")
        .withArgs(f.ids[0]!);
    });

    it("reverts with PledgesNotParty when the caller is neither the pledgee nor a pledgor", async () => {
      const f = await loadFixture(financingFixture);
      await expect(f.pledges.connect(f.stranger).proposePledge(f.terms, one(f)))
        .to.be.revertedWithCustomError(f.pledges, "PledgesNotParty")
        .withArgs(1n, f.stranger.address);
    });

    it("reverts with PatentRegistryTransferPending when a transfer of the patent is pending", async () => {
      const f = await loadFixture(financingFixture);
      await f.registry.connect(f.uniA).proposeTransfer(f.ids[0]!, f.companyA.address, ethers.ZeroHash);
      await expect(f.pledges.connect(f.bankA).proposePledge(f.terms, one(f)))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryTransferPending")
        .withArgs(f.ids[0]!, 1n);
    });
  });

  describe("consentPledge", () => {
    it("moves the pledge to Agreed when the last party consents", async () => {
      const f = await loadFixture(financingFixture);
      await f.pledges.connect(f.bankA).proposePledge(f.terms, one(f));
      const tx = f.pledges.connect(f.uniA).consentPledge(1n);
      await expect(tx).to.emit(f.pledges, "PledgeConsented").withArgs(1n, f.uniA.address, 0);
      await expect(tx).to.emit(f.pledges, "PledgeAgreed").withArgs(1n, await today());
      const p = await f.pledges.pledge(1n);
      expect(p.status).to.equal(PledgeStatus.Agreed);
      expect(p.agreedDay).to.equal(await today());
    });

    it("reverts with PledgesAlreadyConsented, PledgesNotParty, PledgesWrongStatus and PledgesUnknownPledge", async () => {
      const f = await loadFixture(financingFixture);
      await f.pledges.connect(f.bankA).proposePledge(f.terms, one(f));
      await expect(f.pledges.connect(f.bankA).consentPledge(1n))
        .to.be.revertedWithCustomError(f.pledges, "PledgesAlreadyConsented")
        .withArgs(1n, f.bankA.address);
      await expect(f.pledges.connect(f.uniB).consentPledge(1n))
        .to.be.revertedWithCustomError(f.pledges, "PledgesNotParty")
        .withArgs(1n, f.uniB.address);
      await f.pledges.connect(f.uniA).consentPledge(1n);
      await expect(f.pledges.connect(f.uniA).consentPledge(1n))
        .to.be.revertedWithCustomError(f.pledges, "PledgesWrongStatus")
        .withArgs(1n, PledgeStatus.Agreed);
      await expect(f.pledges.connect(f.uniA).consentPledge(9n))
        .to.be.revertedWithCustomError(f.pledges, "PledgesUnknownPledge")
        .withArgs(9n);
    });
  });

  describe("registerPledge", () => {
    it("registers an agreed pledge with CNIPA's reference and day", async () => {
      const f = await loadFixture(financingFixture);
      const id = await pledgeOf(f, one(f), { register: false });
      const day = await today();
      await expect(f.pledges.connect(f.registrar).registerPledge(id, "Y2026510000001", day))
        .to.emit(f.pledges, "PledgeRegistered")
        .withArgs(id, f.registrar.address, "Y2026510000001", day);
      const p = await f.pledges.pledge(id);
      expect(p.status).to.equal(PledgeStatus.Registered);
      expect(p.registrationDay).to.equal(day);
    });

    it("reverts with PledgesWrongStatus before every party consented", async () => {
      const f = await loadFixture(financingFixture);
      await f.pledges.connect(f.bankA).proposePledge(f.terms, one(f));
      await expect(f.pledges.connect(f.registrar).registerPledge(1n, "Y1", await today()))
        .to.be.revertedWithCustomError(f.pledges, "PledgesWrongStatus")
        .withArgs(1n, PledgeStatus.Proposed);
    });

    it("reverts with PledgesRegistrationDay before agreement or in the future, and PledgesEmptyText", async () => {
      const f = await loadFixture(financingFixture);
      const id = await pledgeOf(f, one(f), { register: false });
      const day = await today();
      await expect(f.pledges.connect(f.registrar).registerPledge(id, "Y1", day + 1))
        .to.be.revertedWithCustomError(f.pledges, "PledgesRegistrationDay")
        .withArgs(id, day + 1, day, day);
      await expect(f.pledges.connect(f.registrar).registerPledge(id, "Y1", day - 1))
        .to.be.revertedWithCustomError(f.pledges, "PledgesRegistrationDay")
        .withArgs(id, day - 1, day, day);
      await expect(f.pledges.connect(f.registrar).registerPledge(id, "", day)).to.be.revertedWithCustomError(
        f.pledges,
        "PledgesEmptyText",
      );
    });

    it("reverts with PledgesPatentNotValid when a patent came under invalidation after agreement", async () => {
      const f = await loadFixture(financingFixture);
      const id = await pledgeOf(f, one(f), { register: false });
      await f.registry.connect(f.registrar).setLegalStatus(f.ids[0]!, LegalStatus.UnderInvalidation, "request filed");
      await expect(f.pledges.connect(f.registrar).registerPledge(id, "Y1", await today()))
        .to.be.revertedWithCustomError(f.pledges, "PledgesPatentNotValid")
        .withArgs(f.ids[0]!, LegalStatus.UnderInvalidation);
    });

    it("reverts with AccessManagedUnauthorized for a caller without the registrar role", async () => {
      const f = await loadFixture(financingFixture);
      const id = await pledgeOf(f, one(f), { register: false });
      await expect(f.pledges.connect(f.bankA).registerPledge(id, "Y1", await today()))
        .to.be.revertedWithCustomError(f.pledges, "AccessManagedUnauthorized")
        .withArgs(f.bankA.address);
    });
  });

  describe("refusePledge", () => {
    it("records the refusal and unlocks the patents", async () => {
      const f = await loadFixture(financingFixture);
      const id = await pledgeOf(f, one(f), { register: false });
      const tx = f.pledges.connect(f.registrar).refusePledge(id, "ownership dispute");
      await expect(tx).to.emit(f.pledges, "PledgeRefused").withArgs(id, f.registrar.address, "ownership dispute");
      await expect(tx).to.emit(f.registry, "PatentUnlocked").withArgs(f.ids[0]!, LockBits.PLEDGED, await f.pledges.getAddress());
      expect((await f.pledges.pledge(id)).status).to.equal(PledgeStatus.Refused);
      expect((await f.pledges.pledgedPatent(id, f.ids[0]!)).status).to.equal(Entry.Released);
      expect(await f.pledges.activePledgeOf(f.ids[0]!)).to.equal(0n);
      expect(await f.registry.isLocked(f.ids[0]!, LockBits.PLEDGED)).to.equal(false);
    });

    it("reverts with PledgesEmptyText without a reason and PledgesWrongStatus once registered", async () => {
      const f = await loadFixture(financingFixture);
      const id = await pledgeOf(f, one(f), { register: false });
      await expect(f.pledges.connect(f.registrar).refusePledge(id, "")).to.be.revertedWithCustomError(
        f.pledges,
        "PledgesEmptyText",
      );
      await f.pledges.connect(f.registrar).registerPledge(id, "Y1", await today());
      await expect(f.pledges.connect(f.registrar).refusePledge(id, "late"))
        .to.be.revertedWithCustomError(f.pledges, "PledgesWrongStatus")
        .withArgs(id, PledgeStatus.Registered);
    });

    it("reverts with AccessManagedUnauthorized for a caller without the registrar role", async () => {
      const f = await loadFixture(financingFixture);
      const id = await pledgeOf(f, one(f), { register: false });
      await expect(f.pledges.connect(f.stranger).refusePledge(id, "no"))
        .to.be.revertedWithCustomError(f.pledges, "AccessManagedUnauthorized")
        .withArgs(f.stranger.address);
    });
  });

  describe("withdrawPledge", () => {
    it("lets a party withdraw a pending pledge and unlocks its patents", async () => {
      const f = await loadFixture(financingFixture);
      await f.pledges.connect(f.bankA).proposePledge(f.terms, one(f));
      await expect(f.pledges.connect(f.uniA).withdrawPledge(1n))
        .to.emit(f.pledges, "PledgeWithdrawn")
        .withArgs(1n, f.uniA.address);
      expect(await f.registry.isLocked(f.ids[0]!, LockBits.PLEDGED)).to.equal(false);
      expect((await f.pledges.pledge(1n)).status).to.equal(PledgeStatus.Withdrawn);
    });

    it("reverts with PledgesNotParty for a stranger and PledgesWrongStatus once registered", async () => {
      const f = await loadFixture(financingFixture);
      const id = await pledgeOf(f, one(f), { register: false });
      await expect(f.pledges.connect(f.stranger).withdrawPledge(id))
        .to.be.revertedWithCustomError(f.pledges, "PledgesNotParty")
        .withArgs(id, f.stranger.address);
      await f.pledges.connect(f.registrar).registerPledge(id, "Y1", await today());
      await expect(f.pledges.connect(f.bankA).withdrawPledge(id))
        .to.be.revertedWithCustomError(f.pledges, "PledgesWrongStatus")
        .withArgs(id, PledgeStatus.Registered);
    });
  });

  describe("authorise (guard of LOCK_PLEDGED)", () => {
    const guarded: [string, Act][] = [
      ["transfer", Act.Transfer],
      ["licence", Act.Licence],
      ["open-licence declaration", Act.OpenLicence],
      ["listing", Act.List],
      ["contribution", Act.Contribute],
    ];
    for (const [name, act] of guarded) {
      it(`reverts with PledgesConsentRequired for a ${name} without the pledgee's consent`, async () => {
        const f = await loadFixture(financingFixture);
        const id = await pledgeOf(f, one(f));
        await expect(f.registry.connect(f.module).authoriseAct(f.ids[0]!, act, f.companyA.address))
          .to.be.revertedWithCustomError(f.pledges, "PledgesConsentRequired")
          .withArgs(id, f.ids[0]!, act, f.companyA.address);
      });

      it(`permits a consented ${name} once and routes proceeds to the pledgee`, async () => {
        const f = await loadFixture(financingFixture);
        const id = await pledgeOf(f, one(f));
        await expect(f.pledges.connect(f.bankA).consent(id, f.ids[0]!, act, f.companyA.address, Route.EarlyRepayment))
          .to.emit(f.pledges, "ActConsented")
          .withArgs(id, f.ids[0]!, f.companyA.address, act, Route.EarlyRepayment);
        expect(
          await f.registry.connect(f.module).authoriseAct.staticCall(f.ids[0]!, act, f.companyA.address),
        ).to.equal(f.bankA.address);
        await expect(f.registry.connect(f.module).authoriseAct(f.ids[0]!, act, f.companyA.address))
          .to.emit(f.pledges, "ActConsentUsed")
          .withArgs(id, f.ids[0]!, f.companyA.address, act, f.module.address, f.bankA.address);
        await expect(f.registry.connect(f.module).authoriseAct(f.ids[0]!, act, f.companyA.address))
          .to.be.revertedWithCustomError(f.pledges, "PledgesConsentRequired")
          .withArgs(id, f.ids[0]!, act, f.companyA.address);
      });
    }

    it("reverts with PledgesAlreadyPledged when another module asks to pledge", async () => {
      const f = await loadFixture(financingFixture);
      const id = await pledgeOf(f, one(f));
      await expect(f.registry.connect(f.module).authoriseAct(f.ids[0]!, Act.Pledge, f.bankB.address))
        .to.be.revertedWithCustomError(f.pledges, "PledgesAlreadyPledged")
        .withArgs(f.ids[0]!, id);
    });

    it("holds a consent to one counterparty only", async () => {
      const f = await loadFixture(financingFixture);
      const id = await pledgeOf(f, one(f));
      await f.pledges.connect(f.bankA).consent(id, f.ids[0]!, Act.Transfer, f.companyA.address, Route.Escrow);
      await expect(f.registry.connect(f.uniA).proposeTransfer(f.ids[0]!, f.companyB.address, ethers.ZeroHash))
        .to.be.revertedWithCustomError(f.pledges, "PledgesConsentRequired")
        .withArgs(id, f.ids[0]!, Act.Transfer, f.companyB.address);
    });

    it("lets a consent with counterparty zero permit the act once with any counterparty", async () => {
      const f = await loadFixture(financingFixture);
      const id = await pledgeOf(f, one(f));
      await f.pledges.connect(f.bankA).consent(id, f.ids[0]!, Act.Transfer, ethers.ZeroAddress, Route.EarlyRepayment);
      await expect(f.registry.connect(f.module).authoriseAct(f.ids[0]!, Act.Transfer, f.companyB.address))
        .to.emit(f.pledges, "ActConsentUsed")
        .withArgs(id, f.ids[0]!, f.companyB.address, Act.Transfer, f.module.address, f.bankA.address);
      expect((await f.pledges.actConsent(id, f.ids[0]!, Act.Transfer, ethers.ZeroAddress)).given).to.equal(false);
      await expect(f.registry.connect(f.module).authoriseAct(f.ids[0]!, Act.Transfer, f.companyA.address))
        .to.be.revertedWithCustomError(f.pledges, "PledgesConsentRequired")
        .withArgs(id, f.ids[0]!, Act.Transfer, f.companyA.address);
    });

    it("keeps a consent to open licensing with anyone standing: the declaration and each taker use it", async () => {
      const f = await loadFixture(financingFixture);
      const id = await pledgeOf(f, one(f));
      await f.pledges.connect(f.bankA).consent(id, f.ids[0]!, Act.OpenLicence, ethers.ZeroAddress, Route.Escrow);
      await expect(f.registry.connect(f.module).authoriseAct(f.ids[0]!, Act.OpenLicence, ethers.ZeroAddress))
        .to.emit(f.pledges, "ActConsentUsed")
        .withArgs(id, f.ids[0]!, ethers.ZeroAddress, Act.OpenLicence, f.module.address, await f.pledges.getAddress());
      for (const taker of [f.companyA, f.companyB]) {
        expect(
          await f.registry.connect(f.module).authoriseAct.staticCall(f.ids[0]!, Act.OpenLicence, taker.address),
        ).to.equal(await f.pledges.getAddress());
        await f.registry.connect(f.module).authoriseAct(f.ids[0]!, Act.OpenLicence, taker.address);
      }
      expect((await f.pledges.actConsent(id, f.ids[0]!, Act.OpenLicence, ethers.ZeroAddress)).given).to.equal(true);
      await f.pledges.connect(f.bankA).revokeConsent(id, f.ids[0]!, Act.OpenLicence, ethers.ZeroAddress);
      await expect(f.registry.connect(f.module).authoriseAct(f.ids[0]!, Act.OpenLicence, f.companyA.address))
        .to.be.revertedWithCustomError(f.pledges, "PledgesConsentRequired")
        .withArgs(id, f.ids[0]!, Act.OpenLicence, f.companyA.address);
    });

    it("uses an exact consent before a consent with counterparty zero", async () => {
      const f = await loadFixture(financingFixture);
      const id = await pledgeOf(f, one(f));
      await f.pledges.connect(f.bankA).consent(id, f.ids[0]!, Act.Licence, ethers.ZeroAddress, Route.Escrow);
      await f.pledges.connect(f.bankA).consent(id, f.ids[0]!, Act.Licence, f.companyA.address, Route.EarlyRepayment);
      await f.registry.connect(f.module).authoriseAct(f.ids[0]!, Act.Licence, f.companyA.address);
      expect((await f.pledges.actConsent(id, f.ids[0]!, Act.Licence, f.companyA.address)).given).to.equal(false);
      expect((await f.pledges.actConsent(id, f.ids[0]!, Act.Licence, ethers.ZeroAddress)).given).to.equal(true);
    });

    it("routes escrowed proceeds to the Pledges contract", async () => {
      const f = await loadFixture(financingFixture);
      const id = await pledgeOf(f, one(f));
      await f.pledges.connect(f.bankA).consent(id, f.ids[0]!, Act.Licence, f.companyA.address, Route.Escrow);
      expect(
        await f.registry.connect(f.module).authoriseAct.staticCall(f.ids[0]!, Act.Licence, f.companyA.address),
      ).to.equal(await f.pledges.getAddress());
    });

    it("lets a consented sale take the patent out of the pledge (onPatentTransferred)", async () => {
      const f = await loadFixture(financingFixture);
      const id = await pledgeOf(f, one(f));
      const patentId = f.ids[0]!;
      await f.pledges.connect(f.bankA).consent(id, patentId, Act.Transfer, f.companyA.address, Route.EarlyRepayment);
      await f.registry.connect(f.uniA).proposeTransfer(patentId, f.companyA.address, ethers.ZeroHash);
      await f.registry.connect(f.companyA).acceptTransfer(1n);
      const tx = f.registry.connect(f.registrar).registerTransfer(1n, "ZR2026001", await today());
      await expect(tx).to.emit(f.pledges, "PatentLeftPledge").withArgs(id, patentId, f.companyA.address);
      await expect(tx).to.emit(f.registry, "PatentUnlocked").withArgs(patentId, LockBits.PLEDGED, await f.pledges.getAddress());
      expect(await f.registry.ownerOf(patentId)).to.equal(f.companyA.address);
      expect(await f.registry.isLocked(patentId, LockBits.PLEDGED)).to.equal(false);
      expect(await f.pledges.activePledgeOf(patentId)).to.equal(0n);
      expect((await f.pledges.pledgedPatent(id, patentId)).status).to.equal(Entry.Left);
      expect((await f.pledges.pledge(id)).activeCount).to.equal(0);
    });

    it("reverts with PledgesNotRegistry when anyone but the registry calls the guard", async () => {
      const f = await loadFixture(financingFixture);
      await expect(f.pledges.connect(f.stranger).authorise(f.ids[0]!, Act.Transfer, f.stranger.address, f.stranger.address))
        .to.be.revertedWithCustomError(f.pledges, "PledgesNotRegistry")
        .withArgs(f.stranger.address);
      await expect(f.pledges.connect(f.stranger).onPatentTransferred(f.ids[0]!, f.uniA.address, f.stranger.address))
        .to.be.revertedWithCustomError(f.pledges, "PledgesNotRegistry")
        .withArgs(f.stranger.address);
    });
  });

  describe("consent and revokeConsent", () => {
    it("revokes an unused consent", async () => {
      const f = await loadFixture(financingFixture);
      const id = await pledgeOf(f, one(f));
      await f.pledges.connect(f.bankA).consent(id, f.ids[0]!, Act.Licence, f.companyA.address, Route.Escrow);
      expect((await f.pledges.actConsent(id, f.ids[0]!, Act.Licence, f.companyA.address)).given).to.equal(true);
      await expect(f.pledges.connect(f.bankA).revokeConsent(id, f.ids[0]!, Act.Licence, f.companyA.address))
        .to.emit(f.pledges, "ActConsentRevoked")
        .withArgs(id, f.ids[0]!, f.companyA.address, Act.Licence);
      await expect(f.registry.connect(f.module).authoriseAct(f.ids[0]!, Act.Licence, f.companyA.address))
        .to.be.revertedWithCustomError(f.pledges, "PledgesConsentRequired")
        .withArgs(id, f.ids[0]!, Act.Licence, f.companyA.address);
      await expect(f.pledges.connect(f.bankA).revokeConsent(id, f.ids[0]!, Act.Licence, f.companyA.address))
        .to.be.revertedWithCustomError(f.pledges, "PledgesConsentNotFound")
        .withArgs(id, f.ids[0]!, Act.Licence, f.companyA.address);
    });

    it("reverts with PledgesNotPledgee, PledgesConsentAct and PledgesPatentState", async () => {
      const f = await loadFixture(financingFixture);
      const id = await pledgeOf(f, one(f));
      await expect(f.pledges.connect(f.uniA).consent(id, f.ids[0]!, Act.Licence, f.companyA.address, Route.Escrow))
        .to.be.revertedWithCustomError(f.pledges, "PledgesNotPledgee")
        .withArgs(id, f.uniA.address, f.bankA.address);
      await expect(f.pledges.connect(f.uniA).revokeConsent(id, f.ids[0]!, Act.Licence, f.companyA.address))
        .to.be.revertedWithCustomError(f.pledges, "PledgesNotPledgee")
        .withArgs(id, f.uniA.address, f.bankA.address);
      await expect(f.pledges.connect(f.bankA).consent(id, f.ids[0]!, Act.Pledge, f.bankB.address, Route.Escrow))
        .to.be.revertedWithCustomError(f.pledges, "PledgesConsentAct")
        .withArgs(Act.Pledge);
      await expect(f.pledges.connect(f.bankA).consent(id, f.ids[1]!, Act.Licence, f.companyA.address, Route.Escrow))
        .to.be.revertedWithCustomError(f.pledges, "PledgesPatentState")
        .withArgs(id, f.ids[1]!, Entry.None);
    });

    it("reverts with PledgesWrongStatus once the pledge is released", async () => {
      const f = await loadFixture(financingFixture);
      const id = await pledgeOf(f, one(f));
      await f.pledges.connect(f.bankA).releasePledge(id);
      await expect(f.pledges.connect(f.bankA).consent(id, f.ids[0]!, Act.Licence, f.companyA.address, Route.Escrow))
        .to.be.revertedWithCustomError(f.pledges, "PledgesWrongStatus")
        .withArgs(id, PledgeStatus.Released);
    });
  });

  describe("depositProceeds", () => {
    it("escrows proceeds per pledge, token and pledgor and pays them to the pledgor on release", async () => {
      const f = await loadFixture(financingFixture);
      const id = await pledgeOf(f, one(f));
      const pledgesAddress = await f.pledges.getAddress();
      const tokenAddress = await f.token.getAddress();
      await f.token.connect(f.module).approve(pledgesAddress, 300_000n);
      await expect(f.pledges.connect(f.module).depositProceeds(f.ids[0]!, tokenAddress, 300_000n))
        .to.emit(f.pledges, "ProceedsEscrowed")
        .withArgs(id, f.ids[0]!, tokenAddress, f.uniA.address, f.module.address, 300_000n);
      expect(await f.pledges.escrowed(id, tokenAddress, f.uniA.address)).to.equal(300_000n);
      expect(await f.pledges.escrowTokens(id)).to.deep.equal([tokenAddress]);
      const before = await f.token.balanceOf(f.uniA.address);
      await expect(f.pledges.connect(f.bankA).releasePledge(id))
        .to.emit(f.pledges, "ProceedsPaid")
        .withArgs(id, tokenAddress, f.uniA.address, 300_000n, false);
      expect((await f.token.balanceOf(f.uniA.address)) - before).to.equal(300_000n);
      expect(await f.pledges.escrowed(id, tokenAddress, f.uniA.address)).to.equal(0n);
    });

    it("reverts with PledgesNotDepositor, PledgesNotPledged and PledgesZeroAmount", async () => {
      const f = await loadFixture(financingFixture);
      const tokenAddress = await f.token.getAddress();
      await expect(f.pledges.connect(f.module).depositProceeds(f.ids[0]!, tokenAddress, 1n))
        .to.be.revertedWithCustomError(f.pledges, "PledgesNotPledged")
        .withArgs(f.ids[0]!);
      await pledgeOf(f, one(f));
      await expect(f.pledges.connect(f.stranger).depositProceeds(f.ids[0]!, tokenAddress, 1n))
        .to.be.revertedWithCustomError(f.pledges, "PledgesNotDepositor")
        .withArgs(f.stranger.address);
      await expect(f.pledges.connect(f.module).depositProceeds(f.ids[0]!, tokenAddress, 0n)).to.be.revertedWithCustomError(
        f.pledges,
        "PledgesZeroAmount",
      );
    });

    it("passes proceeds on to the pledgor once the pledge is released", async () => {
      const f = await loadFixture(financingFixture);
      const tokenAddress = await f.token.getAddress();
      const id = await pledgeOf(f, one(f));
      await f.pledges.connect(f.bankA).releasePledge(id);
      await f.token.connect(f.module).approve(await f.pledges.getAddress(), 500n);
      const tx = f.pledges.connect(f.module).depositProceeds(f.ids[0]!, tokenAddress, 500n);
      await expect(tx).to.emit(f.pledges, "ProceedsPaid").withArgs(id, tokenAddress, f.uniA.address, 500n, false);
      await expect(tx).to.changeTokenBalances(f.token, [f.uniA, f.module], [500n, -500n]);
    });

    it("applies proceeds to the debt at once while the pledge is defaulted", async () => {
      const f = await loadFixture(financingFixture);
      const tokenAddress = await f.token.getAddress();
      const id = await pledgeOf(f, [...one(f), ...one(f, 1)]);
      await f.pledges.connect(f.bankA).startDisposal(id, [f.ids[0]!], [1n], tokenAddress, 0n);
      await f.token.connect(f.module).approve(await f.pledges.getAddress(), 6_000_000n);
      const tx = f.pledges.connect(f.module).depositProceeds(f.ids[1]!, tokenAddress, 6_000_000n);
      await expect(tx).to.emit(f.pledges, "ProceedsPaid").withArgs(id, tokenAddress, f.bankA.address, 5_000_000n, true);
      await expect(tx).to.emit(f.pledges, "ProceedsPaid").withArgs(id, tokenAddress, f.uniA.address, 1_000_000n, false);
      expect((await f.pledges.pledge(id)).recovered).to.equal(5_000_000n);
    });

    it("reverts with PledgesTooManyTokens past four escrow tokens", async () => {
      const f = await loadFixture(financingFixture);
      await pledgeOf(f, one(f));
      const factory = await ethers.getContractFactory("DemoSettlementToken");
      for (let i = 0; i < 5; ++i) {
        const token = await factory.deploy(await f.accessManager.getAddress());
        await token.connect(f.admin).mint(f.uniA.address, 10n);
        await token.connect(f.uniA).approve(await f.pledges.getAddress(), 10n);
        const deposit = f.pledges.connect(f.uniA).depositProceeds(f.ids[0]!, await token.getAddress(), 10n);
        if (i < 4) await deposit;
        else await expect(deposit).to.be.revertedWithCustomError(f.pledges, "PledgesTooManyTokens").withArgs(1n, 4);
      }
    });
  });

  describe("releasePledge", () => {
    it("releases a registered portfolio pledge and unlocks every patent", async () => {
      const f = await loadFixture(financingFixture);
      const items = [0, 1, 2].map((i) => ({ patentId: f.ids[i]!, pledgor: f.uniA.address }));
      const id = await pledgeOf(f, items);
      await expect(f.pledges.connect(f.bankA).releasePledge(id))
        .to.emit(f.pledges, "PledgeReleased")
        .withArgs(id, f.bankA.address);
      for (const { patentId } of items) {
        expect(await f.registry.isLocked(patentId, LockBits.PLEDGED)).to.equal(false);
        expect((await f.pledges.pledgedPatent(id, patentId)).status).to.equal(Entry.Released);
      }
      expect((await f.pledges.pledge(id)).status).to.equal(PledgeStatus.Released);
      // the patent may be pledged again
      await expect(f.pledges.connect(f.bankB).proposePledge({ ...f.terms, pledgee: f.bankB.address }, one(f))).to.emit(
        f.pledges,
        "PledgeProposed",
      );
    });

    it("reverts with PledgesNotPledgee for anyone but the pledgee and PledgesWrongStatus before registration", async () => {
      const f = await loadFixture(financingFixture);
      const id = await pledgeOf(f, one(f), { register: false });
      await expect(f.pledges.connect(f.uniA).releasePledge(id))
        .to.be.revertedWithCustomError(f.pledges, "PledgesNotPledgee")
        .withArgs(id, f.uniA.address, f.bankA.address);
      await expect(f.pledges.connect(f.bankA).releasePledge(id))
        .to.be.revertedWithCustomError(f.pledges, "PledgesWrongStatus")
        .withArgs(id, PledgeStatus.Agreed);
    });
  });

  describe("startDisposal and the disposal callbacks", () => {
    async function defaulted() {
      const f = await loadFixture(financingFixture);
      const items = [
        { patentId: f.ids[0]!, pledgor: f.uniA.address },
        { patentId: f.ids[3]!, pledgor: f.uniB.address },
      ];
      const id = await pledgeOf(f, items);
      const end = BigInt(await time.latest()) + 86_400n;
      return { f, id, items, end };
    }

    it("sells the patent to the winning bidder, pays the pledgee first and the surplus to the pledgor", async () => {
      const { f, id, end } = await defaulted();
      const tokenAddress = await f.token.getAddress();
      const patentId = f.ids[0]!;
      const tx = f.pledges.connect(f.bankA).startDisposal(id, [patentId], [4_000_000n], tokenAddress, end);
      await expect(tx).to.emit(f.pledges, "PledgeDefaulted").withArgs(id, f.bankA.address);
      await expect(tx)
        .to.emit(f.pledges, "DisposalStarted")
        .withArgs(id, patentId, 1n, await f.auction.getAddress(), tokenAddress, 4_000_000n, end);
      expect((await f.pledges.pledgedPatent(id, patentId)).status).to.equal(Entry.Disposing);
      // nobody else may move the patent while it is at auction
      await expect(f.registry.connect(f.uniA).proposeTransfer(patentId, f.companyB.address, ethers.ZeroHash))
        .to.be.revertedWithCustomError(f.pledges, "PledgesUnderDisposal")
        .withArgs(id, patentId);
      await f.token.connect(f.companyA).approve(await f.auction.getAddress(), 6_000_000n);
      await f.auction.connect(f.companyA).bid(1n, 6_000_000n);
      await f.auction.settle(1n);
      const transferId = await f.registry.pendingTransfer(patentId);
      const bankBefore = await f.token.balanceOf(f.bankA.address);
      const uniBefore = await f.token.balanceOf(f.uniA.address);
      const reg = f.registry.connect(f.registrar).registerTransfer(transferId, "ZR2026002", await today());
      await expect(reg).to.emit(f.pledges, "PatentLeftPledge").withArgs(id, patentId, f.companyA.address);
      await expect(reg)
        .to.emit(f.pledges, "DisposalSettled")
        .withArgs(id, patentId, f.companyA.address, 1n, 6_000_000n, 5_000_000n, 1_000_000n);
      await expect(reg).to.emit(f.pledges, "ProceedsPaid").withArgs(id, tokenAddress, f.bankA.address, 5_000_000n, true);
      await expect(reg).to.emit(f.pledges, "ProceedsPaid").withArgs(id, tokenAddress, f.uniA.address, 1_000_000n, false);
      expect(await f.registry.ownerOf(patentId)).to.equal(f.companyA.address);
      expect((await f.token.balanceOf(f.bankA.address)) - bankBefore).to.equal(5_000_000n);
      expect((await f.token.balanceOf(f.uniA.address)) - uniBefore).to.equal(1_000_000n);
      expect(await f.registry.isLocked(patentId, LockBits.PLEDGED)).to.equal(false);
      const p = await f.pledges.pledge(id);
      expect(p.recovered).to.equal(5_000_000n);
      expect(p.status).to.equal(PledgeStatus.Defaulted);
      expect((await f.pledges.pledgedPatent(id, patentId)).status).to.equal(Entry.Disposed);
    });

    it("records the pledge as enforced when the last patent is sold, the rest of the proceeds to its pledgor", async () => {
      const { f, id, end } = await defaulted();
      const tokenAddress = await f.token.getAddress();
      await f.pledges.connect(f.bankA).startDisposal(id, [f.ids[0]!, f.ids[3]!], [1n, 1n], tokenAddress, end);
      await f.token.connect(f.companyA).approve(await f.auction.getAddress(), 10_000_000n);
      await f.auction.connect(f.companyA).bid(1n, 3_000_000n);
      await f.auction.connect(f.companyA).bid(2n, 3_000_000n);
      await f.auction.settle(1n);
      await f.auction.settle(2n);
      await f.registry.connect(f.registrar).registerTransfer(await f.registry.pendingTransfer(f.ids[0]!), "R1", await today());
      const reg = f.registry
        .connect(f.registrar)
        .registerTransfer(await f.registry.pendingTransfer(f.ids[3]!), "R2", await today());
      await expect(reg)
        .to.emit(f.pledges, "DisposalSettled")
        .withArgs(id, f.ids[3]!, f.companyA.address, 2n, 3_000_000n, 2_000_000n, 1_000_000n);
      await expect(reg).to.emit(f.pledges, "PledgeEnforced").withArgs(id, 5_000_000n, 5_000_000n);
      expect((await f.pledges.pledge(id)).status).to.equal(PledgeStatus.Enforced);
    });

    it("applies escrowed proceeds to the debt on default", async () => {
      const { f, id, end } = await defaulted();
      const tokenAddress = await f.token.getAddress();
      await f.token.connect(f.module).approve(await f.pledges.getAddress(), 7_000_000n);
      await f.pledges.connect(f.module).depositProceeds(f.ids[3]!, tokenAddress, 7_000_000n);
      const tx = f.pledges.connect(f.bankA).startDisposal(id, [f.ids[0]!], [1n], tokenAddress, end);
      await expect(tx).to.emit(f.pledges, "ProceedsPaid").withArgs(id, tokenAddress, f.bankA.address, 5_000_000n, true);
      await expect(tx).to.emit(f.pledges, "ProceedsPaid").withArgs(id, tokenAddress, f.uniB.address, 2_000_000n, false);
      expect(await f.pledges.escrowed(id, tokenAddress, f.uniB.address)).to.equal(0n);
    });

    it("returns the patent to the pledge when the auction fails, after which the pledgee may release", async () => {
      const { f, id, end } = await defaulted();
      const tokenAddress = await f.token.getAddress();
      await f.pledges.connect(f.bankA).startDisposal(id, [f.ids[0]!], [1n], tokenAddress, end);
      await expect(f.pledges.connect(f.bankA).releasePledge(id))
        .to.be.revertedWithCustomError(f.pledges, "PledgesDisposalPending")
        .withArgs(id, f.ids[0]!);
      await expect(f.auction.settle(1n)).to.emit(f.pledges, "DisposalFailed").withArgs(id, f.ids[0]!, 1n);
      expect((await f.pledges.pledgedPatent(id, f.ids[0]!)).status).to.equal(Entry.Pledged);
      await expect(f.pledges.connect(f.bankA).releasePledge(id)).to.emit(f.pledges, "PledgeReleased");
      expect(await f.registry.isLocked(f.ids[0]!, LockBits.PLEDGED)).to.equal(false);
    });

    it("returns the patent to the pledge when CNIPA refuses the transfer to the winner", async () => {
      const { f, id, end } = await defaulted();
      const tokenAddress = await f.token.getAddress();
      await f.pledges.connect(f.bankA).startDisposal(id, [f.ids[0]!], [1n], tokenAddress, end);
      await f.token.connect(f.companyA).approve(await f.auction.getAddress(), 10n);
      await f.auction.connect(f.companyA).bid(1n, 10n);
      await f.auction.settle(1n);
      const transferId = await f.registry.pendingTransfer(f.ids[0]!);
      await expect(f.registry.connect(f.registrar).refuseTransfer(transferId, "documents incomplete"))
        .to.emit(f.pledges, "DisposalFailed")
        .withArgs(id, f.ids[0]!, 1n);
      expect(await f.registry.ownerOf(f.ids[0]!)).to.equal(f.uniA.address);
      expect(await f.pledges.activePledgeOf(f.ids[0]!)).to.equal(id);
    });

    it("reverts with PledgesWrongStatus before registration, PledgesLengthMismatch and PledgesPatentState", async () => {
      const f = await loadFixture(financingFixture);
      const tokenAddress = await f.token.getAddress();
      const id = await pledgeOf(f, one(f), { register: false });
      await expect(f.pledges.connect(f.bankA).startDisposal(id, [f.ids[0]!], [1n], tokenAddress, 0n))
        .to.be.revertedWithCustomError(f.pledges, "PledgesWrongStatus")
        .withArgs(id, PledgeStatus.Agreed);
      await f.pledges.connect(f.registrar).registerPledge(id, "Y1", await today());
      await expect(f.pledges.connect(f.bankA).startDisposal(id, [f.ids[0]!], [], tokenAddress, 0n))
        .to.be.revertedWithCustomError(f.pledges, "PledgesLengthMismatch")
        .withArgs(1, 0);
      await expect(f.pledges.connect(f.bankA).startDisposal(id, [f.ids[1]!], [1n], tokenAddress, 0n))
        .to.be.revertedWithCustomError(f.pledges, "PledgesPatentState")
        .withArgs(id, f.ids[1]!, Entry.None);
      await expect(f.pledges.connect(f.uniA).startDisposal(id, [f.ids[0]!], [1n], tokenAddress, 0n))
        .to.be.revertedWithCustomError(f.pledges, "PledgesNotPledgee")
        .withArgs(id, f.uniA.address, f.bankA.address);
    });

    it("reverts with PatentRegistryTransferPending when a consented transfer of the patent is pending", async () => {
      const f = await loadFixture(financingFixture);
      const id = await pledgeOf(f, one(f));
      await f.pledges.connect(f.bankA).consent(id, f.ids[0]!, Act.Transfer, f.companyA.address, Route.EarlyRepayment);
      await f.registry.connect(f.uniA).proposeTransfer(f.ids[0]!, f.companyA.address, ethers.ZeroHash);
      await expect(f.pledges.connect(f.bankA).startDisposal(id, [f.ids[0]!], [1n], await f.token.getAddress(), 0n))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryTransferPending")
        .withArgs(f.ids[0]!, 1n);
    });

    it("reverts with PledgesNoDisposalModule when no module holds LOCK_DISPOSAL", async () => {
      const f = await loadFixture(financingFixture);
      const id = await pledgeOf(f, one(f));
      await f.registry.connect(f.admin).setLockModule(LockBits.DISPOSAL, ethers.ZeroAddress);
      await expect(
        f.pledges.connect(f.bankA).startDisposal(id, [f.ids[0]!], [1n], await f.token.getAddress(), 0n),
      ).to.be.revertedWithCustomError(f.pledges, "PledgesNoDisposalModule");
    });

    it("reverts with PledgesNotDisposalModule when anyone but the disposal module calls back", async () => {
      const f = await loadFixture(financingFixture);
      const auction = await f.auction.getAddress();
      await expect(f.pledges.connect(f.stranger).onDisposalSettled(1n, f.ids[0]!, f.stranger.address, 1n))
        .to.be.revertedWithCustomError(f.pledges, "PledgesNotDisposalModule")
        .withArgs(f.stranger.address, auction);
      await expect(f.pledges.connect(f.stranger).onDisposalFailed(1n, f.ids[0]!))
        .to.be.revertedWithCustomError(f.pledges, "PledgesNotDisposalModule")
        .withArgs(f.stranger.address, auction);
    });
  });
});
