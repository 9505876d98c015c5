import { getAddress, toBeHex } from "ethers";
import { formatCnipaNumber, isoOfDay, chinaDayOf } from "../chain/cnipa";
import { PatentKind } from "../chain/roles";
import { expiryDayOf } from "../indexer/expiry";
import {
  FEE_METHOD,
  LEGAL_STATUS,
  LICENCE_KIND,
  LICENCE_STATUS,
  LOCK_NAMES,
  PATENT_KIND,
  PLEDGE_STATUS,
  PLEDGED_PATENT_STATUS,
  VALUATION_METHOD,
  type ContractRole,
  type Facts,
  type LicenceFacts,
  type PatentFacts,
  type PledgeFacts,
  type ValuationFacts,
} from "./format";
import { arrayDataSlot, field, LAYOUT, LOCK_PLEDGED, mappingSlot } from "./layout";

/**
 * Reading the facts of a certificate out of contract storage. The builder runs it over the node (recording
 * the slots it reads, then asks for their proofs); the verifier runs the very same code over the proven
 * slots only. Whatever the facts say therefore rests on slots that are proven.
 */
export interface SlotReader {
  read(role: ContractRole, slot: bigint, what: string): Promise<bigint>;
}

export interface FactsContext {
  patentId: bigint;
  /** Timestamp of the block (seconds): the date legal status and licence terms are read at. */
  timestamp: number;
  registry: string;
  /** Addresses of the modules whose facts are covered; null leaves that section out. */
  licensing: string | null;
  valuations: string | null;
}

export class PatentNotRegisteredError extends Error {
  override name = "PatentNotRegisteredError";
}

/** Most active licences Licensing keeps per patent (MAX_ACTIVE_LICENCES); a longer array is not believed. */
const MAX_ACTIVE_LICENCES = 32n;

const ZERO = "0x0000000000000000000000000000000000000000";
const nameOf = (names: readonly string[], value: bigint): string => names[Number(value)] ?? String(value);
const addressOf = (word: bigint, offset: number): string => getAddress(toBeHex(field(word, offset, 20), 20));
const dateOf = (day: bigint): string => isoOfDay(Number(day));
const optionalDate = (day: bigint): string | null => (day === 0n ? null : dateOf(day));

/** ISO 4217 letters when the bytes3 are upper-case letters, else its hex. */
function currencyOf(value: bigint): string {
  const hex = toBeHex(value, 3);
  const text = Buffer.from(hex.slice(2), "hex").toString("latin1");
  return /^[A-Z]{3}$/.test(text) ? text : hex;
}

function locksOf(bits: bigint): string[] {
  const names: string[] = [];
  for (let bit = 0; bit < 16; bit++) {
    if ((bits >> BigInt(bit)) & 1n) names.push(LOCK_NAMES[bit] ?? `BIT_${bit}`);
  }
  return names;
}

export async function readFacts(reader: SlotReader, ctx: FactsContext): Promise<Facts> {
  const today = chinaDayOf(ctx.timestamp);
  const patent = await readPatent(reader, ctx, today);
  const pledgeModule = await reader.read(
    "registry",
    LAYOUT.PatentRegistry.lockModules + LOCK_PLEDGED,
    "PatentRegistry._lockModules[LOCK_PLEDGED]",
  );
  const pledges =
    pledgeModule === 0n
      ? null
      : { contract: getAddress(toBeHex(pledgeModule, 20)), latest: await readLatestPledge(reader, ctx.patentId) };
  const licensing = ctx.licensing === null ? null : await readLicensing(reader, ctx.patentId, getAddress(ctx.licensing), today);
  const valuations = ctx.valuations === null ? null : await readValuations(reader, ctx.patentId, getAddress(ctx.valuations));
  return { asOfDate: isoOfDay(today), patent, pledges, licensing, valuations };
}

