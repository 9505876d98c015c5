import type { InterfaceAbi } from "ethers";
import type { Logger } from "pino";
import type { Deployments } from "../chain/deployments";
import { createRpcClient, RpcResponseError, RpcTransportError, type RpcBlockHeader, type RpcClient, type RpcLog } from "../rpc/client";
import { canonicalJson } from "../store/codec";
import type { Store } from "../store/db";
import { keys } from "../store/keys";
import { createLogDecoder, type LogDecoder } from "./abi";
import { applyEvents, blockDigest, ZERO_DIGEST, type EncodedWrite } from "./apply";
import { DEFAULT_ABIS, DEFAULT_HANDLERS } from "./handlers";
import type { HandlerTable, LedgerEvent } from "./types";

/**
 * The block follower. Backfills with eth_getLogs in adaptive ranges up to `reorgWindow` blocks below
 * the safe head (head - confirmations), then follows the tip block by block keeping headers and undo
 * records for the last `reorgWindow` blocks. Every range or tip step is one atomic LevelDB batch with
 * the cursor, so a crash at any point resumes cleanly.
 */

export interface IndexerOptions {
  rpcUrl: string;
  db: Store;
  deployments: Deployments;
  logger: Logger;
  /** Blocks below the node's head that are treated as final enough to index (0 for a local chain). */
  confirmations: number;
  /** How many recent blocks keep headers and undo records; a deeper reorg halts ingestion. */
  reorgWindow: number;
  pollIntervalMs?: number;
  /** A getLogs answer above this many logs shrinks the next range. */
  maxLogsPerRange?: number;
  /** Backfill applies a range in atomic batches of whole blocks holding at most this many logs (a block over it is one batch). */
  maxLogsPerBatch?: number;
  initialRange?: number;
  maxRange?: number;
  rpcTimeoutMs?: number;
  rpcRetries?: number;
  handlers?: HandlerTable;
  abis?: Record<string, InterfaceAbi>;
  /** For tests: an RPC client to use instead of one built from rpcUrl. */
  rpc?: RpcClient;
}

export type IndexerState = "idle" | "starting" | "backfilling" | "following" | "halted" | "stopped";

export interface BlockRef {
  number: number;
  hash: string | null;
}

export interface IndexerStatus {
  state: IndexerState;
  chainId: number | null;
  head: number | null;
  safeHead: number | null;
  indexed: BlockRef | null;
  lag: number | null;
  reachable: boolean;
  lastError: { name: string; message: string } | null;
  halt: { code: string; message: string } | null;
  reorgs: number;
  lastReorg: { depth: number; ancestor: number } | null;
  rangeSize: number;
}

export interface Indexer {
  /** Starts the follow loop in the background; resolves at once. */
  start(): void;
  /** Stops the loop after the current step; resolves when it has stopped. */
  stop(): Promise<void>;
  status(): IndexerStatus;
  /** One step (chain check on first call, then one range or tip step). True if it made progress. */
  step(): Promise<boolean>;
  /** Steps until the index reaches the safe head; throws on halt or RPC failure (scripts and tests). */
  syncToHead(): Promise<BlockRef>;
}

/** Ingestion must stop: the index cannot follow this chain safely. */
export class IndexerHaltError extends Error {
  override name = "IndexerHaltError";
  constructor(
    readonly code: "CHAIN_MISMATCH" | "REORG_TOO_DEEP" | "DEPLOYMENTS_MISMATCH",
    message: string,
  ) {
    super(message);
  }
}

/** The node's chain changed between two calls of one step; the step is retried. */
export class ChainMovedError extends Error {
  override name = "ChainMovedError";
}

type ChainMeta = { chainId: number; genesisHash: string; contracts: { [name: string]: string } };
type CursorRecord = { number: number; hash: string | null };
type HeaderRecord = { number: number; hash: string; parentHash: string };
/** `timestamp` (unix seconds, from the header) lets the API date facts whose events carry no day. */
type BlockRecord = { number: number; hash: string; parentHash: string; digest: string; timestamp?: number };
type UndoRecord = [string, string | null][];

/** Logs (in block order) cut at block boundaries into slices of at most `max` logs; a larger block is a slice alone. Never empty. */
export function sliceByBlock(logs: RpcLog[], max: number): RpcLog[][] {
  const slices: RpcLog[][] = [[]];
  for (let i = 0; i < logs.length; ) {
    let j = i;
    while (j < logs.length && logs[j]!.blockNumber === logs[i]!.blockNumber) j++;
    const current = slices.at(-1)!;
    if (current.length > 0 && current.length + (j - i) > max) slices.push([]);
    slices.at(-1)!.push(...logs.slice(i, j));
    i = j;
  }
  return slices;
}

