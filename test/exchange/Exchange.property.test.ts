import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { ContractTransactionReceipt, ContractTransactionResponse } from "ethers";
import { ListingKind, OfferStatus, ListingStatus, type SignedOfferValue } from "../../server/chain/exchange";
import { fcParams } from "../helpers/properties";
import { listingFromEvent } from "../../server/client/exchange";
import { DAY, exchangeFixture, licenceParams, saleParams, signOffer, today, type ExchangeFixture } from "./fixtures";
import type { ListingStruct, OfferTermsStruct } from "../../typechain-types/contracts/exchange/Exchange";

const PANIC_SELECTOR = "0x4e487b71";
const ERROR_STRING_SELECTOR = "0x08c379a0";

type Command = [action: number, a: number, b: number, c: number];

interface Model {
  listings: ListingStruct[];
  offers: { offerId: bigint; offer: OfferTermsStruct }[];
  signed: { value: SignedOfferValue; signature: string }[];
  pending: bigint[]; // transfer ids of sales awaiting registration
  settledCount: Map<bigint, number>; // ListingSettled per listing id
  prices: Map<bigint, bigint>; // settled price per listing id
  payoutTotals: Map<bigint, bigint>; // sum of ProceedsCredited amounts per listing id
  owners: Map<bigint, string>; // expected owner per patent
  saleBuyer: Map<bigint, { patentId: bigint; buyer: string }>;
  nonces: Map<string, bigint>;
}

function pick<T>(items: readonly T[], n: number): T | undefined {
  return items.length === 0 ? undefined : items[n % items.length];
}

/** Sends a transaction; a revert must carry a custom error (no panic, no string, no empty revert). */
async function attempt(send: () => Promise<ContractTransactionResponse>): Promise<ContractTransactionReceipt | null> {
  try {
    return await (await send()).wait();
  } catch (e) {
    const data = (e as { data?: string }).data ?? "";
    expect(data.length, `revert without a custom error: ${String(e)}`).to.be.greaterThanOrEqual(10);
    expect(data.slice(0, 10)).not.to.equal(PANIC_SELECTOR);
    expect(data.slice(0, 10)).not.to.equal(ERROR_STRING_SELECTOR);
    return null;
  }
}

function record(f: ExchangeFixture, m: Model, receipt: ContractTransactionReceipt | null): void {
  if (!receipt) return;
  for (const log of receipt.logs) {
    if (log.address !== f.exchangeAddress) continue;
    const parsed = f.exchange.interface.parseLog(log);
    if (!parsed) continue;
    if (parsed.name === "Listed") m.listings.push(listingFromEvent(parsed.args));
    if (parsed.name === "OfferMade") {
      m.offers.push({ offerId: parsed.args.offerId as bigint, offer: parsed.args.offer.toObject(true) as OfferTermsStruct });
    }
    if (parsed.name === "ListingSettled") {
      const id = parsed.args.listingId as bigint;
      m.settledCount.set(id, (m.settledCount.get(id) ?? 0) + 1);
      m.prices.set(id, parsed.args.trade.price as bigint);
      if (Number(parsed.args.trade.kind) === ListingKind.Sale) {
        const transferId = parsed.args.trade.rightId as bigint;
        m.pending.push(transferId);
        m.saleBuyer.set(transferId, { patentId: parsed.args.patentId as bigint, buyer: parsed.args.buyer as string });
      }
    }
    if (parsed.name === "ProceedsCredited") {
      const p = parsed.args.payouts;
      const sum =
        (p.payeeAmount as bigint) +
        (p.listingVenueAmount as bigint) +
        (p.buyerVenueAmount as bigint) +
        (p.listingBrokerAmount as bigint) +
        (p.buyerBrokerAmount as bigint);
      const id = parsed.args.listingId as bigint;
      m.payoutTotals.set(id, (m.payoutTotals.get(id) ?? 0n) + sum);
    }
  }
}

