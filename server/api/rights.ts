import { z } from "zod";
import { isoOfDay } from "../chain/cnipa";
import type { DealEntity, WarrantEntity } from "../indexer/handlers/equity";
import type { LicenceEntity, OpenLicenceEntity, RevenueReportEntity, RoyaltyPaymentEntity } from "../indexer/handlers/licensing";
import type { ActConsentEntity, PledgeEntity, ProceedsEntity } from "../indexer/handlers/pledges";
import type { ValuationEntity } from "../indexer/handlers/valuations";
import { ChainPointSchema } from "./schemas";

/**
 * Answer shapes of the rights modules' read model (licences, royalties, open licences, pledges, valuations,
 * equity deals and warrants), shared by the financing, audit and exchange routers. Amounts are decimal
 * strings in the minor unit of their currency or token; days are calendar days since 1970-01-01 (China
 * Standard Time) with an ISO date next to them.
 */

const amount = () => z.string().describe("decimal integer in the minor unit (fen for CNY; the token's unit)");
const day = (what: string) => z.number().int().describe(`${what}: calendar days since 1970-01-01 (China Standard Time)`);
const isoDay = (d: number | null): string | null => (d === null || d === 0 ? null : isoOfDay(d));

// ---------------------------------------------------------------- licences

export const LicenceSchema = z
  .object({
    id: z.string(),
    patentId: z.string(),
    licensee: z.string(),
    grantor: z.string(),
    kind: z.string().describe("Exclusive, Sole, NonExclusive or Sublicence"),
    kindCode: z.number().int(),
    status: z.string().describe("Active, Terminated, Expired or Revoked"),
    statusCode: z.number().int(),
    sublicensable: z.boolean(),
    open: z.boolean().describe("taken under an open-licence declaration"),
    parentId: z.string().nullable(),
    scope: z.object({
      fields: z.string().describe("bit mask of fields of use (decimal)"),
      territories: z.string().describe("bit mask of territories (decimal)"),
      startDay: day("first day"),
      endDay: day("last day"),
    }),
    startDate: z.string(),
    endDate: z.string(),
    fee: z.object({
      method: z.number().int(),
      methodName: z.string().describe("LumpSum, RunningRoyalty or UseFirstPayLater"),
      trigger: z.number().int(),
      triggerName: z.string(),
      royaltyBps: z.number().int(),
      triggerDay: z.number().int(),
      amount: amount(),
    }),
    token: z.string(),
    contractHash: z.string(),
    proceedsTo: z.string().nullable().describe("where fees go instead of the owner (a pledgee's consent)"),
    filing: z
      .object({ reference: z.string(), filedDay: z.number().int(), late: z.boolean(), recorded: ChainPointSchema })
      .nullable()
      .describe("the CNIPA filing of the licence contract"),
    ended: z.object({ day: z.number().int(), by: z.string().nullable(), reason: z.string().nullable() }).nullable(),
    account: z.object({
      revenue: amount(),
      owed: amount(),
      paid: amount(),
      payments: z.number().int(),
      feePaid: z.boolean(),
      feeDueDay: z.number().int().nullable(),
      launchedDay: z.number().int().nullable(),
    }),
    granted: ChainPointSchema,
    updated: ChainPointSchema,
  })
  .meta({ id: "Licence", description: "A licence (active or ended) with its scope, term, fee terms, filing and royalty account." });
export type LicenceView = z.infer<typeof LicenceSchema>;

/** Scope masks may exceed 2^53: the index stores them as given (numbers or decimal strings); the API answers strings. */
export function licenceView(l: LicenceEntity): LicenceView {
  return {
    ...l,
    scope: { ...l.scope, fields: String(l.scope.fields), territories: String(l.scope.territories) },
    startDate: isoOfDay(l.scope.startDay),
    endDate: isoOfDay(l.scope.endDay),
  };
}

export const OpenLicenceSchema = z
  .object({
    patentId: z.string(),
    owner: z.string(),
    declared: z.boolean().describe("in force"),
    terms: z.object({
      method: z.number().int(),
      methodName: z.string(),
      royaltyBps: z.number().int(),
      termDays: z.number().int(),
      amount: amount(),
      token: z.string(),
    }),
    taken: z.number().int().describe("licences taken under this declaration"),
    declaredAt: ChainPointSchema,
    withdrawnAt: ChainPointSchema.nullable(),
  })
  .meta({ id: "OpenLicence", description: "An open-licence declaration (开放许可)." });
