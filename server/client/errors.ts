import { ErrorFragment, Interface, Result, getAddress, isHexString, type InterfaceAbi, type ParamType } from "ethers";
import * as typechain from "../../typechain-types";
import { Act, LegalStatus, PatentKind, TransferStatus } from "../chain/roles";
import { FeeMethod, FeeTrigger, LicenceKind, LicenceStatus } from "../chain/licensing";
import { DealStatus, PledgedPatentStatus, PledgeStatus, WarrantStatus } from "../chain/financing";
import { ListingStatus, OfferStatus } from "../chain/exchange";

/**
 * Revert decoding for the ledger. Any revert (from estimateGas, eth_call or a failed receipt) becomes a
 * `LedgerError` carrying the custom error's name and named arguments, decoded against every ABI the
 * project compiles (the ledger contracts, AccessManager, ERC-721 and the OpenZeppelin errors they use):
 * new modules are picked up automatically once `npx hardhat compile` has generated their factories.
 */

/** A value of a decoded error argument: numbers as bigint, addresses checksummed, bytes as hex. */
export type ErrorArgValue = bigint | string | boolean | ErrorArgValue[];

export class LedgerError extends Error {
  override name = "LedgerError";

  constructor(
    /** The custom error's name, e.g. `PatentRegistryCheckDigitMismatch`; `Error`/`Panic` for the built-ins;
     * `UnknownError` when no ledger ABI knows the selector; `Reverted` for a revert without data. */
    readonly errorName: string,
    /** Arguments by name, in declaration order. */
    readonly args: Readonly<Record<string, ErrorArgValue>>,
    /** The error's signature, e.g. `AccessManagedUnauthorized(address)`; empty when unknown. */
    readonly signature: string,
    /** The 4-byte selector, when the revert carried data. */
    readonly selector: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** Solidity enum types whose values are shown by name. Keys are the ABI `internalType` names. */
const ENUMS: Record<string, Record<number, string>> = {
  "enum PatentKind": PatentKind,
  "enum LegalStatus": LegalStatus,
  "enum Act": Act,
  "enum TransferStatus": TransferStatus,
  "enum LicenceKind": LicenceKind,
  "enum LicenceStatus": LicenceStatus,
  "enum FeeMethod": FeeMethod,
  "enum FeeTrigger": FeeTrigger,
  "enum PledgeStatus": PledgeStatus,
  "enum PledgedPatentStatus": PledgedPatentStatus,
  "enum DealStatus": DealStatus,
  "enum WarrantStatus": WarrantStatus,
  "enum ListingStatus": ListingStatus,
  "enum OfferStatus": OfferStatus,
};

/** Arguments declared as plain integers that carry an enum (error name -> argument name -> enum type). */
const UNTYPED_ENUM_ARGS: Record<string, Record<string, string>> = {
  PatentRegistryTransferState: { status: "enum TransferStatus" },
  LicensingBadFeeTerms: { trigger: "enum FeeTrigger" },
  EquityDealsWarrantState: { status: "enum WarrantStatus" },
};

interface AbiInput {
  name?: string;
  type?: string;
  internalType?: string;
}
interface AbiEntry {
  type?: string;
  name?: string;
  inputs?: readonly AbiInput[];
}

interface KnownError {
  fragment: ErrorFragment;
  internalTypes: (string | undefined)[];
}

function factoryAbis(): InterfaceAbi[] {
  const abis: InterfaceAbi[] = [];
  for (const value of Object.values(typechain)) {
    if (typeof value === "function" && "abi" in value && Array.isArray(value.abi)) abis.push(value.abi as InterfaceAbi);
  }
  return abis;
}

let registry: { iface: Interface; bySelector: Map<string, KnownError> } | undefined;

/** Every custom error of every compiled ABI, by selector. Extra ABIs (e.g. of a third-party guard) may be added. */
export function knownErrors(extraAbis: InterfaceAbi[] = []): Map<string, KnownError> {
  if (!registry || extraAbis.length > 0) {
    const bySelector = registry?.bySelector ?? new Map<string, KnownError>();
    for (const abi of [...(registry ? [] : factoryAbis()), ...extraAbis]) {
      const entries = (typeof abi === "string" ? JSON.parse(abi) : abi) as readonly (AbiEntry | string)[];
      for (const entry of entries) {
        if (typeof entry === "string" || entry.type !== "error") continue;
        const fragment = ErrorFragment.from(entry);
        if (bySelector.has(fragment.selector)) continue;
        bySelector.set(fragment.selector, { fragment, internalTypes: (entry.inputs ?? []).map((i) => i.internalType) });
      }
    }
    registry = { iface: new Interface([...bySelector.values()].map((k) => k.fragment)), bySelector };
  }
  return registry.bySelector;
}

const BUILTIN_ERROR = "0x08c379a0"; // Error(string)
const BUILTIN_PANIC = "0x4e487b71"; // Panic(uint256)
const PANIC_REASONS: Record<number, string> = {
  0x01: "assertion failed",
  0x11: "arithmetic overflow or underflow",
  0x12: "division by zero",
  0x21: "invalid enum value",
  0x22: "invalid storage byte array",
  0x31: "pop on empty array",
  0x32: "array index out of bounds",
  0x41: "out of memory",
  0x51: "call to an uninitialised function",
};

function normalise(value: unknown, param: ParamType | undefined): ErrorArgValue {
  if (value instanceof Result) return value.toArray().map((v, i) => normalise(v, param?.arrayChildren ?? param?.components?.[i]));
  if (Array.isArray(value)) return value.map((v) => normalise(v, param?.arrayChildren ?? undefined));
  if (typeof value === "bigint" || typeof value === "boolean") return value;
  if (typeof value === "number") return BigInt(value);
  if (typeof value === "string") return param?.type === "address" ? getAddress(value) : value;
  return String(value);
}

function formatArg(value: ErrorArgValue, internalType: string | undefined): string {
  if (Array.isArray(value)) return `[${value.map((v) => formatArg(v, undefined)).join(", ")}]`;
  if (typeof value === "bigint") {
    const names = internalType ? ENUMS[internalType] : undefined;
    const name = names?.[Number(value)];
    return name ? `${name}(${value})` : value.toString();
  }
  if (typeof value === "string" && !isHexString(value)) return JSON.stringify(value);
  return String(value);
}

/** Decodes revert data (`0x` + selector + arguments) into a LedgerError. */
export function decodeRevertData(data: string): LedgerError {
  if (data === "0x" || data.length < 10) {
    return new LedgerError("Reverted", {}, "", undefined, "the transaction reverted without a reason");
  }
  const selector = data.slice(0, 10).toLowerCase();
  try {
    if (selector === BUILTIN_ERROR) {
      const [message] = Interface.from(["error Error(string message)"]).decodeErrorResult("Error", data);
      return new LedgerError("Error", { message: String(message) }, "Error(string)", selector, `reverted: ${String(message)}`);
    }
    if (selector === BUILTIN_PANIC) {
      const [code] = Interface.from(["error Panic(uint256 code)"]).decodeErrorResult("Panic", data);
      const reason = PANIC_REASONS[Number(code)] ?? "panic";
      return new LedgerError("Panic", { code: BigInt(code) }, "Panic(uint256)", selector, `Panic(code=0x${BigInt(code).toString(16)}: ${reason})`);
    }
  } catch {
    // malformed built-in: fall through to the unknown case
  }
  const known = knownErrors().get(selector);
  if (!known) {
    return new LedgerError(
      "UnknownError",
      {},
      "",
      selector,
      `the transaction reverted with an error unknown to the ledger's ABIs (selector ${selector})`,
    );
  }
  const { fragment, internalTypes } = known;
  let decoded: Result;
  try {
    decoded = registry!.iface.decodeErrorResult(fragment, data);
  } catch {
    return new LedgerError(fragment.name, {}, fragment.format("sighash"), selector, `${fragment.name}(<undecodable arguments>)`);
  }
  const args: Record<string, ErrorArgValue> = {};
  const parts: string[] = [];
  fragment.inputs.forEach((input, i) => {
    const value = normalise(decoded[i], input);
    const key = input.name || `arg${i}`;
    args[key] = value;
    parts.push(`${key}=${formatArg(value, UNTYPED_ENUM_ARGS[fragment.name]?.[key] ?? internalTypes[i])}`);
  });
  return new LedgerError(fragment.name, args, fragment.format("sighash"), selector, `${fragment.name}(${parts.join(", ")})`);
}

const HEX = /^0x(?:[0-9a-fA-F]{2})*$/;

/** Finds revert data in an error thrown by ethers, Hardhat or a JSON-RPC node (nested in various places). */
export function findRevertData(err: unknown, depth = 0): string | undefined {
  if (depth > 6 || err === null || typeof err !== "object") return undefined;
  const e = err as Record<string, unknown>;
  if (typeof e.data === "string" && HEX.test(e.data)) return e.data;
  for (const key of ["data", "error", "info", "cause", "revert", "originalError"]) {
    const found = findRevertData(e[key], depth + 1);
    if (found !== undefined) return found;
  }
  // Hardhat's in-process node reports an unrecognised custom error only in its message.
  if (typeof e.message === "string") {
    const m = /return data: (0x[0-9a-fA-F]*)/.exec(e.message);
    if (m) return m[1];
  }
  return undefined;
}

/** Whether an error is a contract revert (as opposed to a network or usage problem). */
export function isRevert(err: unknown): boolean {
  if (err instanceof LedgerError) return true;
  if (err === null || typeof err !== "object") return false;
  const e = err as { code?: unknown; message?: unknown };
  if (e.code === "CALL_EXCEPTION") return true;
  if (findRevertData(err) !== undefined) return true;
  return typeof e.message === "string" && /revert/i.test(e.message);
}

/**
 * Turns any error into a LedgerError when it is a revert; other errors (network, usage) are returned
 * unchanged.
 */
export function decodeRevert(err: unknown): unknown {
  if (err instanceof LedgerError) return err;
  const data = findRevertData(err);
  if (data !== undefined) return decodeRevertData(data);
  if (isRevert(err)) return decodeRevertData("0x");
  return err;
}

/** Runs `fn`, rethrowing reverts as LedgerErrors. */
export async function withRevertDecoding<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw decodeRevert(err);
  }
}
