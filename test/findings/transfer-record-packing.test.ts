import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployFixture, patentRecord } from "../helpers/fixtures";
import { checkDigitOf } from "../../server/chain/cnipa";
import { TransferStatus } from "../../server/chain/roles";

/**
 * Finding: TransferRecord {uint64 patentId, status, uint32 agreedDay, address from, ...} was stored as
 * declared; its first four fields take 33 bytes, one too many for a slot, so `from` spilled into a slot of
 * its own and every proposal wrote four fresh slots instead of three (proposeTransfer 154,271 gas).
 * Fixed: the registry stores a private StoredTransfer (from, uint40 patentId, status, agreedDay in one
 * slot) and `transferRecord` still answers the TransferRecord of the interface. proposeTransfer: 132,170.
 */
describe("PatentRegistry (finding: transfer record packing)", () => {
  async function twoPatentsFixture() {
    const f = await deployFixture();
    const records = [patentRecord(f.uniA.address, 1), patentRecord(f.uniA.address, 2)];
    await f.registry.connect(f.registrar).registerBatch(records);
    // The ledger's first transfer pays for the counter's slot; measure the next one.
    await f.registry.connect(f.uniA).proposeTransfer(records[1]!.number, f.companyA.address, ethers.ZeroHash);
    return { ...f, id: records[0]!.number };
  }

  it("writes three fresh slots for a proposal (gas below 135,000)", async () => {
    const f = await loadFixture(twoPatentsFixture);
    const tx = await f.registry.connect(f.uniA).proposeTransfer(f.id, f.companyA.address, ethers.id("contract"));
    const receipt = await tx.wait();
    expect(receipt?.gasUsed).to.be.lessThan(135_000n);
  });

  it("keeps the largest 12-digit application number intact in the packed record", async () => {
    const f = await loadFixture(twoPatentsFixture);
    // A PCT number (kind digit 8) carries the year of entry, so year 9999 registers with a 2019 filing.
    const digits = "999989999999";
    const base = patentRecord(f.uniB.address, 3);
    const record = { ...base, number: BigInt(digits), facts: { ...base.facts, checkDigit: checkDigitOf(digits) } };
    await f.registry.connect(f.registrar).register(record);
    await f.registry.connect(f.uniB).proposeTransfer(record.number, f.companyB.address, ethers.id("c"));
    await f.registry.connect(f.companyB).acceptTransfer(2);
    const t = await f.registry.transferRecord(2);
    expect([t.patentId, t.status, t.from, t.to, t.initiator, t.contractHash]).to.deep.equal([
      BigInt(digits),
      BigInt(TransferStatus.Agreed),
      f.uniB.address,
      f.companyB.address,
      ethers.ZeroAddress,
      ethers.id("c"),
    ]);
    expect(t.agreedDay).to.be.greaterThan(0n);
  });
});
