import { keys } from "../../store/keys";
import { defineHandler, type EventHandler } from "../types";
import { currencyOf, nameOf, point, timeline, type ChainPoint } from "./common";
import { VALUATION_METHOD } from "./enums";

/**
 * The read model of Valuations: every appraisal of a patent, keyed by patent then by its index on the
 * chain (so the entity key is also the by-patent index; the last key is the latest valuation).
 */

export type ValuationEntity = {
  patentId: string;
  index: string;
  appraiser: string;
  amount: string;
  currency: string;
  method: string;
  methodCode: number;
  valuationDay: number;
  reportHash: string;
  recorded: ChainPoint;
};

type ValuationRecordedArgs = {
  patentId: string;
  index: string;
  appraiser: string;
  amount: string;
  currency: string;
  method: number;
  valuationDay: number;
  reportHash: string;
};

export const valuationsHandlers: Record<string, EventHandler> = {
  ValuationRecorded: defineHandler<ValuationRecordedArgs>({
    reads: () => [],
    apply(e) {
      const a = e.args;
      const valuation: ValuationEntity = {
        patentId: a.patentId,
        index: a.index,
        appraiser: a.appraiser,
        amount: a.amount,
        currency: currencyOf(a.currency),
        method: nameOf(VALUATION_METHOD, a.method),
        methodCode: a.method,
        valuationDay: a.valuationDay,
        reportHash: a.reportHash,
        recorded: point(e),
      };
      return [{ key: keys.valuation(a.patentId, a.index), value: valuation }, timeline(e, a.patentId)];
    },
  }),
};
