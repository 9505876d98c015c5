import { Command, CommanderError, Option } from "commander";
import { LedgerError } from "../../server/client";
import { createCliContext, type CliContext, type CliDeps } from "./context";
import { accountsCommand } from "./commands/accounts";
import { importCommand } from "./commands/import";
import { evaluateCommand, inventoryCommand, patentCommand, registerCommand, statusCommand } from "./commands/patents";
import { transferCommand } from "./commands/transfer";
import { verifyCertificateCommand } from "./commands/certificate";
import { licenceCommand } from "./commands/licence";
import { royaltyCommand } from "./commands/royalty";
import { pledgeCommand } from "./commands/pledge";
import { valuationCommand } from "./commands/valuation";
import { equityCommand, warrantCommand } from "./commands/equity";
import { RIGHTS_HINTS } from "./commands/rights-hints";
import { exchangeCommand } from "./commands/exchange";
import { venueCommand } from "./commands/venue";
import { auditCommand } from "./commands/audit";

/** A command module adds its command(s) to the program. New domains (licence, pledge, ...) add one here. */
export type CommandModule = (program: Command, ctx: CliContext) => void;

export const COMMANDS: readonly CommandModule[] = [
  accountsCommand,
  registerCommand,
  importCommand,
  statusCommand,
  transferCommand,
  evaluateCommand,
  inventoryCommand,
  patentCommand,
  verifyCertificateCommand,
  licenceCommand,
  royaltyCommand,
  pledgeCommand,
  valuationCommand,
  equityCommand,
  warrantCommand,
  exchangeCommand,
  venueCommand,
  auditCommand,
];

/** Hints shown under some decoded errors. */
const HINTS: Record<string, string> = {
  AccessManagedUnauthorized: "the signing account does not hold the role this function needs (choose it with --as or PRIVATE_KEY)",
  PatentRegistryNotOwner: "only the patent's owner may do this",
  PatentRegistryTransferPending: "a transfer of this patent awaits registration; register, refuse or cancel it first",
  ...RIGHTS_HINTS,
  ExchangePatentListed: "the patent is listed on the exchange; cancel the listing first (tianfu exchange cancel <listingId>)",
  ExchangeNotVenue: "name an open venue (chengdu or chongqing) with --venue",
  ExchangeBrokerNotOfVenue: "the broker must be accredited by the venue named with it",
};

export function createProgram(ctx: CliContext): Command {
  const { deps } = ctx;
  const program = new Command("tianfu")
    .description("Tianfu IP Ledger: register, import, transfer, license, pledge, value and contribute patents on the ledger")
    .addOption(new Option("--rpc <url>", "JSON-RPC endpoint of the chain").env("CHAIN_RPC_URL").default("http://127.0.0.1:8545"))
    .addOption(
      new Option("--deployments <file>", "deployments file (contract addresses)").env("DEPLOYMENTS_FILE").default("data/deployments/local.json"),
    )
    .option("--as <account>", "sign as a named demo account (local development mnemonic); else PRIVATE_KEY")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => deps.out(s.replace(/\n$/, "")),
      writeErr: (s) => deps.err(s.replace(/\n$/, "")),
    });
  for (const add of COMMANDS) add(program, ctx);
  return program;
}

/** Prints an error the way the CLI reports every failure: one line, no stack trace. */
export function reportError(deps: CliDeps, err: unknown): void {
  if (err instanceof LedgerError) {
    deps.err(`error: ${err.message}`);
    const hint = HINTS[err.errorName];
    if (hint) deps.err(`hint: ${hint}`);
    return;
  }
  // ethers errors carry the whole transaction in `message`; `shortMessage` is the readable part.
  const short = (err as { shortMessage?: unknown } | null)?.shortMessage;
  deps.err(`error: ${typeof short === "string" ? short : err instanceof Error ? err.message : String(err)}`);
}

/** Runs the CLI on `argv` (without node and script) and answers the exit code. */
export async function runCli(argv: readonly string[], deps: CliDeps): Promise<number> {
  const ctx = createCliContext(deps);
  const program = createProgram(ctx);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return ctx.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    reportError(deps, err);
    return 1;
  } finally {
    ctx.close();
  }
}
