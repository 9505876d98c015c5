import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { ContractTransactionResponse, Interface } from "ethers";
import { Act, LockBits } from "../../server/chain/roles";
import { ProceedsRoute } from "../../server/chain/financing";
import { LicenceKind, LicenceStatus } from "../../server/chain/licensing";
import { fcParams } from "../helpers/properties";
import { financingFixture, today } from "../financing/fixtures";
import { licenceTerms, openTerms } from "../licensing/fixture";

/**
 * One model across licences, open licensing and pledges: random sequences of grants, fee payments,
 * terminations, open-licence declarations, withdrawals and takers, pledges, the pledgee's consents, releases
 * and withdrawals, run on the chain and against a TypeScript model of the rules between them. Each operation's
 * outcome (success or the custom error's name) must match the model, and after every step:
 * - no two licences in force on a patent overlap where one is exclusive or sole;
 * - no open licence is declared while an exclusive or sole licence is in force;
 * - a licence granted or taken while its patent was pledged had the pledgee's consent, and its fee went where
 *   the consent said (pledgee, or the pledge's escrow), never to the owner;
 * - every token is accounted for: each account's balance equals the model's, the Pledges contract holds
 *   exactly the escrows of live pledges, and Royalties holds nothing;
 * - pledge locks, active pledges, declarations and licence statuses on chain equal the model's.
 */

const LUMP = 100_000n; // licenceTerms' default lump sum
const OPEN_FEE = 50_000n; // openTerms' default
const PATENTS = 2;
const TX = { gasLimit: 3_000_000 };

type Route = "owner" | "pledgee" | "escrow";
interface MLicence {
  id: bigint;
  patent: number;
  kind: LicenceKind;
  licensee: number;
  fields: bigint;
  territories: bigint;
  active: boolean;
  open: boolean;
  route: Route;
  pledgeId: bigint; // the pledge whose consent let it be granted (0: none)
  feePaid: boolean;
}
interface MPledge {
  id: bigint;
  patent: number;
  bank: number;
  status: "Agreed" | "Registered" | "Ended";
  consents: Map<string, ProceedsRoute>; // `${act}:${counterparty index or "any"}`
  escrow: bigint;
}
interface Model {
  licences: MLicence[];
  declared: boolean[];
  pledges: MPledge[];
  active: (MPledge | undefined)[]; // per patent
  latest: (MPledge | undefined)[]; // per patent: the pledge depositProceeds would credit
  balances: Map<string, bigint>;
}

type Who = 0 | 1;
type Op =
  | { t: "grant"; p: number; kind: LicenceKind; who: Who; fields: number; terr: number }
  | { t: "payFee"; pick: number }
  | { t: "terminate"; pick: number }
  | { t: "declare"; p: number }
  | { t: "withdraw"; p: number }
  | { t: "take"; p: number; who: Who }
  | { t: "pledge"; p: number; bank: Who; register: boolean }
  | { t: "consent"; p: number; act: "Licence" | "OpenLicence"; who: Who | "any"; route: ProceedsRoute }
  | { t: "release"; p: number };

const p = fc.integer({ min: 0, max: PATENTS - 1 });
const who = fc.constantFrom<Who>(0, 1);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      t: fc.constant("grant" as const),
      p,
      kind: fc.constantFrom(LicenceKind.Exclusive, LicenceKind.Sole, LicenceKind.NonExclusive),
      who,
      fields: fc.integer({ min: 1, max: 3 }),
      terr: fc.integer({ min: 1, max: 3 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ t: fc.constant("payFee" as const), pick: fc.nat({ max: 100 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("terminate" as const), pick: fc.nat({ max: 100 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("declare" as const), p }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("withdraw" as const), p }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant("take" as const), p, who }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant("pledge" as const), p, bank: who, register: fc.boolean() }) },
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant("consent" as const),
      p,
      act: fc.constantFrom("Licence" as const, "OpenLicence" as const),
      who: fc.constantFrom<Who | "any">(0, 1, "any"),
      route: fc.constantFrom(ProceedsRoute.EarlyRepayment, ProceedsRoute.Escrow),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("release" as const), p }) },
);

async function propertyFixture() {
  const f = await financingFixture();
  const royalties = await f.royalties.getAddress();
  for (const payer of [f.companyA, f.companyB]) await f.token.connect(payer).approve(royalties, ethers.MaxUint256);
  return { ...f, day: await today(), tokenAddress: await f.token.getAddress() };
}
type F = Awaited<ReturnType<typeof propertyFixture>>;

