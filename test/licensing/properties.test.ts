import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { ContractTransactionResponse, Interface } from "ethers";
import { FeeMethod, FeeTrigger, LicenceKind, LicenceStatus, SCOPE_ALL } from "../../server/chain/licensing";
import { DAY, chainToday, licensingFixture, openTerms, type LicensingFixture } from "./fixture";
import {
  admit,
  clone,
  close,
  conflictingPair,
  fail,
  get,
  isStrong,
  newState,
  OK,
  split,
  store,
  MAX_SUBS,
  type MLicence,
  type MState,
  type Outcome,
} from "./model";

const RUNS = Number(process.env.FC_RUNS ?? 200);
const SEED = Number(process.env.FC_SEED ?? 20261127);
const LUMP = 100_000n;
const BPS = 500n;
const OPEN_LUMP = 50_000n;
const OPEN_BPS = 300n;
const OPEN_TERM = 200;
const SUB_FEE = 4_000n;
/** A fixed gas limit skips the gas estimate: one RPC round trip less per step. */
const TX = { gasLimit: 2_000_000 };

type Op =
  | { t: "grant"; kind: LicenceKind; who: number; fields: number; terr: number; start: number; len: number; sub: boolean; royalty: boolean }
  | { t: "sublicence"; pick: number; who: number; fields: number; len: number; royalty: boolean }
  | { t: "declareOpen"; royalty: boolean }
  | { t: "withdrawOpen" }
  | { t: "takeOpen"; who: number }
  | { t: "terminate"; pick: number; byGrantor: boolean }
  | { t: "advance"; days: number }
  | { t: "expire"; pick: number }
  | { t: "report"; pick: number; revenue: number }
  | { t: "pay"; pick: number; percent: number }
  | { t: "payFee"; pick: number }
  | { t: "shares"; inventors: number; tto: number };

const pick = fc.nat({ max: 1000 });
const who = fc.nat({ max: 3 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      t: fc.constant("grant" as const),
      kind: fc.constantFrom(LicenceKind.Exclusive, LicenceKind.Sole, LicenceKind.NonExclusive),
      who,
      fields: fc.integer({ min: 1, max: 7 }),
      terr: fc.integer({ min: 1, max: 7 }),
      start: fc.integer({ min: -20, max: 60 }),
      len: fc.integer({ min: 21, max: 200 }),
      sub: fc.boolean(),
      royalty: fc.boolean(),
    }),
  },
  { weight: 3, arbitrary: fc.record({ t: fc.constant("sublicence" as const), pick, who, fields: fc.integer({ min: 1, max: 7 }), len: fc.integer({ min: 1, max: 200 }), royalty: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("declareOpen" as const), royalty: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("withdrawOpen" as const) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("takeOpen" as const), who }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("terminate" as const), pick, byGrantor: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("advance" as const), days: fc.integer({ min: 1, max: 120 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("expire" as const), pick }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant("report" as const), pick, revenue: fc.nat({ max: 10_000_000 }) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant("pay" as const), pick, percent: fc.integer({ min: 0, max: 110 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("payFee" as const), pick }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("shares" as const), inventors: fc.nat({ max: 5000 }), tto: fc.nat({ max: 5000 }) }) },
);

interface World {
  f: LicensingFixture;
  licensees: LicensingFixture["companyA"][];
  expiry: number;
  interfaces: Interface[];
}

const norm = (v: unknown): string => (typeof v === "bigint" || typeof v === "number" ? BigInt(v).toString() : String(v));

/** Runs a transaction and reports its outcome as the model spells it. */
async function attempt(send: () => Promise<ContractTransactionResponse>, w: World, wantReceipt: boolean): Promise<{ outcome: Outcome; receipt?: Awaited<ReturnType<ContractTransactionResponse["wait"]>> }> {
  try {
    const tx = await send(); // automine: mined once sent
    return { outcome: OK, receipt: wantReceipt ? await tx.wait() : undefined };
  } catch (e) {
    const data = (e as { data?: string }).data;
    if (typeof data !== "string") throw e;
    for (const iface of w.interfaces) {
      const parsed = iface.parseError(data);
      if (parsed) return { outcome: fail(parsed.name, ...parsed.args.toArray().map((a: unknown) => norm(a))) };
    }
    throw e;
  }
}