export const openLicenceView = (o: OpenLicenceEntity): z.infer<typeof OpenLicenceSchema> => o;

const SplitSchema = z.object({
  unit: z.string(),
  unitAmount: amount(),
  inventors: z.string(),
  inventorsAmount: amount(),
  tto: z.string(),
  ttoAmount: amount(),
});

export const RoyaltyPaymentSchema = z
  .object({
    licenceId: z.string(),
    patentId: z.string(),
    payment: z.string().describe("numbers the licence's payments from 1"),
    payer: z.string(),
    fee: z.boolean().describe("a lump-sum or deferred fee (else a running royalty)"),
    token: z.string(),
    amount: amount(),
    split: SplitSchema.describe("the three-way split: the unit (owner), the inventors, the technology-transfer office"),
    paid: ChainPointSchema,
  })
  .meta({ id: "RoyaltyPayment" });
export const royaltyPaymentView = (p: RoyaltyPaymentEntity): z.infer<typeof RoyaltyPaymentSchema> => p;

export const RevenueReportSchema = z
  .object({
    licenceId: z.string(),
    patentId: z.string(),
    licensee: z.string(),
    revenue: amount(),
    due: amount(),
    owedAfter: amount(),
    reportHash: z.string(),
    reported: ChainPointSchema,
  })
  .meta({ id: "RevenueReport" });
export const revenueReportView = (r: RevenueReportEntity): z.infer<typeof RevenueReportSchema> => r;

// ---------------------------------------------------------------- pledges

const DisposalSchema = z.object({
  auctionId: z.string(),
  module: z.string(),
  token: z.string(),
  reserve: amount(),
  endTime: z.string(),
  started: ChainPointSchema,
  settled: z
    .object({ buyer: z.string(), proceeds: amount(), toPledgee: amount(), toPledgor: amount(), at: ChainPointSchema })
    .nullable(),
  failed: ChainPointSchema.nullable(),
});

export const PledgeSchema = z
  .object({
    id: z.string(),
    pledgee: z.string(),
    proposer: z.string(),
    securedAmount: amount(),
    currency: z.string().describe("ISO 4217 code"),
    termEndDay: day("end of the debt term"),
    termEndDate: z.string(),
    contractHash: z.string(),
    loanReference: z.string(),
    status: z.string().describe("Proposed, Agreed, Registered, Refused, Withdrawn, Released, Defaulted or Enforced"),
    statusCode: z.number().int(),
    patents: z.array(
      z.object({
        patentId: z.string(),
        pledgor: z.string(),
        status: z.string().describe("Pledged, Left, Disposing, Sold, Disposed or Released"),
        statusCode: z.number().int(),
        leftTo: z.string().nullable(),
        disposal: DisposalSchema.nullable(),
      }),
    ),
    pledgors: z.array(z.string()),
    portfolio: z.boolean().describe("more than one patent"),
    consents: z.array(z.object({ party: z.string(), at: ChainPointSchema })).describe("the parties' consents to the pledge"),
    consentsMissing: z.number().int(),
    agreedDay: z.number().int().nullable(),
    registration: z
      .object({ registrar: z.string(), cnipaReference: z.string(), registrationDay: z.number().int(), at: ChainPointSchema })
      .nullable(),
    registrationDate: z.string().nullable(),
    refusal: z.object({ registrar: z.string(), reason: z.string(), at: ChainPointSchema }).nullable(),
    withdrawnBy: z.string().nullable(),
    released: ChainPointSchema.nullable(),
    defaulted: ChainPointSchema.nullable(),
    recovered: amount().describe("paid to the pledgee through the ledger"),
    enforced: ChainPointSchema.nullable(),
    proposed: ChainPointSchema,
    updated: ChainPointSchema,
  })
  .meta({ id: "Pledge", description: "A pledge (专利权质押) with its patents, the parties' consents and registration." });
export type PledgeView = z.infer<typeof PledgeSchema>;

export const pledgeView = (p: PledgeEntity): PledgeView => ({
  ...p,
  termEndDate: isoOfDay(p.termEndDay),
  portfolio: p.patents.length > 1,
  registrationDate: p.registration ? isoOfDay(p.registration.registrationDay) : null,
});

