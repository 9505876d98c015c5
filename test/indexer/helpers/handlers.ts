import { DEFAULT_HANDLERS } from "../../../server/indexer/handlers";
import type { EventHandler, LedgerEvent, StateView } from "../../../server/indexer/types";
import type { Json } from "../../../server/store/codec";
import type { StoreWrite } from "../../../server/store/db";

/**
 * Handler unit tests without a store: a handler runs against a map of state, may read only the keys it
 * declared (an undeclared read throws), and its writes are applied to the map.
 */

/** Runs `handler` on `e` against `state`, checking it reads only what it declared; returns its writes. */
export function runHandler(handler: EventHandler, e: LedgerEvent, state: Map<string, Json>): StoreWrite[] {
  const declared = new Set(handler.reads(e));
  const view: StateView = {
    get<T extends Json>(key: string) {
      if (!declared.has(key)) throw new Error(`undeclared read ${key}`);
      return state.get(key) as T | undefined;
    },
  };
  const writes = handler.apply(e, view);
  for (const w of writes) {
    if (w.value === null) state.delete(w.key);
    else state.set(w.key, w.value);
  }
  return writes;
}

/** Runs the gateway's own handler of the event's contract and name. */
export const run = (e: LedgerEvent, state: Map<string, Json>): StoreWrite[] => runHandler(DEFAULT_HANDLERS[e.contract]![e.event]!, e, state);
export const runAll = (state: Map<string, Json>, ...events: LedgerEvent[]): StoreWrite[] => events.map((e) => run(e, state)).flat();
export const keysWith = (state: Map<string, Json>, prefix: string): string[] => [...state.keys()].filter((k) => k.startsWith(prefix)).sort();
export const at = <T>(state: Map<string, Json>, key: string): T => state.get(key) as T;
