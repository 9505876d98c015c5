/**
 * `npm start`: the whole local system. Compiles the contracts, starts Anvil (persisting its state under
 * DATA_DIR/chain), deploys and seeds the ledger unless the deployments file names one the chain still
 * holds, then starts the gateway. Ctrl-C stops the gateway, then Anvil (which writes its state first).
 *
 * `npm start -- --fresh` (or FRESH=1) starts from a clean ledger. CHAIN_RPC_URL + DEPLOYMENTS_FILE
 * point at an external chain: no Anvil, no deploy, no seed.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { JsonRpcProvider, Network } from "ethers";
import { ConfigError, dataPaths, loadConfig, type Config } from "../server/config";
import { readDeployments, type Deployments } from "../server/chain/deployments";
import { AnvilError, rpcCall, startAnvil, waitForRpc } from "./anvil";
import { AlreadyRunningError, forgetChild, recordChild, stopLeftovers } from "./leftovers";

const ROOT = path.resolve(__dirname, "..");
const LOCAL_CHAIN_ID = 31337;
/** Seconds between Anvil's periodic state dumps. */
const STATE_INTERVAL_S = 5;
const CHAIN_START_TIMEOUT_MS = 30_000;
const GATEWAY_START_TIMEOUT_MS = 60_000;
const GATEWAY_STOP_TIMEOUT_MS = 10_000;
/** Anvil writes its whole state on exit; give it time. */
const CHAIN_STOP_TIMEOUT_MS = 30_000;

const say = (message: string) => console.log(`[start] ${message}`);

class StartError extends Error {
  override name = "StartError";
}

interface Child {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  /** Signal that makes it stop cleanly. */
  stopSignal: NodeJS.Signals;
  stopTimeoutMs: number;
}

/** Children in start order; stopped in reverse order. */
const children: Child[] = [];
let shuttingDown = false;
let shutdownStarted = 0;

function exitedPromise(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    child.once("exit", (code) => resolve(code));
    child.once("error", () => resolve(null));
  });
}

/** DATA_DIR's pid file (scripts/leftovers.ts), set once the configuration is read. */
let pidFile = "";

function track(
  name: string,
  child: ChildProcess,
  stop: { signal: NodeJS.Signals; timeoutMs: number; marker: string },
  exited?: Promise<number | null>,
): Child {
  const entry: Child = {
    name,
    child,
    exited: exited ?? exitedPromise(child),
    stopSignal: stop.signal,
    stopTimeoutMs: stop.timeoutMs,
  };
  children.push(entry);
  if (child.pid !== undefined) recordChild(pidFile, name, { pid: child.pid, signal: stop.signal, marker: stop.marker });
  void entry.exited.then((code) => {
    forgetChild(pidFile, name);
    if (!shuttingDown) {
      const how = child.signalCode ? `by ${child.signalCode}` : `with code ${code}`;
      console.error(`[start] ${name} exited unexpectedly (${how}); stopping`);
      void shutdown(1);
    }
  });
  return entry;
}

async function stopChild(c: Child): Promise<void> {
  if (c.child.exitCode !== null || c.child.signalCode !== null) return;
  c.child.kill(c.stopSignal);
  const timedOut = Symbol("timeout");
  const result = await Promise.race([c.exited, new Promise((r) => setTimeout(() => r(timedOut), c.stopTimeoutMs))]);
  if (result === timedOut) {
    console.error(`[start] ${c.name} did not stop within ${c.stopTimeoutMs / 1000} s; killing it`);
    c.child.kill("SIGKILL");
    await c.exited;
  }
}

async function shutdown(code: number): Promise<never> {
  if (!shuttingDown) {
    shuttingDown = true;
    for (const c of [...children].reverse()) {
      const running = c.child.exitCode === null && c.child.signalCode === null;
      if (running && c.name === "chain") say("stopping the chain (Anvil writes its state)");
      await stopChild(c);
    }
    if (code === 0) say("stopped");
  }
  process.exit(code);
}

function onSignal(signal: NodeJS.Signals): void {
  if (shuttingDown) {
    // tsx and npm relay the terminal's signal too: only a later, deliberate one deserves an answer.
    if (Date.now() - shutdownStarted > 1000) say(`${signal} again: still stopping, waiting for the children to exit`);
    return;
  }
  shutdownStarted = Date.now();
  say(`${signal}: stopping`);
  void shutdown(0);
}

function run(command: string, args: string[], what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code === 0) resolve();
      else reject(new StartError(`${what} failed (exit ${code}):\n${output.trim()}`));
    });
  });
}

/** Fails early with a clear message when the gateway's address is taken. */
function checkPortFree(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", (err: NodeJS.ErrnoException) =>
      reject(
        new StartError(
          err.code === "EADDRINUSE"
            ? `${host}:${port} is already in use (a previous npm start still running?): stop it or set PORT`
            : `cannot listen on ${host}:${port}: ${err.message}`,
        ),
      ),
    );
    server.listen(port, host, () => server.close(() => resolve()));
  });
}

