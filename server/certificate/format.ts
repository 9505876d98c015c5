import { z } from "zod";
import { HEADER_FIELDS, HEX_PATTERNS, type HeaderFieldName } from "./header";

/**
 * The certificate document (docs/certificates.md). Every field is checked by the verifier: the header by
 * its hash, the proofs by the trie roots, the facts by decoding the proven slots again. Hex is lower case
 * (addresses in facts and proofs are EIP-55 checksummed), quantities have no leading zeros, and a
 * certificate file is the canonical serialisation of {@link serialiseCertificate}, so that any change of
 * any byte is detected.
 */
export const CERTIFICATE_FORMAT = "tianfu-ledger-certificate/1";

const hash = z.string().regex(HEX_PATTERNS.hash, "32 bytes as lower-case hex");
const quantity = z.string().regex(HEX_PATTERNS.quantity, "a quantity as lower-case hex without leading zeros");
const bytes = z.string().regex(/^0x(?:[0-9a-f]{2})+$/, "bytes as lower-case hex");
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "a checksummed address");
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date YYYY-MM-DD");
const decimal = z.string().regex(/^(?:0|[1-9]\d*)$/, "a decimal integer");
const count = z.number().int().nonnegative();

export const LEGAL_STATUS = ["Valid", "Lapsed", "Invalidated", "UnderInvalidation", "Frozen", "Expired"] as const;
export const PATENT_KIND = ["Invention", "UtilityModel", "Design"] as const;
export const LOCK_NAMES = ["TRANSFER_PENDING", "LISTED", "PLEDGED", "EQUITY", "DISPOSAL"] as const;
export const PLEDGE_STATUS = [
  "None", "Proposed", "Agreed", "Registered", "Refused", "Withdrawn", "Released", "Defaulted", "Enforced",
] as const;
export const PLEDGED_PATENT_STATUS = ["None", "Pledged", "Left", "Disposing", "Sold", "Disposed", "Released"] as const;
export const LICENCE_KIND = ["Exclusive", "Sole", "NonExclusive", "Sublicence"] as const;
export const LICENCE_STATUS = ["None", "Active", "Terminated", "Expired", "Revoked"] as const;
export const FEE_METHOD = ["LumpSum", "RunningRoyalty", "UseFirstPayLater"] as const;
export const VALUATION_METHOD = ["Cost", "Market", "Income"] as const;

/** Names of enum values; a value the contracts do not define shows as its number. */
const enumName = z.string().min(1).max(32);

export const PatentFactsSchema = z.strictObject({
  registry: address,
  number: z.string().regex(/^ZL\d{8,12}\.[\dX]$/),
  owner: address,
  kind: enumName,
  /** The status the registrar recorded (`Expired` is never stored). */
  recordedStatus: enumName,
  /** The status in force on the block's date: Expired from the expiry date on, as PatentRegistry.legalStatus. */
  legalStatus: enumName,
  /** Lock bits set: LISTED, PLEDGED, EQUITY, DISPOSAL, TRANSFER_PENDING (BIT_n for a bit without a name). */
  locks: z.array(z.string()),
  filingDate: isoDate,
  grantDate: isoDate,
  /** First day the patent is no longer in force (term counted from filing). */
  expiryDate: isoDate,
});

export const PledgeFactsSchema = z.strictObject({
  pledgeId: decimal,
  status: enumName,
  /** As Pledges.activePledgeOf: this patent is still Pledged or Disposing in this pledge. */
  encumbers: z.boolean(),
  pledgee: address,
  pledgor: address,
  patentStatus: enumName,
  auctionId: decimal,
  securedAmount: decimal,
  currency: z.string(),
  recovered: decimal,
  termEndDate: isoDate.nullable(),
  agreedDate: isoDate.nullable(),
  registrationDate: isoDate.nullable(),
  proposer: address,
  patentCount: count,
  activeCount: count,
  consentsMissing: count,
  contractHash: hash,
});

export const PledgesSectionSchema = z.strictObject({
  /** The module holding the registry's PLEDGED lock bit (proven from the registry's storage). */
  contract: address,
  /** The patent's latest pledge (Pledges keeps one at a time per patent), or null if it was never pledged. */
  latest: PledgeFactsSchema.nullable(),
});

export const LicenceFactsSchema = z.strictObject({
  licenceId: decimal,
  kind: enumName,
  status: enumName,
  licensee: address,
  sublicensable: z.boolean(),
  open: z.boolean(),
  fields: z.string().regex(/^0x[0-9a-f]{16}$/),
  territories: z.string().regex(/^0x[0-9a-f]{16}$/),
  startDate: isoDate,
  endDate: isoDate,
  /** The block's date falls within [startDate, endDate). */
  inForce: z.boolean(),
});

export const OpenLicenceTermsSchema = z.strictObject({
  method: enumName,
  royaltyBps: count,
  termDays: count,
  amount: decimal,
  token: address,
});

