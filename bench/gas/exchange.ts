import { ethers } from "hardhat";
import type { ContractTransactionReceipt, ContractTransactionResponse } from "ethers";
import { deployLedger } from "../../scripts/deploy";
import { patentRecord } from "../../test/helpers/fixtures";
import { chinaDayOf } from "../../server/chain/cnipa";
import { ListingKind, OFFER_TYPES, exchangeDomain } from "../../server/chain/exchange";
import { LicenceKind } from "../../server/chain/licensing";
import type { Exchange } from "../../typechain-types";
import type { ListingParamsStruct, ListingStruct, OfferTermsStruct } from "../../typechain-types/contracts/exchange/Exchange";
import type { GasModule, GasRow } from "./types";
import { listingFromEvent } from "../../server/client/exchange";

const LISTING_TARGET = 100_000n;

async function receiptOf(tx: Promise<ContractTransactionResponse>): Promise<ContractTransactionReceipt> {
  const receipt = await (await tx).wait();
  if (!receipt) throw new Error("no receipt");
  return receipt;
}

function eventArg<T>(exchange: Exchange, receipt: ContractTransactionReceipt, name: string, arg: string): T {
  for (const log of receipt.logs) {
    const parsed = exchange.interface.parseLog(log);
    if (parsed?.name === name) {
      const value = parsed.args[arg] as unknown;
      const result = value as { toObject?: (deep: boolean) => unknown };
      return (typeof result?.toObject === "function" ? result.toObject(true) : value) as T;
    }
  }
  throw new Error(`no ${name} event`);
}

/**
 * Exact gas of the exchange: listing (sale, licence with a broker, re-listing), an on-chain offer, buy-now of a
 * licence, accepting a signed offer, and a patent sale through registration (offer accepted, then the
 * registrar's registerTransfer that pays out), and a withdrawal. Molecule's IP-NFT marketplace lists for about
 * 149,000 gas; the target is below 100,000.
 */
