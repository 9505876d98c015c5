import { Option, type Command } from "commander";
import { ZeroHash } from "ethers";
import { FeeMethod, FeeTrigger, LicenceKind } from "../../../server/chain/licensing";
import {
  FEE_TRIGGER_NAMES,
  formatBps,
  formatUnitsExact,
  LICENCE_KIND_NAMES,
  parseBps,
  parseFields,
  parseName,
  parseTerritories,
  type LedgerClient,
  type LicenceGrantInput,
  type LicenceView,
  type OpenLicenceView,
} from "../../../server/client";
import { CliUsageError, parseId, resolveAccount, toJson, txLine, type CliContext } from "../context";
import { date, globals, hash, sayApproval, tokenOption, usage, who, yuan } from "./rights-common";

interface FeeOptions {
  lumpSum?: string;
  royalty?: string;
  useFirstPayLater?: string;
  trigger?: string;
}

interface GrantOptions extends FeeOptions {
  to: string;
  kind?: string;
  fields: string;
  territories: string;
  from?: string;
  until: string;
  token?: string;
  contractHash: string;
  sublicensable?: boolean;
}

/** The fee terms of exactly one of --lump-sum, --royalty, --use-first-pay-later (with --trigger). */
export function feeOf(opts: FeeOptions): LicenceGrantInput["fee"] {
  const given = [opts.lumpSum, opts.royalty, opts.useFirstPayLater].filter((v) => v !== undefined).length;
  if (given !== 1) throw new CliUsageError("give exactly one fee: --lump-sum <yuan>, --royalty <percent|bps> or --use-first-pay-later <yuan> --trigger <...>");
  const none = { amountFen: 0n, royaltyBps: 0, trigger: FeeTrigger.None, triggerDay: 0 };
  if (opts.trigger !== undefined && opts.useFirstPayLater === undefined) throw new CliUsageError(`--trigger "${opts.trigger}" applies to --use-first-pay-later only`);
  if (opts.lumpSum !== undefined) return { ...none, method: FeeMethod.LumpSum, amountFen: yuan(opts.lumpSum, "--lump-sum") };
  if (opts.royalty !== undefined) return { ...none, method: FeeMethod.RunningRoyalty, royaltyBps: usage(() => parseBps(opts.royalty!, "--royalty")) };
  const amountFen = yuan(opts.useFirstPayLater!, "--use-first-pay-later");
  if (opts.trigger === undefined) throw new CliUsageError("--use-first-pay-later needs --trigger <YYYY-MM-DD|revenue-reported|product-launched>");
  if (/^\d{4}-\d{2}-\d{2}$/.test(opts.trigger)) {
    return { ...none, method: FeeMethod.UseFirstPayLater, amountFen, trigger: FeeTrigger.Date, triggerDay: date(opts.trigger, "--trigger") };
  }
  const trigger = usage(() => parseName({ [FeeTrigger.RevenueReported]: FEE_TRIGGER_NAMES[FeeTrigger.RevenueReported], [FeeTrigger.ProductLaunched]: FEE_TRIGGER_NAMES[FeeTrigger.ProductLaunched] }, opts.trigger!, "--trigger"));
  return { ...none, method: FeeMethod.UseFirstPayLater, amountFen, trigger };
}

const feeOptions = (c: Command) =>
  c
    .option("--lump-sum <yuan>", "fee: one amount in yuan (2 decimals at most)")
    .option("--royalty <rate>", 'fee: running royalty on reported revenue, "3%" or "300bps"')
    .option("--use-first-pay-later <yuan>", "fee: 先使用后付费, an amount in yuan due on --trigger")
    .option("--trigger <when>", "for --use-first-pay-later: a date YYYY-MM-DD, revenue-reported or product-launched");

const scopeOptions = (c: Command) =>
  c
    .requiredOption("--fields <classes>", 'fields of use: GB/T 4754 classes such as "C39,I" (server/chain/licensing.ts FIELD_CLASSES) or "all"')
    .requiredOption("--territories <codes>", 'territories: GB/T 2260 codes such as "51,50", "china" or "all"')
    .option("--from <YYYY-MM-DD>", "first day of the licence (default: today in China)")
    .requiredOption("--until <YYYY-MM-DD|expiry>", "the day the licence ends (not included); `expiry` for the patent's expiry")
    .option("--token <address>", "ERC-20 settlement token of the fees (default: the deployment's DemoSettlementToken)")
    .option("--contract-hash <hash>", "hash of the signed licence contract", ZeroHash);