const strong = (k: LicenceKind) => k === LicenceKind.Exclusive || k === LicenceKind.Sole;
const conflicts = (a: Pick<MLicence, "kind" | "fields" | "territories">, b: Pick<MLicence, "kind" | "fields" | "territories">) =>
  (strong(a.kind) || strong(b.kind)) && (a.fields & b.fields) !== 0n && (a.territories & b.territories) !== 0n;

/** Outcome of a chain call: "ok" or the custom error's name (decoded with every contract's interface). */
async function outcome(f: F, send: () => Promise<ContractTransactionResponse>): Promise<string> {
  try {
    await (await send()).wait();
    return "ok";
  } catch (error) {
    const data = (error as { data?: string }).data;
    if (typeof data !== "string") throw error;
    for (const iface of [f.licensing.interface, f.pledges.interface, f.royalties.interface, f.registry.interface] as Interface[]) {
      const parsed = iface.parseError(data);
      if (parsed) return parsed.name;
    }
    throw error;
  }
}

/**
 * Decides where the pledge guard lets an act go on a pledged patent, as Pledges.authorise does: an exact consent
 * first (used up), then one with anyone (used up, except a standing consent to open licensing).
 */
function useConsent(pl: MPledge, act: "Licence" | "OpenLicence", licensee: Who | "any"): ProceedsRoute | undefined {
  const exact = `${act}:${licensee}`;
  const any = `${act}:any`;
  const key = pl.consents.has(exact) ? exact : pl.consents.has(any) ? any : undefined;
  if (key === undefined) return undefined;
  const route = pl.consents.get(key)!;
  const standing = key === any && act === "OpenLicence";
  if (!standing) pl.consents.delete(key);
  return route;
}