export const measure: GasModule = async () => {
  const [admin, registrar, chengdu, chongqing, , , , , uni, , , , , , companyA, companyB, , broker] =
    await ethers.getSigners();
  if (!admin || !registrar || !chengdu || !chongqing || !uni || !companyA || !companyB || !broker) {
    throw new Error("not enough signers");
  }
  const ledger = await deployLedger(admin, {
    registrars: [registrar.address],
    venues: [chengdu.address, chongqing.address],
    banks: [],
    appraisers: [],
    evaluators: [],
  });
  const { registry, exchange, venues, token } = ledger;
  await (await venues.connect(chengdu).openVenue("成都知识产权交易中心", 200)).wait();
  await (await venues.connect(chongqing).openVenue("重庆知识产权交易中心", 150)).wait();
  await (await venues.connect(chengdu).accreditBroker(broker.address, 3_000)).wait();
  const records = Array.from({ length: 6 }, (_, i) => patentRecord(uni.address, 301 + i, { year: 2020 }));
  await (await registry.connect(registrar).registerBatch(records)).wait();
  const ids = records.map((r) => BigInt(r.number));
  const exchangeAddress = await exchange.getAddress();
  const tokenAddress = await token.getAddress();
  for (const buyer of [companyA, companyB]) {
    await (await token.connect(admin).mint(buyer.address, 1_000_000_000n)).wait();
    await (await token.connect(buyer).approve(exchangeAddress, ethers.MaxUint256)).wait();
  }
  const latest = await ethers.provider.getBlock("latest");
  if (!latest) throw new Error("no block");
  const today = chinaDayOf(latest.timestamp);
  const expiry = BigInt(latest.timestamp + 90 * 86_400);
  const sale = (patentId: bigint, over: Partial<ListingParamsStruct> = {}): ListingParamsStruct => ({
    patentId,
    kind: ListingKind.Sale,
    venue: chengdu.address,
    broker: ethers.ZeroAddress,
    token: tokenAddress,
    price: 50_000_000n,
    expiry,
    licenceKind: 0,
    sublicensable: false,
    scope: { fields: 0n, territories: 0n, startDay: 0, endDay: 0 },
    contractHash: ethers.id(`bench-sale-${patentId}`),
    ...over,
  });
  const licence = (patentId: bigint, over: Partial<ListingParamsStruct> = {}): ListingParamsStruct =>
    sale(patentId, {
      kind: ListingKind.Licence,
      licenceKind: LicenceKind.NonExclusive,
      scope: { fields: 1n, territories: 1n << 22n, startDay: today, endDay: today + 365 },
      price: 5_000_000n,
      ...over,
    });
  const rows: GasRow[] = [];
  const row = (operation: string, gas: bigint, note?: string, target?: bigint) =>
    rows.push({ area: "exchange", operation, gas, note, target });

  async function list(params: ListingParamsStruct, operation: string, note: string): Promise<ListingStruct> {
    const receipt = await receiptOf(exchange.connect(uni).list(params));
    row(operation, receipt.gasUsed, note, LISTING_TARGET);
    for (const log of receipt.logs) {
      const parsed = exchange.interface.parseLog(log);
      if (parsed?.name === "Listed") return listingFromEvent(parsed.args);
    }
    throw new Error("no Listed event");
  }

  // listings
  const saleListing = await list(sale(ids[0]!), "list: patent for sale", "no broker, first listing of the patent");
  const licListing = await list(
    licence(ids[1]!, { broker: broker.address }),
    "list: non-exclusive licence",
    "with a broker named (accreditation checked)",
  );
  const cancelled = await list(licence(ids[2]!), "list: non-exclusive licence", "no broker");
  row("cancel listing (seller)", (await receiptOf(exchange.connect(uni).cancel(cancelled))).gasUsed);
  await list(licence(ids[2]!), "list: re-list the same patent", "after a cancellation (slot already non-zero)");

  // on-chain offers
  const first = await receiptOf(exchange.connect(companyA).makeOffer(saleListing, chongqing.address, ethers.ZeroAddress, 40_000_000n));
  row("offer: make on-chain offer (escrowed)", first.gasUsed, "first offer on the exchange");
  const second = await receiptOf(exchange.connect(companyB).makeOffer(saleListing, chongqing.address, ethers.ZeroAddress, 45_000_000n));
  row("offer: make on-chain offer (escrowed)", second.gasUsed, "later offers");
  const offerId = eventArg<bigint>(exchange, second, "OfferMade", "offerId");
  const offer = eventArg<OfferTermsStruct>(exchange, second, "OfferMade", "offer");
  const firstId = eventArg<bigint>(exchange, first, "OfferMade", "offerId");
  const firstOffer = eventArg<OfferTermsStruct>(exchange, first, "OfferMade", "offer");

  // licence sale: buy-now
  row(
    "licence sale: buy now (grant + payouts)",
    (await receiptOf(exchange.connect(companyA).buy(licListing, chongqing.address, ethers.ZeroAddress, 5_000_000n))).gasUsed,
    "two venues, listing broker",
  );

  // licence sale: signed offer
  const signedListing = await list(licence(ids[3]!), "list: non-exclusive licence", "no broker, later listing");
  const value = {
    listingId: BigInt(signedListing.listingId),
    buyer: companyB.address,
    buyerVenue: chongqing.address,
    broker: ethers.ZeroAddress,
    price: 4_500_000n,
    token: tokenAddress,
    nonce: 0n,
    deadline: expiry,
  };
  const { chainId } = await ethers.provider.getNetwork();
  const signature = await companyB.signTypedData(exchangeDomain(chainId, exchangeAddress), OFFER_TYPES, value);
  row(
    "licence sale: accept signed offer (EIP-712, pull + grant + payouts)",
    (await receiptOf(exchange.connect(uni).acceptSignedOffer(signedListing, value, signature))).gasUsed,
    "seller submits; buyer paid no gas",
  );

  // patent sale through registration
  const accept = (await receiptOf(exchange.connect(uni).acceptOffer(saleListing, offerId, offer))).gasUsed;
  const transferId = await registry.pendingTransfer(ids[0]!);
  const register = (await receiptOf(registry.connect(registrar).registerTransfer(transferId, "ZR-BENCH-1", today))).gasUsed;
  row("patent sale: accept on-chain offer (agree transfer + escrow)", accept);
  row("patent sale: registerTransfer (registrar; pays out)", register, "registry + exchange callbacks");
  row("patent sale: total accept + registration", accept + register);

  row(
    "cancel on-chain offer (credit back)",
    (await receiptOf(exchange.connect(companyA).cancelOffer(firstId, firstOffer))).gasUsed,
  );
  row("withdraw balance", (await receiptOf(exchange.connect(uni).withdraw(tokenAddress))).gasUsed);
  return rows;
};
