import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { Act, LegalStatus, LockBits, Roles } from "../../server/chain/roles";
import { FeeMethod, FeeTrigger, LicenceKind, LicenceStatus, SCOPE_ALL } from "../../server/chain/licensing";
import { dayOf } from "../../server/chain/cnipa";
import { MockEncumbranceGuard__factory, ReentrantToken__factory } from "../../typechain-types";
import {
  DAY,
  chainToday,
  licenceTerms,
  licensingFixture,
  nextLicenceId,
  openTerms,
  type GrantOptions,
  type LicensingFixture,
} from "./fixture";

function grantTx(f: LicensingFixture, licensee: string, o: GrantOptions = {}, patentId = f.patentId) {
  return f.licensing.connect(f.uniA).grant(patentId, licenceTerms(licensee, f.tokenAddress, f.today, o));
}

async function grant(f: LicensingFixture, licensee: string, o: GrantOptions = {}, patentId = f.patentId) {
  const id = await nextLicenceId(f);
  await f.licensing.connect(f.uniA).grant(patentId, licenceTerms(licensee, f.tokenAddress, f.today, o));
  return id;
}

/** A guard (mock pledge) holding the pledge bit on the patent. */
async function guarded(f: LicensingFixture, refuse: boolean, proceeds: string) {
  const guard = await new MockEncumbranceGuard__factory(f.admin).deploy(await f.registry.getAddress());
  const address = await guard.getAddress();
  await f.accessManager.connect(f.admin).grantRole(Roles.MODULE, address, 0);
  await f.registry.connect(f.admin).setLockModule(LockBits.PLEDGED, address);
  await guard.lock(f.patentId, LockBits.PLEDGED);
  await guard.configure(refuse, proceeds);
  return guard;
}