export const LicensingSectionSchema = z.strictObject({
  contract: address,
  /** Every licence granted on the patent that is still Active (Licensing keeps at most 32), in stored order. */
  active: z.array(LicenceFactsSchema),
  /** Whether an active exclusive or sole licence is among them. */
  exclusiveOrSole: z.boolean(),
  openLicence: z.strictObject({ declared: z.boolean(), terms: OpenLicenceTermsSchema.nullable() }),
});

export const ValuationFactsSchema = z.strictObject({
  index: count,
  appraiser: address,
  valuationDate: isoDate.nullable(),
  method: enumName,
  currency: z.string(),
  amount: decimal,
  reportHash: hash,
});

export const ValuationsSectionSchema = z.strictObject({
  contract: address,
  count,
  latest: ValuationFactsSchema.nullable(),
});

export const FactsSchema = z.strictObject({
  /** The block's date in China Standard Time, the date legal status and licence terms are read at. */
  asOfDate: isoDate,
  patent: PatentFactsSchema,
  pledges: PledgesSectionSchema.nullable(),
  licensing: LicensingSectionSchema.nullable(),
  valuations: ValuationsSectionSchema.nullable(),
});

export const StorageProofSchema = z.strictObject({
  slot: hash,
  value: quantity,
  proof: z.array(bytes),
});

export const AccountProofSchema = z.strictObject({
  address,
  nonce: quantity,
  balance: quantity,
  codeHash: hash,
  storageHash: hash,
  accountProof: z.array(bytes).min(1),
  storage: z.array(StorageProofSchema),
});

const headerShape = Object.fromEntries(
  HEADER_FIELDS.map(([name, kind]) => [name, z.string().regex(HEX_PATTERNS[kind]).optional()]),
) as Record<HeaderFieldName, z.ZodOptional<z.ZodString>>;

export const CONTRACT_ROLES = ["registry", "pledges", "licensing", "valuations"] as const;
export type ContractRole = (typeof CONTRACT_ROLES)[number];

export const CertificateSchema = z.strictObject({
  format: z.literal(CERTIFICATE_FORMAT),
  block: z.strictObject({
    number: count,
    hash,
    header: z.strictObject(headerShape),
  }),
  facts: FactsSchema,
  proofs: z.strictObject({
    registry: AccountProofSchema,
    pledges: AccountProofSchema.optional(),
    licensing: AccountProofSchema.optional(),
    valuations: AccountProofSchema.optional(),
  }),
});

export type Certificate = z.infer<typeof CertificateSchema>;
export type Facts = z.infer<typeof FactsSchema>;
export type PatentFacts = z.infer<typeof PatentFactsSchema>;
export type PledgeFacts = z.infer<typeof PledgeFactsSchema>;
export type LicenceFacts = z.infer<typeof LicenceFactsSchema>;
export type ValuationFacts = z.infer<typeof ValuationFactsSchema>;
export type AccountProof = z.infer<typeof AccountProofSchema>;

/** The canonical file form of a certificate: JSON with two-space indentation and a final newline. */
export function serialiseCertificate(certificate: Certificate): string {
  return `${JSON.stringify(certificate, null, 2)}\n`;
}

/** A few lines a person reads: what the certificate says, once verified. */
export function describeFacts(facts: Facts): string[] {
  const p = facts.patent;
  const lines = [
    `${p.number}: ${p.kind}, owner ${p.owner}`,
    `  legal status on ${facts.asOfDate}: ${p.legalStatus} (recorded ${p.recordedStatus}); filed ${p.filingDate}, granted ${p.grantDate}, in force until ${p.expiryDate} (exclusive)`,
    `  locks: ${p.locks.length === 0 ? "none" : p.locks.join(", ")}`,
  ];
  if (facts.pledges === null) lines.push("  pledges: not covered (no pledge module on the registry)");
  else if (facts.pledges.latest === null) lines.push("  pledges: never pledged");
  else {
    const l = facts.pledges.latest;
    lines.push(
      `  latest pledge #${l.pledgeId}: ${l.status}${l.encumbers ? " (encumbers the patent)" : ""}, pledgee ${l.pledgee}, ` +
        `secured ${l.securedAmount} ${l.currency} (minor units), term to ${l.termEndDate ?? "-"}, registered ${l.registrationDate ?? "-"}`,
    );
  }
  if (facts.licensing === null) lines.push("  licences: not covered");
  else {
    const lic = facts.licensing;
    lines.push(`  active licences: ${lic.active.length}${lic.exclusiveOrSole ? " (an exclusive or sole licence among them)" : ""}`);
    for (const l of lic.active) lines.push(`    #${l.licenceId} ${l.kind} to ${l.licensee}, ${l.startDate} to ${l.endDate}${l.inForce ? "" : " (not in force on this date)"}`);
    lines.push(`  open licence declared: ${lic.openLicence.declared ? "yes" : "no"}`);
  }
  if (facts.valuations === null) lines.push("  valuations: not covered");
  else if (facts.valuations.latest === null) lines.push("  valuations: none");
  else {
    const v = facts.valuations.latest;
    lines.push(`  latest valuation (${facts.valuations.count} in all): ${v.amount} ${v.currency} (minor units), ${v.method} method, as of ${v.valuationDate ?? "-"}, by ${v.appraiser}`);
  }
  return lines;
}
