import type { StoreWrite } from "../../store/db";
import { keys } from "../../store/keys";
import { defineHandler, type EventHandler, type LedgerEvent } from "../types";
import { currencyOf, HandlerStateError, must, nameOf, point, timeline, timelines, type ChainPoint } from "./common";
import { BENEFIT_ROLE, DEAL_STATUS, EQUITY_FORM, WARRANT_STATUS } from "./enums";

/**
 * The read model of EquityDeals: equity-for-technology deals (Proposed -> Accepted -> Executing ->
 * Executed, or Failed / Cancelled) with their patents and the transfer of each to the company, the
 * benefit shares of inventors and the transfer office, and warrants. Indexes: deals by company, by
 * contributor (the owner) and by patent; warrants by deal and by holder. Every event goes on the
 * timeline of the patents it concerns (a deal-level event on every patent of the deal).
 */

export type DealPatentJson = {
  patentId: string;
  /** The registry transfer to the company, once agreed. */
  transferId: string | null;
  /** None, Agreed, Registered or Refused. */
  transfer: "None" | "Agreed" | "Registered" | "Refused";
};

export type DealEntity = {
  id: string;
  owner: string;
  company: string;
  valuation: string;
  currency: string;
  form: string;
  formCode: number;
  equity: string;
  valuationReportHash: string;
  contractHash: string;
  companyRegistration: string;
  status: string;
  statusCode: number;
  patents: DealPatentJson[];
  benefitShares: { beneficiary: string; role: string; roleCode: number; bps: number }[];
  acceptedAt: ChainPoint | null;
  cancelledBy: string | null;
  executedDay: number | null;
  proposed: ChainPoint;
  updated: ChainPoint;
};

export type WarrantEntity = {
  id: string;
  dealId: string;
  /** The deal's patents (copied at grant so that later warrant events reach their timelines). */
  patentIds: string[];
  holder: string;
  company: string;
  shares: string;
  strike: string;
  currency: string;
  windowStart: number;
  windowEnd: number;
  triggerRequired: boolean;
  trigger: string;
  triggerMetDay: number | null;
  status: string;
  statusCode: number;
  exercisedDay: number | null;
  expired: { by: string; day: number } | null;
  granted: ChainPoint;
  updated: ChainPoint;
};

// ---------------------------------------------------------------- event argument shapes (abi.ts output)

type DealProposedArgs = {
  dealId: string;
  owner: string;
  company: string;
  valuation: string;
  currency: string;
  form: number;
  equity: string;
  valuationReportHash: string;
  contractHash: string;
  companyRegistration: string;
};
type DealPatentAddedArgs = { dealId: string; patentId: string };
type BenefitShareRecordedArgs = { dealId: string; beneficiary: string; role: number; bps: number };
type DealAcceptedArgs = { dealId: string; company: string };
type DealCancelledArgs = { dealId: string; by: string };
type DealTransferArgs = { dealId: string; patentId: string; transferId: string };
type DealExecutedArgs = { dealId: string; company: string; executedDay: number };
type WarrantGrantedArgs = {
  warrantId: string;
  dealId: string;
  holder: string;
  company: string;
  shares: string;
  strike: string;
  currency: string;
  windowStart: number;
  windowEnd: number;
  triggerRequired: boolean;
  trigger: string;
};
type WarrantTriggeredArgs = { warrantId: string; company: string; day: number };
type WarrantExercisedArgs = { warrantId: string; holder: string; shares: string; day: number };
type WarrantExpiredArgs = { warrantId: string; by: string; day: number };

// ---------------------------------------------------------------- helpers

enum Status {
  Proposed = 1,
  Accepted = 2,
  Executing = 3,
  Executed = 4,
  Failed = 5,
  Cancelled = 6,
}

const dealStatus = (code: Status) => ({ status: nameOf(DEAL_STATUS, code), statusCode: code });
const warrantStatus = (code: number) => ({ status: nameOf(WARRANT_STATUS, code), statusCode: code });
const patentIdsOf = (d: DealEntity): string[] => d.patents.map((x) => x.patentId);

/** A handler that updates one deal; the event goes on the patent it names, else on every patent of the deal. */
function dealUpdate<A extends { dealId: string }>(change: (deal: DealEntity, e: LedgerEvent<A>) => { deal: DealEntity; extra?: StoreWrite[] }): EventHandler {
  return defineHandler<A>({
    reads: (e) => [keys.deal(e.args.dealId)],
    apply(e, state) {
      const before = must<DealEntity>(state, keys.deal(e.args.dealId), e);
      const { deal, extra = [] } = change(before, e);
      const named = (e.args as { patentId?: string }).patentId;
      return [
        { key: keys.deal(deal.id), value: { ...deal, updated: point(e) } },
        ...extra,
        ...(named !== undefined ? [timeline(e, named)] : timelines(e, patentIdsOf(deal))),
      ];
    },
  });
}

/** The transfer of one patent of the deal moved to `transfer`. */
function transferState(d: DealEntity, e: LedgerEvent<DealTransferArgs>, transfer: DealPatentJson["transfer"]): DealEntity {
  if (!d.patents.some((x) => x.patentId === e.args.patentId)) {
    throw new HandlerStateError(`${e.contract}.${e.event} at block ${e.blockNumber} log ${e.logIndex}: patent ${e.args.patentId} is not in deal ${d.id}`);
  }
  return { ...d, patents: d.patents.map((x) => (x.patentId === e.args.patentId ? { ...x, transferId: e.args.transferId, transfer } : x)) };
}

