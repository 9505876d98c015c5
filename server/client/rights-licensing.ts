import { ZeroAddress } from "ethers";
import { formatCnipaNumber } from "../chain/cnipa";
import { FeeMethod, FeeTrigger, FIELD_CLASSES, TERRITORIES, type LicenceKind } from "../chain/licensing";
import { withRevertDecoding } from "./errors";
import {
  dateOrDash,
  FEE_METHOD_NAMES,
  FEE_TRIGGER_NAMES,
  fenToTokenUnits,
  LICENCE_KIND_NAMES,
  LICENCE_STATUS_NAMES,
  nameOf,
  scopeNames,
} from "./units";
import { orNull, type Approval, type RightsBase, type TokenInfo, type TxResult } from "./rights-base";

/** Licences, open licences and royalties (Licensing, Royalties) in the client library. */

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

export function licensingMethods(b: RightsBase) {
  const { licensing, royalties, send, needSigner, result, eventArg, tokenInfo, units, ensureAllowance, patentIdOf, chainToday, fromBlock, defaultToken } = b;

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

  return {
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
      return Number(await withRevertDecoding(() => b.registry.expiryDay(patentIdOf(number))));
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
      const [[s, declaredBy], owner] = await Promise.all([royalties().shares(id), withRevertDecoding(() => b.registry.ownerOf(id))]);
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
  };
}
