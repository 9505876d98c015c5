import { ethers } from "hardhat";
import type { ContractTransactionResponse } from "ethers";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { deployLedger } from "../../scripts/deploy";
import { namedSigners, patentRecord } from "../../test/helpers/fixtures";
import { chinaDayOf } from "../../server/chain/cnipa";
import type { GasModule, GasRow } from "./types";

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<bigint> {
  const receipt = await (await tx).wait();
  if (!receipt) throw new Error("no receipt");
  return receipt.gasUsed;
}

/**
 * Exact gas of the auction house on the in-process Hardhat network: an owner auction through a venue
 * (create, first bid, outbid, close, registration) and a pledge disposal (start by the pledgee, bids,
 * close, registration with the pledgee paid first), and a withdrawal.
 */
export const measure: GasModule = async () => {
  const s = await namedSigners();
  const ledger = await deployLedger(s.admin, {
    registrars: [s.registrar.address],
    venues: [s.chengdu.address, s.chongqing.address],
    banks: [s.bankA.address],
    appraisers: [],
    evaluators: [],
  });
  const { registry, token, venues, pledges, auctionHouse } = ledger;
  await (await venues.connect(s.chengdu).openVenue("成都知识产权交易中心", 200)).wait();
  await (await venues.connect(s.chongqing).openVenue("重庆知识产权交易中心", 150)).wait();
  await (await venues.connect(s.chengdu).accreditBroker(s.broker.address, 2_000)).wait();
  const records = [1, 2].map((n) => patentRecord(s.uniA.address, 201 + n, { year: 2020 }));
  await (await registry.connect(s.registrar).registerBatch(records)).wait();
  const [owned, pledged] = records.map((r) => BigInt(r.number));
  if (owned === undefined || pledged === undefined) throw new Error("no patents");
  const house = await auctionHouse.getAddress();
  const tokenAddress = await token.getAddress();
  for (const who of [s.companyA, s.companyB]) {
    await (await token.connect(s.admin).mint(who.address, 100_000_000_00n)).wait();
    await (await token.connect(who).approve(house, ethers.MaxUint256)).wait();
  }
  const today = async () => chinaDayOf(await time.latest());
  const rows: GasRow[] = [];
  const zero = ethers.ZeroAddress;

  // ---------------------------------------------------------------- owner auction
  let now = await time.latest();
  const create = await gasOf(
    auctionHouse.connect(s.uniA).createAuction({
      patentId: owned,
      token: tokenAddress,
      reserve: 1_000_000_00n,
      incrementBps: 500,
      startTime: 0,
      endTime: now + 86_400,
      maxEndTime: now + 2 * 86_400,
      venue: s.chengdu.address,
      broker: s.broker.address,
    }),
  );
  const id = await auctionHouse.auctionCount();
  const first = await gasOf(auctionHouse.connect(s.companyA).bid(id, tokenAddress, 1_000_000_00n, s.chongqing.address, zero));
  const outbid = await gasOf(
    auctionHouse.connect(s.companyB).bid(id, tokenAddress, 1_100_000_00n, s.chengdu.address, s.broker.address),
  );
  await time.increaseTo((await auctionHouse.auction(id)).endTime - 60n);
  const late = await gasOf(auctionHouse.connect(s.companyA).bid(id, tokenAddress, 1_200_000_00n, s.chongqing.address, zero));
  await time.increaseTo((await auctionHouse.auction(id)).endTime);
  const close = await gasOf(auctionHouse.close(id));
  const register = await gasOf(registry.connect(s.registrar).registerTransfer(await registry.pendingTransfer(owned), "ZR-BENCH-1", await today()));
  const withdraw = await gasOf(auctionHouse.connect(s.uniA).withdraw(tokenAddress));
  const note = "owner auction via Chengdu, listing broker";
  rows.push(
    { area: "exchange", operation: "auction: create (owner, locks)", gas: create, note },
    { area: "exchange", operation: "auction: first bid (escrow)", gas: first, note },
    { area: "exchange", operation: "auction: outbid (credits the previous bidder)", gas: outbid, note: `${note}, bid broker` },
    { area: "exchange", operation: "auction: late bid (extends the end)", gas: late, note },
    { area: "exchange", operation: "auction: close (agrees the transfer)", gas: close, note },
    { area: "exchange", operation: "auction: transfer registered (registrar, pays out)", gas: register, note },
    { area: "exchange", operation: "auction: total close + registration", gas: close + register, note },
    { area: "exchange", operation: "auction: withdraw (seller)", gas: withdraw, note },
  );

  // ---------------------------------------------------------------- pledge disposal
  const day = await today();
  await (
    await pledges.connect(s.bankA).proposePledge(
      {
        pledgee: s.bankA.address,
        securedAmount: 1_000_000_00n,
        currency: "0x434e59",
        termEndDay: day + 365,
        contractHash: ethers.id("bench-pledge"),
        loanReference: "BENCH-2026-0002",
      },
      [{ patentId: pledged, pledgor: s.uniA.address }],
    )
  ).wait();
  const pledgeId = await pledges.pledgeCount();
  await (await pledges.connect(s.uniA).consentPledge(pledgeId)).wait();
  await (await pledges.connect(s.registrar).registerPledge(pledgeId, "Y-BENCH", day)).wait();
  now = await time.latest();
  const start = await gasOf(
    pledges.connect(s.bankA).startDisposal(pledgeId, [pledged], [800_000_00n], tokenAddress, now + 86_400),
  );
  const dId = await auctionHouse.auctionCount();
  const dFirst = await gasOf(auctionHouse.connect(s.companyA).bid(dId, tokenAddress, 800_000_00n, s.chongqing.address, zero));
  const dOutbid = await gasOf(auctionHouse.connect(s.companyB).bid(dId, tokenAddress, 1_500_000_00n, s.chengdu.address, zero));
  await time.increaseTo((await auctionHouse.auction(dId)).endTime);
  const dClose = await gasOf(auctionHouse.close(dId));
  const dRegister = await gasOf(
    registry.connect(s.registrar).registerTransfer(await registry.pendingTransfer(pledged), "ZR-BENCH-2", await today()),
  );
  const dNote = "single-patent pledge, surplus to the pledgor";
  rows.push(
    { area: "exchange", operation: "disposal: start (pledgee, Pledges + auction)", gas: start, note: dNote },
    { area: "exchange", operation: "disposal: first bid", gas: dFirst, note: dNote },
    { area: "exchange", operation: "disposal: outbid", gas: dOutbid, note: dNote },
    { area: "exchange", operation: "disposal: close (agrees the transfer)", gas: dClose, note: dNote },
    {
      area: "exchange",
      operation: "disposal: transfer registered (pledgee, fees, pledgor paid)",
      gas: dRegister,
      note: dNote,
    },
    { area: "exchange", operation: "disposal: total close + registration", gas: dClose + dRegister, note: dNote },
  );
  return rows;
};