describe("Rights on one patent (licences, open licensing, pledges): property", function () {
  this.timeout(0);

  it("keeps licences, declarations, consents, pledge escrows and every token consistent", async () => {
    const base = await loadFixture(propertyFixture);
    const licenseeAccounts = [base.companyA, base.companyB];
    const bankAccounts = [base.bankA, base.bankB];
    const pledgesAddress = await base.pledges.getAddress();
    const royaltiesAddress = await base.royalties.getAddress();
    const tracked = [base.uniA, base.companyA, base.companyB, base.bankA, base.bankB].map((s) => s.address);

    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 10, maxLength: 30 }), async (ops) => {
        const f = await loadFixture(propertyFixture);
        const patentIds = [f.ids[0]!, f.ids[1]!];
        const balances = new Map<string, bigint>();
        for (const a of [...tracked, pledgesAddress]) balances.set(a, await f.token.balanceOf(a));
        const m: Model = { licences: [], declared: [false, false], pledges: [], active: [undefined, undefined], latest: [undefined, undefined], balances };
        const credit = (address: string, amount: bigint) => balances.set(address, (balances.get(address) ?? 0n) + amount);

        /** A fee of `amount` paid by licensee `payer` for licence `l`, as Royalties routes it. */
        const payFee = (l: MLicence, amount: bigint) => {
          credit(licenseeAccounts[l.licensee]!.address, -amount);
          if (l.route === "owner") credit(f.uniA.address, amount);
          else if (l.route === "pledgee") credit(bankAccounts[m.pledges.find((x) => x.id === l.pledgeId)!.bank]!.address, amount);
          else {
            const latest = m.latest[l.patent]!;
            if (latest.status === "Ended") credit(f.uniA.address, amount);
            else {
              latest.escrow += amount;
              credit(pledgesAddress, amount);
            }
          }
          l.feePaid = true;
        };

        for (const op of ops) {
          let expected = "ok";
          let got: string;
          switch (op.t) {
            case "grant": {
              const scope = { kind: op.kind, fields: BigInt(op.fields), territories: BigInt(op.terr) };
              const inForce = m.licences.filter((l) => l.patent === op.p && l.active);
              const pl = m.active[op.p];
              if (m.declared[op.p] && strong(op.kind)) expected = "LicensingOpenLicenceDeclared";
              else if (inForce.some((l) => conflicts(scope, l))) expected = "LicensingConflict";
              else if (pl && !pl.consents.has(`Licence:${op.who}`) && !pl.consents.has("Licence:any")) expected = "PledgesConsentRequired";
              got = await outcome(f, () =>
                f.licensing.connect(f.uniA).grant(
                  patentIds[op.p]!,
                  licenceTerms(licenseeAccounts[op.who]!.address, f.tokenAddress, f.day, { kind: op.kind, fields: scope.fields, territories: scope.territories }),
                  TX,
                ),
              );
              if (expected === "ok") {
                const route = pl ? useConsent(pl, "Licence", op.who) : undefined;
                m.licences.push({
                  id: BigInt(m.licences.length + 1),
                  patent: op.p,
                  ...scope,
                  licensee: op.who,
                  active: true,
                  open: false,
                  route: route === undefined ? "owner" : route === ProceedsRoute.EarlyRepayment ? "pledgee" : "escrow",
                  pledgeId: pl?.id ?? 0n,
                  feePaid: false,
                });
              }
              break;
            }
            case "payFee": {
              const unpaid = m.licences.filter((l) => l.active && !l.open && !l.feePaid);
              if (unpaid.length === 0) continue;
              const l = unpaid[op.pick % unpaid.length]!;
              got = await outcome(f, () => f.royalties.connect(licenseeAccounts[l.licensee]!).payFee(l.id, TX));
              if (got === "ok") payFee(l, LUMP);
              break;
            }
            case "terminate": {
              const live = m.licences.filter((l) => l.active);
              if (live.length === 0) continue;
              const l = live[op.pick % live.length]!;
              got = await outcome(f, () => f.licensing.connect(f.uniA).terminate(l.id, "合同解除", TX));
              l.active = false;
              break;
            }
            case "declare": {
              const pl = m.active[op.p];
              if (m.declared[op.p]) expected = "LicensingOpenLicenceDeclared";
              else if (m.licences.some((l) => l.patent === op.p && l.active && strong(l.kind))) expected = "LicensingExclusiveLicenceActive";
              else if (pl && !pl.consents.has("OpenLicence:any")) expected = "PledgesConsentRequired";
              got = await outcome(f, () => f.licensing.connect(f.uniA).declareOpenLicence(patentIds[op.p]!, openTerms(f.tokenAddress), TX));
              if (expected === "ok") {
                m.declared[op.p] = true;
                if (pl) useConsent(pl, "OpenLicence", "any");
              }
              break;
            }
            case "withdraw": {
              if (!m.declared[op.p]) expected = "LicensingOpenLicenceNotDeclared";
              got = await outcome(f, () => f.licensing.connect(f.uniA).withdrawOpenLicence(patentIds[op.p]!, TX));
              if (expected === "ok") m.declared[op.p] = false;
              break;
            }
            case "take": {
              const pl = m.active[op.p];
              if (!m.declared[op.p]) expected = "LicensingOpenLicenceNotDeclared";
              else if (pl && !pl.consents.has(`OpenLicence:${op.who}`) && !pl.consents.has("OpenLicence:any")) expected = "PledgesConsentRequired";
              got = await outcome(f, () => f.licensing.connect(licenseeAccounts[op.who]!).takeOpenLicence(patentIds[op.p]!, OPEN_FEE, TX));
              if (expected === "ok") {
                const route = pl ? useConsent(pl, "OpenLicence", op.who) : undefined;
                const l: MLicence = {
                  id: BigInt(m.licences.length + 1),
                  patent: op.p,
                  kind: LicenceKind.NonExclusive,
                  licensee: op.who,
                  fields: (1n << 64n) - 1n,
                  territories: (1n << 64n) - 1n,
                  active: true,
                  open: true,
                  route: route === undefined ? "owner" : route === ProceedsRoute.EarlyRepayment ? "pledgee" : "escrow",
                  pledgeId: pl?.id ?? 0n,
                  feePaid: false,
                };
                m.licences.push(l);
                payFee(l, OPEN_FEE);
              }
              break;
            }
            case "pledge": {
              const bank = bankAccounts[op.bank]!;
              if (m.active[op.p]) expected = "PledgesAlreadyPledged";
              got = await outcome(f, () =>
                f.pledges.connect(bank).proposePledge({ ...f.terms, pledgee: bank.address }, [{ patentId: patentIds[op.p]!, pledgor: f.uniA.address }], TX),
              );
              if (expected !== "ok") break;
              const id = BigInt(m.pledges.length + 1);
              await (await f.pledges.connect(f.uniA).consentPledge(id, TX)).wait();
              const pl: MPledge = { id, patent: op.p, bank: op.bank, status: "Agreed", consents: new Map(), escrow: 0n };
              if (op.register) {
                await (await f.pledges.connect(f.registrar).registerPledge(id, `Y2026${id}`, await today(), TX)).wait();
                pl.status = "Registered";
              }
              m.pledges.push(pl);
              m.active[op.p] = pl;
              m.latest[op.p] = pl;
              break;
            }
            case "consent": {
              const pl = m.active[op.p];
              if (!pl) continue;
              const counterparty = op.who === "any" ? ethers.ZeroAddress : licenseeAccounts[op.who]!.address;
              got = await outcome(f, () =>
                f.pledges.connect(bankAccounts[pl.bank]!).consent(pl.id, patentIds[op.p]!, Act[op.act], counterparty, op.route, TX),
              );
              pl.consents.set(`${op.act}:${op.who}`, op.route);
              break;
            }
            case "release": {
              const pl = m.active[op.p];
              if (!pl) continue;
              const bank = f.pledges.connect(bankAccounts[pl.bank]!);
              got = await outcome(f, () => (pl.status === "Registered" ? bank.releasePledge(pl.id, TX) : bank.withdrawPledge(pl.id, TX)));
              credit(pledgesAddress, -pl.escrow);
              credit(f.uniA.address, pl.escrow);
              pl.escrow = 0n;
              pl.status = "Ended";
              m.active[op.p] = undefined;
              break;
            }
          }
          expect(got, `${JSON.stringify(op)} on ${JSON.stringify(ops)}`).to.equal(expected);
          await checkInvariants(f, m, patentIds, royaltiesAddress);
        }
      }),
      fcParams(60),
    );
  });
});

