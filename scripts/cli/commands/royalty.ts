import type { Command } from "commander";
import { ZeroAddress, ZeroHash } from "ethers";
import { formatBps, formatUnitsExact, parseBps } from "../../../server/client";
import { CliUsageError, parseId, resolveAccount, toJson, txLine, type CliContext } from "../context";
import { globals, hash, sayApproval, usage, who, yuan } from "./rights-common";

interface SharesOptions {
  unit?: string;
  inventors?: string;
  tto?: string;
  inventorsAddress?: string;
  ttoAddress?: string;
  json?: boolean;
}

/** `royalty shares|report|pay|pay-fee|launch`: benefit shares and payments through the ledger. */
export function royaltyCommand(program: Command, ctx: CliContext): void {
  const royalty = program.command("royalty").description("licence fees and royalties, split between the unit, the inventors and the transfer office (收益分配)");

  royalty
    .command("shares")
    .description("the owner declares how licence income on a patent is shared (shares sum to 100%); without shares, shows the declaration")
    .argument("<number>", "CNIPA number")
    .option("--unit <rate>", 'the unit\'s share, e.g. "20%" (default: what the others leave)')
    .option("--inventors <rate>", 'the inventors\' share, e.g. "70%"', "0%")
    .option("--tto <rate>", 'the technology-transfer office\'s share, e.g. "10%"', "0%")
    .option("--inventors-address <account>", "payout address of the inventors")
    .option("--tto-address <account>", "payout address of the transfer office")
    .option("--json", "print JSON (when showing)")
    .action(async (number: string, opts: SharesOptions, command: Command) => {
      const declaring = opts.unit !== undefined || opts.inventorsAddress !== undefined || opts.ttoAddress !== undefined || opts.inventors !== "0%" || opts.tto !== "0%";
      if (!declaring) {
        const client = await ctx.client(globals(command));
        const s = await client.getShares(number);
        if (opts.json) ctx.deps.out(toJson(s));
        else if (!s.current) ctx.deps.out(`${s.patent}: no benefit shares declared by the current owner (the owner takes every payment)`);
        else {
          ctx.deps.out(`${s.patent}: declared by ${who(s.declaredBy!)}`);
          ctx.deps.out(`  unit        ${formatBps(s.unitBps)}`);
          ctx.deps.out(`  inventors   ${formatBps(s.inventorsBps)} to ${who(s.inventors)}`);
          ctx.deps.out(`  tto         ${formatBps(s.ttoBps)} to ${who(s.tto)}`);
        }
        return;
      }
      const inventorsBps = usage(() => parseBps(opts.inventors ?? "0%", "--inventors", { allowZero: true }));
      const ttoBps = usage(() => parseBps(opts.tto ?? "0%", "--tto", { allowZero: true }));
      const unitBps = opts.unit === undefined ? 10_000 - inventorsBps - ttoBps : usage(() => parseBps(opts.unit!, "--unit", { allowZero: true }));
      if (unitBps < 0 || unitBps + inventorsBps + ttoBps !== 10_000) {
        throw new CliUsageError(`--unit, --inventors and --tto must sum to 100% (they sum to ${formatBps(Math.max(0, unitBps) + inventorsBps + ttoBps)})`);
      }
      if (inventorsBps > 0 && opts.inventorsAddress === undefined) throw new CliUsageError("--inventors needs --inventors-address <account>");
      if (ttoBps > 0 && opts.ttoAddress === undefined) throw new CliUsageError("--tto needs --tto-address <account>");
      const shares = {
        unitBps,
        inventorsBps,
        ttoBps,
        inventors: opts.inventorsAddress === undefined ? ZeroAddress : resolveAccount(opts.inventorsAddress),
        tto: opts.ttoAddress === undefined ? ZeroAddress : resolveAccount(opts.ttoAddress),
      };
      const client = await ctx.client(globals(command), { signer: true });
      const r = await client.declareShares(number, shares);
      ctx.deps.out(`benefit shares of ${number} declared: unit ${formatBps(unitBps)}, inventors ${formatBps(inventorsBps)}, tto ${formatBps(ttoBps)}: ${txLine(r)}`);
    });

  royalty
    .command("report")
    .description("the licensee reports revenue under a running-royalty licence (or the revenue that triggers a deferred fee)")
    .argument("<licence-id>", "licence id")
    .requiredOption("--revenue <yuan>", "revenue in yuan (2 decimals at most)")
    .option("--report-hash <hash>", "hash of the revenue report", ZeroHash)
    .action(async (id: string, opts: { revenue: string; reportHash: string }, command: Command) => {
      const licenceId = parseId(id, "licence id");
      const revenue = yuan(opts.revenue, "--revenue");
      const reportHash = hash(opts.reportHash, "--report-hash");
      const client = await ctx.client(globals(command), { signer: true });
      const r = await client.reportRevenue(licenceId, revenue, reportHash);
      const fmt = (v: bigint) => (r.token ? `${formatUnitsExact(v, r.token.decimals)} ${r.token.symbol}` : String(v));
      ctx.deps.out(`revenue reported on licence #${licenceId}: royalty due ${fmt(r.due)}, owed ${fmt(r.owed)}: ${txLine(r)}`);
    });

  royalty
    .command("pay")
    .description("the licensee pays royalties owed, split at once (approves the Royalties contract when the allowance is short)")
    .argument("<licence-id>", "licence id")
    .option("--amount <yuan>", "amount in yuan (default: everything owed)")
    .action(async (id: string, opts: { amount?: string }, command: Command) => {
      const licenceId = parseId(id, "licence id");
      const amount = opts.amount === undefined ? undefined : yuan(opts.amount, "--amount");
      const client = await ctx.client(globals(command), { signer: true });
      const r = await client.payRoyalty(licenceId, amount);
      const paid = formatUnitsExact(r.amount, r.token.decimals);
      sayApproval(ctx, r.approval, "Royalties", r.token, paid);
      ctx.deps.out(`paid ${paid} ${r.token.symbol} of royalties on licence #${licenceId}: ${txLine(r)}`);
    });

  royalty
    .command("pay-fee")
    .description("the licensee pays the lump-sum or deferred fee of a licence, once (approves the Royalties contract when needed)")
    .argument("<licence-id>", "licence id")
    .action(async (id: string, _opts: unknown, command: Command) => {
      const licenceId = parseId(id, "licence id");
      const client = await ctx.client(globals(command), { signer: true });
      const r = await client.payFee(licenceId);
      const paid = formatUnitsExact(r.amount, r.token.decimals);
      sayApproval(ctx, r.approval, "Royalties", r.token, paid);
      ctx.deps.out(`paid the fee of ${paid} ${r.token.symbol} on licence #${licenceId}: ${txLine(r)}`);
    });

  royalty
    .command("launch")
    .description("the licensee notifies the launch of a product (the deferred fee of a use-first-pay-later licence falls due)")
    .argument("<licence-id>", "licence id")
    .option("--evidence-hash <hash>", "hash of the evidence", ZeroHash)
    .action(async (id: string, opts: { evidenceHash: string }, command: Command) => {
      const licenceId = parseId(id, "licence id");
      const evidence = hash(opts.evidenceHash, "--evidence-hash");
      const client = await ctx.client(globals(command), { signer: true });
      ctx.deps.out(`product launch recorded on licence #${licenceId}; its fee is now due: ${txLine(await client.recordLaunch(licenceId, evidence))}`);
    });
}
