import { formatCnipaNumber } from "../chain/cnipa";
import type { BenefitRole, EquityForm } from "../chain/financing";
import { withRevertDecoding } from "./errors";
import {
  BENEFIT_ROLE_NAMES,
  currencyOf,
  DEAL_STATUS_NAMES,
  dateOrDash,
  EQUITY_FORM_NAMES,
  nameOf,
  WARRANT_STATUS_NAMES,
} from "./units";
import { type RightsBase, type TxResult } from "./rights-base";

/** Equity for technology and warrants (EquityDeals) in the client library. */

export interface DealView {
  id: bigint;
  status: string;
  owner: string;
  company: string;
  valuation: bigint;
  currency: string;
  form: string;
  equity: bigint;
  patents: string[];
  benefitShares: { beneficiary: string; role: string; bps: number }[];
  proposedDate: string;
  executedDate: string | null;
  pendingTransfers: number;
  valuationReportHash: string;
  contractHash: string;
  companyRegistration: string;
}

export interface WarrantView {
  id: bigint;
  dealId: bigint;
  company: string;
  holder: string;
  status: string;
  shares: bigint;
  strike: bigint; // per share, minor unit of the currency
  currency: string;
  windowStart: string;
  windowEnd: string;
  triggerRequired: boolean;
  triggerMet: boolean;
  trigger: string;
  exercisedDate: string | null;
}

export interface DealInput {
  company: string;
  valuationFen: bigint;
  currency: string; // bytes3
  form: EquityForm;
  equity: bigint;
  valuationReportHash: string;
  contractHash: string;
  companyRegistration: string;
  patents: string[];
  benefitShares: { beneficiary: string; role: BenefitRole; bps: number }[];
}

export interface WarrantInput {
  holder: string;
  shares: bigint;
  strikeFen: bigint;
  windowStartDay: number;
  windowEndDay: number;
  trigger: string; // empty: no trigger required
}

export function equityMethods(b: RightsBase) {
  const { equityDeals, send, needSigner, result, eventArg, patentIdOf } = b;

  async function dealView(id: bigint): Promise<DealView> {
    const d = await withRevertDecoding(() => equityDeals().deal(id));
    const [ids, shares] = await Promise.all([equityDeals().dealPatents(id), equityDeals().benefitShares(id)]);
    return {
      id,
      status: nameOf(DEAL_STATUS_NAMES, d.status),
      owner: d.owner,
      company: d.company,
      valuation: d.valuation,
      currency: currencyOf(d.currency),
      form: nameOf(EQUITY_FORM_NAMES, d.form),
      equity: d.equity,
      patents: ids.map((pid) => formatCnipaNumber(pid)),
      benefitShares: shares.map((s) => ({ beneficiary: s.beneficiary, role: nameOf(BENEFIT_ROLE_NAMES, s.role), bps: Number(s.bps) })),
      proposedDate: dateOrDash(d.proposedDay),
      executedDate: d.executedDay === 0n ? null : dateOrDash(d.executedDay),
      pendingTransfers: Number(d.pendingTransfers),
      valuationReportHash: d.valuationReportHash,
      contractHash: d.contractHash,
      companyRegistration: d.companyRegistration,
    };
  }

  return {
    // ------------------------------------------------------------ equity for technology

    async proposeDeal(input: DealInput): Promise<TxResult & { dealId: bigint }> {
      const terms = {
        company: input.company,
        valuation: input.valuationFen,
        currency: input.currency,
        form: input.form,
        equity: input.equity,
        valuationReportHash: input.valuationReportHash,
        contractHash: input.contractHash,
        companyRegistration: input.companyRegistration,
      };
      const ids = input.patents.map((n) => patentIdOf(n));
      const c = equityDeals();
      const receipt = await send(() => c.connect(needSigner()).proposeDeal(terms, ids, input.benefitShares));
      return { ...result(receipt), dealId: eventArg(receipt, await c.getAddress(), c.interface, "DealProposed", "dealId") };
    },

    async acceptDeal(dealId: bigint): Promise<TxResult> {
      return result(await send(() => equityDeals().connect(needSigner()).acceptDeal(dealId)));
    },

    async cancelDeal(dealId: bigint): Promise<TxResult> {
      return result(await send(() => equityDeals().connect(needSigner()).cancelDeal(dealId)));
    },

    /** Agrees the transfers to the company; returns the transfer ids awaiting registration. */
    async executeDeal(dealId: bigint): Promise<TxResult & { transferIds: bigint[] }> {
      const c = equityDeals();
      const receipt = await send(() => c.connect(needSigner()).executeDeal(dealId));
      const at = (await c.getAddress()).toLowerCase();
      const transferIds: bigint[] = [];
      for (const log of receipt.logs) {
        if (log.address.toLowerCase() !== at) continue;
        const parsed = c.interface.parseLog(log);
        if (parsed?.name === "DealTransferAgreed") transferIds.push(BigInt(parsed.args.getValue("transferId") as bigint));
      }
      return { ...result(receipt), transferIds };
    },

    getDeal: dealView,

    async grantWarrant(dealId: bigint, w: WarrantInput): Promise<TxResult & { warrantId: bigint }> {
      const c = equityDeals();
      const receipt = await send(() =>
        c.connect(needSigner()).grantWarrant(dealId, w.holder, w.shares, w.strikeFen, w.windowStartDay, w.windowEndDay, w.trigger !== "", w.trigger),
      );
      return { ...result(receipt), warrantId: eventArg(receipt, await c.getAddress(), c.interface, "WarrantGranted", "warrantId") };
    },

    async recordWarrantTrigger(warrantId: bigint): Promise<TxResult> {
      return result(await send(() => equityDeals().connect(needSigner()).recordTrigger(warrantId)));
    },

    async exerciseWarrant(warrantId: bigint): Promise<TxResult> {
      return result(await send(() => equityDeals().connect(needSigner()).exerciseWarrant(warrantId)));
    },

    async expireWarrant(warrantId: bigint): Promise<TxResult> {
      return result(await send(() => equityDeals().connect(needSigner()).expireWarrant(warrantId)));
    },

    async getWarrant(warrantId: bigint): Promise<WarrantView> {
      const w = await withRevertDecoding(() => equityDeals().warrant(warrantId));
      return {
        id: warrantId,
        dealId: w.dealId,
        company: w.company,
        holder: w.holder,
        status: nameOf(WARRANT_STATUS_NAMES, w.status),
        shares: w.shares,
        strike: w.strike,
        currency: currencyOf(w.currency),
        windowStart: dateOrDash(w.windowStart),
        windowEnd: dateOrDash(w.windowEnd),
        triggerRequired: w.triggerRequired,
        triggerMet: w.triggerMet,
        trigger: w.trigger,
        exercisedDate: w.exercisedDay === 0n ? null : dateOrDash(w.exercisedDay),
      };
    },
  };
}