function warrantUpdate<A extends { warrantId: string }>(change: (w: WarrantEntity, e: LedgerEvent<A>) => WarrantEntity): EventHandler {
  return defineHandler<A>({
    reads: (e) => [keys.warrant(e.args.warrantId)],
    apply(e, state) {
      const before = must<WarrantEntity>(state, keys.warrant(e.args.warrantId), e);
      const w = change(before, e);
      return [{ key: keys.warrant(w.id), value: { ...w, updated: point(e) } }, ...timelines(e, w.patentIds)];
    },
  });
}

// ---------------------------------------------------------------- handlers

export const equityHandlers: Record<string, EventHandler> = {
  DealProposed: defineHandler<DealProposedArgs>({
    reads: () => [],
    apply(e) {
      const a = e.args;
      const deal: DealEntity = {
        id: a.dealId,
        owner: a.owner,
        company: a.company,
        valuation: a.valuation,
        currency: currencyOf(a.currency),
        form: nameOf(EQUITY_FORM, a.form),
        formCode: a.form,
        equity: a.equity,
        valuationReportHash: a.valuationReportHash,
        contractHash: a.contractHash,
        companyRegistration: a.companyRegistration,
        ...dealStatus(Status.Proposed),
        patents: [],
        benefitShares: [],
        acceptedAt: null,
        cancelledBy: null,
        executedDay: null,
        proposed: point(e),
        updated: point(e),
      };
      // The patents follow in DealPatentAdded events, which put the deal on their timelines.
      return [
        { key: keys.deal(a.dealId), value: deal },
        { key: keys.dealsByCompany(a.company, a.dealId), value: "" },
        { key: keys.dealsByContributor(a.owner, a.dealId), value: "" },
      ];
    },
  }),

  DealPatentAdded: dealUpdate<DealPatentAddedArgs>((d, e) => ({
    deal: { ...d, patents: [...d.patents, { patentId: e.args.patentId, transferId: null, transfer: "None" }] },
    extra: [{ key: keys.dealsOfPatent(e.args.patentId, d.id), value: "" }],
  })),

  BenefitShareRecorded: dealUpdate<BenefitShareRecordedArgs>((d, e) => ({
    deal: {
      ...d,
      benefitShares: [...d.benefitShares, { beneficiary: e.args.beneficiary, role: nameOf(BENEFIT_ROLE, e.args.role), roleCode: e.args.role, bps: e.args.bps }],
    },
  })),

  DealAccepted: dealUpdate<DealAcceptedArgs>((d, e) => ({ deal: { ...d, ...dealStatus(Status.Accepted), acceptedAt: point(e) } })),

  DealCancelled: dealUpdate<DealCancelledArgs>((d, e) => ({ deal: { ...d, ...dealStatus(Status.Cancelled), cancelledBy: e.args.by } })),

  DealTransferAgreed: dealUpdate<DealTransferArgs>((d, e) => ({ deal: { ...transferState(d, e, "Agreed"), ...dealStatus(Status.Executing) } })),

  /** Also after a failure: the deal's other transfers stay with the registrar and are recorded as they end. */
  DealTransferRegistered: dealUpdate<DealTransferArgs>((d, e) => ({ deal: transferState(d, e, "Registered") })),

  DealExecuted: dealUpdate<DealExecutedArgs>((d, e) => ({ deal: { ...d, ...dealStatus(Status.Executed), executedDay: e.args.executedDay } })),

  DealFailed: dealUpdate<DealTransferArgs>((d, e) => ({ deal: { ...transferState(d, e, "Refused"), ...dealStatus(Status.Failed) } })),

  WarrantGranted: defineHandler<WarrantGrantedArgs>({
    reads: (e) => [keys.deal(e.args.dealId)],
    apply(e, state) {
      const a = e.args;
      const deal = must<DealEntity>(state, keys.deal(a.dealId), e);
      const warrant: WarrantEntity = {
        id: a.warrantId,
        dealId: a.dealId,
        patentIds: patentIdsOf(deal),
        holder: a.holder,
        company: a.company,
        shares: a.shares,
        strike: a.strike,
        currency: currencyOf(a.currency),
        windowStart: a.windowStart,
        windowEnd: a.windowEnd,
        triggerRequired: a.triggerRequired,
        trigger: a.trigger,
        triggerMetDay: null,
        ...warrantStatus(1),
        exercisedDay: null,
        expired: null,
        granted: point(e),
        updated: point(e),
      };
      return [
        { key: keys.warrant(a.warrantId), value: warrant },
        { key: keys.warrantsOfDeal(a.dealId, a.warrantId), value: "" },
        { key: keys.warrantsByHolder(a.holder, a.warrantId), value: "" },
        ...timelines(e, warrant.patentIds),
      ];
    },
  }),

  WarrantTriggered: warrantUpdate<WarrantTriggeredArgs>((w, e) => ({ ...w, triggerMetDay: e.args.day })),
  WarrantExercised: warrantUpdate<WarrantExercisedArgs>((w, e) => ({ ...w, ...warrantStatus(2), exercisedDay: e.args.day })),
  WarrantExpired: warrantUpdate<WarrantExpiredArgs>((w, e) => ({ ...w, ...warrantStatus(3), expired: { by: e.args.by, day: e.args.day } })),
};