async function checkInvariants(f: ExchangeFixture, m: Model, accounts: string[]): Promise<void> {
  // 1. The exchange holds exactly open escrows + pending sale escrows + withdrawable balances.
  let owed = 0n;
  for (const { offerId, offer } of m.offers) {
    if ((await f.exchange.offerStatus(offerId, offer)) === BigInt(OfferStatus.Open)) owed += BigInt(offer.price);
  }
  for (const transferId of m.saleBuyer.keys()) {
    const sale = await f.exchange.sale(transferId);
    if (sale.status === BigInt(ListingStatus.Pending)) owed += sale.price;
  }
  for (const account of accounts) owed += await f.exchange.balanceOf(account, f.tokenAddress);
  expect(await f.token.balanceOf(f.exchangeAddress)).to.equal(owed);
  // 2. Each listing settles at most once.
  for (const count of m.settledCount.values()) expect(count).to.equal(1);
  // 3. Every payout sums to the trade's price.
  for (const [id, total] of m.payoutTotals) expect(total).to.equal(m.prices.get(id));
  // 4. Each patent has exactly the owner the registrations say.
  for (const [patentId, owner] of m.owners) expect(await f.registry.ownerOf(patentId)).to.equal(owner);
}

describe("Exchange", () => {
  describe("properties", function () {
    this.timeout(900_000);
    it("keeps funds, settlements, payouts and ownership consistent over random market sequences", async () => {
      // action weights: trades and registrations often, cancellations and expiry now and then
      const weights = [2, 2, 3, 3, 3, 3, 1, 1, 2, 3, 1, 1, 2, 1];
      const action = fc.oneof(...weights.map((weight, n) => ({ arbitrary: fc.constant(n), weight })));
      const command = fc.tuple(action, fc.nat(1_000), fc.nat(1_000), fc.nat(1_000_000));
      await fc.assert(
        fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 30 }), async (commands: Command[]) => {
          const f = await loadFixture(exchangeFixture);
          const patents = f.ids.slice(0, 3);
          const people: HardhatEthersSigner[] = [f.uniA, f.companyA, f.companyB, f.stranger];
          const venues = [f.chengdu.address, f.chongqing.address];
          const brokers = [ethers.ZeroAddress, f.broker.address, f.brokerB.address];
          const accounts = [...people, f.chengdu, f.chongqing, f.broker, f.brokerB, f.uniB].map((s) => s.address);
          const signerOf = (address: string): HardhatEthersSigner => people.find((p) => p.address === address)!;
          const m: Model = {
            listings: [],
            offers: [],
            signed: [],
            pending: [],
            settledCount: new Map(),
            prices: new Map(),
            payoutTotals: new Map(),
            owners: new Map(patents.map((id) => [id, f.uniA.address])),
            saleBuyer: new Map(),
            nonces: new Map(),
          };
          // start with a sale and a licence listed, so that short sequences reach the trades
          record(f, m, await attempt(async () => f.exchange.connect(f.uniA).list(await saleParams(f, patents[0]!))));
          record(f, m, await attempt(async () => f.exchange.connect(f.uniA).list(await licenceParams(f, patents[1]!))));
          for (const [action, a, b, c] of commands) {
            const price = BigInt(1 + (c % 500_000));
            const venue = venues[b % 2]!;
            // a broker accredited by the venue, or none (so that most trades go through)
            const broker = b % 3 === 0 ? ethers.ZeroAddress : brokers[1 + (b % 2)]!;
            let receipt: ContractTransactionReceipt | null = null;
            switch (action) {
              case 0:
              case 1: {
                const patentId = pick(patents, a)!;
                const owner = signerOf(await f.registry.ownerOf(patentId));
                const over = { venue, broker: broker === f.broker.address && venue === f.chengdu.address ? broker : ethers.ZeroAddress, price };
                const params = action === 0 ? await saleParams(f, patentId, over) : await licenceParams(f, patentId, over);
                receipt = await attempt(() => f.exchange.connect(owner).list(params));
                break;
              }
              case 2: {
                const listing = pick(m.listings, a);
                const buyer = pick(people, b)!;
                if (listing) receipt = await attempt(() => f.exchange.connect(buyer).makeOffer(listing, venue, broker, price));
                break;
              }
              case 3: {
                const listing = pick(m.listings, a);
                const buyer = pick(people.slice(1), b)!;
                if (!listing) break;
                const nonce = m.nonces.get(buyer.address) ?? 0n;
                m.nonces.set(buyer.address, nonce + 1n);
                const value: SignedOfferValue = {
                  listingId: BigInt(listing.listingId),
                  buyer: buyer.address,
                  buyerVenue: venue,
                  broker: broker === f.brokerB.address && venue === f.chongqing.address ? broker : ethers.ZeroAddress,
                  price,
                  token: f.tokenAddress,
                  nonce,
                  deadline: BigInt((await time.latest()) + DAY),
                };
                m.signed.push({ value, signature: await signOffer(buyer, f.exchangeAddress, value) });
                break;
              }
              case 4: {
                const entry = pick(m.offers, a);
                const listing = entry && m.listings.find((l) => BigInt(l.listingId) === BigInt(entry.offer.listingId));
                if (entry && listing) {
                  const seller = signerOf(listing.seller as string);
                  receipt = await attempt(() => f.exchange.connect(seller).acceptOffer(listing, entry.offerId, entry.offer));
                }
                break;
              }
              case 5: {
                const entry = pick(m.signed, a);
                const listing = entry && m.listings.find((l) => BigInt(l.listingId) === entry.value.listingId);
                if (entry && listing) {
                  const seller = signerOf(listing.seller as string);
                  receipt = await attempt(() => f.exchange.connect(seller).acceptSignedOffer(listing, entry.value, entry.signature));
                }
                break;
              }
              case 6: {
                const entry = pick(m.offers, a);
                if (entry) {
                  const buyer = signerOf(entry.offer.buyer as string);
                  receipt = await attempt(() => f.exchange.connect(buyer).cancelOffer(entry.offerId, entry.offer));
                }
                break;
              }
              case 7: {
                const listing = pick(m.listings, a);
                if (listing) receipt = await attempt(() => f.exchange.connect(signerOf(listing.seller as string)).cancel(listing));
                break;
              }
              case 8: {
                const listing = pick(m.listings, a);
                const buyer = pick(people, b)!;
                if (listing) {
                  receipt = await attempt(() => f.exchange.connect(buyer).buy(listing, venue, broker, BigInt(listing.terms.price)));
                }
                break;
              }
              case 9:
              case 10: {
                const transferId = pick(m.pending, a);
                if (transferId === undefined) break;
                m.pending = m.pending.filter((t) => t !== transferId);
                const day = await today();
                receipt = await attempt(() =>
                  action === 9
                    ? f.registry.connect(f.registrar).registerTransfer(transferId, `ZR${transferId}`, day)
                    : f.registry.connect(f.registrar).refuseTransfer(transferId, "refused"),
                );
                if (receipt && action === 9) {
                  const sale = m.saleBuyer.get(transferId)!;
                  m.owners.set(sale.patentId, sale.buyer);
                }
                break;
              }
              case 11: {
                const listing = pick(m.listings, a);
                if (!listing) break;
                if (b % 4 === 0) await time.increase(31 * DAY);
                receipt = await attempt(() => f.exchange.connect(f.stranger).expire(listing));
                break;
              }
              case 12: {
                const who = signerOf(pick(people, a)!.address);
                receipt = await attempt(() => f.exchange.connect(who).withdraw(f.tokenAddress));
                break;
              }
              default: {
                const who = pick(people.slice(1), a)!;
                receipt = await attempt(() => f.exchange.connect(who).cancelSignedOffer(BigInt(b % 4)));
              }
            }
            record(f, m, receipt);
            await checkInvariants(f, m, accounts);
          }
        }),
        fcParams(30),
      );
    });
  });
});