/** Latest modification time under `target` (files and directories, so deletions count too). */
function latestChange(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(target)) latest = Math.max(latest, latestChange(path.join(target, entry)));
  return latest;
}

/**
 * Hardhat takes seconds to boot even when nothing changed: compile only when a source, the config or the
 * lockfile changed after the last compilation (Hardhat's own cache file), or generated types are missing.
 */
function needsCompile(): boolean {
  const cacheFile = path.join(ROOT, "cache", "solidity-files-cache.json");
  if (!existsSync(cacheFile) || !existsSync(path.join(ROOT, "typechain-types", "index.ts"))) return true;
  const compiledAt = statSync(cacheFile).mtimeMs;
  const inputs = ["contracts", "hardhat.config.ts", "package-lock.json"].map((p) => path.join(ROOT, p));
  return inputs.some((input) => latestChange(input) > compiledAt);
}

/** Builds the web dashboard (scripts/build-web.ts) when web/ changed after the last build or it was never built. */
async function ensureDashboard(): Promise<void> {
  const { buildWeb, webBuildStale } = await import("./build-web");
  if (!webBuildStale()) return;
  say("building the dashboard");
  await buildWeb();
}

function freshStart(config: Config): void {
  const paths = dataPaths(config);
  const targets = config.externalChain ? [paths.gatewayDb] : [paths.chainDir, config.deploymentsFile, paths.gatewayDb];
  for (const target of targets) rmSync(target, { recursive: true, force: true });
  say(
    config.externalChain
      ? "fresh start: removed the gateway database (the external chain is left as it is)"
      : `fresh start: removed the chain state, the deployments file and the gateway database under ${config.dataDir}`,
  );
}

async function startLocalChain(config: Config): Promise<Deployments> {
  const paths = dataPaths(config);
  // State and deployments file live and die together: a chain state without a deployments file is what
  // an interrupted first start leaves, and would only carry a half-seeded ledger along.
  if (!existsSync(config.deploymentsFile) && existsSync(paths.chainState)) {
    rmSync(paths.chainState, { force: true });
    say("no deployments file: starting the chain from a clean state");
  }
  const rpcUrl = config.chainRpcUrl;
  const busy = await rpcCall<string>(rpcUrl, "eth_chainId", [], 500).then(
    () => true,
    () => false,
  );
  if (busy) {
    throw new StartError(
      `a chain node already answers on ${rpcUrl} (a previous npm start still running?). ` +
        `Stop it, or set CHAIN_PORT to another port, or use it as an external chain with CHAIN_RPC_URL and DEPLOYMENTS_FILE.`,
    );
  }
  const anvil = startAnvil({
    host: "127.0.0.1",
    port: config.chainPort,
    chainId: LOCAL_CHAIN_ID,
    stateFile: paths.chainState,
    stateInterval: STATE_INTERVAL_S,
    logFile: paths.chainLog,
  });
  const stop = { signal: "SIGINT" as const, timeoutMs: CHAIN_STOP_TIMEOUT_MS, marker: paths.chainState };
  track("chain", anvil.child, stop, anvil.exited);
  try {
    await waitForRpc(rpcUrl, CHAIN_START_TIMEOUT_MS, anvil.exited);
  } catch (err) {
    throw new StartError(`${(err as Error).message}; see ${paths.chainLog}`);
  }

  const provider = new JsonRpcProvider(rpcUrl, Network.from(LOCAL_CHAIN_ID), {
    staticNetwork: true,
    pollingInterval: 50,
    // No response cache: wallets read their next nonce right after the previous transaction was mined.
    cacheTimeout: -1,
  });
  try {
    // Imported after compiling: they load the contract factories that compilation generates.
    const { ensureLocalLedger } = await import("./local-ledger");
    const ledger = await ensureLocalLedger(provider, config.deploymentsFile, say);
    if (ledger.created) {
      // A new ledger: whatever the gateway indexed before belongs to another one.
      rmSync(paths.gatewayDb, { recursive: true, force: true });
      const s = ledger.seed;
      say(
        `deployed the ledger and seeded ${s?.patents ?? 0} demo patents ` +
          `(${s?.transfers.registered ?? 0} transfers registered, ${s?.evaluations ?? 0} market evaluations)`,
      );
    } else {
      say(`reusing the ledger of ${config.deploymentsFile}`);
    }
    return ledger.deployments;
  } finally {
    provider.destroy();
  }
}

async function patentCount(rpcUrl: string, deployments: Deployments): Promise<number | undefined> {
  try {
    const { PatentRegistry__factory } = await import("../typechain-types");
    const provider = new JsonRpcProvider(rpcUrl, Network.from(deployments.chainId), { staticNetwork: true });
    try {
      const registry = PatentRegistry__factory.connect(deployments.contracts.PatentRegistry ?? "", provider);
      const events = await registry.queryFilter(registry.filters.PatentRegistered(), deployments.deploymentBlock);
      return events.length;
    } finally {
      provider.destroy();
    }
  } catch {
    return undefined;
  }
}

