import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { Act, LockBits } from "../../server/chain/roles";
import { splitFees } from "../../server/chain/exchange";
import { CHENGDU_FEE, PRICE, exchangeFixture, licenceParams, list, saleParams, today } from "./fixtures";

const Route = { EarlyRepayment: 0, Escrow: 1 } as const;

/** uniA's fifth patent pledged to bankA (registered). */
async function pledgedFixture() {
  const f = await exchangeFixture();
  const patentId = f.ids[4]!;
  const day = await today();
  await f.pledges.connect(f.bankA).proposePledge(
    {
      pledgee: f.bankA.address,
      securedAmount: 5_000_000n,
      currency: "0x434e59",
      termEndDay: day + 365,
      contractHash: ethers.id("pledge-1"),
      loanReference: "CDB-2026-0001",
    },
    [{ patentId, pledgor: f.uniA.address }],
  );
  const pledgeId = await f.pledges.pledgeCount();
  await f.pledges.connect(f.uniA).consentPledge(pledgeId);
  await f.pledges.connect(f.registrar).registerPledge(pledgeId, "Y2026510000001", day);
  return { ...f, patentId, pledgeId };
}

describe("Exchange", () => {
  describe("pledged patents", () => {
    it("reverts with PledgesConsentRequired when listing without the pledgee's consent", async () => {
      const f = await loadFixture(pledgedFixture);
      await expect(f.exchange.connect(f.uniA).list(await saleParams(f, f.patentId)))
        .to.be.revertedWithCustomError(f.pledges, "PledgesConsentRequired")
        .withArgs(f.pledgeId, f.patentId, Act.List, ethers.ZeroAddress);
    });

    it("pays the seller's net to the pledgee when the consented sale is registered (early repayment)", async () => {
      const f = await loadFixture(pledgedFixture);
      await f.pledges.connect(f.bankA).consent(f.pledgeId, f.patentId, Act.List, ethers.ZeroAddress, Route.EarlyRepayment);
      await f.pledges.connect(f.bankA).consent(f.pledgeId, f.patentId, Act.Transfer, ethers.ZeroAddress, Route.EarlyRepayment);
      const listing = await list(f, f.uniA, await saleParams(f, f.patentId));
      await f.exchange.connect(f.companyA).buy(listing, f.chongqing.address, ethers.ZeroAddress, PRICE);
      expect((await f.exchange.sale(1n)).payee).to.equal(f.bankA.address);
      const tx = f.registry.connect(f.registrar).registerTransfer(1n, "ZR2026002", await today());
      const s = splitFees(PRICE, CHENGDU_FEE, 0, 0, false);
      await expect(tx)
        .to.emit(f.exchange, "ProceedsCredited")
        .withArgs(listing.listingId, f.tokenAddress, [
          f.bankA.address,
          s.seller,
          false,
          f.chengdu.address,
          s.listingVenue,
          f.chongqing.address,
          s.buyerVenue,
          ethers.ZeroAddress,
          0n,
          ethers.ZeroAddress,
          0n,
        ]);
      await expect(tx).to.emit(f.pledges, "PatentLeftPledge").withArgs(f.pledgeId, f.patentId, f.companyA.address);
      expect(await f.exchange.balanceOf(f.bankA.address, f.tokenAddress)).to.equal(s.seller);
      expect(await f.exchange.balanceOf(f.uniA.address, f.tokenAddress)).to.equal(0n);
      expect(await f.registry.ownerOf(f.patentId)).to.equal(f.companyA.address);
    });

    it("deposits the seller's net with the Pledges contract when the consent routes proceeds to escrow", async () => {
      const f = await loadFixture(pledgedFixture);
      await f.pledges.connect(f.bankA).consent(f.pledgeId, f.patentId, Act.List, ethers.ZeroAddress, Route.Escrow);
      await f.pledges.connect(f.bankA).consent(f.pledgeId, f.patentId, Act.Licence, f.companyA.address, Route.Escrow);
      const listing = await list(f, f.uniA, await licenceParams(f, f.patentId));
      const s = splitFees(PRICE, CHENGDU_FEE, 0, 0, false);
      const pledgesAddress = await f.pledges.getAddress();
      const tx = f.exchange.connect(f.companyA).buy(listing, f.chongqing.address, ethers.ZeroAddress, PRICE);
      await expect(tx)
        .to.emit(f.pledges, "ProceedsEscrowed")
        .withArgs(f.pledgeId, f.patentId, f.tokenAddress, f.uniA.address, f.exchangeAddress, s.seller);
      await expect(tx).to.changeTokenBalances(f.token, [f.companyA, f.exchange, f.pledges], [-PRICE, PRICE - s.seller, s.seller]);
      await expect(tx)
        .to.emit(f.exchange, "ProceedsCredited")
        .withArgs(listing.listingId, f.tokenAddress, [
          pledgesAddress,
          s.seller,
          true,
          f.chengdu.address,
          s.listingVenue,
          f.chongqing.address,
          s.buyerVenue,
          ethers.ZeroAddress,
          0n,
          ethers.ZeroAddress,
          0n,
        ]);
      expect(await f.pledges.escrowed(f.pledgeId, f.tokenAddress, f.uniA.address)).to.equal(s.seller);
      expect((await f.licensing.licence(1n)).proceedsTo).to.equal(pledgesAddress);
    });

    it("deposits a registered sale's net in escrow for the pledge", async () => {
      const f = await loadFixture(pledgedFixture);
      await f.pledges.connect(f.bankA).consent(f.pledgeId, f.patentId, Act.List, ethers.ZeroAddress, Route.Escrow);
      await f.pledges.connect(f.bankA).consent(f.pledgeId, f.patentId, Act.Transfer, f.companyB.address, Route.Escrow);
      const listing = await list(f, f.uniA, await saleParams(f, f.patentId));
      await f.exchange.connect(f.companyB).buy(listing, f.chengdu.address, ethers.ZeroAddress, PRICE);
      const s = splitFees(PRICE, CHENGDU_FEE, 0, 0, true);
      await expect(f.registry.connect(f.registrar).registerTransfer(1n, "ZR2026003", await today()))
        .to.emit(f.pledges, "ProceedsEscrowed")
        .withArgs(f.pledgeId, f.patentId, f.tokenAddress, f.uniA.address, f.exchangeAddress, s.seller);
      expect(await f.token.balanceOf(f.exchangeAddress)).to.equal(s.listingVenue);
    });

    it("reverts with PledgesConsentRequired when the buyer is not the one the pledgee consented to", async () => {
      const f = await loadFixture(pledgedFixture);
      await f.pledges.connect(f.bankA).consent(f.pledgeId, f.patentId, Act.List, ethers.ZeroAddress, Route.Escrow);
      await f.pledges.connect(f.bankA).consent(f.pledgeId, f.patentId, Act.Transfer, f.companyB.address, Route.Escrow);
      const listing = await list(f, f.uniA, await saleParams(f, f.patentId));
      await expect(f.exchange.connect(f.companyA).buy(listing, f.chengdu.address, ethers.ZeroAddress, PRICE))
        .to.be.revertedWithCustomError(f.pledges, "PledgesConsentRequired")
        .withArgs(f.pledgeId, f.patentId, Act.Transfer, f.companyA.address);
    });

    it("reverts with ExchangePatentListed when the pledgee starts a disposal of a listed patent", async () => {
      const f = await loadFixture(pledgedFixture);
      await f.pledges.connect(f.bankA).consent(f.pledgeId, f.patentId, Act.List, ethers.ZeroAddress, Route.Escrow);
      await list(f, f.uniA, await saleParams(f, f.patentId));
      // any account standing in for the disposal module (the AuctionHouse on its own branch)
      await f.registry.connect(f.admin).setLockModule(LockBits.DISPOSAL, f.admin.address);
      await expect(f.pledges.connect(f.bankA).startDisposal(f.pledgeId, [f.patentId], [1n], f.tokenAddress, 0n))
        .to.be.revertedWithCustomError(f.exchange, "ExchangePatentListed")
        .withArgs(f.patentId, Act.Transfer);
    });
  });
});
