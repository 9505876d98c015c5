import type { Command } from "commander";
import { ZeroAddress } from "ethers";
import { InputError, parseDate, parseYuan, type Approval, type TokenInfo } from "../../../server/client";
import { CliUsageError, parseBytes32, resolveAccount, txLine, type CliContext, type GlobalOptions } from "../context";
import { accountLabel } from "./patents";

/** Helpers shared by the rights commands (licence, royalty, pledge, value, equity, warrant). */

/** Runs a parser, turning its InputError into a CliUsageError (same message: the option and the value). */
export function usage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof InputError) throw new CliUsageError(err.message);
    throw err;
  }
}

export const globals = (command: Command) => command.optsWithGlobals<GlobalOptions>();

export const yuan = (text: string, option: string) => usage(() => parseYuan(text, option));
export const date = (text: string, option: string) => usage(() => parseDate(text, option));
export const hash = (text: string, option: string) => parseBytes32(text, option);

/** An address or demo account; `any` (or the zero address) for "any counterparty" where allowed. */
export function accountOrAny(text: string): string {
  return text.toLowerCase() === "any" ? ZeroAddress : resolveAccount(text);
}

/** `--token`: an address or the deployment's DemoSettlementToken when omitted. */
export function tokenOption(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (!/^0x[0-9a-fA-F]{40}$/.test(text)) throw new CliUsageError(`--token "${text}" is not an address (0x followed by 40 hex digits)`);
  return text;
}

/** "0x… (scu 四川大学)". */
export const who = (address: string) => `${address}${accountLabel(address)}`;

/** Prints the approval a payment needed, if any: "approved Royalties for 200000.00 dCNY: tx …". */
export function sayApproval(ctx: CliContext, approval: Approval | null, spenderName: string, token: TokenInfo, amount: string): void {
  if (approval) ctx.deps.out(`approved ${spenderName} for ${amount} ${token.symbol} (allowance was short): ${txLine(approval)}`);
}

/** A comma-separated list of CNIPA numbers. */
export function numbers(text: string, option: string): string[] {
  const list = text.split(/[,\s]+/).filter((s) => s.length > 0);
  if (list.length === 0) throw new CliUsageError(`${option} "${text}": give at least one CNIPA number`);
  return list;
}
