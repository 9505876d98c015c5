import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, reset, time } from "@nomicfoundation/hardhat-network-helpers";
import { FunctionFragment, type Interface } from "ethers";
import { patentRecord } from "../helpers/fixtures";
import { FUNCTION_ROLES } from "../../scripts/deploy";
import { Act, LegalStatus, PatentKind, Roles, TransferStatus } from "../../server/chain/roles";
import { dayOf } from "../../server/chain/cnipa";
import {
  FIXED_NOW,
  TODAY,
  cstMidnight,
  factsTuple,
  inventoryTuple,
  merkleRoot,
  recordHash,
  registryFixture,
  withNumber,
} from "./registryFixture";
import type { PatentRegistrationStruct } from "../../typechain-types/contracts/registry/PatentRegistry";

const LOCK_TRANSFER_PENDING = 0;
const CONTRACT_HASH = ethers.id("transfer contract");

/** The ledger with one registered invention (2019, serial 1) held by uniA. */
async function onePatentFixture() {
  const f = await registryFixture();
  const record = patentRecord(f.uniA.address, 1);
  await f.registry.connect(f.registrar).register(record);
  return { ...f, record, id: BigInt(record.number) };
}

/** A transfer of the patent from uniA to companyA, proposed (id 1). */
async function proposedFixture() {
  const f = await onePatentFixture();
  await f.registry.connect(f.uniA).proposeTransfer(f.id, f.companyA.address, CONTRACT_HASH);
  return { ...f, transferId: 1n };
}

/** The same transfer, accepted by the buyer (agreed today). */
async function agreedFixture() {
  const f = await proposedFixture();
  await f.registry.connect(f.companyA).acceptTransfer(f.transferId);
  return f;
}

function batch(holder: string, count: number, firstSerial = 100): PatentRegistrationStruct[] {
  return Array.from({ length: count }, (_, i) => patentRecord(holder, firstSerial + i));
}

