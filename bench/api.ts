/**
 * API throughput and latency of a real gateway on a real chain, with autocannon on loopback:
 *   1. Anvil, the ledger deployed and seeded with the demo data (scripts/local-ledger.ts, as `npm start` does),
 *      then `--patents` more patents registered in batches of 200 (registerBatch, as bench/indexer.ts does);
 *   2. the gateway (server/main.ts) as its own process on an empty index: time to backfill, memory after it;
 *   3. for each scenario (dossier, search with filters, certificate, encumbrances, timeline): a warm-up, then
 *      `--runs` autocannon runs of `--duration` s at `--connections` connections; each figure is the median of
 *      the runs, with the spread (min-max); the gateway's CPU use and memory are sampled during the runs;
 *   4. certificate generation (buildCertificate against the node) and offline verification time, median of N.
 *      Scenarios are "cycled" (warm: every path asked once first, then each connection cycles through them, so the
 *      gateway's caches answer) or "distinct" (cold: every request a URL not asked before, see `neverAsked`).
 * Usage: tsx bench/api.ts [--patents 100000] [--runs 3] [--duration 10] [--connections 10] [--profile DIR]
 *        [--certificate-runs 30] [--state FILE] (--state keeps the filled chain in FILE and reuses it)
 * `npm run bench` calls `benchApi` (after the gas and indexer benches) and writes the figures to the report.
 * The gateway runs with its production defaults (LOG_LEVEL info, the rate limiter on) except the limit, set so
 * high (RATE_LIMIT_PER_MINUTE=1000000000) that one client on loopback never meets it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { ethers, JsonRpcProvider, Network } from "ethers";
import { buildCertificate } from "../server/certificate/build";
import { serialiseCertificate } from "../server/certificate/format";
import { verifyCertificateText } from "../server/certificate/verify";
import { DEMO_ACCOUNTS, DEV_MNEMONIC, demoWallet } from "../server/chain/accounts";
import { dayOf, makeCnipaNumber, parseCnipaNumber } from "../server/chain/cnipa";
import { writeDeployments, type Deployments } from "../server/chain/deployments";
import { resolveAnvilBinary, waitForRpc } from "../scripts/anvil";
import { DEMO_PATENTS, demoPatent } from "../scripts/demo/patents";
import { cpuSeconds, freePort, load, peakRss, scrapeMemory, waitForIndexedGateway, type LoadResult } from "../scripts/http-load";

const ROOT = path.join(__dirname, "..");
const BATCH = 200;
const CHAIN_ID = 31337;
/** Serials of the generated patents start here, far from the demo patents' serials. */
const SERIAL_BASE = 5_000_000;
/** High enough that the limiter (still on, as in production) never answers 429 to the bench's one client. */
export const BENCH_RATE_LIMIT = 1_000_000_000;
const IPC = ["H01M 10/0525", "G06F 16/27", "A61K 36/185", "C12G 3/02", "B25J 9/16", "H01L 21/02", "C22C 14/00", "G06N 3/08", "F16H 1/28", "E04B 1/98"];
const WORDS = ["电池", "数据库", "川芎", "白酒", "机器人", "晶圆", "钛合金", "深度学习", "齿轮", "抗震"];
const HOLDERS = ["scu", "uestc", "swjtu", "cqu", "rongxin", "yuzhi"] as const;
/** The demo patent whose certificate is timed on its own: pledged, with a pledgee's consent to a licence. */
const CERTIFICATE_PATENT = "cqu-slm-titanium-lattice";
/**
 * Seconds before autocannon gives up on a request. Longer than its default 10 s: a certificate on Anvil with a
 * large registry can take seconds (Anvil's eth_getProof cost grows with the contract's storage), and a slow
 * answer should show as latency, not as an error.
 */
const REQUEST_TIMEOUT_S = 60;