async function startGateway(config: Config): Promise<string> {
  const env = {
    ...process.env,
    HOST: config.host,
    PORT: String(config.port),
    CHAIN_RPC_URL: config.chainRpcUrl,
    DEPLOYMENTS_FILE: config.deploymentsFile,
    DATA_DIR: config.dataDir,
  };
  // The esbuild bundle (dist/gateway, rebuilt here when a source changed): it serves in a third of tsx's start-up time.
  const { gatewayCommand } = await import("./build-gateway");
  const command = await gatewayCommand("main", say);
  const child = spawn(process.execPath, command.args, {
    cwd: ROOT,
    env,
    stdio: ["ignore", "inherit", "inherit"],
    detached: true,
  });
  const gateway = track("gateway", child, {
    signal: "SIGTERM",
    timeoutMs: GATEWAY_STOP_TIMEOUT_MS,
    marker: `DATA_DIR=${config.dataDir}\0`,
  });
  const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${config.port}`;
  const deadline = Date.now() + GATEWAY_START_TIMEOUT_MS;
  let exited = false;
  void gateway.exited.then(() => (exited = true));
  while (Date.now() < deadline && !exited) {
    try {
      const res = await fetch(`${url}/v1/health`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      return url;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new StartError(exited ? "the gateway exited during start-up" : `the gateway did not answer on ${url}`);
}

function banner(config: Config, deployments: Deployments, gatewayUrl: string, patents: number | undefined): void {
  const rel = (p: string) => {
    const r = path.relative(process.cwd(), p);
    return r === "" || r.startsWith("..") ? p : r;
  };
  const lines = [
    "",
    "Tianfu IP Ledger: local system running",
    `  chain       ${config.chainRpcUrl}  (chain id ${deployments.chainId}${config.externalChain ? ", external" : ", Anvil"})`,
    `  gateway     ${gatewayUrl}   (try ${gatewayUrl}/v1/health)`,
    `  deployments ${rel(config.deploymentsFile)}  (PatentRegistry ${deployments.contracts.PatentRegistry})`,
    patents === undefined ? undefined : `  patents     ${patents} on the ledger`,
    config.externalChain ? undefined : `  data        ${rel(config.dataDir)}/  (npm start -- --fresh starts from a clean ledger)`,
    "  stop        Ctrl-C",
    "",
    `  dashboard   ${gatewayUrl}/   (open it in a browser)`,
    "",
  ];
  console.log(lines.filter((l) => l !== undefined).join("\n"));
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`[start] ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  process.on("SIGHUP", onSignal);
  // A closed terminal or pipe must not kill the script before it has stopped its children.
  process.stdout.on("error", () => {});
  process.stderr.on("error", () => {});
  process.on("uncaughtException", (err) => {
    console.error(`[start] ${err.stack ?? err.message}`);
    void shutdown(1);
  });

  const fresh = process.argv.includes("--fresh") || ["1", "true", "yes"].includes((process.env.FRESH ?? "").toLowerCase());
  if (config.externalChain && !existsSync(config.deploymentsFile)) {
    throw new StartError(
      `CHAIN_RPC_URL names an external chain, so the ledger is not deployed here: ` +
        `DEPLOYMENTS_FILE must name its deployments file (${config.deploymentsFile} does not exist)`,
    );
  }
  pidFile = dataPaths(config).pidFile;
  const leftovers = await stopLeftovers(pidFile, CHAIN_STOP_TIMEOUT_MS);
  if (leftovers.length > 0) say(`stopped what a previous start left running: ${leftovers.join(", ")}`);
  if (config.port !== 0) await checkPortFree(config.host, config.port);
  if (fresh) freshStart(config);

  if (needsCompile()) {
    say("compiling the contracts");
    await run(process.execPath, [require.resolve("hardhat/internal/cli/bootstrap"), "compile", "--quiet"], "hardhat compile");
  }
  if (shuttingDown) return;
  await ensureDashboard();
  if (shuttingDown) return;

  let deployments: Deployments;
  if (config.externalChain) {
    deployments = readDeployments(config.deploymentsFile);
    say(`external chain ${config.chainRpcUrl}: no local chain, no deploy, no seed`);
  } else {
    say(`starting the chain on ${config.chainRpcUrl}`);
    deployments = await startLocalChain(config);
  }
  if (shuttingDown) return;

  say("starting the gateway");
  const gatewayUrl = await startGateway(config);
  const patents = await patentCount(config.chainRpcUrl, deployments);
  banner(config, deployments, gatewayUrl, patents);
}

main().catch((err: unknown) => {
  if (shuttingDown) return;
  const known =
    err instanceof StartError ||
    err instanceof AnvilError ||
    err instanceof AlreadyRunningError || (err as Error).name === "DeploymentsError";
  console.error(`[start] ${known ? (err as Error).message : (err as Error).stack ?? String(err)}`);
  void shutdown(1);
});