describe("PatentRegistry", () => {
  // These tests travel years ahead: leave a fresh chain on the wall clock for the test files that follow.
  after(async () => reset());

  describe("deployment", () => {
    it("names the token and the registry as holder of the transfer-pending bit", async () => {
      const f = await loadFixture(registryFixture);
      const address = await f.registry.getAddress();
      expect(await f.registry.name()).to.equal("Tianfu Patent Right");
      expect(await f.registry.symbol()).to.equal("TFPAT");
      expect(await f.registry.authority()).to.equal(await f.accessManager.getAddress());
      expect(await f.registry.lockModule(LOCK_TRANSFER_PENDING)).to.equal(address);
      expect(await f.registry.MAX_BATCH()).to.equal(200n);
      expect(await f.registry.MAX_IPC()).to.equal(8n);
      expect(await f.registry.transferCount()).to.equal(0n);
    });

    it("emits LockModuleSet for the transfer-pending bit", async () => {
      const f = await loadFixture(registryFixture);
      const registry = await ethers.deployContract("PatentRegistry", [await f.accessManager.getAddress()]);
      await expect(registry.deploymentTransaction())
        .to.emit(registry, "LockModuleSet")
        .withArgs(LOCK_TRANSFER_PENDING, await registry.getAddress());
    });

    it("supports the ERC-721 and ERC-165 interfaces", async () => {
      const f = await loadFixture(registryFixture);
      expect(await f.registry.supportsInterface("0x80ac58cd")).to.equal(true);
      expect(await f.registry.supportsInterface("0x01ffc9a7")).to.equal(true);
      expect(await f.registry.supportsInterface("0xffffffff")).to.equal(false);
    });
  });

  describe("access control", () => {
    type RegistryFixture = Awaited<ReturnType<typeof onePatentFixture>>;
    type Call = (f: RegistryFixture) => Promise<unknown>;
    /** One call per restricted function, made by `stranger`; arguments matter not, the role check comes first. */
    const unauthorisedCalls: Record<string, Call> = {
      register: (f) => f.registry.connect(f.stranger).register(patentRecord(f.stranger.address, 2)),
      registerBatch: (f) => f.registry.connect(f.stranger).registerBatch([patentRecord(f.stranger.address, 2)]),
      setLegalStatus: (f) => f.registry.connect(f.stranger).setLegalStatus(f.id, LegalStatus.Lapsed, "unpaid"),
      registerTransfer: (f) => f.registry.connect(f.stranger).registerTransfer(1, "CNIPA-1", TODAY),
      refuseTransfer: (f) => f.registry.connect(f.stranger).refuseTransfer(1, "refused"),
      recordMarketEvaluation: (f) => f.registry.connect(f.stranger).recordMarketEvaluation(f.id, 1, 2, 3, ethers.ZeroHash),
      agreeTransfer: (f) => f.registry.connect(f.stranger).agreeTransfer(f.id, f.stranger.address, ethers.ZeroHash),
      authoriseAct: (f) => f.registry.connect(f.stranger).authoriseAct(f.id, Act.Licence, f.stranger.address),
      lock: (f) => f.registry.connect(f.stranger).lock(f.id, 1, Act.List, f.stranger.address),
      unlock: (f) => f.registry.connect(f.stranger).unlock(f.id, 1),
      setLockModule: (f) => f.registry.connect(f.stranger).setLockModule(1, f.stranger.address),
    };
    /** State-changing functions anyone may call; each checks its caller itself. */
    const OPEN = [
      "updateInventory",
      "proposeTransfer",
      "acceptTransfer",
      "cancelTransfer",
      "approve",
      "setApprovalForAll",
      "transferFrom",
      "safeTransferFrom",
      "setAuthority", // AccessManaged: the authority itself only (tested below)
    ];
    const table = FUNCTION_ROLES.PatentRegistry as Record<string, readonly string[]>;
    const restricted = Object.entries(table).flatMap(([role, names]) => names.map((name) => ({ role, name })));

    for (const { role, name } of restricted) {
      it(`reverts with AccessManagedUnauthorized when an account without ${role} calls ${name}`, async () => {
        const f = await loadFixture(onePatentFixture);
        const call = unauthorisedCalls[name];
        expect(call, `no unauthorised-caller test for ${name}: add one to unauthorisedCalls`).to.not.equal(undefined);
        await expect(call!(f))
          .to.be.revertedWithCustomError(f.registry, "AccessManagedUnauthorized")
          .withArgs(f.stranger.address);
      });
    }

    it("has an unauthorised-caller test for exactly the functions of FUNCTION_ROLES", () => {
      expect(Object.keys(unauthorisedCalls).sort()).to.deep.equal(restricted.map((r) => r.name).sort());
    });

    it("restricts every state-changing function not open to all (none escapes the table)", async () => {
      const f = await loadFixture(registryFixture);
      const changing = f.registry.interface.fragments
        .filter((x): x is FunctionFragment => x.type === "function")
        .filter((x) => !x.constant)
        .map((x) => x.name);
      const unlisted = [...new Set(changing)].filter((n) => !OPEN.includes(n) && !restricted.some((r) => r.name === n));
      expect(unlisted).to.deep.equal([]);
    });

    it("wires each restricted function to its role in the AccessManager", async () => {
      const f = await loadFixture(registryFixture);
      const target = await f.registry.getAddress();
      for (const { role, name } of restricted) {
        const iface: Interface = f.registry.interface;
        const selector = iface.getFunction(name)?.selector ?? "";
        expect(await f.accessManager.getTargetFunctionRole(target, selector), name).to.equal(Roles[role as keyof typeof Roles]);
      }
    });

    it("reverts with AccessManagedUnauthorized when anyone but the authority calls setAuthority", async () => {
      const f = await loadFixture(registryFixture);
      await expect(f.registry.connect(f.admin).setAuthority(f.admin.address))
        .to.be.revertedWithCustomError(f.registry, "AccessManagedUnauthorized")
        .withArgs(f.admin.address);
    });

    it("refuses a caller holding another role (the registrar cannot evaluate, the evaluator cannot register)", async () => {
      const f = await loadFixture(onePatentFixture);
      await expect(f.registry.connect(f.registrar).recordMarketEvaluation(f.id, 1, 2, 3, ethers.ZeroHash))
        .to.be.revertedWithCustomError(f.registry, "AccessManagedUnauthorized")
        .withArgs(f.registrar.address);
      await expect(f.registry.connect(f.evaluator).register(patentRecord(f.uniA.address, 2)))
        .to.be.revertedWithCustomError(f.registry, "AccessManagedUnauthorized")
        .withArgs(f.evaluator.address);
      await expect(f.registry.connect(f.registrar).setLockModule(1, f.registrar.address))
        .to.be.revertedWithCustomError(f.registry, "AccessManagedUnauthorized")
        .withArgs(f.registrar.address);
    });
  });

  describe("register", () => {
    it("mints the patent to its holder and stores what the rules read", async () => {
      const f = await loadFixture(registryFixture);
      const record = patentRecord(f.uniA.address, 1);
      await f.registry.connect(f.registrar).register(record);
      const id = BigInt(record.number);
      expect(await f.registry.ownerOf(id)).to.equal(f.uniA.address);
      expect(await f.registry.balanceOf(f.uniA.address)).to.equal(1n);
      const p = await f.registry.patent(id);
      expect(p.owner).to.equal(f.uniA.address);
      expect(p.kind).to.equal(BigInt(PatentKind.Invention));
      expect(p.status).to.equal(BigInt(LegalStatus.Valid));
      expect(p.locks).to.equal(0n);
      expect(p.filingDay).to.equal(BigInt(dayOf("2019-03-15")));
      expect(p.grantDay).to.equal(BigInt(dayOf("2021-06-30")));
      expect(await f.registry.legalStatus(id)).to.equal(BigInt(LegalStatus.Valid));
    });

    it("emits Transfer, PatentRegistered with the full record and RecordsCommitted with the record hash", async () => {
      const f = await loadFixture(registryFixture);
      const record = patentRecord(f.uniA.address, 1);
      const leaf = recordHash(f.registry, record);
      const tx = f.registry.connect(f.registrar).register(record);
      await expect(tx).to.emit(f.registry, "Transfer").withArgs(ethers.ZeroAddress, f.uniA.address, record.number);
      await expect(tx)
        .to.emit(f.registry, "PatentRegistered")
        .withArgs(
          record.number,
          f.uniA.address,
          record.number,
          leaf,
          factsTuple(record),
          record.title,
          record.ipc,
          inventoryTuple(record.inventory),
        );
      await expect(tx).to.emit(f.registry, "RecordsCommitted").withArgs(record.number, leaf, 1);
      expect(await f.registry.commitmentRoot(record.number)).to.equal(leaf);
    });

    it("counts a holder's patents", async () => {
      const f = await loadFixture(registryFixture);
      for (const serial of [1, 2, 3]) await f.registry.connect(f.registrar).register(patentRecord(f.uniA.address, serial));
      expect(await f.registry.balanceOf(f.uniA.address)).to.equal(3n);
    });

    it("reverts with PatentRegistryAlreadyRegistered when the number is taken", async () => {
      const f = await loadFixture(onePatentFixture);
      await expect(f.registry.connect(f.registrar).register(patentRecord(f.uniB.address, 1)))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryAlreadyRegistered")
        .withArgs(f.id);
    });

    describe("number validation", () => {
      for (const [why, digits] of [
        ["zero", "0"],
        ["9 digits", "201910000"],
        ["11 digits", "20191000001"],
        ["13 digits", "2019100000011"],
        ["a 12-digit number before 2003", "200210000011"],
        ["an 8-digit number of 1984", "84100001"],
        ["an 8-digit number of 2004", "04100001"],
      ] as const) {
        it(`reverts with PatentRegistryMalformedNumber for ${why}`, async () => {
          const f = await loadFixture(registryFixture);
          const record = { ...patentRecord(f.uniA.address, 1), number: BigInt(digits) };
          await expect(f.registry.connect(f.registrar).register(record))
            .to.be.revertedWithCustomError(f.registry, "PatentRegistryMalformedNumber")
            .withArgs(BigInt(digits));
        });
      }

      it("reverts with PatentRegistryCheckDigitMismatch when the check digit is wrong", async () => {
        const f = await loadFixture(registryFixture);
        const good = patentRecord(f.uniA.address, 1);
        const given = (Number(good.facts.checkDigit) + 1) % 11;
        const record = { ...good, facts: { ...good.facts, checkDigit: given } };
        await expect(f.registry.connect(f.registrar).register(record))
          .to.be.revertedWithCustomError(f.registry, "PatentRegistryCheckDigitMismatch")
          .withArgs(good.number, given, good.facts.checkDigit);
      });

      it("accepts the check digit X (10)", async () => {
        const f = await loadFixture(registryFixture);
        const record = withNumber(patentRecord(f.uniA.address, 1), "201910000017");
        expect(record.facts.checkDigit).to.equal(10);
        await f.registry.connect(f.registrar).register(record);
        expect(await f.registry.ownerOf(record.number)).to.equal(f.uniA.address);
      });

      for (const [why, digits, kind] of [
        ["kind digit 4", "201940000010", PatentKind.Invention],
        ["kind digit 2 for an invention", "201920000010", PatentKind.Invention],
        ["kind digit 1 for a utility model", "201910000010", PatentKind.UtilityModel],
        ["kind digit 8 for a design", "201980000010", PatentKind.Design],
        ["kind digit 9 for an invention", "201990000010", PatentKind.Invention],
      ] as const) {
        it(`reverts with PatentRegistryKindMismatch for ${why}`, async () => {
          const f = await loadFixture(registryFixture);
          const base = withNumber(patentRecord(f.uniA.address, 1), digits);
          const record = { ...base, facts: { ...base.facts, kind } };
          await expect(f.registry.connect(f.registrar).register(record))
            .to.be.revertedWithCustomError(f.registry, "PatentRegistryKindMismatch")
            .withArgs(BigInt(digits), kind);
        });
      }

      it("reverts with PatentRegistryFilingYearMismatch when the filing date is not in the number's year", async () => {
        const f = await loadFixture(registryFixture);
        const record = patentRecord(f.uniA.address, 1, { filing: "2018-12-31" });
        await expect(f.registry.connect(f.registrar).register(record))
          .to.be.revertedWithCustomError(f.registry, "PatentRegistryFilingYearMismatch")
          .withArgs(record.number, 2019, 2018);
      });

      it("checks the year of an 8-digit number (1998) against the filing date", async () => {
        const f = await loadFixture(registryFixture);
        const base = withNumber(patentRecord(f.uniA.address, 1, { filing: "1997-05-01", grant: "2000-01-01" }), "98100001");
        await expect(f.registry.connect(f.registrar).register(base))
          .to.be.revertedWithCustomError(f.registry, "PatentRegistryFilingYearMismatch")
          .withArgs(98100001n, 1998, 1997);
      });

      for (const [digits, kind] of [
        ["201980000010", PatentKind.Invention],
        ["201990000010", PatentKind.UtilityModel],
      ] as const) {
        it(`skips the year check for PCT kind digit ${digits[4]} (the number carries the year of entry)`, async () => {
          const f = await loadFixture(registryFixture);
          const base = withNumber(patentRecord(f.uniA.address, 1, { filing: "2017-08-01", grant: "2021-01-05" }), digits);
          const record = { ...base, facts: { ...base.facts, kind } };
          await f.registry.connect(f.registrar).register(record);
          expect((await f.registry.patent(record.number)).kind).to.equal(BigInt(kind));
        });
      }

      for (const [digits, filing, kind] of [
        ["98100001", "1998-04-02", PatentKind.Invention],
        ["02100014", "2002-11-20", PatentKind.Invention],
        ["03200001", "2003-02-03", PatentKind.UtilityModel],
        ["85300001", "1985-04-01", PatentKind.Design],
      ] as const) {
        it(`registers the pre-2003 8-digit number ${digits} (leading zero dropped in the token id)`, async () => {
          const f = await loadFixture(registryFixture);
          const base = withNumber(patentRecord(f.uniA.address, 1, { filing, grant: "2004-01-01" }), digits);
          const record = { ...base, facts: { ...base.facts, kind } };
          await f.registry.connect(f.registrar).register(record);
          expect(await f.registry.ownerOf(BigInt(digits))).to.equal(f.uniA.address);
        });
      }
    });

    describe("dates", () => {
      it("reverts with PatentRegistryDatesOutOfOrder when the grant precedes the filing", async () => {
        const f = await loadFixture(registryFixture);
        const record = patentRecord(f.uniA.address, 1, { filing: "2019-05-01", grant: "2019-04-30" });
        await expect(f.registry.connect(f.registrar).register(record))
          .to.be.revertedWithCustomError(f.registry, "PatentRegistryDatesOutOfOrder")
          .withArgs(dayOf("2019-05-01"), dayOf("2019-04-30"), TODAY);
      });

      it("reverts with PatentRegistryDatesOutOfOrder when the grant is after today", async () => {
        const f = await loadFixture(registryFixture);
        const record = patentRecord(f.uniA.address, 1);
        const late = { ...record, facts: { ...record.facts, grantDay: TODAY + 1 } };
        await expect(f.registry.connect(f.registrar).register(late))
          .to.be.revertedWithCustomError(f.registry, "PatentRegistryDatesOutOfOrder")
          .withArgs(record.facts.filingDay, TODAY + 1, TODAY);
      });

      it("reverts with PatentRegistryDatesOutOfOrder when the filing day is zero", async () => {
        const f = await loadFixture(registryFixture);
        const record = patentRecord(f.uniA.address, 1);
        const zero = { ...record, facts: { ...record.facts, filingDay: 0 } };
        await expect(f.registry.connect(f.registrar).register(zero))
          .to.be.revertedWithCustomError(f.registry, "PatentRegistryDatesOutOfOrder")
          .withArgs(0, record.facts.grantDay, TODAY);
      });

      it("accepts a grant today and a grant on the filing day", async () => {
        const f = await loadFixture(registryFixture);
        const today = patentRecord(f.uniA.address, 1, { year: 2029, filing: "2029-12-01" });
        await f.registry.connect(f.registrar).register({ ...today, facts: { ...today.facts, grantDay: TODAY } });
        await f.registry.connect(f.registrar).register(patentRecord(f.uniA.address, 2, { filing: "2019-07-07", grant: "2019-07-07" }));
        expect(await f.registry.balanceOf(f.uniA.address)).to.equal(2n);
      });
    });

    describe("holder, title, IPC and inventory", () => {
      it("reverts with PatentRegistryInvalidHolder for the zero address", async () => {
        const f = await loadFixture(registryFixture);
        await expect(f.registry.connect(f.registrar).register(patentRecord(ethers.ZeroAddress, 1)))
          .to.be.revertedWithCustomError(f.registry, "PatentRegistryInvalidHolder")
          .withArgs(ethers.ZeroAddress);
      });

      it("reverts with PatentRegistryEmptyTitle for an empty title", async () => {
        const f = await loadFixture(registryFixture);
        const record = patentRecord(f.uniA.address, 1, { title: "" });
        await expect(f.registry.connect(f.registrar).register(record))
          .to.be.revertedWithCustomError(f.registry, "PatentRegistryEmptyTitle")
          .withArgs(record.number);
      });

      it("reverts with PatentRegistryTooManyIpcCodes for no code", async () => {
        const f = await loadFixture(registryFixture);
        const record = patentRecord(f.uniA.address, 1, { ipc: [] });
        await expect(f.registry.connect(f.registrar).register(record))
          .to.be.revertedWithCustomError(f.registry, "PatentRegistryTooManyIpcCodes")
          .withArgs(record.number, 0, 8);
      });

      it("reverts with PatentRegistryTooManyIpcCodes for nine codes and accepts eight", async () => {
        const f = await loadFixture(registryFixture);
        const codes = Array.from({ length: 9 }, (_, i) => `G06F ${i + 1}/00`);
        const nine = patentRecord(f.uniA.address, 1, { ipc: codes });
        await expect(f.registry.connect(f.registrar).register(nine))
          .to.be.revertedWithCustomError(f.registry, "PatentRegistryTooManyIpcCodes")
          .withArgs(nine.number, 9, 8);
        await f.registry.connect(f.registrar).register(patentRecord(f.uniA.address, 1, { ipc: codes.slice(0, 8) }));
      });

      for (const [why, code] of [
        ["shorter than 4 characters", "H01"],
        ["longer than 16 characters", "H01M 10/052123456"],
        ["a section after H", "I01M 10/052"],
        ["a lower-case section", "h01M 10/052"],
        ["a digit for a section", "101M 10/052"],
      ] as const) {
        it(`reverts with PatentRegistryBadIpc naming the index of a code ${why}`, async () => {
          const f = await loadFixture(registryFixture);
          const record = patentRecord(f.uniA.address, 1, { ipc: ["A61K 36/00", code] });
          await expect(f.registry.connect(f.registrar).register(record))
            .to.be.revertedWithCustomError(f.registry, "PatentRegistryBadIpc")
            .withArgs(record.number, 1);
        });
      }

      it("accepts IPC codes of 4 and 16 characters in sections A and H", async () => {
        const f = await loadFixture(registryFixture);
        await f.registry.connect(f.registrar).register(patentRecord(f.uniA.address, 1, { ipc: ["A01B", "H01M 10/05212345"] }));
      });

      for (const [why, change, error, value] of [
        ["readiness 0", { readiness: 0 }, "PatentRegistryReadinessOutOfRange", 0],
        ["readiness 10", { readiness: 10 }, "PatentRegistryReadinessOutOfRange", 10],
        ["modes 8", { modes: 8 }, "PatentRegistryInvalidModes", 8],
        ["self score 101", { selfScore: 101 }, "PatentRegistryScoreOutOfRange", 101],
        ["unit score 101", { unitScore: 101 }, "PatentRegistryScoreOutOfRange", 101],
      ] as const) {
        it(`reverts with ${error} for ${why}`, async () => {
          const f = await loadFixture(registryFixture);
          const base = patentRecord(f.uniA.address, 1);
          const record = { ...base, inventory: { ...base.inventory, ...change } };
          await expect(f.registry.connect(f.registrar).register(record))
            .to.be.revertedWithCustomError(f.registry, error)
            .withArgs(record.number, value);
        });
      }

      it("accepts readiness 1 and 9, all modes, scores 0 and 100", async () => {
        const f = await loadFixture(registryFixture);
        const a = patentRecord(f.uniA.address, 1);
        const b = patentRecord(f.uniA.address, 2);
        await f.registry.connect(f.registrar).register({ ...a, inventory: { ...a.inventory, readiness: 1, modes: 7, selfScore: 0, unitScore: 100 } });
        await f.registry.connect(f.registrar).register({ ...b, inventory: { ...b.inventory, readiness: 9, modes: 0, selfScore: 100, unitScore: 0 } });
      });
    });
  });

  describe("registerBatch", () => {
    for (const size of [1, 2, 3, 5, 7, 8]) {
      it(`commits the Merkle root of ${size} record hashes (sorted pairs, odd node carried up)`, async () => {
        const f = await loadFixture(registryFixture);
        const records = batch(f.uniB.address, size);
        const root = merkleRoot(records.map((r) => recordHash(f.registry, r)));
        await expect(f.registry.connect(f.registrar).registerBatch(records))
          .to.emit(f.registry, "RecordsCommitted")
          .withArgs(records[0]!.number, root, size);
        expect(await f.registry.commitmentRoot(records[0]!.number)).to.equal(root);
        expect(await f.registry.balanceOf(f.uniB.address)).to.equal(BigInt(size));
      });
    }

    it("emits PatentRegistered for each record under the batch's commitment", async () => {
      const f = await loadFixture(registryFixture);
      const records = [patentRecord(f.uniA.address, 10), patentRecord(f.uniB.address, 11)];
      const tx = f.registry.connect(f.registrar).registerBatch(records);
      for (const r of records) {
        await expect(tx)
          .to.emit(f.registry, "PatentRegistered")
          .withArgs(r.number, r.holder, records[0]!.number, recordHash(f.registry, r), factsTuple(r), r.title, r.ipc, inventoryTuple(r.inventory));
      }
      expect(await f.registry.ownerOf(records[1]!.number)).to.equal(f.uniB.address);
    });

    it("registers MAX_BATCH (200) records in one call", async () => {
      const f = await loadFixture(registryFixture);
      await f.registry.connect(f.registrar).registerBatch(batch(f.uniA.address, 200));
      expect(await f.registry.balanceOf(f.uniA.address)).to.equal(200n);
    });

    it("reverts with PatentRegistryBatchSize for an empty batch", async () => {
      const f = await loadFixture(registryFixture);
      await expect(f.registry.connect(f.registrar).registerBatch([]))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryBatchSize")
        .withArgs(0, 200);
    });

    it("reverts with PatentRegistryBatchSize for 201 records", async () => {
      const f = await loadFixture(registryFixture);
      await expect(f.registry.connect(f.registrar).registerBatch(batch(f.uniA.address, 201)))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryBatchSize")
        .withArgs(201, 200);
    });

    it("reverts with PatentRegistryAlreadyRegistered for a duplicate inside the batch, registering nothing", async () => {
      const f = await loadFixture(registryFixture);
      const records = [...batch(f.uniA.address, 3), patentRecord(f.uniB.address, 101)];
      await expect(f.registry.connect(f.registrar).registerBatch(records))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryAlreadyRegistered")
        .withArgs(records[1]!.number);
      for (const r of records) {
        await expect(f.registry.ownerOf(r.number)).to.be.revertedWithCustomError(f.registry, "ERC721NonexistentToken").withArgs(r.number);
      }
      expect(await f.registry.commitmentRoot(records[0]!.number)).to.equal(ethers.ZeroHash);
    });

    it("reverts with PatentRegistryAlreadyRegistered for a number registered before, registering nothing", async () => {
      const f = await loadFixture(onePatentFixture);
      const records = [patentRecord(f.uniB.address, 50), patentRecord(f.uniB.address, 1)];
      await expect(f.registry.connect(f.registrar).registerBatch(records))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryAlreadyRegistered")
        .withArgs(f.id);
      expect(await f.registry.balanceOf(f.uniB.address)).to.equal(0n);
    });

    it("reverts with the first bad record's error and registers none of the good ones", async () => {
      const f = await loadFixture(registryFixture);
      const records = batch(f.uniA.address, 4);
      records[2] = { ...records[2]!, inventory: { ...records[2]!.inventory, readiness: 0 } };
      await expect(f.registry.connect(f.registrar).registerBatch(records))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryReadinessOutOfRange")
        .withArgs(records[2].number, 0);
      expect(await f.registry.balanceOf(f.uniA.address)).to.equal(0n);
    });
  });

  describe("setLegalStatus", () => {
    for (const [from, to] of [
      [LegalStatus.Valid, LegalStatus.Lapsed],
      [LegalStatus.Valid, LegalStatus.Invalidated],
      [LegalStatus.Valid, LegalStatus.UnderInvalidation],
      [LegalStatus.Valid, LegalStatus.Frozen],
      [LegalStatus.Lapsed, LegalStatus.Valid],
      [LegalStatus.Frozen, LegalStatus.Valid],
      [LegalStatus.UnderInvalidation, LegalStatus.Invalidated],
    ] as const) {
      it(`records ${LegalStatus[from]} -> ${LegalStatus[to]} with its reason`, async () => {
        const f = await loadFixture(onePatentFixture);
        if (from !== LegalStatus.Valid) await f.registry.connect(f.registrar).setLegalStatus(f.id, from, "before");
        await expect(f.registry.connect(f.registrar).setLegalStatus(f.id, to, "CNIPA gazette 2030-01"))
          .to.emit(f.registry, "LegalStatusChanged")
          .withArgs(f.id, from, to, "CNIPA gazette 2030-01");
        expect((await f.registry.patent(f.id)).status).to.equal(BigInt(to));
        expect(await f.registry.legalStatus(f.id)).to.equal(BigInt(to));
      });
    }

    it("reverts with PatentRegistryCannotSetExpired: expiry is derived", async () => {
      const f = await loadFixture(onePatentFixture);
      await expect(f.registry.connect(f.registrar).setLegalStatus(f.id, LegalStatus.Expired, "term ended"))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryCannotSetExpired")
        .withArgs(f.id);
    });

    it("reverts with PatentRegistryStatusUnchanged when the status is the current one", async () => {
      const f = await loadFixture(onePatentFixture);
      await expect(f.registry.connect(f.registrar).setLegalStatus(f.id, LegalStatus.Valid, "again"))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryStatusUnchanged")
        .withArgs(f.id, LegalStatus.Valid);
    });

    it("reverts with PatentRegistryEmptyReason without a reason", async () => {
      const f = await loadFixture(onePatentFixture);
      await expect(f.registry.connect(f.registrar).setLegalStatus(f.id, LegalStatus.Lapsed, "")).to.be.revertedWithCustomError(
        f.registry,
        "PatentRegistryEmptyReason",
      );
    });

    it("reverts with PatentRegistryUnknownPatent for an unregistered number", async () => {
      const f = await loadFixture(registryFixture);
      await expect(f.registry.connect(f.registrar).setLegalStatus(201910000010n, LegalStatus.Lapsed, "x"))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryUnknownPatent")
        .withArgs(201910000010n);
    });
  });

  describe("expiryDay and legalStatus", () => {
    const cases = [
      { what: "an invention: 20 years", kind: PatentKind.Invention, year: 2012, filing: "2012-01-16", expiry: "2032-01-16" },
      { what: "a utility model: 10 years", kind: PatentKind.UtilityModel, year: 2022, filing: "2022-03-15", expiry: "2032-03-15" },
      { what: "a design filed 2021-06-01: 15 years", kind: PatentKind.Design, year: 2021, filing: "2021-06-01", expiry: "2036-06-01" },
      { what: "a design filed 2021-05-31: 10 years", kind: PatentKind.Design, year: 2021, filing: "2021-05-31", expiry: "2031-05-31" },
      { what: "an invention filed on 29 February: 29 February 20 years on", kind: PatentKind.Invention, year: 2020, filing: "2020-02-29", expiry: "2040-02-29" },
      { what: "a utility model filed on 29 February: 1 March 10 years on", kind: PatentKind.UtilityModel, year: 2020, filing: "2020-02-29", expiry: "2030-03-01" },
      { what: "a design filed on 29 February 2024: 1 March 2039", kind: PatentKind.Design, year: 2024, filing: "2024-02-29", expiry: "2039-03-01" },
    ];
    for (const c of cases) {
      it(`expires ${c.what}, on ${c.expiry} at midnight China time`, async () => {
        const f = await loadFixture(registryFixture);
        const record = patentRecord(f.uniA.address, 7, { kind: c.kind, year: c.year, filing: c.filing, grant: "2029-01-01" });
        await f.registry.connect(f.registrar).register(record);
        const expiry = dayOf(c.expiry);
        expect(await f.registry.expiryDay(record.number)).to.equal(BigInt(expiry));
        await time.increaseTo(cstMidnight(expiry) - 1);
        expect(await f.registry.legalStatus(record.number)).to.equal(BigInt(LegalStatus.Valid));
        await time.increaseTo(cstMidnight(expiry));
        expect(await f.registry.legalStatus(record.number)).to.equal(BigInt(LegalStatus.Expired));
        expect((await f.registry.patent(record.number)).status).to.equal(BigInt(LegalStatus.Valid));
      });
    }

    it("derives Expired over a stored Lapsed but keeps Invalidated", async () => {
      const f = await loadFixture(registryFixture);
      const lapsed = patentRecord(f.uniA.address, 1, { kind: PatentKind.UtilityModel, year: 2022 });
      const invalid = patentRecord(f.uniA.address, 2, { kind: PatentKind.UtilityModel, year: 2022 });
      await f.registry.connect(f.registrar).registerBatch([lapsed, invalid]);
      await f.registry.connect(f.registrar).setLegalStatus(lapsed.number, LegalStatus.Lapsed, "annual fee unpaid");
      await f.registry.connect(f.registrar).setLegalStatus(invalid.number, LegalStatus.Invalidated, "decision 12345");
      await time.increaseTo(cstMidnight(dayOf("2032-03-15")));
      expect(await f.registry.legalStatus(lapsed.number)).to.equal(BigInt(LegalStatus.Expired));
      expect(await f.registry.legalStatus(invalid.number)).to.equal(BigInt(LegalStatus.Invalidated));
    });

    it("registers an already expired patent, which reads Expired at once", async () => {
      const f = await loadFixture(registryFixture);
      const old = patentRecord(f.uniA.address, 1, { kind: PatentKind.UtilityModel, year: 2005, filing: "2005-01-10", grant: "2006-01-10" });
      await f.registry.connect(f.registrar).register(old);
      expect(await f.registry.legalStatus(old.number)).to.equal(BigInt(LegalStatus.Expired));
    });

    it("reverts with PatentRegistryUnknownPatent for an unregistered number", async () => {
      const f = await loadFixture(registryFixture);
      await expect(f.registry.expiryDay(1n)).to.be.revertedWithCustomError(f.registry, "PatentRegistryUnknownPatent").withArgs(1n);
      await expect(f.registry.legalStatus(1n)).to.be.revertedWithCustomError(f.registry, "PatentRegistryUnknownPatent").withArgs(1n);
      await expect(f.registry.patent(1n)).to.be.revertedWithCustomError(f.registry, "PatentRegistryUnknownPatent").withArgs(1n);
      await expect(f.registry.isLocked(1n, 1)).to.be.revertedWithCustomError(f.registry, "PatentRegistryUnknownPatent").withArgs(1n);
    });
  });

  describe("updateInventory", () => {
    const inventory = { readiness: 8, willing: false, modes: 2, selfScore: 90, unitScore: 60, scenarioTags: 0x30 };

    it("lets the owner update the survey fields", async () => {
      const f = await loadFixture(onePatentFixture);
      await expect(f.registry.connect(f.uniA).updateInventory(f.id, inventory))
        .to.emit(f.registry, "InventoryUpdated")
        .withArgs(f.id, f.uniA.address, inventoryTuple(inventory));
    });

    it("lets the registrar update the survey fields", async () => {
      const f = await loadFixture(onePatentFixture);
      await expect(f.registry.connect(f.registrar).updateInventory(f.id, inventory))
        .to.emit(f.registry, "InventoryUpdated")
        .withArgs(f.id, f.registrar.address, inventoryTuple(inventory));
    });

    it("reverts with PatentRegistryNotOwner for anyone else", async () => {
      const f = await loadFixture(onePatentFixture);
      for (const caller of [f.stranger, f.evaluator, f.uniB]) {
        await expect(f.registry.connect(caller).updateInventory(f.id, inventory))
          .to.be.revertedWithCustomError(f.registry, "PatentRegistryNotOwner")
          .withArgs(f.id, caller.address, f.uniA.address);
      }
    });

    it("follows the owner after a registered transfer", async () => {
      const f = await loadFixture(agreedFixture);
      await f.registry.connect(f.registrar).registerTransfer(f.transferId, "CNIPA-2030-001", TODAY);
      await expect(f.registry.connect(f.uniA).updateInventory(f.id, inventory))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryNotOwner")
        .withArgs(f.id, f.uniA.address, f.companyA.address);
      await expect(f.registry.connect(f.companyA).updateInventory(f.id, inventory)).to.emit(f.registry, "InventoryUpdated");
    });

    for (const [why, change, error, value] of [
      ["readiness 0", { readiness: 0 }, "PatentRegistryReadinessOutOfRange", 0],
      ["readiness 10", { readiness: 10 }, "PatentRegistryReadinessOutOfRange", 10],
      ["modes 9", { modes: 9 }, "PatentRegistryInvalidModes", 9],
      ["self score 200", { selfScore: 200 }, "PatentRegistryScoreOutOfRange", 200],
      ["unit score 101", { unitScore: 101 }, "PatentRegistryScoreOutOfRange", 101],
    ] as const) {
      it(`reverts with ${error} for ${why}`, async () => {
        const f = await loadFixture(onePatentFixture);
        await expect(f.registry.connect(f.uniA).updateInventory(f.id, { ...inventory, ...change }))
          .to.be.revertedWithCustomError(f.registry, error)
          .withArgs(f.id, value);
      });
    }

    it("reverts with PatentRegistryUnknownPatent for an unregistered number", async () => {
      const f = await loadFixture(registryFixture);
      await expect(f.registry.connect(f.registrar).updateInventory(5n, inventory))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryUnknownPatent")
        .withArgs(5n);
    });
  });

  describe("recordMarketEvaluation", () => {
    it("records an evaluation with a fresh id", async () => {
      const f = await loadFixture(onePatentFixture);
      const report = ethers.id("report");
      expect(await f.registry.connect(f.evaluator).recordMarketEvaluation.staticCall(f.id, 80, 30, 100, report)).to.equal(1n);
      await expect(f.registry.connect(f.evaluator).recordMarketEvaluation(f.id, 80, 30, 100, report))
        .to.emit(f.registry, "MarketEvaluated")
        .withArgs(1, f.id, f.evaluator.address, 80, 30, 100, report);
      await expect(f.registry.connect(f.evaluator).recordMarketEvaluation(f.id, 0, 0, 0, ethers.ZeroHash))
        .to.emit(f.registry, "MarketEvaluated")
        .withArgs(2, f.id, f.evaluator.address, 0, 0, 0, ethers.ZeroHash);
    });

    for (const [which, scores] of [
      ["interest", [101, 0, 0]],
      ["improvement need", [0, 101, 0]],
      ["cooperation willingness", [0, 0, 255]],
    ] as const) {
      it(`reverts with PatentRegistryScoreOutOfRange for ${which} above 100`, async () => {
        const f = await loadFixture(onePatentFixture);
        await expect(f.registry.connect(f.evaluator).recordMarketEvaluation(f.id, scores[0], scores[1], scores[2], ethers.ZeroHash))
          .to.be.revertedWithCustomError(f.registry, "PatentRegistryScoreOutOfRange")
          .withArgs(f.id, Math.max(...scores));
      });
    }

    it("reverts with PatentRegistryUnknownPatent for an unregistered number", async () => {
      const f = await loadFixture(registryFixture);
      await expect(f.registry.connect(f.evaluator).recordMarketEvaluation(9n, 1, 1, 1, ethers.ZeroHash))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryUnknownPatent")
        .withArgs(9n);
    });
  });

  describe("proposeTransfer", () => {
    it("records the proposal and locks the patent with the transfer-pending bit", async () => {
      const f = await loadFixture(onePatentFixture);
      const registry = await f.registry.getAddress();
      expect(await f.registry.connect(f.uniA).proposeTransfer.staticCall(f.id, f.companyA.address, CONTRACT_HASH)).to.equal(1n);
      const tx = f.registry.connect(f.uniA).proposeTransfer(f.id, f.companyA.address, CONTRACT_HASH);
      await expect(tx).to.emit(f.registry, "TransferProposed").withArgs(1, f.id, f.uniA.address, f.companyA.address, CONTRACT_HASH);
      await expect(tx).to.emit(f.registry, "PatentLocked").withArgs(f.id, LOCK_TRANSFER_PENDING, registry);
      const t = await f.registry.transferRecord(1);
      expect([t.patentId, t.status, t.agreedDay, t.from, t.to, t.initiator, t.contractHash]).to.deep.equal([
        f.id,
        BigInt(TransferStatus.Proposed),
        0n,
        f.uniA.address,
        f.companyA.address,
        ethers.ZeroAddress,
        CONTRACT_HASH,
      ]);
      expect(await f.registry.pendingTransfer(f.id)).to.equal(1n);
      expect(await f.registry.isLocked(f.id, LOCK_TRANSFER_PENDING)).to.equal(true);
      expect(await f.registry.transferCount()).to.equal(1n);
    });

    it("allows a transfer of a patent under invalidation proceedings", async () => {
      const f = await loadFixture(onePatentFixture);
      await f.registry.connect(f.registrar).setLegalStatus(f.id, LegalStatus.UnderInvalidation, "request 4W1");
      await expect(f.registry.connect(f.uniA).proposeTransfer(f.id, f.companyA.address, CONTRACT_HASH)).to.emit(f.registry, "TransferProposed");
    });

    it("reverts with ERC721NonexistentToken for an unregistered number", async () => {
      const f = await loadFixture(registryFixture);
      await expect(f.registry.connect(f.uniA).proposeTransfer(3n, f.companyA.address, CONTRACT_HASH))
        .to.be.revertedWithCustomError(f.registry, "ERC721NonexistentToken")
        .withArgs(3n);
    });

    it("reverts with PatentRegistryNotOwner when the caller is not the owner (even the registrar)", async () => {
      const f = await loadFixture(onePatentFixture);
      for (const caller of [f.companyA, f.registrar]) {
        await expect(f.registry.connect(caller).proposeTransfer(f.id, f.companyA.address, CONTRACT_HASH))
          .to.be.revertedWithCustomError(f.registry, "PatentRegistryNotOwner")
          .withArgs(f.id, caller.address, f.uniA.address);
      }
    });

    it("reverts with PatentRegistryInvalidCounterparty for the zero address or the owner", async () => {
      const f = await loadFixture(onePatentFixture);
      for (const to of [ethers.ZeroAddress, f.uniA.address]) {
        await expect(f.registry.connect(f.uniA).proposeTransfer(f.id, to, CONTRACT_HASH))
          .to.be.revertedWithCustomError(f.registry, "PatentRegistryInvalidCounterparty")
          .withArgs(f.id, to);
      }
    });

    for (const status of [LegalStatus.Lapsed, LegalStatus.Invalidated, LegalStatus.Frozen]) {
      it(`reverts with PatentRegistryPatentNotActionable for a patent in status ${LegalStatus[status]}`, async () => {
        const f = await loadFixture(onePatentFixture);
        await f.registry.connect(f.registrar).setLegalStatus(f.id, status, "gazette");
        await expect(f.registry.connect(f.uniA).proposeTransfer(f.id, f.companyA.address, CONTRACT_HASH))
          .to.be.revertedWithCustomError(f.registry, "PatentRegistryPatentNotActionable")
          .withArgs(f.id, Act.Transfer, status);
      });
    }

    it("reverts with PatentRegistryPatentNotActionable for an expired patent", async () => {
      const f = await loadFixture(onePatentFixture);
      await time.increaseTo(cstMidnight(dayOf("2039-03-15")));
      await expect(f.registry.connect(f.uniA).proposeTransfer(f.id, f.companyA.address, CONTRACT_HASH))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryPatentNotActionable")
        .withArgs(f.id, Act.Transfer, LegalStatus.Expired);
    });

    it("reverts with PatentRegistryTransferPending while another transfer is pending", async () => {
      const f = await loadFixture(proposedFixture);
      await expect(f.registry.connect(f.uniA).proposeTransfer(f.id, f.companyB.address, CONTRACT_HASH))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryTransferPending")
        .withArgs(f.id, f.transferId);
    });
  });

  describe("acceptTransfer", () => {
    it("records the buyer's signature and the day of agreement", async () => {
      const f = await loadFixture(proposedFixture);
      await expect(f.registry.connect(f.companyA).acceptTransfer(f.transferId))
        .to.emit(f.registry, "TransferAgreed")
        .withArgs(f.transferId, f.id, f.companyA.address, ethers.ZeroAddress, TODAY);
      const t = await f.registry.transferRecord(f.transferId);
      expect(t.status).to.equal(BigInt(TransferStatus.Agreed));
      expect(t.agreedDay).to.equal(BigInt(TODAY));
    });

    it("reverts with PatentRegistryNotParty when anyone but the buyer accepts (even the owner)", async () => {
      const f = await loadFixture(proposedFixture);
      for (const caller of [f.uniA, f.stranger, f.registrar]) {
        await expect(f.registry.connect(caller).acceptTransfer(f.transferId))
          .to.be.revertedWithCustomError(f.registry, "PatentRegistryNotParty")
          .withArgs(f.transferId, caller.address);
      }
    });

    it("reverts with PatentRegistryTransferState when already agreed", async () => {
      const f = await loadFixture(agreedFixture);
      await expect(f.registry.connect(f.companyA).acceptTransfer(f.transferId))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryTransferState")
        .withArgs(f.transferId, TransferStatus.Agreed);
    });

    it("reverts with PatentRegistryTransferState when cancelled", async () => {
      const f = await loadFixture(proposedFixture);
      await f.registry.connect(f.uniA).cancelTransfer(f.transferId);
      await expect(f.registry.connect(f.companyA).acceptTransfer(f.transferId))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryTransferState")
        .withArgs(f.transferId, TransferStatus.Cancelled);
    });

    it("reverts with PatentRegistryUnknownTransfer for an unknown transfer", async () => {
      const f = await loadFixture(registryFixture);
      await expect(f.registry.connect(f.companyA).acceptTransfer(42))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryUnknownTransfer")
        .withArgs(42);
    });
  });

  describe("cancelTransfer", () => {
    for (const [state, fixture] of [
      ["proposed", proposedFixture],
      ["agreed", agreedFixture],
    ] as const) {
      for (const party of ["uniA", "companyA"] as const) {
        it(`lets the ${party === "uniA" ? "owner" : "buyer"} cancel the ${state} transfer and releases the lock`, async () => {
          const f = await loadFixture(fixture);
          const by = f[party];
          const tx = f.registry.connect(by).cancelTransfer(f.transferId);
          await expect(tx).to.emit(f.registry, "TransferCancelled").withArgs(f.transferId, f.id, by.address);
          await expect(tx).to.emit(f.registry, "PatentUnlocked").withArgs(f.id, LOCK_TRANSFER_PENDING, await f.registry.getAddress());
          expect((await f.registry.transferRecord(f.transferId)).status).to.equal(BigInt(TransferStatus.Cancelled));
          expect(await f.registry.pendingTransfer(f.id)).to.equal(0n);
          expect(await f.registry.isLocked(f.id, LOCK_TRANSFER_PENDING)).to.equal(false);
          await expect(f.registry.connect(f.uniA).proposeTransfer(f.id, f.companyB.address, CONTRACT_HASH))
            .to.emit(f.registry, "TransferProposed")
            .withArgs(2, f.id, f.uniA.address, f.companyB.address, CONTRACT_HASH);
        });
      }
    }

    it("reverts with PatentRegistryNotParty for a third party", async () => {
      const f = await loadFixture(agreedFixture);
      for (const caller of [f.stranger, f.registrar]) {
        await expect(f.registry.connect(caller).cancelTransfer(f.transferId))
          .to.be.revertedWithCustomError(f.registry, "PatentRegistryNotParty")
          .withArgs(f.transferId, caller.address);
      }
    });

    it("reverts with PatentRegistryTransferState once registered, refused or cancelled", async () => {
      const f = await loadFixture(agreedFixture);
      await f.registry.connect(f.registrar).registerTransfer(f.transferId, "CNIPA-1", TODAY);
      await expect(f.registry.connect(f.uniA).cancelTransfer(f.transferId))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryTransferState")
        .withArgs(f.transferId, TransferStatus.Registered);

      await f.registry.connect(f.companyA).proposeTransfer(f.id, f.companyB.address, CONTRACT_HASH);
      await f.registry.connect(f.companyB).acceptTransfer(2);
      await f.registry.connect(f.registrar).refuseTransfer(2, "incomplete filing");
      await expect(f.registry.connect(f.companyA).cancelTransfer(2))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryTransferState")
        .withArgs(2, TransferStatus.Refused);

      await f.registry.connect(f.companyA).proposeTransfer(f.id, f.companyB.address, CONTRACT_HASH);
      await f.registry.connect(f.companyA).cancelTransfer(3);
      await expect(f.registry.connect(f.companyA).cancelTransfer(3))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryTransferState")
        .withArgs(3, TransferStatus.Cancelled);
    });

    it("reverts with PatentRegistryUnknownTransfer for an unknown transfer", async () => {
      const f = await loadFixture(registryFixture);
      await expect(f.registry.connect(f.uniA).cancelTransfer(7))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryUnknownTransfer")
        .withArgs(7);
    });
  });

  describe("registerTransfer", () => {
    it("moves the patent, releases the lock and records the CNIPA reference and date", async () => {
      const f = await loadFixture(agreedFixture);
      const tx = f.registry.connect(f.registrar).registerTransfer(f.transferId, "CNIPA-ZR-2030-0001", TODAY);
      await expect(tx).to.emit(f.registry, "PatentUnlocked").withArgs(f.id, LOCK_TRANSFER_PENDING, await f.registry.getAddress());
      await expect(tx).to.emit(f.registry, "Transfer").withArgs(f.uniA.address, f.companyA.address, f.id);
      await expect(tx)
        .to.emit(f.registry, "TransferRegistered")
        .withArgs(f.transferId, f.id, f.companyA.address, f.uniA.address, "CNIPA-ZR-2030-0001", TODAY);
      expect(await f.registry.ownerOf(f.id)).to.equal(f.companyA.address);
      expect((await f.registry.patent(f.id)).owner).to.equal(f.companyA.address);
      expect(await f.registry.balanceOf(f.uniA.address)).to.equal(0n);
      expect(await f.registry.balanceOf(f.companyA.address)).to.equal(1n);
      expect((await f.registry.transferRecord(f.transferId)).status).to.equal(BigInt(TransferStatus.Registered));
      expect(await f.registry.pendingTransfer(f.id)).to.equal(0n);
      expect(await f.registry.isLocked(f.id, LOCK_TRANSFER_PENDING)).to.equal(false);
    });

    it("clears the previous owner's approval", async () => {
      const f = await loadFixture(proposedFixture);
      await f.registry.connect(f.uniA).approve(f.broker.address, f.id);
      expect(await f.registry.getApproved(f.id)).to.equal(f.broker.address);
      await f.registry.connect(f.companyA).acceptTransfer(f.transferId);
      await f.registry.connect(f.registrar).registerTransfer(f.transferId, "CNIPA-1", TODAY);
      expect(await f.registry.getApproved(f.id)).to.equal(ethers.ZeroAddress);
    });

    it("accepts a registration day between the agreement and today", async () => {
      const f = await loadFixture(agreedFixture);
      await time.increaseTo(FIXED_NOW + 5 * 86_400);
      await expect(f.registry.connect(f.registrar).registerTransfer(f.transferId, "CNIPA-1", TODAY + 2))
        .to.emit(f.registry, "TransferRegistered")
        .withArgs(f.transferId, f.id, f.companyA.address, f.uniA.address, "CNIPA-1", TODAY + 2);
    });

    it("reverts with PatentRegistryRegistrationDay for a day before the agreement", async () => {
      const f = await loadFixture(agreedFixture);
      await expect(f.registry.connect(f.registrar).registerTransfer(f.transferId, "CNIPA-1", TODAY - 1))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryRegistrationDay")
        .withArgs(f.transferId, TODAY - 1, TODAY, TODAY);
    });

    it("reverts with PatentRegistryRegistrationDay for a day after today", async () => {
      const f = await loadFixture(agreedFixture);
      await expect(f.registry.connect(f.registrar).registerTransfer(f.transferId, "CNIPA-1", TODAY + 1))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryRegistrationDay")
        .withArgs(f.transferId, TODAY + 1, TODAY, TODAY);
    });

    it("reverts with PatentRegistryTransferState for a transfer the buyer has not accepted", async () => {
      const f = await loadFixture(proposedFixture);
      await expect(f.registry.connect(f.registrar).registerTransfer(f.transferId, "CNIPA-1", TODAY))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryTransferState")
        .withArgs(f.transferId, TransferStatus.Proposed);
    });

    it("reverts with PatentRegistryTransferState for a transfer registered already", async () => {
      const f = await loadFixture(agreedFixture);
      await f.registry.connect(f.registrar).registerTransfer(f.transferId, "CNIPA-1", TODAY);
      await expect(f.registry.connect(f.registrar).registerTransfer(f.transferId, "CNIPA-1", TODAY))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryTransferState")
        .withArgs(f.transferId, TransferStatus.Registered);
    });

    it("reverts with PatentRegistryUnknownTransfer for an unknown transfer", async () => {
      const f = await loadFixture(registryFixture);
      await expect(f.registry.connect(f.registrar).registerTransfer(9, "CNIPA-1", TODAY))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryUnknownTransfer")
        .withArgs(9);
    });

    for (const status of [LegalStatus.Lapsed, LegalStatus.Invalidated, LegalStatus.Frozen]) {
      it(`reverts with PatentRegistryPatentNotActionable when the patent became ${LegalStatus[status]} after agreement`, async () => {
        const f = await loadFixture(agreedFixture);
        await f.registry.connect(f.registrar).setLegalStatus(f.id, status, "gazette");
        await expect(f.registry.connect(f.registrar).registerTransfer(f.transferId, "CNIPA-1", TODAY))
          .to.be.revertedWithCustomError(f.registry, "PatentRegistryPatentNotActionable")
          .withArgs(f.id, Act.Transfer, status);
      });
    }

    it("registers a transfer of a patent that came under invalidation proceedings", async () => {
      const f = await loadFixture(agreedFixture);
      await f.registry.connect(f.registrar).setLegalStatus(f.id, LegalStatus.UnderInvalidation, "request");
      await f.registry.connect(f.registrar).registerTransfer(f.transferId, "CNIPA-1", TODAY);
      expect(await f.registry.ownerOf(f.id)).to.equal(f.companyA.address);
    });

    it("reverts with PatentRegistryPatentNotActionable when the patent expired after agreement", async () => {
      const f = await loadFixture(registryFixture);
      const record = patentRecord(f.uniA.address, 3, { kind: PatentKind.UtilityModel, year: 2020, filing: "2020-02-29", grant: "2021-01-01" });
      await f.registry.connect(f.registrar).register(record);
      await f.registry.connect(f.uniA).proposeTransfer(record.number, f.companyA.address, CONTRACT_HASH);
      await f.registry.connect(f.companyA).acceptTransfer(1);
      const expiry = dayOf("2030-03-01");
      await time.increaseTo(cstMidnight(expiry));
      await expect(f.registry.connect(f.registrar).registerTransfer(1, "CNIPA-1", expiry - 1))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryPatentNotActionable")
        .withArgs(record.number, Act.Transfer, LegalStatus.Expired);
    });
  });

  describe("refuseTransfer", () => {
    it("leaves the owner unchanged, releases the lock and records the reason", async () => {
      const f = await loadFixture(agreedFixture);
      const tx = f.registry.connect(f.registrar).refuseTransfer(f.transferId, "contract not notarised");
      await expect(tx).to.emit(f.registry, "TransferRefused").withArgs(f.transferId, f.id, "contract not notarised");
      await expect(tx).to.emit(f.registry, "PatentUnlocked").withArgs(f.id, LOCK_TRANSFER_PENDING, await f.registry.getAddress());
      await expect(tx).to.not.emit(f.registry, "Transfer");
      expect(await f.registry.ownerOf(f.id)).to.equal(f.uniA.address);
      expect(await f.registry.balanceOf(f.uniA.address)).to.equal(1n);
      expect((await f.registry.transferRecord(f.transferId)).status).to.equal(BigInt(TransferStatus.Refused));
      expect(await f.registry.pendingTransfer(f.id)).to.equal(0n);
      expect(await f.registry.isLocked(f.id, LOCK_TRANSFER_PENDING)).to.equal(false);
    });

    it("reverts with PatentRegistryEmptyReason without a reason", async () => {
      const f = await loadFixture(agreedFixture);
      await expect(f.registry.connect(f.registrar).refuseTransfer(f.transferId, "")).to.be.revertedWithCustomError(
        f.registry,
        "PatentRegistryEmptyReason",
      );
    });

    it("reverts with PatentRegistryTransferState for a transfer not agreed", async () => {
      const f = await loadFixture(proposedFixture);
      await expect(f.registry.connect(f.registrar).refuseTransfer(f.transferId, "no"))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryTransferState")
        .withArgs(f.transferId, TransferStatus.Proposed);
    });

    it("reverts with PatentRegistryTransferState for a transfer refused already", async () => {
      const f = await loadFixture(agreedFixture);
      await f.registry.connect(f.registrar).refuseTransfer(f.transferId, "no");
      await expect(f.registry.connect(f.registrar).refuseTransfer(f.transferId, "no"))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryTransferState")
        .withArgs(f.transferId, TransferStatus.Refused);
    });

    it("reverts with PatentRegistryUnknownTransfer for an unknown transfer", async () => {
      const f = await loadFixture(registryFixture);
      await expect(f.registry.connect(f.registrar).refuseTransfer(4, "no"))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryUnknownTransfer")
        .withArgs(4);
    });
  });

  describe("ERC-721 transfers", () => {
    it("reverts with PatentRegistryDirectTransfer for transferFrom by the owner", async () => {
      const f = await loadFixture(onePatentFixture);
      await expect(f.registry.connect(f.uniA).transferFrom(f.uniA.address, f.companyA.address, f.id))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryDirectTransfer")
        .withArgs(f.id);
    });

    it("reverts with PatentRegistryDirectTransfer for both safeTransferFrom forms", async () => {
      const f = await loadFixture(onePatentFixture);
      const r = f.registry.connect(f.uniA);
      await expect(r["safeTransferFrom(address,address,uint256)"](f.uniA.address, f.companyA.address, f.id))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryDirectTransfer")
        .withArgs(f.id);
      await expect(r["safeTransferFrom(address,address,uint256,bytes)"](f.uniA.address, f.companyA.address, f.id, "0x"))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryDirectTransfer")
        .withArgs(f.id);
    });

    it("reverts with PatentRegistryDirectTransfer for an approved operator", async () => {
      const f = await loadFixture(onePatentFixture);
      await expect(f.registry.connect(f.uniA).setApprovalForAll(f.broker.address, true))
        .to.emit(f.registry, "ApprovalForAll")
        .withArgs(f.uniA.address, f.broker.address, true);
      await expect(f.registry.connect(f.uniA).approve(f.broker.address, f.id))
        .to.emit(f.registry, "Approval")
        .withArgs(f.uniA.address, f.broker.address, f.id);
      await expect(f.registry.connect(f.broker).transferFrom(f.uniA.address, f.broker.address, f.id))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryDirectTransfer")
        .withArgs(f.id);
    });

    it("reverts with PatentRegistryDirectTransfer even during a pending, agreed transfer", async () => {
      const f = await loadFixture(agreedFixture);
      await expect(f.registry.connect(f.uniA).transferFrom(f.uniA.address, f.companyA.address, f.id))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryDirectTransfer")
        .withArgs(f.id);
    });

    it("reverts with ERC721InvalidOwner for the balance of the zero address", async () => {
      const f = await loadFixture(registryFixture);
      await expect(f.registry.balanceOf(ethers.ZeroAddress))
        .to.be.revertedWithCustomError(f.registry, "ERC721InvalidOwner")
        .withArgs(ethers.ZeroAddress);
    });
  });

  describe("views", () => {
    it("answers the ERC-721 views for a registered patent", async () => {
      const f = await loadFixture(onePatentFixture);
      expect(await f.registry.ownerOf(f.id)).to.equal(f.uniA.address);
      expect(await f.registry.tokenURI(f.id)).to.equal("");
      expect(await f.registry.getApproved(f.id)).to.equal(ethers.ZeroAddress);
      expect(await f.registry.isApprovedForAll(f.uniA.address, f.broker.address)).to.equal(false);
      await f.registry.connect(f.uniA).setApprovalForAll(f.broker.address, true);
      expect(await f.registry.isApprovedForAll(f.uniA.address, f.broker.address)).to.equal(true);
      expect(await f.registry.isConsumingScheduledOp()).to.equal("0x00000000");
    });

    it("reverts with ERC721NonexistentToken for the ERC-721 views of an unregistered number", async () => {
      const f = await loadFixture(registryFixture);
      await expect(f.registry.ownerOf(8n)).to.be.revertedWithCustomError(f.registry, "ERC721NonexistentToken").withArgs(8n);
      await expect(f.registry.tokenURI(8n)).to.be.revertedWithCustomError(f.registry, "ERC721NonexistentToken").withArgs(8n);
      await expect(f.registry.getApproved(8n)).to.be.revertedWithCustomError(f.registry, "ERC721NonexistentToken").withArgs(8n);
    });

    it("reverts with PatentRegistryUnknownTransfer for transferRecord of an unknown transfer", async () => {
      const f = await loadFixture(registryFixture);
      await expect(f.registry.transferRecord(1)).to.be.revertedWithCustomError(f.registry, "PatentRegistryUnknownTransfer").withArgs(1);
    });

    it("reverts with PatentRegistryLockBitOutOfRange for lockModule above 15", async () => {
      const f = await loadFixture(registryFixture);
      await expect(f.registry.lockModule(16)).to.be.revertedWithCustomError(f.registry, "PatentRegistryLockBitOutOfRange").withArgs(16);
      expect(await f.registry.lockModule(15)).to.equal(ethers.ZeroAddress);
    });

    it("answers zero for the commitment root and pending transfer of unknown numbers", async () => {
      const f = await loadFixture(registryFixture);
      expect(await f.registry.commitmentRoot(123n)).to.equal(ethers.ZeroHash);
      expect(await f.registry.pendingTransfer(123n)).to.equal(0n);
    });
  });
});
