import { ethers, type ContractTransactionResponse, type Signer } from "ethers";
import { demoWallet } from "../../../server/chain/accounts";
import { chinaDayOf } from "../../../server/chain/cnipa";
import { ListingKind, OFFER_TYPES, exchangeDomain } from "../../../server/chain/exchange";
import { LicenceKind } from "../../../server/chain/licensing";
import { Roles } from "../../../server/chain/roles";
import { listingFromEvent } from "../../../server/client/exchange";
import type { ListingParamsStruct, ListingStruct, OfferTermsStruct } from "../../../typechain-types/contracts/exchange/Exchange";
import { patentRecord as record } from "../../helpers/records";
import type { DeployedLedger } from "./ledger";

/**
 * A scripted history of the market contracts, the same on every node: the block times it depends on are
 * set explicitly from a fixed start (MARKET.t0), so listing expiries, auction ends and the extension of a
 * late bid do not depend on the wall clock. Run it on a fresh ledger or after the other stories.
 */

export const MARKET = {
  t0: 1_900_000_000, // 2030-03-17, after any test's clock
  saleOffer: record(ethers.ZeroAddress, 31).number as bigint, // scu: sold through Chengdu to yuzhi's accepted offer, registered
  licenceBuy: record(ethers.ZeroAddress, 32).number as bigint, // scu: non-exclusive licence via Chongqing, bought now by rongxin
  saleRefused: record(ethers.ZeroAddress, 33).number as bigint, // scu: yuzhi's signed offer accepted, registration refused
  relisted: record(ethers.ZeroAddress, 34).number as bigint, // scu: listed, cancelled, listed again (open)
  expired: record(ethers.ZeroAddress, 35).number as bigint, // scu: licence listing expired; then pledged and disposed of unsold
  auctioned: record(ethers.ZeroAddress, 36).number as bigint, // uestc: owner auction, three bids (the last extends the end), sold
  auctionCancelled: record(ethers.ZeroAddress, 37).number as bigint, // uestc: owner auction cancelled before any bid
  price: 1_000_000n,
  DAY: 86_400,
};

export interface MarketStoryResult {
  listings: { saleOffer: bigint; licenceBuy: bigint; saleRefused: bigint; cancelled: bigint; relisted: bigint; expired: bigint };
  offers: { accepted: bigint; cancelled: bigint };
  auctions: { sold: bigint; cancelled: bigint; disposal: bigint };
  pledgeId: bigint;
}