function same(actual: Outcome, expected: Outcome, step: string) {
  const show = (o: Outcome) => (o.ok ? "ok" : `${o.error}(${o.args.map(norm).join(",")})`);
  expect(show(actual), step).to.equal(show(expected));
}

/** Applies `op` to a copy of the model; returns the copy (to commit on success) and the expected outcome. */
function predict(state: MState, op: Op, w: World): { next: MState; expected: Outcome } | undefined {
  const s = clone(state);
  const { f } = w;
  const patentId = f.patentId;
  const pickLicence = (n: number): MLicence | undefined => (s.licences.length === 0 ? undefined : get(s, (n % s.licences.length) + 1));
  switch (op.t) {
    case "grant": {
      const start = s.today + op.start;
      const scope = { fields: BigInt(op.fields), territories: BigInt(op.terr), start, end: start + op.len };
      if (scope.end <= s.today) return { next: s, expected: fail("LicensingBadDates", start, scope.end, s.today, w.expiry) };
      if (isStrong(op.kind) && s.open.declared) return { next: s, expected: fail("LicensingOpenLicenceDeclared", patentId) };
      const admitted = admit(s, patentId, op.kind, scope);
      if (!admitted.ok) return { next: s, expected: admitted };
      store(s, {
        kind: op.kind,
        licensee: w.licensees[op.who]!.address,
        ...scope,
        parentId: 0,
        sublicensable: op.sub,
        method: op.royalty ? FeeMethod.RunningRoyalty : FeeMethod.LumpSum,
        bps: op.royalty ? BPS : 0n,
        amount: op.royalty ? 0n : LUMP,
      });
      return { next: s, expected: OK };
    }
    case "sublicence": {
      const parent = pickLicence(op.pick);
      if (!parent) return undefined;
      if (parent.status !== LicenceStatus.Active) return { next: s, expected: fail("LicensingNotActive", parent.id, parent.status) };
      if (!parent.sublicensable) return { next: s, expected: fail("LicensingNotSublicensable", parent.id) };
      const licensee = w.licensees[op.who]!.address;
      if (licensee === parent.licensee) return { next: s, expected: fail("LicensingInvalidLicensee", patentId, licensee) };
      const scope = subScope(parent, op);
      if (scope.end <= s.today) return { next: s, expected: fail("LicensingBadDates", scope.start, scope.end, s.today, w.expiry) };
      if ((s.subs.get(parent.id)?.length ?? 0) >= MAX_SUBS) return { next: s, expected: fail("LicensingTooManySublicences", parent.id, MAX_SUBS) };
      store(s, {
        kind: LicenceKind.Sublicence,
        licensee,
        ...scope,
        parentId: parent.id,
        sublicensable: false,
        method: op.royalty ? FeeMethod.RunningRoyalty : FeeMethod.LumpSum,
        bps: op.royalty ? BPS : 0n,
        amount: op.royalty ? 0n : SUB_FEE,
      });
      return { next: s, expected: OK };
    }
    case "declareOpen": {
      if (s.open.declared) return { next: s, expected: fail("LicensingOpenLicenceDeclared", patentId) };
      for (const id of s.active) {
        const l = get(s, id);
        if (isStrong(l.kind) && s.today < l.end) return { next: s, expected: fail("LicensingExclusiveLicenceActive", patentId, id, l.kind, l.end) };
      }
      s.open = { declared: true, royalty: op.royalty };
      return { next: s, expected: OK };
    }
    case "withdrawOpen": {
      if (!s.open.declared) return { next: s, expected: fail("LicensingOpenLicenceNotDeclared", patentId) };
      s.open = { declared: false, royalty: false };
      return { next: s, expected: OK };
    }
    case "takeOpen": {
      if (!s.open.declared) return { next: s, expected: fail("LicensingOpenLicenceNotDeclared", patentId) };
      const scope = { fields: SCOPE_ALL, territories: SCOPE_ALL, start: s.today, end: Math.min(s.today + OPEN_TERM, w.expiry) };
      const admitted = admit(s, patentId, LicenceKind.NonExclusive, scope);
      if (!admitted.ok) return { next: s, expected: admitted };
      const l = store(s, {
        kind: LicenceKind.NonExclusive,
        licensee: w.licensees[op.who]!.address,
        ...scope,
        parentId: 0,
        sublicensable: false,
        method: s.open.royalty ? FeeMethod.RunningRoyalty : FeeMethod.LumpSum,
        bps: s.open.royalty ? OPEN_BPS : 0n,
        amount: s.open.royalty ? 0n : OPEN_LUMP,
      });
      if (!s.open.royalty) l.feePaid = true;
      return { next: s, expected: OK };
    }
    case "terminate": {
      const l = pickLicence(op.pick);
      if (!l) return undefined;
      if (l.status !== LicenceStatus.Active) return { next: s, expected: fail("LicensingNotActive", l.id, l.status) };
      close(s, l.id, LicenceStatus.Terminated);
      return { next: s, expected: OK };
    }
    case "advance":
      s.today += op.days;
      return { next: s, expected: OK };
    case "expire": {
      const l = pickLicence(op.pick);
      if (!l) return undefined;
      if (l.status !== LicenceStatus.Active) return { next: s, expected: fail("LicensingNotActive", l.id, l.status) };
      if (s.today < l.end) return { next: s, expected: fail("LicensingNotEnded", l.id, l.end, s.today) };
      close(s, l.id, LicenceStatus.Expired);
      return { next: s, expected: OK };
    }
    case "report": {
      const l = pickLicence(op.pick);
      if (!l) return undefined;
      if (l.method !== FeeMethod.RunningRoyalty) return { next: s, expected: fail("RoyaltiesWrongMethod", l.id, l.method) };
      l.owed += (BigInt(op.revenue) * l.bps) / 10_000n;
      return { next: s, expected: OK };
    }
    case "pay": {
      const l = pickLicence(op.pick);
      if (!l) return undefined;
      const amount = (l.owed * BigInt(op.percent)) / 100n;
      if (amount === 0n) return { next: s, expected: fail("RoyaltiesZeroAmount", l.id) };
      if (amount > l.owed) return { next: s, expected: fail("RoyaltiesAboveOwed", l.id, amount, l.owed) };
      l.owed -= amount;
      return { next: s, expected: OK };
    }
    case "payFee": {
      const l = pickLicence(op.pick);
      if (!l) return undefined;
      if (l.method === FeeMethod.RunningRoyalty) return { next: s, expected: fail("RoyaltiesWrongMethod", l.id, l.method) };
      if (l.feePaid) return { next: s, expected: fail("RoyaltiesFeeAlreadyPaid", l.id) };
      l.feePaid = true;
      return { next: s, expected: OK };
    }
    case "shares":
      s.shares = { inventorsBps: BigInt(op.inventors), ttoBps: BigInt(op.tto) };
      return { next: s, expected: OK };
  }
}

