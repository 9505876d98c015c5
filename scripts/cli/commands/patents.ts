import type { Command } from "commander";
import { ZeroHash } from "ethers";
import { DEMO_ACCOUNTS, demoWallet } from "../../../server/chain/accounts";
import {
  SETTABLE_STATUSES,
  validateInventoryFields,
  validateInventoryRecord,
  type InventoryColumn,
  type InventoryFieldColumn,
  type PatentView,
  type SettableStatusName,
} from "../../../server/client";
import { CliUsageError, parseBytes32, parseScore, toJson, txLine, type CliContext, type GlobalOptions } from "../context";

/** Lists on the command line may use "," as well as the CSV's separator. */
const list = (text: string | undefined, sep: string) => (text === undefined ? undefined : text.replace(/,/g, sep));

let demoNames: Map<string, string> | undefined;
/** " (scu 四川大学)" when an address is a demo account's. */
export function accountLabel(address: string): string {
  demoNames ??= new Map(DEMO_ACCOUNTS.map((a) => [demoWallet(a.name).address.toLowerCase(), `${a.name} ${a.label}`]));
  const name = demoNames.get(address.toLowerCase());
  return name ? ` (${name})` : "";
}

interface RegisterOptions {
  number: string;
  title: string;
  ipc: string;
  filing: string;
  grant: string;
  holder: string;
  readiness: string;
  willing: string;
  modes?: string;
  selfScore?: string;
  unitScore?: string;
  scenarios?: string;
  dossierHash?: string;
}

/** `register`: one patent, every field as a flag, checked like a CSV row before sending. */
export function registerCommand(program: Command, ctx: CliContext): void {
  program
    .command("register")
    .description("register one granted patent (registrar)")
    .requiredOption("--number <cnipa>", 'CNIPA number as cited, e.g. "ZL202110234567.5"; the kind follows from it')
    .requiredOption("--title <text>", "title of the invention")
    .requiredOption("--ipc <codes>", 'IPC codes separated by ";" or ",", main classification first, e.g. "H01M 4/525;H01M 10/0525"')
    .requiredOption("--filing <date>", "filing date YYYY-MM-DD")
    .requiredOption("--grant <date>", "grant date YYYY-MM-DD")
    .requiredOption("--holder <account>", "holder: an address or a demo account name")
    .requiredOption("--readiness <1-9>", "technology readiness level")
    .option("--willing <yes|no>", "willing to commercialise", "yes")
    .option("--modes <modes>", 'preferred modes separated by "|" or ",": transfer, licence, equity')
    .option("--self-score <0-100>", "inventors' self-evaluation (0: not evaluated)")
    .option("--unit-score <0-100>", "unit evaluation (0: not evaluated)")
    .option("--scenarios <tags>", 'application scenarios separated by "|" or "," (see server/chain/scenarios.ts)')
    .option("--dossier-hash <hash>", "hash of the off-chain dossier (default: keccak256 of the record's canonical JSON)")
    .action(async (opts: RegisterOptions, command: Command) => {
      const client = await ctx.client(command.optsWithGlobals<GlobalOptions>(), { signer: true });
      const record: Partial<Record<InventoryColumn, string>> = {
        number: opts.number,
        title: opts.title,
        ipc: list(opts.ipc, ";"),
        filing_date: opts.filing,
        grant_date: opts.grant,
        holder: opts.holder,
        readiness: opts.readiness,
        willing: opts.willing,
        modes: list(opts.modes, "|"),
        self_score: opts.selfScore,
        unit_score: opts.unitScore,
        scenarios: list(opts.scenarios, "|"),
        dossier_hash: opts.dossierHash,
      };
      const checked = validateInventoryRecord(record, { today: await client.chainToday() });
      if (!checked.ok) throw new CliUsageError(`refused before sending: ${checked.reasons.join("; ")}`);
      const result = await client.registerPatent(checked.input);
      ctx.deps.out(`registered ${checked.input.number} to ${checked.input.holder}${accountLabel(checked.input.holder)}: ${txLine(result)}`);
    });
}

/** `status`: a legal status change with its reason (registrar). */
export function statusCommand(program: Command, ctx: CliContext): void {
  program
    .command("status")
    .description("record a legal status change (registrar); `expired` is derived from the term, never set")
    .argument("<number>", "CNIPA number")
    .argument("<status>", SETTABLE_STATUSES.join("|"))
    .requiredOption("--reason <text>", "the reason, e.g. the CNIPA announcement or the court order")
    .action(async (number: string, status: string, opts: { reason: string }, command: Command) => {
      if (!(SETTABLE_STATUSES as readonly string[]).includes(status)) {
        throw new CliUsageError(`status "${status}" is not one of ${SETTABLE_STATUSES.join(", ")}`);
      }
      const client = await ctx.client(command.optsWithGlobals<GlobalOptions>(), { signer: true });
      const result = await client.setLegalStatus(number, status as SettableStatusName, opts.reason);
      ctx.deps.out(`${number} is now ${status}: ${txLine(result)}`);
    });
}

