import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployFixture, patentRecord } from "../helpers/fixtures";

describe("PatentRegistry (smoke)", () => {
  it("registers a patent to its holder", async () => {
    const f = await loadFixture(deployFixture);
    const record = patentRecord(f.uniA.address, 1);
    await f.registry.connect(f.registrar).register(record);
    expect(await f.registry.ownerOf(record.number)).to.equal(f.uniA.address);
  });
});