export async function runMarketStory(l: DeployedLedger): Promise<MarketStoryResult> {
  const { registry: r, exchange, venues, auctionHouse, pledges, token, accessManager, provider, parties: p } = l;
  const wallet = (name: string): Signer => demoWallet(name).connect(provider);
  const chengdu = wallet("chengdu");
  const chongqing = wallet("chongqing");
  const broker = wallet("broker");
  const investor = wallet("investor");
  const send = async (tx: Promise<ContractTransactionResponse>) => (await (await tx).wait())!;
  const at = async (t: number) => {
    await provider.send("evm_setNextBlockTimestamp", [t]);
  };
  const addr = async (s: Signer) => (await s.getAddress()).toLowerCase();
  const [scu, uestc, yuzhi, bank, cd, cq, brokerA, brokerB] = (await Promise.all(
    [p.scu, p.uestc, p.yuzhi, p.bank, chengdu, chongqing, broker, investor].map(addr),
  )) as [string, string, string, string, string, string, string, string];
  const tokenAddress = await token.getAddress();
  const { t0, DAY, price } = MARKET;
  const day = chinaDayOf(t0);

  await at(t0);
  for (const v of [cd, cq]) await send(accessManager.connect(p.admin).grantRole(Roles.VENUE, v, 0));
  await send(venues.connect(chengdu).openVenue("成都知识产权交易中心", 200));
  await send(venues.connect(chongqing).openVenue("重庆知识产权交易中心", 150));
  await send(venues.connect(chongqing).setFee(180));
  await send(venues.connect(chengdu).accreditBroker(brokerA, 3_000));
  await send(venues.connect(chongqing).accreditBroker(brokerB, 2_000));
  await send(venues.connect(chengdu).accreditBroker(yuzhi, 1_000));
  await send(venues.connect(chengdu).revokeBroker(yuzhi));
  await send(venues.connect(p.admin).setFeeCap(800));

  await send(
    r.connect(p.registrar).registerBatch([
      record(scu, 31),
      record(scu, 32),
      record(scu, 33),
      record(scu, 34),
      record(scu, 35),
      record(uestc, 36),
      record(uestc, 37),
    ]),
  );
  for (const buyer of [p.rongxin, p.yuzhi]) {
    await send(token.connect(p.admin).mint(await buyer.getAddress(), 100_000_000n));
    await send(token.connect(buyer).approve(await exchange.getAddress(), ethers.MaxUint256));
    await send(token.connect(buyer).approve(await auctionHouse.getAddress(), ethers.MaxUint256));
  }

  const params = (patentId: bigint, over: Partial<ListingParamsStruct> = {}): ListingParamsStruct => ({
    patentId,
    kind: ListingKind.Sale,
    venue: cd,
    broker: ethers.ZeroAddress,
    token: tokenAddress,
    price,
    expiry: BigInt(t0 + 30 * DAY),
    licenceKind: 0,
    sublicensable: false,
    scope: { fields: 0n, territories: 0n, startDay: 0, endDay: 0 },
    contractHash: ethers.id(`market-${patentId}`),
    ...over,
  });
  const licence = { kind: ListingKind.Licence, licenceKind: LicenceKind.NonExclusive, scope: { fields: 1n, territories: 1n << 22n, startDay: day, endDay: day + 365 } };
  const list = async (seller: Signer, ps: ListingParamsStruct): Promise<ListingStruct> => {
    const receipt = await send(exchange.connect(seller).list(ps));
    const parsed = receipt.logs.map((x) => exchange.interface.parseLog(x)).find((x) => x?.name === "Listed")!;
    return listingFromEvent(parsed.args);
  };
  const offer = async (buyer: Signer, listing: ListingStruct, venue: string, brokerOf: string, amount: bigint) => {
    const receipt = await send(exchange.connect(buyer).makeOffer(listing, venue, brokerOf, amount));
    const parsed = receipt.logs.map((x) => exchange.interface.parseLog(x)).find((x) => x?.name === "OfferMade")!;
    return { offerId: parsed.args.offerId as bigint, terms: (parsed.args.offer as ethers.Result).toObject(true) as OfferTermsStruct };
  };
  const agreedTransfer = (patentId: bigint) => r.pendingTransfer(patentId);

  // A sale with a listing broker: two offers, one withdrawn, the other accepted; registered and paid out.
  const saleOffer = await list(p.scu, params(MARKET.saleOffer, { broker: brokerA }));
  const withdrawn = await offer(p.rongxin, saleOffer, cd, ethers.ZeroAddress, 950_000n);
  const accepted = await offer(p.yuzhi, saleOffer, cq, brokerB, 900_000n);
  await send(exchange.connect(p.rongxin).cancelOffer(withdrawn.offerId, withdrawn.terms));
  await send(exchange.connect(p.scu).acceptOffer(saleOffer, accepted.offerId, accepted.terms));
  const saleTransfer = await agreedTransfer(MARKET.saleOffer);
  await send(r.connect(p.registrar).registerTransfer(saleTransfer, "CNIPA-2030-0031", day));

  // A non-exclusive licence through Chongqing, bought now through Chengdu.
  const licenceBuy = await list(p.scu, params(MARKET.licenceBuy, { ...licence, venue: cq }));
  await send(exchange.connect(p.rongxin).buy(licenceBuy, cd, ethers.ZeroAddress, price));

  // A sale to a signed offer (EIP-712); CNIPA refuses the registration, the buyer is refunded.
  const saleRefused = await list(p.scu, params(MARKET.saleRefused));
  const { chainId } = await provider.getNetwork();
  const signed = {
    listingId: BigInt(saleRefused.listingId),
    buyer: yuzhi,
    buyerVenue: cq,
    broker: ethers.ZeroAddress,
    price: 800_000n,
    token: tokenAddress,
    nonce: 3n,
    deadline: BigInt(t0 + 10 * DAY),
  };
  const signature = await demoWallet("yuzhi").signTypedData(exchangeDomain(chainId, await exchange.getAddress()), OFFER_TYPES, signed);
  await send(exchange.connect(p.scu).acceptSignedOffer(saleRefused, signed, signature));
  await send(r.connect(p.registrar).refuseTransfer(await agreedTransfer(MARKET.saleRefused), "材料不全"));
  await send(exchange.connect(p.rongxin).cancelSignedOffer(7n));
  await send(exchange.connect(p.rongxin).bumpNonce(10n));

  // Listed, cancelled by the seller, listed again (open).
  const cancelled = await list(p.scu, params(MARKET.relisted, { venue: cq }));
  await send(exchange.connect(p.scu).cancel(cancelled));
  const relisted = await list(p.scu, params(MARKET.relisted, { venue: cq, price: 2_000_000n }));

  // A licence listing that expires; anyone closes it.
  const expired = await list(p.scu, params(MARKET.expired, { ...licence, expiry: BigInt(t0 + 2 * DAY) }));
  await at(t0 + 2 * DAY);
  await send(exchange.connect(p.rongxin).expire(expired));
  await send(exchange.connect(chengdu).withdraw(tokenAddress));

  // An owner auction through Chengdu: three bids, the last within the window extends the end; sold.
  const end = t0 + 5 * DAY;
  const terms = (patentId: bigint) => ({
    patentId,
    token: tokenAddress,
    reserve: 500_000n,
    incrementBps: 500,
    startTime: 0,
    endTime: end,
    maxEndTime: end + DAY,
    venue: cd,
    broker: brokerA,
  });
  await at(t0 + 3 * DAY); // an auction starting at once starts at its block's time
  await send(auctionHouse.connect(p.uestc).createAuction(terms(MARKET.auctioned)));
  const sold = await auctionHouse.auctionCount();
  await send(auctionHouse.connect(p.rongxin).bid(sold, tokenAddress, 500_000n, cd, ethers.ZeroAddress));
  await send(auctionHouse.connect(p.yuzhi).bid(sold, tokenAddress, 600_000n, cq, brokerB));
  await at(end - 60);
  await send(auctionHouse.connect(p.rongxin).bid(sold, tokenAddress, 700_000n, cd, ethers.ZeroAddress));
  await at(end + DAY);
  await send(auctionHouse.connect(p.yuzhi).close(sold));
  const auctionTransfer = (await auctionHouse.auction(sold)).transferId;
  await send(r.connect(p.registrar).registerTransfer(auctionTransfer, "CNIPA-2030-0036", day + 6));
  await send(auctionHouse.connect(p.yuzhi).withdraw(tokenAddress));

  // An owner auction withdrawn before any bid.
  await at(end + DAY + 3_600);
  await send(auctionHouse.connect(p.uestc).createAuction({ ...terms(MARKET.auctionCancelled), endTime: end + 10 * DAY, maxEndTime: end + 10 * DAY }));
  const auctionCancelled = await auctionHouse.auctionCount();
  await send(auctionHouse.connect(p.uestc).cancelAuction(auctionCancelled));

  // A pledge disposal without a bid: unsold, the patent pledged again.
  const t1 = end + 2 * DAY;
  await at(t1);
  await send(
    pledges.connect(p.bank).proposePledge(
      { pledgee: bank, securedAmount: 2_000_000n, currency: "0x434e59", termEndDay: chinaDayOf(t1) + 365, contractHash: ethers.id("market-pledge"), loanReference: "成银贷-2030-001" },
      [{ patentId: MARKET.expired, pledgor: scu }],
    ),
  );
  const pledgeId = await pledges.pledgeCount();
  await send(pledges.connect(p.scu).consentPledge(pledgeId));
  await send(pledges.connect(p.registrar).registerPledge(pledgeId, "质押登记-2030-001", chinaDayOf(t1)));
  await at(t1 + 3_600);
  await send(pledges.connect(p.bank).startDisposal(pledgeId, [MARKET.expired], [1_500_000n], tokenAddress, t1 + DAY));
  const disposal = await auctionHouse.auctionCount();
  await at(t1 + 2 * DAY);
  await send(auctionHouse.connect(p.bank).close(disposal));

  return {
    listings: {
      saleOffer: BigInt(saleOffer.listingId),
      licenceBuy: BigInt(licenceBuy.listingId),
      saleRefused: BigInt(saleRefused.listingId),
      cancelled: BigInt(cancelled.listingId),
      relisted: BigInt(relisted.listingId),
      expired: BigInt(expired.listingId),
    },
    offers: { accepted: accepted.offerId, cancelled: withdrawn.offerId },
    auctions: { sold, cancelled: auctionCancelled, disposal },
    pledgeId,
  };
}
