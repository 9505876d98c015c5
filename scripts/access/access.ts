/**
 * The access-control rule, shared by scripts/check-access.ts and test/access/unauthorised.test.ts: every
 * state-changing external function of a contract that deployLedger deploys is either restricted (listed in
 * FUNCTION_ROLES of scripts/deploy.ts, and then refused to an account without the role with
 * AccessManagedUnauthorized) or open, listed with a reason in scripts/access/open-functions.json.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { AbiCoder, Interface, ZeroAddress, type FunctionFragment, type InterfaceAbi, type ParamType, type Provider } from "ethers";
import { CONTRACT_NAMES, FUNCTION_ROLES } from "../deploy";

export const OPEN_FUNCTIONS_FILE = path.join(__dirname, "open-functions.json");

/** Contract name -> function name -> why anyone may call it. */
export type OpenFunctions = Record<string, Record<string, string>>;

export function loadOpenFunctions(file = OPEN_FUNCTIONS_FILE): OpenFunctions {
  const raw = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  const out: OpenFunctions = {};
  for (const [contract, table] of Object.entries(raw)) {
    if (contract.startsWith("$")) continue; // "$comment"
    if (typeof table !== "object" || table === null) throw new Error(`${file}: ${contract} must map function names to reasons`);
    out[contract] = {};
    for (const [name, reason] of Object.entries(table)) {
      if (typeof reason !== "string") throw new Error(`${file}: ${contract}.${name} must be a reason (a string)`);
      out[contract][name] = reason;
    }
  }
  return out;
}

/** The Solidity names of the contracts deployLedger deploys: new ones are picked up from CONTRACT_NAMES. */
export function deployedContractNames(): string[] {
  return Object.values(CONTRACT_NAMES);
}

/** Role name -> restricted function names, for one contract (empty when it has no restricted function). */
export function functionRoles(contract: string): Record<string, readonly string[]> {
  return (FUNCTION_ROLES as Record<string, Record<string, readonly string[]>>)[contract] ?? {};
}

export interface RestrictedFunction {
  contract: string;
  name: string;
  role: string;
}

export function restrictedFunctions(contract: string): RestrictedFunction[] {
  return Object.entries(functionRoles(contract)).flatMap(([role, names]) => names.map((name) => ({ contract, name, role })));
}

/** Non-view, non-pure functions of an ABI (overloads as separate fragments). */
export function stateChangingFunctions(abi: InterfaceAbi): FunctionFragment[] {
  return new Interface(abi).fragments.filter(
    (f): f is FunctionFragment => f.type === "function" && !(f as FunctionFragment).constant,
  );
}

export interface Classification {
  contract: string;
  restricted: RestrictedFunction[];
  open: { name: string; reason: string }[];
  /** State-changing functions in neither FUNCTION_ROLES nor the open list. */
  unlisted: string[];
  /** Entries of FUNCTION_ROLES or the open list that name no function of the ABI. */
  stale: string[];
  /** Functions listed both as restricted and as open, or open without a reason. */
  conflicts: string[];
}

export function classify(contract: string, abi: InterfaceAbi, open: OpenFunctions): Classification {
  const names = [...new Set(stateChangingFunctions(abi).map((f) => f.name))].sort();
  const allNames = new Set(new Interface(abi).fragments.filter((f) => f.type === "function").map((f) => (f as FunctionFragment).name));
  const restricted = restrictedFunctions(contract);
  const openTable = open[contract] ?? {};
  const isRestricted = (n: string) => restricted.some((r) => r.name === n);
  const conflicts = [
    ...Object.keys(openTable).filter(isRestricted).map((n) => `${n} is both restricted and open`),
    ...Object.entries(openTable)
      .filter(([, reason]) => reason.trim().length < 10)
      .map(([n]) => `${n} is open without a reason`),
  ];
  return {
    contract,
    restricted: restricted.filter((r) => allNames.has(r.name)),
    open: Object.entries(openTable)
      .filter(([n]) => allNames.has(n))
      .map(([name, reason]) => ({ name, reason })),
    unlisted: names.filter((n) => !isRestricted(n) && !(n in openTable)),
    stale: [...restricted.map((r) => r.name), ...Object.keys(openTable)].filter((n) => !allNames.has(n)),
    conflicts,
  };
}

/** A value of the type that ABI-encodes (zeros, empty arrays and strings); restricted checks come first. */
export function zeroValue(type: ParamType): unknown {
  if (type.baseType === "tuple") return (type.components ?? []).map(zeroValue);
  if (type.baseType === "array") {
    const length = type.arrayLength ?? -1;
    return length < 0 ? [] : Array.from({ length }, () => zeroValue(type.arrayChildren!));
  }
  if (type.baseType === "address") return ZeroAddress;
  if (type.baseType === "bool") return false;
  if (type.baseType === "string") return "";
  if (type.baseType === "bytes") return "0x";
  if (type.baseType.startsWith("bytes")) return "0x" + "00".repeat(Number(type.baseType.slice(5)));
  if (type.baseType.startsWith("uint") || type.baseType.startsWith("int")) return 0n;
  throw new Error(`no zero value for ABI type ${type.format()}`);
}

export function zeroArgs(fragment: FunctionFragment): unknown[] {
  return fragment.inputs.map(zeroValue);
}

export type ProbeResult = { ok: true } | { ok: false; problem: string };

/**
 * Calls (eth_call, nothing mined) each overload of `name` on `target` from `caller`, an account holding no
 * role, and expects AccessManagedUnauthorized(caller).
 */
export async function probeUnauthorised(
  provider: Provider,
  iface: Interface,
  target: string,
  name: string,
  caller: string,
): Promise<ProbeResult> {
  const fragments = iface.fragments.filter((f): f is FunctionFragment => f.type === "function" && (f as FunctionFragment).name === name);
  if (fragments.length === 0) return { ok: false, problem: `no function ${name} in the ABI` };
  const expected = iface.getError("AccessManagedUnauthorized");
  if (!expected) return { ok: false, problem: "the contract is not AccessManaged (no AccessManagedUnauthorized error)" };
  for (const fragment of fragments) {
    const data = iface.encodeFunctionData(fragment, zeroArgs(fragment));
    let revertData: string | undefined;
    try {
      await provider.call({ from: caller, to: target, data });
      return { ok: false, problem: `${fragment.format()} succeeded for an account without the role` };
    } catch (error) {
      revertData = revertDataOf(error);
    }
    if (!revertData || !revertData.startsWith(expected.selector)) {
      return { ok: false, problem: `${fragment.format()} reverted with ${describeRevert(iface, revertData)}, not AccessManagedUnauthorized` };
    }
    const [account] = AbiCoder.defaultAbiCoder().decode(["address"], "0x" + revertData.slice(10));
    if (String(account).toLowerCase() !== caller.toLowerCase()) {
      return { ok: false, problem: `${fragment.format()} reverted with AccessManagedUnauthorized(${String(account)}), not the caller` };
    }
  }
  return { ok: true };
}

function revertDataOf(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    const data = (e as { data?: unknown }).data;
    if (typeof data === "string" && data.startsWith("0x")) return data;
    e = (e as { error?: unknown; info?: { error?: unknown } }).error ?? (e as { info?: { error?: unknown } }).info?.error;
  }
  return undefined;
}

function describeRevert(iface: Interface, data: string | undefined): string {
  if (!data || data === "0x") return "no data";
  try {
    const parsed = iface.parseError(data);
    if (parsed) return `${parsed.name}(${parsed.args.join(", ")})`;
  } catch {
    // not one of the contract's errors
  }
  return data.slice(0, 10);
}