const range = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

export function createIndexer(options: IndexerOptions): Indexer {
  const { db, deployments, logger, confirmations, reorgWindow } = options;
  if (reorgWindow < 1) throw new Error("reorgWindow must be at least 1");
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const maxLogs = options.maxLogsPerRange ?? 2000;
  const maxRange = options.maxRange ?? 50_000;
  const maxLogsPerBatch = options.maxLogsPerBatch ?? 10_000;
  const handlers = options.handlers ?? DEFAULT_HANDLERS;
  const abis = options.abis ?? DEFAULT_ABIS;
  const rpc = options.rpc ?? createRpcClient({ url: options.rpcUrl, timeoutMs: options.rpcTimeoutMs, retries: options.rpcRetries });
  const log = logger.child({ component: "indexer" });

  const watched = Object.entries(deployments.contracts)
    .filter(([name]) => handlers[name] !== undefined && abis[name] !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, address]) => ({ name, address: address.toLowerCase(), abi: abis[name]!, events: Object.keys(handlers[name]!) }));
  const decoder: LogDecoder = createLogDecoder(watched);
  const contracts: { [name: string]: string } = Object.fromEntries(watched.map((c) => [c.name, c.address]));

  let rangeSize = options.initialRange ?? 10;
  let checked = false;
  let cursor: CursorRecord = { number: deployments.deploymentBlock - 1, hash: null };
  let lastDigest = ZERO_DIGEST;
  /** The cursor as written to the store (behind `cursor` while a backfill batch is in flight). */
  let committed: CursorRecord = cursor;
  const st: IndexerStatus = {
    state: "idle",
    chainId: null,
    head: null,
    safeHead: null,
    indexed: null,
    lag: null,
    reachable: false,
    lastError: null,
    halt: null,
    reorgs: 0,
    lastReorg: null,
    rangeSize,
  };

  // ------------------------------------------------------------------ chain identity and cursor

  async function checkChain(): Promise<void> {
    st.state = "starting";
    const [chainId, genesis] = await Promise.all([rpc.chainId(), rpc.header(0)]);
    if (!genesis) throw new ChainMovedError("the node has no genesis block");
    st.chainId = chainId;
    if (deployments.chainId !== chainId) {
      throw new IndexerHaltError("CHAIN_MISMATCH", `the deployments file is for chain ${deployments.chainId}, the node serves chain ${chainId}`);
    }
    const meta: ChainMeta = { chainId, genesisHash: genesis.hash, contracts };
    const stored = await db.get<ChainMeta>(keys.chain());
    if (stored) {
      if (stored.chainId !== chainId || stored.genesisHash !== genesis.hash) {
        throw new IndexerHaltError(
          "CHAIN_MISMATCH",
          `the index holds chain ${stored.chainId} (genesis ${stored.genesisHash}) but the node serves chain ${chainId} (genesis ${genesis.hash}); rebuild the index or point to the right node`,
        );
      }
      if (canonicalJson(stored.contracts) !== canonicalJson(contracts)) {
        throw new IndexerHaltError("DEPLOYMENTS_MISMATCH", `the index was built for other contract addresses (${canonicalJson(stored.contracts)}); rebuild it`);
      }
    } else {
      await db.batch([{ key: keys.chain(), value: meta }]);
    }
    const storedCursor = await db.get<CursorRecord>(keys.cursor());
    if (storedCursor) {
      cursor = storedCursor;
      committed = cursor;
      const [last] = await lastBlockRecords(1);
      lastDigest = last?.digest ?? ZERO_DIGEST;
      // Is the cursor's block still canonical? (A node whose head is lower is not a reorg: wait.)
      if (cursor.hash !== null) {
        const h = await rpc.header(cursor.number);
        if (h && h.hash !== cursor.hash) {
          log.warn({ block: cursor.number, stored: cursor.hash, node: h.hash }, "the cursor's block is no longer canonical");
          await rollBackReorg();
        }
      }
    } else if (deployments.deploymentBlock > 0) {
      const h = await rpc.header(deployments.deploymentBlock - 1);
      if (!h) throw new ChainMovedError(`the node does not have block ${deployments.deploymentBlock - 1} yet`);
      cursor = { number: h.number, hash: h.hash };
      committed = cursor;
    }
    st.indexed = { ...cursor };
    checked = true;
    log.info({ chainId, genesis: genesis.hash, cursor: cursor.number }, "chain checked");
  }

  async function lastBlockRecords(limit: number): Promise<BlockRecord[]> {
    const out: BlockRecord[] = [];
    for await (const [, value] of db.iterate<BlockRecord>({ gte: keys.blockPrefix(), lt: `${keys.blockPrefix()}\xff`, reverse: true, limit })) {
      out.push(value);
    }
    return out;
  }

  /** Deletes headers and undo records of blocks at or below `upTo` (outside the window). */
  async function pruneWrites(upTo: number): Promise<EncodedWrite[]> {
    if (upTo < 0) return [];
    const out: EncodedWrite[] = [];
    for (const prefix of [keys.headerPrefix(), keys.undoPrefix()]) {
      const lt = prefix === keys.headerPrefix() ? keys.header(upTo + 1) : keys.undo(upTo + 1);
      for await (const [key] of db.iterateRaw({ gte: prefix, lt })) out.push({ key, value: null });
    }
    return out;
  }

  // ------------------------------------------------------------------ fetching

  function decodeAll(logs: RpcLog[]): LedgerEvent[] {
    const events: LedgerEvent[] = [];
    for (const l of logs) {
      if (l.removed) throw new ChainMovedError(`log ${l.logIndex} of block ${l.blockNumber} was removed`);
      const e = decoder.decode(l);
      if (e) events.push(e);
    }
    events.sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
    return events;
  }

  async function headersOf(blocks: number[]): Promise<Map<number, RpcBlockHeader>> {
    const out = new Map<number, RpcBlockHeader>();
    for (let i = 0; i < blocks.length; i += 200) {
      const chunk = blocks.slice(i, i + 200);
      const hs = await rpc.headers(chunk);
      chunk.forEach((n, j) => {
        const h = hs[j];
        if (!h) throw new ChainMovedError(`the node no longer has block ${n}`);
        out.set(n, h);
      });
    }
    return out;
  }

  function checkLogHashes(logs: RpcLog[], headers: Map<number, RpcBlockHeader>): void {
    for (const l of logs) {
      const h = headers.get(l.blockNumber);
      if (!h || h.hash !== l.blockHash) {
        throw new ChainMovedError(`log ${l.logIndex} of block ${l.blockNumber} has block hash ${l.blockHash}, the header says ${h?.hash}`);
      }
    }
  }

  // ------------------------------------------------------------------ steps

  function blockWrites(events: Awaited<ReturnType<typeof applyEvents>>, headers: Map<number, RpcBlockHeader>): EncodedWrite[] {
    const writes: EncodedWrite[] = [];
    for (const [key, value] of events.final) writes.push({ key, value });
    for (const b of events.blocks) {
      const h = headers.get(b.number)!;
      lastDigest = blockDigest(lastDigest, b.number, h.hash, b.writes);
      const record: BlockRecord = { number: b.number, hash: h.hash, parentHash: h.parentHash, digest: lastDigest };
      if (typeof h.timestamp === "number") record.timestamp = h.timestamp;
      writes.push({ key: keys.block(b.number), value: canonicalJson(record) });
    }
    return writes;
  }

  interface Fetched {
    logs: RpcLog[];
    headers: Map<number, RpcBlockHeader>;
  }

  /** Logs of a range and the headers of their blocks and of its last block, cross-checked. */
  async function fetchRange(from: number, to: number): Promise<Fetched> {
    const logs = await rpc.getLogs({ fromBlock: from, toBlock: to, address: decoder.addresses });
    const blocks = [...new Set(logs.map((l) => l.blockNumber))];
    if (!blocks.includes(to)) blocks.push(to);
    const headers = await headersOf(blocks);
    checkLogHashes(logs, headers);
    return { logs, headers };
  }

  /** Shrinks the range after a response over maxLogs, grows it after a full range well under it. */
  function adaptRange(blocks: number, logCount: number): void {
    if (logCount > maxLogs) rangeSize = Math.max(1, Math.floor((blocks * maxLogs) / logCount));
    else if (logCount < maxLogs / 2 && blocks >= rangeSize) rangeSize = Math.min(maxRange, rangeSize * 2);
    st.rangeSize = rangeSize;
  }

  function shrinkOnError(err: unknown): void {
    if (err instanceof RpcResponseError || (err instanceof RpcTransportError && /no answer within/.test(err.message))) {
      rangeSize = Math.max(1, Math.floor(rangeSize / 2));
      st.rangeSize = rangeSize;
    }
  }

  /**
   * The last backfill batch while LevelDB writes it (in its thread pool): the next slice is applied
   * meanwhile, reading the values this batch gives (`final`) before the store. `cursor` and `lastDigest`
   * already include it; `committed` is the cursor of the last batch written. Every other path (tip steps,
   * reorgs, the end of a sync, stop) waits for it first with settle(); if the write fails, cursor and
   * digest go back to before it, and the next step resumes from there.
   */
  let pending: { done: Promise<void>; final: ReadonlyMap<string, string | null>; before: { cursor: CursorRecord; digest: string } } | undefined;

  async function settle(): Promise<void> {
    const p = pending;
    if (!p) return;
    try {
      await p.done;
    } catch (err) {
      cursor = p.before.cursor;
      lastDigest = p.before.digest;
      throw err;
    } finally {
      if (pending === p) pending = undefined;
    }
  }

  /** The next backfill range, fetched while the current one is applied (node and indexer work in parallel). */
  let prefetched: { from: number; to: number; result: Promise<Fetched | Error> } | undefined;

  async function backfill(target: number): Promise<void> {
    st.state = "backfilling";
    const from = cursor.number + 1;
    let to: number;
    let fetched: Fetched;
    const ahead = prefetched;
    prefetched = undefined;
    if (ahead && ahead.from === from && ahead.to <= target) {
      to = ahead.to;
      const result = await ahead.result;
      if (result instanceof Error) {
        shrinkOnError(result);
        throw result;
      }
      fetched = result;
    } else {
      to = Math.min(target, from + rangeSize - 1);
      try {
        fetched = await fetchRange(from, to);
      } catch (err) {
        shrinkOnError(err);
        throw err;
      }
    }
    const { logs, headers } = fetched;
    adaptRange(to - from + 1, logs.length);
    if (to < target) {
      const nextTo = Math.min(target, to + rangeSize);
      prefetched = { from: to + 1, to: nextTo, result: fetchRange(to + 1, nextTo).catch((err: unknown) => err as Error) };
    }

    // A range that came back far over maxLogs (sparse blocks, then dense ones) is applied in slices of
    // whole blocks, each one atomic batch with its cursor, so that no LevelDB batch or overlay holds it all.
    // A slice's batch is written while the next slice (or range) is decoded and applied (see `pending`).
    const slices = sliceByBlock(logs, maxLogsPerBatch);
    for (let i = 0; i < slices.length; i++) {
      const end = i === slices.length - 1 ? to : slices[i]!.at(-1)!.blockNumber;
      const events = decodeAll(slices[i]!);
      const applied = await applyEvents(db, handlers, events, { trackUndo: false, ...(pending ? { pending: pending.final } : {}) });
      const before = { cursor, digest: lastDigest };
      let writes: EncodedWrite[];
      try {
        writes = blockWrites(applied, headers);
        writes.push(...(await pruneWrites(end - reorgWindow)));
        writes.push({ key: keys.cursor(), value: canonicalJson({ number: end, hash: headers.get(end)!.hash }) });
      } catch (err) {
        lastDigest = before.digest;
        throw err;
      }
      await settle(); // the previous batch first, so that batches land in chain order; a failure rolls back to before it
      cursor = { number: end, hash: headers.get(end)!.hash };
      const written: CursorRecord = cursor;
      const done = db.batchEncoded(writes).then(() => {
        committed = written;
        st.indexed = { ...written };
        if (st.head !== null) st.lag = Math.max(0, st.head - written.number);
      });
      done.catch(() => undefined); // settle() handles a failure; no unhandled rejection while it is in flight
      pending = { done, final: applied.final, before };
    }
    log.debug({ from, to, logs: logs.length, slices: slices.length, rangeSize }, "backfilled range");
  }

  async function follow(to: number): Promise<boolean> {
    st.state = "following";
    const from = cursor.number + 1;
    const hs = await rpc.headers(range(from, to));
    const first = hs[0];
    if (!first) return false; // the node's head is lower than it said: wait
    if (cursor.hash !== null && first.parentHash !== cursor.hash) {
      log.warn({ block: from, parentHash: first.parentHash, cursor: cursor.hash }, "parent hash mismatch: reorg");
      await rollBackReorg();
      return true;
    }
    const headers = new Map<number, RpcBlockHeader>();
    hs.forEach((h, i) => {
      if (!h || (i > 0 && h.parentHash !== hs[i - 1]!.hash)) throw new ChainMovedError(`the chain moved while reading blocks ${from}-${to}`);
      headers.set(h.number, h);
    });
    let logs: RpcLog[];
    try {
      logs = await rpc.getLogs({ fromBlock: from, toBlock: to, address: decoder.addresses });
    } catch (err) {
      shrinkOnError(err);
      throw err;
    }
    adaptRange(to - from + 1, logs.length);
    checkLogHashes(logs, headers);
    const applied = await applyEvents(db, handlers, decodeAll(logs), { trackUndo: true });
    const previousDigest = lastDigest;
    try {
      const writes = blockWrites(applied, headers);
      for (const h of hs) {
        const header: HeaderRecord = { number: h!.number, hash: h!.hash, parentHash: h!.parentHash };
        writes.push({ key: keys.header(h!.number), value: canonicalJson(header) });
      }
      for (const b of applied.blocks) writes.push({ key: keys.undo(b.number), value: canonicalJson(b.undo) });
      writes.push(...(await pruneWrites(to - reorgWindow)));
      const end = headers.get(to)!;
      writes.push({ key: keys.cursor(), value: canonicalJson({ number: to, hash: end.hash }) });
      await db.batchEncoded(writes);
      cursor = { number: to, hash: end.hash };
      committed = cursor;
    } catch (err) {
      lastDigest = previousDigest;
      throw err;
    }
    return true;
  }

  /** Finds the common ancestor within the window and rolls back to it in one batch; halts if there is none. */
  async function rollBackReorg(): Promise<void> {
    const c = cursor.number;
    const lowest = Math.max(c - reorgWindow + 1, deployments.deploymentBlock, 0);
    const stored = new Map<number, HeaderRecord>();
    for await (const [, h] of db.iterate<HeaderRecord>({ gte: keys.header(lowest), lte: keys.header(c) })) stored.set(h.number, h);
    const canonicalList = await rpc.headers(range(Math.max(lowest - 1, 0), c));
    const canonical = new Map<number, RpcBlockHeader>();
    for (const h of canonicalList) if (h) canonical.set(h.number, h);

    let ancestor: { number: number; hash: string } | undefined;
    for (let k = c; k >= lowest; k--) {
      const s = stored.get(k);
      if (!s) break; // not followed block by block: beyond what can be undone
      const now = canonical.get(k);
      if (now && now.hash === s.hash) {
        ancestor = { number: k, hash: s.hash };
        break;
      }
      const parent = canonical.get(k - 1);
      if (parent && parent.hash === s.parentHash) {
        ancestor = { number: k - 1, hash: s.parentHash };
        break;
      }
    }
    if (!ancestor) {
      throw new IndexerHaltError(
        "REORG_TOO_DEEP",
        `reorg deeper than the window of ${reorgWindow} blocks: no block between ${lowest} and ${c} of the index is an ancestor of the node's chain; ingestion stopped at block ${c}, the index keeps serving it`,
      );
    }
    if (ancestor.number === c) return; // nothing to undo (the cursor is canonical)

    const writes: EncodedWrite[] = [];
    for (let k = c; k > ancestor.number; k--) {
      const undo = await db.get<UndoRecord>(keys.undo(k));
      if (undo) for (let i = undo.length - 1; i >= 0; i--) writes.push({ key: undo[i]![0], value: undo[i]![1] });
      writes.push({ key: keys.undo(k), value: null }, { key: keys.header(k), value: null }, { key: keys.block(k), value: null });
    }
    writes.push({ key: keys.cursor(), value: canonicalJson({ number: ancestor.number, hash: ancestor.hash }) });
    await db.batchEncoded(writes);
    cursor = { number: ancestor.number, hash: ancestor.hash };
    committed = cursor;
    const [last] = await lastBlockRecords(1);
    lastDigest = last?.digest ?? ZERO_DIGEST;
    const depth = c - ancestor.number;
    st.reorgs += 1;
    st.lastReorg = { depth, ancestor: ancestor.number };
    log.warn({ depth, ancestor: ancestor.number, from: c }, "reorg: rolled back to the common ancestor");
  }

  async function step(): Promise<boolean> {
    if (st.halt) throw new IndexerHaltError(st.halt.code as IndexerHaltError["code"], st.halt.message);
    if (!checked) await checkChain();
    const head = await rpc.blockNumber();
    const safe = head - confirmations;
    st.head = head;
    st.safeHead = safe;
    st.reachable = true;
    // Only backfill goes on while a batch is being written; every other path starts from the store as written.
    if (!(safe - cursor.number > reorgWindow)) await settle();
    let progressed: boolean;
    if (cursor.number >= safe) {
      // Nothing new: is the last indexed block still canonical? (A lower head alone is not a reorg.)
      progressed = false;
      const n = Math.min(cursor.number, safe);
      const storedHash = n === cursor.number ? cursor.hash : ((await db.get<HeaderRecord>(keys.header(n)))?.hash ?? null);
      if (storedHash !== null && n >= 0) {
        const h = await rpc.header(n);
        if (h && h.hash !== storedHash) {
          log.warn({ block: n, stored: storedHash, node: h.hash }, "indexed block is no longer canonical: reorg");
          await rollBackReorg();
          progressed = true;
        }
      }
      if (!progressed) st.state = "following";
    } else if (safe - cursor.number > reorgWindow) {
      await backfill(safe - reorgWindow);
      progressed = true;
    } else {
      // Block by block near the tip, in ranges no longer than the window nor the adaptive log range.
      progressed = await follow(Math.min(safe, cursor.number + Math.min(reorgWindow, rangeSize)));
    }
    st.indexed = { ...committed };
    st.lag = Math.max(0, head - committed.number);
    st.lastError = null;
    return progressed;
  }

  // ------------------------------------------------------------------ the loop

  let running: Promise<void> | undefined;
  let stopping = false;
  let wake: (() => void) | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  function recordError(err: unknown): void {
    const e = err as Error;
    st.lastError = { name: e.name, message: e.message };
    if (err instanceof RpcTransportError) st.reachable = false;
  }

  function halt(err: IndexerHaltError): void {
    st.state = "halted";
    st.halt = { code: err.code, message: err.message };
    recordError(err);
    log.fatal({ code: err.code }, `INDEXER HALTED: ${err.message}`);
  }

  async function loop(): Promise<void> {
    let failures = 0;
    while (!stopping) {
      try {
        const progressed = await step();
        failures = 0;
        if (!progressed) await sleep(pollIntervalMs);
      } catch (err) {
        if (err instanceof IndexerHaltError) {
          halt(err);
          return;
        }
        recordError(err);
        failures += 1;
        const delay = Math.min(5000, 100 * 2 ** Math.min(failures, 6));
        log.warn({ err: (err as Error).message, failures, retryInMs: delay }, "indexer step failed; retrying");
        await sleep(delay);
      }
    }
    st.state = "stopped";
  }

  /** After the loop: the batch in flight is written (or its failure recorded) before the store may close. */
  async function finish(): Promise<void> {
    try {
      await settle();
    } catch (err) {
      recordError(err);
      log.warn({ err: (err as Error).message }, "the last backfill batch failed; the next start resumes before it");
    }
  }

  /** One step as callers see it: errors recorded (halts halt); `settled` waits for the batch in flight. */
  async function publicStep(settled: boolean): Promise<boolean> {
    try {
      const progressed = await step();
      if (settled) await settle();
      return progressed;
    } catch (err) {
      if (err instanceof IndexerHaltError) halt(err);
      else recordError(err);
      throw err;
    }
  }

  return {
    start() {
      if (running) return;
      stopping = false;
      running = loop()
        .finally(finish)
        .finally(() => {
          running = undefined;
        });
    },
    async stop() {
      stopping = true;
      wake?.();
      await running;
      if (st.state !== "halted") st.state = "stopped";
    },
    status: () => ({ ...st, indexed: st.indexed ? { ...st.indexed } : null, lastError: st.lastError ? { ...st.lastError } : null }),
    step: () => publicStep(true),
    async syncToHead() {
      try {
        for (;;) {
          // Pipelined: the last steps before the head are tip steps, which wait for the batch in flight.
          const progressed = await publicStep(false);
          if (!progressed && cursor.number >= (st.safeHead ?? 0)) return { ...cursor };
          if (!progressed) await new Promise((r) => setTimeout(r, 50));
        }
      } catch (err) {
        await finish(); // the store may be closed next: nothing in flight
        throw err;
      }
    },
  };
}
