import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { Act } from "../../server/chain/roles";
import { ProceedsRoute } from "../../server/chain/financing";
import { financingFixture, pledgeOf, today, type FinancingFixture } from "../financing/fixtures";
import { licenceTerms, openTerms } from "../licensing/fixture";

/** Licence fees on a pledged patent, where licensing and pledges meet. */
async function escrowFixture() {
  const f = await financingFixture();
  const royalties = await f.royalties.getAddress();
  for (const payer of [f.companyA, f.companyB]) await f.token.connect(payer).approve(royalties, ethers.MaxUint256);
  const patentId = f.ids[0]!;
  const pledgeId = await pledgeOf(f, [{ patentId, pledgor: f.uniA.address }]);
  return { ...f, patentId, pledgeId, day: await today(), tokenAddress: await f.token.getAddress() };
}

async function balances(f: FinancingFixture, accounts: string[]): Promise<bigint[]> {
  return Promise.all(accounts.map((a) => f.token.balanceOf(a)));
}

describe("Licence fees on a pledged patent", () => {
  it("deposits the fee of a licence whose consent escrows proceeds with the pledge (ProceedsEscrowed)", async () => {
    const f = await loadFixture(escrowFixture);
    const pledges = await f.pledges.getAddress();
    await f.pledges.connect(f.bankA).consent(f.pledgeId, f.patentId, Act.Licence, f.companyA.address, ProceedsRoute.Escrow);
    await f.licensing.connect(f.uniA).grant(f.patentId, licenceTerms(f.companyA.address, f.tokenAddress, f.day));
    const tx = f.royalties.connect(f.companyA).payFee(1n);
    await expect(tx)
      .to.emit(f.pledges, "ProceedsEscrowed")
      .withArgs(f.pledgeId, f.patentId, f.tokenAddress, f.uniA.address, await f.royalties.getAddress(), 100_000n);
    expect(await f.pledges.escrowed(f.pledgeId, f.tokenAddress, f.uniA.address)).to.equal(100_000n);
    expect(await f.token.balanceOf(pledges)).to.equal(100_000n);
    expect(await f.token.balanceOf(await f.royalties.getAddress())).to.equal(0n);
  });

  it("returns the escrowed fee to the pledgor when the pledge is released", async () => {
    const f = await loadFixture(escrowFixture);
    await f.pledges.connect(f.bankA).consent(f.pledgeId, f.patentId, Act.Licence, f.companyA.address, ProceedsRoute.Escrow);
    await f.licensing.connect(f.uniA).grant(f.patentId, licenceTerms(f.companyA.address, f.tokenAddress, f.day));
    await f.royalties.connect(f.companyA).payFee(1n);
    const [before] = await balances(f, [f.uniA.address]);
    await f.pledges.connect(f.bankA).releasePledge(f.pledgeId);
    expect(await f.token.balanceOf(f.uniA.address)).to.equal(before! + 100_000n);
    expect(await f.token.balanceOf(await f.pledges.getAddress())).to.equal(0n);
  });

  it("pays the fee of a licence consented for early repayment to the pledgee", async () => {
    const f = await loadFixture(escrowFixture);
    await f.pledges
      .connect(f.bankA)
      .consent(f.pledgeId, f.patentId, Act.Licence, f.companyA.address, ProceedsRoute.EarlyRepayment);
    await f.licensing.connect(f.uniA).grant(f.patentId, licenceTerms(f.companyA.address, f.tokenAddress, f.day));
    const [bank] = await balances(f, [f.bankA.address]);
    await f.royalties.connect(f.companyA).payFee(1n);
    expect(await f.token.balanceOf(f.bankA.address)).to.equal(bank! + 100_000n);
  });

  it("lets every taker of an open licence use the pledgee's standing consent, each fee escrowed", async () => {
    const f = await loadFixture(escrowFixture);
    await f.pledges.connect(f.bankA).consent(f.pledgeId, f.patentId, Act.OpenLicence, ethers.ZeroAddress, ProceedsRoute.Escrow);
    await f.licensing.connect(f.uniA).declareOpenLicence(f.patentId, openTerms(f.tokenAddress));
    await f.licensing.connect(f.companyA).takeOpenLicence(f.patentId, 50_000n);
    await f.licensing.connect(f.companyB).takeOpenLicence(f.patentId, 50_000n);
    expect(await f.pledges.escrowed(f.pledgeId, f.tokenAddress, f.uniA.address)).to.equal(100_000n);
    expect(await f.token.balanceOf(await f.pledges.getAddress())).to.equal(100_000n);
  });

  it("refuses a taker of an open licence declared before the pledge, without the pledgee's consent", async () => {
    const f = await loadFixture(financingFixture);
    const tokenAddress = await f.token.getAddress();
    await f.token.connect(f.companyA).approve(await f.royalties.getAddress(), ethers.MaxUint256);
    const patentId = f.ids[0]!;
    await f.licensing.connect(f.uniA).declareOpenLicence(patentId, openTerms(tokenAddress));
    const pledgeId = await pledgeOf(f, [{ patentId, pledgor: f.uniA.address }]);
    await expect(f.licensing.connect(f.companyA).takeOpenLicence(patentId, 50_000n))
      .to.be.revertedWithCustomError(f.pledges, "PledgesConsentRequired")
      .withArgs(pledgeId, patentId, Act.OpenLicence, f.companyA.address);
  });
});
