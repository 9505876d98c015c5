import type { StoreWrite } from "../../store/db";
import { keys } from "../../store/keys";
import { defineHandler, type EventHandler, type LedgerEvent } from "../types";
import { addAmounts, must, nameOf, point, subAmounts, timeline, ZERO_ADDRESS, type ChainPoint } from "./common";
import { FEE_METHOD, FEE_TRIGGER, LICENCE_KIND, LICENCE_STATUS } from "./enums";

/**
 * The read model of Licensing and Royalties: licences (active and ended, with kind, scope, term, fee
 * terms, filing, parent and sublicences, and the royalty account), open-licence declarations (current
 * and history), benefit shares, revenue reports and royalty payments with their three-way splits.
 * Indexes: licences by licensee, by patent, in force by patent, sublicences by parent, patents under an
 * open licence, royalty payments by patent. Every event about a patent goes on its timeline.
 */

// ---------------------------------------------------------------- entities

export type LicenceScopeJson = { fields: string; territories: string; startDay: number; endDay: number };
export type FeeTermsJson = { method: number; trigger: number; royaltyBps: number; triggerDay: number; amount: string };

/** The running account of a licence as Royalties keeps it (amounts in the token's minor unit). */
export type LicenceAccountJson = {
  revenue: string;
  owed: string;
  paid: string;
  payments: number;
  feePaid: boolean;
  feeDueDay: number | null;
  launchedDay: number | null;
};

export type LicenceEntity = {
  id: string;
  patentId: string;
  licensee: string;
  grantor: string;
  kind: string;
  kindCode: number;
  status: string;
  statusCode: number;
  sublicensable: boolean;
  /** Taken under an open-licence declaration. */
  open: boolean;
  /** The parent licence of a sublicence. */
  parentId: string | null;
  scope: LicenceScopeJson;
  fee: FeeTermsJson & { methodName: string; triggerName: string };
  token: string;
  contractHash: string;
  /** Where lump-sum fees go instead of the owner (a pledgee's consent), or null. */
  proceedsTo: string | null;
  filing: { reference: string; filedDay: number; late: boolean; recorded: ChainPoint } | null;
  /** How it ended: Terminated (by a party, with a reason), Expired, or Revoked with its parent. */
  ended: { day: number; by: string | null; reason: string | null } | null;
  account: LicenceAccountJson;
  granted: ChainPoint;
  updated: ChainPoint;
};

export type OpenLicenceTermsJson = { method: number; royaltyBps: number; termDays: number; amount: string; token: string };

export type OpenLicenceEntity = {
  patentId: string;
  owner: string;
  /** Whether the declaration is in force. */
  declared: boolean;
  terms: OpenLicenceTermsJson & { methodName: string };
  /** Licences taken under this declaration. */
  taken: number;
  declaredAt: ChainPoint;
  withdrawnAt: ChainPoint | null;
};

export type OpenLicenceHistoryEntry = {
  patentId: string;
  event: "OpenLicenceDeclared" | "OpenLicenceWithdrawn";
  owner: string;
  terms: OpenLicenceTermsJson | null;
  at: ChainPoint;
};

export type PaymentSplitJson = {
  unit: string;
  unitAmount: string;
  inventors: string;
  inventorsAmount: string;
  tto: string;
  ttoAmount: string;
};

export type RoyaltyPaymentEntity = {
  licenceId: string;
  patentId: string;
  /** Numbers the licence's payments from 1. */
  payment: string;
  payer: string;
  /** A lump-sum or deferred fee (else a running royalty). */
  fee: boolean;
  token: string;
  amount: string;
  split: PaymentSplitJson;
  paid: ChainPoint;
};

export type RevenueReportEntity = {
  licenceId: string;
  patentId: string;
  licensee: string;
  revenue: string;
  due: string;
  owedAfter: string;
  reportHash: string;
  reported: ChainPoint;
};

