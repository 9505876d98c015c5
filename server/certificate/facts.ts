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
  // Independent reads run together (a JSON-RPC provider batches them); each part reads what it depends on.
  const [patent, pledges, licensing, valuations] = await Promise.all([
    readPatent(reader, ctx, today),
    readPledges(reader, ctx.patentId),
    ctx.licensing === null ? null : readLicensing(reader, ctx.patentId, getAddress(ctx.licensing), today),
    ctx.valuations === null ? null : readValuations(reader, ctx.patentId, getAddress(ctx.valuations)),
  ]);
  return { asOfDate: isoOfDay(today), patent, pledges, licensing, valuations };
}

async function readPledges(reader: SlotReader, patentId: bigint) {
  const holder = await reader.read(
    "registry",
    LAYOUT.PatentRegistry.lockModules + LOCK_PLEDGED,
    "PatentRegistry._lockModules[LOCK_PLEDGED]",
  );
  const module = field(holder, LAYOUT.PatentRegistry.lockHolder.module, 20);
  if (module === 0n) return null;
  return { contract: getAddress(toBeHex(module, 20)), latest: await readLatestPledge(reader, patentId) };
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
  const [s0, s1, s2, s3, entry] = await Promise.all([
    reader.read("pledges", base, `${what} slot 0`),
    reader.read("pledges", base + 1n, `${what} slot 1`),
    reader.read("pledges", base + 2n, `${what} slot 2`),
    reader.read("pledges", base + 3n, `${what} slot 3`),
    reader.read("pledges", mappingSlot(patentId, mappingSlot(pledgeId, P.entries)), `Pledges._entries[${pledgeId}][patentId]`),
  ]);
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
  const [length, declaredWord] = await Promise.all([
    reader.read("licensing", arraySlot, "Licensing._active[patentId].length"),
    reader.read("licensing", mappingSlot(patentId, L.openDeclared), "Licensing._openDeclared[patentId]"),
  ]);
  if (length > MAX_ACTIVE_LICENCES) throw new RangeError(`Licensing._active[patentId] has ${length} entries, more than Licensing allows`);
  const declared = declaredWord !== 0n;
  const data = arrayDataSlot(arraySlot);
  const T = L.openTermsFields;
  const termsBase = mappingSlot(patentId, L.openTerms);
  // uint64 ids, four to a slot, the first in the low-order bytes.
  const idWords = Array.from({ length: Number((length + 3n) / 4n) }, (_, k) =>
    reader.read("licensing", data + BigInt(k), `Licensing._active[patentId] slot ${k}`),
  );
  const [words, openTerms] = await Promise.all([
    Promise.all(idWords),
    declared
      ? Promise.all([
          reader.read("licensing", termsBase, "Licensing._openTerms[patentId] slot 0"),
          reader.read("licensing", termsBase + 1n, "Licensing._openTerms[patentId] slot 1"),
        ])
      : null,
  ]);
  const ids = Array.from({ length: Number(length) }, (_, i) => field(words[i >> 2]!, (i % 4) * 8, 8));
  const active = await Promise.all(ids.map((id) => readLicence(reader, patentId, id, today)));
  const terms =
    openTerms === null
      ? null
      : {
          method: nameOf(FEE_METHOD, field(openTerms[0], T.slot0.method, 1)),
          royaltyBps: Number(field(openTerms[0], T.slot0.royaltyBps, 2)),
          termDays: Number(field(openTerms[0], T.slot0.termDays, 4)),
          amount: field(openTerms[0], T.slot0.amount, 16).toString(),
          token: addressOf(openTerms[1], T.slot1.token),
        };
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
  const [s0, s1] = await Promise.all([
    reader.read("licensing", base, `Licensing._licences[${licenceId}] slot 0`),
    reader.read("licensing", base + 1n, `Licensing._licences[${licenceId}] slot 1`),
  ]);
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
    const [s0, s1, s2] = await Promise.all([
      reader.read("valuations", base, `${what} slot 0`),
      reader.read("valuations", base + 1n, `${what} slot 1`),
      reader.read("valuations", base + 2n, `${what} slot 2`),
    ]);
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
