import type { StoreWrite } from "../../store/db";
import { keys } from "../../store/keys";
import { defineHandler, type EventHandler, type LedgerEvent } from "../types";
import { addAmounts, currencyOf, HandlerStateError, must, nameOf, point, timeline, timelines, ZERO_ADDRESS, type ChainPoint } from "./common";
import { ACT, PLEDGE_STATUS, PLEDGED_PATENT_STATUS, PledgeStatus, PROCEEDS_ROUTE } from "./enums";

/**
 * The read model of Pledges: pledges with their state machine (Proposed -> Agreed -> Registered ->
 * Released, or Refused / Withdrawn, or Defaulted -> Enforced), the patents of the portfolio with their
 * own states (Pledged, Left, Disposing, Sold, Disposed, Released), the parties' consents, the pledgee's
 * consents to acts, proceeds escrowed and paid, and disposals. Indexes: by pledgee, by pledgor, by
 * status and by patent. Every event goes on the timeline of the patents it concerns (a pledge-level
 * event on the timeline of every patent of the portfolio).
 */

// ---------------------------------------------------------------- entities

export type DisposalJson = {
  auctionId: string;
  module: string;
  token: string;
  reserve: string;
  endTime: string;
  started: ChainPoint;
  settled: { buyer: string; proceeds: string; toPledgee: string; toPledgor: string; at: ChainPoint } | null;
  failed: ChainPoint | null;
};

export type PledgedPatentJson = {
  patentId: string;
  pledgor: string;
  status: string;
  statusCode: number;
  /** Who received the patent when it left the pledge (a consented transfer or a disposal sale). */
  leftTo: string | null;
  /** The latest disposal auction of the patent (a failed one is kept until the next starts). */
  disposal: DisposalJson | null;
};

export type PledgeEntity = {
  id: string;
  pledgee: string;
  proposer: string;
  securedAmount: string;
  currency: string;
  termEndDay: number;
  contractHash: string;
  loanReference: string;
  status: string;
  statusCode: number;
  patents: PledgedPatentJson[];
  /** Distinct pledgors, in the order of the portfolio. */
  pledgors: string[];
  /** The parties' consents to the pledge, in order. */
  consents: { party: string; at: ChainPoint }[];
  consentsMissing: number;
  agreedDay: number | null;
  registration: { registrar: string; cnipaReference: string; registrationDay: number; at: ChainPoint } | null;
  refusal: { registrar: string; reason: string; at: ChainPoint } | null;
  withdrawnBy: string | null;
  released: ChainPoint | null;
  defaulted: ChainPoint | null;
  /** Paid to the pledgee through the ledger (escrow applied on default, disposal proceeds). */
  recovered: string;
  enforced: ChainPoint | null;
  proposed: ChainPoint;
  updated: ChainPoint;
};

/** The pledgee's consent to one act on one patent with one counterparty (zero address: any). */
export type ActConsentEntity = {
  pledgeId: string;
  patentId: string;
  act: string;
  actCode: number;
  counterparty: string;
  route: string;
  routeCode: number;
  /** Given, Revoked or Used (consumed by the act). */
  state: "Given" | "Revoked" | "Used";
  given: ChainPoint;
  revoked: ChainPoint | null;
  used: { counterparty: string; initiator: string; proceedsTo: string; at: ChainPoint } | null;
};

export type ProceedsEntity = {
  pledgeId: string;
  kind: "Escrowed" | "Paid";
  patentId: string | null;
  token: string;
  amount: string;
  /** Escrowed: the depositor; Paid: null. */
  from: string | null;
  /** Escrowed: the pledgor credited; Paid: the recipient. */
  to: string;
  toPledgee: boolean;
  at: ChainPoint;
};

// ---------------------------------------------------------------- event argument shapes (abi.ts output)