export type BenefitSharesEntity = {
  patentId: string;
  /** The owner who declared them: they lapse when the patent changes owner. */
  owner: string;
  unitBps: number;
  inventorsBps: number;
  ttoBps: number;
  inventors: string;
  tto: string;
  declared: ChainPoint;
};

// ---------------------------------------------------------------- event argument shapes (abi.ts output)

type LicenceGrantedArgs = {
  licenceId: string;
  patentId: string;
  licensee: string;
  grantor: string;
  kind: number;
  sublicensable: boolean;
  scope: LicenceScopeJson;
  fee: FeeTermsJson;
  token: string;
  contractHash: string;
  proceedsTo: string;
};
type SublicenceGrantedArgs = { licenceId: string; parentId: string; sublicensee: string };
type LicenceFiledArgs = { licenceId: string; patentId: string; filingRef: string; filedDay: number; late: boolean };
type LicenceTerminatedArgs = { licenceId: string; patentId: string; by: string; reason: string; day: number };
type LicenceExpiredArgs = { licenceId: string; patentId: string; endDay: number; day: number };
type SublicenceRevokedArgs = { licenceId: string; parentId: string; patentId: string; day: number };
type OpenLicenceDeclaredArgs = { patentId: string; owner: string; terms: OpenLicenceTermsJson };
type OpenLicenceWithdrawnArgs = { patentId: string; owner: string };
type OpenLicenceTakenArgs = { licenceId: string; patentId: string; licensee: string };
type RoyaltiesContractSetArgs = { royalties: string };

type SharesDeclaredArgs = {
  patentId: string;
  owner: string;
  shares: { unitBps: number; inventorsBps: number; ttoBps: number; inventors: string; tto: string };
};
type RevenueReportedArgs = {
  licenceId: string;
  patentId: string;
  licensee: string;
  revenue: string;
  due: string;
  owed: string;
  reportHash: string;
};
type FeeFellDueArgs = { licenceId: string; patentId: string; trigger: number; day: number; amount: string };
type ProductLaunchedArgs = { licenceId: string; patentId: string; day: number; evidenceHash: string };
type RoyaltyPaidArgs = {
  licenceId: string;
  patentId: string;
  payer: string;
  payment: string;
  fee: boolean;
  token: string;
  amount: string;
  split: PaymentSplitJson;
};

// ---------------------------------------------------------------- helpers

const statusOf = (code: number) => ({ status: nameOf(LICENCE_STATUS, code), statusCode: code });

/** A handler that updates one licence (read by its id) and records the event on the patent's timeline. */
function licenceUpdate<A extends { licenceId: string }>(
  change: (licence: LicenceEntity, e: LedgerEvent<A>) => { licence: LicenceEntity; extra?: StoreWrite[] },
): EventHandler {
  return defineHandler<A>({
    reads: (e) => [keys.licence(e.args.licenceId)],
    apply(e, state) {
      const before = must<LicenceEntity>(state, keys.licence(e.args.licenceId), e);
      const { licence, extra = [] } = change(before, e);
      return [{ key: keys.licence(licence.id), value: { ...licence, updated: point(e) } }, ...extra, timeline(e, licence.patentId)];
    },
  });
}

/** Ends a licence: final status, how it ended, and off the in-force index. */
function ended<A extends { licenceId: string; day: number }>(status: number, how: (a: A) => { by: string | null; reason: string | null }) {
  return licenceUpdate<A>((l, e) => ({
    licence: { ...l, ...statusOf(status), ended: { day: e.args.day, ...how(e.args) } },
    extra: [{ key: keys.activeLicencesOfPatent(l.patentId, l.id), value: null }],
  }));
}

// ---------------------------------------------------------------- Licensing

