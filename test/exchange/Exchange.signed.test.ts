import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import { ListingKind, ListingStatus, OFFER_TYPES, TradePath, exchangeDomain } from "../../server/chain/exchange";
import { Exchange__factory } from "../../typechain-types";
import { CHENGDU_FEE, exchangeFixture, list, saleParams, licenceParams, signOffer, signedOffer } from "./fixtures";

/** secp256k1 group order: s and n - s give the same signer (malleability). */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

async function listedFixture() {
  const f = await exchangeFixture();
  const listing = await list(f, f.uniA, await licenceParams(f, f.ids[1]!));
  const sale = await list(f, f.uniA, await saleParams(f, f.ids[0]!));
  return { ...f, listing, sale };
}

describe("Exchange", () => {
  describe("acceptSignedOffer", () => {
    it("settles a licence on a buyer's signature, pulling the buyer's funds", async () => {
      const f = await loadFixture(listedFixture);
      const offer = await signedOffer(f, f.listing, f.companyA, { broker: f.brokerB.address });
      const signature = await signOffer(f.companyA, f.exchangeAddress, offer);
      const digest = await f.exchange.hashSignedOffer(offer);
      expect(digest).to.equal(
        ethers.TypedDataEncoder.hash(exchangeDomain(31337n, f.exchangeAddress), OFFER_TYPES, offer),
      );
      const tx = f.exchange.connect(f.uniA).acceptSignedOffer(f.listing, offer, signature);
      await expect(tx)
        .to.emit(f.exchange, "SignedOfferAccepted")
        .withArgs(f.listing.listingId, f.companyA.address, 0n, digest);
      await expect(tx)
        .to.emit(f.exchange, "ListingSettled")
        .withArgs(f.listing.listingId, f.ids[1]!, f.companyA.address, [
          ListingKind.Licence,
          TradePath.SignedOffer,
          0n,
          f.chongqing.address,
          f.brokerB.address,
          CHENGDU_FEE,
          0,
          2_000,
          f.tokenAddress,
          offer.price,
          1n,
        ]);
      await expect(tx).to.changeTokenBalances(f.token, [f.companyA, f.exchange], [-offer.price, offer.price]);
      expect(await f.exchange.isNonceUsed(f.companyA.address, 0n)).to.equal(true);
      expect(await f.exchange.listingStatus(f.listing)).to.equal(ListingStatus.Settled);
    });

    it("agrees a patent sale on a signature and escrows the price", async () => {
      const f = await loadFixture(listedFixture);
      const offer = await signedOffer(f, f.sale, f.companyB);
      const signature = await signOffer(f.companyB, f.exchangeAddress, offer);
      const tx = f.exchange.connect(f.uniA).acceptSignedOffer(f.sale, offer, signature);
      await expect(tx).to.emit(f.registry, "TransferAgreed").withArgs(1n, f.ids[0]!, f.companyB.address, f.exchangeAddress, anyValue);
      await expect(tx).to.changeTokenBalances(f.token, [f.companyB, f.exchange], [-offer.price, offer.price]);
      expect((await f.exchange.sale(1n)).price).to.equal(offer.price);
      expect(await f.exchange.listingStatus(f.sale)).to.equal(ListingStatus.Pending);
    });

    it("reverts with ExchangeNonceUsed when a signature is replayed", async () => {
      const f = await loadFixture(listedFixture);
      const offer = await signedOffer(f, f.sale, f.companyA);
      const signature = await signOffer(f.companyA, f.exchangeAddress, offer);
      await f.exchange.connect(f.uniA).acceptSignedOffer(f.sale, offer, signature);
      await f.registry.connect(f.registrar).refuseTransfer(1n, "refused");
      const relisted = await list(f, f.uniA, await saleParams(f, f.ids[0]!));
      const again = { ...offer, listingId: BigInt(relisted.listingId) };
      await expect(f.exchange.connect(f.uniA).acceptSignedOffer(relisted, again, await signOffer(f.companyA, f.exchangeAddress, again)))
        .to.be.revertedWithCustomError(f.exchange, "ExchangeNonceUsed")
        .withArgs(f.companyA.address, 0n);
    });

    it("reverts with ExchangeInvalidSigner for a signature under another chain id", async () => {
      const f = await loadFixture(listedFixture);
      const offer = await signedOffer(f, f.listing, f.companyA);
      const signature = await signOffer(f.companyA, f.exchangeAddress, offer, 1n);
      const recovered = ethers.verifyTypedData(exchangeDomain(31337n, f.exchangeAddress), OFFER_TYPES, offer, signature);
      await expect(f.exchange.connect(f.uniA).acceptSignedOffer(f.listing, offer, signature))
        .to.be.revertedWithCustomError(f.exchange, "ExchangeInvalidSigner")
        .withArgs(f.companyA.address, recovered);
    });

    it("reverts with ExchangeInvalidSigner for a signature for another exchange contract", async () => {
      const f = await loadFixture(listedFixture);
      const other = await new Exchange__factory(f.admin).deploy(
        await f.accessManager.getAddress(),
        await f.registry.getAddress(),
        await f.licensing.getAddress(),
        await f.venues.getAddress(),
      );
      const offer = await signedOffer(f, f.listing, f.companyA);
      const signature = await signOffer(f.companyA, await other.getAddress(), offer);
      const recovered = ethers.verifyTypedData(exchangeDomain(31337n, f.exchangeAddress), OFFER_TYPES, offer, signature);
      await expect(f.exchange.connect(f.uniA).acceptSignedOffer(f.listing, offer, signature))
        .to.be.revertedWithCustomError(f.exchange, "ExchangeInvalidSigner")
        .withArgs(f.companyA.address, recovered);
    });

    it("reverts with ExchangeInvalidSigner when the terms were changed after signing", async () => {
      const f = await loadFixture(listedFixture);
      const offer = await signedOffer(f, f.listing, f.companyA);
      const signature = await signOffer(f.companyA, f.exchangeAddress, offer);
      const cheaper = { ...offer, price: offer.price - 1n };
      const recovered = ethers.verifyTypedData(exchangeDomain(31337n, f.exchangeAddress), OFFER_TYPES, cheaper, signature);
      await expect(f.exchange.connect(f.uniA).acceptSignedOffer(f.listing, cheaper, signature))
        .to.be.revertedWithCustomError(f.exchange, "ExchangeInvalidSigner")
        .withArgs(f.companyA.address, recovered);
    });

    it("reverts with ECDSAInvalidSignatureS for the malleable twin of a valid signature", async () => {
      const f = await loadFixture(listedFixture);
      const offer = await signedOffer(f, f.listing, f.companyA);
      const sig = ethers.Signature.from(await signOffer(f.companyA, f.exchangeAddress, offer));
      const highS = SECP256K1_N - BigInt(sig.s);
      const twin = ethers.concat([sig.r, ethers.toBeHex(highS, 32), sig.v === 27 ? "0x1c" : "0x1b"]);
      await expect(f.exchange.connect(f.uniA).acceptSignedOffer(f.listing, offer, twin))
        .to.be.revertedWithCustomError(f.exchange, "ECDSAInvalidSignatureS")
        .withArgs(ethers.toBeHex(highS, 32));
    });

    it("reverts with ExchangeSignatureExpired after the deadline", async () => {
      const f = await loadFixture(listedFixture);
      const deadline = BigInt(await time.latest()) + 10n;
      const offer = await signedOffer(f, f.listing, f.companyA, { deadline });
      const signature = await signOffer(f.companyA, f.exchangeAddress, offer);
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(f.exchange.connect(f.uniA).acceptSignedOffer(f.listing, offer, signature))
        .to.be.revertedWithCustomError(f.exchange, "ExchangeSignatureExpired")
        .withArgs(deadline, deadline + 1n);
    });

    it("reverts with ExchangeWrongToken for an offer in another token", async () => {
      const f = await loadFixture(listedFixture);
      const offer = await signedOffer(f, f.listing, f.companyA, { token: f.exchangeAddress });
      const signature = await signOffer(f.companyA, f.exchangeAddress, offer);
      await expect(f.exchange.connect(f.uniA).acceptSignedOffer(f.listing, offer, signature))
        .to.be.revertedWithCustomError(f.exchange, "ExchangeWrongToken")
        .withArgs(f.listing.listingId, f.exchangeAddress, f.tokenAddress);
    });

    it("reverts with ExchangeOfferForOtherListing for an offer on another listing", async () => {
      const f = await loadFixture(listedFixture);
      const offer = await signedOffer(f, f.sale, f.companyA);
      const signature = await signOffer(f.companyA, f.exchangeAddress, offer);
      await expect(f.exchange.connect(f.uniA).acceptSignedOffer(f.listing, offer, signature))
        .to.be.revertedWithCustomError(f.exchange, "ExchangeOfferForOtherListing")
        .withArgs(0n, f.sale.listingId, f.listing.listingId);
    });

    it("reverts with ExchangeNotSeller when anyone but the seller submits it", async () => {
      const f = await loadFixture(listedFixture);
      const offer = await signedOffer(f, f.listing, f.companyA);
      const signature = await signOffer(f.companyA, f.exchangeAddress, offer);
      await expect(f.exchange.connect(f.companyA).acceptSignedOffer(f.listing, offer, signature))
        .to.be.revertedWithCustomError(f.exchange, "ExchangeNotSeller")
        .withArgs(f.listing.listingId, f.companyA.address);
    });

    it("reverts with ERC20InsufficientAllowance when the buyer has not approved the exchange", async () => {
      const f = await loadFixture(listedFixture);
      await f.token.connect(f.companyA).approve(f.exchangeAddress, 0n);
      const offer = await signedOffer(f, f.listing, f.companyA);
      const signature = await signOffer(f.companyA, f.exchangeAddress, offer);
      await expect(f.exchange.connect(f.uniA).acceptSignedOffer(f.listing, offer, signature))
        .to.be.revertedWithCustomError(f.token, "ERC20InsufficientAllowance")
        .withArgs(f.exchangeAddress, 0n, offer.price);
      expect(await f.exchange.isNonceUsed(f.companyA.address, 0n)).to.equal(false);
    });
  });

  describe("cancelSignedOffer", () => {
    it("invalidates one nonce: reverts with ExchangeNonceUsed on acceptance", async () => {
      const f = await loadFixture(listedFixture);
      const offer = await signedOffer(f, f.listing, f.companyA, { nonce: 7n });
      const signature = await signOffer(f.companyA, f.exchangeAddress, offer);
      await expect(f.exchange.connect(f.companyA).cancelSignedOffer(7n))
        .to.emit(f.exchange, "SignedOfferCancelled")
        .withArgs(f.companyA.address, 7n);
      await expect(f.exchange.connect(f.uniA).acceptSignedOffer(f.listing, offer, signature))
        .to.be.revertedWithCustomError(f.exchange, "ExchangeNonceUsed")
        .withArgs(f.companyA.address, 7n);
      await expect(f.exchange.connect(f.companyA).cancelSignedOffer(7n))
        .to.be.revertedWithCustomError(f.exchange, "ExchangeNonceUsed")
        .withArgs(f.companyA.address, 7n);
    });

    it("leaves other nonces valid", async () => {
      const f = await loadFixture(listedFixture);
      await f.exchange.connect(f.companyA).cancelSignedOffer(7n);
      const offer = await signedOffer(f, f.listing, f.companyA, { nonce: 8n });
      await expect(
        f.exchange.connect(f.uniA).acceptSignedOffer(f.listing, offer, await signOffer(f.companyA, f.exchangeAddress, offer)),
      ).to.emit(f.exchange, "SignedOfferAccepted");
    });
  });

  describe("bumpNonce", () => {
    it("invalidates every nonce below the new minimum", async () => {
      const f = await loadFixture(listedFixture);
      const offer = await signedOffer(f, f.listing, f.companyA, { nonce: 4n });
      const signature = await signOffer(f.companyA, f.exchangeAddress, offer);
      await expect(f.exchange.connect(f.companyA).bumpNonce(5n))
        .to.emit(f.exchange, "NonceBumped")
        .withArgs(f.companyA.address, 5n);
      expect(await f.exchange.minNonce(f.companyA.address)).to.equal(5n);
      await expect(f.exchange.connect(f.uniA).acceptSignedOffer(f.listing, offer, signature))
        .to.be.revertedWithCustomError(f.exchange, "ExchangeNonceBelowMinimum")
        .withArgs(f.companyA.address, 4n, 5n);
      await expect(f.exchange.connect(f.companyA).cancelSignedOffer(1n))
        .to.be.revertedWithCustomError(f.exchange, "ExchangeNonceBelowMinimum")
        .withArgs(f.companyA.address, 1n, 5n);
    });

    it("reverts with ExchangeNonceNotAbove when the minimum does not rise", async () => {
      const f = await loadFixture(listedFixture);
      await f.exchange.connect(f.companyA).bumpNonce(5n);
      await expect(f.exchange.connect(f.companyA).bumpNonce(5n))
        .to.be.revertedWithCustomError(f.exchange, "ExchangeNonceNotAbove")
        .withArgs(f.companyA.address, 5n, 5n);
    });
  });
});
