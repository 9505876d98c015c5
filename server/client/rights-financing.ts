import { formatCnipaNumber } from "../chain/cnipa";
import type { ProceedsRoute, ValuationMethod } from "../chain/financing";
import type { Act } from "../chain/roles";
import { withRevertDecoding } from "./errors";
import {
  CONSENT_ACT_NAMES,
  currencyOf,
  dateOrDash,
  fenToTokenUnits,
  nameOf,
  PLEDGE_STATUS_NAMES,
  PLEDGED_PATENT_STATUS_NAMES,
  ROUTE_NAMES,
  VALUATION_METHOD_NAMES,
} from "./units";
import { RightsClientError, type Approval, type RightsBase, type TokenInfo, type TxResult } from "./rights-base";

/** Pledges and valuations (Pledges, Valuations) in the client library. */

export interface PledgeView {
  id: bigint;
  status: string;
  pledgee: string;
  proposer: string;
  securedAmount: bigint; // minor unit of the currency (fen for CNY)
  currency: string;
  termEndDate: string;
  agreedDate: string | null;
  registrationDate: string | null;
  recovered: bigint;
  consentsMissing: number;
  contractHash: string;
  patents: { patent: string; pledgor: string; status: string; auctionId: bigint }[];
  parties: { account: string; consented: boolean }[];
}

export interface ValuationView {
  patent: string;
  index: number;
  appraiser: string;
  amount: bigint; // minor unit of the currency
  currency: string;
  method: string;
  date: string;
  reportHash: string;
}

export interface PledgeInput {
  pledgee: string;
  securedFen: bigint;
  currency: string; // bytes3
  termEndDay: number;
  contractHash: string;
  loanReference: string;
  /** Patents (cited numbers); each is pledged by its current owner. */
  patents: string[];
}

