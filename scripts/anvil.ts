import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, openSync, closeSync } from "node:fs";
import path from "node:path";
import { DEV_MNEMONIC, DEMO_ACCOUNTS } from "../server/chain/accounts";

/** npm packages that ship the Anvil binary, by Node's platform-arch. */
const ANVIL_PACKAGES: Record<string, string> = {
  "linux-x64": "@foundry-rs/anvil-linux-amd64",
  "linux-arm64": "@foundry-rs/anvil-linux-arm64",
  "darwin-x64": "@foundry-rs/anvil-darwin-amd64",
  "darwin-arm64": "@foundry-rs/anvil-darwin-arm64",
  "win32-x64": "@foundry-rs/anvil-win32-amd64",
};

export class AnvilError extends Error {
  override name = "AnvilError";
}

/** The path of the Anvil binary installed with @foundry-rs/anvil for this platform. */
export function resolveAnvilBinary(): string {
  const platform = `${process.platform}-${process.arch}`;
  const pkg = ANVIL_PACKAGES[platform];
  if (!pkg) {
    throw new AnvilError(
      `no Anvil build for ${platform}: @foundry-rs/anvil ships ${Object.keys(ANVIL_PACKAGES).join(", ")}. ` +
        `Run a chain yourself and point CHAIN_RPC_URL and DEPLOYMENTS_FILE at it.`,
    );
  }
  let dir: string;
  try {
    dir = path.dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    throw new AnvilError(`${pkg} is not installed (an optional dependency of @foundry-rs/anvil): run npm install`);
  }
  const binary = path.join(dir, "bin", process.platform === "win32" ? "anvil.exe" : "anvil");
  if (!existsSync(binary)) throw new AnvilError(`${pkg} has no binary at ${binary}`);
  return binary;
}

export interface AnvilOptions {
  host: string;
  port: number;
  chainId: number;
  /** Load from and dump to this file (Anvil's --state). */
  stateFile: string;
  /** Seconds between periodic state dumps, so a hard kill loses little. */
  stateInterval: number;
  /** Anvil's own output goes here. */
  logFile: string;
}

export interface AnvilProcess {
  child: ChildProcess;
  rpcUrl: string;
  /** Resolves with the exit code once Anvil has exited. */
  exited: Promise<number | null>;
}

/** Starts Anvil with the development mnemonic and one account per named demo account. */
export function startAnvil(opts: AnvilOptions): AnvilProcess {
  const binary = resolveAnvilBinary();
  mkdirSync(path.dirname(opts.stateFile), { recursive: true });
  mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const log = openSync(opts.logFile, "a");
  const args = [
    "--host", opts.host,
    "--port", String(opts.port),
    "--chain-id", String(opts.chainId),
    "--accounts", String(DEMO_ACCOUNTS.length),
    "--mnemonic", DEV_MNEMONIC,
    "--state", opts.stateFile,
    "--state-interval", String(opts.stateInterval),
  ];
  // Own process group: a terminal's Ctrl-C reaches the start script only, which then stops Anvil last
  // (after the gateway) with one SIGINT and waits for it to write its state.
  const child = spawn(binary, args, { stdio: ["ignore", log, log], detached: true });
  closeSync(log);
  const exited = new Promise<number | null>((resolve) => {
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 : null)));
    child.once("error", () => resolve(null));
  });
  return { child, rpcUrl: `http://${opts.host}:${opts.port}`, exited };
}

/** Posts a JSON-RPC call; resolves with the result or rejects. */
export async function rpcCall<T>(url: string, method: string, params: unknown[] = [], timeoutMs = 2000): Promise<T> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await res.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

/** Waits until the node answers eth_chainId; returns the chain id. */
export async function waitForRpc(url: string, timeoutMs: number, abort?: Promise<unknown>): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let aborted = false;
  void abort?.then(() => (aborted = true));
  let last: unknown;
  while (Date.now() < deadline && !aborted) {
    try {
      return Number(await rpcCall<string>(url, "eth_chainId"));
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(
    aborted
      ? `the chain node exited before answering on ${url}`
      : `no answer from ${url} within ${timeoutMs} ms (${(last as Error | undefined)?.message ?? "no reply"})`,
  );
}
