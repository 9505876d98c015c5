import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import { FUNCTION_ROLES } from "../../scripts/deploy";
import { Act, LockBits, Roles, TransferStatus } from "../../server/chain/roles";
import { ListingKind, ListingStatus, OfferStatus, TradePath, splitFees } from "../../server/chain/exchange";
import { LicenceKind } from "../../server/chain/licensing";
import { ReentrantToken__factory } from "../../typechain-types";
import {
  BROKER_B_SHARE,
  BROKER_SHARE,
  CHENGDU_FEE,
  CHONGQING_FEE,
  PRICE,
  exchangeFixture,
  licenceParams,
  list,
  listingOf,
  offerOf,
  saleParams,
  today,
  type ExchangeFixture,
} from "./fixtures";
import type { ListingStruct } from "../../typechain-types/contracts/exchange/Exchange";

/** uniA's first patent listed for sale through Chengdu. */
async function saleListed() {
  const f = await exchangeFixture();
  const listing = await list(f, f.uniA, await saleParams(f, f.ids[0]!));
  return { ...f, listing };
}

/** uniA's second patent listed for a non-exclusive licence through Chengdu, with Chengdu's broker named. */
async function licenceListed() {
  const f = await exchangeFixture();
  const listing = await list(f, f.uniA, await licenceParams(f, f.ids[1]!, { broker: f.broker.address }));
  return { ...f, listing };
}

function payoutsOf(
  f: ExchangeFixture,
  payee: string,
  price: bigint,
  opts: { buyerVenue?: string; listingBroker?: string; buyerBroker?: string; escrowed?: boolean } = {},
) {
  const buyerVenue = opts.buyerVenue ?? f.chongqing.address;
  const s = splitFees(
    price,
    CHENGDU_FEE,
    opts.listingBroker ? BROKER_SHARE : 0,
    opts.buyerBroker ? BROKER_B_SHARE : 0,
    buyerVenue === f.chengdu.address,
  );
  return [
    payee,
    s.seller,
    opts.escrowed ?? false,
    f.chengdu.address,
    s.listingVenue,
    buyerVenue,
    s.buyerVenue,
    opts.listingBroker ?? ethers.ZeroAddress,
    s.listingBroker,
    opts.buyerBroker ?? ethers.ZeroAddress,
    s.buyerBroker,
  ];
}

