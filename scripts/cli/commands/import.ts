import type { Command } from "commander";
import { SingleBar } from "cli-progress";
import { DEFAULT_IMPORT_BATCH, importInventory, MAX_IMPORT_BATCH } from "../../../server/client";
import { CliUsageError, toJson, type CliContext, type GlobalOptions } from "../context";

/** Exit code of an import that finished but found bad rows. */
export const EXIT_BAD_ROWS = 2;

/**
 * `import <csv>`: validates every row, prints each bad row as `line N: reason`, registers the good rows
 * in batches with a progress bar on stderr, skipping numbers already on chain (so it resumes).
 */
export function importCommand(program: Command, ctx: CliContext): void {
  program
    .command("import")
    .description("import a university inventory CSV (registrar): validate all rows, then register the good ones in batches")
    .argument("<csv>", "inventory file (columns: see docs/cli.md)")
    .option("--batch-size <n>", `patents per transaction, 1-${MAX_IMPORT_BATCH}`, String(DEFAULT_IMPORT_BATCH))
    .option("--dry-run", "validate and check the chain, send nothing")
    .option("--json", "print the summary as JSON")
    .action(async (file: string, opts: { batchSize: string; dryRun?: boolean; json?: boolean }, command: Command) => {
      const batchSize = Number(opts.batchSize);
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_IMPORT_BATCH) {
        throw new CliUsageError(`--batch-size ${opts.batchSize} is not a whole number 1-${MAX_IMPORT_BATCH}`);
      }
      const { deps } = ctx;
      const client = await ctx.client(command.optsWithGlobals<GlobalOptions>(), { signer: !opts.dryRun });
      let bar: SingleBar | undefined;
      try {
        const summary = await importInventory(client, file, {
          batchSize,
          ...(opts.dryRun ? { dryRun: true } : {}),
          onValidated: ({ good, bad }) => {
            for (const row of bad) deps.err(`line ${row.line}: ${row.reasons.join("; ")}`);
            deps.err(`${good.length} good row(s), ${bad.length} bad row(s)`);
            if (deps.progressStream && good.length > 0) {
              bar = new SingleBar({
                stream: deps.progressStream,
                format: "registering [{bar}] {value}/{total} rows | {registered} registered, {skipped} already registered",
                hideCursor: true,
              });
              bar.start(good.length, 0, { registered: 0, skipped: 0 });
            }
          },
          onProgress: (p) => bar?.update(p.done, { registered: p.registered, skipped: p.skipped }),
        });
        bar?.stop();
        bar = undefined;
        if (opts.json) deps.out(toJson(summary));
        else {
          const verb = opts.dryRun ? "would register" : "registered";
          const toRegister = opts.dryRun ? summary.total - summary.skipped.length : summary.registered;
          deps.out(
            `${verb} ${toRegister}, already registered ${summary.skipped.length}, bad ${summary.bad.length}` +
              (summary.transactions.length ? ` (${summary.transactions.length} transaction(s), gas ${summary.gasUsed})` : ""),
          );
        }
        if (summary.bad.length > 0) ctx.exitCode = EXIT_BAD_ROWS;
      } finally {
        bar?.stop();
      }
    });
}
