import type { Command } from "commander";
import { ZeroHash } from "ethers";
import { BenefitRole, EquityForm } from "../../../server/chain/financing";
import {
  BENEFIT_ROLE_NAMES,
  formatBps,
  formatYuan,
  parseBps,
  parseCount,
  parseCurrency,
  parseName,
  type DealInput,
  type DealView,
  type WarrantView,
} from "../../../server/client";
import { CliUsageError, parseId, resolveAccount, toJson, txLine, type CliContext } from "../context";
import { date, globals, hash, numbers, usage, who, yuan } from "./rights-common";

const money = (amount: bigint, currency: string) => (currency === "CNY" ? `${formatYuan(amount)} CNY` : `${amount} (minor units of ${currency})`);

export function formatDeal(d: DealView): string[] {
  const equity = d.form === "shares" ? `${d.equity} shares` : `${formatBps(d.equity)} of the registered capital`;
  return [
    `equity deal #${d.id}  ${d.status}`,
    `  owner       ${who(d.owner)}`,
    `  company     ${who(d.company)} (${d.companyRegistration})`,
    `  patents     ${d.patents.join(", ")}`,
    `  valuation   ${money(d.valuation, d.currency)} for ${equity}`,
    ...d.benefitShares.map((s) => `  share       ${s.role} ${formatBps(s.bps)} to ${who(s.beneficiary)}`),
    `  proposed    ${d.proposedDate}`,
    `  executed    ${d.executedDate ?? (d.pendingTransfers > 0 ? `-, ${d.pendingTransfers} transfer(s) awaiting registration` : "-")}`,
    `  report      ${d.valuationReportHash}`,
    `  contract    ${d.contractHash}`,
  ];
}

export function formatWarrant(w: WarrantView): string[] {
  return [
    `warrant #${w.id}  ${w.status}${w.exercisedDate ? ` ${w.exercisedDate}` : ""}  (deal #${w.dealId})`,
    `  holder      ${who(w.holder)}`,
    `  company     ${who(w.company)}`,
    `  right       ${w.shares} shares at ${money(w.strike, w.currency)} each`,
    `  window      ${w.windowStart} to ${w.windowEnd} (incl.)`,
    `  trigger     ${w.triggerRequired ? `${w.trigger} (${w.triggerMet ? "met" : "not yet met"})` : "none"}`,
  ];
}