export const ActConsentSchema = z
  .object({
    pledgeId: z.string(),
    patentId: z.string(),
    act: z.string().describe("Transfer, Licence, OpenLicence, Pledge, List or Contribute"),
    actCode: z.number().int(),
    counterparty: z.string().describe("the zero address: any counterparty"),
    route: z.string().describe("EarlyRepayment or Escrow: where the act's proceeds go"),
    routeCode: z.number().int(),
    state: z.enum(["Given", "Revoked", "Used"]),
    given: ChainPointSchema,
    revoked: ChainPointSchema.nullable(),
    used: z.object({ counterparty: z.string(), initiator: z.string(), proceedsTo: z.string(), at: ChainPointSchema }).nullable(),
  })
  .meta({ id: "ActConsent", description: "The pledgee's consent to an act on a pledged patent (Civil Code art. 444)." });
export const actConsentView = (c: ActConsentEntity): z.infer<typeof ActConsentSchema> => c;

export const ProceedsSchema = z
  .object({
    pledgeId: z.string(),
    kind: z.enum(["Escrowed", "Paid"]),
    patentId: z.string().nullable(),
    token: z.string(),
    amount: amount(),
    from: z.string().nullable(),
    to: z.string(),
    toPledgee: z.boolean(),
    at: ChainPointSchema,
  })
  .meta({ id: "Proceeds" });
export const proceedsView = (p: ProceedsEntity): z.infer<typeof ProceedsSchema> => p;

// ---------------------------------------------------------------- valuations

export const ValuationSchema = z
  .object({
    patentId: z.string(),
    index: z.string(),
    appraiser: z.string(),
    amount: amount(),
    currency: z.string(),
    method: z.string().describe("Cost, Market or Income"),
    methodCode: z.number().int(),
    valuationDay: z.number().int(),
    valuationDate: z.string().nullable(),
    reportHash: z.string(),
    recorded: ChainPointSchema,
  })
  .meta({ id: "Valuation", description: "An appraisal recorded by an appraiser role." });
export const valuationView = (v: ValuationEntity): z.infer<typeof ValuationSchema> => ({ ...v, valuationDate: isoDay(v.valuationDay) });

// ---------------------------------------------------------------- equity

export const DealSchema = z
  .object({
    id: z.string(),
    owner: z.string().describe("the contributor"),
    company: z.string(),
    valuation: amount(),
    currency: z.string(),
    form: z.string().describe("Shares or BasisPoints"),
    formCode: z.number().int(),
    equity: z.string(),
    valuationReportHash: z.string(),
    contractHash: z.string(),
    companyRegistration: z.string(),
    status: z.string().describe("Proposed, Accepted, Executing, Executed, Failed or Cancelled"),
    statusCode: z.number().int(),
    patents: z.array(z.object({ patentId: z.string(), transferId: z.string().nullable(), transfer: z.enum(["None", "Agreed", "Registered", "Refused"]) })),
    benefitShares: z.array(z.object({ beneficiary: z.string(), role: z.string(), roleCode: z.number().int(), bps: z.number().int() })),
    acceptedAt: ChainPointSchema.nullable(),
    cancelledBy: z.string().nullable(),
    executedDay: z.number().int().nullable(),
    proposed: ChainPointSchema,
    updated: ChainPointSchema,
  })
  .meta({ id: "EquityDeal", description: "An equity-for-technology deal (作价入股)." });
export const dealView = (d: DealEntity): z.infer<typeof DealSchema> => d;

export const WarrantSchema = z
  .object({
    id: z.string(),
    dealId: z.string(),
    patentIds: z.array(z.string()),
    holder: z.string(),
    company: z.string(),
    shares: z.string(),
    strike: z.string(),
    currency: z.string(),
    windowStart: z.number().int(),
    windowEnd: z.number().int(),
    triggerRequired: z.boolean(),
    trigger: z.string(),
    triggerMetDay: z.number().int().nullable(),
    status: z.string().describe("Granted, Exercised or Expired"),
    statusCode: z.number().int(),
    exercisedDay: z.number().int().nullable(),
    expired: z.object({ by: z.string(), day: z.number().int() }).nullable(),
    granted: ChainPointSchema,
    updated: ChainPointSchema,
  })
  .meta({ id: "Warrant", description: "A subscription right granted with a deal (科技成果+认股权)." });
export const warrantView = (w: WarrantEntity): z.infer<typeof WarrantSchema> => w;

/** An address query parameter. */
export const addressParam = (what: string) => z.string().regex(/^0x[0-9a-fA-F]{40}$/, `${what}: an address, 0x + 40 hex digits`);