async function readPatent(reader: SlotReader, ctx: FactsContext, today: number): Promise<PatentFacts> {
  const L = LAYOUT.PatentRegistry.patent;
  const word = await reader.read("registry", mappingSlot(ctx.patentId, LAYOUT.PatentRegistry.patents), "PatentRegistry._patents[patentId]");
  const owner = addressOf(word, L.owner);
  if (owner === ZERO) throw new PatentNotRegisteredError(`${formatCnipaNumber(ctx.patentId)} is not registered`);
  const kind = field(word, L.kind, 1);
  const status = field(word, L.status, 1);
  const filingDay = Number(field(word, L.filingDay, 4));
  const expiryDay = expiryDayOf(Number(kind) as PatentKind, filingDay);
  // PatentRegistry.legalStatus: Invalidated stands; otherwise Expired from the expiry day on.
  const effective = status === 2n ? status : today >= expiryDay ? 5n : status;
  return {
    registry: getAddress(ctx.registry),
    number: formatCnipaNumber(ctx.patentId),
    owner,
    kind: nameOf(PATENT_KIND, kind),
    recordedStatus: nameOf(LEGAL_STATUS, status),
    legalStatus: nameOf(LEGAL_STATUS, effective),
    locks: locksOf(field(word, L.locks, 2)),
    filingDate: isoOfDay(filingDay),
    grantDate: dateOf(field(word, L.grantDay, 4)),
    expiryDate: isoOfDay(expiryDay),
  };
}

async function readLatestPledge(reader: SlotReader, patentId: bigint): Promise<PledgeFacts | null> {
  const P = LAYOUT.Pledges;
  const pledgeId = await reader.read("pledges", mappingSlot(patentId, P.latestPledge), "Pledges._latestPledge[patentId]");
  if (pledgeId === 0n) return null;
  const base = mappingSlot(pledgeId, P.pledges);
  const what = `Pledges._pledges[${pledgeId}]`;
  const s0 = await reader.read("pledges", base, `${what} slot 0`);
  const s1 = await reader.read("pledges", base + 1n, `${what} slot 1`);
  const s2 = await reader.read("pledges", base + 2n, `${what} slot 2`);
  const s3 = await reader.read("pledges", base + 3n, `${what} slot 3`);
  const entry = await reader.read(
    "pledges",
    mappingSlot(patentId, mappingSlot(pledgeId, P.entries)),
    `Pledges._entries[${pledgeId}][patentId]`,
  );
  const L = P.pledge;
  const patentStatus = field(entry, P.entry.status, 1);
  return {
    pledgeId: pledgeId.toString(),
    status: nameOf(PLEDGE_STATUS, field(s0, L.slot0.status, 1)),
    // Pledges.activePledgeOf: the patent is still Pledged (1) or Disposing (3) in its latest pledge.
    encumbers: patentStatus === 1n || patentStatus === 3n,
    pledgee: addressOf(s0, L.slot0.pledgee),
    pledgor: addressOf(entry, P.entry.pledgor),
    patentStatus: nameOf(PLEDGED_PATENT_STATUS, patentStatus),
    auctionId: field(entry, P.entry.auctionId, 8).toString(),
    securedAmount: field(s1, L.slot1.securedAmount, 16).toString(),
    currency: currencyOf(field(s0, L.slot0.currency, 3)),
    recovered: field(s1, L.slot1.recovered, 16).toString(),
    termEndDate: optionalDate(field(s0, L.slot0.termEndDay, 4)),
    agreedDate: optionalDate(field(s0, L.slot0.agreedDay, 4)),
    registrationDate: optionalDate(field(s2, L.slot2.registrationDay, 4)),
    proposer: addressOf(s2, L.slot2.proposer),
    patentCount: Number(field(s2, L.slot2.patentCount, 1)),
    activeCount: Number(field(s2, L.slot2.activeCount, 1)),
    consentsMissing: Number(field(s2, L.slot2.consentsMissing, 1)),
    contractHash: toBeHex(s3, 32),
  };
}

