/**
 * The Tianfu IP Ledger command line: `npm run tianfu -- <command>` or `npx tianfu <command>`.
 * See docs/cli.md.
 */
import { defaultDeps } from "./cli/context";
import { runCli } from "./cli/program";

// A closed pipe (`tianfu accounts | head`) is not an error.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw err;
});

void runCli(process.argv.slice(2), defaultDeps()).then((code) => {
  process.exitCode = code;
});