function subScope(parent: MLicence, op: { fields: number; len: number }) {
  const masked = parent.fields & BigInt(op.fields);
  return {
    fields: masked === 0n ? parent.fields : masked,
    territories: parent.territories,
    start: parent.start,
    end: Math.min(parent.end, parent.start + op.len),
  };
}

/** Sends `op` to the chain. */
async function send(op: Op, before: MState, w: World): Promise<ContractTransactionResponse> {
  const { f } = w;
  const byId = (n: number) => get(before, (n % before.licences.length) + 1);
  const signerOf = (address: string) => w.licensees.find((s) => s.address === address) ?? f.uniA;
  switch (op.t) {
    case "grant": {
      const start = before.today + op.start;
      return f.licensing.connect(f.uniA).grant(f.patentId, {
        licensee: w.licensees[op.who]!.address,
        kind: op.kind,
        sublicensable: op.sub,
        scope: { fields: op.fields, territories: op.terr, startDay: start, endDay: start + op.len },
        fee: op.royalty
          ? { method: FeeMethod.RunningRoyalty, trigger: FeeTrigger.None, royaltyBps: BPS, triggerDay: 0, amount: 0n }
          : { method: FeeMethod.LumpSum, trigger: FeeTrigger.None, royaltyBps: 0, triggerDay: 0, amount: LUMP },
        token: w.f.tokenAddress,
        contractHash: ethers.ZeroHash,
      }, TX);
    }
    case "sublicence": {
      const parent = byId(op.pick);
      const scope = subScope(parent, op);
      return f.licensing.connect(signerOf(parent.licensee)).grantSublicence(parent.id, {
        licensee: w.licensees[op.who]!.address,
        kind: LicenceKind.Sublicence,
        sublicensable: false,
        scope: { fields: scope.fields, territories: scope.territories, startDay: scope.start, endDay: scope.end },
        fee: op.royalty
          ? { method: FeeMethod.RunningRoyalty, trigger: FeeTrigger.None, royaltyBps: BPS, triggerDay: 0, amount: 0n }
          : { method: FeeMethod.LumpSum, trigger: FeeTrigger.None, royaltyBps: 0, triggerDay: 0, amount: SUB_FEE },
        token: w.f.tokenAddress,
        contractHash: ethers.ZeroHash,
      }, TX);
    }
    case "declareOpen":
      return f.licensing
        .connect(f.uniA)
        .declareOpenLicence(
          f.patentId,
          op.royalty
            ? openTerms(f.tokenAddress, { method: FeeMethod.RunningRoyalty, royaltyBps: OPEN_BPS, amount: 0n, termDays: OPEN_TERM })
            : openTerms(f.tokenAddress, { amount: OPEN_LUMP, termDays: OPEN_TERM }),
          TX,
        );
    case "withdrawOpen":
      return f.licensing.connect(f.uniA).withdrawOpenLicence(f.patentId, TX);
    case "takeOpen":
      return f.licensing.connect(w.licensees[op.who]!).takeOpenLicence(f.patentId, OPEN_LUMP, TX);
    case "terminate": {
      const l = byId(op.pick);
      const grantor = l.kind === LicenceKind.Sublicence ? signerOf(get(before, l.parentId).licensee) : f.uniA;
      return f.licensing.connect(op.byGrantor ? grantor : signerOf(l.licensee)).terminate(l.id, "property test", TX);
    }
    case "expire":
      return f.licensing.connect(f.stranger).expire(byId(op.pick).id, TX);
    case "report": {
      const l = byId(op.pick);
      return f.royalties.connect(signerOf(l.licensee)).reportRevenue(l.id, op.revenue, ethers.ZeroHash, TX);
    }
    case "pay": {
      const l = byId(op.pick);
      return f.royalties.connect(signerOf(l.licensee)).payRoyalty(l.id, (l.owed * BigInt(op.percent)) / 100n, TX);
    }
    case "payFee": {
      const l = byId(op.pick);
      return f.royalties.connect(signerOf(l.licensee)).payFee(l.id, TX);
    }
    case "shares":
      return f.royalties.connect(f.uniA).declareShares(f.patentId, {
        unitBps: 10_000 - op.inventors - op.tto,
        inventorsBps: op.inventors,
        ttoBps: op.tto,
        inventors: f.broker.address,
        tto: f.chengdu.address,
      }, TX);
    case "advance":
      throw new Error("advance is not a transaction");
  }
}