async function readLicensing(reader: SlotReader, patentId: bigint, contract: string, today: number) {
  const L = LAYOUT.Licensing;
  const arraySlot = mappingSlot(patentId, L.active);
  const length = await reader.read("licensing", arraySlot, "Licensing._active[patentId].length");
  if (length > MAX_ACTIVE_LICENCES) throw new RangeError(`Licensing._active[patentId] has ${length} entries, more than Licensing allows`);
  const data = arrayDataSlot(arraySlot);
  const active: LicenceFacts[] = [];
  let word = 0n;
  for (let i = 0n; i < length; i++) {
    // uint64 ids, four to a slot, the first in the low-order bytes.
    if (i % 4n === 0n) word = await reader.read("licensing", data + i / 4n, `Licensing._active[patentId] slot ${i / 4n}`);
    const licenceId = field(word, Number(i % 4n) * 8, 8);
    active.push(await readLicence(reader, patentId, licenceId, today));
  }
  const declared = (await reader.read("licensing", mappingSlot(patentId, L.openDeclared), "Licensing._openDeclared[patentId]")) !== 0n;
  let terms = null;
  if (declared) {
    const base = mappingSlot(patentId, L.openTerms);
    const t0 = await reader.read("licensing", base, "Licensing._openTerms[patentId] slot 0");
    const t1 = await reader.read("licensing", base + 1n, "Licensing._openTerms[patentId] slot 1");
    const T = L.openTermsFields;
    terms = {
      method: nameOf(FEE_METHOD, field(t0, T.slot0.method, 1)),
      royaltyBps: Number(field(t0, T.slot0.royaltyBps, 2)),
      termDays: Number(field(t0, T.slot0.termDays, 4)),
      amount: field(t0, T.slot0.amount, 16).toString(),
      token: addressOf(t1, T.slot1.token),
    };
  }
  return {
    contract,
    active,
    exclusiveOrSole: active.some((l) => l.kind === "Exclusive" || l.kind === "Sole"),
    openLicence: { declared, terms },
  };
}

async function readLicence(reader: SlotReader, patentId: bigint, licenceId: bigint, today: number): Promise<LicenceFacts> {
  const L = LAYOUT.Licensing.licence;
  const base = mappingSlot(licenceId, LAYOUT.Licensing.licences);
  const s0 = await reader.read("licensing", base, `Licensing._licences[${licenceId}] slot 0`);
  const s1 = await reader.read("licensing", base + 1n, `Licensing._licences[${licenceId}] slot 1`);
  const onPatent = field(s0, L.slot0.patentId, 8);
  if (onPatent !== patentId) throw new RangeError(`licence ${licenceId} is on patent ${onPatent}, not ${patentId}`);
  const startDay = Number(field(s1, L.slot1.startDay, 4));
  const endDay = Number(field(s1, L.slot1.endDay, 4));
  return {
    licenceId: licenceId.toString(),
    kind: nameOf(LICENCE_KIND, field(s0, L.slot0.kind, 1)),
    status: nameOf(LICENCE_STATUS, field(s0, L.slot0.status, 1)),
    licensee: addressOf(s0, L.slot0.licensee),
    sublicensable: field(s0, L.slot0.sublicensable, 1) !== 0n,
    open: field(s0, L.slot0.open, 1) !== 0n,
    fields: toBeHex(field(s1, L.slot1.fields, 8), 8),
    territories: toBeHex(field(s1, L.slot1.territories, 8), 8),
    startDate: isoOfDay(startDay),
    endDate: isoOfDay(endDay),
    inForce: startDay <= today && today < endDay,
  };
}

async function readValuations(reader: SlotReader, patentId: bigint, contract: string) {
  const V = LAYOUT.Valuations;
  const arraySlot = mappingSlot(patentId, V.valuations);
  const length = await reader.read("valuations", arraySlot, "Valuations._valuations[patentId].length");
  if (length > 0xffffffffn) throw new RangeError(`Valuations._valuations[patentId] has an implausible length ${length}`);
  let latest: ValuationFacts | null = null;
  if (length > 0n) {
    const base = arrayDataSlot(arraySlot) + (length - 1n) * V.valuationSlots;
    const what = `Valuations._valuations[patentId][${length - 1n}]`;
    const s0 = await reader.read("valuations", base, `${what} slot 0`);
    const s1 = await reader.read("valuations", base + 1n, `${what} slot 1`);
    const s2 = await reader.read("valuations", base + 2n, `${what} slot 2`);
    latest = {
      index: Number(length - 1n),
      appraiser: addressOf(s0, V.valuation.slot0.appraiser),
      valuationDate: optionalDate(field(s0, V.valuation.slot0.valuationDay, 4)),
      method: nameOf(VALUATION_METHOD, field(s0, V.valuation.slot0.method, 1)),
      currency: currencyOf(field(s0, V.valuation.slot0.currency, 3)),
      amount: field(s1, V.valuation.slot1.amount, 16).toString(),
      reportHash: toBeHex(s2, 32),
    };
  }
  return { contract, count: Number(length), latest };
}