/** `evaluate`: an enterprise expert's market evaluation (evaluator). */
export function evaluateCommand(program: Command, ctx: CliContext): void {
  program
    .command("evaluate")
    .description("record a market evaluation by an enterprise expert (evaluator role)")
    .argument("<number>", "CNIPA number")
    .requiredOption("--interest <0-100>", "market interest")
    .requiredOption("--improvement <0-100>", "need for further development")
    .requiredOption("--cooperation <0-100>", "willingness to cooperate")
    .option("--report-hash <hash>", "hash of the evaluation report", ZeroHash)
    .action(async (number: string, opts: { interest: string; improvement: string; cooperation: string; reportHash: string }, command: Command) => {
      const evaluation = {
        interest: parseScore(opts.interest, "--interest"),
        improvementNeed: parseScore(opts.improvement, "--improvement"),
        cooperationWillingness: parseScore(opts.cooperation, "--cooperation"),
        reportHash: parseBytes32(opts.reportHash, "--report-hash"),
      };
      const client = await ctx.client(command.optsWithGlobals<GlobalOptions>(), { signer: true });
      const result = await client.recordMarketEvaluation(number, evaluation);
      ctx.deps.out(`evaluation #${result.evaluationId} recorded for ${number}: ${txLine(result)}`);
    });
}

type InventoryOptions = Partial<Record<"readiness" | "willing" | "modes" | "selfScore" | "unitScore" | "scenarios", string>>;

/** `inventory`: the owner (or the registrar) updates survey fields; fields not given keep their value. */
export function inventoryCommand(program: Command, ctx: CliContext): void {
  program
    .command("inventory")
    .description("update a patent's survey fields (owner or registrar); fields not given are kept")
    .argument("<number>", "CNIPA number")
    .option("--readiness <1-9>", "technology readiness level")
    .option("--willing <yes|no>", "willing to commercialise")
    .option("--modes <modes>", 'preferred modes separated by "|" or ",": transfer, licence, equity')
    .option("--self-score <0-100>", "inventors' self-evaluation")
    .option("--unit-score <0-100>", "unit evaluation")
    .option("--scenarios <tags>", 'application scenarios separated by "|" or ","')
    .action(async (number: string, opts: InventoryOptions, command: Command) => {
      const fields: Partial<Record<InventoryFieldColumn, string>> = {
        readiness: opts.readiness,
        willing: opts.willing,
        modes: list(opts.modes, "|"),
        self_score: opts.selfScore,
        unit_score: opts.unitScore,
        scenarios: list(opts.scenarios, "|"),
      };
      for (const key of Object.keys(fields) as InventoryFieldColumn[]) if (fields[key] === undefined) delete fields[key];
      if (Object.keys(fields).length === 0) throw new CliUsageError("nothing to update: give at least one field");
      const client = await ctx.client(command.optsWithGlobals<GlobalOptions>(), { signer: true });
      const current = await client.getPatent(number);
      if (!current.record) throw new CliUsageError(`no registration record of ${number} found in the registry's events`);
      const checked = validateInventoryFields(fields, current.record.inventory);
      if (!checked.ok) throw new CliUsageError(`refused before sending: ${checked.reasons.join("; ")}`);
      const result = await client.updateInventory(number, checked.inventory);
      ctx.deps.out(`inventory of ${current.number} updated: ${txLine(result)}`);
    });
}

export function formatPatent(p: PatentView): string[] {
  const status = p.status === p.storedStatus ? p.status : `${p.status} (recorded: ${p.storedStatus})`;
  const lines = [
    `${p.number}  ${p.kind}  ${status}`,
    `  owner       ${p.owner}${accountLabel(p.owner)}`,
  ];
  if (p.record) {
    lines.push(`  title       ${p.record.title}`, `  ipc         ${p.record.ipc.join("; ")}`);
  }
  lines.push(
    `  filed       ${p.filingDate}`,
    `  granted     ${p.grantDate}`,
    `  expires     ${p.expiryDate}`,
    `  locks       ${p.locks.length ? p.locks.join(", ") : "none"}`,
  );
  const t = p.pendingTransfer;
  if (t) {
    lines.push(`  pending     transfer #${t.id} ${t.status} to ${t.to}${accountLabel(t.to)}${t.agreedDate ? ` (agreed ${t.agreedDate})` : ""}`);
  }
  if (p.record) {
    const inv = p.record.inventory;
    lines.push(
      `  inventory   readiness ${inv.readiness}, ${inv.willing ? "willing" : "not willing"}, modes ${inv.modes.join("|") || "none"}, ` +
        `self ${inv.selfScore || "-"}, unit ${inv.unitScore || "-"}, scenarios ${inv.scenarios.join("|") || "none"}`,
      `  dossier     ${p.record.dossierHash}`,
      `  registered  block ${p.record.registeredBlock}, tx ${p.record.registeredTx}`,
    );
  }
  return lines;
}

/** `patent`: the on-chain dossier of one patent. */
export function patentCommand(program: Command, ctx: CliContext): void {
  program
    .command("patent")
    .description("show a patent: owner, kind, legal status, dates, locks, pending transfer, registered record")
    .argument("<number>", "CNIPA number")
    .option("--json", "print JSON")
    .action(async (number: string, opts: { json?: boolean }, command: Command) => {
      const client = await ctx.client(command.optsWithGlobals<GlobalOptions>());
      const patent = await client.getPatent(number);
      if (opts.json) ctx.deps.out(toJson(patent));
      else for (const line of formatPatent(patent)) ctx.deps.out(line);
    });
}

