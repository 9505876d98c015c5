import { expect } from "chai";
import { ethers } from "hardhat";
import fc from "fast-check";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { ContractTransactionResponse } from "ethers";
import { Act, LockBits } from "../../server/chain/roles";
import { patentRecord } from "../helpers/fixtures";
import { financingFixture, today } from "./fixtures";

/**
 * Random sequences of registry, pledge, disposal, valuation and equity operations, run against the chain
 * and against a TypeScript model of the rules. The model predicts whether each operation succeeds; after
 * every step the owner and lock bits of every patent on chain must equal the model's, a pledged patent
 * may change owner only through a disposal or an act the pledgee consented to, and no patent is ever in
 * two active pledges.
 */

const RUNS = Number(process.env.FC_RUNS ?? 200);
const SEED = Number(process.env.FC_SEED ?? 20_260_515);
const INITIAL = 4; // patents registered by the fixture used here
const POOL = 3; // patents the sequence may register

type EntryState = "Pledged" | "Left" | "Disposing" | "Disposed" | "Released";
type PledgeState = "Agreed" | "Registered" | "Defaulted" | "Released" | "Enforced";
interface MPledge {
  id: bigint;
  pledgee: string;
  status: PledgeState;
  entries: Map<number, EntryState>;
}
interface MPending {
  to: string;
  agreed: boolean;
  initiator: "owner" | "auction" | "equity";
  /** the pledge whose consent (or disposal) let it happen, if the patent is pledged */
  justified: boolean;
  auctionId?: bigint;
}
interface MDeal {
  id: bigint;
  company: string;
}
interface Model {
  owners: Map<number, string>; // patent index -> owner
  activePledge: Map<number, bigint>;
  pledges: Map<bigint, MPledge>;
  consents: Set<string>;
  pending: Map<number, MPending>;
  committed: Map<number, MDeal>;
  valuations: Map<number, number>;
  pledgeCount: bigint;
  dealCount: bigint;
  registered: number;
}

type Op =
  | { kind: "register" }
  | { kind: "proposeTransfer"; p: number; to: number }
  | { kind: "acceptTransfer"; p: number }
  | { kind: "registerTransfer"; p: number }
  | { kind: "refuseTransfer"; p: number }
  | { kind: "pledge"; ps: number[]; bank: number; register: boolean; wrongPledgor: boolean }
  | { kind: "registerPledge"; p: number }
  | { kind: "consent"; p: number; act: number; cp: number }
  | { kind: "release"; p: number }
  | { kind: "disposal"; p: number; sold: boolean }
  | { kind: "value"; p: number }
  | { kind: "contribute"; p: number; company: number }
  | { kind: "execute"; p: number };

const P = INITIAL + POOL;
// mostly the patents registered from the start, sometimes those the sequence may register
const pIdx = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: INITIAL - 1 }), weight: 5 },
  { arbitrary: fc.integer({ min: INITIAL, max: P - 1 }), weight: 1 },
);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.constant({ kind: "register" as const }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("proposeTransfer" as const), p: pIdx, to: fc.integer({ min: 0, max: 3 }) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant("acceptTransfer" as const), p: pIdx }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant("registerTransfer" as const), p: pIdx }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant("refuseTransfer" as const), p: pIdx }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant("pledge" as const),
      ps: fc.uniqueArray(pIdx, { minLength: 1, maxLength: 2 }),
      bank: fc.integer({ min: 0, max: 1 }),
      register: fc.integer({ min: 0, max: 3 }).map((n) => n > 0),
      wrongPledgor: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
    }),
    weight: 4,
  },
  { arbitrary: fc.record({ kind: fc.constant("registerPledge" as const), p: pIdx }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant("consent" as const),
      p: pIdx,
      act: fc.constantFrom(Act.Transfer, Act.Licence, Act.Contribute),
      cp: fc.integer({ min: 0, max: 4 }), // 4: any counterparty (zero)
    }),
    weight: 3,
  },
  { arbitrary: fc.record({ kind: fc.constant("release" as const), p: pIdx }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant("disposal" as const), p: pIdx, sold: fc.boolean() }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant("value" as const), p: pIdx }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("contribute" as const), p: pIdx, company: fc.integer({ min: 2, max: 3 }) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant("execute" as const), p: pIdx }), weight: 2 },
);

