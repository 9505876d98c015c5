/**
 * Indexer throughput: fills a fresh local chain with registry events (batch registrations of 200
 * patents: 401 events per transaction), then measures
 *   - end to end: `scripts/gateway.ts rebuild` as a new process, from spawn to fully indexed and exit;
 *     both processes run from the esbuild bundle (dist/gateway, built when stale), as `npm start` runs the gateway;
 *   - in process: createIndexer -> syncToHead on a fresh LevelDB (no process start-up);
 *   - time to serving: the gateway (server/main.ts) as a new process on an empty index, from spawn to
 *     its first 200 answer to GET /v1/health (while the backfill runs), and on to fully indexed.
 * Usage: tsx bench/indexer.ts [--events 100000] [--node anvil|hardhat] [--runs 3] [--state FILE]
 * --state (Anvil only) keeps the filled chain in FILE (and its deployments in FILE.deployments.json)
 * so that later runs skip the filling. `npm run bench` calls `benchIndexer` for both nodes.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Command } from "commander";
import { ethers, JsonRpcProvider } from "ethers";
import pino from "pino";
import { demoWallet } from "../server/chain/accounts";
import { dayOf, makeCnipaNumber, parseCnipaNumber } from "../server/chain/cnipa";
import { readDeployments, writeDeployments, type Deployments } from "../server/chain/deployments";
import { createIndexer } from "../server/indexer/follower";
import { openStore } from "../server/store/db";
import { deployLedger } from "../scripts/deploy";
import { gatewayCommand } from "../scripts/build-gateway";
import { waitForRpc } from "../scripts/anvil";
import { freePort } from "../scripts/http-load";
import type { PatentRegistrationStruct } from "../typechain-types/contracts/registry/PatentRegistry";

const ROOT = path.join(__dirname, "..");
const BATCH = 200;

async function startNode(kind: "anvil" | "hardhat", stateFile?: string): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const state = stateFile ? ["--state", stateFile] : [];
  const child =
    kind === "anvil"
      ? spawn(path.join(ROOT, "node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"), ["--port", String(port), "--accounts", "20", "--silent", "--gas-limit", "1000000000", ...state], { stdio: "ignore" })
      : spawn(process.execPath, [path.join(ROOT, "node_modules/hardhat/internal/cli/cli.js"), "node", "--port", String(port)], { cwd: ROOT, stdio: "ignore" });
  const url = `http://127.0.0.1:${port}`;
  await waitForRpc(url, 120_000, new Promise((resolve) => child.once("exit", resolve)));
  return {
    url,
    // SIGINT lets Anvil write its --state file.
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGINT");
      }),
  };
}

function registration(holder: string, serial: number): PatentRegistrationStruct {
  const year = 2010 + (serial % 10);
  const cited = parseCnipaNumber(makeCnipaNumber(year, 1, Math.floor(serial / 10) + 1));
  return {
    number: cited.number,
    holder,
    facts: { checkDigit: cited.checkDigit, kind: 0, filingDay: dayOf(`${year}-03-15`), grantDay: dayOf(`${year + 2}-06-30`), dossierHash: ethers.id(cited.digits) },
    title: `一种基于区块链的专利交易方法 ${serial}`,
    ipc: serial % 2 === 0 ? ["H01M 4/525", "H01M 10/0525"] : ["G06Q 50/18"],
    inventory: { readiness: 1 + (serial % 9), willing: true, modes: 7, selfScore: 80, unitScore: 75, scenarioTags: serial % 32 },
  };
}

async function fill(url: string, events: number): Promise<{ deployments: Deployments; events: number; blocks: number }> {
  const provider = new JsonRpcProvider(url, undefined, { staticNetwork: true, pollingInterval: 50, cacheTimeout: -1 });
  const admin = demoWallet("admin").connect(provider);
  const registrar = demoWallet("registrar").connect(provider);
  const startBlock = await provider.getBlockNumber();
  const ledger = await deployLedger(admin, { registrars: [registrar.address], venues: [], banks: [], appraisers: [], evaluators: [] });
  const holders = ["scu", "uestc", "swjtu", "cqu"].map((n) => demoWallet(n).address);
  const registry = ledger.registry.connect(registrar);
  const batches = Math.ceil(events / (2 * BATCH + 1));
  let nonce = await provider.getTransactionCount(registrar.address);
  let last: ethers.TransactionResponse | undefined;
  for (let b = 0; b < batches; b++) {
    const records = Array.from({ length: BATCH }, (_, i) => registration(holders[(b + i) % holders.length]!, b * BATCH + i));
    last = await registry.registerBatch(records, { nonce: nonce++, gasLimit: 16_000_000 }); // under Hardhat's 2^24 cap; a batch uses ~10.5M
  }
  const receipt = await last!.wait();
  if (receipt?.status !== 1) throw new Error("the last batch failed");
  const deployments: Deployments = {
    chainId: Number((await provider.getNetwork()).chainId),
    deploymentBlock: startBlock + 1,
    deployedAt: new Date().toISOString(),
    contracts: {
      LedgerAccessManager: await ledger.accessManager.getAddress(),
      PatentRegistry: await ledger.registry.getAddress(),
      DemoSettlementToken: await ledger.token.getAddress(),
    },
  };
  provider.destroy();
  return { deployments, events: batches * (2 * BATCH + 1), blocks: batches };
}

async function endToEnd(url: string, deploymentsFile: string, dataDir: string, command: string[]): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [...command, "rebuild"], {
    cwd: ROOT,
    env: { ...process.env, CHAIN_RPC_URL: url, DEPLOYMENTS_FILE: deploymentsFile, DATA_DIR: dataDir, LOG_LEVEL: "warn" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`rebuild exited with ${code}`);
  return (performance.now() - started) / 1000;
}

async function inProcess(url: string, deployments: Deployments, dir: string): Promise<{ seconds: number; firstDataSeconds: number; cpuSeconds: number }> {
  rmSync(dir, { recursive: true, force: true });
  const db = await openStore(dir);
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const indexer = createIndexer({ rpcUrl: url, db, deployments, logger: pino({ level: "warn" }), confirmations: 0, reorgWindow: 64 });
  await indexer.step(); // chain check and the first range
  const firstDataSeconds = (performance.now() - started) / 1000;
  await indexer.syncToHead();
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await db.close();
  return { seconds, firstDataSeconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

type HealthBody = { indexed: { number: number } | null; head: { number: number }; lag: number | null };

/**
 * Starts the gateway on an empty index and polls GET /v1/health: the time from spawn to the first
 * answer (serving), what it had indexed then, and the time until it reports no lag.
 */
