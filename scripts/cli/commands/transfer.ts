import type { Command } from "commander";
import { ZeroHash } from "ethers";
import { dayOf } from "../../../server/chain/cnipa";
import type { TransferView } from "../../../server/client";
import { CliUsageError, parseBytes32, parseId, resolveAccount, toJson, txLine, type CliContext, type GlobalOptions } from "../context";
import { accountLabel } from "./patents";

export function formatTransfer(t: TransferView): string[] {
  return [
    `transfer #${t.id}  ${t.patent}  ${t.status}`,
    `  from        ${t.from}${accountLabel(t.from)}`,
    `  to          ${t.to}${accountLabel(t.to)}`,
    `  agreed      ${t.agreedDate ?? "-"}`,
    `  contract    ${t.contractHash}`,
    ...(t.initiator ? [`  agreed by   module ${t.initiator}`] : []),
  ];
}

/** `transfer propose|accept|register|refuse|cancel|show`: the two-step transfer of a patent. */
export function transferCommand(program: Command, ctx: CliContext): void {
  const transfer = program.command("transfer").description("transfers: agreed by owner and buyer, then registered by the registrar");
  const globals = (command: Command) => command.optsWithGlobals<GlobalOptions>();

  transfer
    .command("propose")
    .description("the owner signs a transfer of a patent to a buyer; the patent is locked until it ends")
    .argument("<number>", "CNIPA number")
    .requiredOption("--to <account>", "the buyer: an address or a demo account name")
    .option("--contract-hash <hash>", "hash of the signed transfer contract", ZeroHash)
    .action(async (number: string, opts: { to: string; contractHash: string }, command: Command) => {
      const to = resolveAccount(opts.to);
      const contractHash = parseBytes32(opts.contractHash, "--contract-hash");
      const client = await ctx.client(globals(command), { signer: true });
      const result = await client.proposeTransfer(number, to, contractHash);
      ctx.deps.out(`transfer #${result.transferId} of ${number} to ${to}${accountLabel(to)} proposed: ${txLine(result)}`);
    });

  transfer
    .command("accept")
    .description("the buyer signs a proposed transfer; it then awaits registration")
    .argument("<id>", "transfer id")
    .action(async (id: string, _opts: unknown, command: Command) => {
      const transferId = parseId(id, "transfer id");
      const client = await ctx.client(globals(command), { signer: true });
      ctx.deps.out(`transfer #${transferId} agreed: ${txLine(await client.acceptTransfer(transferId))}`);
    });

  transfer
    .command("register")
    .description("register an agreed transfer with CNIPA's reference and date; the patent moves (registrar)")
    .argument("<id>", "transfer id")
    .requiredOption("--reference <text>", "CNIPA registration reference")
    .option("--date <YYYY-MM-DD>", "registration date (default: today in China)")
    .action(async (id: string, opts: { reference: string; date?: string }, command: Command) => {
      const transferId = parseId(id, "transfer id");
      if (opts.date !== undefined) {
        try {
          dayOf(opts.date);
        } catch (err) {
          throw new CliUsageError(`--date: ${(err as Error).message}`);
        }
      }
      const client = await ctx.client(globals(command), { signer: true });
      const result = await client.registerTransfer(transferId, opts.reference, opts.date);
      const t = await client.getTransfer(transferId);
      ctx.deps.out(`transfer #${transferId} registered: ${t.patent} now belongs to ${t.to}${accountLabel(t.to)}: ${txLine(result)}`);
    });

  transfer
    .command("refuse")
    .description("record that CNIPA refused registration; the owner is unchanged (registrar)")
    .argument("<id>", "transfer id")
    .requiredOption("--reason <text>", "the reason given by CNIPA")
    .action(async (id: string, opts: { reason: string }, command: Command) => {
      const transferId = parseId(id, "transfer id");
      const client = await ctx.client(globals(command), { signer: true });
      ctx.deps.out(`transfer #${transferId} refused: ${txLine(await client.refuseTransfer(transferId, opts.reason))}`);
    });

  transfer
    .command("cancel")
    .description("either party withdraws a transfer not yet registered")
    .argument("<id>", "transfer id")
    .action(async (id: string, _opts: unknown, command: Command) => {
      const transferId = parseId(id, "transfer id");
      const client = await ctx.client(globals(command), { signer: true });
      ctx.deps.out(`transfer #${transferId} cancelled: ${txLine(await client.cancelTransfer(transferId))}`);
    });

  transfer
    .command("show")
    .description("show a transfer")
    .argument("<id>", "transfer id")
    .option("--json", "print JSON")
    .action(async (id: string, opts: { json?: boolean }, command: Command) => {
      const client = await ctx.client(globals(command));
      const t = await client.getTransfer(parseId(id, "transfer id"));
      if (opts.json) ctx.deps.out(toJson(t));
      else for (const line of formatTransfer(t)) ctx.deps.out(line);
    });
}