async function grantInput(client: LedgerClient, number: string, opts: GrantOptions, kind: LicenceKind): Promise<LicenceGrantInput> {
  const fee = feeOf(opts);
  const fields = usage(() => parseFields(opts.fields));
  const territories = usage(() => parseTerritories(opts.territories));
  const startDay = opts.from === undefined ? await client.chainToday() : date(opts.from, "--from");
  const endDay = opts.until === "expiry" ? await client.expiryDay(number) : date(opts.until, "--until");
  if (endDay <= startDay) throw new CliUsageError(`--until ${opts.until} is not after the first day of the licence`);
  const licensee = resolveAccount(opts.to);
  const token = tokenOption(opts.token);
  return {
    licensee,
    kind,
    sublicensable: opts.sublicensable === true,
    fields,
    territories,
    startDay,
    endDay,
    fee,
    ...(token ? { token } : {}),
    contractHash: hash(opts.contractHash, "--contract-hash"),
  };
}

function feeText(l: Pick<LicenceView, "fee" | "token">): string {
  const amount = l.token ? `${formatUnitsExact(l.fee.amount, l.token.decimals)} ${l.token.symbol}` : String(l.fee.amount);
  if (l.fee.method === "running-royalty") return `running royalty ${formatBps(l.fee.royaltyBps)}`;
  if (l.fee.method === "lump-sum") return `lump sum ${amount}`;
  return `use first, pay later: ${amount} on ${l.fee.trigger === "date" ? l.fee.triggerDate : l.fee.trigger}`;
}