export const licensingHandlers: Record<string, EventHandler> = {
  LicenceGranted: defineHandler<LicenceGrantedArgs>({
    reads: () => [],
    apply(e) {
      const a = e.args;
      const licence: LicenceEntity = {
        id: a.licenceId,
        patentId: a.patentId,
        licensee: a.licensee,
        grantor: a.grantor,
        kind: nameOf(LICENCE_KIND, a.kind),
        kindCode: a.kind,
        ...statusOf(1),
        sublicensable: a.sublicensable,
        open: false,
        parentId: null,
        scope: a.scope,
        fee: { ...a.fee, methodName: nameOf(FEE_METHOD, a.fee.method), triggerName: nameOf(FEE_TRIGGER, a.fee.trigger) },
        token: a.token,
        contractHash: a.contractHash,
        proceedsTo: a.proceedsTo === ZERO_ADDRESS ? null : a.proceedsTo,
        filing: null,
        ended: null,
        account: { revenue: "0", owed: "0", paid: "0", payments: 0, feePaid: false, feeDueDay: null, launchedDay: null },
        granted: point(e),
        updated: point(e),
      };
      return [
        { key: keys.licence(a.licenceId), value: licence },
        { key: keys.licencesOfLicensee(a.licensee, a.licenceId), value: "" },
        { key: keys.licencesOfPatent(a.patentId, a.licenceId), value: "" },
        { key: keys.activeLicencesOfPatent(a.patentId, a.licenceId), value: "" },
        timeline(e, a.patentId),
      ];
    },
  }),

  /** Follows LicenceGranted of the same licence: names its parent. */
  SublicenceGranted: licenceUpdate<SublicenceGrantedArgs>((l, e) => ({
    licence: { ...l, parentId: e.args.parentId },
    extra: [{ key: keys.sublicences(e.args.parentId, l.id), value: "" }],
  })),

  LicenceFiled: licenceUpdate<LicenceFiledArgs>((l, e) => ({
    licence: { ...l, filing: { reference: e.args.filingRef, filedDay: e.args.filedDay, late: e.args.late, recorded: point(e) } },
  })),

  LicenceTerminated: ended<LicenceTerminatedArgs>(2, (a) => ({ by: a.by, reason: a.reason })),
  LicenceExpired: ended<LicenceExpiredArgs>(3, () => ({ by: null, reason: null })),
  /** Emitted before the parent's LicenceTerminated or LicenceExpired. */
  SublicenceRevoked: ended<SublicenceRevokedArgs>(4, () => ({ by: null, reason: null })),

  OpenLicenceDeclared: defineHandler<OpenLicenceDeclaredArgs>({
    reads: () => [],
    apply(e) {
      const a = e.args;
      const current: OpenLicenceEntity = {
        patentId: a.patentId,
        owner: a.owner,
        declared: true,
        terms: { ...a.terms, methodName: nameOf(FEE_METHOD, a.terms.method) },
        // A new declaration counts its own takers; the history keeps the earlier ones.
        taken: 0,
        declaredAt: point(e),
        withdrawnAt: null,
      };
      const history: OpenLicenceHistoryEntry = { patentId: a.patentId, event: "OpenLicenceDeclared", owner: a.owner, terms: a.terms, at: point(e) };
      return [
        { key: keys.openLicence(a.patentId), value: current },
        { key: keys.openLicenceHistory(a.patentId, e.blockNumber, e.logIndex), value: history },
        { key: keys.openLicensed(a.patentId), value: "" },
        timeline(e, a.patentId),
      ];
    },
  }),

  OpenLicenceWithdrawn: defineHandler<OpenLicenceWithdrawnArgs>({
    reads: (e) => [keys.openLicence(e.args.patentId)],
    apply(e, state) {
      const a = e.args;
      const current = must<OpenLicenceEntity>(state, keys.openLicence(a.patentId), e);
      const history: OpenLicenceHistoryEntry = { patentId: a.patentId, event: "OpenLicenceWithdrawn", owner: a.owner, terms: null, at: point(e) };
      return [
        { key: keys.openLicence(a.patentId), value: { ...current, declared: false, withdrawnAt: point(e) } },
        { key: keys.openLicenceHistory(a.patentId, e.blockNumber, e.logIndex), value: history },
        { key: keys.openLicensed(a.patentId), value: null },
        timeline(e, a.patentId),
      ];
    },
  }),

  /** Follows LicenceGranted of the same licence: marks it open and counts it on the declaration. */
  OpenLicenceTaken: defineHandler<OpenLicenceTakenArgs>({
    reads: (e) => [keys.licence(e.args.licenceId), keys.openLicence(e.args.patentId)],
    apply(e, state) {
      const a = e.args;
      const licence = must<LicenceEntity>(state, keys.licence(a.licenceId), e);
      const open = must<OpenLicenceEntity>(state, keys.openLicence(a.patentId), e);
      return [
        { key: keys.licence(a.licenceId), value: { ...licence, open: true, updated: point(e) } },
        { key: keys.openLicence(a.patentId), value: { ...open, taken: open.taken + 1 } },
        timeline(e, a.patentId),
      ];
    },
  }),

  RoyaltiesContractSet: defineHandler<RoyaltiesContractSetArgs>({
    reads: () => [],
    apply: (e) => [{ key: keys.setting("Licensing", "royalties"), value: { address: e.args.royalties, set: point(e) } }],
  }),
};