/** Targets of issue 6 at 10 connections. */
export const API_TARGETS: Record<string, { rps?: number; p99Ms?: number }> = {
  dossier: { rps: 4000, p99Ms: 25 },
  search: { rps: 1500 },
  certificate: { rps: 300 },
};

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export interface ApiScenarioRow {
  scenario: string;
  /**
   * "cycled": every connection cycles through `paths` (after the first round the gateway's caches answer);
   * "distinct": every request asks a URL not asked before (a cache miss), see `neverAsked`.
   */
  pick: "cycled" | "distinct";
  /** What the paths are: one example and how many distinct paths the connections cycle through. */
  example: string;
  paths: number;
  requestsPerSecond: Spread;
  p50Ms: Spread;
  p99Ms: Spread;
  /** Errors, timeouts and non-2xx answers summed over the runs (should be 0). */
  errors: number;
  non2xx: number;
  /** CPU of the gateway process over a run, percent of one core (median). */
  gatewayCpuPercent: number;
  /** Gateway CPU time per answered request, ms (median): less sensitive to a shared machine's load than req/s. */
  gatewayCpuMsPerRequest: number;
  target: { rps?: number; p99Ms?: number } | null;
  pass: boolean | null;
}

export interface ApiBenchSection {
  patents: number;
  demoPatents: number;
  runs: number;
  durationSeconds: number;
  connections: number;
  /** One-minute load average when the API bench started (2-core machine). */
  loadAverage: number;
  fillSeconds: number;
  /** The gateway on an empty index: spawn to /v1/health reporting lag 0. */
  backfillSeconds: number;
  indexedBlock: number;
  memory: {
    afterBackfill: { rssBytes: number; heapUsedBytes: number; heapTotalBytes: number };
    underLoad: { maxRssBytes: number; maxHeapUsedBytes: number; peakRssBytes: number | null };
  };
  certificate: { patent: string; bytes: number; slots: number; buildRuns: number; buildMs: Spread; verifyRuns: number; verifyMs: Spread };
  rows: ApiScenarioRow[];
}

export interface ApiBenchOptions {
  patents: number;
  runs: number;
  duration: number;
  connections: number;
  certificateRuns?: number;
  verifyRuns?: number;
  /** Write V8 CPU profiles of the gateway (node --cpu-prof) into this folder. */
  profile?: string;
  /**
   * Anvil state file: the filled chain is saved there when the bench ends (with FILE.json: the patents, the
   * deployments and the fill time) and reused by a later run with the same --patents instead of filling again.
   */
  state?: string;
  log?: (line: string) => void;
}

function spread(xs: readonly number[]): Spread {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { median: s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2, min: s[0]!, max: s[s.length - 1]! };
}

interface Proc {
  child: ChildProcess;
  exited: Promise<void>;
  stop(): Promise<void>;
}

