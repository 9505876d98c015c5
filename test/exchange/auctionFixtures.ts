import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { deployFixture, patentRecord } from "../helpers/fixtures";
import { chinaDayOf } from "../../server/chain/cnipa";
import type { AuctionTermsStruct } from "../../typechain-types/contracts/exchange/AuctionHouse";
import type { PledgeTermsStruct } from "../../typechain-types/contracts/financing/Pledges";

/** Auction statuses; mirror contracts/libraries/AuctionTypes.sol. */
export enum AuctionStatus {
  None = 0,
  Open = 1,
  Settling = 2,
  Sold = 3,
  Unsold = 4,
  Refused = 5,
  Cancelled = 6,
}

export enum AuctionKind {
  Owner = 0,
  Disposal = 1,
}

export const CHENGDU_FEE_BPS = 200;
export const CHONGQING_FEE_BPS = 150;
export const BROKER_SHARE_BPS = 2_000;
export const HOUR = 3_600;

/** China Standard Time day of the latest block. */
export async function today(): Promise<number> {
  return chinaDayOf(await time.latest());
}

/**
 * The ledger with venues open (Chengdu 2%, Chongqing 1.5%), the broker accredited by Chengdu (20% of its
 * part), patents 1-6 held by uniA and 7-8 by uniB, and funds approved to the auction house by the bidders.
 */
export async function auctionFixture() {
  const f = await deployFixture();
  const { registry, registrar, admin, venues, token, auctionHouse } = f;
  await venues.connect(f.chengdu).openVenue("成都知识产权交易中心", CHENGDU_FEE_BPS);
  await venues.connect(f.chongqing).openVenue("重庆知识产权交易中心", CHONGQING_FEE_BPS);
  await venues.connect(f.chengdu).accreditBroker(f.broker.address, BROKER_SHARE_BPS);
  const records = [1, 2, 3, 4, 5, 6].map((n) => patentRecord(f.uniA.address, n));
  records.push(patentRecord(f.uniB.address, 7), patentRecord(f.uniB.address, 8));
  await registry.connect(registrar).registerBatch(records);
  const ids = records.map((r) => BigInt(r.number));
  const house = await auctionHouse.getAddress();
  for (const who of [f.companyA, f.companyB, f.stranger, f.bankA, f.uniB]) {
    await token.connect(admin).mint(who.address, 100_000_000n);
    await token.connect(who).approve(house, ethers.MaxUint256);
  }
  const tokenAddress = await token.getAddress();
  const now = await time.latest();
  const terms = (patentId: bigint, over: Partial<AuctionTermsStruct> = {}): AuctionTermsStruct => ({
    patentId,
    token: tokenAddress,
    reserve: 1_000_000n,
    incrementBps: 500,
    startTime: 0,
    endTime: now + 7 * 24 * HOUR,
    maxEndTime: now + 8 * 24 * HOUR,
    venue: f.chengdu.address,
    broker: ethers.ZeroAddress,
    ...over,
  });
  const day = await today();
  const pledgeTerms: PledgeTermsStruct = {
    pledgee: f.bankA.address,
    securedAmount: 5_000_000n,
    currency: ethers.encodeBytes32String("CNY").slice(0, 8),
    termEndDay: day + 365,
    contractHash: ethers.id("pledge-contract-1"),
    loanReference: "CDB-2026-0001",
  };
  return { ...f, ids, house, tokenAddress, terms, pledgeTerms };
}

export type AuctionFixture = Awaited<ReturnType<typeof auctionFixture>>;

/** Opens an owner auction of `patentId` by `uniA` and returns its id. */
export async function openAuction(f: AuctionFixture, patentId: bigint, over: Partial<AuctionTermsStruct> = {}) {
  await f.auctionHouse.connect(f.uniA).createAuction(f.terms(patentId, over));
  return f.auctionHouse.auctionCount();
}

/** A registered pledge of `patentId` (held by uniA) to bankA; returns the pledge id. */
export async function registeredPledge(f: AuctionFixture, patentId: bigint, over: Partial<PledgeTermsStruct> = {}) {
  await f.pledges.connect(f.bankA).proposePledge({ ...f.pledgeTerms, ...over }, [{ patentId, pledgor: f.uniA.address }]);
  const pledgeId = await f.pledges.pledgeCount();
  await f.pledges.connect(f.uniA).consentPledge(pledgeId);
  await f.pledges.connect(f.registrar).registerPledge(pledgeId, `Y2026510000${pledgeId}`, await today());
  return pledgeId;
}

/** The pledgee starts a disposal of `patentId` ending in a day; returns the pledge and auction ids. */
export async function disposal(f: AuctionFixture, patentId: bigint, reserve = 4_000_000n, pledgeOver: Partial<PledgeTermsStruct> = {}) {
  const pledgeId = await registeredPledge(f, patentId, pledgeOver);
  const endTime = (await time.latest()) + 24 * HOUR;
  await f.pledges.connect(f.bankA).startDisposal(pledgeId, [patentId], [reserve], f.tokenAddress, endTime);
  return { pledgeId, auctionId: await f.auctionHouse.auctionCount(), endTime };
}
