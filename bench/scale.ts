/**
 * The scale run (issue 8): `npm run bench:scale [-- --patents 1000000]`, or `npm run bench -- --scale`.
 *   1. A chain of N patents and about ten events per patent on Anvil (bench/scale/generate.ts: batch
 *      transactions through a forwarder contract), generated once and cached as Anvil state in
 *      bench/.cache/scale-<N>/ (--regenerate to redo it);
 *   2. a full rebuild of the index from the node, in this process (the code of `gateway rebuild`),
 *      counting every log by event as it is fetched, sampling this process's RSS;
 *   3. the index size on disk (the LevelDB directory);
 *   4. the gateway (server/main.ts) on that index as a new process: median and p99 latency of the
 *      read API over loopback, several hundred sequential requests per query with varied arguments,
 *      and its RSS.
 * Writes bench/results/scale.json and bench/results/scale.md. Nothing is extrapolated: the report
 * states the size it measured.
 *
 * With --fixture, step 1 is replaced: no chain, but the fixture node (bench/scale/fixture-node.ts, a
 * separate process) serving a deterministic history of N patents made of the real contracts' logs
 * (bench/scale/fixture.ts), so a million patents and ten million events fit; the figures then measure
 * the gateway (indexing, storage, queries), not a chain. Results go to bench/results/scale-fixture-<N>.{json,md}.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import path from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { Interface, type InterfaceAbi } from "ethers";
import pino from "pino";
import { readDeployments, writeDeployments } from "../server/chain/deployments";
import { dataPaths } from "../server/config";
import { createIndexer } from "../server/indexer/follower";
import { DEFAULT_ABIS } from "../server/indexer/handlers";
import { createRpcClient, type RpcClient } from "../server/rpc/client";
import { openStore } from "../server/store/db";
import { FixtureChain, TEMPLATE_FILE, TEMPLATE_UNITS } from "./scale/fixture";
import { generate, patentNumber, plannedEvents, recipient, roleOf, startAnvil, UNIT, type AnvilNode, type Generated } from "./scale/generate";

const ROOT = path.join(__dirname, "..");
const RESULTS_DIR = path.join(__dirname, "results");

const positive = (v: string): number => {
  if (!/^[1-9]\d*$/.test(v)) throw new InvalidArgumentError("expected a positive whole number");
  return Number(v);
};
const fmt = (n: number): string => n.toLocaleString("en-US");
const mib = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;

function duBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    total += entry.isDirectory() ? duBytes(p) : statSync(p).size;
  }
  return total;
}

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) * 1024 : 0;
}

/** topic0 -> "Contract.Event" over every ABI the indexer watches. */
function eventNames(): Map<string, string> {
  const names = new Map<string, string>();
  for (const [contract, abi] of Object.entries(DEFAULT_ABIS)) {
    new Interface(abi as InterfaceAbi).forEachEvent((e) => names.set(e.topicHash, `${contract}.${e.name}`));
  }
  return names;
}

/** The follower's RPC client, counting the logs it fetches by event. */
function countingRpc(url: string, counts: Map<string, number>): RpcClient {
  const inner = createRpcClient({ url, timeoutMs: 120_000 });
  const names = eventNames();
  return {
    ...inner,
    url: inner.url,
    async getLogs(filter) {
      const logs = await inner.getLogs(filter);
      for (const l of logs) {
        const name = names.get(l.topics[0] ?? "") ?? `other ${l.topics[0]}`;
        counts.set(name, (counts.get(name) ?? 0) + 1);
      }
      return logs;
    },
  };
}

interface RebuildResult {
  seconds: number;
  events: number;
  eventsPerSecond: number;
  blocks: number;
  byEvent: Record<string, number>;
  /** CPU time of this process during the rebuild (the node's work is not in it). */
  cpuSeconds: number;
  eventsPerCpuSecond: number;
  peakRssMiB: number;
  indexBytes: number;
  indexMiB: number;
  indexFiles: number;
}

