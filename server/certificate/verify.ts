import { getAddress, keccak256 } from "ethers";
import { parseCnipaNumber } from "../chain/cnipa";
import { hashHeader, HeaderError } from "./header";
import { readFacts, PatentNotRegisteredError, type SlotReader } from "./facts";
import { CertificateSchema, CONTRACT_ROLES, serialiseCertificate, type Certificate, type ContractRole, type Facts } from "./format";
import { ProofError, verifyAccountProof, verifyStorageProof } from "./mpt";

/**
 * The standalone verifier. It calls no gateway and no node: it checks a certificate against a block hash
 * the bank takes from its own node and the contract addresses the bank trusts (its deployments file).
 *
 * 1. the header fields hash (RLP, keccak256) to the certificate's block hash, which is the bank's;
 * 2. each contract's account proof leads from the header's stateRoot to the account, at the address the
 *    bank trusts (Pledges: the address the proven registry slot names for the PLEDGED lock bit);
 * 3. each storage proof leads from that account's storageRoot to the slot's value;
 * 4. the facts, read again from the proven slots by the builder's own code, equal the stated facts, and
 *    every proven slot was needed (no slot the facts depend on is unproven, none is extra).
 */
export type VerifyFailure =
  | "MALFORMED"
  | "NOT_CANONICAL"
  | "WRONG_PATENT"
  | "HEADER_MISMATCH"
  | "WRONG_BLOCK"
  | "WRONG_CONTRACT"
  | "ACCOUNT_PROOF"
  | "STORAGE_PROOF"
  | "MISSING_PROOF"
  | "UNUSED_PROOF"
  | "FACTS_MISMATCH";

export type VerifyResult =
  | { ok: true; facts: Facts; block: { number: number; hash: string; timestamp: number } }
  | { ok: false; code: VerifyFailure; reason: string };

export interface TrustedContracts {
  registry: string;
  /** Optional: Pledges is authenticated by the registry's proven PLEDGED lock module; if given, it must match. */
  pledges?: string | undefined;
  /** Needed to accept the certificate's licensing section (a certificate with one and no address fails). */
  licensing?: string | undefined;
  valuations?: string | undefined;
}

export interface VerifyOptions {
  /** The block hash from the bank's own node. */
  blockHash: string;
  contracts: TrustedContracts;
  /** The patent the bank asked about (as cited); when given, a certificate about another patent fails. */
  patent?: string | undefined;
}

class Failure extends Error {
  constructor(
    readonly code: VerifyFailure,
    message: string,
  ) {
    super(message);
  }
}

const ROLE_NAMES: Record<ContractRole, string> = {
  registry: "PatentRegistry",
  pledges: "Pledges",
  licensing: "Licensing",
  valuations: "Valuations",
};

const EMPTY_CODE_HASH = keccak256("0x");

/** Verifies a certificate object (already parsed JSON). */
export async function verifyCertificate(input: unknown, options: VerifyOptions): Promise<VerifyResult> {
  try {
    return await check(input, options);
  } catch (err) {
    if (err instanceof Failure) return { ok: false, code: err.code, reason: err.message };
    throw err;
  }
}

/**
 * Verifies a certificate file's bytes: valid UTF-8, JSON, and exactly the canonical serialisation of what it
 * holds (so that a change in layout or spelling is refused, not silently read the same), then as above.
 */
export async function verifyCertificateText(text: string | Uint8Array, options: VerifyOptions): Promise<VerifyResult> {
  let source: string;
  try {
    source = typeof text === "string" ? text : new TextDecoder("utf-8", { fatal: true }).decode(text);
  } catch {
    return { ok: false, code: "MALFORMED", reason: "the certificate is not valid UTF-8" };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch (err) {
    return { ok: false, code: "MALFORMED", reason: `the certificate is not JSON: ${(err as Error).message}` };
  }
  const shape = CertificateSchema.safeParse(parsed);
  if (!shape.success) return { ok: false, code: "MALFORMED", reason: describeIssues(shape.error.issues) };
  if (serialiseCertificate(parsed as Certificate) !== source) {
    return {
      ok: false,
      code: "NOT_CANONICAL",
      reason: "the file is not in canonical form (JSON.stringify with 2-space indentation and a final newline); it was altered or re-formatted",
    };
  }
  return verifyCertificate(parsed, options);
}

function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 3)
    .map((i) => `${i.path.map(String).join(".") || "(root)"}: ${i.message}`)
    .join("; ");
}

function checksummed(address: string, what: string): string {
  let canonical: string;
  try {
    canonical = getAddress(address);
  } catch {
    throw new Failure("MALFORMED", `${what} is not a valid address: ${address}`);
  }
  if (canonical !== address) throw new Failure("MALFORMED", `${what} is not spelt as a checksummed address: ${address}`);
  return canonical;
}

