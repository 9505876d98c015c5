import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { ContractTransactionResponse } from "ethers";
import { deployFixture, patentRecord } from "../helpers/fixtures";
import { chinaDayOf } from "../../server/chain/cnipa";
import { ListingKind, OFFER_TYPES, exchangeDomain, type SignedOfferValue } from "../../server/chain/exchange";
import { LicenceKind } from "../../server/chain/licensing";
import type { Exchange } from "../../typechain-types";
import { listingFromEvent } from "../../server/client/exchange";
import type {
  ListingParamsStruct,
  ListingStruct,
  OfferTermsStruct,
} from "../../typechain-types/contracts/exchange/Exchange";

export const CHENGDU_FEE = 200;
export const CHONGQING_FEE = 150;
export const BROKER_SHARE = 3_000;
export const BROKER_B_SHARE = 2_000;
export const PRICE = 1_000_000n; // 10,000.00 dCNY in fen
export const DAY = 86_400;

export async function today(): Promise<number> {
  return chinaDayOf(await time.latest());
}

/**
 * The ledger with both venues open (Chengdu 200 bps, Chongqing 150 bps), `broker` accredited by Chengdu (30%)
 * and `brokerB` (the investor account) by Chongqing (20%); uniA holds serials 1-6, uniB serial 7; both
 * companies hold dCNY and approved the exchange.
 */
export async function exchangeFixture() {
  const f = await deployFixture();
  const signers = await ethers.getSigners();
  const brokerB = signers[18]!;
  await f.venues.connect(f.chengdu).openVenue("成都知识产权交易中心", CHENGDU_FEE);
  await f.venues.connect(f.chongqing).openVenue("重庆知识产权交易中心", CHONGQING_FEE);
  await f.venues.connect(f.chengdu).accreditBroker(f.broker.address, BROKER_SHARE);
  await f.venues.connect(f.chongqing).accreditBroker(brokerB.address, BROKER_B_SHARE);
  const records = [1, 2, 3, 4, 5, 6].map((n) => patentRecord(f.uniA.address, n));
  records.push(patentRecord(f.uniB.address, 7));
  await f.registry.connect(f.registrar).registerBatch(records);
  const ids = records.map((r) => BigInt(r.number));
  const exchangeAddress = await f.exchange.getAddress();
  for (const who of [f.companyA, f.companyB, f.stranger]) {
    await f.token.connect(f.admin).mint(who.address, 100_000_000n);
    await f.token.connect(who).approve(exchangeAddress, ethers.MaxUint256);
  }
  const day = await today();
  return { ...f, brokerB, ids, day, exchangeAddress, tokenAddress: await f.token.getAddress() };
}

export type ExchangeFixture = Awaited<ReturnType<typeof exchangeFixture>>;

/** Sale listing parameters through Chengdu for `patentId`, expiring in 30 days. */
export async function saleParams(
  f: ExchangeFixture,
  patentId: bigint,
  over: Partial<ListingParamsStruct> = {},
): Promise<ListingParamsStruct> {
  return {
    patentId,
    kind: ListingKind.Sale,
    venue: f.chengdu.address,
    broker: ethers.ZeroAddress,
    token: f.tokenAddress,
    price: PRICE,
    expiry: BigInt((await time.latest()) + 30 * DAY),
    licenceKind: 0,
    sublicensable: false,
    scope: { fields: 0n, territories: 0n, startDay: 0, endDay: 0 },
    contractHash: ethers.id(`sale-${patentId}`),
    ...over,
  };
}

/** Licence listing parameters (non-exclusive unless `over` says otherwise) for one year from today. */
export async function licenceParams(
  f: ExchangeFixture,
  patentId: bigint,
  over: Partial<ListingParamsStruct> = {},
): Promise<ListingParamsStruct> {
  const day = await today();
  return saleParams(f, patentId, {
    kind: ListingKind.Licence,
    licenceKind: LicenceKind.NonExclusive,
    scope: { fields: 1n, territories: 1n << 22n, startDay: day, endDay: day + 365 },
    contractHash: ethers.id(`licence-${patentId}`),
    ...over,
  });
}

/** The listing struct as emitted by `Listed`, ready to pass back. */
export async function listingOf(exchange: Exchange, tx: ContractTransactionResponse): Promise<ListingStruct> {
  const receipt = await tx.wait();
  for (const log of receipt!.logs) {
    const parsed = exchange.interface.parseLog(log);
    if (parsed?.name === "Listed") return listingFromEvent(parsed.args);
  }
  throw new Error("no Listed event");
}

export async function list(
  f: ExchangeFixture,
  seller: HardhatEthersSigner,
  params: ListingParamsStruct,
): Promise<ListingStruct> {
  return listingOf(f.exchange, await f.exchange.connect(seller).list(params));
}

/** The offer terms as emitted by `OfferMade`, with its id. */
export async function offerOf(
  exchange: Exchange,
  tx: ContractTransactionResponse,
): Promise<{ offerId: bigint; offer: OfferTermsStruct }> {
  const receipt = await tx.wait();
  for (const log of receipt!.logs) {
    const parsed = exchange.interface.parseLog(log);
    if (parsed?.name === "OfferMade") {
      return { offerId: parsed.args.offerId as bigint, offer: parsed.args.offer.toObject(true) as OfferTermsStruct };
    }
  }
  throw new Error("no OfferMade event");
}

export async function signOffer(
  signer: HardhatEthersSigner,
  exchange: string,
  value: SignedOfferValue,
  chainId?: bigint,
): Promise<string> {
  const id = chainId ?? (await ethers.provider.getNetwork()).chainId;
  return signer.signTypedData(exchangeDomain(id, exchange), OFFER_TYPES, value);
}

export async function signedOffer(
  f: ExchangeFixture,
  listing: ListingStruct,
  buyer: HardhatEthersSigner,
  over: Partial<SignedOfferValue> = {},
): Promise<SignedOfferValue> {
  return {
    listingId: BigInt(listing.listingId),
    buyer: buyer.address,
    buyerVenue: f.chongqing.address,
    broker: ethers.ZeroAddress,
    price: 900_000n,
    token: f.tokenAddress,
    nonce: 0n,
    deadline: BigInt((await time.latest()) + DAY),
    ...over,
  };
}