/** "inventor:<account>:70%" or "tto:<account>:10%". */
function benefitShare(text: string): DealInput["benefitShares"][number] {
  const m = /^([a-z-]+):([^:]+):(.+)$/.exec(text.trim());
  if (!m) throw new CliUsageError(`--share "${text}": expected role:account:rate, e.g. inventor:0x…:70% or tto:scu:10%`);
  const role = usage(() => parseName<BenefitRole>(BENEFIT_ROLE_NAMES, m[1]!, "--share role"));
  return { role, beneficiary: resolveAccount(m[2]!), bps: usage(() => parseBps(m[3]!, "--share")) };
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

interface ProposeOptions {
  company: string;
  patents: string;
  valuation: string;
  currency: string;
  shares?: string;
  capital?: string;
  share?: string[];
  registration: string;
  valuationReportHash: string;
  contractHash: string;
}

/** `equity propose|accept|cancel|execute|show`: equity for technology (作价入股). */
export function equityCommand(program: Command, ctx: CliContext): void {
  const equity = program.command("equity").description("equity for technology (作价入股): contribute patents to a company for equity");

  equity
    .command("propose")
    .description("the owner proposes to contribute patents to a company for shares or a fraction of its capital")
    .requiredOption("--company <account>", "the company: an address or a demo account name")
    .requiredOption("--patents <numbers>", "CNIPA numbers separated by commas")
    .requiredOption("--valuation <yuan>", "agreed valuation of the patents in yuan")
    .option("--currency <code>", "ISO 4217 currency", "CNY")
    .option("--shares <n>", "consideration: a number of shares")
    .option("--capital <rate>", 'consideration: a fraction of the registered capital, e.g. "8%" or "800bps"')
    .option("--share <role:account:rate>", "a benefit share of the consideration (inventor or tto), repeatable", collect)
    .requiredOption("--registration <code>", "the company's registration reference (统一社会信用代码)")
    .option("--valuation-report-hash <hash>", "hash of the valuation report", ZeroHash)
    .option("--contract-hash <hash>", "hash of the contribution contract", ZeroHash)
    .action(async (opts: ProposeOptions, command: Command) => {
      if ((opts.shares === undefined) === (opts.capital === undefined)) throw new CliUsageError("give exactly one consideration: --shares <n> or --capital <rate>");
      const input: DealInput = {
        company: resolveAccount(opts.company),
        patents: numbers(opts.patents, "--patents"),
        valuationFen: yuan(opts.valuation, "--valuation"),
        currency: usage(() => parseCurrency(opts.currency)),
        form: opts.shares !== undefined ? EquityForm.Shares : EquityForm.BasisPoints,
        equity: opts.shares !== undefined ? usage(() => parseCount(opts.shares!, "--shares")) : BigInt(usage(() => parseBps(opts.capital!, "--capital"))),
        benefitShares: (opts.share ?? []).map(benefitShare),
        companyRegistration: opts.registration,
        valuationReportHash: hash(opts.valuationReportHash, "--valuation-report-hash"),
        contractHash: hash(opts.contractHash, "--contract-hash"),
      };
      const client = await ctx.client(globals(command), { signer: true });
      const r = await client.proposeDeal(input);
      ctx.deps.out(`equity deal #${r.dealId} proposed: ${input.patents.join(", ")} to ${who(input.company)}: ${txLine(r)}`);
    });

  equity
    .command("accept")
    .description("the company accepts; every patent is locked for the contribution (a pledged patent needs the bank's consent)")
    .argument("<id>", "deal id")
    .action(async (id: string, _opts: unknown, command: Command) => {
      const dealId = parseId(id, "deal id");
      const client = await ctx.client(globals(command), { signer: true });
      ctx.deps.out(`equity deal #${dealId} accepted: ${txLine(await client.acceptDeal(dealId))}`);
    });

  equity
    .command("cancel")
    .description("the owner or the company cancels a deal not yet executing")
    .argument("<id>", "deal id")
    .action(async (id: string, _opts: unknown, command: Command) => {
      const dealId = parseId(id, "deal id");
      const client = await ctx.client(globals(command), { signer: true });
      ctx.deps.out(`equity deal #${dealId} cancelled: ${txLine(await client.cancelDeal(dealId))}`);
    });

  equity
    .command("execute")
    .description("the owner or the company executes an accepted deal: transfers to the company are agreed and await registration")
    .argument("<id>", "deal id")
    .action(async (id: string, _opts: unknown, command: Command) => {
      const dealId = parseId(id, "deal id");
      const client = await ctx.client(globals(command), { signer: true });
      const r = await client.executeDeal(dealId);
      ctx.deps.out(`equity deal #${dealId} executing: transfer(s) ${r.transferIds.map((t) => `#${t}`).join(", ")} await registration (\`transfer register\`): ${txLine(r)}`);
    });

  equity
    .command("show")
    .description("show an equity deal")
    .argument("<id>", "deal id")
    .option("--json", "print JSON")
    .action(async (id: string, opts: { json?: boolean }, command: Command) => {
      const client = await ctx.client(globals(command));
      const d = await client.getDeal(parseId(id, "deal id"));
      if (opts.json) ctx.deps.out(toJson(d));
      else for (const line of formatDeal(d)) ctx.deps.out(line);
    });
}

/** `warrant grant|trigger|exercise|expire|show`: subscription rights (科技成果+认股权). */
export function warrantCommand(program: Command, ctx: CliContext): void {
  const warrant = program.command("warrant").description("warrants: subscription rights granted with an equity deal (科技成果+认股权)");

  warrant
    .command("grant")
    .description("the company of a deal grants a subscription right to its owner or a beneficiary")
    .argument("<deal-id>", "deal id")
    .requiredOption("--holder <account>", "the owner unit or a beneficiary of the deal")
    .requiredOption("--shares <n>", "number of shares")
    .requiredOption("--strike <yuan>", "price per share in yuan")
    .requiredOption("--window-start <YYYY-MM-DD>", "first day of exercise")
    .requiredOption("--window-end <YYYY-MM-DD>", "last day of exercise")
    .option("--trigger <text>", 'the event the company must record before exercise, e.g. "Series A closes"')
    .action(
      async (
        id: string,
        opts: { holder: string; shares: string; strike: string; windowStart: string; windowEnd: string; trigger?: string },
        command: Command,
      ) => {
        const dealId = parseId(id, "deal id");
        const input = {
          holder: resolveAccount(opts.holder),
          shares: usage(() => parseCount(opts.shares, "--shares")),
          strikeFen: yuan(opts.strike, "--strike"),
          windowStartDay: date(opts.windowStart, "--window-start"),
          windowEndDay: date(opts.windowEnd, "--window-end"),
          trigger: opts.trigger ?? "",
        };
        if (opts.trigger !== undefined && opts.trigger.trim() === "") throw new CliUsageError('--trigger "": describe the triggering event');
        if (input.windowEndDay < input.windowStartDay) throw new CliUsageError(`--window-end ${opts.windowEnd} is before --window-start ${opts.windowStart}`);
        const client = await ctx.client(globals(command), { signer: true });
        const r = await client.grantWarrant(dealId, input);
        ctx.deps.out(`warrant #${r.warrantId} granted to ${who(input.holder)}: ${txLine(r)}`);
      },
    );

  warrant
    .command("trigger")
    .description("the company records that a warrant's trigger has occurred")
    .argument("<id>", "warrant id")
    .action(async (id: string, _opts: unknown, command: Command) => {
      const warrantId = parseId(id, "warrant id");
      const client = await ctx.client(globals(command), { signer: true });
      ctx.deps.out(`warrant #${warrantId}: trigger recorded: ${txLine(await client.recordWarrantTrigger(warrantId))}`);
    });

  warrant
    .command("exercise")
    .description("the holder exercises a warrant within its window (after its trigger, if any)")
    .argument("<id>", "warrant id")
    .action(async (id: string, _opts: unknown, command: Command) => {
      const warrantId = parseId(id, "warrant id");
      const client = await ctx.client(globals(command), { signer: true });
      ctx.deps.out(`warrant #${warrantId} exercised: ${txLine(await client.exerciseWarrant(warrantId))}`);
    });

  warrant
    .command("expire")
    .description("mark a warrant expired once its window has ended (anyone)")
    .argument("<id>", "warrant id")
    .action(async (id: string, _opts: unknown, command: Command) => {
      const warrantId = parseId(id, "warrant id");
      const client = await ctx.client(globals(command), { signer: true });
      ctx.deps.out(`warrant #${warrantId} expired: ${txLine(await client.expireWarrant(warrantId))}`);
    });

  warrant
    .command("show")
    .description("show a warrant")
    .argument("<id>", "warrant id")
    .option("--json", "print JSON")
    .action(async (id: string, opts: { json?: boolean }, command: Command) => {
      const client = await ctx.client(globals(command));
      const w = await client.getWarrant(parseId(id, "warrant id"));
      if (opts.json) ctx.deps.out(toJson(w));
      else for (const line of formatWarrant(w)) ctx.deps.out(line);
    });
}
