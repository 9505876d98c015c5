import type { Command } from "commander";
import type { Provider, Signer } from "ethers";
import { confirm, LedgerClientError, withRevertDecoding, type LedgerClient } from "../../../server/client";
import { Venues__factory } from "../../../typechain-types";
import { CliUsageError, resolveAccount, txLine, type CliContext, type GlobalOptions } from "../context";

/** Basis points 0-10000 ("150" or "1.5%"). */
export function parseBps(text: string, what = "--fee"): number {
  const pct = /^(\d{1,3})(?:\.(\d{1,2}))?%$/.exec(text);
  const bps = pct ? Number(pct[1]) * 100 + Number((pct[2] ?? "").padEnd(2, "0")) : /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(bps) || bps > 10_000) throw new CliUsageError(`${what} "${text}": basis points 0-10000 (e.g. 150) or a percentage (e.g. 1.5%)`);
  return bps;
}

/** `venue open|show`: an exchange venue (holder of the VENUE role) opens itself with its fee; anyone reads a venue. */
export function venueCommand(program: Command, ctx: CliContext): void {
  const venue = program.command("venue").description("exchange venues: open a venue (venue account), show one");
  const venuesOf = async (command: Command, signer: boolean) => {
    const base: LedgerClient = await ctx.client(command.optsWithGlobals<GlobalOptions>(), { signer });
    const address = base.deployments.contracts.Venues;
    if (!address) throw new LedgerClientError("the deployments file names no Venues contract");
    return { base, venues: Venues__factory.connect(address, base.runner) };
  };

  venue
    .command("open")
    .description("open the signing venue account on the exchange with its fee (VENUE role)")
    .argument("<name>", "the venue's name, e.g. 重庆知识产权交易中心")
    .requiredOption("--fee <bps>", "the venue's fee on each trade: basis points (150) or a percentage (1.5%)")
    .action(async (name: string, o: { fee: string }, command: Command) => {
      const feeBps = parseBps(o.fee);
      if (name.trim() === "") throw new CliUsageError("the venue's name must not be empty");
      const { base, venues } = await venuesOf(command, true);
      const runner = base.runner as Signer;
      const tx = await withRevertDecoding(() => venues.connect(runner).openVenue(name, feeBps));
      const r = await withRevertDecoding(() => confirm(tx, runner.provider as Provider));
      ctx.deps.out(`venue ${name} opened at ${feeBps} bps: ${txLine({ hash: r.hash, blockNumber: r.blockNumber, gasUsed: r.gasUsed })}`);
    });

  venue
    .command("show")
    .description("a venue's name and fee")
    .argument("<account>", "venue account (chengdu, chongqing or an address)")
    .action(async (account: string, _o: object, command: Command) => {
      const address = resolveAccount(account);
      const { venues } = await venuesOf(command, false);
      const [name, fee] = await withRevertDecoding(() => Promise.all([venues.venueName(address), venues.feeBps(address)]));
      ctx.deps.out(`${address}  ${name}  fee ${fee} bps`);
    });
}