async function checkInvariants(f: F, m: Model, patentIds: bigint[], royaltiesAddress: string): Promise<void> {
  for (const [address, balance] of m.balances) expect(await f.token.balanceOf(address), `balance of ${address}`).to.equal(balance);
  expect(await f.token.balanceOf(royaltiesAddress), "Royalties keeps nothing").to.equal(0n);
  const live = m.pledges.filter((pl) => pl.status !== "Ended").reduce((sum, pl) => sum + pl.escrow, 0n);
  expect(m.balances.get(await f.pledges.getAddress()), "the Pledges contract holds exactly the live escrows").to.equal(live);
  for (const pl of m.pledges) expect(await f.pledges.escrowed(pl.id, f.tokenAddress, f.uniA.address)).to.equal(pl.escrow);

  for (let i = 0; i < patentIds.length; ++i) {
    const id = patentIds[i]!;
    expect(await f.pledges.activePledgeOf(id)).to.equal(m.active[i]?.id ?? 0n);
    expect(await f.registry.isLocked(id, LockBits.PLEDGED)).to.equal(m.active[i] !== undefined);
    const [declared] = await f.licensing.openLicenceTerms(id);
    expect(declared).to.equal(m.declared[i]);

    const onChain = await Promise.all((await f.licensing.activeLicences(id)).map((l) => f.licensing.licence(l)));
    const expectedIds = m.licences.filter((l) => l.patent === i && l.active).map((l) => l.id).sort();
    expect(onChain.map((_, k) => k).length).to.equal(expectedIds.length);
    const active = onChain.map((l) => ({ kind: Number(l.kind) as LicenceKind, fields: l.scope.fields, territories: l.scope.territories }));
    for (let a = 0; a < active.length; ++a) {
      for (let b = a + 1; b < active.length; ++b) expect(conflicts(active[a]!, active[b]!), "conflicting licences in force").to.equal(false);
    }
    if (declared) expect(active.some((l) => strong(l.kind)), "declared with an exclusive licence in force").to.equal(false);
  }
  for (const l of m.licences) {
    const lic = await f.licensing.licence(l.id);
    expect(Number(lic.status), `status of licence ${l.id}`).to.equal(l.active ? LicenceStatus.Active : LicenceStatus.Terminated);
    // a licence granted under a pledge never pays its fee to the owner
    if (l.pledgeId !== 0n) expect(lic.proceedsTo).to.not.equal(ethers.ZeroAddress);
    else expect(lic.proceedsTo).to.equal(ethers.ZeroAddress);
  }
}
