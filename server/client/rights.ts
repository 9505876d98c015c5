import { ZeroAddress, type ContractTransactionReceipt, type ContractTransactionResponse, type Interface, type Provider, type Signer } from "ethers";
import {
  EquityDeals__factory,
  IERC20Metadata__factory,
  Licensing__factory,
  Pledges__factory,
  Royalties__factory,
  Valuations__factory,
  type EquityDeals,
  type Licensing,
  type PatentRegistry,
  type Pledges,
  type Royalties,
  type Valuations,
} from "../../typechain-types";
import { formatCnipaNumber } from "../chain/cnipa";
import type { Deployments } from "../chain/deployments";
import type { BenefitRole, EquityForm, ProceedsRoute, ValuationMethod } from "../chain/financing";
import { FeeMethod, FeeTrigger, FIELD_CLASSES, TERRITORIES, type LicenceKind } from "../chain/licensing";
import type { Act } from "../chain/roles";
import { withRevertDecoding } from "./errors";
import {
  BENEFIT_ROLE_NAMES,
  CONSENT_ACT_NAMES,
  currencyOf,
  DEAL_STATUS_NAMES,
  dateOrDash,
  EQUITY_FORM_NAMES,
  FEE_METHOD_NAMES,
  FEE_TRIGGER_NAMES,
  fenToTokenUnits,
  LICENCE_KIND_NAMES,
  LICENCE_STATUS_NAMES,
  nameOf,
  PLEDGE_STATUS_NAMES,
  PLEDGED_PATENT_STATUS_NAMES,
  ROUTE_NAMES,
  scopeNames,
  VALUATION_METHOD_NAMES,
  WARRANT_STATUS_NAMES,
} from "./units";

/**
 * The client library's writes and reads of the rights contracts: licences and open licences (Licensing),
 * royalties (Royalties), pledges (Pledges), valuations (Valuations), equity deals and warrants (EquityDeals).
 * Spread into the ledger client by `createLedgerClient`. Amounts are taken in fen (yuan x 100) and converted
 * exactly to the settlement token's units; payments approve the paying contract when the allowance is short.
 */

interface TxResult {
  hash: string;
  blockNumber: number;
  gasUsed: bigint;
}

/** An approval sent before a payment because the allowance was short. */
export interface Approval extends TxResult {
  token: string;
  spender: string;
  amount: bigint; // token units
}

/** What the ledger client lends the rights methods. */
export interface RightsCore {
  deployments: Deployments;
  runner: Signer | Provider;
  registry: PatentRegistry;
  send(build: () => Promise<ContractTransactionResponse>): Promise<ContractTransactionReceipt>;
  needSigner(): Signer;
  needProvider(): Provider;
  chainToday(): Promise<number>;
  patentIdOf(number: string | bigint): bigint;
}

export class RightsClientError extends Error {
  override name = "RightsClientError";
}

export interface TokenInfo {
  address: string;
  symbol: string;
  decimals: number;
}

export interface ScopeView {
  fields: string[];
  territories: string[];
  fieldsMask: bigint;
  territoriesMask: bigint;
  from: string;
  until: string; // first day no longer licensed
}

export interface FeeView {
  method: string;
  amount: bigint; // token units (lump sum or deferred fee)
  royaltyBps: number;
  trigger: string;
  triggerDate: string | null;
}

export interface LicenceView {
  id: bigint;
  patent: string;
  licensee: string;
  grantor: string;
  kind: string;
  status: string;
  sublicensable: boolean;
  open: boolean;
  scope: ScopeView;
  fee: FeeView;
  token: TokenInfo | null;
  grantedDate: string;
  filing: { reference: string; date: string; late: boolean } | null;
  endedDate: string | null;
  parentId: bigint | null;
  proceedsTo: string | null;
  contractHash: string;
  account: { owed: bigint; paid: bigint; revenue: bigint; payments: number; feeDueDate: string | null; feePaid: boolean };
}

export interface OpenLicenceView {
  patent: string;
  declared: boolean;
  method: string;
  amount: bigint;
  royaltyBps: number;
  termDays: number;
  token: TokenInfo | null;
}