export function formatLicence(l: LicenceView): string[] {
  const unit = (v: bigint) => (l.token ? `${formatUnitsExact(v, l.token.decimals)} ${l.token.symbol}` : String(v));
  const a = l.account;
  return [
    `licence #${l.id}  ${l.patent}  ${l.kind}${l.open ? " (open licence)" : ""}  ${l.status}${l.endedDate ? ` ${l.endedDate}` : ""}`,
    `  licensee    ${who(l.licensee)}`,
    `  grantor     ${who(l.grantor)}${l.parentId ? ` (sublicence of #${l.parentId})` : ""}`,
    `  scope       fields ${l.scope.fields.join(",")}; territories ${l.scope.territories.join(",")}; ${l.scope.from} to ${l.scope.until} (excl.)`,
    `  fee         ${feeText(l)}${l.token ? ` (token ${l.token.address})` : ""}`,
    `  paid        ${unit(a.paid)} in ${a.payments} payment(s); owed ${unit(a.owed)}; revenue reported ${unit(a.revenue)}` +
      (l.fee.method === "running-royalty" ? "" : `; fee ${a.feePaid ? "paid" : a.feeDueDate ? `due since ${a.feeDueDate}` : "not paid"}`),
    `  granted     ${l.grantedDate}${l.sublicensable ? ", sublicensable" : ""}`,
    `  filed       ${l.filing ? `${l.filing.reference} on ${l.filing.date}${l.filing.late ? " (late)" : ""}` : "not yet (due within three months of the start)"}`,
    ...(l.proceedsTo ? [`  proceeds    fees go to ${who(l.proceedsTo)} (the pledgee's consent)`] : []),
    `  contract    ${l.contractHash}`,
  ];
}

function formatOpen(o: OpenLicenceView): string[] {
  if (!o.declared) return [`${o.patent}: no open licence declared`];
  const fee =
    o.method === "running-royalty"
      ? `running royalty ${formatBps(o.royaltyBps)}`
      : `lump sum ${o.token ? `${formatUnitsExact(o.amount, o.token.decimals)} ${o.token.symbol}` : String(o.amount)}`;
  return [`${o.patent}: open licence declared`, `  terms       ${fee}, ${o.termDays} days per licence, every field and territory`];
}

const KIND_NAMES = { [LicenceKind.Exclusive]: LICENCE_KIND_NAMES[LicenceKind.Exclusive], [LicenceKind.Sole]: LICENCE_KIND_NAMES[LicenceKind.Sole], [LicenceKind.NonExclusive]: LICENCE_KIND_NAMES[LicenceKind.NonExclusive] };

/** `licence grant|sublicence|file|terminate|expire|show|list` and `licence open declare|withdraw|take|show`. */
export function licenceCommand(program: Command, ctx: CliContext): void {
  const licence = program.command("licence").description("patent licences (专利实施许可) and open licences (开放许可)");

  feeOptions(
    scopeOptions(
      licence
        .command("grant")
        .description("the owner grants a licence; an exclusive or sole licence may not overlap another in time, territory and field")
        .argument("<number>", "CNIPA number")
        .requiredOption("--to <account>", "the licensee: an address or a demo account name")
        .addOption(new Option("--kind <kind>", "kind of licence").choices(Object.values(KIND_NAMES)).makeOptionMandatory())
        .option("--sublicensable", "the licensee may grant sublicences within its scope"),
    ),
  ).action(async (number: string, opts: GrantOptions, command: Command) => {
    const kind = usage(() => parseName(KIND_NAMES, opts.kind ?? "", "--kind"));
    const client = await ctx.client(globals(command), { signer: true });
    const input = await grantInput(client, number, opts, kind);
    const r = await client.grantLicence(number, input);
    ctx.deps.out(`licence #${r.licenceId} (${opts.kind}) of ${number} granted to ${who(input.licensee)}: ${txLine(r)}`);
  });

  feeOptions(
    scopeOptions(
      licence
        .command("sublicence")
        .description("the licensee of a sublicensable licence grants a sublicence within its scope")
        .argument("<parent-id>", "the parent licence")
        .requiredOption("--to <account>", "the sublicensee: an address or a demo account name"),
    ),
  ).action(async (parent: string, opts: GrantOptions, command: Command) => {
    const parentId = parseId(parent, "licence id");
    const client = await ctx.client(globals(command), { signer: true });
    const p = await client.getLicence(parentId);
    const input = await grantInput(client, p.patent, opts, LicenceKind.Sublicence);
    const r = await client.grantSublicence(parentId, input);
    ctx.deps.out(`sublicence #${r.licenceId} of licence #${parentId} granted to ${who(input.licensee)}: ${txLine(r)}`);
  });

  licence
    .command("file")
    .description("record the CNIPA filing of a licence contract (registrar); late when more than three months after the start")
    .argument("<id>", "licence id")
    .requiredOption("--reference <text>", "CNIPA filing reference (备案号)")
    .option("--date <YYYY-MM-DD>", "filing date (default: today in China)")
    .action(async (id: string, opts: { reference: string; date?: string }, command: Command) => {
      const licenceId = parseId(id, "licence id");
      const day = opts.date === undefined ? undefined : date(opts.date, "--date");
      const client = await ctx.client(globals(command), { signer: true });
      const r = await client.recordLicenceFiling(licenceId, opts.reference, day);
      const l = await client.getLicence(licenceId);
      ctx.deps.out(`licence #${licenceId} filed as ${opts.reference} on ${l.filing?.date}${l.filing?.late ? " (late)" : ""}: ${txLine(r)}`);
    });

  licence
    .command("terminate")
    .description("the owner (the parent's licensee for a sublicence) or the licensee ends a licence early; its sublicences are revoked")
    .argument("<id>", "licence id")
    .requiredOption("--reason <text>", "the reason")
    .action(async (id: string, opts: { reason: string }, command: Command) => {
      const licenceId = parseId(id, "licence id");
      const client = await ctx.client(globals(command), { signer: true });
      ctx.deps.out(`licence #${licenceId} terminated: ${txLine(await client.terminateLicence(licenceId, opts.reason))}`);
    });

  licence
    .command("expire")
    .description("close a licence on or after its end day (anyone)")
    .argument("<id>", "licence id")
    .action(async (id: string, _opts: unknown, command: Command) => {
      const licenceId = parseId(id, "licence id");
      const client = await ctx.client(globals(command), { signer: true });
      ctx.deps.out(`licence #${licenceId} expired: ${txLine(await client.expireLicence(licenceId))}`);
    });

  licence
    .command("show")
    .description("show a licence: parties, scope, fee, payments, filing")
    .argument("<id>", "licence id")
    .option("--json", "print JSON")
    .action(async (id: string, opts: { json?: boolean }, command: Command) => {
      const client = await ctx.client(globals(command));
      const l = await client.getLicence(parseId(id, "licence id"));
      if (opts.json) ctx.deps.out(toJson(l));
      else for (const line of formatLicence(l)) ctx.deps.out(line);
    });

  licence
    .command("list")
    .description("every licence granted on a patent, or to a licensee, in grant order")
    .argument("[number]", "CNIPA number")
    .option("--licensee <account>", "licences held by this account")
    .option("--json", "print JSON")
    .action(async (number: string | undefined, opts: { licensee?: string; json?: boolean }, command: Command) => {
      if (number === undefined && opts.licensee === undefined) throw new CliUsageError("give a CNIPA number or --licensee <account>");
      const licensee = opts.licensee === undefined ? undefined : resolveAccount(opts.licensee);
      const client = await ctx.client(globals(command));
      const list = await client.listLicences({ ...(number ? { patent: number } : {}), ...(licensee ? { licensee } : {}) });
      if (opts.json) {
        ctx.deps.out(toJson(list));
        return;
      }
      if (list.length === 0) ctx.deps.out("no licences");
      for (const l of list) {
        ctx.deps.out(`#${l.id}  ${l.patent}  ${l.kind}  ${l.status}  ${l.scope.from}..${l.scope.until}  ${feeText(l)}  ${who(l.licensee)}`);
      }
    });

  const open = licence.command("open").description("open licensing (开放许可, Patent Law arts. 50-52)");

  open
    .command("declare")
    .description("the owner declares public terms; anyone may then take a non-exclusive licence over every field and territory")
    .argument("<number>", "CNIPA number")
    .option("--lump-sum <yuan>", "fee per licence, in yuan, paid on taking it")
    .option("--royalty <rate>", 'running royalty, "3%" or "300bps"')
    .requiredOption("--term-days <n>", "each licence taken runs this many days (capped at the patent's expiry)")
    .option("--token <address>", "settlement token (default: the deployment's DemoSettlementToken)")
    .action(async (number: string, opts: { lumpSum?: string; royalty?: string; termDays: string; token?: string }, command: Command) => {
      if ((opts.lumpSum === undefined) === (opts.royalty === undefined)) throw new CliUsageError("give exactly one fee: --lump-sum <yuan> or --royalty <rate>");
      const termDays = Number(opts.termDays);
      if (!/^\d+$/.test(opts.termDays) || termDays < 1 || termDays > 0xffffffff) throw new CliUsageError(`--term-days "${opts.termDays}" is not a positive whole number of days`);
      const token = tokenOption(opts.token);
      const input =
        opts.lumpSum !== undefined
          ? { method: FeeMethod.LumpSum as const, amountFen: yuan(opts.lumpSum, "--lump-sum"), royaltyBps: 0, termDays }
          : { method: FeeMethod.RunningRoyalty as const, amountFen: 0n, royaltyBps: usage(() => parseBps(opts.royalty!, "--royalty")), termDays };
      const client = await ctx.client(globals(command), { signer: true });
      const r = await client.declareOpenLicence(number, { ...input, ...(token ? { token } : {}) });
      ctx.deps.out(`open licence declared on ${number}: ${txLine(r)}`);
    });

  open
    .command("withdraw")
    .description("the owner withdraws the declaration; licences already taken stay in force")
    .argument("<number>", "CNIPA number")
    .action(async (number: string, _opts: unknown, command: Command) => {
      const client = await ctx.client(globals(command), { signer: true });
      ctx.deps.out(`open licence on ${number} withdrawn: ${txLine(await client.withdrawOpenLicence(number))}`);
    });

  open
    .command("take")
    .description("take a licence under the declared terms by notice and payment (approves the Royalties contract for the fee when needed)")
    .argument("<number>", "CNIPA number")
    .option("--max-fee <yuan>", "the most you accept to pay (default: the declared fee)")
    .action(async (number: string, opts: { maxFee?: string }, command: Command) => {
      const maxFee = opts.maxFee === undefined ? undefined : usage(() => yuan(opts.maxFee!, "--max-fee"));
      const client = await ctx.client(globals(command), { signer: true });
      const r = await client.takeOpenLicence(number, maxFee);
      if (r.approval) {
        const token = await client.tokenInfo(r.approval.token);
        sayApproval(ctx, r.approval, "Royalties", token, formatUnitsExact(r.approval.amount, token.decimals));
      }
      ctx.deps.out(`open licence #${r.licenceId} of ${number} taken: ${txLine(r)}`);
    });

  open
    .command("show")
    .description("show the open-licence terms declared on a patent")
    .argument("<number>", "CNIPA number")
    .option("--json", "print JSON")
    .action(async (number: string, opts: { json?: boolean }, command: Command) => {
      const client = await ctx.client(globals(command));
      const o = await client.getOpenLicence(number);
      if (opts.json) ctx.deps.out(toJson(o));
      else for (const line of formatOpen(o)) ctx.deps.out(line);
    });
}
