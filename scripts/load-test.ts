/**
 * `npm run load:ci`: the load test of the reliability gate (issue 8). Starts the local stack as `npm start`
 * does (scripts/start.ts --fresh: compile if needed, Anvil, deploy, demo seed, gateway) in a temporary
 * DATA_DIR on free ports, waits until the gateway has indexed the chain, then runs autocannon for 30 s with
 * 50 connections over a mix of API paths, each connection cycling through them. It fails (exit 1) on any
 * connection error or timeout, any 5xx, any status other than the one expected for a path (200, or the
 * 404 / 400 of the two deliberate bad requests), or a gateway that stops answering; it prints a summary.
 *
 * The rate limiter stays on (its cost is part of the load) with RATE_LIMIT_PER_MINUTE raised to
 * 1,000,000,000 for the test's one client on loopback, so that it never answers 429 (a 429 fails the test).
 * Usage: npm run load:ci [-- --duration 30 --connections 50 --rate-limit 1000000000 --keep-data]
 */
import { spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { dataPaths } from "../server/config";
import { demoWallet } from "../server/chain/accounts";
import { makeCnipaNumber } from "../server/chain/cnipa";
import { DEMO_PATENTS, demoPatent } from "./demo/patents";
import { freePort, load, mib, peakRss, scrapeMemory, waitForIndexedGateway, type LoadResult } from "./http-load";
import { stopLeftovers } from "./leftovers";

const ROOT = path.resolve(__dirname, "..");
/** `npm start` compiles and seeds first: allow for a cold machine. */
const STACK_START_TIMEOUT_MS = 600_000;
const STACK_STOP_TIMEOUT_MS = 60_000;
export const LOAD_TEST_RATE_LIMIT = 1_000_000_000;

const say = (message: string) => console.log(`[load] ${message}`);

class LoadTestFailure extends Error {
  override name = "LoadTestFailure";
}

/** The mix: each path with the status it must answer. */
export function loadPaths(): { path: string; expect: number }[] {
  const pledged = demoPatent("cqu-slm-titanium-lattice").cited;
  const licensed = DEMO_PATENTS[0]!.cited;
  const owner = demoWallet("uestc").address;
  return [
    { path: "/v1/health", expect: 200 },
    { path: "/v1/patents?ipc=H01&willing=true&limit=20", expect: 200 },
    { path: `/v1/patents?owner=${owner}&status=Valid`, expect: 200 },
    { path: `/v1/patents/${licensed}`, expect: 200 },
    { path: `/v1/patents/${pledged}/timeline`, expect: 200 },
    { path: `/v1/financing/patents/${pledged}/encumbrances`, expect: 200 },
    { path: `/v1/financing/patents/${pledged}/certificate`, expect: 200 },
    { path: "/v1/stats", expect: 200 },
    { path: "/v1/match?industry=medicine-health&limit=10", expect: 200 },
    { path: "/openapi.json", expect: 200 },
    // Deliberate bad requests: the API must keep answering them with their 4xx under load.
    { path: `/v1/patents/${makeCnipaNumber(2019, 1, 9_999_999)}`, expect: 404 },
    { path: "/v1/patents?limit=abc", expect: 400 },
  ];
}

/** Everything that went wrong in a run, one line each (empty: pass). */
export function problemsOf(result: LoadResult, expected: ReadonlyMap<string, number>): string[] {
  const problems: string[] = [];
  if (result.errors > 0) problems.push(`${result.errors} connection error(s) (timeouts included)`);
  if (result.timeouts > 0) problems.push(`${result.timeouts} timeout(s)`);
  for (const [p, byStatus] of Object.entries(result.statuses)) {
    for (const [status, n] of Object.entries(byStatus)) {
      if (Number(status) >= 500) problems.push(`${n} x ${status} on ${p}`);
      else if (Number(status) !== expected.get(p)) problems.push(`${n} x ${status} on ${p} (expected ${expected.get(p)})`);
    }
  }
  for (const p of expected.keys()) if (!result.statuses[p]) problems.push(`no answer at all on ${p}`);
  if (result.requests === 0) problems.push("no request completed");
  return problems;
}

/** Peak RSS of the gateway that start.ts recorded in its pid file (scripts/leftovers.ts), if it can be read. */
function gatewayPeakRss(dataDir: string): number | undefined {
  try {
    const recorded = JSON.parse(readFileSync(dataPaths({ dataDir }).pidFile, "utf8")) as { gateway?: { pid: number } };
    return recorded.gateway ? peakRss(recorded.gateway.pid) : undefined;
  } catch {
    return undefined;
  }
}

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

async function main(): Promise<void> {
  const positive = (v: string): number => {
    if (!/^[1-9]\d*$/.test(v)) throw new InvalidArgumentError("expected a positive whole number");
    return Number(v);
  };
  const opts = new Command("load-test")
    .option("--duration <s>", "seconds of load", positive, 30)
    .option("--connections <n>", "concurrent connections", positive, 50)
    .option("--rate-limit <n>", "the gateway's RATE_LIMIT_PER_MINUTE during the test", positive, LOAD_TEST_RATE_LIMIT)
    .option("--keep-data", "keep the temporary DATA_DIR (chain state, index, logs)")
    .parse()
    .opts<{ duration: number; connections: number; rateLimit: number; keepData?: boolean }>();

  const dataDir = mkdtempSync(path.join(tmpdir(), "tianfu-load-"));
  const logFile = path.join(dataDir, "stack.log");
  const [port, chainPort] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${port}`;
  say(`starting the local stack (scripts/start.ts --fresh) in ${dataDir}; gateway ${url}, chain port ${chainPort}; log ${logFile}`);
  const log = openSync(logFile, "a");
  const stack = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts", "start.ts"), "--fresh"], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      HOST: "127.0.0.1",
      PORT: String(port),
      CHAIN_PORT: String(chainPort),
      RATE_LIMIT_PER_MINUTE: String(opts.rateLimit),
      LOG_LEVEL: "info",
      CHAIN_RPC_URL: "",
      DEPLOYMENTS_FILE: "",
    },
    stdio: ["ignore", log, log],
  });
  closeSync(log);
  const exited = new Promise<void>((resolve) => stack.once("exit", () => resolve()));

  let failure: string | undefined;
  try {
    const started = performance.now();
    const health = await waitForIndexedGateway(url, STACK_START_TIMEOUT_MS, exited).catch((err: Error) => {
      throw new LoadTestFailure(`${err.message}\n--- last lines of ${logFile} ---\n${tail(logFile, 40)}`);
    });
    say(`stack up and indexed to block ${health.indexed!.number} after ${((performance.now() - started) / 1000).toFixed(1)} s`);

    const mix = loadPaths();
    const expected = new Map(mix.map((m) => [m.path, m.expect]));
    for (const m of mix) {
      const res = await fetch(`${url}${m.path}`);
      await res.arrayBuffer();
      if (res.status !== m.expect) throw new LoadTestFailure(`before the load, ${m.path} answered ${res.status}, expected ${m.expect}`);
    }
    say(`load: ${opts.duration} s, ${opts.connections} connections, ${mix.length} paths (RATE_LIMIT_PER_MINUTE=${opts.rateLimit})`);
    const result = await load({ url, paths: mix.map((m) => m.path), connections: opts.connections, duration: opts.duration });
    const after = await fetch(`${url}/v1/health`, { signal: AbortSignal.timeout(5000) }).then(
      (r) => r.status,
      (err: Error) => err.message,
    );
    const memory = await scrapeMemory(url).catch(() => undefined);
    const peak = gatewayPeakRss(dataDir);

    console.log("");
    console.log(`requests   ${result.requests} in ${result.seconds.toFixed(1)} s (${result.requestsPerSecond.toFixed(0)} req/s)`);
    console.log(
      `latency    p50 ${result.latencyMs.p50} ms, p90 ${result.latencyMs.p90} ms, p99 ${result.latencyMs.p99} ms, max ${result.latencyMs.max} ms`,
    );
    console.log(`errors     ${result.errors} (timeouts ${result.timeouts}); non-2xx ${result.non2xx}`);
    if (memory) console.log(`gateway    RSS ${mib(memory.rss)}, heap used ${mib(memory.heapUsed)}${peak ? `, peak RSS ${mib(peak)}` : ""}`);
    console.log("by path:");
    for (const m of mix) {
      const byStatus = result.statuses[m.path] ?? {};
      console.log(`  ${Object.entries(byStatus).map(([s, n]) => `${n} x ${s}`).join(", ").padEnd(16)} ${m.path}`);
    }
    console.log("");
    const problems = problemsOf(result, expected);
    if (after !== 200) problems.push(`the gateway does not answer /v1/health after the load (${after})`);
    if (problems.length > 0) failure = `load test failed:\n  - ${problems.join("\n  - ")}`;
  } catch (err) {
    failure = err instanceof LoadTestFailure ? err.message : `load test failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
  } finally {
    // start.ts stops the gateway, then Anvil; if it hangs, kill it and stop what it recorded (scripts/leftovers.ts).
    if (stack.exitCode === null && stack.signalCode === null) stack.kill("SIGINT");
    const stopped = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), STACK_STOP_TIMEOUT_MS))]);
    if (!stopped) {
      stack.kill("SIGKILL");
      await exited;
      await stopLeftovers(dataPaths({ dataDir }).pidFile, 30_000).catch(() => []);
    }
    if (opts.keepData) say(`kept ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  }
  if (failure) {
    console.error(`[load] ${failure}`);
    process.exit(1);
  }
  say("passed: no error, no timeout, no 5xx, every status as expected");
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(`[load] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  });
}