export async function rebuild(url: string, generated: Generated, dbDir: string, log: (line: string) => void): Promise<RebuildResult> {
  rmSync(dbDir, { recursive: true, force: true });
  mkdirSync(path.dirname(dbDir), { recursive: true });
  const db = await openStore(dbDir);
  const counts = new Map<string, number>();
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 500);
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const progress = setInterval(() => {
    const events = [...counts.values()].reduce((a, b) => a + b, 0);
    log(`rebuild: ${fmt(events)} events after ${((performance.now() - started) / 1000).toFixed(0)} s, RSS ${mib(process.memoryUsage().rss)} MiB`);
  }, 30_000);
  try {
    const indexer = createIndexer({
      rpcUrl: url,
      rpc: countingRpc(url, counts),
      db,
      deployments: generated.deployments,
      logger: pino({ level: "warn" }),
      confirmations: 0,
      reorgWindow: 64,
    });
    const at = await indexer.syncToHead();
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    await db.close();
    const events = [...counts.values()].reduce((a, b) => a + b, 0);
    const indexBytes = duBytes(dbDir);
    return {
      seconds: Math.round(seconds * 10) / 10,
      events,
      eventsPerSecond: Math.round(events / seconds),
      blocks: at.number - generated.deployments.deploymentBlock + 1,
      cpuSeconds: Math.round(cpuSeconds * 10) / 10,
      eventsPerCpuSecond: Math.round(events / cpuSeconds),
      byEvent: Object.fromEntries([...counts.entries()].sort((a, b) => b[1] - a[1])),
      peakRssMiB: mib(peakRss),
      indexBytes,
      indexMiB: mib(indexBytes),
      indexFiles: readdirSync(dbDir).length,
    };
  } finally {
    clearInterval(sampler);
    clearInterval(progress);
  }
}

interface QueryRow {
  query: string;
  example: string;
  requests: number;
  medianMs: number;
  p99Ms: number;
  maxMs: number;
  status: number;
  note: string;
}