export function financingMethods(b: RightsBase) {
  const { pledges, valuations, send, needSigner, needProvider, result, eventArg, tokenInfo, ensureAllowance, patentIdOf, chainToday, fromBlock, defaultToken } = b;

  async function pledgeView(id: bigint): Promise<PledgeView> {
    const p = await withRevertDecoding(() => pledges().pledge(id));
    const [ids, pledgors] = await Promise.all([pledges().pledgePatents(id), pledges().pledgors(id)]);
    const entries = await Promise.all(ids.map((pid) => pledges().pledgedPatent(id, pid)));
    const parties = [p.pledgee, ...pledgors.filter((a) => a.toLowerCase() !== p.pledgee.toLowerCase())];
    const consented = await Promise.all(parties.map((a) => pledges().hasConsented(id, a)));
    return {
      id,
      status: nameOf(PLEDGE_STATUS_NAMES, p.status),
      pledgee: p.pledgee,
      proposer: p.proposer,
      securedAmount: p.securedAmount,
      currency: currencyOf(p.currency),
      termEndDate: dateOrDash(p.termEndDay),
      agreedDate: p.agreedDay === 0n ? null : dateOrDash(p.agreedDay),
      registrationDate: p.registrationDay === 0n ? null : dateOrDash(p.registrationDay),
      recovered: p.recovered,
      consentsMissing: Number(p.consentsMissing),
      contractHash: p.contractHash,
      patents: ids.map((pid, i) => ({
        patent: formatCnipaNumber(pid),
        pledgor: entries[i]!.pledgor,
        status: nameOf(PLEDGED_PATENT_STATUS_NAMES, entries[i]!.status),
        auctionId: entries[i]!.auctionId,
      })),
      parties: parties.map((account, i) => ({ account, consented: consented[i]! })),
    };
  }

  return {
    // ------------------------------------------------------------ pledges

    /** Proposes a pledge over patents, each pledged by its current owner; returns the pledge id. */
    async proposePledge(input: PledgeInput): Promise<TxResult & { pledgeId: bigint }> {
      const items = await Promise.all(
        input.patents.map(async (n) => {
          const patentId = patentIdOf(n);
          return { patentId, pledgor: await withRevertDecoding(() => b.registry.ownerOf(patentId)) };
        }),
      );
      const terms = {
        pledgee: input.pledgee,
        securedAmount: input.securedFen,
        currency: input.currency,
        termEndDay: input.termEndDay,
        contractHash: input.contractHash,
        loanReference: input.loanReference,
      };
      const c = pledges();
      const receipt = await send(() => c.connect(needSigner()).proposePledge(terms, items));
      return { ...result(receipt), pledgeId: eventArg(receipt, await c.getAddress(), c.interface, "PledgeProposed", "pledgeId") };
    },

    async consentPledge(pledgeId: bigint): Promise<TxResult & { agreed: boolean }> {
      const c = pledges();
      const receipt = await send(() => c.connect(needSigner()).consentPledge(pledgeId));
      const at = (await c.getAddress()).toLowerCase();
      const agreed = receipt.logs.some((log) => log.address.toLowerCase() === at && c.interface.parseLog(log)?.name === "PledgeAgreed");
      return { ...result(receipt), agreed };
    },

    async withdrawPledge(pledgeId: bigint): Promise<TxResult> {
      return result(await send(() => pledges().connect(needSigner()).withdrawPledge(pledgeId)));
    },

    /** The registrar registers an agreed pledge (default day: today in China). */
    async registerPledge(pledgeId: bigint, reference: string, day?: number): Promise<TxResult> {
      const registered = day ?? (await chainToday());
      return result(await send(() => pledges().connect(needSigner()).registerPledge(pledgeId, reference, registered)));
    },

    async refusePledge(pledgeId: bigint, reason: string): Promise<TxResult> {
      return result(await send(() => pledges().connect(needSigner()).refusePledge(pledgeId, reason)));
    },

    async releasePledge(pledgeId: bigint): Promise<TxResult> {
      return result(await send(() => pledges().connect(needSigner()).releasePledge(pledgeId)));
    },

    /** The pledgee consents to one act on one pledged patent with one counterparty (zero: anyone). */
    async allowAct(pledgeId: bigint, number: string, act: Act, counterparty: string, route: ProceedsRoute): Promise<TxResult> {
      const id = patentIdOf(number);
      return result(await send(() => pledges().connect(needSigner()).consent(pledgeId, id, act, counterparty, route)));
    },

    async revokeAct(pledgeId: bigint, number: string, act: Act, counterparty: string): Promise<TxResult> {
      const id = patentIdOf(number);
      return result(await send(() => pledges().connect(needSigner()).revokeConsent(pledgeId, id, act, counterparty)));
    },

    /** Deposits proceeds routed to escrow for the pledge of a patent, approving the Pledges contract first if needed. */
    async depositProceeds(number: string, amountFen: bigint, tokenAddress?: string): Promise<TxResult & { amount: bigint; token: TokenInfo; approval: Approval | null }> {
      const id = patentIdOf(number);
      const token = await tokenInfo(tokenAddress ?? defaultToken());
      const amount = fenToTokenUnits(amountFen, token.decimals);
      const c = pledges();
      const approval = await ensureAllowance(token.address, await c.getAddress(), amount);
      const receipt = await send(() => c.connect(needSigner()).depositProceeds(id, token.address, amount));
      return { ...result(receipt), amount, token, approval };
    },

    /** On default, the pledgee offers pledged patents at auction (reserves in fen; bidding closes at `endTime`, unix seconds). */
    async startDisposal(pledgeId: bigint, numbers: string[], reservesFen: bigint[], endTime: number, tokenAddress?: string): Promise<TxResult> {
      const token = await tokenInfo(tokenAddress ?? defaultToken());
      const ids = numbers.map((n) => patentIdOf(n));
      const reserves = reservesFen.map((r) => fenToTokenUnits(r, token.decimals));
      return result(await send(() => pledges().connect(needSigner()).startDisposal(pledgeId, ids, reserves, token.address, endTime)));
    },

    getPledge: pledgeView,

    /** The pledge encumbering a patent now (pending, registered or in disposal), or null. */
    async activePledgeOf(number: string): Promise<bigint | null> {
      const id = await pledges().activePledgeOf(patentIdOf(number));
      return id === 0n ? null : id;
    },

    /** Pledges by pledgee, or covering a patent, or of a pledgor, in proposal order (from the events). */
    async listPledges(filter: { pledgee?: string; patent?: string; pledgor?: string }): Promise<PledgeView[]> {
      const c = pledges();
      let ids: bigint[];
      if (filter.patent !== undefined || filter.pledgor !== undefined) {
        const patentId = filter.patent === undefined ? undefined : patentIdOf(filter.patent);
        const events = await c.queryFilter(c.filters.PatentPledged(undefined, patentId, filter.pledgor), fromBlock());
        ids = events.map((e) => e.args.pledgeId);
      } else {
        const events = await c.queryFilter(c.filters.PledgeProposed(undefined, filter.pledgee), fromBlock());
        ids = events.map((e) => e.args.pledgeId);
      }
      const views = await Promise.all([...new Set(ids)].map((id) => pledgeView(id)));
      return filter.pledgee === undefined ? views : views.filter((v) => v.pledgee.toLowerCase() === filter.pledgee!.toLowerCase());
    },

    actName: (act: Act) => nameOf(CONSENT_ACT_NAMES, act),
    routeName: (route: ProceedsRoute) => nameOf(ROUTE_NAMES, route),

    // ------------------------------------------------------------ valuations

    async recordValuation(
      number: string,
      v: { amountFen: bigint; currency: string; method: ValuationMethod; day: number; reportHash: string },
    ): Promise<TxResult & { index: bigint }> {
      const id = patentIdOf(number);
      const c = valuations();
      const receipt = await send(() => c.connect(needSigner()).recordValuation(id, v.amountFen, v.currency, v.method, v.day, v.reportHash));
      return { ...result(receipt), index: eventArg(receipt, await c.getAddress(), c.interface, "ValuationRecorded", "index") };
    },

    /** Every valuation of a patent, oldest first. */
    async getValuations(number: string): Promise<ValuationView[]> {
      const id = patentIdOf(number);
      const c = valuations();
      const count = Number(await c.valuationCount(id));
      const rows = await Promise.all(Array.from({ length: count }, (_, i) => c.valuationAt(id, i)));
      return rows.map((v, index) => ({
        patent: formatCnipaNumber(id),
        index,
        appraiser: v.appraiser,
        amount: v.amount,
        currency: currencyOf(v.currency),
        method: nameOf(VALUATION_METHOD_NAMES, v.method),
        date: dateOrDash(v.valuationDay),
        reportHash: v.reportHash,
      }));
    },

    /** The chain's latest block time (unix seconds), e.g. to set an auction's end. */
    async chainTime(): Promise<number> {
      const block = await needProvider().getBlock("latest");
      if (!block) throw new RightsClientError("the node returned no latest block");
      return block.timestamp;
    },
  };
}