export interface SharesView {
  patent: string;
  declaredBy: string | null;
  /** False when the shares were declared by a previous owner (they lapsed with the transfer). */
  current: boolean;
  unitBps: number;
  inventorsBps: number;
  ttoBps: number;
  inventors: string;
  tto: string;
}

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

/** Terms of a licence grant, parsed (see units.ts). `fee.amountFen` for lump-sum and deferred fees. */
export interface LicenceGrantInput {
  licensee: string;
  kind: LicenceKind;
  sublicensable: boolean;
  fields: bigint;
  territories: bigint;
  startDay: number;
  endDay: number;
  fee: { method: FeeMethod; amountFen: bigint; royaltyBps: number; trigger: FeeTrigger; triggerDay: number };
  /** The settlement token; default the deployment's DemoSettlementToken. */
  token?: string;
  contractHash: string;
}

export interface OpenLicenceInput {
  method: FeeMethod.LumpSum | FeeMethod.RunningRoyalty;
  amountFen: bigint;
  royaltyBps: number;
  termDays: number;
  token?: string;
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

const orNull = (a: string) => (a === ZeroAddress ? null : a);

export function rightsClient(core: RightsCore) {
  const { deployments, runner, send, needSigner, needProvider, chainToday, patentIdOf } = core;

  function address(name: string): string {
    const found = deployments.contracts[name];
    if (!found) throw new RightsClientError(`the deployments file names no ${name} contract`);
    return found;
  }
  let licensingHandle: Licensing | undefined;
  let royaltiesHandle: Royalties | undefined;
  let pledgesHandle: Pledges | undefined;
  let valuationsHandle: Valuations | undefined;
  let equityHandle: EquityDeals | undefined;
  const licensing = () => (licensingHandle ??= Licensing__factory.connect(address("Licensing"), runner));
  const royalties = () => (royaltiesHandle ??= Royalties__factory.connect(address("Royalties"), runner));
  const pledges = () => (pledgesHandle ??= Pledges__factory.connect(address("Pledges"), runner));
  const valuations = () => (valuationsHandle ??= Valuations__factory.connect(address("Valuations"), runner));
  const equityDeals = () => (equityHandle ??= EquityDeals__factory.connect(address("EquityDeals"), runner));
  const defaultToken = () => address("DemoSettlementToken");

  const result = (r: ContractTransactionReceipt): TxResult => ({ hash: r.hash, blockNumber: r.blockNumber, gasUsed: r.gasUsed });

  function eventArg(receipt: ContractTransactionReceipt, at: string, iface: Interface, eventName: string, arg: string): bigint {
    for (const log of receipt.logs) {
      if (log.address.toLowerCase() !== at.toLowerCase()) continue;
      const parsed = iface.parseLog(log);
      if (parsed?.name === eventName) return BigInt(parsed.args.getValue(arg) as bigint);
    }
    throw new RightsClientError(`transaction ${receipt.hash} emitted no ${eventName}`);
  }

  const tokens = new Map<string, Promise<TokenInfo>>();
  function tokenInfo(token: string): Promise<TokenInfo> {
    const key = token.toLowerCase();
    let info = tokens.get(key);
    if (!info) {
      const erc20 = IERC20Metadata__factory.connect(token, runner);
      info = Promise.all([erc20.symbol(), erc20.decimals()]).then(([symbol, decimals]) => ({ address: token, symbol, decimals: Number(decimals) }));
      tokens.set(key, info);
    }
    return info;
  }

  async function units(token: string, fen: bigint): Promise<bigint> {
    return fenToTokenUnits(fen, (await tokenInfo(token)).decimals);
  }

  /** Approves `spender` for `amount` of `token` when the signer's allowance is short; null when it sufficed. */
  async function ensureAllowance(token: string, spender: string, amount: bigint): Promise<Approval | null> {
    const signer = needSigner();
    const erc20 = IERC20Metadata__factory.connect(token, signer);
    const allowance = await erc20.allowance(await signer.getAddress(), spender);
    if (allowance >= amount) return null;
    const receipt = await send(() => erc20.approve(spender, amount));
    return { ...result(receipt), token, spender, amount };
  }

  async function licenceView(id: bigint): Promise<LicenceView> {
    const l = await withRevertDecoding(() => licensing().licence(id));
    const [reference, account] = await Promise.all([licensing().filingReference(id), royalties().account(id)]);
    const token = l.token === ZeroAddress ? null : await tokenInfo(l.token);
    const method = Number(l.fee.method) as FeeMethod;
    return {
      id,
      patent: formatCnipaNumber(l.patentId),
      licensee: l.licensee,
      grantor: l.grantor,
      kind: nameOf(LICENCE_KIND_NAMES, l.kind),
      status: nameOf(LICENCE_STATUS_NAMES, l.status),
      sublicensable: l.sublicensable,
      open: l.open,
      scope: {
        fields: scopeNames(FIELD_CLASSES, l.scope.fields),
        territories: scopeNames(TERRITORIES, l.scope.territories),
        fieldsMask: l.scope.fields,
        territoriesMask: l.scope.territories,
        from: dateOrDash(l.scope.startDay),
        until: dateOrDash(l.scope.endDay),
      },
      fee: {
        method: nameOf(FEE_METHOD_NAMES, method),
        amount: l.fee.amount,
        royaltyBps: Number(l.fee.royaltyBps),
        trigger: nameOf(FEE_TRIGGER_NAMES, l.fee.trigger),
        triggerDate: l.fee.triggerDay === 0n ? null : dateOrDash(l.fee.triggerDay),
      },
      token,
      grantedDate: dateOrDash(l.grantedDay),
      filing: l.filedDay === 0n ? null : { reference, date: dateOrDash(l.filedDay), late: l.filedLate },
      endedDate: l.endedDay === 0n ? null : dateOrDash(l.endedDay),
      parentId: l.parentId === 0n ? null : l.parentId,
      proceedsTo: orNull(l.proceedsTo),
      contractHash: l.contractHash,
      account: {
        owed: account.owed,
        paid: account.paid,
        revenue: account.revenue,
        payments: Number(account.payments),
        feeDueDate: account.feeDueDay === 0n ? null : dateOrDash(account.feeDueDay),
        feePaid: account.feePaid,
      },
    };
  }

  async function grantStruct(input: LicenceGrantInput) {
    const token = input.token ?? defaultToken();
    return {
      licensee: input.licensee,
      kind: input.kind,
      sublicensable: input.sublicensable,
      scope: { fields: input.fields, territories: input.territories, startDay: input.startDay, endDay: input.endDay },
      fee: {
        method: input.fee.method,
        trigger: input.fee.trigger,
        royaltyBps: input.fee.royaltyBps,
        triggerDay: input.fee.triggerDay,
        amount: await units(token, input.fee.amountFen),
      },
      token,
      contractHash: input.contractHash,
    };
  }

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

  const fromBlock = () => deployments.deploymentBlock;

  return {
    /** Typed handles of the rights contracts (each throws when the deployments file does not name it). */
    rights: { licensing, royalties, pledges, valuations, equityDeals, defaultToken },

    tokenInfo,
    ensureAllowance,

    // ------------------------------------------------------------ licences

    /** The owner grants a licence; returns its id. */
    async grantLicence(number: string, input: LicenceGrantInput): Promise<TxResult & { licenceId: bigint }> {
      const id = patentIdOf(number);
      const terms = await grantStruct(input);
      const c = licensing();
      const receipt = await send(() => c.connect(needSigner()).grant(id, terms));
      return { ...result(receipt), licenceId: eventArg(receipt, await c.getAddress(), c.interface, "LicenceGranted", "licenceId") };
    },

    /** The licensee of `parentId` grants a sublicence within the parent's scope. */
    async grantSublicence(parentId: bigint, input: LicenceGrantInput): Promise<TxResult & { licenceId: bigint }> {
      const terms = await grantStruct(input);
      const c = licensing();
      const receipt = await send(() => c.connect(needSigner()).grantSublicence(parentId, terms));
      return { ...result(receipt), licenceId: eventArg(receipt, await c.getAddress(), c.interface, "LicenceGranted", "licenceId") };
    },

    /** The registrar records the CNIPA filing of a licence contract (default day: today in China). */
    async recordLicenceFiling(licenceId: bigint, reference: string, day?: number): Promise<TxResult> {
      const filed = day ?? (await chainToday());
      return result(await send(() => licensing().connect(needSigner()).recordFiling(licenceId, reference, filed)));
    },

    async terminateLicence(licenceId: bigint, reason: string): Promise<TxResult> {
      return result(await send(() => licensing().connect(needSigner()).terminate(licenceId, reason)));
    },

    async expireLicence(licenceId: bigint): Promise<TxResult> {
      return result(await send(() => licensing().connect(needSigner()).expire(licenceId)));
    },

    getLicence: licenceView,

    /** Every licence granted on a patent, or to a licensee, in grant order (from the LicenceGranted events). */
    async listLicences(filter: { patent?: string; licensee?: string }): Promise<LicenceView[]> {
      const c = licensing();
      const patentId = filter.patent === undefined ? undefined : patentIdOf(filter.patent);
      const events = await c.queryFilter(c.filters.LicenceGranted(undefined, patentId, filter.licensee), fromBlock());
      return Promise.all(events.map((e) => licenceView(e.args.licenceId)));
    },

    async expiryDay(number: string): Promise<number> {
      return Number(await withRevertDecoding(() => core.registry.expiryDay(patentIdOf(number))));
    },

    // ------------------------------------------------------------ open licences

    async declareOpenLicence(number: string, input: OpenLicenceInput): Promise<TxResult> {
      const id = patentIdOf(number);
      const token = input.token ?? defaultToken();
      const terms = { method: input.method, royaltyBps: input.royaltyBps, termDays: input.termDays, amount: await units(token, input.amountFen), token };
      return result(await send(() => licensing().connect(needSigner()).declareOpenLicence(id, terms)));
    },

    async withdrawOpenLicence(number: string): Promise<TxResult> {
      const id = patentIdOf(number);
      return result(await send(() => licensing().connect(needSigner()).withdrawOpenLicence(id)));
    },

    async getOpenLicence(number: string): Promise<OpenLicenceView> {
      const id = patentIdOf(number);
      const [declared, t] = await withRevertDecoding(() => licensing().openLicenceTerms(id));
      return {
        patent: formatCnipaNumber(id),
        declared,
        method: nameOf(FEE_METHOD_NAMES, t.method),
        amount: t.amount,
        royaltyBps: Number(t.royaltyBps),
        termDays: Number(t.termDays),
        token: t.token === ZeroAddress ? null : await tokenInfo(t.token),
      };
    },

    /**
     * Takes a licence under the declared open-licence terms, paying the lump-sum fee at once: the Royalties
     * contract is approved first when the allowance is short. `maxFeeFen` defaults to the declared fee.
     */
    async takeOpenLicence(number: string, maxFeeFen?: bigint): Promise<TxResult & { licenceId: bigint; fee: bigint; approval: Approval | null }> {
      const id = patentIdOf(number);
      const c = licensing();
      const [declared, t] = await withRevertDecoding(() => c.openLicenceTerms(id));
      const maxFee = maxFeeFen === undefined || !declared || t.token === ZeroAddress ? t.amount : await units(t.token, maxFeeFen);
      const fee = declared && Number(t.method) === FeeMethod.LumpSum ? t.amount : 0n;
      const approval = fee > 0n && fee <= maxFee ? await ensureAllowance(t.token, await royalties().getAddress(), fee) : null;
      const receipt = await send(() => c.connect(needSigner()).takeOpenLicence(id, maxFee));
      return { ...result(receipt), licenceId: eventArg(receipt, await c.getAddress(), c.interface, "LicenceGranted", "licenceId"), fee, approval };
    },

    // ------------------------------------------------------------ royalties

    async declareShares(number: string, shares: { unitBps: number; inventorsBps: number; ttoBps: number; inventors: string; tto: string }): Promise<TxResult> {
      const id = patentIdOf(number);
      return result(await send(() => royalties().connect(needSigner()).declareShares(id, shares)));
    },

    async getShares(number: string): Promise<SharesView> {
      const id = patentIdOf(number);
      const [[s, declaredBy], owner] = await Promise.all([royalties().shares(id), withRevertDecoding(() => core.registry.ownerOf(id))]);
      return {
        patent: formatCnipaNumber(id),
        declaredBy: orNull(declaredBy),
        current: declaredBy !== ZeroAddress && declaredBy.toLowerCase() === owner.toLowerCase(),
        unitBps: Number(s.unitBps),
        inventorsBps: Number(s.inventorsBps),
        ttoBps: Number(s.ttoBps),
        inventors: s.inventors,
        tto: s.tto,
      };
    },

    /** The licensee reports revenue (in yuan, converted to the licence token's units); returns the royalty due. */
    async reportRevenue(licenceId: bigint, revenueFen: bigint, reportHash: string): Promise<TxResult & { due: bigint; owed: bigint; token: TokenInfo | null }> {
      const l = await withRevertDecoding(() => licensing().licence(licenceId));
      const token = l.token === ZeroAddress ? null : await tokenInfo(l.token);
      const revenue = token ? fenToTokenUnits(revenueFen, token.decimals) : revenueFen;
      const c = royalties();
      const receipt = await send(() => c.connect(needSigner()).reportRevenue(licenceId, revenue, reportHash));
      const at = await c.getAddress();
      return { ...result(receipt), due: eventArg(receipt, at, c.interface, "RevenueReported", "due"), owed: eventArg(receipt, at, c.interface, "RevenueReported", "owed"), token };
    },

    async recordLaunch(licenceId: bigint, evidenceHash: string): Promise<TxResult> {
      return result(await send(() => royalties().connect(needSigner()).recordLaunch(licenceId, evidenceHash)));
    },

    /** Pays royalties owed (default: everything owed), approving the Royalties contract first if needed. */
    async payRoyalty(licenceId: bigint, amountFen?: bigint): Promise<TxResult & { amount: bigint; token: TokenInfo; approval: Approval | null }> {
      const l = await withRevertDecoding(() => licensing().licence(licenceId));
      const c = royalties();
      const token = await tokenInfo(l.token);
      const amount = amountFen === undefined ? (await c.account(licenceId)).owed : fenToTokenUnits(amountFen, token.decimals);
      const approval = amount > 0n ? await ensureAllowance(l.token, await c.getAddress(), amount) : null;
      const receipt = await send(() => c.connect(needSigner()).payRoyalty(licenceId, amount));
      return { ...result(receipt), amount, token, approval };
    },

    /** Pays a licence's lump-sum or deferred fee, approving the Royalties contract first if needed. */
    async payFee(licenceId: bigint): Promise<TxResult & { amount: bigint; token: TokenInfo; approval: Approval | null }> {
      const l = await withRevertDecoding(() => licensing().licence(licenceId));
      const c = royalties();
      const token = await tokenInfo(l.token);
      const amount = l.fee.amount;
      const approval = amount > 0n && Number(l.fee.method) !== FeeMethod.RunningRoyalty ? await ensureAllowance(l.token, await c.getAddress(), amount) : null;
      const receipt = await send(() => c.connect(needSigner()).payFee(licenceId));
      return { ...result(receipt), amount, token, approval };
    },

    // ------------------------------------------------------------ pledges

    /** Proposes a pledge over patents, each pledged by its current owner; returns the pledge id. */
    async proposePledge(input: PledgeInput): Promise<TxResult & { pledgeId: bigint }> {
      const items = await Promise.all(
        input.patents.map(async (n) => {
          const patentId = patentIdOf(n);
          return { patentId, pledgor: await withRevertDecoding(() => core.registry.ownerOf(patentId)) };
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

    /** The chain's latest block time (unix seconds), e.g. to set an auction's end. */
    async chainTime(): Promise<number> {
      const block = await needProvider().getBlock("latest");
      if (!block) throw new RightsClientError("the node returned no latest block");
      return block.timestamp;
    },
  };
}

export type RightsClient = ReturnType<typeof rightsClient>;