/** Checks the rules on the chain's own state after a step. */
async function checkInvariants(s: MState, w: World, step: string) {
  const { f } = w;
  const [active, [declared]] = await Promise.all([f.licensing.activeLicences(f.patentId), f.licensing.openLicenceTerms(f.patentId)]);
  expect(active.map(Number), `${step}: active list`).to.deep.equal(s.active);
  expect(declared, `${step}: open licence declared`).to.equal(s.open.declared);
  // Licences in force on chain: the active list, and the sublicences of those that allow them.
  const ids: number[] = [...active.map(Number)];
  for (const id of active.map(Number)) {
    if (get(s, id).sublicensable) ids.push(...(await f.licensing.sublicences(id)).map(Number));
  }
  const inForce = ids.map((id) => get(s, id)).filter((l) => s.today < l.end);
  const pair = conflictingPair(inForce);
  expect(pair?.map((l) => l.id), `${step}: overlapping licences where one is exclusive or sole`).to.equal(undefined);
  if (declared) {
    const strong = inForce.find((l) => isStrong(l.kind));
    expect(strong?.id, `${step}: exclusive or sole licence while an open licence is declared`).to.equal(undefined);
  }
}

/** Checks a payment: the split in the event adds up to the payment, matches the model, and left the payer. */
async function checkPayment(receipt: NonNullable<Awaited<ReturnType<ContractTransactionResponse["wait"]>>>, s: MState, w: World, step: string, payerDelta: bigint) {
  const events = receipt.logs
    .map((log) => w.f.royalties.interface.parseLog(log))
    .filter((e) => e?.name === "RoyaltyPaid");
  expect(events, `${step}: one RoyaltyPaid`).to.have.length(1);
  const event = events[0]!;
  const amount = event.args.amount as bigint;
  const splitArgs = event.args.split as { unitAmount: bigint; inventorsAmount: bigint; ttoAmount: bigint };
  expect(splitArgs.unitAmount + splitArgs.inventorsAmount + splitArgs.ttoAmount, `${step}: split adds up`).to.equal(amount);
  expect(-payerDelta, `${step}: payer paid the amount`).to.equal(amount);
  const l = get(s, Number(event.args.licenceId));
  const expected = split(s, l, amount);
  expect([splitArgs.unitAmount, splitArgs.inventorsAmount, splitArgs.ttoAmount], `${step}: split`).to.deep.equal([expected.unit, expected.inventors, expected.tto]);
}