describe("Licensing", () => {
  describe("deployment", () => {
    it("knows the registry and the royalties contract", async () => {
      const f = await loadFixture(licensingFixture);
      expect(await f.licensing.registry()).to.equal(await f.registry.getAddress());
      expect(await f.licensing.royalties()).to.equal(await f.royalties.getAddress());
      expect(await f.licensing.licenceCount()).to.equal(0n);
    });
  });

  describe("setRoyalties", () => {
    it("reverts with LicensingRoyaltiesAlreadySet when set again", async () => {
      const f = await loadFixture(licensingFixture);
      await expect(f.licensing.connect(f.admin).setRoyalties(f.stranger.address))
        .to.be.revertedWithCustomError(f.licensing, "LicensingRoyaltiesAlreadySet")
        .withArgs(await f.royalties.getAddress());
    });

    it("reverts with AccessManagedUnauthorized for a caller without the admin role", async () => {
      const f = await loadFixture(licensingFixture);
      await expect(f.licensing.connect(f.stranger).setRoyalties(f.stranger.address))
        .to.be.revertedWithCustomError(f.licensing, "AccessManagedUnauthorized")
        .withArgs(f.stranger.address);
    });
  });

  describe("grant", () => {
    it("grants a licence and emits LicenceGranted with every term", async () => {
      const f = await loadFixture(licensingFixture);
      const terms = licenceTerms(f.companyA.address, f.tokenAddress, f.today, { kind: LicenceKind.Sole, sublicensable: true });
      await expect(f.licensing.connect(f.uniA).grant(f.patentId, terms))
        .to.emit(f.licensing, "LicenceGranted")
        .withArgs(
          1n,
          f.patentId,
          f.companyA.address,
          f.uniA.address,
          LicenceKind.Sole,
          true,
          [1n, 1n, f.today, f.today + 365],
          [FeeMethod.LumpSum, FeeTrigger.None, 0, 0, 100_000n],
          f.tokenAddress,
          terms.contractHash,
          ethers.ZeroAddress,
        );
      const l = await f.licensing.licence(1n);
      expect(l.status).to.equal(LicenceStatus.Active);
      expect(l.kind).to.equal(LicenceKind.Sole);
      expect(l.grantor).to.equal(f.uniA.address);
      expect(l.grantedDay).to.equal(f.today);
      expect(await f.licensing.activeLicences(f.patentId)).to.deep.equal([1n]);
    });

    it("reverts with LicensingNotOwner when the caller does not own the patent", async () => {
      const f = await loadFixture(licensingFixture);
      await expect(
        f.licensing.connect(f.companyB).grant(f.patentId, licenceTerms(f.companyA.address, f.tokenAddress, f.today)),
      )
        .to.be.revertedWithCustomError(f.licensing, "LicensingNotOwner")
        .withArgs(f.patentId, f.companyB.address, f.uniA.address);
    });

    it("reverts with LicensingKindNotGrantable for a sublicence", async () => {
      const f = await loadFixture(licensingFixture);
      await expect(grantTx(f, f.companyA.address, { kind: LicenceKind.Sublicence }))
        .to.be.revertedWithCustomError(f.licensing, "LicensingKindNotGrantable")
        .withArgs(LicenceKind.Sublicence);
    });

    it("reverts with LicensingInvalidLicensee for the zero address or the owner", async () => {
      const f = await loadFixture(licensingFixture);
      for (const who of [ethers.ZeroAddress, f.uniA.address]) {
        await expect(grantTx(f, who))
          .to.be.revertedWithCustomError(f.licensing, "LicensingInvalidLicensee")
          .withArgs(f.patentId, who);
      }
    });

    it("reverts with LicensingEmptyScope without a field or a territory", async () => {
      const f = await loadFixture(licensingFixture);
      await expect(grantTx(f, f.companyA.address, { fields: 0n }))
        .to.be.revertedWithCustomError(f.licensing, "LicensingEmptyScope")
        .withArgs(0n, 1n);
      await expect(grantTx(f, f.companyA.address, { territories: 0n }))
        .to.be.revertedWithCustomError(f.licensing, "LicensingEmptyScope")
        .withArgs(1n, 0n);
    });

    it("reverts with LicensingBadDates when the start is not before the end, it ended, or it passes the expiry", async () => {
      const f = await loadFixture(licensingFixture);
      const cases: [number, number][] = [
        [f.today + 10, f.today + 10],
        [f.today - 30, f.today],
        [f.today, f.expiry + 1],
      ];
      for (const [start, end] of cases) {
        await expect(grantTx(f, f.companyA.address, { start, end }))
          .to.be.revertedWithCustomError(f.licensing, "LicensingBadDates")
          .withArgs(start, end, f.today, f.expiry);
      }
      await expect(grantTx(f, f.companyA.address, { end: f.expiry })).to.emit(f.licensing, "LicenceGranted");
    });

    it("reverts with LicensingBadFeeTerms on inconsistent fee terms", async () => {
      const f = await loadFixture(licensingFixture);
      const cases: GrantOptions[] = [
        { method: FeeMethod.LumpSum, royaltyBps: 100 },
        { method: FeeMethod.RunningRoyalty, royaltyBps: 0 },
        { method: FeeMethod.RunningRoyalty, royaltyBps: 10_001 },
        { method: FeeMethod.RunningRoyalty, royaltyBps: 500, amount: 1n },
        { method: FeeMethod.UseFirstPayLater, amount: 1000n, trigger: FeeTrigger.None },
        { method: FeeMethod.UseFirstPayLater, amount: 1000n, trigger: FeeTrigger.Date, triggerDay: 0 },
        { method: FeeMethod.UseFirstPayLater, amount: 0n, trigger: FeeTrigger.ProductLaunched },
        { method: FeeMethod.UseFirstPayLater, amount: 5n, trigger: FeeTrigger.ProductLaunched, triggerDay: 9 },
      ];
      for (const o of cases) {
        const fee = licenceTerms(f.companyA.address, f.tokenAddress, f.today, o).fee;
        await expect(grantTx(f, f.companyA.address, o))
          .to.be.revertedWithCustomError(f.licensing, "LicensingBadFeeTerms")
          .withArgs(fee.method, fee.amount, fee.royaltyBps, fee.trigger, fee.triggerDay);
      }
    });

    it("reverts with LicensingNoToken when a fee has no settlement token", async () => {
      const f = await loadFixture(licensingFixture);
      await expect(grantTx(f, f.companyA.address, { token: ethers.ZeroAddress })).to.be.revertedWithCustomError(
        f.licensing,
        "LicensingNoToken",
      );
      await expect(
        grantTx(f, f.companyA.address, { token: ethers.ZeroAddress, method: FeeMethod.RunningRoyalty, royaltyBps: 100 }),
      ).to.be.revertedWithCustomError(f.licensing, "LicensingNoToken");
      await expect(grantTx(f, f.companyA.address, { token: ethers.ZeroAddress, amount: 0n })).to.emit(
        f.licensing,
        "LicenceGranted",
      );
    });

    it("reverts with LicensingConflict naming an overlapping licence when either is exclusive or sole", async () => {
      const f = await loadFixture(licensingFixture);
      const first = await grant(f, f.companyA.address, { fields: 3n, territories: 6n, start: f.today + 10, end: f.today + 100 });
      for (const kind of [LicenceKind.Exclusive, LicenceKind.Sole]) {
        await expect(grantTx(f, f.companyB.address, { kind, fields: 2n, territories: 4n, start: f.today + 99, end: f.today + 200 }))
          .to.be.revertedWithCustomError(f.licensing, "LicensingConflict")
          .withArgs(first, LicenceKind.NonExclusive, f.today + 10, f.today + 100, 3n, 6n);
      }
      const sole = await grant(f, f.companyB.address, { kind: LicenceKind.Sole, fields: 8n, end: f.today + 50 });
      await expect(grantTx(f, f.stranger.address, { fields: 12n, start: f.today + 49 }))
        .to.be.revertedWithCustomError(f.licensing, "LicensingConflict")
        .withArgs(sole, LicenceKind.Sole, f.today, f.today + 50, 8n, 1n);
    });

    it("grants exclusive licences that do not overlap in time, territory or field", async () => {
      const f = await loadFixture(licensingFixture);
      await grant(f, f.companyA.address, { kind: LicenceKind.Exclusive, fields: 1n, territories: 1n, end: f.today + 100 });
      await grant(f, f.companyB.address, { kind: LicenceKind.Exclusive, fields: 2n, territories: 1n });
      await grant(f, f.companyB.address, { kind: LicenceKind.Exclusive, fields: 1n, territories: 2n });
      await grant(f, f.stranger.address, { kind: LicenceKind.Exclusive, fields: 1n, territories: 1n, start: f.today + 100, end: f.today + 200 });
      await grant(f, f.stranger.address, { kind: LicenceKind.NonExclusive, fields: 4n, territories: 1n });
      expect(await f.licensing.activeLicences(f.patentId)).to.have.length(5);
    });

    it("reverts with LicensingOpenLicenceDeclared for an exclusive or sole licence while an open licence is declared", async () => {
      const f = await loadFixture(licensingFixture);
      await f.licensing.connect(f.uniA).declareOpenLicence(f.patentId, openTerms(f.tokenAddress));
      for (const kind of [LicenceKind.Exclusive, LicenceKind.Sole]) {
        await expect(grantTx(f, f.companyA.address, { kind }))
          .to.be.revertedWithCustomError(f.licensing, "LicensingOpenLicenceDeclared")
          .withArgs(f.patentId);
      }
      await expect(grantTx(f, f.companyA.address)).to.emit(f.licensing, "LicenceGranted");
    });

    it("reverts with LicensingTooManyActiveLicences at the cap, and ended licences stop counting", async () => {
      const f = await loadFixture(licensingFixture);
      const max = Number(await f.licensing.MAX_ACTIVE_LICENCES());
      for (let i = 0; i < max; i++) await grant(f, f.companyA.address, { end: f.today + 10 + i });
      await expect(grantTx(f, f.companyB.address))
        .to.be.revertedWithCustomError(f.licensing, "LicensingTooManyActiveLicences")
        .withArgs(f.patentId, max);
      await f.licensing.connect(f.companyA).terminate(5n, "breach of contract");
      await grant(f, f.companyB.address, { end: f.today + 500 });
      await time.increase(11 * DAY); // licences 1 and 2 (ending today+10, +11) are now past their end
      const today = await chainToday();
      const tx = f.licensing.connect(f.uniA).grant(f.patentId, licenceTerms(f.stranger.address, f.tokenAddress, today));
      await expect(tx).to.emit(f.licensing, "LicenceExpired").withArgs(1n, f.patentId, f.today + 10, today);
      await expect(tx).to.emit(f.licensing, "LicenceExpired").withArgs(2n, f.patentId, f.today + 11, today);
      expect(await f.licensing.activeLicences(f.patentId)).to.have.length(max - 1);
      expect((await f.licensing.licence(1n)).status).to.equal(LicenceStatus.Expired);
    });

    it("lets a terminated exclusive licence stop conflicting", async () => {
      const f = await loadFixture(licensingFixture);
      const ex = await grant(f, f.companyA.address, { kind: LicenceKind.Exclusive });
      await f.licensing.connect(f.uniA).terminate(ex, "mutual agreement");
      await expect(grantTx(f, f.companyB.address, { kind: LicenceKind.Exclusive })).to.emit(f.licensing, "LicenceGranted");
    });

    it("reverts with PatentRegistryPatentNotActionable when the patent is not valid", async () => {
      const f = await loadFixture(licensingFixture);
      await f.registry.connect(f.registrar).setLegalStatus(f.patentId, LegalStatus.Lapsed, "annual fee unpaid");
      await expect(grantTx(f, f.companyA.address))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryPatentNotActionable")
        .withArgs(f.patentId, Act.Licence, LegalStatus.Lapsed);
    });

    it("reverts with the guard's error when an encumbrance refuses the licence", async () => {
      const f = await loadFixture(licensingFixture);
      const guard = await guarded(f, true, ethers.ZeroAddress);
      await expect(grantTx(f, f.companyA.address))
        .to.be.revertedWithCustomError(guard, "MockGuardRefused")
        .withArgs(f.patentId, Act.Licence, f.companyA.address);
    });

    it("records the proceedsTo an encumbrance names", async () => {
      const f = await loadFixture(licensingFixture);
      const guard = await guarded(f, false, f.bankA.address);
      const terms = licenceTerms(f.companyA.address, f.tokenAddress, f.today);
      const tx = f.licensing.connect(f.uniA).grant(f.patentId, terms);
      await expect(tx)
        .to.emit(guard, "Asked")
        .withArgs(f.patentId, Act.Licence, f.companyA.address, await f.licensing.getAddress());
      await expect(tx).to.emit(f.licensing, "LicenceGranted");
      expect((await f.licensing.licence(1n)).proceedsTo).to.equal(f.bankA.address);
    });
  });

  describe("grantFor", () => {
    it("lets a module grant on the parties' behalf, with the owner as grantor", async () => {
      const f = await loadFixture(licensingFixture);
      const terms = licenceTerms(f.companyA.address, f.tokenAddress, f.today, { kind: LicenceKind.Exclusive });
      await expect(f.licensing.connect(f.broker).grantFor(f.patentId, terms))
        .to.emit(f.licensing, "LicenceGranted")
        .withArgs(
          1n,
          f.patentId,
          f.companyA.address,
          f.uniA.address,
          LicenceKind.Exclusive,
          false,
          [1n, 1n, f.today, f.today + 365],
          [FeeMethod.LumpSum, FeeTrigger.None, 0, 0, 100_000n],
          f.tokenAddress,
          terms.contractHash,
          ethers.ZeroAddress,
        );
      await expect(f.licensing.connect(f.broker).grantFor(f.patentId, licenceTerms(f.companyB.address, f.tokenAddress, f.today)))
        .to.be.revertedWithCustomError(f.licensing, "LicensingConflict")
        .withArgs(1n, LicenceKind.Exclusive, f.today, f.today + 365, 1n, 1n);
    });

    it("reverts with AccessManagedUnauthorized for a caller without the module role", async () => {
      const f = await loadFixture(licensingFixture);
      await expect(f.licensing.connect(f.uniA).grantFor(f.patentId, licenceTerms(f.companyA.address, f.tokenAddress, f.today)))
        .to.be.revertedWithCustomError(f.licensing, "AccessManagedUnauthorized")
        .withArgs(f.uniA.address);
    });
  });

  describe("grantSublicence", () => {
    async function withParent(f: LicensingFixture, o: GrantOptions = {}) {
      return grant(f, f.companyA.address, { kind: LicenceKind.Exclusive, sublicensable: true, fields: 3n, territories: 3n, ...o });
    }

    it("grants a sublicence within the parent's scope, not checked against its exclusive parent", async () => {
      const f = await loadFixture(licensingFixture);
      const parent = await withParent(f);
      const terms = licenceTerms(f.companyB.address, f.tokenAddress, f.today, { fields: 1n, territories: 2n, sublicensable: true });
      const tx = f.licensing.connect(f.companyA).grantSublicence(parent, terms);
      await expect(tx)
        .to.emit(f.licensing, "LicenceGranted")
        .withArgs(
          2n,
          f.patentId,
          f.companyB.address,
          f.companyA.address,
          LicenceKind.Sublicence,
          false,
          [1n, 2n, f.today, f.today + 365],
          [FeeMethod.LumpSum, FeeTrigger.None, 0, 0, 100_000n],
          f.tokenAddress,
          terms.contractHash,
          ethers.ZeroAddress,
        );
      await expect(tx).to.emit(f.licensing, "SublicenceGranted").withArgs(2n, parent, f.companyB.address);
      expect(await f.licensing.sublicences(parent)).to.deep.equal([2n]);
      expect(await f.licensing.activeLicences(f.patentId)).to.deep.equal([parent]);
      expect((await f.licensing.licence(2n)).parentId).to.equal(parent);
    });

    it("reverts with LicensingNotLicensee when the caller is not the parent's licensee", async () => {
      const f = await loadFixture(licensingFixture);
      const parent = await withParent(f);
      await expect(f.licensing.connect(f.uniA).grantSublicence(parent, licenceTerms(f.companyB.address, f.tokenAddress, f.today)))
        .to.be.revertedWithCustomError(f.licensing, "LicensingNotLicensee")
        .withArgs(parent, f.uniA.address, f.companyA.address);
    });

    it("reverts with LicensingNotSublicensable when the parent does not allow it, or is itself a sublicence", async () => {
      const f = await loadFixture(licensingFixture);
      const plain = await withParent(f, { sublicensable: false });
      await expect(f.licensing.connect(f.companyA).grantSublicence(plain, licenceTerms(f.companyB.address, f.tokenAddress, f.today)))
        .to.be.revertedWithCustomError(f.licensing, "LicensingNotSublicensable")
        .withArgs(plain);
      await f.licensing.connect(f.uniA).terminate(plain, "replaced");
      const parent = await withParent(f);
      const sub = await nextLicenceId(f);
      await f.licensing.connect(f.companyA).grantSublicence(parent, licenceTerms(f.companyB.address, f.tokenAddress, f.today));
      await expect(f.licensing.connect(f.companyB).grantSublicence(sub, licenceTerms(f.stranger.address, f.tokenAddress, f.today)))
        .to.be.revertedWithCustomError(f.licensing, "LicensingNotSublicensable")
        .withArgs(sub);
    });

    it("reverts with LicensingNotActive when the parent has ended", async () => {
      const f = await loadFixture(licensingFixture);
      const parent = await withParent(f);
      await f.licensing.connect(f.uniA).terminate(parent, "breach");
      await expect(f.licensing.connect(f.companyA).grantSublicence(parent, licenceTerms(f.companyB.address, f.tokenAddress, f.today)))
        .to.be.revertedWithCustomError(f.licensing, "LicensingNotActive")
        .withArgs(parent, LicenceStatus.Terminated);
    });

    it("reverts with LicensingOutsideParentScope beyond the parent's fields, territories or dates", async () => {
      const f = await loadFixture(licensingFixture);
      const parent = await withParent(f, { start: f.today, end: f.today + 100 });
      const outside: GrantOptions[] = [{ fields: 4n }, { territories: 5n }, { end: f.today + 101 }, { start: f.today - 1 }];
      for (const o of outside) {
        await expect(f.licensing.connect(f.companyA).grantSublicence(parent, licenceTerms(f.companyB.address, f.tokenAddress, f.today, { end: f.today + 100, ...o })))
          .to.be.revertedWithCustomError(f.licensing, "LicensingOutsideParentScope")
          .withArgs(parent, [3n, 3n, f.today, f.today + 100]);
      }
    });

    it("reverts with LicensingTooManySublicences past the cap per parent", async () => {
      const f = await loadFixture(licensingFixture);
      const parent = await withParent(f);
      const max = Number(await f.licensing.MAX_SUBLICENCES());
      for (let i = 0; i < max; i++) {
        await f.licensing.connect(f.companyA).grantSublicence(parent, licenceTerms(f.companyB.address, f.tokenAddress, f.today));
      }
      await expect(f.licensing.connect(f.companyA).grantSublicence(parent, licenceTerms(f.stranger.address, f.tokenAddress, f.today)))
        .to.be.revertedWithCustomError(f.licensing, "LicensingTooManySublicences")
        .withArgs(parent, max);
    });
  });

  describe("recordFiling", () => {
    it("records a filing in time", async () => {
      const f = await loadFixture(licensingFixture);
      const id = await grant(f, f.companyA.address);
      await expect(f.licensing.connect(f.registrar).recordFiling(id, "2026510000123", f.today))
        .to.emit(f.licensing, "LicenceFiled")
        .withArgs(id, f.patentId, "2026510000123", f.today, false);
      expect(await f.licensing.filingReference(id)).to.equal("2026510000123");
      const l = await f.licensing.licence(id);
      expect([l.filedDay, l.filedLate]).to.deep.equal([BigInt(f.today), false]);
    });

    it("records a late filing as late", async () => {
      const f = await loadFixture(licensingFixture);
      const id = await grant(f, f.companyA.address);
      const deadline = Number(await f.licensing.filingDeadline(f.today));
      await time.increase((deadline - f.today + 1) * DAY);
      await expect(f.licensing.connect(f.registrar).recordFiling(id, "R-1", deadline))
        .to.emit(f.licensing, "LicenceFiled")
        .withArgs(id, f.patentId, "R-1", deadline, false);
      const id2 = await grant(f, f.companyB.address, { fields: 2n, start: f.today });
      await expect(f.licensing.connect(f.registrar).recordFiling(id2, "R-2", deadline + 1))
        .to.emit(f.licensing, "LicenceFiled")
        .withArgs(id2, f.patentId, "R-2", deadline + 1, true);
    });

    it("reverts with LicensingAlreadyFiled, LicensingBadFilingDay and LicensingEmptyFilingReference", async () => {
      const f = await loadFixture(licensingFixture);
      const id = await grant(f, f.companyA.address);
      await expect(f.licensing.connect(f.registrar).recordFiling(id, "", f.today)).to.be.revertedWithCustomError(
        f.licensing,
        "LicensingEmptyFilingReference",
      );
      for (const day of [f.today - 1, f.today + 1]) {
        await expect(f.licensing.connect(f.registrar).recordFiling(id, "R", day))
          .to.be.revertedWithCustomError(f.licensing, "LicensingBadFilingDay")
          .withArgs(id, day, f.today, f.today);
      }
      await f.licensing.connect(f.registrar).recordFiling(id, "R", f.today);
      await expect(f.licensing.connect(f.registrar).recordFiling(id, "R", f.today))
        .to.be.revertedWithCustomError(f.licensing, "LicensingAlreadyFiled")
        .withArgs(id, f.today);
      await expect(f.licensing.connect(f.registrar).recordFiling(99n, "R", f.today))
        .to.be.revertedWithCustomError(f.licensing, "LicensingUnknownLicence")
        .withArgs(99n);
    });

    it("reverts with AccessManagedUnauthorized for a caller without the registrar role", async () => {
      const f = await loadFixture(licensingFixture);
      const id = await grant(f, f.companyA.address);
      await expect(f.licensing.connect(f.uniA).recordFiling(id, "R", f.today))
        .to.be.revertedWithCustomError(f.licensing, "AccessManagedUnauthorized")
        .withArgs(f.uniA.address);
    });
  });

  describe("filingDeadline", () => {
    it("is the same date three months later, rolling over past a month's end", async () => {
      const f = await loadFixture(licensingFixture);
      expect(await f.licensing.filingDeadline(dayOf("2026-01-15"))).to.equal(dayOf("2026-04-15"));
      expect(await f.licensing.filingDeadline(dayOf("2026-11-20"))).to.equal(dayOf("2027-02-20"));
      expect(await f.licensing.filingDeadline(dayOf("2026-11-30"))).to.equal(dayOf("2027-03-02"));
    });
  });

  describe("terminate", () => {
    it("lets the owner or the licensee end a licence, with its reason", async () => {
      const f = await loadFixture(licensingFixture);
      const a = await grant(f, f.companyA.address);
      const b = await grant(f, f.companyB.address);
      await expect(f.licensing.connect(f.uniA).terminate(a, "licensee in breach"))
        .to.emit(f.licensing, "LicenceTerminated")
        .withArgs(a, f.patentId, f.uniA.address, "licensee in breach", f.today);
      await expect(f.licensing.connect(f.companyB).terminate(b, "product discontinued"))
        .to.emit(f.licensing, "LicenceTerminated")
        .withArgs(b, f.patentId, f.companyB.address, "product discontinued", f.today);
      const l = await f.licensing.licence(a);
      expect([l.status, l.endedDay]).to.deep.equal([BigInt(LicenceStatus.Terminated), BigInt(f.today)]);
      expect(await f.licensing.activeLicences(f.patentId)).to.deep.equal([]);
    });

    it("revokes the sublicences of the licence", async () => {
      const f = await loadFixture(licensingFixture);
      const parent = await grant(f, f.companyA.address, { sublicensable: true });
      await f.licensing.connect(f.companyA).grantSublicence(parent, licenceTerms(f.companyB.address, f.tokenAddress, f.today));
      await f.licensing.connect(f.companyA).grantSublicence(parent, licenceTerms(f.stranger.address, f.tokenAddress, f.today));
      const tx = f.licensing.connect(f.uniA).terminate(parent, "breach");
      await expect(tx).to.emit(f.licensing, "SublicenceRevoked").withArgs(2n, parent, f.patentId, f.today);
      await expect(tx).to.emit(f.licensing, "SublicenceRevoked").withArgs(3n, parent, f.patentId, f.today);
      expect((await f.licensing.licence(3n)).status).to.equal(LicenceStatus.Revoked);
      expect(await f.licensing.sublicences(parent)).to.deep.equal([]);
    });

    it("lets the sublicensor end a sublicence, which leaves its parent's list", async () => {
      const f = await loadFixture(licensingFixture);
      const parent = await grant(f, f.companyA.address, { sublicensable: true });
      await f.licensing.connect(f.companyA).grantSublicence(parent, licenceTerms(f.companyB.address, f.tokenAddress, f.today));
      await f.licensing.connect(f.companyA).grantSublicence(parent, licenceTerms(f.stranger.address, f.tokenAddress, f.today));
      await expect(f.licensing.connect(f.uniA).terminate(2n, "x"))
        .to.be.revertedWithCustomError(f.licensing, "LicensingNotParty")
        .withArgs(2n, f.uniA.address);
      await expect(f.licensing.connect(f.companyA).terminate(2n, "unpaid"))
        .to.emit(f.licensing, "LicenceTerminated")
        .withArgs(2n, f.patentId, f.companyA.address, "unpaid", f.today);
      expect(await f.licensing.sublicences(parent)).to.deep.equal([3n]);
    });

    it("reverts with LicensingNotParty, LicensingEmptyReason and LicensingNotActive", async () => {
      const f = await loadFixture(licensingFixture);
      const id = await grant(f, f.companyA.address);
      await expect(f.licensing.connect(f.stranger).terminate(id, "x"))
        .to.be.revertedWithCustomError(f.licensing, "LicensingNotParty")
        .withArgs(id, f.stranger.address);
      await expect(f.licensing.connect(f.uniA).terminate(id, "")).to.be.revertedWithCustomError(
        f.licensing,
        "LicensingEmptyReason",
      );
      await f.licensing.connect(f.uniA).terminate(id, "done");
      await expect(f.licensing.connect(f.uniA).terminate(id, "again"))
        .to.be.revertedWithCustomError(f.licensing, "LicensingNotActive")
        .withArgs(id, LicenceStatus.Terminated);
    });
  });

  describe("expire", () => {
    it("reverts with LicensingNotEnded before the end day", async () => {
      const f = await loadFixture(licensingFixture);
      const id = await grant(f, f.companyA.address, { end: f.today + 3 });
      await expect(f.licensing.connect(f.stranger).expire(id))
        .to.be.revertedWithCustomError(f.licensing, "LicensingNotEnded")
        .withArgs(id, f.today + 3, f.today);
    });

    it("lets anyone close a licence past its end and revokes its sublicences", async () => {
      const f = await loadFixture(licensingFixture);
      const id = await grant(f, f.companyA.address, { end: f.today + 3, sublicensable: true });
      await f.licensing.connect(f.companyA).grantSublicence(id, licenceTerms(f.companyB.address, f.tokenAddress, f.today, { end: f.today + 2 }));
      await time.increase(3 * DAY);
      const today = await chainToday();
      const tx = f.licensing.connect(f.stranger).expire(id);
      await expect(tx).to.emit(f.licensing, "LicenceExpired").withArgs(id, f.patentId, f.today + 3, today);
      await expect(tx).to.emit(f.licensing, "SublicenceRevoked").withArgs(2n, id, f.patentId, today);
      await expect(f.licensing.connect(f.stranger).expire(id))
        .to.be.revertedWithCustomError(f.licensing, "LicensingNotActive")
        .withArgs(id, LicenceStatus.Expired);
    });

    it("reverts with LicensingUnknownLicence for an unknown id", async () => {
      const f = await loadFixture(licensingFixture);
      await expect(f.licensing.expire(7n)).to.be.revertedWithCustomError(f.licensing, "LicensingUnknownLicence").withArgs(7n);
    });
  });

  describe("declareOpenLicence", () => {
    it("declares public terms", async () => {
      const f = await loadFixture(licensingFixture);
      const terms = openTerms(f.tokenAddress);
      await expect(f.licensing.connect(f.uniA).declareOpenLicence(f.patentId, terms))
        .to.emit(f.licensing, "OpenLicenceDeclared")
        .withArgs(f.patentId, f.uniA.address, [FeeMethod.LumpSum, 0, 365, 50_000n, f.tokenAddress]);
      const [declared, stored] = await f.licensing.openLicenceTerms(f.patentId);
      expect(declared).to.equal(true);
      expect(stored.amount).to.equal(50_000n);
    });

    it("reverts with LicensingExclusiveLicenceActive while an exclusive or sole licence has not ended", async () => {
      const f = await loadFixture(licensingFixture);
      const id = await grant(f, f.companyA.address, { kind: LicenceKind.Sole, start: f.today + 30, end: f.today + 60 });
      await expect(f.licensing.connect(f.uniA).declareOpenLicence(f.patentId, openTerms(f.tokenAddress)))
        .to.be.revertedWithCustomError(f.licensing, "LicensingExclusiveLicenceActive")
        .withArgs(f.patentId, id, LicenceKind.Sole, f.today + 60);
      await time.increase(60 * DAY);
      await expect(f.licensing.connect(f.uniA).declareOpenLicence(f.patentId, openTerms(f.tokenAddress))).to.emit(
        f.licensing,
        "OpenLicenceDeclared",
      );
    });

    it("reverts with LicensingNotOwner, LicensingOpenLicenceDeclared, LicensingBadOpenTerms and LicensingNoToken", async () => {
      const f = await loadFixture(licensingFixture);
      await expect(f.licensing.connect(f.companyA).declareOpenLicence(f.patentId, openTerms(f.tokenAddress)))
        .to.be.revertedWithCustomError(f.licensing, "LicensingNotOwner")
        .withArgs(f.patentId, f.companyA.address, f.uniA.address);
      const bad = [
        openTerms(f.tokenAddress, { termDays: 0 }),
        openTerms(f.tokenAddress, { method: FeeMethod.UseFirstPayLater }),
        openTerms(f.tokenAddress, { method: FeeMethod.RunningRoyalty, amount: 0n, royaltyBps: 0 }),
        openTerms(f.tokenAddress, { method: FeeMethod.RunningRoyalty, amount: 0n, royaltyBps: 10_001 }),
        openTerms(f.tokenAddress, { method: FeeMethod.RunningRoyalty, amount: 5n, royaltyBps: 100 }),
        openTerms(f.tokenAddress, { royaltyBps: 100 }),
      ];
      for (const t of bad) {
        await expect(f.licensing.connect(f.uniA).declareOpenLicence(f.patentId, t))
          .to.be.revertedWithCustomError(f.licensing, "LicensingBadOpenTerms")
          .withArgs(t.method, t.amount, t.royaltyBps, t.termDays);
      }
      await expect(
        f.licensing.connect(f.uniA).declareOpenLicence(f.patentId, openTerms(ethers.ZeroAddress)),
      ).to.be.revertedWithCustomError(f.licensing, "LicensingNoToken");
      await f.licensing.connect(f.uniA).declareOpenLicence(f.patentId, openTerms(f.tokenAddress));
      await expect(f.licensing.connect(f.uniA).declareOpenLicence(f.patentId, openTerms(f.tokenAddress)))
        .to.be.revertedWithCustomError(f.licensing, "LicensingOpenLicenceDeclared")
        .withArgs(f.patentId);
    });

    it("asks the registry with Act.OpenLicence, so an encumbrance may refuse", async () => {
      const f = await loadFixture(licensingFixture);
      const guard = await guarded(f, true, ethers.ZeroAddress);
      await expect(f.licensing.connect(f.uniA).declareOpenLicence(f.patentId, openTerms(f.tokenAddress)))
        .to.be.revertedWithCustomError(guard, "MockGuardRefused")
        .withArgs(f.patentId, Act.OpenLicence, ethers.ZeroAddress);
    });
  });

  describe("withdrawOpenLicence", () => {
    it("withdraws the declaration and leaves licences taken intact", async () => {
      const f = await loadFixture(licensingFixture);
      await f.licensing.connect(f.uniA).declareOpenLicence(f.patentId, openTerms(f.tokenAddress));
      await f.licensing.connect(f.companyA).takeOpenLicence(f.patentId, 50_000n);
      await expect(f.licensing.connect(f.uniA).withdrawOpenLicence(f.patentId))
        .to.emit(f.licensing, "OpenLicenceWithdrawn")
        .withArgs(f.patentId, f.uniA.address);
      expect((await f.licensing.licence(1n)).status).to.equal(LicenceStatus.Active);
      expect((await f.licensing.openLicenceTerms(f.patentId))[0]).to.equal(false);
      await expect(f.licensing.connect(f.companyB).takeOpenLicence(f.patentId, 50_000n))
        .to.be.revertedWithCustomError(f.licensing, "LicensingOpenLicenceNotDeclared")
        .withArgs(f.patentId);
    });

    it("reverts with LicensingOpenLicenceNotDeclared and LicensingNotOwner", async () => {
      const f = await loadFixture(licensingFixture);
      await expect(f.licensing.connect(f.uniA).withdrawOpenLicence(f.patentId))
        .to.be.revertedWithCustomError(f.licensing, "LicensingOpenLicenceNotDeclared")
        .withArgs(f.patentId);
      await expect(f.licensing.connect(f.stranger).withdrawOpenLicence(f.patentId))
        .to.be.revertedWithCustomError(f.licensing, "LicensingNotOwner")
        .withArgs(f.patentId, f.stranger.address, f.uniA.address);
    });
  });

  describe("takeOpenLicence", () => {
    it("grants a non-exclusive licence over every field and territory and collects the fee, split", async () => {
      const f = await loadFixture(licensingFixture);
      await f.royalties.connect(f.uniA).declareShares(f.patentId, {
        unitBps: 5000,
        inventorsBps: 3000,
        ttoBps: 2000,
        inventors: f.uniB.address,
        tto: f.broker.address,
      });
      const terms = openTerms(f.tokenAddress, { amount: 50_001n });
      await f.licensing.connect(f.uniA).declareOpenLicence(f.patentId, terms);
      const tx = f.licensing.connect(f.companyA).takeOpenLicence(f.patentId, 50_001n);
      await expect(tx)
        .to.emit(f.licensing, "LicenceGranted")
        .withArgs(
          1n,
          f.patentId,
          f.companyA.address,
          f.uniA.address,
          LicenceKind.NonExclusive,
          false,
          [SCOPE_ALL, SCOPE_ALL, f.today, f.today + 365],
          [FeeMethod.LumpSum, FeeTrigger.None, 0, 0, 50_001n],
          f.tokenAddress,
          ethers.keccak256(
            ethers.AbiCoder.defaultAbiCoder().encode(
              ["uint256", "tuple(uint8,uint16,uint32,uint128,address)"],
              [f.patentId, [terms.method, terms.royaltyBps, terms.termDays, terms.amount, terms.token]],
            ),
          ),
          ethers.ZeroAddress,
        );
      await expect(tx).to.emit(f.licensing, "OpenLicenceTaken").withArgs(1n, f.patentId, f.companyA.address);
      await expect(tx)
        .to.emit(f.royalties, "RoyaltyPaid")
        .withArgs(1n, f.patentId, f.companyA.address, 1n, true, f.tokenAddress, 50_001n, [
          f.uniA.address,
          25_001n,
          f.uniB.address,
          15_000n,
          f.broker.address,
          10_000n,
        ]);
      await expect(tx).to.changeTokenBalances(
        f.token,
        [f.companyA, f.uniA, f.uniB, f.broker],
        [-50_001n, 25_001n, 15_000n, 10_000n],
      );
      expect((await f.licensing.licence(1n)).open).to.equal(true);
    });

    it("takes a running-royalty open licence without payment, capped at the patent's expiry", async () => {
      const f = await loadFixture(licensingFixture);
      const expiry = Number(await f.registry.expiryDay(f.oldPatentId));
      await f.licensing
        .connect(f.uniA)
        .declareOpenLicence(f.oldPatentId, openTerms(f.tokenAddress, { method: FeeMethod.RunningRoyalty, royaltyBps: 300, amount: 0n, termDays: 3650 }));
      const tx = f.licensing.connect(f.companyB).takeOpenLicence(f.oldPatentId, 0n);
      await expect(tx).to.emit(f.licensing, "OpenLicenceTaken").withArgs(1n, f.oldPatentId, f.companyB.address);
      await expect(tx).not.to.emit(f.royalties, "RoyaltyPaid");
      expect((await f.licensing.licence(1n)).scope.endDay).to.equal(expiry);
    });

    it("pays the fee wholly to the proceedsTo an encumbrance names", async () => {
      const f = await loadFixture(licensingFixture);
      await f.licensing.connect(f.uniA).declareOpenLicence(f.patentId, openTerms(f.tokenAddress));
      const guard = await guarded(f, false, f.bankA.address);
      const tx = f.licensing.connect(f.companyA).takeOpenLicence(f.patentId, 50_000n);
      await expect(tx)
        .to.emit(guard, "Asked")
        .withArgs(f.patentId, Act.OpenLicence, f.companyA.address, await f.licensing.getAddress());
      await expect(tx).to.changeTokenBalances(f.token, [f.companyA, f.bankA, f.uniA], [-50_000n, 50_000n, 0n]);
    });

    it("reverts with LicensingFeeAboveLimit, LicensingInvalidLicensee and LicensingOpenLicenceNotDeclared", async () => {
      const f = await loadFixture(licensingFixture);
      await expect(f.licensing.connect(f.companyA).takeOpenLicence(f.patentId, 50_000n))
        .to.be.revertedWithCustomError(f.licensing, "LicensingOpenLicenceNotDeclared")
        .withArgs(f.patentId);
      await f.licensing.connect(f.uniA).declareOpenLicence(f.patentId, openTerms(f.tokenAddress));
      await expect(f.licensing.connect(f.companyA).takeOpenLicence(f.patentId, 49_999n))
        .to.be.revertedWithCustomError(f.licensing, "LicensingFeeAboveLimit")
        .withArgs(f.patentId, 50_000n, 49_999n);
      await expect(f.licensing.connect(f.uniA).takeOpenLicence(f.patentId, 50_000n))
        .to.be.revertedWithCustomError(f.licensing, "LicensingInvalidLicensee")
        .withArgs(f.patentId, f.uniA.address);
    });

    it("reverts with ReentrancyGuardReentrantCall when the token calls back into takeOpenLicence", async () => {
      const f = await loadFixture(licensingFixture);
      const evil = await new ReentrantToken__factory(f.admin).deploy();
      const evilAddress = await evil.getAddress();
      await evil.mint(f.companyA.address, 1_000_000n);
      await evil.connect(f.companyA).approve(await f.royalties.getAddress(), ethers.MaxUint256);
      await f.licensing.connect(f.uniA).declareOpenLicence(f.patentId, openTerms(evilAddress));
      const call = f.licensing.interface.encodeFunctionData("takeOpenLicence", [f.patentId, 50_000n]);
      await evil.arm(await f.licensing.getAddress(), call);
      await expect(f.licensing.connect(f.companyA).takeOpenLicence(f.patentId, 50_000n)).to.be.revertedWithCustomError(
        f.licensing,
        "ReentrancyGuardReentrantCall",
      );
    });
  });
});
