import type { Command } from "commander";
import type { Provider, Signer } from "ethers";
import { JsonRpcProvider } from "ethers";
import { formatCnipaNumber, isoOfDay, parseCnipaNumber } from "../../../server/chain/cnipa";
import { fetchLicenceFacts, licenceReportDigest, type LogSource } from "../../../server/audit/licences";
import { CliUsageError, toJson, type CliContext } from "../context";
import { globals, usage } from "./rights-common";

/** A JSON-RPC transport of the client's runner (the node named by --rpc). */
function nodeOf(runner: Signer | Provider): LogSource {
  const provider = "provider" in runner && runner.provider ? runner.provider : runner;
  if (!(provider instanceof JsonRpcProvider)) throw new CliUsageError("audit reads logs over JSON-RPC: connect with --rpc <url>");
  return { send: (method, params) => provider.send(method, params) };
}

/**
 * `audit licences <number> [--to-block N] [--digest | --json]`: the licensing-history facts of a patent read
 * straight from a node (eth_getLogs of Licensing and Royalties, no gateway) and their digest, the same as
 * `digest.value` of GET /v1/audit/patents/{number}/licences at that block.
 */
export function auditCommand(program: Command, ctx: CliContext): void {
  const audit = program.command("audit").description("re-derive audit reports from the chain, without the gateway");
  audit
    .command("licences")
    .description("licensing history of a patent from a node's logs, and the report digest the gateway publishes")
    .argument("<number>", "CNIPA number")
    .option("--to-block <n>", "last block to read (the gateway's answer block); default: the node's latest")
    .option("--digest", "print only the digest")
    .option("--json", "print the facts as JSON")
    .action(async (number: string, opts: { toBlock?: string; digest?: boolean; json?: boolean }, command: Command) => {
      const cited = usage(() => parseCnipaNumber(number));
      let toBlock: number | undefined;
      if (opts.toBlock !== undefined) {
        if (!/^\d{1,12}$/.test(opts.toBlock)) throw new CliUsageError("--to-block must be a block number");
        toBlock = Number(opts.toBlock);
      }
      const client = await ctx.client(globals(command));
      const { facts, toBlock: at } = await fetchLicenceFacts(nodeOf(client.runner), client.deployments, cited.number.toString(), { toBlock });
      const digest = licenceReportDigest(facts);
      if (opts.digest) {
        ctx.deps.out(digest);
        return;
      }
      if (opts.json) {
        ctx.deps.out(toJson({ patent: formatCnipaNumber(cited.number), toBlock: at, facts, digest }));
        return;
      }
      ctx.deps.out(`licensing history of ${formatCnipaNumber(cited.number)} up to block ${at}: ${facts.length} facts`);
      for (const f of facts) {
        const a = f.args;
        const day = typeof a.day === "number" ? ` ${isoOfDay(a.day)}` : "";
        const licence = a.licenceId !== undefined ? ` licence ${String(a.licenceId)}` : "";
        const amount = a.amount !== undefined ? ` amount ${String(a.amount)}` : "";
        ctx.deps.out(`  block ${f.block} log ${f.logIndex}  ${f.contract}.${f.event}${licence}${amount}${day}  tx ${f.txHash}`);
      }
      ctx.deps.out(`digest ${digest}`);
    });
}