async function serving(url: string, deploymentsFile: string, dataDir: string, command: string[]): Promise<{ seconds: number; indexedAtFirstAnswer: number | null; head: number; fullyIndexedSeconds: number }> {
  rmSync(dataDir, { recursive: true, force: true });
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, command, {
    cwd: ROOT,
    env: { ...process.env, CHAIN_RPC_URL: url, DEPLOYMENTS_FILE: deploymentsFile, DATA_DIR: dataDir, HOST: "127.0.0.1", PORT: String(port), LOG_LEVEL: "warn" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + 300_000;
  const health = async (): Promise<HealthBody | undefined> => {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/v1/health`);
      return r.ok ? ((await r.json()) as HealthBody) : undefined;
    } catch {
      return undefined; // not listening yet
    }
  };
  try {
    let first: HealthBody | undefined;
    while (!(first = await health())) {
      if (child.exitCode !== null) throw new Error(`the gateway exited with ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error("the gateway never answered");
      await new Promise((r) => setTimeout(r, 5));
    }
    const seconds = (performance.now() - started) / 1000;
    for (let body = first; body.lag !== 0 || body.indexed === null; ) {
      if (Date.now() > deadline) throw new Error("the gateway never caught up");
      await new Promise((r) => setTimeout(r, 20));
      body = (await health()) ?? body;
    }
    return { seconds, indexedAtFirstAnswer: first.indexed?.number ?? null, head: first.head.number, fullyIndexedSeconds: (performance.now() - started) / 1000 };
  } finally {
    if (child.exitCode === null) child.kill("SIGTERM");
    await exited;
  }
}

export interface IndexerBenchOptions {
  events: number;
  node: "anvil" | "hardhat";
  runs: number;
  /** Anvil only: keep the filled chain in this file and reuse it. */
  state?: string;
  log?: (line: string) => void;
}

export interface IndexerBenchRow {
  bench: "indexer";
  node: "anvil" | "hardhat";
  events: number;
  runs: number;
  /** `gateway rebuild` as a new process: spawn to fully indexed and exit. */
  endToEndSeconds: number;
  endToEndEventsPerSecond: number;
  inProcessSeconds: number;
  inProcessEventsPerSecond: number;
  /** CPU time of the in-process indexer (this process only; the node's work is not in it): less sensitive to a shared machine's load. */
  inProcessCpuSeconds: number;
  inProcessEventsPerCpuSecond: number;
  firstRangeIndexedSeconds: number;
  /** The gateway as a new process on an empty index: spawn to its first answer to /v1/health. */
  servingSeconds: number;
  /** Whether that first answer came while the backfill was still running (indexed below the head). */
  servedDuringBackfill: boolean;
  /** The gateway: spawn to /v1/health reporting no lag. */
  gatewayIndexedSeconds: number;
}

/** Fills a chain on a fresh node and measures; medians over `runs`. */
export async function benchIndexer(opts: IndexerBenchOptions): Promise<IndexerBenchRow> {
  const log = opts.log ?? ((line: string) => console.error(line));
  const stateFile = opts.node === "anvil" && opts.state ? path.resolve(opts.state) : undefined;
  const savedDeployments = stateFile ? `${stateFile}.deployments.json` : undefined;
  const reuse = stateFile !== undefined && existsSync(stateFile) && existsSync(savedDeployments!);
  const node = await startNode(opts.node, stateFile);
  const dir = mkdtempSync(path.join(tmpdir(), "tianfu-bench-"));
  try {
    let filled: { deployments: Deployments; events: number; blocks: number };
    if (reuse) {
      const deployments = readDeployments(savedDeployments!);
      const batches = Math.ceil(opts.events / (2 * BATCH + 1));
      filled = { deployments, events: batches * (2 * BATCH + 1), blocks: batches };
      log(`reusing the chain in ${stateFile} (${filled.events} events)`);
    } else {
      const t0 = performance.now();
      filled = await fill(node.url, opts.events);
      log(`filled ${filled.events} events in ${filled.blocks} blocks on ${opts.node} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      if (savedDeployments) writeDeployments(savedDeployments, filled.deployments);
    }
    // The gateway's processes run from the esbuild bundle (built when stale) as `npm start` runs them, else with tsx.
    const rebuildCommand = await gatewayCommand("gateway", log);
    const mainCommand = await gatewayCommand("main", log);
    log(`gateway processes: ${rebuildCommand.bundled ? "the bundle in dist/gateway" : "tsx on the sources"}`);
    const deploymentsFile = path.join(dir, "deployments.json");
    writeDeployments(deploymentsFile, filled.deployments);
    const e2e: number[] = [];
    const inproc: number[] = [];
    const first: number[] = [];
    const cpu: number[] = [];
    const serve: number[] = [];
    const gateway: number[] = [];
    let servedDuringBackfill = true;
    for (let r = 0; r < opts.runs; r++) {
      e2e.push(await endToEnd(node.url, deploymentsFile, path.join(dir, "data"), rebuildCommand.args));
      const ip = await inProcess(node.url, filled.deployments, path.join(dir, "inproc"));
      inproc.push(ip.seconds);
      first.push(ip.firstDataSeconds);
      cpu.push(ip.cpuSeconds);
      const s = await serving(node.url, deploymentsFile, path.join(dir, "gateway"), mainCommand.args);
      serve.push(s.seconds);
      gateway.push(s.fullyIndexedSeconds);
      servedDuringBackfill &&= s.indexedAtFirstAnswer === null || s.indexedAtFirstAnswer < s.head;
      log(
        `run ${r + 1}: end to end ${e2e.at(-1)!.toFixed(2)} s, in process ${ip.seconds.toFixed(2)} s (CPU ${ip.cpuSeconds.toFixed(2)} s), ` +
          `serving after ${s.seconds.toFixed(2)} s (indexed ${s.indexedAtFirstAnswer ?? "nothing"} of ${s.head}), gateway indexed after ${s.fullyIndexedSeconds.toFixed(2)} s`,
      );
    }
    return {
      bench: "indexer",
      node: opts.node,
      events: filled.events,
      runs: e2e.length,
      endToEndSeconds: median(e2e),
      endToEndEventsPerSecond: Math.round(filled.events / median(e2e)),
      inProcessSeconds: median(inproc),
      inProcessEventsPerSecond: Math.round(filled.events / median(inproc)),
      inProcessCpuSeconds: median(cpu),
      inProcessEventsPerCpuSecond: Math.round(filled.events / median(cpu)),
      firstRangeIndexedSeconds: median(first),
      servingSeconds: median(serve),
      servedDuringBackfill,
      gatewayIndexedSeconds: median(gateway),
    };
  } finally {
    await node.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const opts = new Command()
    .option("--events <n>", "events to generate", "100000")
    .option("--node <kind>", "anvil or hardhat", "anvil")
    .option("--runs <n>", "runs of each measurement", "3")
    .option("--state <file>", "Anvil state file: reuse a filled chain")
    .parse()
    .opts<{ events: string; node: "anvil" | "hardhat"; runs: string; state?: string }>();
  const row = await benchIndexer({ events: Number(opts.events), node: opts.node, runs: Number(opts.runs), ...(opts.state ? { state: opts.state } : {}) });
  console.log(JSON.stringify(row));
}

if (require.main === module) {
  main().catch((err: Error & { shortMessage?: string }) => {
    console.error(`${err.name}: ${err.shortMessage ?? err.message.slice(0, 500)}`);
    process.exit(1);
  });
}
