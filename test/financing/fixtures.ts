import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { deployFixture, patentRecord } from "../helpers/fixtures";
import { chinaDayOf } from "../../server/chain/cnipa";
import { LockBits, Roles } from "../../server/chain/roles";
import { MinimalDisposalAuction__factory } from "../../typechain-types";
import type { PledgeTermsStruct } from "../../typechain-types/contracts/financing/Pledges";

/** China Standard Time day of the latest block. */
export async function today(): Promise<number> {
  return chinaDayOf(await time.latest());
}

/**
 * The ledger with patents registered for pledging: uniA holds serials 1-3 and 10-30, uniB holds 4-5.
 * `module` (the broker account) holds Roles.MODULE and LOCK_LISTED, standing in for the exchange and
 * licensing modules that ask the registry before an act. The minimal disposal auction holds LOCK_DISPOSAL.
 */
export async function financingFixture() {
  const f = await deployFixture();
  const { registry, registrar, admin, accessManager, pledges } = f;
  const records = [1, 2, 3].map((n) => patentRecord(f.uniA.address, n));
  records.push(patentRecord(f.uniB.address, 4), patentRecord(f.uniB.address, 5));
  for (let n = 10; n <= 30; ++n) records.push(patentRecord(f.uniA.address, n));
  await registry.connect(registrar).registerBatch(records);
  const ids = records.map((r) => BigInt(r.number));

  const module = f.broker;
  await accessManager.connect(admin).grantRole(Roles.MODULE, module.address, 0);
  await registry.connect(admin).setLockModule(LockBits.LISTED, module.address);

  const auction = await new MinimalDisposalAuction__factory(admin).deploy(
    await registry.getAddress(),
    await pledges.getAddress(),
  );
  await auction.waitForDeployment();
  await accessManager.connect(admin).grantRole(Roles.MODULE, await auction.getAddress(), 0);
  await registry.connect(admin).setLockModule(LockBits.DISPOSAL, await auction.getAddress());

  for (const who of [f.bankA, f.companyA, f.companyB, module, f.uniA]) {
    await f.token.connect(admin).mint(who.address, 100_000_000n);
  }
  const day = await today();
  const terms: PledgeTermsStruct = {
    pledgee: f.bankA.address,
    securedAmount: 5_000_000n, // 50,000.00 CNY in fen
    currency: ethers.encodeBytes32String("CNY").slice(0, 8),
    termEndDay: day + 365,
    contractHash: ethers.id("pledge-contract-1"),
    loanReference: "CDB-2026-0001",
  };
  return { ...f, ids, module, auction, terms, day };
}

export type FinancingFixture = Awaited<ReturnType<typeof financingFixture>>;

/** Proposes (by the bank), consents (by every pledgor) and optionally registers a pledge. */
export async function pledgeOf(
  f: FinancingFixture,
  items: { patentId: bigint; pledgor: string }[],
  opts: { register?: boolean; terms?: Partial<PledgeTermsStruct> } = {},
): Promise<bigint> {
  const terms = { ...f.terms, ...opts.terms };
  await f.pledges.connect(f.bankA).proposePledge(terms, items);
  const pledgeId = await f.pledges.pledgeCount();
  const signers = await ethers.getSigners();
  const pledgors = [...new Set(items.map((i) => i.pledgor))];
  for (const p of pledgors) {
    const signer = signers.find((s) => s.address === p);
    if (!signer) throw new Error(`no signer for ${p}`);
    await f.pledges.connect(signer).consentPledge(pledgeId);
  }
  if (opts.register !== false) {
    await f.pledges.connect(f.registrar).registerPledge(pledgeId, `Y2026510000${pledgeId}`, await today());
  }
  return pledgeId;
}