async function startGateway(url: string, deploymentsFile: string, dataDir: string): Promise<{ base: string; pid: number; stop(): Promise<void> }> {
  const { createServer } = await import("node:net");
  const port = await new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => resolve(typeof a === "object" && a ? a.port : 0));
    });
  });
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "server/main.ts")], {
    cwd: ROOT,
    env: { ...process.env, CHAIN_RPC_URL: url, DEPLOYMENTS_FILE: deploymentsFile, DATA_DIR: dataDir, HOST: "127.0.0.1", PORT: String(port), LOG_LEVEL: "warn", RATE_LIMIT_PER_MINUTE: "0" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 600_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the gateway exited with ${child.exitCode}`);
    try {
      const r = await fetch(`${base}/v1/health`);
      if (r.ok) {
        const body = (await r.json()) as { lag: number | null };
        if (body.lag === 0) break;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error("the gateway did not catch up");
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Deterministic pseudo-random serials (the same on every run). */
function sampler(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

async function latencies(base: string, patents: number, holders: string[], requests: number): Promise<QueryRow[]> {
  const rnd = sampler(8);
  const serial = (want?: ReturnType<typeof roleOf>) => {
    for (;;) {
      const s = rnd() % patents;
      if (!want || roleOf(s) === want) return s;
    }
  };
  const IPC = ["H01M", "G06F", "A61K", "C12G", "B25J", "H01L 21", "C22C 14/00", "G06N 3/08", "F16H", "E04B"];
  const STATUSES = ["UnderInvalidation", "Invalidated", "Lapsed", "Valid"];
  const kinds: [string, () => string][] = [
    ["getPatent (dossier)", () => `/v1/patents/${patentNumber(serial())}`],
    ["timeline, first page of 50", () => `/v1/patents/${patentNumber(serial())}/timeline?limit=50`],
    ["timeline of a transferred patent", () => `/v1/patents/${patentNumber(serial("transfer"))}/timeline?limit=50`],
    ["encumbrances, any patent", () => `/v1/financing/patents/${patentNumber(serial())}/encumbrances`],
    ["encumbrances, pledged patent", () => `/v1/financing/patents/${patentNumber(serial("pledge"))}/encumbrances`],
    ["encumbrances, licensed patent", () => `/v1/financing/patents/${patentNumber(serial("licence"))}/encumbrances`],
    ["search by owner (an address with few patents)", () => `/v1/patents?owner=${recipient(rnd())}&limit=50`],
    ["search by owner (an original holder, a quarter of the rest)", () => `/v1/patents?owner=${holders[rnd() % holders.length]}&limit=50`],
    ["search by IPC prefix", () => `/v1/patents?ipc=${encodeURIComponent(IPC[rnd() % IPC.length]!)}&limit=50`],
    ["search by status, one page of 50", () => `/v1/patents?status=${STATUSES[rnd() % STATUSES.length]}&limit=50`],
    ["search by IPC prefix + status", () => `/v1/patents?ipc=${encodeURIComponent(IPC[rnd() % IPC.length]!)}&status=UnderInvalidation&limit=50`],
  ];
  // Each request's URL is new to the gateway while the chain has more blocks than requests are made (a million
  // patents: 5,050 blocks against 3,520 requests): minBlock=1, 2, ... is already reached, so the answer is the
  // same, but the gateway's response cache cannot answer it; these are reads from the index, not cache hits.
  const health = (await (await fetch(`${base}/v1/health`)).json()) as { indexed: { number: number } | null };
  const indexedBlock = Math.max(1, health.indexed?.number ?? 1);
  let asked = 0;
  const fresh = (url: string) => `${url}${url.includes("?") ? "&" : "?"}minBlock=${1 + (asked++ % indexedBlock)}`;
  const rows: QueryRow[] = [];
  for (const [query, next] of kinds) {
    for (let i = 0; i < 20; i++) await (await fetch(`${base}${fresh(next())}`)).arrayBuffer(); // warm-up, not counted
    const times: number[] = [];
    let status = 0;
    let bad = 0;
    let partial = 0;
    let example = "";
    const items: number[] = [];
    for (let i = 0; i < requests; i++) {
      const url = next();
      example ||= url;
      const t = process.hrtime.bigint();
      const res = await fetch(`${base}${fresh(url)}`);
      const body = (await res.json()) as { items?: unknown[]; scan?: { complete: boolean } };
      if (body.scan?.complete === false) partial += 1;
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
      status = res.status;
      if (res.status !== 200) bad += 1;
      if (Array.isArray(body.items)) items.push(body.items.length);
    }
    times.sort((a, b) => a - b);
    const r2 = (x: number) => Math.round(x * 100) / 100;
    const note = [
      bad > 0 ? `${bad} non-200 answers` : "",
      items.length > 0 ? `median ${[...items].sort((a, b) => a - b)[Math.floor(items.length / 2)]} items per page` : "",
      partial > 0 ? `${partial} pages ended by the scan limit (scan.complete false)` : "",
    ]
      .filter(Boolean)
      .join("; ");
    rows.push({
      query,
      example,
      requests,
      medianMs: r2(times[Math.floor(times.length / 2)]!),
      p99Ms: r2(times[Math.min(times.length - 1, Math.floor(times.length * 0.99))]!),
      maxMs: r2(times.at(-1)!),
      status,
      note,
    });
  }
  return rows;
}

export interface ScaleOptions {
  patents: number;
  requests: number;
  unitsPerBlock: number;
  cacheDir: string;
  regenerate: boolean;
  /** Serve the fixture history (bench/scale/fixture-node.ts) instead of generating a chain on Anvil. */
  fixture?: boolean;
  log?: (line: string) => void;
}

export interface ScaleResult {
  bench: "scale";
  command: string;
  startedAt: string;
  machine: { cpus: number; memoryGiB: number; loadAverageAtStart: number };
  patents: number;
  generation: (Omit<Generated, "deployments"> & { cached: boolean; stateFile: string; stateFileMiB: number | null; dumpSeconds: number | null }) | null;
  nodeLoadSeconds: number | null;
  /** With --fixture: the fixture node's history (no chain was generated). */
  fixture?: { template: string; templateUnits: number; unitsPerBlock: number; blocks: number; logsServed: number; startSeconds: number };
  /** Anvil's (or the fixture node's) resident memory once the chain was generated or loaded. */
  nodeRssMiB: number;
  rebuild: RebuildResult;
  plannedEvents: Record<string, number>;
  gateway: { startToCaughtUpSeconds: number; rssMiBAfterStart: number; rssMiBAfterQueries: number };
  queries: QueryRow[];
}

export async function benchScale(opts: ScaleOptions): Promise<ScaleResult> {
  if (opts.fixture) return benchFixture(opts);
  const log = opts.log ?? ((line: string) => console.error(line));
  const startedAt = new Date().toISOString();
  const loadAverageAtStart = Number(loadavg()[0]!.toFixed(2));
  const cache = path.resolve(opts.cacheDir, `scale-${opts.patents}`);
  const stateFile = path.join(cache, "anvil-state.json");
  const deploymentsFile = path.join(cache, "deployments.json");
  const generatedFile = path.join(cache, "generated.json");
  const cached = !opts.regenerate && existsSync(stateFile) && existsSync(deploymentsFile) && existsSync(generatedFile);
  mkdirSync(cache, { recursive: true });
  const work = path.join(cache, "run");
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });

  let node: AnvilNode;
  let generated: Generated;
  let nodeLoadSeconds: number | null = null;
  if (cached) {
    const t = performance.now();
    node = await startAnvil({ load: stateFile });
    nodeLoadSeconds = Math.round((performance.now() - t) / 100) / 10;
    generated = { ...(JSON.parse(readFileSync(generatedFile, "utf8")) as Omit<Generated, "deployments">), deployments: readDeployments(deploymentsFile) };
    log(`loaded the cached chain (${fmt(generated.patents)} patents) from ${stateFile} in ${nodeLoadSeconds} s`);
  } else {
    rmSync(stateFile, { force: true });
    node = await startAnvil({ dump: stateFile });
    log(`generating ${fmt(opts.patents)} patents on Anvil (units of ${UNIT}, ${opts.unitsPerBlock} per block)`);
    generated = await generate(node.url, opts.patents, opts.unitsPerBlock, (line) => log(`generate: ${line}`));
    log(`generated ${fmt(generated.calls)} ledger calls in ${fmt(generated.transactions)} transactions, ${fmt(generated.blocks)} blocks, in ${generated.seconds.toFixed(0)} s`);
  }
  let dumpSeconds: number | null = null;
  let result: ScaleResult;
  const nodeRssMiB = mib(rssOf(node.pid));
  try {
    const { rebuild: rb, gateway, queries } = await measure(node.url, generated, work, opts.requests, log);
    const { deployments: _deployments, ...gen } = generated;
    result = {
      bench: "scale",
      command: `npm run bench:scale -- --patents ${opts.patents} --requests ${opts.requests}`,
      startedAt,
      machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), loadAverageAtStart },
      patents: generated.patents,
      generation: { ...gen, cached, stateFile: path.relative(ROOT, stateFile), stateFileMiB: null, dumpSeconds: null },
      nodeLoadSeconds,
      nodeRssMiB,
      rebuild: rb,
      plannedEvents: plannedEvents(generated.patents),
      gateway,
      queries,
    };
  } finally {
    const t = performance.now();
    await node.stop(); // writes the state file when generating
    dumpSeconds = Math.round((performance.now() - t) / 100) / 10;
    rmSync(work, { recursive: true, force: true });
  }
  if (!cached) {
    writeDeployments(deploymentsFile, generated.deployments);
    const { deployments: _deployments, ...gen } = generated;
    writeFileSync(generatedFile, `${JSON.stringify(gen, null, 2)}\n`);
    result.generation!.dumpSeconds = dumpSeconds;
  }
  result.generation!.stateFileMiB = existsSync(stateFile) ? mib(statSync(stateFile).size) : null;
  return result;
}

/** Steps 2-4 against a node that serves the history: rebuild, index size, gateway and query latency. */
async function measure(url: string, generated: Generated, work: string, requests: number, log: (line: string) => void): Promise<Pick<ScaleResult, "rebuild" | "gateway" | "queries">> {
  const gatewayData = path.join(work, "data");
  const rb = await rebuild(url, generated, dataPaths({ dataDir: gatewayData }).gatewayDb, log);
  log(`rebuilt the index: ${fmt(rb.events)} events in ${rb.seconds} s (${fmt(rb.eventsPerSecond)} events/s), ${rb.indexMiB} MiB on disk, peak RSS ${rb.peakRssMiB} MiB`);
  const runDeployments = path.join(work, "deployments.json");
  writeDeployments(runDeployments, generated.deployments);
  const t = performance.now();
  const gateway = await startGateway(url, runDeployments, gatewayData);
  const startToCaughtUpSeconds = Math.round((performance.now() - t) / 100) / 10;
  const rssAfterStart = rssOf(gateway.pid);
  const holders = await holdersOf(gateway.base, generated.patents);
  let queries: QueryRow[];
  let rssAfterQueries: number;
  try {
    queries = await latencies(gateway.base, generated.patents, holders, requests);
    rssAfterQueries = rssOf(gateway.pid);
  } finally {
    await gateway.stop();
  }
  return { rebuild: rb, gateway: { startToCaughtUpSeconds, rssMiBAfterStart: mib(rssAfterStart), rssMiBAfterQueries: mib(rssAfterQueries) }, queries };
}

/** The fixture node (bench/scale/fixture-node.ts) as a separate process, so that it does not share the rebuild's event loop. */
async function startFixtureNode(patents: number, unitsPerBlock: number): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "scale/fixture-node.ts"), "--patents", String(patents), "--units-per-block", String(unitsPerBlock)], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString("utf8");
      const m = /listening (\S+)\n/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once("exit", (code) => reject(new Error(`the fixture node exited with ${code}`)));
  });
  return {
    url,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

async function benchFixture(opts: ScaleOptions): Promise<ScaleResult> {
  const log = opts.log ?? ((line: string) => console.error(line));
  const startedAt = new Date().toISOString();
  const loadAverageAtStart = Number(loadavg()[0]!.toFixed(2));
  const chain = new FixtureChain({ patents: opts.patents, unitsPerBlock: opts.unitsPerBlock });
  const summary = chain.summary();
  const work = path.resolve(opts.cacheDir, `scale-fixture-${opts.patents}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const t = performance.now();
  const node = await startFixtureNode(opts.patents, opts.unitsPerBlock);
  const startSeconds = Math.round((performance.now() - t) / 100) / 10;
  log(`fixture node at ${node.url}: ${fmt(opts.patents)} patents, ${fmt(summary.logs)} logs in ${fmt(summary.blocks)} blocks (started in ${startSeconds} s)`);
  const generated: Generated = { patents: opts.patents, deployments: chain.deployments, transactions: 0, calls: 0, blocks: summary.blocks, seconds: 0, unitsPerBlock: opts.unitsPerBlock };
  try {
    const nodeRssMiB = mib(rssOf(node.pid));
    const measured = await measure(node.url, generated, work, opts.requests, log);
    return {
      bench: "scale",
      command: `npm run bench:scale -- --fixture --patents ${opts.patents} --requests ${opts.requests}${opts.unitsPerBlock === 1 ? "" : ` --units-per-block ${opts.unitsPerBlock}`}`,
      startedAt,
      machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), loadAverageAtStart },
      patents: opts.patents,
      generation: null,
      nodeLoadSeconds: null,
      fixture: { template: path.relative(ROOT, TEMPLATE_FILE), templateUnits: TEMPLATE_UNITS, unitsPerBlock: opts.unitsPerBlock, blocks: summary.blocks, logsServed: summary.logs, startSeconds },
      nodeRssMiB: Math.max(nodeRssMiB, mib(rssOf(node.pid))),
      ...measured,
      plannedEvents: plannedEvents(opts.patents),
    };
  } finally {
    await node.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

/** The original holders (the forwarders): the owners of the first patents of the first units. */
async function holdersOf(base: string, patents: number): Promise<string[]> {
  const owners = new Set<string>();
  for (let b = 0; b < Math.min(4, Math.ceil(patents / UNIT)); b++) {
    // The sixth patent of a unit (serial % 10 === 5, not pledged when serial % 20 !== 5) is never transferred.
    const r = await fetch(`${base}/v1/patents/${patentNumber(b * UNIT + 15)}`);
    const body = (await r.json()) as { patent?: { owner: string } };
    if (body.patent) owners.add(body.patent.owner);
  }
  return [...owners];
}

export function scaleMarkdown(r: ScaleResult): string {
  const g = r.generation;
  const lines = [
    "## Scale run",
    "",
    `Produced by \`${r.command}\` (bench/scale.ts), started ${r.startedAt} on ${r.machine.cpus} cores and ${r.machine.memoryGiB} GiB ` +
      `(one-minute load average ${r.machine.loadAverageAtStart} at the start: the machine was shared). Size measured: **${fmt(r.patents)} patents, ${fmt(r.rebuild.events)} events** ` +
      `in ${fmt(r.rebuild.blocks)} blocks. Nothing here is extrapolated from a smaller run.`,
    "",
    r.fixture ? "### The history (fixture node, no chain)" : "### Chain generation",
    "",
    r.fixture
      ? `No chain: the fixture node (bench/scale/fixture-node.ts, its own process) served a deterministic history of ${fmt(r.patents)} patents in ${fmt(r.fixture.blocks)} blocks ` +
        `(${fmt(r.fixture.logsServed)} logs, those of unwatched contracts included), unit by unit of ${UNIT} patents, ${r.fixture.unitsPerBlock} unit(s) per block, each a copy of one of the ${r.fixture.templateUnits} units ` +
        `of real contract logs recorded from Anvil in ${r.fixture.template} with patent numbers, recipients and ledger ids patched (bench/scale/fixture.ts). ` +
        `It answered in ${r.fixture.startSeconds} s after start. These figures measure the gateway (indexing, storage, queries), not a chain.`
      : g
      ? `Anvil (--no-mining, blocks mined with evm_mine; ${g.unitsPerBlock} unit(s) of ${UNIT} patents per block), filled through BenchForwarder (bench/scale/BenchForwarder.sol): ` +
        `${fmt(g.calls)} ledger calls in ${fmt(g.transactions)} transactions. ` +
        (g.cached
          ? `This run reused the cached chain ${g.stateFile} (${g.stateFileMiB ?? "?"} MiB), loaded by Anvil in ${r.nodeLoadSeconds} s; it had been generated in ${g.seconds.toFixed(0)} s.`
          : `Generated in ${g.seconds.toFixed(0)} s (deployment included); Anvil wrote its state to ${g.stateFile} (${g.stateFileMiB ?? "?"} MiB) in ${g.dumpSeconds} s on exit, reused by later runs.`)
      : "",
    "",
    r.fixture ? `The fixture node's resident memory: ${r.nodeRssMiB} MiB.` : `Anvil's resident memory with the chain: ${r.nodeRssMiB} MiB.`,
    "",
    "Events by kind, counted from the logs the indexer fetched, against what the generator's calls emit by construction " +
      "(bench/scale/generate.ts plannedEvents; the ledger's deployment emits the few unplanned ones):",
    "",
    "| event | count | share | planned |",
    "| --- | ---: | ---: | ---: |",
    ...Object.entries(r.rebuild.byEvent).map(([name, n]) => {
      const planned = r.plannedEvents[name];
      return `| ${name} | ${fmt(n)} | ${((100 * n) / r.rebuild.events).toFixed(1)}% | ${planned === undefined ? "" : planned === n ? fmt(planned) : `${fmt(planned)} MISMATCH`} |`;
    }),
    "",
    "### Index",
    "",
    "| figure | value |",
    "| --- | ---: |",
    `| full rebuild from the node (in process, the code of \`gateway rebuild\`) | ${r.rebuild.seconds} s |`,
    `| rebuild throughput | ${fmt(r.rebuild.eventsPerSecond)} events/s |`,
    `| CPU time of the rebuilding process (the node's work aside) | ${r.rebuild.cpuSeconds} s (${fmt(r.rebuild.eventsPerCpuSecond)} events per CPU second) |`,
    `| peak RSS of the rebuilding process | ${r.rebuild.peakRssMiB} MiB |`,
    `| index size on disk (LevelDB directory, right after the rebuild) | ${r.rebuild.indexMiB} MiB (${fmt(r.rebuild.indexBytes)} bytes, ${r.rebuild.indexFiles} files) |`,
    `| gateway start to caught up (new process on the built index) | ${r.gateway.startToCaughtUpSeconds} s |`,
    `| gateway RSS after start / after the queries below | ${r.gateway.rssMiBAfterStart} MiB / ${r.gateway.rssMiBAfterQueries} MiB |`,
    "",
    `### Query latency at this size (HTTP on loopback, ${r.queries[0]?.requests ?? 0} sequential requests per query with varied arguments after 20 warm-up requests, each URL new to the gateway so that its response cache does not answer)`,
    "",
    "| query | median (ms) | p99 (ms) | max (ms) | status | example | note |",
    "| --- | ---: | ---: | ---: | --- | --- | --- |",
    ...r.queries.map((q) => `| ${q.query} | ${q.medianMs} | ${q.p99Ms} | ${q.maxMs} | ${q.status} | \`${q.example}\` | ${q.note} |`),
    "",
  ];
  return lines.join("\n");
}

function writeAtomically(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

/** bench/results/scale.{json,md} for a chain, scale-fixture-<N>.{json,md} for the fixture. */
export function scaleResultsName(r: ScaleResult): string {
  return r.fixture ? `scale-fixture-${r.patents}` : "scale";
}

export function writeScaleResults(r: ScaleResult): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeAtomically(path.join(RESULTS_DIR, `${scaleResultsName(r)}.json`), `${JSON.stringify(r, null, 2)}\n`);
  writeAtomically(path.join(RESULTS_DIR, `${scaleResultsName(r)}.md`), scaleMarkdown(r));
}

export function scaleCommand(): Command {
  return new Command("bench:scale")
    .option("--patents <n>", "patents on the chain (about ten events each); the issue's figure is 1000000", positive, 1_000_000)
    .option("--requests <n>", "timed requests per query", positive, 300)
    .option("--units-per-block <n>", `units of ${UNIT} patents (three transactions each) per mined block (1: about 2,000 logs and 60 M gas a block)`, positive, 1)
    .option("--cache <dir>", "where the generated chain is kept between runs", path.join(__dirname, ".cache"))
    .option("--regenerate", "generate the chain again even if it is cached", false)
    .option("--fixture", `serve a generated history from the fixture node instead of a chain (bench/scale/fixture.ts; patents a multiple of ${UNIT})`, false);
}

async function main(): Promise<void> {
  const o = scaleCommand().parse().opts<{ patents: number; requests: number; unitsPerBlock: number; cache: string; regenerate: boolean; fixture: boolean }>();
  const r = await benchScale({ patents: o.patents, requests: o.requests, unitsPerBlock: o.unitsPerBlock, cacheDir: o.cache, regenerate: o.regenerate, fixture: o.fixture });
  writeScaleResults(r);
  console.log(scaleMarkdown(r));
  console.log(`Wrote ${path.relative(process.cwd(), RESULTS_DIR)}/${scaleResultsName(r)}.json and .md`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