type PledgeProposedArgs = {
  pledgeId: string;
  pledgee: string;
  proposer: string;
  securedAmount: string;
  currency: string;
  termEndDay: number;
  contractHash: string;
  loanReference: string;
};
type PatentPledgedArgs = { pledgeId: string; patentId: string; pledgor: string };
type PledgeConsentedArgs = { pledgeId: string; party: string; consentsMissing: number };
type PledgeAgreedArgs = { pledgeId: string; agreedDay: number };
type PledgeRegisteredArgs = { pledgeId: string; registrar: string; cnipaReference: string; registrationDay: number };
type PledgeRefusedArgs = { pledgeId: string; registrar: string; reason: string };
type PledgeWithdrawnArgs = { pledgeId: string; by: string };
type PledgeReleasedArgs = { pledgeId: string; pledgee: string };
type PledgeDefaultedArgs = { pledgeId: string; pledgee: string };
type PledgeEnforcedArgs = { pledgeId: string; recovered: string; securedAmount: string };
type PatentLeftPledgeArgs = { pledgeId: string; patentId: string; to: string };
type ActConsentedArgs = { pledgeId: string; patentId: string; counterparty: string; act: number; route: number };
type ActConsentRevokedArgs = { pledgeId: string; patentId: string; counterparty: string; act: number };
type ActConsentUsedArgs = { pledgeId: string; patentId: string; counterparty: string; act: number; initiator: string; proceedsTo: string };
type ProceedsEscrowedArgs = { pledgeId: string; patentId: string; token: string; pledgor: string; from: string; amount: string };
type ProceedsPaidArgs = { pledgeId: string; token: string; to: string; amount: string; toPledgee: boolean };
type DisposalStartedArgs = { pledgeId: string; patentId: string; auctionId: string; module: string; token: string; reserve: string; endTime: string };
type DisposalSettledArgs = {
  pledgeId: string;
  patentId: string;
  buyer: string;
  auctionId: string;
  proceeds: string;
  toPledgee: string;
  toPledgor: string;
};
type DisposalFailedArgs = { pledgeId: string; patentId: string; auctionId: string };

// ---------------------------------------------------------------- helpers

enum Entry {
  Pledged = 1,
  Left = 2,
  Disposing = 3,
  Sold = 4,
  Disposed = 5,
  Released = 6,
}

const entryStatus = (code: Entry) => ({ status: nameOf(PLEDGED_PATENT_STATUS, code), statusCode: code });
const pledgeStatus = (code: PledgeStatus) => ({ status: nameOf(PLEDGE_STATUS, code), statusCode: code });
const patentIdsOf = (p: PledgeEntity): string[] => p.patents.map((x) => x.patentId);

/** Moves the pledge to `status` and its status index entry with it. */
function withStatus(p: PledgeEntity, status: PledgeStatus): { pledge: PledgeEntity; writes: StoreWrite[] } {
  if (p.statusCode === status) return { pledge: p, writes: [] };
  return {
    pledge: { ...p, ...pledgeStatus(status) },
    writes: [
      { key: keys.pledgesByStatus(p.statusCode, p.id), value: null },
      { key: keys.pledgesByStatus(status, p.id), value: "" },
    ],
  };
}

/** Patents still Pledged become Released (release, refusal, withdrawal: the contract's _freeAll). */
const freeAll = (p: PledgeEntity): PledgeEntity => ({
  ...p,
  patents: p.patents.map((x) => (x.statusCode === Entry.Pledged ? { ...x, ...entryStatus(Entry.Released) } : x)),
});

function patentIn(p: PledgeEntity, patentId: string, e: LedgerEvent<unknown>): PledgedPatentJson {
  const found = p.patents.find((x) => x.patentId === patentId);
  if (!found) throw new HandlerStateError(`${e.contract}.${e.event} at block ${e.blockNumber} log ${e.logIndex}: patent ${patentId} is not in pledge ${p.id}`);
  return found;
}

const withPatent = (p: PledgeEntity, patentId: string, change: (x: PledgedPatentJson) => PledgedPatentJson): PledgeEntity => ({
  ...p,
  patents: p.patents.map((x) => (x.patentId === patentId ? change(x) : x)),
});

/**
 * A handler that updates one pledge (read by its id). `patentIds` names the timelines the event goes on:
 * by default the patent the event names, else every patent of the pledge.
 */
function pledgeUpdate<A extends { pledgeId: string }>(
  change: (pledge: PledgeEntity, e: LedgerEvent<A>) => { pledge: PledgeEntity; extra?: StoreWrite[] },
): EventHandler {
  return defineHandler<A>({
    reads: (e) => [keys.pledge(e.args.pledgeId)],
    apply(e, state) {
      const before = must<PledgeEntity>(state, keys.pledge(e.args.pledgeId), e);
      const { pledge, extra = [] } = change(before, e);
      const named = (e.args as { patentId?: string }).patentId;
      return [
        { key: keys.pledge(pledge.id), value: { ...pledge, updated: point(e) } },
        ...extra,
        ...(named !== undefined ? [timeline(e, named)] : timelines(e, patentIdsOf(pledge))),
      ];
    },
  });
}

/** A pledge-level change of status with the given extra fields. */
function statusChange<A extends { pledgeId: string }>(
  status: PledgeStatus,
  fields: (p: PledgeEntity, e: LedgerEvent<A>) => Partial<PledgeEntity>,
  frees = false,
): EventHandler {
  return pledgeUpdate<A>((p, e) => {
    const { pledge, writes } = withStatus(p, status);
    const next = { ...pledge, ...fields(p, e) };
    return { pledge: frees ? freeAll(next) : next, extra: writes };
  });
}

