import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { readDeployments } from "../../../server/chain/deployments";
import { describeFacts } from "../../../server/certificate/format";
import { verifyCertificateText, type TrustedContracts } from "../../../server/certificate/verify";
import { CliUsageError, parseBytes32, type CliContext, type GlobalOptions } from "../context";

interface VerifyOptions {
  blockHash: string;
  patent?: string;
  registry?: string;
  licensing?: string;
  valuations?: string;
}

const address = (text: string | undefined, what: string): string | undefined => {
  if (text === undefined) return undefined;
  if (!/^0x[0-9a-fA-F]{40}$/.test(text)) throw new CliUsageError(`${what} must be an 0x-prefixed 20-byte address`);
  return text;
};

/**
 * `verify-certificate <file> --block-hash 0x…`: checks a certificate offline, with no call to the gateway
 * or to any node, against a block hash the bank reads from its own node and the contract addresses of its
 * deployments file (or given one by one). Exit code 0 when it holds, 1 when it does not.
 */
export function verifyCertificateCommand(program: Command, ctx: CliContext): void {
  program
    .command("verify-certificate")
    .description("verify a patent certificate offline against a block hash from your own node (no network access)")
    .argument("<file>", "the certificate as the gateway answered it (GET /v1/financing/patents/{number}/certificate)")
    .requiredOption("--block-hash <hash>", "hash of the certificate's block, as your own node reports it (eth_getBlockByNumber)")
    .option("--patent <cnipa>", "the patent you asked about; a certificate about another one fails")
    .option("--registry <address>", "PatentRegistry address you trust (default: from --deployments)")
    .option("--licensing <address>", "Licensing address you trust (default: from --deployments)")
    .option("--valuations <address>", "Valuations address you trust (default: from --deployments)")
    .action(async (file: string, opts: VerifyOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const blockHash = parseBytes32(opts.blockHash, "--block-hash");
      let contracts: TrustedContracts;
      const registry = address(opts.registry, "--registry");
      if (registry) {
        contracts = { registry, licensing: address(opts.licensing, "--licensing"), valuations: address(opts.valuations, "--valuations") };
      } else {
        const deployed = readDeployments(globals.deployments).contracts;
        contracts = {
          registry: deployed.PatentRegistry!,
          pledges: deployed.Pledges,
          licensing: address(opts.licensing, "--licensing") ?? deployed.Licensing,
          valuations: address(opts.valuations, "--valuations") ?? deployed.Valuations,
        };
      }
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch (err) {
        throw new CliUsageError(`cannot read ${file}: ${(err as Error).message}`);
      }
      const result = await verifyCertificateText(bytes, { blockHash, contracts, patent: opts.patent });
      if (!result.ok) {
        ctx.deps.err(`certificate REJECTED (${result.code}): ${result.reason}`);
        ctx.exitCode = 1;
        return;
      }
      const date = new Date(result.block.timestamp * 1000).toISOString();
      ctx.deps.out(`certificate verified at block ${result.block.number} ${result.block.hash} (${date})`);
      for (const line of describeFacts(result.facts)) ctx.deps.out(line);
    });
}
