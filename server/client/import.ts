import { parseCnipaNumber } from "../chain/cnipa";
import type { LedgerClient } from "./client";
import { LedgerError } from "./errors";
import { readInventoryFile, type BadRow, type InventoryRow } from "./inventory";

/** The registry's MAX_BATCH. */
export const MAX_IMPORT_BATCH = 200;
export const DEFAULT_IMPORT_BATCH = 100;

export interface ImportProgress {
  /** Good rows dealt with so far (registered or skipped) out of `total`. */
  done: number;
  total: number;
  registered: number;
  skipped: number;
  /** The transaction of the batch just sent, if this step sent one. */
  tx?: string;
  /** Rows registered by this step. */
  batch: number;
}

export interface SkippedRow {
  line: number;
  number: string;
  reason: "already registered";
}

export interface ImportSummary {
  /** Good rows in the file. */
  total: number;
  registered: number;
  skipped: SkippedRow[];
  bad: BadRow[];
  transactions: string[];
  gasUsed: bigint;
}

export interface ImportOptions {
  /** Patents per registerBatch transaction: default 100, at most 200. */
  batchSize?: number;
  /** Called after each batch; throwing stops the import (a later run resumes where it stopped). */
  onProgress?: (progress: ImportProgress) => void | Promise<void>;
  /** Called once validation is done, before anything is sent. */
  onValidated?: (validation: { good: InventoryRow[]; bad: BadRow[] }) => void | Promise<void>;
  /** Validate and check the chain, but send nothing. */
  dryRun?: boolean;
}

/**
 * Imports an inventory CSV: validates every row first (bad rows are reported, never sent), then
 * registers the good rows in batches. Before each batch it asks the chain which numbers already exist
 * and skips them, so re-running a file after a crash or a partial run registers only what is missing.
 */
export async function importInventory(client: LedgerClient, file: string, opts: ImportOptions = {}): Promise<ImportSummary> {
  const batchSize = opts.batchSize ?? DEFAULT_IMPORT_BATCH;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_IMPORT_BATCH) {
    throw new RangeError(`batch size ${batchSize} is outside 1-${MAX_IMPORT_BATCH}`);
  }
  const today = await client.chainToday();
  const { good, bad } = readInventoryFile(file, { today });
  await opts.onValidated?.({ good, bad });

  const summary: ImportSummary = { total: good.length, registered: 0, skipped: [], bad, transactions: [], gasUsed: 0n };
  let cursor = 0;
  while (cursor < good.length) {
    // Fill a batch with rows the chain does not hold yet, asking just before sending.
    const batch: InventoryRow[] = [];
    while (batch.length < batchSize && cursor < good.length) {
      const candidates = good.slice(cursor, cursor + (batchSize - batch.length));
      cursor += candidates.length;
      const existing = await client.registeredAmong(candidates.map((r) => parseCnipaNumber(r.input.number).number));
      for (const row of candidates) {
        if (existing.has(parseCnipaNumber(row.input.number).number)) {
          summary.skipped.push({ line: row.line, number: row.input.number, reason: "already registered" });
        } else batch.push(row);
      }
    }
    let tx: string | undefined;
    if (batch.length > 0 && !opts.dryRun) {
      let result;
      try {
        result = await client.registerBatch(batch.map((r) => r.input));
      } catch (err) {
        throw locateRow(err, batch);
      }
      tx = result.hash;
      summary.transactions.push(result.hash);
      summary.gasUsed += result.gasUsed;
      summary.registered += batch.length;
    }
    await opts.onProgress?.({
      done: cursor,
      total: good.length,
      registered: summary.registered,
      skipped: summary.skipped.length,
      batch: opts.dryRun ? 0 : batch.length,
      ...(tx ? { tx } : {}),
    });
  }
  return summary;
}

/** A registry refusal that names a patent gets the CSV line of that patent appended to its message. */
function locateRow(err: unknown, batch: readonly InventoryRow[]): unknown {
  if (!(err instanceof LedgerError)) return err;
  const id = err.args.patentId ?? err.args.number;
  if (typeof id !== "bigint") return err;
  const row = batch.find((r) => parseCnipaNumber(r.input.number).number === id);
  if (!row) return err;
  return new LedgerError(err.errorName, err.args, err.signature, err.selector, `${err.message} at line ${row.line} (${row.input.number})`);
}