async function runSequence(ops: Op[]) {
  const f = await loadFixture(licensingFixture); // starts at noon China time
  const w: World = {
    f,
    licensees: [f.companyA, f.companyB, f.stranger, f.uniB],
    expiry: Number(await f.registry.expiryDay(f.patentId)),
    interfaces: [f.licensing.interface, f.royalties.interface, f.registry.interface],
  };
  let state = newState(await chainToday());
  for (const [index, op] of ops.entries()) {
    const step = `step ${index} ${JSON.stringify(op)}`;
    const prediction = predict(state, op, w);
    if (!prediction) continue;
    if (op.t === "advance") {
      await time.increase(op.days * DAY);
      state = prediction.next;
      expect(await chainToday(), step).to.equal(state.today);
      await checkInvariants(state, w, step);
      continue;
    }
    const payer = op.t === "pay" || op.t === "payFee" ? get(state, (op.pick % state.licences.length) + 1).licensee : op.t === "takeOpen" ? w.licensees[op.who]!.address : undefined;
    const balanceBefore = payer ? await f.token.balanceOf(payer) : 0n;
    const { outcome, receipt } = await attempt(() => send(op, state, w), w, payer !== undefined);
    same(outcome, prediction.expected, step);
    if (!outcome.ok) continue; // reverted: nothing changed on chain
    state = prediction.next;
    if (receipt && payer && (op.t !== "takeOpen" || !state.open.royalty)) {
      await checkPayment(receipt, state, w, step, (await f.token.balanceOf(payer)) - balanceBefore);
    }
    await checkInvariants(state, w, step);
  }
  // At the end, every licence's status on chain is the model's.
  for (const l of state.licences) {
    expect((await f.licensing.licence(l.id)).status, `final status of licence ${l.id}`).to.equal(BigInt(l.status));
  }
  expect(await f.token.balanceOf(await f.royalties.getAddress())).to.equal(0n);
}

describe("Licensing (properties)", () => {
  it(`keeps the licence rules and exact royalty splits over random sequences (${RUNS} runs, seed ${SEED})`, async function () {
    this.timeout(Math.max(300_000, RUNS * 2_000));
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 10, maxLength: 50 }), async (ops) => {
        await runSequence(ops);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  });
});
