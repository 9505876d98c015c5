import type { Command } from "commander";
import type { ValuationMethod } from "../../../server/chain/financing";
import { formatYuan, parseCurrency, parseName, VALUATION_METHOD_NAMES, type ValuationView } from "../../../server/client";
import { toJson, txLine, type CliContext } from "../context";
import { date, globals, hash, usage, who, yuan } from "./rights-common";

function formatValuation(v: ValuationView): string {
  const amount = v.currency === "CNY" ? `${formatYuan(v.amount)} CNY` : `${v.amount} (minor units of ${v.currency})`;
  return `#${v.index}  ${v.date}  ${amount}  ${v.method}  by ${who(v.appraiser)}  report ${v.reportHash}`;
}

/** `value <number>`: an appraiser records a valuation; `valuation show <number>`: the history, latest last. */
export function valuationCommand(program: Command, ctx: CliContext): void {
  program
    .command("value")
    .description("record an appraisal of a patent (appraiser role) for banks to read")
    .argument("<number>", "CNIPA number")
    .requiredOption("--amount <yuan>", "appraised value in yuan (2 decimals at most)")
    .option("--currency <code>", "ISO 4217 currency", "CNY")
    .requiredOption("--method <method>", Object.values(VALUATION_METHOD_NAMES).join("|") + " (资产评估准则: 成本法、市场法、收益法)")
    .requiredOption("--date <YYYY-MM-DD>", "valuation base day (评估基准日), not in the future")
    .requiredOption("--report-hash <hash>", "hash of the appraisal report")
    .action(async (number: string, opts: { amount: string; currency: string; method: string; date: string; reportHash: string }, command: Command) => {
      const v = {
        amountFen: yuan(opts.amount, "--amount"),
        currency: usage(() => parseCurrency(opts.currency)),
        method: usage(() => parseName<ValuationMethod>(VALUATION_METHOD_NAMES, opts.method, "--method")),
        day: date(opts.date, "--date"),
        reportHash: hash(opts.reportHash, "--report-hash"),
      };
      const client = await ctx.client(globals(command), { signer: true });
      const r = await client.recordValuation(number, v);
      ctx.deps.out(`valuation #${r.index} of ${number} recorded: ${opts.amount} ${opts.currency} (${opts.method}, ${opts.date}): ${txLine(r)}`);
    });

  program
    .command("valuation")
    .description("valuations of a patent")
    .command("show")
    .description("every valuation of a patent, oldest first (the latest is the last line)")
    .argument("<number>", "CNIPA number")
    .option("--json", "print JSON")
    .action(async (number: string, opts: { json?: boolean }, command: Command) => {
      const client = await ctx.client(globals(command));
      const list = await client.getValuations(number);
      if (opts.json) ctx.deps.out(toJson(list));
      else if (list.length === 0) ctx.deps.out(`${number}: no valuations`);
      else for (const v of list) ctx.deps.out(formatValuation(v));
    });
}
