import type { Json } from "../store/codec";
import type { StoreWrite } from "../store/db";

/** Decoded event arguments by parameter name: ids and amounts wider than 48 bits as decimal strings. */
export type EventArgs = { [name: string]: Json };

/** A log of a ledger contract, decoded with the precomputed layout of its topic. */
export interface LedgerEvent<A = EventArgs> {
  contract: string;
  address: string;
  event: string;
  args: A;
  blockNumber: number;
  blockHash: string;
  txHash: string;
  logIndex: number;
}

/** Read access to the index as it stands just before the event (declared keys only). */
export interface StateView {
  get<T extends Json>(key: string): T | undefined;
}

/**
 * One pure handler per event: `reads` names every key `apply` may read (known from the event alone,
 * so a whole range can be prefetched at once), `apply` returns the writes in order. No I/O, no clock.
 */
export interface EventHandler<A = EventArgs> {
  reads(event: LedgerEvent<A>): string[];
  apply(event: LedgerEvent<A>, state: StateView): StoreWrite[];
}

/** Handlers by contract name (as in the deployments file), then by event name. */
export type HandlerTable = Record<string, Record<string, EventHandler>>;

/** Types a handler against its event's argument shape (the layout in abi.ts guarantees it). */
export function defineHandler<A>(handler: EventHandler<A>): EventHandler {
  return handler as unknown as EventHandler;
}