describe("Exchange", () => {
  describe("restricted functions", () => {
    for (const [role, names] of Object.entries(FUNCTION_ROLES.Exchange) as [keyof typeof Roles, readonly string[]][]) {
      for (const name of names) {
        it(`reverts ${name} for a caller without ${role}`, async () => {
          const f = await loadFixture(exchangeFixture);
          const args: Record<string, unknown[]> = { allowToken: [f.tokenAddress, false] };
          const exchange = f.exchange.connect(f.stranger) as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
          await expect(exchange[name]!(...args[name]!))
            .to.be.revertedWithCustomError(f.exchange, "AccessManagedUnauthorized")
            .withArgs(f.stranger.address);
        });
      }
    }

    it("gives the exchange MODULE and LOCK_LISTED, and allows dCNY at deployment", async () => {
      const f = await loadFixture(exchangeFixture);
      expect(await f.registry.lockModule(LockBits.LISTED)).to.equal(f.exchangeAddress);
      expect((await f.accessManager.hasRole(Roles.MODULE, f.exchangeAddress))[0]).to.equal(true);
      expect(await f.exchange.isTokenAllowed(f.tokenAddress)).to.equal(true);
    });
  });

  describe("allowToken", () => {
    it("allows and disallows a settlement token and emits TokenAllowed", async () => {
      const f = await loadFixture(exchangeFixture);
      await expect(f.exchange.connect(f.admin).allowToken(f.tokenAddress, false))
        .to.emit(f.exchange, "TokenAllowed")
        .withArgs(f.tokenAddress, false);
      await expect(f.exchange.connect(f.uniA).list(await saleParams(f, f.ids[0]!)))
        .to.be.revertedWithCustomError(f.exchange, "ExchangeTokenNotAllowed")
        .withArgs(f.tokenAddress);
    });
  });

  describe("list", () => {
    it("lists a patent for sale, locks it and emits Listed with the full terms", async () => {
      const f = await loadFixture(exchangeFixture);
      const params = await saleParams(f, f.ids[0]!);
      const listingId = f.ids[0]! * 10_000n + 1n;
      const tx = f.exchange.connect(f.uniA).list(params);
      await expect(tx).to.emit(f.exchange, "Listed").withArgs(listingId, f.ids[0]!, f.uniA.address, anyValue);
      await expect(tx).to.emit(f.registry, "PatentLocked").withArgs(f.ids[0]!, LockBits.LISTED, f.exchangeAddress);
      const listing = await listingOf(f.exchange, await tx);
      expect(listing.listingId).to.equal(listingId);
      expect(listing.seller).to.equal(f.uniA.address);
      expect(listing.terms.price).to.equal(PRICE);
      expect(await f.exchange.listingStatus(listing)).to.equal(ListingStatus.Open);
      expect(await f.registry.isLocked(f.ids[0]!, LockBits.LISTED)).to.equal(true);
    });

    it("numbers a patent's listings patentId * 10,000 + n", async () => {
      const f = await loadFixture(saleListed);
      await f.exchange.connect(f.uniA).cancel(f.listing);
      const second = await list(f, f.uniA, await saleParams(f, f.ids[0]!));
      expect(second.listingId).to.equal(f.ids[0]! * 10_000n + 2n);
      expect(await f.exchange.listingStatus(f.listing)).to.equal(ListingStatus.None);
    });

    it("reverts with ExchangeNotOwner when the caller does not own the patent", async () => {
      const f = await loadFixture(exchangeFixture);
      await expect(f.exchange.connect(f.uniB).list(await saleParams(f, f.ids[0]!)))
        .to.be.revertedWithCustomError(f.exchange, "ExchangeNotOwner")
        .withArgs(f.ids[0]!, f.uniB.address, f.uniA.address);
    });

    it("reverts with ExchangeZeroPrice for a zero price", async () => {
      const f = await loadFixture(exchangeFixture);
      await expect(f.exchange.connect(f.uniA).list(await saleParams(f, f.ids[0]!, { price: 0n })))
        .to.be.revertedWithCustomError(f.exchange, "ExchangeZeroPrice");
    });

    it("reverts with ExchangeBadExpiry for an expiry not in the future", async () => {
      const f = await loadFixture(exchangeFixture);
      const params = await saleParams(f, f.ids[0]!);
      const at = BigInt(await time.latest()) + 100n;
      await time.setNextBlockTimestamp(at);
      await expect(f.exchange.connect(f.uniA).list({ ...params, expiry: at }))
        .to.be.revertedWithCustomError(f.exchange, "ExchangeBadExpiry")
        .withArgs(at, at);
    });

    it("reverts with ExchangeNotVenue when the venue has no VENUE role", async () => {
      const f = await loadFixture(exchangeFixture);
      await expect(f.exchange.connect(f.uniA).list(await saleParams(f, f.ids[0]!, { venue: f.stranger.address })))
        .to.be.revertedWithCustomError(f.exchange, "ExchangeNotVenue")
        .withArgs(f.stranger.address);
    });

    it("reverts with ExchangeBrokerNotOfVenue when the broker acts for another venue", async () => {
      const f = await loadFixture(exchangeFixture);
      await expect(f.exchange.connect(f.uniA).list(await saleParams(f, f.ids[0]!, { broker: f.brokerB.address })))
        .to.be.revertedWithCustomError(f.exchange, "ExchangeBrokerNotOfVenue")
        .withArgs(f.chengdu.address, f.brokerB.address);
    });

    it("reverts with ExchangeLicenceKindNotListable for a sublicence", async () => {
      const f = await loadFixture(exchangeFixture);
      await expect(f.exchange.connect(f.uniA).list(await licenceParams(f, f.ids[0]!, { licenceKind: LicenceKind.Sublicence })))
        .to.be.revertedWithCustomError(f.exchange, "ExchangeLicenceKindNotListable")
        .withArgs(LicenceKind.Sublicence);
    });

    it("reverts with PatentRegistryAlreadyLocked when the patent is already listed", async () => {
      const f = await loadFixture(saleListed);
      await expect(f.exchange.connect(f.uniA).list(await licenceParams(f, f.ids[0]!)))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryAlreadyLocked")
        .withArgs(f.ids[0]!, LockBits.LISTED);
    });

    it("reverts with PatentRegistryPatentNotActionable when the patent is not in force", async () => {
      const f = await loadFixture(exchangeFixture);
      await f.registry.connect(f.registrar).setLegalStatus(f.ids[0]!, 1, "annual fee unpaid");
      await expect(f.exchange.connect(f.uniA).list(await saleParams(f, f.ids[0]!)))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryPatentNotActionable")
        .withArgs(f.ids[0]!, Act.List, 1);
    });
  });

  describe("authorise (the listing guard)", () => {
    it("refuses every act of other modules on a patent listed for sale", async () => {
      const f = await loadFixture(saleListed);
      const day = await today();
      await expect(
        f.licensing.connect(f.uniA).grant(f.ids[0]!, {
          licensee: f.companyA.address,
          kind: LicenceKind.NonExclusive,
          sublicensable: false,
          scope: { fields: 1n, territories: 1n, startDay: day, endDay: day + 30 },
          fee: { method: 0, trigger: 0, royaltyBps: 0, triggerDay: 0, amount: 0n },
          token: f.tokenAddress,
          contractHash: ethers.ZeroHash,
        }),
      )
        .to.be.revertedWithCustomError(f.exchange, "ExchangePatentListed")
        .withArgs(f.ids[0]!, Act.Licence);
      await expect(f.registry.connect(f.uniA).proposeTransfer(f.ids[0]!, f.companyA.address, ethers.ZeroHash))
        .to.be.revertedWithCustomError(f.exchange, "ExchangePatentListed")
        .withArgs(f.ids[0]!, Act.Transfer);
      await expect(
        f.licensing.connect(f.uniA).declareOpenLicence(f.ids[0]!, {
          method: 0,
          royaltyBps: 0,
          termDays: 365,
          amount: 100n,
          token: f.tokenAddress,
        }),
      )
        .to.be.revertedWithCustomError(f.exchange, "ExchangePatentListed")
        .withArgs(f.ids[0]!, Act.OpenLicence);
    });

    it("permits an open-licence declaration while a non-exclusive licence is listed, not while an exclusive one is", async () => {
      const f = await loadFixture(licenceListed);
      const terms = { method: 0, royaltyBps: 0, termDays: 365, amount: 100n, token: f.tokenAddress };
      await expect(f.licensing.connect(f.uniA).declareOpenLicence(f.ids[1]!, terms)).to.emit(
        f.licensing,
        "OpenLicenceDeclared",
      );
      await list(f, f.uniA, await licenceParams(f, f.ids[2]!, { licenceKind: LicenceKind.Exclusive }));
      await expect(f.licensing.connect(f.uniA).declareOpenLicence(f.ids[2]!, terms))
        .to.be.revertedWithCustomError(f.exchange, "ExchangePatentListed")
        .withArgs(f.ids[2]!, Act.OpenLicence);
    });

    it("reverts with ExchangeNotRegistry when anyone but the registry asks", async () => {
      const f = await loadFixture(saleListed);
      await expect(f.exchange.connect(f.stranger).authorise(f.ids[0]!, Act.Transfer, f.stranger.address, f.stranger.address))
        .to.be.revertedWithCustomError(f.exchange, "ExchangeNotRegistry")
        .withArgs(f.stranger.address);
      await expect(f.exchange.connect(f.stranger).onPatentTransferred(f.ids[0]!, f.uniA.address, f.stranger.address))
        .to.be.revertedWithCustomError(f.exchange, "ExchangeNotRegistry")
        .withArgs(f.stranger.address);
      await expect(f.exchange.connect(f.stranger).onTransferRegistered(1n, f.ids[0]!))
        .to.be.revertedWithCustomError(f.exchange, "ExchangeNotRegistry")
        .withArgs(f.stranger.address);
      await expect(f.exchange.connect(f.stranger).onTransferRefused(1n, f.ids[0]!))
        .to.be.revertedWithCustomError(f.exchange, "ExchangeNotRegistry")
        .withArgs(f.stranger.address);
    });
  });

  describe("cancel", () => {
    it("lets the seller cancel: unlocks the patent and emits ListingCancelled", async () => {
      const f = await loadFixture(saleListed);
      const tx = f.exchange.connect(f.uniA).cancel(f.listing);
      await expect(tx).to.emit(f.exchange, "ListingCancelled").withArgs(f.listing.listingId, f.ids[0]!, f.uniA.address);
      await expect(tx).to.emit(f.registry, "PatentUnlocked").withArgs(f.ids[0]!, LockBits.LISTED, f.exchangeAddress);
      expect(await f.exchange.listingStatus(f.listing)).to.equal(ListingStatus.Cancelled);
    });

    it("lets the listing venue cancel", async () => {
      const f = await loadFixture(saleListed);
      await expect(f.exchange.connect(f.chengdu).cancel(f.listing))
        .to.emit(f.exchange, "ListingCancelled")
        .withArgs(f.listing.listingId, f.ids[0]!, f.chengdu.address);
    });

    it("reverts with ExchangeNotSellerOrVenue when another venue acts on the listing", async () => {
      const f = await loadFixture(saleListed);
      await expect(f.exchange.connect(f.chongqing).cancel(f.listing))
        .to.be.revertedWithCustomError(f.exchange, "ExchangeNotSellerOrVenue")
        .withArgs(f.listing.listingId, f.chongqing.address);
    });

    it("reverts with ExchangeListingNotOpen when cancelled twice", async () => {
      const f = await loadFixture(saleListed);
      await f.exchange.connect(f.uniA).cancel(f.listing);
      await expect(f.exchange.connect(f.uniA).cancel(f.listing))
        .to.be.revertedWithCustomError(f.exchange, "ExchangeListingNotOpen")
        .withArgs(f.listing.listingId, ListingStatus.Cancelled);
    });

    it("reverts with ExchangeListingMismatch when the terms passed back differ from the listing's", async () => {
      const f = await loadFixture(saleListed);
      const forged: ListingStruct = { ...f.listing, terms: { ...f.listing.terms, price: 1n } };
      await expect(f.exchange.connect(f.uniA).cancel(forged))
        .to.be.revertedWithCustomError(f.exchange, "ExchangeListingMismatch")
        .withArgs(f.listing.listingId, f.ids[0]!);
    });
  });

  describe("expire", () => {
    it("lets anyone close a listing past its expiry and unlocks the patent", async () => {
      const f = await loadFixture(saleListed);
      await time.increaseTo(f.listing.terms.expiry);
      await expect(f.exchange.connect(f.stranger).expire(f.listing))
        .to.emit(f.exchange, "ListingExpired")
        .withArgs(f.listing.listingId, f.ids[0]!, f.stranger.address);
      expect(await f.registry.isLocked(f.ids[0]!, LockBits.LISTED)).to.equal(false);
      expect(await f.exchange.listingStatus(f.listing)).to.equal(ListingStatus.Expired);
    });

    it("reverts with ExchangeListingNotExpired before the expiry", async () => {
      const f = await loadFixture(saleListed);
      await expect(f.exchange.connect(f.stranger).expire(f.listing))
        .to.be.revertedWithCustomError(f.exchange, "ExchangeListingNotExpired")
        .withArgs(f.listing.listingId, f.listing.terms.expiry);
    });
  });

  describe("buy", () => {
    it("buys a licence at the listed price: grants it and credits the payouts in one transaction", async () => {
      const f = await loadFixture(licenceListed);
      const tx = f.exchange.connect(f.companyA).buy(f.listing, f.chongqing.address, f.brokerB.address, PRICE);
      await expect(tx)
        .to.emit(f.exchange, "ListingSettled")
        .withArgs(f.listing.listingId, f.ids[1]!, f.companyA.address, [
          ListingKind.Licence,
          TradePath.Buy,
          0n,
          f.chongqing.address,
          f.brokerB.address,
          CHENGDU_FEE,
          BROKER_SHARE,
          BROKER_B_SHARE,
          f.tokenAddress,
          PRICE,
          1n,
        ]);
      const expected = payoutsOf(f, f.uniA.address, PRICE, { listingBroker: f.broker.address, buyerBroker: f.brokerB.address });
      await expect(tx).to.emit(f.exchange, "ProceedsCredited").withArgs(f.listing.listingId, f.tokenAddress, expected);
      await expect(tx).to.emit(f.licensing, "LicenceGranted");
      await expect(tx).to.changeTokenBalances(f.token, [f.companyA, f.exchange], [-PRICE, PRICE]);
      const lic = await f.licensing.licence(1n);
      expect(lic.licensee).to.equal(f.companyA.address);
      expect(lic.kind).to.equal(LicenceKind.NonExclusive);
      expect(lic.contractHash).to.equal(f.listing.terms.contractHash);
      const s = splitFees(PRICE, CHENGDU_FEE, BROKER_SHARE, BROKER_B_SHARE, false);
      expect(await f.exchange.balanceOf(f.uniA.address, f.tokenAddress)).to.equal(s.seller);
      expect(await f.exchange.balanceOf(f.chengdu.address, f.tokenAddress)).to.equal(s.listingVenue);
      expect(await f.exchange.balanceOf(f.chongqing.address, f.tokenAddress)).to.equal(s.buyerVenue);
      expect(await f.exchange.balanceOf(f.broker.address, f.tokenAddress)).to.equal(s.listingBroker);
      expect(await f.exchange.balanceOf(f.brokerB.address, f.tokenAddress)).to.equal(s.buyerBroker);
      expect(await f.exchange.listingStatus(f.listing)).to.equal(ListingStatus.Settled);
      expect(await f.registry.isLocked(f.ids[1]!, LockBits.LISTED)).to.equal(false);
    });

    it("gives the whole fee to the listing venue when the buyer comes through it", async () => {
      const f = await loadFixture(licenceListed);
      const tx = f.exchange.connect(f.companyA).buy(f.listing, f.chengdu.address, ethers.ZeroAddress, PRICE);
      await expect(tx)
        .to.emit(f.exchange, "ProceedsCredited")
        .withArgs(
          f.listing.listingId,
          f.tokenAddress,
          payoutsOf(f, f.uniA.address, PRICE, { buyerVenue: f.chengdu.address, listingBroker: f.broker.address }),
        );
    });

    it("buys a patent: agrees the transfer, escrows the price, pays out on registration", async () => {
      const f = await loadFixture(saleListed);
      const tx = f.exchange.connect(f.companyA).buy(f.listing, f.chongqing.address, ethers.ZeroAddress, PRICE);
      await expect(tx)
        .to.emit(f.registry, "TransferAgreed")
        .withArgs(1n, f.ids[0]!, f.companyA.address, f.exchangeAddress, anyValue);
      await expect(tx).not.to.emit(f.exchange, "ProceedsCredited");
      expect(await f.exchange.listingStatus(f.listing)).to.equal(ListingStatus.Pending);
      const escrow = await f.exchange.sale(1n);
      expect(escrow.buyer).to.equal(f.companyA.address);
      expect(escrow.price).to.equal(PRICE);
      expect(escrow.payee).to.equal(f.uniA.address);
      const reg = f.registry.connect(f.registrar).registerTransfer(1n, "ZR2026001", await today());
      await expect(reg)
        .to.emit(f.exchange, "ProceedsCredited")
        .withArgs(f.listing.listingId, f.tokenAddress, payoutsOf(f, f.uniA.address, PRICE));
      await expect(reg).to.emit(f.registry, "PatentUnlocked").withArgs(f.ids[0]!, LockBits.LISTED, f.exchangeAddress);
      expect(await f.registry.ownerOf(f.ids[0]!)).to.equal(f.companyA.address);
      expect(await f.exchange.listingStatus(f.listing)).to.equal(ListingStatus.Settled);
      expect((await f.exchange.sale(1n)).status).to.equal(ListingStatus.Settled);
      const s = splitFees(PRICE, CHENGDU_FEE, 0, 0, false);
      expect(await f.exchange.balanceOf(f.uniA.address, f.tokenAddress)).to.equal(s.seller);
    });

    it("refunds the buyer in full and unlocks the patent when registration is refused", async () => {
      const f = await loadFixture(saleListed);
      await f.exchange.connect(f.companyA).buy(f.listing, f.chongqing.address, ethers.ZeroAddress, PRICE);
      const tx = f.registry.connect(f.registrar).refuseTransfer(1n, "contract incomplete");
      await expect(tx)
        .to.emit(f.exchange, "SaleRefunded")
        .withArgs(f.listing.listingId, 1n, f.companyA.address, f.tokenAddress, PRICE);
      await expect(tx).to.emit(f.registry, "PatentUnlocked").withArgs(f.ids[0]!, LockBits.LISTED, f.exchangeAddress);
      expect(await f.exchange.balanceOf(f.companyA.address, f.tokenAddress)).to.equal(PRICE);
      expect(await f.exchange.listingStatus(f.listing)).to.equal(ListingStatus.Refused);
      expect(await f.registry.ownerOf(f.ids[0]!)).to.equal(f.uniA.address);
      expect(await f.registry.isLocked(f.ids[0]!, LockBits.LISTED)).to.equal(false);
    });

    it("reverts with ExchangeListingNotOpen when settling twice", async () => {
      const f = await loadFixture(licenceListed);
      await f.exchange.connect(f.companyA).buy(f.listing, f.chongqing.address, ethers.ZeroAddress, PRICE);
      await expect(f.exchange.connect(f.companyB).buy(f.listing, f.chongqing.address, ethers.ZeroAddress, PRICE))
        .to.be.revertedWithCustomError(f.exchange, "ExchangeListingNotOpen")
        .withArgs(f.listing.listingId, ListingStatus.Settled);
    });

    it("reverts with ExchangeListingNotOpen for a sale awaiting registration", async () => {
      const f = await loadFixture(saleListed);
      await f.exchange.connect(f.companyA).buy(f.listing, f.chongqing.address, ethers.ZeroAddress, PRICE);
      await expect(f.exchange.connect(f.companyB).buy(f.listing, f.chongqing.address, ethers.ZeroAddress, PRICE))
        .to.be.revertedWithCustomError(f.exchange, "ExchangeListingNotOpen")
        .withArgs(f.listing.listingId, ListingStatus.Pending);
    });

    it("reverts with ExchangePriceMismatch when the price is not the listed one", async () => {
      const f = await loadFixture(saleListed);
      await expect(f.exchange.connect(f.companyA).buy(f.listing, f.chongqing.address, ethers.ZeroAddress, PRICE - 1n))
        .to.be.revertedWithCustomError(f.exchange, "ExchangePriceMismatch")
        .withArgs(f.listing.listingId, PRICE - 1n, PRICE);
    });

    it("reverts with ExchangeListingExpired at or after the expiry", async () => {
      const f = await loadFixture(saleListed);
      await time.setNextBlockTimestamp(f.listing.terms.expiry);
      await expect(f.exchange.connect(f.companyA).buy(f.listing, f.chongqing.address, ethers.ZeroAddress, PRICE))
        .to.be.revertedWithCustomError(f.exchange, "ExchangeListingExpired")
        .withArgs(f.listing.listingId, f.listing.terms.expiry);
    });

    it("reverts with ExchangeListingNotOpen for a cancelled listing", async () => {
      const f = await loadFixture(saleListed);
      await f.exchange.connect(f.uniA).cancel(f.listing);
      await expect(f.exchange.connect(f.companyA).buy(f.listing, f.chongqing.address, ethers.ZeroAddress, PRICE))
        .to.be.revertedWithCustomError(f.exchange, "ExchangeListingNotOpen")
        .withArgs(f.listing.listingId, ListingStatus.Cancelled);
    });

    it("reverts with ExchangeNotVenue when the buyer names no venue", async () => {
      const f = await loadFixture(saleListed);
      await expect(f.exchange.connect(f.companyA).buy(f.listing, f.stranger.address, ethers.ZeroAddress, PRICE))
        .to.be.revertedWithCustomError(f.exchange, "ExchangeNotVenue")
        .withArgs(f.stranger.address);
    });

    it("reverts with ExchangeBrokerNotOfVenue when the buyer's broker acts for another venue", async () => {
      const f = await loadFixture(saleListed);
      await expect(f.exchange.connect(f.companyA).buy(f.listing, f.chongqing.address, f.broker.address, PRICE))
        .to.be.revertedWithCustomError(f.exchange, "ExchangeBrokerNotOfVenue")
        .withArgs(f.chongqing.address, f.broker.address);
    });

    it("reverts with ExchangeBuyerIsSeller when the seller buys", async () => {
      const f = await loadFixture(saleListed);
      await expect(f.exchange.connect(f.uniA).buy(f.listing, f.chongqing.address, ethers.ZeroAddress, PRICE))
        .to.be.revertedWithCustomError(f.exchange, "ExchangeBuyerIsSeller")
        .withArgs(f.listing.listingId, f.uniA.address);
    });

    it("reverts with ExchangeNotVenue when the listing venue has closed", async () => {
      const f = await loadFixture(saleListed);
      await f.accessManager.connect(f.admin).revokeRole(Roles.VENUE, f.chengdu.address);
      await expect(f.exchange.connect(f.companyA).buy(f.listing, f.chongqing.address, ethers.ZeroAddress, PRICE))
        .to.be.revertedWithCustomError(f.exchange, "ExchangeNotVenue")
        .withArgs(f.chengdu.address);
    });

    it("pays a listing broker nothing once its accreditation has ended", async () => {
      const f = await loadFixture(licenceListed);
      await f.venues.connect(f.chengdu).revokeBroker(f.broker.address);
      await expect(f.exchange.connect(f.companyA).buy(f.listing, f.chongqing.address, ethers.ZeroAddress, PRICE))
        .to.emit(f.exchange, "ProceedsCredited")
        .withArgs(f.listing.listingId, f.tokenAddress, [
          ...payoutsOf(f, f.uniA.address, PRICE).slice(0, 7),
          f.broker.address,
          0n,
          ethers.ZeroAddress,
          0n,
        ]);
    });

    it("reverts with ReentrancyGuardReentrantCall when the token calls back into the exchange", async () => {
      const f = await loadFixture(exchangeFixture);
      const evil = await new ReentrantToken__factory(f.admin).deploy();
      const evilAddress = await evil.getAddress();
      await f.exchange.connect(f.admin).allowToken(evilAddress, true);
      const listing = await list(f, f.uniA, await saleParams(f, f.ids[0]!, { token: evilAddress }));
      await evil.mint(f.companyA.address, PRICE);
      await evil.connect(f.companyA).approve(f.exchangeAddress, PRICE);
      await evil.arm(f.exchangeAddress, f.exchange.interface.encodeFunctionData("withdraw", [evilAddress]));
      await expect(
        f.exchange.connect(f.companyA).buy(listing, f.chongqing.address, ethers.ZeroAddress, PRICE),
      ).to.be.revertedWithCustomError(f.exchange, "ReentrancyGuardReentrantCall");
      expect(await evil.balanceOf(f.companyA.address)).to.equal(PRICE);
    });
  });

  describe("makeOffer", () => {
    it("escrows an on-chain offer and emits OfferMade", async () => {
      const f = await loadFixture(saleListed);
      const tx = f.exchange.connect(f.companyA).makeOffer(f.listing, f.chongqing.address, f.brokerB.address, 800_000n);
      await expect(tx)
        .to.emit(f.exchange, "OfferMade")
        .withArgs(1n, f.listing.listingId, f.companyA.address, [
          f.listing.listingId,
          f.companyA.address,
          f.chongqing.address,
          f.brokerB.address,
          f.tokenAddress,
          800_000n,
        ]);
      await expect(tx).to.changeTokenBalances(f.token, [f.companyA, f.exchange], [-800_000n, 800_000n]);
      const { offer } = await offerOf(f.exchange, await f.exchange.connect(f.companyB).makeOffer(f.listing, f.chengdu.address, ethers.ZeroAddress, 1n));
      expect(await f.exchange.offerStatus(2n, offer)).to.equal(OfferStatus.Open);
    });

    it("reverts with ExchangeZeroPrice for a zero offer", async () => {
      const f = await loadFixture(saleListed);
      await expect(
        f.exchange.connect(f.companyA).makeOffer(f.listing, f.chongqing.address, ethers.ZeroAddress, 0n),
      ).to.be.revertedWithCustomError(f.exchange, "ExchangeZeroPrice");
    });

    it("reverts with ExchangeListingExpired on an expired listing", async () => {
      const f = await loadFixture(saleListed);
      await time.increaseTo(f.listing.terms.expiry);
      await expect(f.exchange.connect(f.companyA).makeOffer(f.listing, f.chongqing.address, ethers.ZeroAddress, 1n))
        .to.be.revertedWithCustomError(f.exchange, "ExchangeListingExpired")
        .withArgs(f.listing.listingId, f.listing.terms.expiry);
    });
  });

  describe("cancelOffer", () => {
    it("credits the escrow back to the buyer, who withdraws it", async () => {
      const f = await loadFixture(saleListed);
      const { offerId, offer } = await offerOf(
        f.exchange,
        await f.exchange.connect(f.companyA).makeOffer(f.listing, f.chongqing.address, ethers.ZeroAddress, 700_000n),
      );
      await expect(f.exchange.connect(f.companyA).cancelOffer(offerId, offer))
        .to.emit(f.exchange, "OfferCancelled")
        .withArgs(offerId, f.listing.listingId, f.companyA.address, 700_000n);
      expect(await f.exchange.offerStatus(offerId, offer)).to.equal(OfferStatus.Cancelled);
      const w = f.exchange.connect(f.companyA).withdraw(f.tokenAddress);
      await expect(w).to.emit(f.exchange, "Withdrawn").withArgs(f.companyA.address, f.tokenAddress, 700_000n);
      await expect(w).to.changeTokenBalances(f.token, [f.companyA, f.exchange], [700_000n, -700_000n]);
    });

    it("reverts with ExchangeNotBuyer for anyone but the buyer", async () => {
      const f = await loadFixture(saleListed);
      const { offerId, offer } = await offerOf(
        f.exchange,
        await f.exchange.connect(f.companyA).makeOffer(f.listing, f.chongqing.address, ethers.ZeroAddress, 700_000n),
      );
      await expect(f.exchange.connect(f.companyB).cancelOffer(offerId, offer))
        .to.be.revertedWithCustomError(f.exchange, "ExchangeNotBuyer")
        .withArgs(offerId, f.companyB.address, f.companyA.address);
    });

    it("reverts with ExchangeOfferNotOpen when cancelled twice, and ExchangeOfferMismatch for forged terms", async () => {
      const f = await loadFixture(saleListed);
      const { offerId, offer } = await offerOf(
        f.exchange,
        await f.exchange.connect(f.companyA).makeOffer(f.listing, f.chongqing.address, ethers.ZeroAddress, 700_000n),
      );
      await expect(f.exchange.connect(f.companyA).cancelOffer(offerId, { ...offer, price: 7_000_000n }))
        .to.be.revertedWithCustomError(f.exchange, "ExchangeOfferMismatch")
        .withArgs(offerId);
      await f.exchange.connect(f.companyA).cancelOffer(offerId, offer);
      await expect(f.exchange.connect(f.companyA).cancelOffer(offerId, offer))
        .to.be.revertedWithCustomError(f.exchange, "ExchangeOfferNotOpen")
        .withArgs(offerId, OfferStatus.Cancelled);
    });
  });

  describe("acceptOffer", () => {
    it("settles a licence with the escrowed offer", async () => {
      const f = await loadFixture(licenceListed);
      const { offerId, offer } = await offerOf(
        f.exchange,
        await f.exchange.connect(f.companyA).makeOffer(f.listing, f.chongqing.address, ethers.ZeroAddress, 600_000n),
      );
      const tx = f.exchange.connect(f.uniA).acceptOffer(f.listing, offerId, offer);
      await expect(tx).to.emit(f.exchange, "OfferAccepted").withArgs(offerId, f.listing.listingId, f.companyA.address);
      await expect(tx)
        .to.emit(f.exchange, "ProceedsCredited")
        .withArgs(
          f.listing.listingId,
          f.tokenAddress,
          payoutsOf(f, f.uniA.address, 600_000n, { listingBroker: f.broker.address }),
        );
      await expect(tx).to.changeTokenBalance(f.token, f.exchange, 0n);
      expect(await f.exchange.offerStatus(offerId, offer)).to.equal(OfferStatus.Accepted);
    });

    it("reverts with ExchangeNotSeller for anyone but the seller", async () => {
      const f = await loadFixture(saleListed);
      const { offerId, offer } = await offerOf(
        f.exchange,
        await f.exchange.connect(f.companyA).makeOffer(f.listing, f.chongqing.address, ethers.ZeroAddress, 1n),
      );
      await expect(f.exchange.connect(f.chengdu).acceptOffer(f.listing, offerId, offer))
        .to.be.revertedWithCustomError(f.exchange, "ExchangeNotSeller")
        .withArgs(f.listing.listingId, f.chengdu.address);
    });

    it("reverts with ExchangeOfferForOtherListing for an offer on another listing", async () => {
      const f = await loadFixture(saleListed);
      const other = await list(f, f.uniA, await saleParams(f, f.ids[2]!));
      const { offerId, offer } = await offerOf(
        f.exchange,
        await f.exchange.connect(f.companyA).makeOffer(other, f.chongqing.address, ethers.ZeroAddress, 1n),
      );
      await expect(f.exchange.connect(f.uniA).acceptOffer(f.listing, offerId, offer))
        .to.be.revertedWithCustomError(f.exchange, "ExchangeOfferForOtherListing")
        .withArgs(offerId, other.listingId, f.listing.listingId);
    });

    it("reverts with ExchangeOfferNotOpen when the offer was already accepted", async () => {
      const f = await loadFixture(saleListed);
      const { offerId, offer } = await offerOf(
        f.exchange,
        await f.exchange.connect(f.companyA).makeOffer(f.listing, f.chongqing.address, ethers.ZeroAddress, 1n),
      );
      await f.exchange.connect(f.uniA).acceptOffer(f.listing, offerId, offer);
      await f.registry.connect(f.registrar).refuseTransfer(1n, "refused");
      const again = await list(f, f.uniA, await saleParams(f, f.ids[0]!));
      await expect(f.exchange.connect(f.uniA).acceptOffer(again, offerId, offer))
        .to.be.revertedWithCustomError(f.exchange, "ExchangeOfferNotOpen")
        .withArgs(offerId, OfferStatus.Accepted);
    });

    it("lets an outbid buyer cancel its offer after the listing settled with another", async () => {
      const f = await loadFixture(licenceListed);
      const a = await offerOf(f.exchange, await f.exchange.connect(f.companyA).makeOffer(f.listing, f.chongqing.address, ethers.ZeroAddress, 1_000n));
      const b = await offerOf(f.exchange, await f.exchange.connect(f.companyB).makeOffer(f.listing, f.chongqing.address, ethers.ZeroAddress, 2_000n));
      await f.exchange.connect(f.uniA).acceptOffer(f.listing, b.offerId, b.offer);
      await expect(f.exchange.connect(f.uniA).acceptOffer(f.listing, a.offerId, a.offer))
        .to.be.revertedWithCustomError(f.exchange, "ExchangeListingNotOpen")
        .withArgs(f.listing.listingId, ListingStatus.Settled);
      await expect(f.exchange.connect(f.companyA).cancelOffer(a.offerId, a.offer))
        .to.emit(f.exchange, "OfferCancelled")
        .withArgs(a.offerId, f.listing.listingId, f.companyA.address, 1_000n);
    });
  });

  describe("withdraw", () => {
    it("reverts with ExchangeNothingToWithdraw for an empty balance", async () => {
      const f = await loadFixture(exchangeFixture);
      await expect(f.exchange.connect(f.stranger).withdraw(f.tokenAddress))
        .to.be.revertedWithCustomError(f.exchange, "ExchangeNothingToWithdraw")
        .withArgs(f.stranger.address, f.tokenAddress);
    });

    it("pays every party of a trade its credited share", async () => {
      const f = await loadFixture(licenceListed);
      await f.exchange.connect(f.companyA).buy(f.listing, f.chongqing.address, f.brokerB.address, PRICE);
      const s = splitFees(PRICE, CHENGDU_FEE, BROKER_SHARE, BROKER_B_SHARE, false);
      for (const [who, amount] of [
        [f.uniA, s.seller],
        [f.chengdu, s.listingVenue],
        [f.chongqing, s.buyerVenue],
        [f.broker, s.listingBroker],
        [f.brokerB, s.buyerBroker],
      ] as const) {
        await expect(f.exchange.connect(who).withdraw(f.tokenAddress)).to.changeTokenBalance(f.token, who, amount);
      }
      expect(await f.token.balanceOf(f.exchangeAddress)).to.equal(0n);
      expect(s.seller + s.listingVenue + s.buyerVenue + s.listingBroker + s.buyerBroker).to.equal(PRICE);
    });
  });

  describe("registry interplay", () => {
    it("records the sale as the registry's module-agreed transfer, which the parties cannot cancel", async () => {
      const f = await loadFixture(saleListed);
      await f.exchange.connect(f.companyA).buy(f.listing, f.chongqing.address, ethers.ZeroAddress, PRICE);
      expect((await f.registry.transferRecord(1n)).status).to.equal(TransferStatus.Agreed);
      await expect(f.registry.connect(f.uniA).cancelTransfer(1n))
        .to.be.revertedWithCustomError(f.registry, "PatentRegistryTransferState")
        .withArgs(1n, TransferStatus.Agreed);
    });
  });

  describe("fees", () => {
    it("takes the fee at the listing venue's rate (Chongqing) and gives half to the buyer's venue", async () => {
      const f = await loadFixture(exchangeFixture);
      const listing = await list(f, f.uniA, await licenceParams(f, f.ids[3]!, { venue: f.chongqing.address }));
      const s = splitFees(PRICE, CHONGQING_FEE, 0, 0, false);
      await f.exchange.connect(f.companyA).buy(listing, f.chengdu.address, ethers.ZeroAddress, PRICE);
      expect(await f.exchange.balanceOf(f.chongqing.address, f.tokenAddress)).to.equal(s.listingVenue);
      expect(await f.exchange.balanceOf(f.chengdu.address, f.tokenAddress)).to.equal(s.buyerVenue);
    });
  });
});
