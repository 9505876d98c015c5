import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployFixture } from "../helpers/fixtures";

/**
 * Finding: acceptTransfer and cancelTransfer of a transfer id never opened reverted with
 * PatentRegistryTransferState(id, 0) (status None), while registerTransfer, refuseTransfer and
 * transferRecord said PatentRegistryUnknownTransfer(id). Clients decoding errors saw two answers to one
 * problem. Fixed: every transfer entry point names an unknown id with PatentRegistryUnknownTransfer.
 */
describe("PatentRegistry (finding: unknown transfer ids)", () => {
  it("reverts with PatentRegistryUnknownTransfer when accepting a transfer never opened", async () => {
    const f = await loadFixture(deployFixture);
    await expect(f.registry.connect(f.companyA).acceptTransfer(1))
      .to.be.revertedWithCustomError(f.registry, "PatentRegistryUnknownTransfer")
      .withArgs(1);
  });

  it("reverts with PatentRegistryUnknownTransfer when cancelling a transfer never opened", async () => {
    const f = await loadFixture(deployFixture);
    await expect(f.registry.connect(f.uniA).cancelTransfer(1))
      .to.be.revertedWithCustomError(f.registry, "PatentRegistryUnknownTransfer")
      .withArgs(1);
  });
});
