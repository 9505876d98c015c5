import { JsonRpcProvider, Network, Wallet, type Signer } from "ethers";
import { demoWallet } from "../../server/chain/accounts";
import { readDeployments } from "../../server/chain/deployments";
import { createLedgerClient, type LedgerClient } from "../../server/client";

/** Options every command accepts (on the program, before or after the command). */
export interface GlobalOptions {
  rpc: string;
  deployments: string;
  as?: string;
}

/** What the CLI needs from the outside world; tests replace it to run the program in-process. */
export interface CliDeps {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  /** Draws progress bars on this stream (none when undefined). */
  progressStream?: NodeJS.WritableStream;
  /** Connects the client library as the global options say. */
  connect(options: GlobalOptions, env: NodeJS.ProcessEnv): Promise<LedgerClient>;
}

export class CliUsageError extends Error {
  override name = "CliUsageError";
}

/** Connects to a JSON-RPC node with the deployments file, signing as `--as` or PRIVATE_KEY if given. */
export async function connectOverRpc(options: GlobalOptions, env: NodeJS.ProcessEnv): Promise<LedgerClient> {
  const deployments = readDeployments(options.deployments);
  const network = Network.from(deployments.chainId);
  // No response cache: a nonce or an existence check read just after a transaction must be fresh.
  const provider = new JsonRpcProvider(options.rpc, network, { staticNetwork: network, cacheTimeout: -1 });
  let chainId: bigint;
  try {
    chainId = BigInt(String(await provider.send("eth_chainId", [])));
  } catch (err) {
    provider.destroy();
    throw new CliUsageError(`cannot reach the node at ${options.rpc}: ${(err as Error).message.split("\n")[0]}`);
  }
  if (chainId !== BigInt(deployments.chainId)) {
    provider.destroy();
    throw new CliUsageError(
      `${options.deployments} is for chain ${deployments.chainId} but the node at ${options.rpc} is chain ${chainId}`,
    );
  }
  let signer: Signer | undefined;
  if (options.as) signer = demoWallet(options.as).connect(provider);
  else if (env.PRIVATE_KEY) {
    try {
      signer = new Wallet(env.PRIVATE_KEY, provider);
    } catch {
      provider.destroy();
      throw new CliUsageError("PRIVATE_KEY is not a valid private key (0x followed by 64 hex digits)");
    }
  }
  return createLedgerClient({ runner: signer ?? provider, deployments });
}

export function defaultDeps(): CliDeps {
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    env: process.env,
    ...(process.stderr.isTTY ? { progressStream: process.stderr } : {}),
    connect: connectOverRpc,
  };
}

/** Per-invocation state shared by the commands: the client is connected once, on first use. */
export interface CliContext {
  deps: CliDeps;
  /** The exit code when no error is thrown (a command may set it, e.g. import with bad rows). */
  exitCode: number;
  client(options: GlobalOptions, opts?: { signer?: boolean }): Promise<LedgerClient>;
  close(): void;
}

export function createCliContext(deps: CliDeps): CliContext {
  let client: Promise<LedgerClient> | undefined;
  return {
    deps,
    exitCode: 0,
    async client(options, opts = {}) {
      client ??= deps.connect(options, deps.env);
      const c = await client;
      if (opts.signer && (await c.signerAddress()) === null) {
        throw new CliUsageError("this command signs a transaction: pass --as <demo account> or set PRIVATE_KEY");
      }
      return c;
    },
    close() {
      void client?.then((c) => {
        const runner = c.runner;
        const provider = "provider" in runner && runner.provider ? runner.provider : runner;
        if (provider instanceof JsonRpcProvider) provider.destroy();
      }, () => undefined);
    },
  };
}

/** JSON with bigints as decimal strings. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2);
}

export function parseId(text: string, what = "id"): bigint {
  if (!/^\d+$/.test(text) || BigInt(text) === 0n) throw new CliUsageError(`${what} "${text}" is not a positive whole number`);
  return BigInt(text);
}

export function parseBytes32(text: string, what: string): string {
  if (!/^0x[0-9a-fA-F]{64}$/.test(text)) throw new CliUsageError(`${what} must be 0x followed by 64 hex digits`);
  return text.toLowerCase();
}

export function parseScore(text: string, what: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 100) throw new CliUsageError(`${what} "${text}" is not a whole number 0-100`);
  return Number(text);
}

/** An address, or the address of a demo account name. */
export function resolveAccount(text: string): string {
  if (/^0x[0-9a-fA-F]{40}$/.test(text)) return text;
  try {
    return demoWallet(text).address;
  } catch {
    throw new CliUsageError(`"${text}" is neither an address nor a demo account name (see \`tianfu accounts\`)`);
  }
}

export function txLine(r: { hash: string; blockNumber: number; gasUsed: bigint }): string {
  return `tx ${r.hash} (block ${r.blockNumber}, gas ${r.gasUsed})`;
}
