import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployFixture, patentRecord } from "../helpers/fixtures";
import { clientFor } from "./helpers";
import { confirm, decodeRevert, decodeRevertData, LedgerError, withRevertDecoding } from "../../server/client";
import { formatCnipaNumber } from "../../server/chain/cnipa";

async function caught(promise: Promise<unknown>): Promise<LedgerError> {
  try {
    await promise;
  } catch (err) {
    expect(err).to.be.instanceOf(LedgerError);
    return err as LedgerError;
  }
  throw new Error("expected a revert");
}

describe("client errors", () => {
  describe("decodeRevert", () => {
    it("decodes a registry error with its named arguments from estimateGas", async () => {
      const f = await loadFixture(deployFixture);
      const record = patentRecord(f.uniA.address, 1, { year: 2021 });
      const bad = { ...record, facts: { ...record.facts, checkDigit: (Number(record.facts.checkDigit) + 1) % 10 } };
      const err = await caught(withRevertDecoding(() => f.registry.connect(f.registrar).register(bad)));
      expect(err.errorName).to.equal("PatentRegistryCheckDigitMismatch");
      expect(err.args).to.deep.equal({
        number: BigInt(record.number),
        given: BigInt(bad.facts.checkDigit),
        expected: BigInt(record.facts.checkDigit),
      });
      expect(err.signature).to.equal("PatentRegistryCheckDigitMismatch(uint64,uint8,uint8)");
      expect(err.message).to.equal(
        `PatentRegistryCheckDigitMismatch(number=${record.number}, given=${bad.facts.checkDigit}, expected=${record.facts.checkDigit})`,
      );
    });

    it("decodes a registry error raised by a client write", async () => {
      const f = await loadFixture(deployFixture);
      const record = patentRecord(f.uniA.address, 2);
      await f.registry.connect(f.registrar).register(record);
      const client = await clientFor(f, f.registrar);
      const err = await caught(client.setLegalStatus(formatCnipaNumber(BigInt(record.number)), "valid", "restored"));
      expect(err.errorName).to.equal("PatentRegistryStatusUnchanged");
      expect(err.message).to.equal(`PatentRegistryStatusUnchanged(patentId=${record.number}, status=Valid(0))`);
    });

    it("decodes a registry error raised by an eth_call", async () => {
      const f = await loadFixture(deployFixture);
      const client = await clientFor(f);
      const err = await caught(client.getPatent("ZL202110234567.5"));
      expect(err.errorName).to.equal("PatentRegistryUnknownPatent");
      expect(err.args).to.deep.equal({ patentId: 202110234567n });
    });

    it("decodes AccessManagedUnauthorized for a caller without the role", async () => {
      const f = await loadFixture(deployFixture);
      const record = patentRecord(f.uniA.address, 3);
      await f.registry.connect(f.registrar).register(record);
      const client = await clientFor(f, f.stranger);
      const err = await caught(client.setLegalStatus(formatCnipaNumber(BigInt(record.number)), "lapsed", "annual fee unpaid"));
      expect(err.errorName).to.equal("AccessManagedUnauthorized");
      expect(err.args).to.deep.equal({ caller: f.stranger.address });
      expect(err.message).to.equal(`AccessManagedUnauthorized(caller=${f.stranger.address})`);
    });

    it("decodes an AccessManager error", async () => {
      const f = await loadFixture(deployFixture);
      const err = await caught(withRevertDecoding(() => f.accessManager.connect(f.stranger).grantRole(1n, f.stranger.address, 0)));
      expect(err.errorName).to.equal("AccessManagerUnauthorizedAccount");
      expect(err.args).to.deep.equal({ msgsender: f.stranger.address, roleId: 0n });
    });

    it("decodes an ERC-721 error", async () => {
      const f = await loadFixture(deployFixture);
      const err = await caught(withRevertDecoding(() => f.registry.ownerOf(202110234567n)));
      expect(err.errorName).to.equal("ERC721NonexistentToken");
      expect(err.message).to.equal("ERC721NonexistentToken(tokenId=202110234567)");
    });

    it("reports an error no ledger ABI knows by its selector, never its raw data", () => {
      const data = ethers.id("SomeoneElsesError(uint256)").slice(0, 10) + "00".repeat(31) + "2a";
      const nested = Object.assign(new Error("execution reverted"), { code: "CALL_EXCEPTION", info: { error: { data } } });
      const err = decodeRevert(nested);
      expect(err).to.be.instanceOf(LedgerError);
      expect((err as LedgerError).errorName).to.equal("UnknownError");
      expect((err as LedgerError).selector).to.equal(data.slice(0, 10));
      expect((err as LedgerError).message).to.not.include(data.slice(10));
    });

    it("decodes the built-in Error(string) and Panic(uint256)", () => {
      const iface = new ethers.Interface(["error Error(string)", "error Panic(uint256)"]);
      const error = decodeRevertData(iface.encodeErrorResult("Error", ["no"]));
      expect(error.errorName).to.equal("Error");
      expect(error.args).to.deep.equal({ message: "no" });
      const panic = decodeRevertData(iface.encodeErrorResult("Panic", [0x11]));
      expect(panic.errorName).to.equal("Panic");
      expect(panic.message).to.equal("Panic(code=0x11: arithmetic overflow or underflow)");
    });

    it("reports a revert without data as Reverted", () => {
      const err = decodeRevert(Object.assign(new Error("transaction reverted"), { code: "CALL_EXCEPTION", data: "0x" }));
      expect((err as LedgerError).errorName).to.equal("Reverted");
    });

    it("leaves errors that are not reverts unchanged", () => {
      const network = new Error("connect ECONNREFUSED 127.0.0.1:8545");
      expect(decodeRevert(network)).to.equal(network);
    });
  });
});

describe("client receipts", () => {
  describe("confirm", () => {
    it("recovers the custom error of a transaction mined with status 0", async () => {
      const f = await loadFixture(deployFixture);
      const record = patentRecord(f.uniA.address, 4);
      await ethers.provider.send("evm_setAutomine", [false]);
      try {
        // An explicit gas limit skips estimation: the revert surfaces only in the receipt.
        const tx = await f.registry.connect(f.stranger).register(record, { gasLimit: 1_000_000 });
        await ethers.provider.send("evm_mine", []);
        const err = await caught(confirm(tx, ethers.provider));
        expect(err.errorName).to.equal("AccessManagedUnauthorized");
        expect(err.args).to.deep.equal({ caller: f.stranger.address });
      } finally {
        await ethers.provider.send("evm_setAutomine", [true]);
      }
    });
  });
});
