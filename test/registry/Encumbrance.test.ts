import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, reset } from "@nomicfoundation/hardhat-network-helpers";
import { patentRecord } from "../helpers/fixtures";
import { Act, LegalStatus, LockBits, TransferStatus } from "../../server/chain/roles";
import { TODAY, moduleFixture } from "./registryFixture";

const CONTRACT_HASH = ethers.id("settlement contract");
const { LISTED, PLEDGED } = LockBits;
const ALL_ACTS = [Act.Transfer, Act.Licence, Act.OpenLicence, Act.Pledge, Act.List, Act.Contribute];

/** Two lock modules (A holds LISTED, B holds PLEDGED) and one patent held by uniA. */
async function lockFixture() {
  const f = await moduleFixture();
  const record = patentRecord(f.uniA.address, 1);
  await f.registry.connect(f.registrar).register(record);
  return { ...f, id: BigInt(record.number) };
}

/** The patent listed by module A (LISTED set), A's guard configured to refuse. */
async function lockedFixture() {
  const f = await lockFixture();
  await f.moduleA.lockPatent(f.id, LISTED, Act.List, f.chengdu.address);
  await f.moduleA.setPolicy(false, ethers.ZeroAddress);
  return f;
}

describe("PatentRegistry encumbrance", () => {
  // These tests travel years ahead: leave a fresh chain on the wall clock for the test files that follow.
  after(async () => reset());

  describe("setLockModule", () => {
    it("names the module of a bit", async () => {
      const f = await loadFixture(lockFixture);
      await expect(f.registry.connect(f.admin).setLockModule(15, f.moduleA))
        .to.emit(f.registry, "LockModuleSet")
        .withArgs(15, await f.moduleA.getAddress());
      expect(await f.registry.lockModule(15)).to.equal(await f.moduleA.getAddress());
      expect(await f.registry.lockModule(LISTED)).to.equal(await f.moduleA.getAddress());
      expect(await f.registry.lockModule(PLEDGED)).to.equal(await f.moduleB.getAddress());
    });

    it("reverts with PatentRegistryLockBitInUse while a patent carries the bit, and allows it once unlocked", async () => {
      const f = await loadFixture(lockedFixture);
      expect(await f.registry.lockCount(LISTED)).to.equal(1);
      await expect(f.registry.connect(f.admin).setLockModule(LISTED, f.moduleB))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryLockBitInUse")
        .withArgs(LISTED, 1);
      await f.moduleA.unlockPatent(f.id, LISTED);
      expect(await f.registry.lockCount(LISTED)).to.equal(0);
      await expect(f.registry.connect(f.admin).setLockModule(LISTED, f.moduleB))
        .to.emit(f.registry, "LockModuleSet")
        .withArgs(LISTED, await f.moduleB.getAddress());
    });

    it("counts the patents that carry each bit", async () => {
      const f = await loadFixture(lockFixture);
      expect(await f.registry.lockCount(LISTED)).to.equal(0);
      await f.moduleA.lockPatent(f.id, LISTED, Act.List, f.chengdu.address);
      expect(await f.registry.lockCount(LISTED)).to.equal(1);
      expect(await f.registry.lockCount(PLEDGED)).to.equal(0);
      await expect(f.registry.lockCount(16)).to.be.revertedWithCustomError(f.registry, "PatentRegistryLockBitOutOfRange").withArgs(16);
    });

    for (const bit of [0, 16, 255]) {
      it(`reverts with PatentRegistryLockBitOutOfRange for bit ${bit}`, async () => {
        const f = await loadFixture(lockFixture);
        await expect(f.registry.connect(f.admin).setLockModule(bit, f.moduleA))
          .to.be.revertedWithCustomError(f.registry, "PatentRegistryLockBitOutOfRange")
          .withArgs(bit);
      });
    }
  });

  describe("lock", () => {
    it("sets the module's bit after authorising the act", async () => {
      const f = await loadFixture(lockFixture);
      const tx = f.moduleA.lockPatent(f.id, LISTED, Act.List, f.chengdu.address);
      await expect(tx).to.emit(f.registry, "PatentLocked").withArgs(f.id, LISTED, await f.moduleA.getAddress());
      await expect(tx).to.emit(f.moduleA, "ActAuthorised").withArgs(f.id, Act.List, ethers.ZeroAddress);
      expect(await f.registry.isLocked(f.id, LISTED)).to.equal(true);
      expect((await f.registry.patent(f.id)).locks).to.equal(BigInt(1 << LISTED));
    });

    it("returns the proceeds route and the patent's owner to the locking module", async () => {
      const f = await loadFixture(lockFixture);
      await f.moduleB.lockPatent(f.id, PLEDGED, Act.Pledge, f.bankA.address);
      await f.moduleB.setPolicy(true, f.bankA.address);
      await expect(f.moduleA.lockPatent(f.id, LISTED, Act.List, f.chengdu.address))
        .to.emit(f.moduleA, "LockAnswered")
        .withArgs(f.id, f.bankA.address, f.uniA.address);
    });

    describe("when a guard calls back into the registry", () => {
      /** f.id pledged by B; a second patent listed by A. */
      async function callbackFixture() {
        const f = await lockFixture();
        const other = patentRecord(f.uniA.address, 2);
        await f.registry.connect(f.registrar).register(other);
        const otherId = BigInt(other.number);
        await f.moduleA.lockPatent(otherId, LISTED, Act.List, f.chengdu.address);
        await f.moduleB.lockPatent(f.id, PLEDGED, Act.Pledge, f.bankA.address);
        return { ...f, otherId };
      }

      it("counts the caller's bit as it stands after the guards", async () => {
        const f = await loadFixture(callbackFixture);
        expect(await f.registry.lockCount(LISTED)).to.equal(1n);
        // Asked about the listing of f.id, B's guard first has A unlock the other patent.
        await f.moduleB.unlockOnAuthorise(f.moduleA, f.otherId, LISTED);
        const tx = f.moduleA.lockPatent(f.id, LISTED, Act.List, f.chengdu.address);
        await expect(tx).to.emit(f.registry, "PatentUnlocked").withArgs(f.otherId, LISTED, await f.moduleA.getAddress());
        await expect(tx).to.emit(f.registry, "PatentLocked").withArgs(f.id, LISTED, await f.moduleA.getAddress());
        expect(await f.registry.lockCount(LISTED)).to.equal(1n); // f.id only
        expect((await f.registry.patent(f.otherId)).locks).to.equal(0n);
      });

      it("sets the bit on the patent's mask as it stands after the guards", async () => {
        const f = await loadFixture(callbackFixture);
        // Asked about the listing of f.id, B's guard first lifts its own pledge lock on f.id.
        await f.moduleB.unlockOnAuthorise(f.moduleB, f.id, PLEDGED);
        const tx = f.moduleA.lockPatent(f.id, LISTED, Act.List, f.chengdu.address);
        await expect(tx).to.emit(f.registry, "PatentUnlocked").withArgs(f.id, PLEDGED, await f.moduleB.getAddress());
        expect((await f.registry.patent(f.id)).locks).to.equal(BigInt(1 << LISTED));
        expect(await f.registry.lockCount(PLEDGED)).to.equal(0n);
        expect(await f.registry.lockCount(LISTED)).to.equal(2n);
      });
    });

    it("reverts with PatentRegistryAlreadyLocked when the bit is set", async () => {
      const f = await loadFixture(lockedFixture);
      await expect(f.moduleA.lockPatent(f.id, LISTED, Act.List, f.chengdu.address))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryAlreadyLocked")
        .withArgs(f.id, LISTED);
    });

    it("reverts with PatentRegistryNotLockModule when a module uses another module's bit", async () => {
      const f = await loadFixture(lockFixture);
      await expect(f.moduleB.lockPatent(f.id, LISTED, Act.List, f.chengdu.address))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryNotLockModule")
        .withArgs(LISTED, await f.moduleB.getAddress(), await f.moduleA.getAddress());
    });

    it("reverts with PatentRegistryNotLockModule for an unassigned bit", async () => {
      const f = await loadFixture(lockFixture);
      await expect(f.moduleA.lockPatent(f.id, 9, Act.List, f.chengdu.address))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryNotLockModule")
        .withArgs(9, await f.moduleA.getAddress(), ethers.ZeroAddress);
    });

    it("reverts with PatentRegistryNotLockModule for the registry's own transfer-pending bit", async () => {
      const f = await loadFixture(lockFixture);
      await expect(f.moduleA.lockPatent(f.id, LockBits.TRANSFER_PENDING, Act.List, f.chengdu.address))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryNotLockModule")
        .withArgs(LockBits.TRANSFER_PENDING, await f.moduleA.getAddress(), await f.registry.getAddress());
    });

    it("reverts with PatentRegistryLockBitOutOfRange for bit 16", async () => {
      const f = await loadFixture(lockFixture);
      await expect(f.moduleA.lockPatent(f.id, 16, Act.List, f.chengdu.address))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryLockBitOutOfRange")
        .withArgs(16);
    });

    it("reverts with PatentRegistryUnknownPatent for an unregistered number", async () => {
      const f = await loadFixture(lockFixture);
      await expect(f.moduleA.lockPatent(77n, LISTED, Act.List, f.chengdu.address))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryUnknownPatent")
        .withArgs(77n);
    });

    for (const status of [LegalStatus.Lapsed, LegalStatus.Invalidated, LegalStatus.UnderInvalidation, LegalStatus.Frozen]) {
      it(`reverts with PatentRegistryPatentNotActionable on a patent in status ${LegalStatus[status]}`, async () => {
        const f = await loadFixture(lockFixture);
        await f.registry.connect(f.registrar).setLegalStatus(f.id, status, "gazette");
        await expect(f.moduleB.lockPatent(f.id, PLEDGED, Act.Pledge, f.bankA.address))
          .to.be.revertedWithCustomError(f.registry, "PatentRegistryPatentNotActionable")
          .withArgs(f.id, Act.Pledge, status);
      });
    }

    it("reverts with AccessManagedUnauthorized for a contract without the module role", async () => {
      const f = await loadFixture(lockFixture);
      await f.registry.connect(f.admin).setLockModule(5, f.unprivileged);
      await expect(f.unprivileged.lockPatent(f.id, 5, Act.List, f.chengdu.address))
        .to.be.revertedWithCustomError(f.registry, "AccessManagedUnauthorized")
        .withArgs(await f.unprivileged.getAddress());
    });
  });

  describe("unlock", () => {
    it("clears the module's bit", async () => {
      const f = await loadFixture(lockedFixture);
      await expect(f.moduleA.unlockPatent(f.id, LISTED))
        .to.emit(f.registry, "PatentUnlocked")
        .withArgs(f.id, LISTED, await f.moduleA.getAddress());
      expect(await f.registry.isLocked(f.id, LISTED)).to.equal(false);
    });

    it("reverts with PatentRegistryNotLocked when the bit is clear", async () => {
      const f = await loadFixture(lockFixture);
      await expect(f.moduleA.unlockPatent(f.id, LISTED))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryNotLocked")
        .withArgs(f.id, LISTED);
    });

    it("reverts with PatentRegistryNotLockModule when another module clears the bit", async () => {
      const f = await loadFixture(lockedFixture);
      await expect(f.moduleB.unlockPatent(f.id, LISTED))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryNotLockModule")
        .withArgs(LISTED, await f.moduleB.getAddress(), await f.moduleA.getAddress());
    });

    it("reverts with PatentRegistryNotLockModule for the transfer-pending bit", async () => {
      const f = await loadFixture(lockFixture);
      await f.registry.connect(f.uniA).proposeTransfer(f.id, f.companyA.address, CONTRACT_HASH);
      await expect(f.moduleA.unlockPatent(f.id, LockBits.TRANSFER_PENDING))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryNotLockModule")
        .withArgs(LockBits.TRANSFER_PENDING, await f.moduleA.getAddress(), await f.registry.getAddress());
    });

    it("reverts with PatentRegistryLockBitOutOfRange for bit 16", async () => {
      const f = await loadFixture(lockFixture);
      await expect(f.moduleA.unlockPatent(f.id, 16)).to.be.revertedWithCustomError(f.registry, "PatentRegistryLockBitOutOfRange").withArgs(16);
    });

    it("reverts with PatentRegistryUnknownPatent for an unregistered number", async () => {
      const f = await loadFixture(lockFixture);
      await expect(f.moduleA.unlockPatent(77n, LISTED)).to.be.revertedWithCustomError(f.registry, "PatentRegistryUnknownPatent").withArgs(77n);
    });
  });

  describe("a locked patent", () => {
    it("cannot be proposed for transfer by its owner: the guard's error surfaces", async () => {
      const f = await loadFixture(lockedFixture);
      await expect(f.registry.connect(f.uniA).proposeTransfer(f.id, f.companyA.address, CONTRACT_HASH))
        .to.be.revertedWithCustomError(f.moduleA, "TestLockModuleRefused")
        .withArgs(f.id, Act.Transfer, f.companyA.address, f.uniA.address);
    });

    for (const act of ALL_ACTS) {
      it(`cannot be acted on (${Act[act]}) by another module: the guard's error surfaces`, async () => {
        const f = await loadFixture(lockedFixture);
        await expect(f.moduleB.act(f.id, act, f.bankA.address))
          .to.be.revertedWithCustomError(f.moduleA, "TestLockModuleRefused")
          .withArgs(f.id, act, f.bankA.address, await f.moduleB.getAddress());
      });
    }

    it("cannot be locked by another module when the guard refuses", async () => {
      const f = await loadFixture(lockedFixture);
      await expect(f.moduleB.lockPatent(f.id, PLEDGED, Act.Pledge, f.bankA.address))
        .to.be.revertedWithCustomError(f.moduleA, "TestLockModuleRefused")
        .withArgs(f.id, Act.Pledge, f.bankA.address, await f.moduleB.getAddress());
      expect(await f.registry.isLocked(f.id, PLEDGED)).to.equal(false);
    });

    it("cannot be agreed for transfer by another module when the guard refuses", async () => {
      const f = await loadFixture(lockedFixture);
      await expect(f.moduleB.agree(f.id, f.companyA.address, CONTRACT_HASH))
        .to.be.revertedWithCustomError(f.moduleA, "TestLockModuleRefused")
        .withArgs(f.id, Act.Transfer, f.companyA.address, await f.moduleB.getAddress());
    });

    it("lets its own module act past its own bit without asking itself", async () => {
      const f = await loadFixture(lockedFixture);
      const tx = f.moduleA.act(f.id, Act.Licence, f.companyB.address);
      await expect(tx).to.emit(f.moduleA, "ActAuthorised").withArgs(f.id, Act.Licence, ethers.ZeroAddress);
      await expect(tx).to.not.emit(f.moduleA, "AuthoriseAsked");
    });

    it("asks a permitting guard and lets the act proceed", async () => {
      const f = await loadFixture(lockedFixture);
      await f.moduleA.setPolicy(true, ethers.ZeroAddress);
      const tx = f.moduleB.act(f.id, Act.Pledge, f.bankA.address);
      await expect(tx).to.emit(f.moduleA, "AuthoriseAsked").withArgs(f.id, Act.Pledge, f.bankA.address, await f.moduleB.getAddress());
      await expect(tx).to.emit(f.moduleB, "ActAuthorised").withArgs(f.id, Act.Pledge, ethers.ZeroAddress);
    });

    it("returns the guard's proceedsTo to the acting module", async () => {
      const f = await loadFixture(lockedFixture);
      await f.moduleA.setPolicy(true, f.bankA.address);
      expect(await f.moduleB.act.staticCall(f.id, Act.Licence, f.companyB.address)).to.equal(f.bankA.address);
      await expect(f.moduleB.lockPatent(f.id, PLEDGED, Act.Pledge, f.bankB.address))
        .to.emit(f.moduleB, "ActAuthorised")
        .withArgs(f.id, Act.Pledge, f.bankA.address);
    });

    it("lets the owner propose a transfer when the guard permits", async () => {
      const f = await loadFixture(lockedFixture);
      await f.moduleA.setPolicy(true, ethers.ZeroAddress);
      const tx = f.registry.connect(f.uniA).proposeTransfer(f.id, f.companyA.address, CONTRACT_HASH);
      await expect(tx).to.emit(f.moduleA, "AuthoriseAsked").withArgs(f.id, Act.Transfer, f.companyA.address, f.uniA.address);
      await expect(tx).to.emit(f.registry, "TransferProposed");
    });

    it("is free again once its module unlocks it", async () => {
      const f = await loadFixture(lockedFixture);
      await f.moduleA.unlockPatent(f.id, LISTED);
      await expect(f.registry.connect(f.uniA).proposeTransfer(f.id, f.companyA.address, CONTRACT_HASH)).to.emit(f.registry, "TransferProposed");
    });
  });

  describe("a pending transfer (TRANSFER_PENDING)", () => {
    for (const act of ALL_ACTS) {
      it(`blocks ${Act[act]} by any module with PatentRegistryTransferPending`, async () => {
        const f = await loadFixture(lockFixture);
        await f.registry.connect(f.uniA).proposeTransfer(f.id, f.companyA.address, CONTRACT_HASH);
        await expect(f.moduleB.act(f.id, act, f.bankA.address))
          .to.be.revertedWithCustomError(f.registry, "PatentRegistryTransferPending")
          .withArgs(f.id, 1);
      });
    }

    it("blocks a lock, even by the module that agreed the transfer", async () => {
      const f = await loadFixture(lockFixture);
      await f.moduleA.agree(f.id, f.companyA.address, CONTRACT_HASH);
      await expect(f.moduleA.lockPatent(f.id, LISTED, Act.List, f.chengdu.address))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryTransferPending")
        .withArgs(f.id, 1);
      await expect(f.moduleA.act(f.id, Act.Licence, f.companyB.address))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryTransferPending")
        .withArgs(f.id, 1);
    });

    it("blocks a second transfer agreement", async () => {
      const f = await loadFixture(lockFixture);
      await f.moduleA.agree(f.id, f.companyA.address, CONTRACT_HASH);
      await expect(f.moduleB.agree(f.id, f.companyB.address, CONTRACT_HASH))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryTransferPending")
        .withArgs(f.id, 1);
    });
  });

  describe("agreeTransfer", () => {
    it("records a transfer agreed by a module, locked until registration", async () => {
      const f = await loadFixture(lockFixture);
      const module = await f.moduleA.getAddress();
      const tx = f.moduleA.agree(f.id, f.companyA.address, CONTRACT_HASH);
      await expect(tx).to.emit(f.registry, "TransferProposed").withArgs(1, f.id, f.uniA.address, f.companyA.address, CONTRACT_HASH);
      await expect(tx).to.emit(f.registry, "TransferAgreed").withArgs(1, f.id, f.companyA.address, module, TODAY);
      await expect(tx).to.emit(f.registry, "PatentLocked").withArgs(f.id, LockBits.TRANSFER_PENDING, await f.registry.getAddress());
      await expect(tx).to.emit(f.moduleA, "TransferAgreedBy").withArgs(1, f.id, f.companyA.address);
      const t = await f.registry.transferRecord(1);
      expect([t.status, t.agreedDay, t.from, t.to, t.initiator]).to.deep.equal([
        BigInt(TransferStatus.Agreed),
        BigInt(TODAY),
        f.uniA.address,
        f.companyA.address,
        module,
      ]);
    });

    it("reverts with PatentRegistryTransferState when a party tries to cancel a module's transfer", async () => {
      const f = await loadFixture(lockFixture);
      await f.moduleA.agree(f.id, f.companyA.address, CONTRACT_HASH);
      for (const party of [f.uniA, f.companyA]) {
        await expect(f.registry.connect(party).cancelTransfer(1))
          .to.be.revertedWithCustomError(f.registry, "PatentRegistryTransferState")
          .withArgs(1, TransferStatus.Agreed);
      }
    });

    it("reverts with PatentRegistryInvalidCounterparty for the zero address or the owner", async () => {
      const f = await loadFixture(lockFixture);
      for (const to of [ethers.ZeroAddress, f.uniA.address]) {
        await expect(f.moduleA.agree(f.id, to, CONTRACT_HASH))
          .to.be.revertedWithCustomError(f.registry, "PatentRegistryInvalidCounterparty")
          .withArgs(f.id, to);
      }
    });

    it("reverts with ERC721NonexistentToken for an unregistered number", async () => {
      const f = await loadFixture(lockFixture);
      await expect(f.moduleA.agree(77n, f.companyA.address, CONTRACT_HASH))
        .to.be.revertedWithCustomError(f.registry, "ERC721NonexistentToken")
        .withArgs(77n);
    });

    it("reverts with PatentRegistryPatentNotActionable for a frozen patent", async () => {
      const f = await loadFixture(lockFixture);
      await f.registry.connect(f.registrar).setLegalStatus(f.id, LegalStatus.Frozen, "court order (2030) 川01执保12号");
      await expect(f.moduleA.agree(f.id, f.companyA.address, CONTRACT_HASH))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryPatentNotActionable")
        .withArgs(f.id, Act.Transfer, LegalStatus.Frozen);
    });

    it("reverts with AccessManagedUnauthorized for a contract without the module role", async () => {
      const f = await loadFixture(lockFixture);
      await expect(f.unprivileged.agree(f.id, f.companyA.address, CONTRACT_HASH))
        .to.be.revertedWithCustomError(f.registry, "AccessManagedUnauthorized")
        .withArgs(await f.unprivileged.getAddress());
    });
  });

  describe("authoriseAct", () => {
    it("reverts with PatentRegistryPatentNotActionable for a patent under invalidation, except a transfer", async () => {
      const f = await loadFixture(lockFixture);
      await f.registry.connect(f.registrar).setLegalStatus(f.id, LegalStatus.UnderInvalidation, "request");
      await expect(f.moduleB.act(f.id, Act.Pledge, f.bankA.address))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryPatentNotActionable")
        .withArgs(f.id, Act.Pledge, LegalStatus.UnderInvalidation);
      await expect(f.moduleB.act(f.id, Act.Transfer, f.companyA.address)).to.emit(f.moduleB, "ActAuthorised");
    });

    it("reverts with PatentRegistryUnknownPatent for an unregistered number", async () => {
      const f = await loadFixture(lockFixture);
      await expect(f.moduleB.act(77n, Act.Pledge, f.bankA.address))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryUnknownPatent")
        .withArgs(77n);
    });

    it("reverts with AccessManagedUnauthorized for a contract without the module role", async () => {
      const f = await loadFixture(lockFixture);
      await expect(f.unprivileged.act(f.id, Act.Licence, f.companyA.address))
        .to.be.revertedWithCustomError(f.registry, "AccessManagedUnauthorized")
        .withArgs(await f.unprivileged.getAddress());
    });
  });

  describe("registration of a transfer of an encumbered patent", () => {
    /** A holds LISTED and permits; B agrees a transfer to companyA. */
    async function agreedByModuleFixture() {
      const f = await lockFixture();
      await f.moduleA.lockPatent(f.id, LISTED, Act.List, f.chengdu.address);
      await f.moduleB.agree(f.id, f.companyA.address, CONTRACT_HASH);
      return f;
    }

    it("tells the guards of remaining locks and the module that agreed it", async () => {
      const f = await loadFixture(agreedByModuleFixture);
      const tx = f.registry.connect(f.registrar).registerTransfer(1, "CNIPA-ZR-1", TODAY);
      await expect(tx).to.emit(f.moduleA, "PatentTransferredSeen").withArgs(f.id, f.uniA.address, f.companyA.address);
      await expect(tx).to.emit(f.moduleB, "TransferRegisteredSeen").withArgs(1, f.id);
      await expect(tx).to.not.emit(f.moduleB, "PatentTransferredSeen");
      await expect(tx).to.not.emit(f.moduleA, "TransferRegisteredSeen");
      expect(await f.registry.ownerOf(f.id)).to.equal(f.companyA.address);
      expect(await f.registry.isLocked(f.id, LISTED)).to.equal(true);
      expect(await f.registry.isLocked(f.id, LockBits.TRANSFER_PENDING)).to.equal(false);
      expect([await f.moduleA.transferredSeen(), await f.moduleB.registeredSeen()]).to.deep.equal([1n, 1n]);
    });

    it("tells the module that holds a lock and agreed the transfer both things", async () => {
      const f = await loadFixture(lockFixture);
      await f.moduleA.lockPatent(f.id, LISTED, Act.List, f.chengdu.address);
      await f.moduleA.agree(f.id, f.companyB.address, CONTRACT_HASH);
      const tx = f.registry.connect(f.registrar).registerTransfer(1, "CNIPA-ZR-2", TODAY);
      await expect(tx).to.emit(f.moduleA, "PatentTransferredSeen").withArgs(f.id, f.uniA.address, f.companyB.address);
      await expect(tx).to.emit(f.moduleA, "TransferRegisteredSeen").withArgs(1, f.id);
    });

    it("tells nobody when no module is involved", async () => {
      const f = await loadFixture(lockFixture);
      await f.registry.connect(f.uniA).proposeTransfer(f.id, f.companyA.address, CONTRACT_HASH);
      await f.registry.connect(f.companyA).acceptTransfer(1);
      const tx = f.registry.connect(f.registrar).registerTransfer(1, "CNIPA-ZR-3", TODAY);
      await expect(tx).to.not.emit(f.moduleA, "PatentTransferredSeen");
      await expect(tx).to.not.emit(f.moduleB, "TransferRegisteredSeen");
    });

    it("tells the observer of a refusal; the owner and the other lock are unchanged", async () => {
      const f = await loadFixture(agreedByModuleFixture);
      const tx = f.registry.connect(f.registrar).refuseTransfer(1, "pledge not released at CNIPA");
      await expect(tx).to.emit(f.moduleB, "TransferRefusedSeen").withArgs(1, f.id);
      await expect(tx).to.not.emit(f.moduleA, "PatentTransferredSeen");
      expect(await f.registry.ownerOf(f.id)).to.equal(f.uniA.address);
      expect(await f.registry.isLocked(f.id, LISTED)).to.equal(true);
      expect(await f.moduleB.refusedSeen()).to.equal(1n);
    });

    it("reverts with TestLockModuleNotRegistry when anyone but the registry calls a guard", async () => {
      const f = await loadFixture(lockFixture);
      await expect(f.moduleA.connect(f.stranger).onPatentTransferred(f.id, f.uniA.address, f.stranger.address))
        .to.be.revertedWithCustomError(f.moduleA, "TestLockModuleNotRegistry")
        .withArgs(f.stranger.address);
    });
  });
});