function trusted(address: string | undefined, what: string): string | undefined {
  if (address === undefined) return undefined;
  try {
    return getAddress(address.toLowerCase());
  } catch {
    throw new Failure("MALFORMED", `the trusted ${what} address is not an address: ${address}`);
  }
}

async function check(input: unknown, options: VerifyOptions): Promise<VerifyResult> {
  const parsed = CertificateSchema.safeParse(input);
  if (!parsed.success) throw new Failure("MALFORMED", describeIssues(parsed.error.issues));
  const cert = parsed.data;

  // The patent.
  let patentId: bigint;
  try {
    patentId = parseCnipaNumber(cert.facts.patent.number).number;
  } catch (err) {
    throw new Failure("MALFORMED", (err as Error).message);
  }
  if (options.patent !== undefined) {
    let asked: bigint;
    try {
      asked = parseCnipaNumber(options.patent).number;
    } catch (err) {
      throw new Failure("MALFORMED", `the patent asked about: ${(err as Error).message}`);
    }
    if (asked !== patentId) throw new Failure("WRONG_PATENT", `the certificate is about ${cert.facts.patent.number}, not ${options.patent}`);
  }

  // 1. The block.
  if (!/^0x[0-9a-fA-F]{64}$/.test(options.blockHash)) throw new Failure("MALFORMED", `the block hash to check against is not 32 bytes of hex: ${options.blockHash}`);
  let computed: string;
  try {
    computed = hashHeader(cert.block.header);
  } catch (err) {
    if (err instanceof HeaderError) throw new Failure("MALFORMED", err.message);
    throw err;
  }
  if (computed !== cert.block.hash) {
    throw new Failure("HEADER_MISMATCH", `the header fields hash to ${computed}, not to the stated block hash ${cert.block.hash}`);
  }
  if (computed !== options.blockHash.toLowerCase()) {
    throw new Failure("WRONG_BLOCK", `the certificate is for block ${cert.block.hash}, not for the block ${options.blockHash.toLowerCase()} you trust`);
  }
  const header = cert.block.header;
  if (BigInt(header.number!) !== BigInt(cert.block.number)) {
    throw new Failure("HEADER_MISMATCH", `block.number ${cert.block.number} is not the header's number ${BigInt(header.number!)}`);
  }
  const stateRoot = header.stateRoot!;
  const timestamp = Number(BigInt(header.timestamp!));

  // 2-3. Accounts and storage.
  const trust: Partial<Record<ContractRole, string>> = {
    registry: trusted(options.contracts.registry, "registry"),
    pledges: trusted(options.contracts.pledges, "pledges"),
    licensing: trusted(options.contracts.licensing, "licensing"),
    valuations: trusted(options.contracts.valuations, "valuations"),
  };
  if (trust.registry === undefined) throw new Failure("MALFORMED", "no trusted registry address");
  const proven = new Map<ContractRole, Map<bigint, bigint>>();
  for (const role of CONTRACT_ROLES) {
    const proof = cert.proofs[role];
    if (!proof) continue;
    const name = ROLE_NAMES[role];
    const address = checksummed(proof.address, `proofs.${role}.address`);
    if (role !== "pledges") {
      if (trust[role] === undefined) {
        throw new Failure("WRONG_CONTRACT", `the certificate proves ${name} at ${address}, but no trusted ${name} address was given`);
      }
      if (address !== trust[role]) {
        throw new Failure("WRONG_CONTRACT", `the ${name} proof is for ${address}, not for the trusted ${name} at ${trust[role]}`);
      }
    }
    let account;
    try {
      account = verifyAccountProof(stateRoot, address, proof.accountProof);
    } catch (err) {
      if (err instanceof ProofError) throw new Failure("ACCOUNT_PROOF", `${name} account proof: ${err.message}`);
      throw new Failure("ACCOUNT_PROOF", `${name} account proof is malformed: ${(err as Error).message}`);
    }
    const stated = { nonce: BigInt(proof.nonce), balance: BigInt(proof.balance), storageRoot: proof.storageHash, codeHash: proof.codeHash };
    for (const key of ["nonce", "balance", "storageRoot", "codeHash"] as const) {
      if (stated[key] !== account[key]) {
        throw new Failure("ACCOUNT_PROOF", `${name} ${key}: the certificate says ${String(stated[key])}, the proof ${String(account[key])}`);
      }
    }
    if (account.codeHash === EMPTY_CODE_HASH) throw new Failure("WRONG_CONTRACT", `${address} holds no code at this block`);
    const values = new Map<bigint, bigint>();
    for (const [i, entry] of proof.storage.entries()) {
      const slot = BigInt(entry.slot);
      if (values.has(slot)) throw new Failure("MALFORMED", `${name} slot ${entry.slot} is proven twice`);
      let value: bigint;
      try {
        value = verifyStorageProof(account.storageRoot, slot, entry.proof);
      } catch (err) {
        const message = err instanceof ProofError ? err.message : `malformed: ${(err as Error).message}`;
        throw new Failure("STORAGE_PROOF", `${name} storage proof ${i} (slot ${entry.slot}): ${message}`);
      }
      if (value !== BigInt(entry.value)) {
        throw new Failure("STORAGE_PROOF", `${name} slot ${entry.slot}: the certificate says ${entry.value}, the proof 0x${value.toString(16)}`);
      }
      values.set(slot, value);
    }
    proven.set(role, values);
  }

  // 4. The facts, read again from the proven slots only.
  const used = new Map<ContractRole, Set<bigint>>();
  const reader: SlotReader = {
    read(role, slot, what) {
      const values = proven.get(role);
      if (!values) throw new Failure("MISSING_PROOF", `no proof for the ${ROLE_NAMES[role]} contract, needed for ${what}`);
      const value = values.get(slot);
      if (value === undefined) throw new Failure("MISSING_PROOF", `no storage proof for ${what} (${ROLE_NAMES[role]} slot 0x${slot.toString(16).padStart(64, "0")})`);
      let set = used.get(role);
      if (!set) used.set(role, (set = new Set()));
      set.add(slot);
      return Promise.resolve(value);
    },
  };
  let derived: Facts;
  try {
    derived = await readFacts(reader, {
      patentId,
      timestamp,
      registry: trust.registry,
      licensing: trust.licensing ?? null,
      valuations: trust.valuations ?? null,
    });
  } catch (err) {
    if (err instanceof Failure) throw err;
    if (err instanceof PatentNotRegisteredError) throw new Failure("FACTS_MISMATCH", `the proven registry slot shows that ${err.message}`);
    throw new Failure("FACTS_MISMATCH", `the proven slots do not decode: ${(err as Error).message}`);
  }
  const pledges = derived.pledges?.contract;
  if (pledges !== undefined && cert.proofs.pledges && cert.proofs.pledges.address !== pledges) {
    throw new Failure("WRONG_CONTRACT", `the Pledges proof is for ${cert.proofs.pledges.address}, but the registry names ${pledges} for the PLEDGED lock`);
  }
  if (pledges !== undefined && trust.pledges !== undefined && trust.pledges !== pledges) {
    throw new Failure("WRONG_CONTRACT", `the registry names ${pledges} for the PLEDGED lock, not the trusted Pledges at ${trust.pledges}`);
  }
  for (const [role, values] of proven) {
    const set = used.get(role);
    if (!set) throw new Failure("UNUSED_PROOF", `the certificate proves the ${ROLE_NAMES[role]} account but no fact rests on it`);
    for (const slot of values.keys()) {
      if (!set.has(slot)) throw new Failure("UNUSED_PROOF", `${ROLE_NAMES[role]} slot 0x${slot.toString(16)} is proven but no fact rests on it`);
    }
  }
  const difference = firstDifference(cert.facts, derived, "facts");
  if (difference !== null) throw new Failure("FACTS_MISMATCH", difference);
  return { ok: true, facts: derived, block: { number: cert.block.number, hash: cert.block.hash, timestamp } };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The first place where `stated` differs from `derived`, described; null if they are equal. */
function firstDifference(stated: unknown, derived: unknown, path: string): string | null {
  const show = (v: unknown) => (v === undefined ? "nothing" : JSON.stringify(v));
  if (Array.isArray(derived) || Array.isArray(stated)) {
    if (!Array.isArray(derived) || !Array.isArray(stated)) return `${path}: the certificate says ${show(stated)}, the proven storage ${show(derived)}`;
    if (stated.length !== derived.length) return `${path}: the certificate lists ${stated.length} item(s), the proven storage ${derived.length}`;
    for (let i = 0; i < derived.length; i++) {
      const d = firstDifference(stated[i], derived[i], `${path}[${i}]`);
      if (d !== null) return d;
    }
    return null;
  }
  if (typeof derived === "object" && derived !== null && typeof stated === "object" && stated !== null) {
    const s = stated as Record<string, Json>;
    const d = derived as Record<string, Json>;
    for (const key of new Set([...Object.keys(d), ...Object.keys(s)])) {
      const diff = firstDifference(s[key], d[key], `${path}.${key}`);
      if (diff !== null) return diff;
    }
    return null;
  }
  if (stated === derived) return null;
  if (derived === null && typeof stated === "object" && path.split(".").length === 2) {
    return `${path}: the certificate covers this section, but its contract address is not among the trusted ones`;
  }
  return `${path}: the certificate says ${show(stated)}, the proven storage ${show(derived)}`;
}