// ---------------------------------------------------------------- Royalties

/** A Royalties event that updates the licence's account. */
function accountUpdate<A extends { licenceId: string }>(
  change: (account: LicenceAccountJson, e: LedgerEvent<A>, licence: LicenceEntity) => { account: LicenceAccountJson; extra?: StoreWrite[] },
): EventHandler {
  return licenceUpdate<A>((l, e) => {
    const { account, extra } = change(l.account, e, l);
    return { licence: { ...l, account }, ...(extra ? { extra } : {}) };
  });
}

export const royaltiesHandlers: Record<string, EventHandler> = {
  SharesDeclared: defineHandler<SharesDeclaredArgs>({
    reads: () => [],
    apply(e) {
      const a = e.args;
      const shares: BenefitSharesEntity = { patentId: a.patentId, owner: a.owner, ...a.shares, declared: point(e) };
      return [{ key: keys.benefitShares(a.patentId), value: shares }, timeline(e, a.patentId)];
    },
  }),

  RevenueReported: accountUpdate<RevenueReportedArgs>((acc, e) => {
    const a = e.args;
    const report: RevenueReportEntity = {
      licenceId: a.licenceId,
      patentId: a.patentId,
      licensee: a.licensee,
      revenue: a.revenue,
      due: a.due,
      owedAfter: a.owed,
      reportHash: a.reportHash,
      reported: point(e),
    };
    return {
      account: { ...acc, revenue: addAmounts(acc.revenue, a.revenue), owed: a.owed },
      extra: [{ key: keys.revenueReport(a.licenceId, e.blockNumber, e.logIndex), value: report }],
    };
  }),

  FeeFellDue: accountUpdate<FeeFellDueArgs>((acc, e) => ({ account: { ...acc, feeDueDay: e.args.day } })),

  ProductLaunched: accountUpdate<ProductLaunchedArgs>((acc, e) => ({ account: { ...acc, launchedDay: e.args.day } })),

  RoyaltyPaid: accountUpdate<RoyaltyPaidArgs>((acc, e) => {
    const a = e.args;
    const payment: RoyaltyPaymentEntity = {
      licenceId: a.licenceId,
      patentId: a.patentId,
      payment: a.payment,
      payer: a.payer,
      fee: a.fee,
      token: a.token,
      amount: a.amount,
      split: a.split,
      paid: point(e),
    };
    return {
      account: {
        ...acc,
        paid: addAmounts(acc.paid, a.amount),
        payments: Number(a.payment),
        // A fee settles the fee; a royalty payment reduces what reported revenue made owed.
        ...(a.fee ? { feePaid: true } : { owed: subAmounts(acc.owed, a.amount) }),
      },
      extra: [
        { key: keys.royaltyPayment(a.licenceId, a.payment), value: payment },
        { key: keys.royaltiesOfPatent(a.patentId, a.licenceId, a.payment), value: "" },
      ],
    };
  }),
};
