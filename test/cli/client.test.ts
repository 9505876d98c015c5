import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployFixture, patentRecord } from "../helpers/fixtures";
import { clientFor } from "./helpers";
import { LedgerError, type InventoryInput, type PatentInput } from "../../server/client";
import { chinaDayOf, formatCnipaNumber, isoOfDay, makeCnipaNumber, parseCnipaNumber } from "../../server/chain/cnipa";
import { PatentKind } from "../../server/chain/roles";

const INVENTORY: InventoryInput = { readiness: 6, willing: true, modes: ["transfer", "licence"], selfScore: 80, unitScore: 70, scenarios: ["newEnergy"] };

function input(holder: string, overrides: Partial<PatentInput> = {}): PatentInput {
  return {
    number: makeCnipaNumber(2021, 1, 234567),
    holder,
    title: "一种固态电解质及其制备方法",
    ipc: ["H01M 10/0562"],
    filingDate: "2021-03-01",
    grantDate: "2023-05-09",
    inventory: INVENTORY,
    ...overrides,
  };
}

async function chainToday(): Promise<string> {
  const block = await ethers.provider.getBlock("latest");
  return isoOfDay(chinaDayOf(block!.timestamp));
}

describe("createLedgerClient", () => {
  describe("registerPatent and getPatent", () => {
    it("registers a patent and reads it back with names and ISO dates", async () => {
      const f = await loadFixture(deployFixture);
      const client = await clientFor(f, f.registrar);
      const patent = input(f.uniA.address);
      await client.registerPatent(patent);
      const view = await client.getPatent(patent.number);
      expect(view).to.deep.include({
        number: patent.number,
        id: parseCnipaNumber(patent.number).number,
        owner: f.uniA.address,
        kind: "invention",
        status: "valid",
        storedStatus: "valid",
        filingDate: "2021-03-01",
        grantDate: "2023-05-09",
        expiryDate: "2041-03-01",
        locks: [],
        pendingTransfer: null,
      });
      expect(view.record).to.deep.include({ title: patent.title, ipc: patent.ipc, inventory: INVENTORY });
    });

    it("derives `expired` once the term has run", async () => {
      const f = await loadFixture(deployFixture);
      const client = await clientFor(f, f.registrar);
      const number = makeCnipaNumber(2010, 2, 123456);
      await client.registerPatent(input(f.uniA.address, { number, filingDate: "2010-04-02", grantDate: "2011-01-05" }));
      const view = await client.getPatent(number);
      expect(view).to.deep.include({ kind: "utility-model", status: "expired", storedStatus: "valid", expiryDate: "2020-04-02" });
    });
  });

  describe("transfers", () => {
    it("proposes, accepts and registers, with the pending transfer and lock shown meanwhile", async () => {
      const f = await loadFixture(deployFixture);
      const record = patentRecord(f.uniA.address, 21);
      await f.registry.connect(f.registrar).register(record);
      const number = formatCnipaNumber(BigInt(record.number));
      const owner = await clientFor(f, f.uniA);
      const { transferId } = await owner.proposeTransfer(number, f.companyA.address, ethers.id("contract"));
      expect(transferId).to.equal(1n);
      await (await clientFor(f, f.companyA)).acceptTransfer(transferId);
      const pending = await owner.getPatent(number);
      expect(pending.locks).to.deep.equal(["transfer-pending"]);
      expect(pending.pendingTransfer).to.deep.equal({
        id: 1n,
        patent: number,
        status: "agreed",
        agreedDate: await chainToday(),
        from: f.uniA.address,
        to: f.companyA.address,
        initiator: null,
        contractHash: ethers.id("contract"),
      });
      await (await clientFor(f, f.registrar)).registerTransfer(transferId, "CNIPA-2026-0001");
      const moved = await owner.getPatent(number);
      expect(moved).to.deep.include({ owner: f.companyA.address, locks: [], pendingTransfer: null });
      expect((await owner.getTransfer(transferId)).status).to.equal("registered");
    });

    it("leaves the owner unchanged when registration is refused, and lets a party cancel", async () => {
      const f = await loadFixture(deployFixture);
      const record = patentRecord(f.uniA.address, 22);
      await f.registry.connect(f.registrar).register(record);
      const number = formatCnipaNumber(BigInt(record.number));
      const owner = await clientFor(f, f.uniA);
      const first = await owner.proposeTransfer(number, f.companyA.address, ethers.ZeroHash);
      await (await clientFor(f, f.companyA)).acceptTransfer(first.transferId);
      await (await clientFor(f, f.registrar)).refuseTransfer(first.transferId, "合同主体不符");
      expect((await owner.getTransfer(first.transferId)).status).to.equal("refused");
      expect((await owner.getPatent(number)).owner).to.equal(f.uniA.address);
      const second = await owner.proposeTransfer(number, f.companyB.address, ethers.ZeroHash);
      await owner.cancelTransfer(second.transferId);
      expect((await owner.getTransfer(second.transferId)).status).to.equal("cancelled");
    });
  });

  describe("evaluations and inventory", () => {
    it("records a market evaluation and an inventory update", async () => {
      const f = await loadFixture(deployFixture);
      const record = patentRecord(f.uniA.address, 23);
      await f.registry.connect(f.registrar).register(record);
      const number = formatCnipaNumber(BigInt(record.number));
      const evaluation = await (await clientFor(f, f.evaluator)).recordMarketEvaluation(number, {
        interest: 80,
        improvementNeed: 20,
        cooperationWillingness: 90,
        reportHash: ethers.ZeroHash,
      });
      expect(evaluation.evaluationId).to.equal(1n);
      const owner = await clientFor(f, f.uniA);
      const updated: InventoryInput = { ...INVENTORY, readiness: 8, modes: ["equity"], scenarios: ["biomedicine", "medicalDevices"] };
      await owner.updateInventory(number, updated);
      expect((await owner.getPatent(number)).record!.inventory).to.deep.equal(updated);
    });
  });

  describe("read-only client", () => {
    it("refuses to sign without a signer", async () => {
      const f = await loadFixture(deployFixture);
      const client = await clientFor(f);
      let error: unknown;
      try {
        await client.setLegalStatus("ZL202110234567.5", "lapsed", "fee");
      } catch (err) {
        error = err;
      }
      expect(error).to.be.instanceOf(Error).and.not.instanceOf(LedgerError);
      expect((error as Error).message).to.match(/connect the client with a signer/);
    });

    it("tells which patents are registered", async () => {
      const f = await loadFixture(deployFixture);
      const record = patentRecord(f.uniA.address, 24, { kind: PatentKind.UtilityModel });
      await f.registry.connect(f.registrar).register(record);
      const client = await clientFor(f);
      const found = await client.registeredAmong([BigInt(record.number), 202110234567n]);
      expect([...found]).to.deep.equal([BigInt(record.number)]);
    });
  });
});