function track(child: ChildProcess, signal: NodeJS.Signals): Proc {
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    child.once("exit", () => resolve());
  });
  return {
    child,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function registration(holder: string, i: number) {
  const year = 2010 + (i % 10);
  const cited = parseCnipaNumber(makeCnipaNumber(year, 1, SERIAL_BASE + i));
  return {
    number: cited.number,
    holder,
    facts: { checkDigit: cited.checkDigit, kind: 0, filingDay: dayOf(`${year}-03-15`), grantDay: dayOf(`${year + 2}-06-30`), dossierHash: ethers.id(cited.digits) },
    title: `${WORDS[i % WORDS.length]}相关技术 ${i}`,
    ipc: [IPC[i % IPC.length]!],
    inventory: { readiness: 1 + (i % 9), willing: i % 4 !== 3, modes: 1 + (i % 7), selfScore: 70, unitScore: 70, scenarioTags: i % 32 },
  };
}

/** Deploys and seeds the demo ledger (as `npm start` does), then registers `patents` more in batches. */
async function fillChain(url: string, deploymentsFile: string, patents: number, log: (line: string) => void): Promise<Deployments> {
  const provider = new JsonRpcProvider(url, Network.from(CHAIN_ID), { staticNetwork: true, pollingInterval: 50, cacheTimeout: -1 });
  try {
    // Imported here: they load the contract factories that `hardhat compile` generates.
    const { ensureLocalLedger } = await import("../scripts/local-ledger");
    const { PatentRegistry__factory } = await import("../typechain-types");
    const { deployments } = await ensureLocalLedger(provider, deploymentsFile, log);
    const registrar = demoWallet("registrar").connect(provider);
    const registry = PatentRegistry__factory.connect(deployments.contracts.PatentRegistry!, registrar);
    const holders = HOLDERS.map((n) => demoWallet(n).address);
    let nonce = await provider.getTransactionCount(registrar.address);
    let last: ethers.TransactionResponse | undefined;
    for (let base = 0; base < patents; base += BATCH) {
      const records = Array.from({ length: Math.min(BATCH, patents - base) }, (_, k) => registration(holders[(base + k) % holders.length]!, base + k));
      last = await registry.registerBatch(records, { nonce: nonce++, gasLimit: 16_000_000 });
    }
    if (last && (await last.wait())?.status !== 1) throw new Error("the last registration batch failed");
    return deployments;
  } finally {
    provider.destroy();
  }
}

async function time(runs: number, fn: () => Promise<unknown>): Promise<Spread> {
  await fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return spread(samples);
}

async function timeCertificate(url: string, deployments: Deployments, runs: number, verifyRuns: number): Promise<ApiBenchSection["certificate"]> {
  // batchStallTime 0: concurrent reads still go in one batch, without ethers' default 10 ms wait per round.
  const provider = new JsonRpcProvider(url, Network.from(CHAIN_ID), { staticNetwork: true, cacheTimeout: -1, batchStallTime: 0 });
  try {
    const c = deployments.contracts;
    const options = { patent: demoPatent(CERTIFICATE_PATENT).cited, contracts: { registry: c.PatentRegistry!, licensing: c.Licensing, valuations: c.Valuations } };
    const cert = await buildCertificate(provider, options);
    const text = serialiseCertificate(cert);
    const bytes = Buffer.from(text, "utf8");
    const buildMs = await time(runs, () => buildCertificate(provider, options));
    const verifyOptions = { blockHash: cert.block.hash, contracts: options.contracts };
    const verifyMs = await time(verifyRuns, async () => {
      const result = await verifyCertificateText(bytes, verifyOptions);
      if (!result.ok) throw new Error(`the certificate does not verify: ${result.reason}`);
    });
    const slots = Object.values(cert.proofs).reduce((n, p) => n + p.storage.length, 0);
    return { patent: options.patent, bytes: bytes.length, slots, buildRuns: runs, buildMs, verifyRuns, verifyMs };
  } finally {
    provider.destroy();
  }
}

interface Scenario {
  name: string;
  /** The target of issue 6 it is measured against (the scenario's kind). */
  kind: string;
  /** How the requests pick their paths (said in the report, so that cache hits are not hidden). */
  pick: "cycled" | "distinct";
  paths: string[];
  /** For "distinct": the next never-asked URL. */
  next?: () => string;
}

/**
 * URLs not asked before: each path of the list in turn, then each again with `minBlock=1`, 2, ... (true
 * at the indexed block, so the same answer) up to `indexedBlock`: the gateway's response cache, keyed by URL,
 * never answers one of them.
 */
function neverAsked(paths: readonly string[], indexedBlock: number): () => string {
  let i = 0;
  return () => {
    const p = paths[i % paths.length]!;
    const k = Math.floor(i / paths.length) % (indexedBlock + 1);
    i++;
    return `${p}${p.includes("?") ? "&" : "?"}minBlock=${k}`;
  };
}

/** Every page (cursor) of each search, up to `maxPages` each: distinct search pages. */
async function searchPages(url: string, searches: readonly string[], maxPages: number): Promise<string[]> {
  const pages: string[] = [];
  for (const search of searches) {
    let page = search;
    for (let n = 0; n < maxPages; n++) {
      pages.push(page);
      const res = await fetch(`${url}${page}`);
      if (res.status !== 200) throw new Error(`${page} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
      const next = ((await res.json()) as { next?: string | null }).next;
      if (!next) break;
      page = `${search}&cursor=${encodeURIComponent(next)}`;
    }
  }
  return pages;
}

const generatedNumber = (i: number): string => makeCnipaNumber(2010 + (i % 10), 1, SERIAL_BASE + i);

function scenarios(patents: number, indexedBlock: number, pages: string[], searches: string[]): Scenario[] {
  const demo = DEMO_PATENTS.map((p) => p.cited);
  // Generated patents spread over the whole range, and the demo ones (which have the richer records).
  const step = Math.max(1, Math.floor(patents / 1000));
  const generated: string[] = [];
  for (let i = 0; i < patents && generated.length < 1000; i += step) generated.push(generatedNumber(i));
  const every = Array.from({ length: patents }, (_, i) => generatedNumber(i));
  const dossiers = [...every, ...demo].map((n) => `/v1/patents/${n}`);
  const certificates = [...demo, ...every].map((n) => `/v1/financing/patents/${n}/certificate`);
  return [
    { name: "dossier", kind: "dossier", pick: "cycled", paths: [...generated, ...demo].map((n) => `/v1/patents/${n}`) },
    { name: "dossier, distinct", kind: "dossier", pick: "distinct", paths: dossiers, next: neverAsked(dossiers, indexedBlock) },
    { name: "search", kind: "search", pick: "cycled", paths: searches },
    { name: "search, distinct", kind: "search", pick: "distinct", paths: pages, next: neverAsked(pages, indexedBlock) },
    { name: "certificate", kind: "certificate", pick: "cycled", paths: demo.map((n) => `/v1/financing/patents/${n}/certificate`) },
    {
      name: "certificate, distinct",
      kind: "certificate",
      pick: "distinct",
      paths: certificates,
      next: (() => {
        let i = 0;
        return () => certificates[i++ % certificates.length]!;
      })(),
    },
    { name: "encumbrances", kind: "encumbrances", pick: "cycled", paths: demo.map((n) => `/v1/financing/patents/${n}/encumbrances`) },
    { name: "timeline", kind: "timeline", pick: "cycled", paths: [...demo, ...generated.slice(0, 50)].map((n) => `/v1/patents/${n}/timeline`) },
  ];
}

/** Fills a chain, starts a gateway on it and measures; medians over `runs`. */
export async function benchApi(opts: ApiBenchOptions): Promise<ApiBenchSection> {
  const log = opts.log ?? ((line: string) => console.error(line));
  const loadAverage = Number(loadavg()[0]!.toFixed(2));
  const dir = mkdtempSync(path.join(tmpdir(), "tianfu-api-bench-"));
  const procs: Proc[] = [];
  try {
    const chainPort = await freePort();
    const chainUrl = `http://127.0.0.1:${chainPort}`;
    const stateFile = opts.state ? path.resolve(opts.state) : undefined;
    const metaFile = stateFile && `${stateFile}.json`;
    type Saved = { patents: number; fillSeconds: number; deployments: Deployments };
    const saved = stateFile && metaFile && existsSync(stateFile) && existsSync(metaFile) ? (JSON.parse(readFileSync(metaFile, "utf8")) as Saved) : undefined;
    const reuse = saved?.patents === opts.patents ? saved : undefined;
    if (stateFile && !reuse) rmSync(stateFile, { force: true });
    // SIGINT lets Anvil write its --state file when it stops.
    const anvil = track(
      spawn(
        resolveAnvilBinary(),
        [
          "--port",
          String(chainPort),
          "--chain-id",
          String(CHAIN_ID),
          "--accounts",
          String(DEMO_ACCOUNTS.length),
          "--mnemonic",
          DEV_MNEMONIC,
          "--gas-limit",
          "1000000000",
          "--silent",
          ...(stateFile ? ["--state", stateFile] : []),
        ],
        { stdio: "ignore" },
      ),
      "SIGINT",
    );
    procs.push(anvil);
    await waitForRpc(chainUrl, 60_000, anvil.exited);
    const deploymentsFile = path.join(dir, "deployments.json");
    let t = performance.now();
    let deployments: Deployments;
    let fillSeconds: number;
    if (reuse) {
      deployments = reuse.deployments;
      fillSeconds = reuse.fillSeconds;
      writeDeployments(deploymentsFile, deployments);
      log(`reusing the chain in ${stateFile} (${opts.patents} patents, filled in ${fillSeconds.toFixed(1)} s when saved)`);
    } else {
      deployments = await fillChain(chainUrl, deploymentsFile, opts.patents, log);
      fillSeconds = (performance.now() - t) / 1000;
      if (metaFile) writeFileSync(metaFile, JSON.stringify({ patents: opts.patents, fillSeconds, deployments } satisfies Saved));
      log(`deployed, seeded ${DEMO_PATENTS.length} demo patents and registered ${opts.patents} more in ${fillSeconds.toFixed(1)} s`);
    }

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const gatewayLog = openSync(path.join(dir, "gateway.log"), "a");
    const nodeArgs = ["--import", "tsx"];
    if (opts.profile) {
      mkdirSync(opts.profile, { recursive: true });
      nodeArgs.push("--cpu-prof", `--cpu-prof-dir=${path.resolve(opts.profile)}`);
    }
    t = performance.now();
    const gateway = track(
      spawn(process.execPath, [...nodeArgs, path.join(ROOT, "server/main.ts")], {
        cwd: ROOT,
        env: {
          ...process.env,
          CHAIN_RPC_URL: chainUrl,
          DEPLOYMENTS_FILE: deploymentsFile,
          DATA_DIR: path.join(dir, "gateway"),
          HOST: "127.0.0.1",
          PORT: String(port),
          LOG_LEVEL: "info",
          RATE_LIMIT_PER_MINUTE: String(BENCH_RATE_LIMIT),
        },
        stdio: ["ignore", gatewayLog, gatewayLog],
      }),
      "SIGTERM",
    );
    closeSync(gatewayLog);
    procs.push(gateway);
    const health = await waitForIndexedGateway(url, 1_800_000, gateway.exited);
    const backfillSeconds = (performance.now() - t) / 1000;
    const after = await scrapeMemory(url);
    log(`gateway indexed to block ${health.indexed!.number} in ${backfillSeconds.toFixed(1)} s; RSS ${(after.rss / 2 ** 20).toFixed(0)} MiB, heap ${(after.heapUsed / 2 ** 20).toFixed(0)} MiB`);

    const pid = gateway.child.pid!;
    let maxRss = after.rss;
    let maxHeap = after.heapUsed;
    const rows: ApiScenarioRow[] = [];
    const owner = demoWallet("uestc").address;
    const searches = [
      "/v1/patents?ipc=H01M&willing=true",
      "/v1/patents?ipc=A61K&readiness=7-9",
      `/v1/patents?owner=${owner}&status=Valid`,
      "/v1/patents?status=Valid&kind=Invention&mode=licence",
      `/v1/patents?ipc=G06&owner=${owner}`,
    ];
    const pages = await searchPages(url, searches, 100);
    for (const s of scenarios(opts.patents, health.indexed!.number, pages, searches)) {
      // A few paths once, so that a path that does not answer 200 stops the bench with its answer.
      const probes = s.next ? Array.from({ length: 20 }, s.next) : s.paths.slice(0, 20);
      for (const p of probes) {
        const res = await fetch(`${url}${p}`);
        if (res.status !== 200) throw new Error(`${p} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
        await res.arrayBuffer().catch(() => undefined);
      }
      // Cycled scenarios are warm figures: every path asked once first (10 at a time), so the runs measure cache hits.
      if (s.pick === "cycled") {
        let i = 0;
        const worker = async () => {
          while (i < s.paths.length) await (await fetch(`${url}${s.paths[i++]!}`)).arrayBuffer();
        };
        await Promise.all(Array.from({ length: opts.connections }, worker));
      }
      await load({ url, paths: s.paths, connections: opts.connections, duration: 2, timeout: REQUEST_TIMEOUT_S, ...(s.next ? { next: s.next } : {}) }); // warm-up
      const results: LoadResult[] = [];
      const cpu: number[] = [];
      const cpuPerRequest: number[] = [];
      for (let r = 0; r < opts.runs; r++) {
        const sampler = setInterval(() => {
          scrapeMemory(url).then(
            (m) => {
              maxRss = Math.max(maxRss, m.rss);
              maxHeap = Math.max(maxHeap, m.heapUsed);
            },
            () => undefined,
          );
        }, 1000);
        const cpu0 = cpuSeconds(pid);
        const result = await load({ url, paths: s.paths, connections: opts.connections, duration: opts.duration, timeout: REQUEST_TIMEOUT_S, ...(s.next ? { next: s.next } : {}) });
        const cpu1 = cpuSeconds(pid);
        clearInterval(sampler);
        results.push(result);
        if (cpu0 !== undefined && cpu1 !== undefined) {
          cpu.push((100 * (cpu1 - cpu0)) / result.seconds);
          cpuPerRequest.push((1000 * (cpu1 - cpu0)) / Math.max(1, result.requests));
        }
        log(
          `${s.name} run ${r + 1}: ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms, ` +
            `gateway CPU ${cpu.at(-1)?.toFixed(0) ?? "?"} % (${cpuPerRequest.at(-1)?.toFixed(2) ?? "?"} ms per request), errors ${result.errors}, non-2xx ${result.non2xx}`,
        );
      }
      const target = API_TARGETS[s.kind] ?? null;
      const rps = spread(results.map((x) => x.requestsPerSecond));
      const p99 = spread(results.map((x) => x.latencyMs.p99));
      rows.push({
        scenario: s.name,
        pick: s.pick,
        example: s.paths[0]!,
        paths: s.paths.length,
        requestsPerSecond: rps,
        p50Ms: spread(results.map((x) => x.latencyMs.p50)),
        p99Ms: p99,
        errors: results.reduce((n, x) => n + x.errors + x.timeouts, 0),
        non2xx: results.reduce((n, x) => n + x.non2xx, 0),
        gatewayCpuPercent: cpu.length ? spread(cpu).median : NaN,
        gatewayCpuMsPerRequest: cpuPerRequest.length ? spread(cpuPerRequest).median : NaN,
        target,
        pass: target ? (target.rps === undefined || rps.median >= target.rps) && (target.p99Ms === undefined || p99.median < target.p99Ms) : null,
      });
    }
    const underLoad = { maxRssBytes: maxRss, maxHeapUsedBytes: maxHeap, peakRssBytes: peakRss(pid) ?? null };
    await gateway.stop();
    const certificate = await timeCertificate(chainUrl, deployments, opts.certificateRuns ?? 30, opts.verifyRuns ?? 200);
    log(`certificate of ${certificate.patent}: build ${certificate.buildMs.median.toFixed(2)} ms, verify ${certificate.verifyMs.median.toFixed(2)} ms (medians)`);
    return {
      patents: opts.patents,
      demoPatents: DEMO_PATENTS.length,
      runs: opts.runs,
      durationSeconds: opts.duration,
      connections: opts.connections,
      loadAverage,
      fillSeconds,
      backfillSeconds,
      indexedBlock: health.indexed!.number,
      memory: { afterBackfill: { rssBytes: after.rss, heapUsedBytes: after.heapUsed, heapTotalBytes: after.heapTotal }, underLoad },
      certificate,
      rows,
    };
  } finally {
    for (const p of procs.reverse()) await p.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (n: number, digits = 0): string => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const range = (s: Spread, digits = 0): string => `${fmt(s.median, digits)} (${fmt(s.min, digits)}-${fmt(s.max, digits)})`;
const mebi = (bytes: number): string => `${fmt(bytes / 2 ** 20)} MiB`;

/** The report's API section (Markdown). */
export function apiReport(section: ApiBenchSection): string {
  const targetText = (t: ApiScenarioRow["target"]) =>
    t ? [t.rps !== undefined ? `>= ${fmt(t.rps)} req/s` : "", t.p99Ms !== undefined ? `p99 < ${t.p99Ms} ms` : ""].filter(Boolean).join(", ") : "";
  const c = section.certificate;
  const m = section.memory;
  return [
    "## API",
    "",
    `Produced by \`npm run bench\` (bench/api.ts): Anvil with the demo ledger (${section.demoPatents} patents, with licences, pledges, valuations and an equity deal) ` +
      `plus ${fmt(section.patents)} patents registered in batches of 200 (filled in ${fmt(section.fillSeconds, 1)} s); the gateway (server/main.ts, LOG_LEVEL info, ` +
      `rate limiter on with RATE_LIMIT_PER_MINUTE=${BENCH_RATE_LIMIT}) as its own process indexed them to block ${section.indexedBlock} in ${fmt(section.backfillSeconds, 1)} s. ` +
      `autocannon on loopback in the bench's process, ${section.connections} connections. "cycled" scenarios: each connection cycles through the scenario's paths, ` +
      "so after the first round the gateway's response cache (or certificate cache) answers: warm figures. \"distinct\" scenarios: every request asks a URL " +
      "not asked before (each patent or search page in turn, then again with minBlock=1, 2, ...; certificates of distinct patents), so no cache answers: cold figures. " +
      `each figure is the median of ${section.runs} run(s) of ${section.durationSeconds} s after a 2 s warm-up, with the range (min-max) of the runs. ` +
      `One-minute load average ${section.loadAverage} on this 2-core machine when it started: autocannon, the gateway and the node share the two cores.`,
    "",
    "| scenario | paths | pick | req/s | p50 ms | p99 ms | target | result | gateway CPU | gateway CPU per request | errors / non-2xx | example |",
    "| --- | ---: | --- | ---: | ---: | ---: | --- | --- | ---: | ---: | ---: | --- |",
    ...section.rows.map(
      (r) =>
        `| ${r.scenario} | ${r.paths} | ${r.pick} | ${range(r.requestsPerSecond)} | ${range(r.p50Ms, 1)} | ${range(r.p99Ms, 1)} | ${targetText(r.target)} | ` +
        `${r.pass === null ? "" : r.pass ? "pass" : "FAIL"} | ${Number.isNaN(r.gatewayCpuPercent) ? "" : `${fmt(r.gatewayCpuPercent)} %`} | ` +
        `${Number.isNaN(r.gatewayCpuMsPerRequest) ? "" : `${fmt(r.gatewayCpuMsPerRequest, 2)} ms`} | ${r.errors} / ${r.non2xx} | \`${r.example}\` |`,
    ),
    "",
    `Memory of the gateway: after the backfill RSS ${mebi(m.afterBackfill.rssBytes)}, V8 heap used ${mebi(m.afterBackfill.heapUsedBytes)} of ${mebi(m.afterBackfill.heapTotalBytes)}; ` +
      `under load (sampled each second from /metrics) at most RSS ${mebi(m.underLoad.maxRssBytes)} and heap used ${mebi(m.underLoad.maxHeapUsedBytes)}` +
      `${m.underLoad.peakRssBytes === null ? "" : `; peak RSS over the whole run (VmHWM, backfill included) ${mebi(m.underLoad.peakRssBytes)}`}.`,
    "",
    `Certificate of ${c.patent} (${fmt(c.bytes)} bytes, ${c.slots} proven slots), on the same chain over JSON-RPC on loopback: ` +
      `generation (buildCertificate, which verifies its result) ${range(c.buildMs, 2)} ms, median of ${c.buildRuns}; ` +
      `offline verification (verifyCertificateText on the file bytes, no node) ${range(c.verifyMs, 2)} ms, median of ${c.verifyRuns}.`,
    "",
  ].join("\n");
}

async function main(): Promise<void> {
  const positive = (v: string): number => {
    if (!/^[1-9]\d*$/.test(v)) throw new InvalidArgumentError("expected a positive whole number");
    return Number(v);
  };
  const opts = new Command("bench-api")
    .option("--patents <n>", "patents registered on top of the demo ledger", positive, 100_000)
    .option("--runs <n>", "autocannon runs per scenario (medians)", positive, 3)
    .option("--duration <s>", "seconds per run", positive, 10)
    .option("--connections <n>", "autocannon connections", positive, 10)
    .option("--profile <dir>", "write CPU profiles of the gateway (node --cpu-prof) into this folder")
    .option("--certificate-runs <n>", "timed certificate builds (medians)", positive, 30)
    .option("--state <file>", "Anvil state file: keep the filled chain there (and FILE.json) and reuse it with the same --patents")
    .parse()
    .opts<{ patents: number; runs: number; duration: number; connections: number; certificateRuns: number; profile?: string; state?: string }>();
  const section = await benchApi({ ...opts, log: (line) => console.error(`api: ${line}`) });
  console.log(apiReport(section));
  console.log(JSON.stringify(section));
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  });
}