function consentUpdate<A extends { pledgeId: string; patentId: string; counterparty: string; act: number }>(
  change: (c: ActConsentEntity, e: LedgerEvent<A>) => ActConsentEntity,
): EventHandler {
  const keyOf = (e: LedgerEvent<A>) => keys.actConsent(e.args.pledgeId, e.args.patentId, e.args.act, e.args.counterparty);
  return defineHandler<A>({
    reads: (e) => [keyOf(e)],
    apply(e, state) {
      const before = must<ActConsentEntity>(state, keyOf(e), e);
      return [{ key: keyOf(e), value: change(before, e) }, timeline(e, e.args.patentId)];
    },
  });
}

// ---------------------------------------------------------------- handlers

export const pledgesHandlers: Record<string, EventHandler> = {
  PledgeProposed: defineHandler<PledgeProposedArgs>({
    reads: () => [],
    apply(e) {
      const a = e.args;
      const pledge: PledgeEntity = {
        id: a.pledgeId,
        pledgee: a.pledgee,
        proposer: a.proposer,
        securedAmount: a.securedAmount,
        currency: currencyOf(a.currency),
        termEndDay: a.termEndDay,
        contractHash: a.contractHash,
        loanReference: a.loanReference,
        ...pledgeStatus(PledgeStatus.Proposed),
        patents: [],
        pledgors: [],
        consents: [],
        consentsMissing: 0,
        agreedDay: null,
        registration: null,
        refusal: null,
        withdrawnBy: null,
        released: null,
        defaulted: null,
        recovered: "0",
        enforced: null,
        proposed: point(e),
        updated: point(e),
      };
      // The patents follow in PatentPledged events, which put the pledge on their timelines.
      return [
        { key: keys.pledge(a.pledgeId), value: pledge },
        { key: keys.pledgesByPledgee(a.pledgee, a.pledgeId), value: "" },
        { key: keys.pledgesByStatus(PledgeStatus.Proposed, a.pledgeId), value: "" },
      ];
    },
  }),

  PatentPledged: pledgeUpdate<PatentPledgedArgs>((p, e) => {
    const a = e.args;
    const entry: PledgedPatentJson = { patentId: a.patentId, pledgor: a.pledgor, ...entryStatus(Entry.Pledged), leftTo: null, disposal: null };
    const newPledgor = !p.pledgors.includes(a.pledgor);
    return {
      pledge: { ...p, patents: [...p.patents, entry], pledgors: newPledgor ? [...p.pledgors, a.pledgor] : p.pledgors },
      extra: [
        { key: keys.pledgesOfPatent(a.patentId, p.id), value: "" },
        ...(newPledgor ? [{ key: keys.pledgesByPledgor(a.pledgor, p.id), value: "" }] : []),
      ],
    };
  }),

  PledgeConsented: pledgeUpdate<PledgeConsentedArgs>((p, e) => ({
    pledge: { ...p, consents: [...p.consents, { party: e.args.party, at: point(e) }], consentsMissing: e.args.consentsMissing },
  })),

  PledgeAgreed: statusChange<PledgeAgreedArgs>(PledgeStatus.Agreed, (_, e) => ({ agreedDay: e.args.agreedDay })),

  PledgeRegistered: statusChange<PledgeRegisteredArgs>(PledgeStatus.Registered, (_, e) => ({
    registration: { registrar: e.args.registrar, cnipaReference: e.args.cnipaReference, registrationDay: e.args.registrationDay, at: point(e) },
  })),

  PledgeRefused: statusChange<PledgeRefusedArgs>(
    PledgeStatus.Refused,
    (_, e) => ({ refusal: { registrar: e.args.registrar, reason: e.args.reason, at: point(e) } }),
    true,
  ),

  PledgeWithdrawn: statusChange<PledgeWithdrawnArgs>(PledgeStatus.Withdrawn, (_, e) => ({ withdrawnBy: e.args.by }), true),

  PledgeReleased: statusChange<PledgeReleasedArgs>(PledgeStatus.Released, (_, e) => ({ released: point(e) }), true),

  PledgeDefaulted: statusChange<PledgeDefaultedArgs>(PledgeStatus.Defaulted, (_, e) => ({ defaulted: point(e) })),

  PledgeEnforced: statusChange<PledgeEnforcedArgs>(PledgeStatus.Enforced, (_, e) => ({ recovered: e.args.recovered, enforced: point(e) })),

  /** A consented transfer takes a pledged patent out (Left); a registered disposal sale marks it Sold. */
  PatentLeftPledge: pledgeUpdate<PatentLeftPledgeArgs>((p, e) => {
    const x = patentIn(p, e.args.patentId, e);
    const next = x.statusCode === Entry.Disposing ? Entry.Sold : Entry.Left;
    return { pledge: withPatent(p, x.patentId, (y) => ({ ...y, ...entryStatus(next), leftTo: e.args.to })) };
  }),

  ActConsented: defineHandler<ActConsentedArgs>({
    reads: () => [],
    apply(e) {
      const a = e.args;
      const consent: ActConsentEntity = {
        pledgeId: a.pledgeId,
        patentId: a.patentId,
        act: nameOf(ACT, a.act),
        actCode: a.act,
        counterparty: a.counterparty,
        route: nameOf(PROCEEDS_ROUTE, a.route),
        routeCode: a.route,
        state: "Given",
        given: point(e),
        revoked: null,
        used: null,
      };
      return [{ key: keys.actConsent(a.pledgeId, a.patentId, a.act, a.counterparty), value: consent }, timeline(e, a.patentId)];
    },
  }),

  ActConsentRevoked: consentUpdate<ActConsentRevokedArgs>((c, e) => ({ ...c, state: "Revoked", revoked: point(e) })),

  /**
   * The guard consumed the consent for this counterparty, or else the consent for any counterparty
   * (zero address), as the contract looks them up.
   */
  ActConsentUsed: defineHandler<ActConsentUsedArgs>({
    reads: (e) => [
      keys.actConsent(e.args.pledgeId, e.args.patentId, e.args.act, e.args.counterparty),
      keys.actConsent(e.args.pledgeId, e.args.patentId, e.args.act, ZERO_ADDRESS),
    ],
    apply(e, state) {
      const a = e.args;
      const specific = keys.actConsent(a.pledgeId, a.patentId, a.act, a.counterparty);
      const any = keys.actConsent(a.pledgeId, a.patentId, a.act, ZERO_ADDRESS);
      const own = state.get<ActConsentEntity>(specific);
      const key = own !== undefined && own.state === "Given" ? specific : any;
      const consent = must<ActConsentEntity>(state, key, e);
      const used: ActConsentEntity = {
        ...consent,
        state: "Used",
        used: { counterparty: a.counterparty, initiator: a.initiator, proceedsTo: a.proceedsTo, at: point(e) },
      };
      return [{ key, value: used }, timeline(e, a.patentId)];
    },
  }),

  ProceedsEscrowed: defineHandler<ProceedsEscrowedArgs>({
    reads: () => [],
    apply(e) {
      const a = e.args;
      const proceeds: ProceedsEntity = {
        pledgeId: a.pledgeId,
        kind: "Escrowed",
        patentId: a.patentId,
        token: a.token,
        amount: a.amount,
        from: a.from,
        to: a.pledgor,
        toPledgee: false,
        at: point(e),
      };
      return [{ key: keys.pledgeProceeds(a.pledgeId, e.blockNumber, e.logIndex), value: proceeds }, timeline(e, a.patentId)];
    },
  }),

  ProceedsPaid: pledgeUpdate<ProceedsPaidArgs>((p, e) => {
    const a = e.args;
    const proceeds: ProceedsEntity = {
      pledgeId: a.pledgeId,
      kind: "Paid",
      patentId: null,
      token: a.token,
      amount: a.amount,
      from: null,
      to: a.to,
      toPledgee: a.toPledgee,
      at: point(e),
    };
    return {
      pledge: a.toPledgee ? { ...p, recovered: addAmounts(p.recovered, a.amount) } : p,
      extra: [{ key: keys.pledgeProceeds(a.pledgeId, e.blockNumber, e.logIndex), value: proceeds }],
    };
  }),

  DisposalStarted: pledgeUpdate<DisposalStartedArgs>((p, e) => {
    const a = e.args;
    const disposal: DisposalJson = {
      auctionId: a.auctionId,
      module: a.module,
      token: a.token,
      reserve: a.reserve,
      endTime: a.endTime,
      started: point(e),
      settled: null,
      failed: null,
    };
    patentIn(p, a.patentId, e);
    return { pledge: withPatent(p, a.patentId, (x) => ({ ...x, ...entryStatus(Entry.Disposing), disposal })) };
  }),

  DisposalSettled: pledgeUpdate<DisposalSettledArgs>((p, e) => {
    const a = e.args;
    const x = patentIn(p, a.patentId, e);
    const settled = { buyer: a.buyer, proceeds: a.proceeds, toPledgee: a.toPledgee, toPledgor: a.toPledgor, at: point(e) };
    return {
      pledge: withPatent(p, a.patentId, (y) => ({ ...y, ...entryStatus(Entry.Disposed), disposal: x.disposal ? { ...x.disposal, settled } : null })),
    };
  }),

  DisposalFailed: pledgeUpdate<DisposalFailedArgs>((p, e) => {
    const x = patentIn(p, e.args.patentId, e);
    return {
      pledge: withPatent(p, x.patentId, (y) => ({ ...y, ...entryStatus(Entry.Pledged), disposal: y.disposal ? { ...y.disposal, failed: point(e) } : null })),
    };
  }),
};