async function propertyFixture() {
  const f = await financingFixture();
  const signers = await ethers.getSigners();
  const bidder = signers[18]!; // the investor: never an owner in these sequences
  await f.token.connect(f.admin).mint(bidder.address, 1_000_000_000n);
  await f.token.connect(bidder).approve(await f.auction.getAddress(), ethers.MaxUint256);
  // the sequences use the first INITIAL patents of the fixture and may register POOL more
  const pool = Array.from({ length: POOL }, (_, i) => patentRecord(f.uniB.address, 60 + i));
  return { ...f, bidder, pool };
}

async function succeeds(tx: () => Promise<ContractTransactionResponse>): Promise<boolean> {
  try {
    await (await tx()).wait();
    return true;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!/reverted/.test(message)) throw error;
    return false;
  }
}

/** Every consent key a sequence touched, to compare with the chain at the end. */
const touched = new Map<string, [bigint, number, number, string]>();

function consentKey(pledgeId: bigint, p: number, act: number, cp: string): string {
  const key = `${pledgeId}:${p}:${act}:${cp.toLowerCase()}`;
  touched.set(key, [pledgeId, p, act, cp]);
  return key;
}

describe("Pledges (property: model of pledges, transfers, disposals and contributions)", function () {
  this.timeout(600_000);

  it(`keeps owners, locks and pledges equal to the model over ${RUNS} random sequences`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 6, maxLength: 16 }), async (ops) => {
        const f = await loadFixture(propertyFixture);
        const ids = [...f.ids.slice(0, INITIAL), ...f.pool.map((r) => BigInt(r.number))];
        const parties: HardhatEthersSigner[] = [f.uniA, f.uniB, f.companyA, f.companyB];
        const banks = [f.bankA, f.bankB];
        const signerOf = (address: string): HardhatEthersSigner => {
          const s = [...parties, ...banks, f.bidder].find((x) => x.address === address);
          if (!s) throw new Error(`no signer for ${address}`);
          return s;
        };
        const initialOwners = [f.uniA, f.uniA, f.uniA, f.uniB].map((s) => s.address);
        const m: Model = {
          owners: new Map(initialOwners.map((o, i) => [i, o])),
          activePledge: new Map(),
          pledges: new Map(),
          consents: new Set(),
          pending: new Map(),
          committed: new Map(),
          valuations: new Map(),
          pledgeCount: 0n,
          dealCount: 0n,
          registered: INITIAL,
        };
        touched.clear();
        const day = await today();
        const token = await f.token.getAddress();

        const entryOf = (p: number): { pledge: MPledge; state: EntryState } | undefined => {
          const id = m.activePledge.get(p);
          if (id === undefined) return undefined;
          const pledge = m.pledges.get(id)!;
          return { pledge, state: pledge.entries.get(p)! };
        };
        const maybeEnforced = (pledge: MPledge) => {
          const active = [...pledge.entries.values()].some((s) => s === "Pledged" || s === "Disposing");
          if (pledge.status === "Defaulted" && !active) pledge.status = "Enforced";
        };
        /** Resolves an op's patent among those it can act on (so that sequences reach deep states). */
        const pick = (n: number, eligible: (p: number) => boolean): number | undefined => {
          const candidates = Array.from({ length: m.registered }, (_, p) => p).filter(eligible);
          return candidates.length === 0 ? undefined : candidates[n % candidates.length];
        };
        /** The pledge guard's answer for an act by someone other than the disposal module; consumes a consent. */
        const guardPermits = (p: number, act: number, cp: string): boolean => {
          const e = entryOf(p);
          if (!e) return true;
          if (e.state === "Disposing") return false;
          return (
            m.consents.has(consentKey(e.pledge.id, p, act, cp)) ||
            m.consents.has(consentKey(e.pledge.id, p, act, ethers.ZeroAddress))
          );
        };
        /** Uses up the consent that permitted an act: the exact one first, else the one with any counterparty. */
        const consume = (p: number, act: number, cp: string) => {
          const e = entryOf(p);
          if (!e) return;
          const exact = consentKey(e.pledge.id, p, act, cp);
          if (m.consents.has(exact)) m.consents.delete(exact);
          else m.consents.delete(consentKey(e.pledge.id, p, act, ethers.ZeroAddress));
        };

        for (const op of ops) {
          const exists = (p: number) => p < m.registered;
          switch (op.kind) {
            case "register": {
              if (m.registered >= P) break;
              const record = f.pool[m.registered - INITIAL]!;
              await (await f.registry.connect(f.registrar).register(record)).wait();
              m.owners.set(m.registered, f.uniB.address);
              m.registered += 1;
              break;
            }
            case "proposeTransfer": {
              if (!exists(op.p)) break;
              const owner = m.owners.get(op.p)!;
              const to = parties[op.to]!.address;
              const expected =
                to !== owner && !m.pending.has(op.p) && guardPermits(op.p, Act.Transfer, to) && !m.committed.has(op.p);
              const ok = await succeeds(() =>
                f.registry.connect(signerOf(owner)).proposeTransfer(ids[op.p]!, to, ethers.ZeroHash),
              );
              expect(ok, `proposeTransfer ${JSON.stringify(op)}`).to.equal(expected);
              if (ok) {
                const e = entryOf(op.p);
                consume(op.p, Act.Transfer, to);
                m.pending.set(op.p, { to, agreed: false, initiator: "owner", justified: e !== undefined });
              }
              break;
            }
            case "acceptTransfer": {
              const p = pick(op.p, (q) => m.pending.get(q)?.agreed === false);
              if (p === undefined) break;
              const t = m.pending.get(p)!;
              const transferId = await f.registry.pendingTransfer(ids[p]!);
              await (await f.registry.connect(signerOf(t.to)).acceptTransfer(transferId)).wait();
              t.agreed = true;
              break;
            }
            case "registerTransfer": {
              const p = pick(op.p, (q) => m.pending.get(q)?.agreed === true);
              if (p === undefined) break;
              const t = m.pending.get(p)!;
              const transferId = await f.registry.pendingTransfer(ids[p]!);
              await (await f.registry.connect(f.registrar).registerTransfer(transferId, "ZR", day)).wait();
              const e = entryOf(p);
              if (e) {
                // the property: a pledged patent moves only by disposal or by an act the pledgee consented to
                expect(t.initiator === "auction" || t.justified, "pledged patent moved without consent").to.equal(true);
                if (e.state === "Disposing") {
                  e.pledge.entries.set(p, "Disposed");
                } else {
                  e.pledge.entries.set(p, "Left");
                }
                m.activePledge.delete(p);
                maybeEnforced(e.pledge);
              }
              m.committed.delete(p);
              m.owners.set(p, t.to);
              m.pending.delete(p);
              break;
            }
            case "refuseTransfer": {
              const p = pick(op.p, (q) => m.pending.get(q)?.agreed === true);
              if (p === undefined) break;
              const t = m.pending.get(p)!;
              const transferId = await f.registry.pendingTransfer(ids[p]!);
              await (await f.registry.connect(f.registrar).refuseTransfer(transferId, "refused")).wait();
              const e = entryOf(p);
              if (t.initiator === "auction" && e) e.pledge.entries.set(p, "Pledged");
              if (t.initiator === "equity") m.committed.delete(p);
              m.pending.delete(p);
              break;
            }
            case "pledge": {
              const ps = op.ps.filter(exists);
              if (ps.length === 0) break;
              const bank = banks[op.bank]!;
              const items = ps.map((p, i) => {
                const owner = m.owners.get(p)!;
                const wrong = op.wrongPledgor && i === ps.length - 1;
                const other = parties.find((s) => s.address !== owner)!.address;
                return { patentId: ids[p]!, pledgor: wrong ? other : owner };
              });
              const expected = ps.every(
                (p, i) =>
                  !m.activePledge.has(p) &&
                  items[i]!.pledgor === m.owners.get(p) &&
                  !m.pending.has(p) &&
                  !m.committed.has(p),
              );
              const ok = await succeeds(() =>
                f.pledges.connect(bank).proposePledge({ ...f.terms, pledgee: bank.address }, items),
              );
              expect(ok, `proposePledge ${JSON.stringify(op)}`).to.equal(expected);
              if (!ok) break;
              const id = ++m.pledgeCount;
              for (const pledgor of new Set(items.map((i) => i.pledgor))) {
                await (await f.pledges.connect(signerOf(pledgor)).consentPledge(id)).wait();
              }
              if (op.register) await (await f.pledges.connect(f.registrar).registerPledge(id, "Y", day)).wait();
              m.pledges.set(id, {
                id,
                pledgee: bank.address,
                status: op.register ? "Registered" : "Agreed",
                entries: new Map(ps.map((p) => [p, "Pledged" as EntryState])),
              });
              for (const p of ps) m.activePledge.set(p, id);
              break;
            }
            case "registerPledge": {
              const p = pick(op.p, (q) => entryOf(q)?.pledge.status === "Agreed");
              if (p === undefined) break;
              const e = entryOf(p)!;
              await (await f.pledges.connect(f.registrar).registerPledge(e.pledge.id, "Y", day)).wait();
              e.pledge.status = "Registered";
              break;
            }
            case "consent": {
              const p = pick(op.p, (q) => entryOf(q) !== undefined);
              if (p === undefined) break;
              const e = entryOf(p)!;
              const cp = op.cp === 4 ? ethers.ZeroAddress : parties[op.cp]!.address;
              const expected = e.state === "Pledged";
              const ok = await succeeds(() =>
                f.pledges.connect(signerOf(e.pledge.pledgee)).consent(e.pledge.id, ids[p]!, op.act, cp, 0),
              );
              expect(ok, `consent ${JSON.stringify(op)}`).to.equal(expected);
              if (ok) m.consents.add(consentKey(e.pledge.id, p, op.act, cp));
              break;
            }
            case "release": {
              const p = pick(op.p, (q) => entryOf(q) !== undefined);
              if (p === undefined) break;
              const e = entryOf(p)!;
              const pledge = e.pledge;
              const expected =
                (pledge.status === "Registered" || pledge.status === "Defaulted") &&
                ![...pledge.entries.values()].includes("Disposing");
              const ok = await succeeds(() => f.pledges.connect(signerOf(pledge.pledgee)).releasePledge(pledge.id));
              expect(ok, `release ${JSON.stringify(op)}`).to.equal(expected);
              if (!ok) break;
              pledge.status = "Released";
              for (const [p, s] of pledge.entries) {
                if (s === "Pledged") {
                  pledge.entries.set(p, "Released");
                  m.activePledge.delete(p);
                }
              }
              break;
            }
            case "disposal": {
              const p = pick(op.p, (q) => entryOf(q) !== undefined);
              if (p === undefined) break;
              const e = entryOf(p)!;
              const pledge = e.pledge;
              const expected =
                (pledge.status === "Registered" || pledge.status === "Defaulted") &&
                e.state === "Pledged" &&
                !m.pending.has(p) &&
                !m.committed.has(p);
              const ok = await succeeds(() =>
                f.pledges.connect(signerOf(pledge.pledgee)).startDisposal(pledge.id, [ids[p]!], [100n], token, 0n),
              );
              expect(ok, `startDisposal ${JSON.stringify(op)}`).to.equal(expected);
              if (!ok) break;
              pledge.status = "Defaulted";
              pledge.entries.set(p, "Disposing");
              const auctionId = await f.auction.auctionCount();
              if (op.sold) await (await f.auction.connect(f.bidder).bid(auctionId, 1_000n)).wait();
              await (await f.auction.settle(auctionId)).wait();
              if (op.sold) {
                m.pending.set(p, { to: f.bidder.address, agreed: true, initiator: "auction", justified: true });
              } else {
                pledge.entries.set(p, "Pledged");
              }
              break;
            }
            case "value": {
              if (!exists(op.p)) break;
              await (
                await f.valuations.connect(f.appraiser).recordValuation(ids[op.p]!, 1_000n, "0x434e59", 0, day, ethers.id("r"))
              ).wait();
              m.valuations.set(op.p, (m.valuations.get(op.p) ?? 0) + 1);
              break;
            }
            case "contribute": {
              if (!exists(op.p)) break;
              const owner = m.owners.get(op.p)!;
              const company = parties[op.company]!.address;
              const terms = {
                company,
                valuation: 1_000n,
                currency: "0x434e59",
                form: 0,
                equity: 10n,
                valuationReportHash: ethers.id("v"),
                contractHash: ethers.id("c"),
                companyRegistration: "REG",
              };
              const proposed = await succeeds(() =>
                f.equityDeals.connect(signerOf(owner)).proposeDeal(terms, [ids[op.p]!], []),
              );
              expect(proposed, `proposeDeal ${JSON.stringify(op)}`).to.equal(company !== owner);
              if (!proposed) break;
              const dealId = ++m.dealCount;
              const expected =
                !m.committed.has(op.p) && !m.pending.has(op.p) && guardPermits(op.p, Act.Contribute, company);
              const ok = await succeeds(() => f.equityDeals.connect(signerOf(company)).acceptDeal(dealId));
              expect(ok, `acceptDeal ${JSON.stringify(op)}`).to.equal(expected);
              if (!ok) break;
              const e = entryOf(op.p);
              if (e) {
                consume(op.p, Act.Contribute, company);
                m.consents.add(consentKey(e.pledge.id, op.p, Act.Transfer, company));
              }
              m.committed.set(op.p, { id: dealId, company });
              break;
            }
            case "execute": {
              const p = pick(op.p, (q) => m.committed.has(q) && !m.pending.has(q));
              if (p === undefined) break;
              const deal = m.committed.get(p)!;
              const owner = m.owners.get(p)!;
              const expected = guardPermits(p, Act.Transfer, deal.company);
              const ok = await succeeds(() => f.equityDeals.connect(signerOf(owner)).executeDeal(deal.id));
              expect(ok, `executeDeal ${JSON.stringify(op)}`).to.equal(expected);
              if (!ok) break;
              const e = entryOf(p);
              consume(p, Act.Transfer, deal.company);
              m.pending.set(p, { to: deal.company, agreed: true, initiator: "equity", justified: e !== undefined });
              break;
            }
          }

          // after every step: owners, lock bits and the active pledge of every patent equal the model's
          const indexes = Array.from({ length: m.registered }, (_, p) => p);
          const patents = await Promise.all(indexes.map((p) => f.registry.patent(ids[p]!)));
          for (const p of indexes) {
            const e = entryOf(p);
            const locks =
              (m.pending.has(p) ? 1 << LockBits.TRANSFER_PENDING : 0) |
              (e ? 1 << LockBits.PLEDGED : 0) |
              (m.committed.has(p) ? 1 << LockBits.EQUITY : 0);
            const where = `patent ${p} after ${JSON.stringify(op)}`;
            expect(patents[p]!.owner, `owner of ${where}`).to.equal(m.owners.get(p));
            expect(Number(patents[p]!.locks), `locks of ${where}`).to.equal(locks);
          }
        }

        // at the end: the active pledge of every patent, no patent in two active pledges; pledge statuses and valuation counts as modelled
        for (let p = 0; p < m.registered; ++p) {
          expect(await f.pledges.activePledgeOf(ids[p]!), `active pledge of ${p}`).to.equal(m.activePledge.get(p) ?? 0n);
        }
        const activeCount = new Map<number, number>();
        for (const [id, pledge] of m.pledges) {
          const onChain = await f.pledges.pledge(id);
          const status = { Agreed: 2, Registered: 3, Defaulted: 7, Released: 6, Enforced: 8 }[pledge.status];
          expect(Number(onChain.status), `status of pledge ${id}`).to.equal(status);
          for (const p of pledge.entries.keys()) {
            const entry = await f.pledges.pledgedPatent(id, ids[p]!);
            if (entry.status === 1n || entry.status === 3n) activeCount.set(p, (activeCount.get(p) ?? 0) + 1);
          }
        }
        for (const count of activeCount.values()) expect(count).to.be.at.most(1);
        // every consent the sequence gave, used or revoked is on chain exactly as modelled
        for (const [key, [pledgeId, p, act, cp]] of touched) {
          const c = await f.pledges.actConsent(pledgeId, ids[p]!, act, cp);
          expect(c.given, `consent ${key}`).to.equal(m.consents.has(key));
        }
        for (const [p, count] of m.valuations) expect(await f.valuations.valuationCount(ids[p]!)).to.equal(count);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  });
});
