import type { Json } from "../../store/codec";
import type { StoreWrite } from "../../store/db";
import { keys } from "../../store/keys";
import type { EventArgs, LedgerEvent, StateView } from "../types";

/** Helpers shared by the handlers of every contract: chain points, timeline entries, required reads. */

export const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

/** Where a fact happened on the chain. */
export type ChainPoint = { block: number; logIndex: number; txHash: string };

/** One event on a patent's timeline (every contract's events about the patent, in chain order). */
export type TimelineEntry = {
  contract: string;
  event: string;
  args: EventArgs;
  block: number;
  logIndex: number;
  txHash: string;
};

export class HandlerStateError extends Error {
  override name = "HandlerStateError";
}

export const point = (e: LedgerEvent<unknown>): ChainPoint => ({ block: e.blockNumber, logIndex: e.logIndex, txHash: e.txHash });

/** The event on the timeline of `patentId`, keyed by block and log index so that key order is chain order. */
export function timeline(e: LedgerEvent<unknown>, patentId: string): StoreWrite {
  const entry: TimelineEntry = {
    contract: e.contract,
    event: e.event,
    args: e.args as EventArgs,
    block: e.blockNumber,
    logIndex: e.logIndex,
    txHash: e.txHash,
  };
  return { key: keys.timeline(patentId, e.blockNumber, e.logIndex), value: entry };
}

/** The event on the timeline of each patent (an event about a pledge or deal of several patents). */
export const timelines = (e: LedgerEvent<unknown>, patentIds: readonly string[]): StoreWrite[] => patentIds.map((id) => timeline(e, id));

/** A declared read that must exist: the contract emits the event only for a known entity. */
export function must<T extends Json>(state: StateView, key: string, e: LedgerEvent<unknown>): T {
  const value = state.get<T>(key);
  if (value === undefined) {
    throw new HandlerStateError(`${e.contract}.${e.event} at block ${e.blockNumber} log ${e.logIndex}: ${key} is not indexed`);
  }
  return value;
}

/** Sum of two decimal amounts (uint128/uint256 as strings). */
export const addAmounts = (a: string, b: string): string => (BigInt(a) + BigInt(b)).toString();
export const subAmounts = (a: string, b: string): string => (BigInt(a) - BigInt(b)).toString();

/** ISO 4217 code from a bytes3 value ("0x434e59" -> "CNY"); trailing zero bytes dropped. */
export function currencyOf(bytes3: string): string {
  return Buffer.from(bytes3.slice(2), "hex").toString("latin1").replace(/\0+$/, "");
}

/** The name of an enum value, or `Unknown(n)` for a value this gateway does not know. */
export const nameOf = (names: readonly string[], value: number): string => names[value] ?? `Unknown(${value})`;
