import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { ContractTransactionResponse } from "ethers";
import { LockBits } from "../../server/chain/roles";
import { exchangeFixture, licenceParams, list, saleParams } from "../exchange/fixtures";

/**
 * Finding: when the registry started counting the patents that carry each lock bit (so that a bit in use cannot
 * be re-pointed, PatentRegistryLockBitInUse), the count sat in a slot of its own: every lock and unlock read it
 * cold and wrote it (+5,800), and the very first lock of a bit created it (+22,100). A listing went from 97,270
 * to 103,117 gas (the ledger's first: 119,871), above the exchange's 100,000 target.
 * Fixed: the count shares the slot of the bit's module, which lock and unlock read anyway to check their caller;
 * the registry reads a patent's packed slot once on the lock path; `lock` returns the patent's owner, so
 * Exchange.list makes no separate ownerOf call. A listing is 98,538-98,884 gas (npm run bench), the first one included.
 */
describe("Exchange (finding: listing gas after the registry's lock count)", () => {
  const LISTING_TARGET = 100_000n;

  async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<bigint> {
    const receipt = await (await tx).wait();
    return receipt!.gasUsed;
  }

  it("lists the ledger's first patent, creating no slot but the listing's (gas below 100,000)", async () => {
    const f = await loadFixture(exchangeFixture);
    expect(await f.registry.lockCount(LockBits.LISTED)).to.equal(0n);
    expect(await gasOf(f.exchange.connect(f.uniA).list(await saleParams(f, f.ids[0]!)))).to.be.lessThan(LISTING_TARGET);
    expect(await f.registry.lockCount(LockBits.LISTED)).to.equal(1n);
  });

  it("lists a non-exclusive licence while other listings are open (gas below 100,000)", async () => {
    const f = await loadFixture(exchangeFixture);
    await list(f, f.uniA, await saleParams(f, f.ids[0]!));
    expect(await gasOf(f.exchange.connect(f.uniA).list(await licenceParams(f, f.ids[1]!)))).to.be.lessThan(LISTING_TARGET);
    expect(await f.registry.lockCount(LockBits.LISTED)).to.equal(2n);
  });

  it("lists a licence with a broker named (gas below 100,000)", async () => {
    const f = await loadFixture(exchangeFixture);
    await list(f, f.uniA, await saleParams(f, f.ids[0]!));
    const params = await licenceParams(f, f.ids[1]!, { broker: f.broker.address });
    expect(await gasOf(f.exchange.connect(f.uniA).list(params))).to.be.lessThan(LISTING_TARGET);
  });

  it("still counts listed patents down when listings end", async () => {
    const f = await loadFixture(exchangeFixture);
    const first = await list(f, f.uniA, await saleParams(f, f.ids[0]!));
    await list(f, f.uniA, await licenceParams(f, f.ids[1]!));
    await f.exchange.connect(f.uniA).cancel(first);
    expect(await f.registry.lockCount(LockBits.LISTED)).to.equal(1n);
    await expect(f.registry.connect(f.admin).setLockModule(LockBits.LISTED, f.admin.address))
      .to.be.revertedWithCustomError(f.registry, "PatentRegistryLockBitInUse")
      .withArgs(LockBits.LISTED, 1n);
  });
});
