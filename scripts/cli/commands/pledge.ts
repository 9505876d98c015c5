import type { Command } from "commander";
import { ZeroAddress, ZeroHash } from "ethers";
import { CONSENT_ACT_NAMES, formatUnitsExact, formatYuan, parseCurrency, parseName, ROUTE_NAMES, type PledgeView } from "../../../server/client";
import type { Act } from "../../../server/chain/roles";
import type { ProceedsRoute } from "../../../server/chain/financing";
import { CliUsageError, parseId, resolveAccount, toJson, txLine, type CliContext } from "../context";
import { accountOrAny, date, globals, hash, numbers, sayApproval, tokenOption, usage, who, yuan } from "./rights-common";

export function formatPledge(p: PledgeView): string[] {
  const amount = p.currency === "CNY" ? `${formatYuan(p.securedAmount)} CNY` : `${p.securedAmount} (minor units of ${p.currency})`;
  return [
    `pledge #${p.id}  ${p.status}`,
    `  pledgee     ${who(p.pledgee)}`,
    `  secured     ${amount}, term ends ${p.termEndDate}`,
    ...p.patents.map((e) => `  patent      ${e.patent}  ${e.status}  pledgor ${who(e.pledgor)}${e.auctionId ? `  auction #${e.auctionId}` : ""}`),
    `  consents    ${p.parties.map((x) => `${x.account}${x.consented ? " yes" : " no"}`).join("; ")} (${p.consentsMissing} missing)`,
    `  agreed      ${p.agreedDate ?? "-"}`,
    `  registered  ${p.registrationDate ?? "-"}`,
    ...(p.recovered > 0n ? [`  recovered   ${p.currency === "CNY" ? `${formatYuan(p.recovered)} CNY` : String(p.recovered)}`] : []),
    `  contract    ${p.contractHash}`,
  ];
}

const act = (text: string) => usage(() => parseName<Act>(CONSENT_ACT_NAMES, text, "--act"));
const route = (text: string) => usage(() => parseName<ProceedsRoute>(ROUTE_NAMES, text, "--route"));

/**
 * `pledge propose|consent|withdraw|register|refuse|release|allow|revoke|deposit|default|show|list`:
 * patent pledges (专利权质押) from proposal to registration, consents to acts, release or disposal.
 */
export function pledgeCommand(program: Command, ctx: CliContext): void {
  const pledge = program.command("pledge").description("patent pledges (专利权质押): agreed by the parties, registered by the registrar");

  pledge
    .command("propose")
    .description("the bank or a pledgor proposes a pledge over one or more patents (each pledged by its owner); they are locked at once")
    .requiredOption("--pledgee <account>", "the bank: an address or a demo account name")
    .requiredOption("--patents <numbers>", "CNIPA numbers separated by commas (a portfolio may span owners, 集合授信)")
    .requiredOption("--amount <yuan>", "secured amount in yuan (minor unit of the currency)")
    .option("--currency <code>", "ISO 4217 currency", "CNY")
    .requiredOption("--term-end <YYYY-MM-DD>", "last day of the debt term (before each patent's expiry)")
    .requiredOption("--loan-ref <text>", "the bank's loan or contract reference")
    .option("--contract-hash <hash>", "hash of the pledge contract", ZeroHash)
    .action(
      async (
        opts: { pledgee: string; patents: string; amount: string; currency: string; termEnd: string; loanRef: string; contractHash: string },
        command: Command,
      ) => {
        const input = {
          pledgee: resolveAccount(opts.pledgee),
          patents: numbers(opts.patents, "--patents"),
          securedFen: yuan(opts.amount, "--amount"),
          currency: usage(() => parseCurrency(opts.currency)),
          termEndDay: date(opts.termEnd, "--term-end"),
          loanReference: opts.loanRef,
          contractHash: hash(opts.contractHash, "--contract-hash"),
        };
        const client = await ctx.client(globals(command), { signer: true });
        const r = await client.proposePledge(input);
        ctx.deps.out(`pledge #${r.pledgeId} of ${input.patents.join(", ")} to ${who(input.pledgee)} proposed: ${txLine(r)}`);
      },
    );

  pledge
    .command("consent")
    .description("a party (the bank, or a pledgor for its patents) consents to a proposed pledge")
    .argument("<id>", "pledge id")
    .action(async (id: string, _opts: unknown, command: Command) => {
      const pledgeId = parseId(id, "pledge id");
      const client = await ctx.client(globals(command), { signer: true });
      const r = await client.consentPledge(pledgeId);
      ctx.deps.out(`pledge #${pledgeId} consented${r.agreed ? "; every party agreed: it awaits registration" : ""}: ${txLine(r)}`);
    });

  pledge
    .command("withdraw")
    .description("a party withdraws a pledge not yet registered; its patents are unlocked")
    .argument("<id>", "pledge id")
    .action(async (id: string, _opts: unknown, command: Command) => {
      const pledgeId = parseId(id, "pledge id");
      const client = await ctx.client(globals(command), { signer: true });
      ctx.deps.out(`pledge #${pledgeId} withdrawn: ${txLine(await client.withdrawPledge(pledgeId))}`);
    });

  pledge
    .command("register")
    .description("register an agreed pledge with CNIPA's reference and date (registrar): legally effective")
    .argument("<id>", "pledge id")
    .requiredOption("--reference <text>", "CNIPA pledge registration number (质押登记号)")
    .option("--date <YYYY-MM-DD>", "registration date (default: today in China)")
    .action(async (id: string, opts: { reference: string; date?: string }, command: Command) => {
      const pledgeId = parseId(id, "pledge id");
      const day = opts.date === undefined ? undefined : date(opts.date, "--date");
      const client = await ctx.client(globals(command), { signer: true });
      ctx.deps.out(`pledge #${pledgeId} registered as ${opts.reference}: ${txLine(await client.registerPledge(pledgeId, opts.reference, day))}`);
    });

  pledge
    .command("refuse")
    .description("record that CNIPA refused to register an agreed pledge (registrar); its patents are unlocked")
    .argument("<id>", "pledge id")
    .requiredOption("--reason <text>", "the reason given by CNIPA")
    .action(async (id: string, opts: { reason: string }, command: Command) => {
      const pledgeId = parseId(id, "pledge id");
      const client = await ctx.client(globals(command), { signer: true });
      ctx.deps.out(`pledge #${pledgeId} refused: ${txLine(await client.refusePledge(pledgeId, opts.reason))}`);
    });

  pledge
    .command("release")
    .description("the bank releases a registered (or defaulted) pledge; escrowed proceeds go to the pledgors")
    .argument("<id>", "pledge id")
    .action(async (id: string, _opts: unknown, command: Command) => {
      const pledgeId = parseId(id, "pledge id");
      const client = await ctx.client(globals(command), { signer: true });
      ctx.deps.out(`pledge #${pledgeId} released: ${txLine(await client.releasePledge(pledgeId))}`);
    });

  pledge
    .command("allow")
    .description("the bank consents to one act on one pledged patent with one counterparty (Civil Code art. 444); used up by the act")
    .argument("<id>", "pledge id")
    .argument("<number>", "CNIPA number of the pledged patent")
    .requiredOption("--act <act>", Object.values(CONSENT_ACT_NAMES).join("|"))
    .requiredOption("--counterparty <account>", "the buyer, licensee, venue or company; `any` for any counterparty")
    .requiredOption("--route <route>", "where the proceeds go: repay (early repayment to the bank) or escrow (held for the pledge)")
    .action(async (id: string, number: string, opts: { act: string; counterparty: string; route: string }, command: Command) => {
      const pledgeId = parseId(id, "pledge id");
      const a = act(opts.act);
      const r = route(opts.route);
      const counterparty = accountOrAny(opts.counterparty);
      const client = await ctx.client(globals(command), { signer: true });
      const res = await client.allowAct(pledgeId, number, a, counterparty, r);
      const party = counterparty === ZeroAddress ? "anyone" : who(counterparty);
      ctx.deps.out(`pledge #${pledgeId}: ${opts.act} of ${number} with ${party} allowed, proceeds to ${opts.route}: ${txLine(res)}`);
    });

  pledge
    .command("revoke")
    .description("the bank withdraws a consent not yet used")
    .argument("<id>", "pledge id")
    .argument("<number>", "CNIPA number of the pledged patent")
    .requiredOption("--act <act>", Object.values(CONSENT_ACT_NAMES).join("|"))
    .requiredOption("--counterparty <account>", "as given to `pledge allow`; `any` for any counterparty")
    .action(async (id: string, number: string, opts: { act: string; counterparty: string }, command: Command) => {
      const pledgeId = parseId(id, "pledge id");
      const a = act(opts.act);
      const counterparty = accountOrAny(opts.counterparty);
      const client = await ctx.client(globals(command), { signer: true });
      ctx.deps.out(`pledge #${pledgeId}: consent to ${opts.act} of ${number} revoked: ${txLine(await client.revokeAct(pledgeId, number, a, counterparty))}`);
    });

  pledge
    .command("deposit")
    .description("the pledgor deposits proceeds routed to escrow for the pledge of a patent (approves the Pledges contract when needed)")
    .argument("<number>", "CNIPA number")
    .requiredOption("--amount <yuan>", "amount in yuan")
    .option("--token <address>", "settlement token (default: the deployment's DemoSettlementToken)")
    .action(async (number: string, opts: { amount: string; token?: string }, command: Command) => {
      const amount = yuan(opts.amount, "--amount");
      const token = tokenOption(opts.token);
      const client = await ctx.client(globals(command), { signer: true });
      const r = await client.depositProceeds(number, amount, token);
      const shown = formatUnitsExact(r.amount, r.token.decimals);
      sayApproval(ctx, r.approval, "Pledges", r.token, shown);
      ctx.deps.out(`deposited ${shown} ${r.token.symbol} for the pledge of ${number}: ${txLine(r)}`);
    });

  pledge
    .command("default")
    .description("on default the bank offers pledged patents at auction (startDisposal): pledgee paid first, surplus to the pledgor")
    .argument("<id>", "pledge id")
    .requiredOption("--patents <numbers>", "CNIPA numbers to sell, separated by commas")
    .requiredOption("--reserves <yuan>", "reserve price of each patent in yuan (no thousands separators), separated by commas, in the order of --patents")
    .option("--days <n>", "bidding closes this many days from now (by the chain's clock)", "7")
    .option("--token <address>", "settlement token of the bids (default: the deployment's DemoSettlementToken)")
    .action(async (id: string, opts: { patents: string; reserves: string; days: string; token?: string }, command: Command) => {
      const pledgeId = parseId(id, "pledge id");
      const patents = numbers(opts.patents, "--patents");
      const reserves = opts.reserves.split(/[\s,;]+/).filter((s) => s.length > 0).map((r) => yuan(r, "--reserves"));
      if (reserves.length !== patents.length) {
        throw new CliUsageError(`--reserves "${opts.reserves}": ${reserves.length} reserve(s) for ${patents.length} patent(s)`);
      }
      if (!/^\d+$/.test(opts.days) || Number(opts.days) < 1 || Number(opts.days) > 365) throw new CliUsageError(`--days "${opts.days}" is not a whole number 1-365`);
      const token = tokenOption(opts.token);
      const client = await ctx.client(globals(command), { signer: true });
      const endTime = (await client.chainTime()) + Number(opts.days) * 86_400;
      const r = await client.startDisposal(pledgeId, patents, reserves, endTime, token);
      ctx.deps.out(`pledge #${pledgeId} in default: disposal of ${patents.join(", ")} started, bidding closes ${new Date(endTime * 1000).toISOString()}: ${txLine(r)}`);
    });

  pledge
    .command("show")
    .description("show a pledge: parties and consents, patents and their state, term, registration")
    .argument("<id>", "pledge id")
    .option("--json", "print JSON")
    .action(async (id: string, opts: { json?: boolean }, command: Command) => {
      const client = await ctx.client(globals(command));
      const p = await client.getPledge(parseId(id, "pledge id"));
      if (opts.json) ctx.deps.out(toJson(p));
      else for (const line of formatPledge(p)) ctx.deps.out(line);
    });

  pledge
    .command("list")
    .description("pledges of a bank, of a pledgor, or covering a patent, in proposal order")
    .option("--pledgee <account>", "the bank")
    .option("--pledgor <account>", "a pledgor")
    .option("--patent <number>", "a CNIPA number")
    .option("--json", "print JSON")
    .action(async (opts: { pledgee?: string; pledgor?: string; patent?: string; json?: boolean }, command: Command) => {
      if (opts.pledgee === undefined && opts.pledgor === undefined && opts.patent === undefined) {
        throw new CliUsageError("give --pledgee, --pledgor or --patent");
      }
      const filter = {
        ...(opts.pledgee ? { pledgee: resolveAccount(opts.pledgee) } : {}),
        ...(opts.pledgor ? { pledgor: resolveAccount(opts.pledgor) } : {}),
        ...(opts.patent ? { patent: opts.patent } : {}),
      };
      const client = await ctx.client(globals(command));
      const list = await client.listPledges(filter);
      if (opts.json) {
        ctx.deps.out(toJson(list));
        return;
      }
      if (list.length === 0) ctx.deps.out("no pledges");
      for (const p of list) {
        const amount = p.currency === "CNY" ? `${formatYuan(p.securedAmount)} CNY` : `${p.securedAmount} ${p.currency}`;
        ctx.deps.out(`#${p.id}  ${p.status}  ${amount}  until ${p.termEndDate}  ${p.patents.map((e) => e.patent).join(",")}  pledgee ${who(p.pledgee)}`);
      }
    });
}
