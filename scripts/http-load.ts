/**
 * Helpers shared by the API bench (bench/api.ts) and the CI load test (scripts/load-test.ts): autocannon
 * runs over a list of paths, waiting for a gateway to serve with its index at the head, and the memory and
 * CPU time of a gateway process read from its /metrics and /proc; a free loopback port for the processes they start.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import autocannon from "autocannon";

/** One autocannon run over `paths` (each connection cycles through them), with the statuses seen per path. */
export interface LoadOptions {
  url: string;
  paths: readonly string[];
  connections: number;
  /** Seconds. */
  duration: number;
  /** Seconds before a request counts as a timeout (autocannon's default: 10). */
  timeout?: number;
  /**
   * When given, every request (of any connection) asks the path this returns instead of cycling through `paths`,
   * so that a bench can ask URLs never asked before (cache misses); statuses are counted under `paths[0]`.
   */
  next?: () => string;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  /** Responses by path and status code. */
  statuses: Record<string, Record<string, number>>;
}

export async function load(opts: LoadOptions): Promise<LoadResult> {
  const statuses: Record<string, Record<string, number>> = {};
  const count = (path: string, status: number) => {
    const byStatus = (statuses[path] ??= {});
    byStatus[status] = (byStatus[status] ?? 0) + 1;
  };
  const result = await autocannon({
    url: opts.url,
    connections: opts.connections,
    duration: opts.duration,
    timeout: opts.timeout ?? 10,
    requests: opts.next
      ? [
          {
            method: "GET" as const,
            path: opts.paths[0]!,
            setupRequest: (req: autocannon.Request) => ({ ...req, path: opts.next!() }),
            onResponse: (status: number) => count(opts.paths[0]!, status),
          },
        ]
      : opts.paths.map((path) => ({
          method: "GET" as const,
          path,
          onResponse: (status: number) => count(path, status),
        })),
  });
  return {
    requests: result.requests.total,
    seconds: result.duration,
    requestsPerSecond: result.requests.total / result.duration,
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, mean: result.latency.mean },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statuses,
  };
}

export interface HealthBody {
  indexed: { number: number } | null;
  head: number | { number: number } | null;
  lag: number | null;
}

/**
 * Polls GET /v1/health until the gateway answers with its index at the node's head (lag 0); rejects when
 * `exited` settles first or after `timeoutMs`. Resolves with the last answer.
 */
export async function waitForIndexedGateway(url: string, timeoutMs: number, exited?: Promise<unknown>): Promise<HealthBody> {
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  void exited?.then(() => (gone = true));
  let last: HealthBody | undefined;
  for (;;) {
    if (gone) throw new Error("the gateway exited before its index reached the head");
    try {
      const res = await fetch(`${url}/v1/health`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) {
        last = (await res.json()) as HealthBody;
        if (last.lag === 0 && last.indexed !== null) return last;
      } else {
        await res.arrayBuffer();
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error(`the gateway on ${url} did not reach the head within ${timeoutMs / 1000} s (last health: ${JSON.stringify(last ?? null)})`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The gateway's own view of its memory (bytes), from the gauges of its /metrics. */
export async function scrapeMemory(url: string): Promise<{ rss: number; heapUsed: number; heapTotal: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const gauge = (name: string): number => {
    const m = new RegExp(`^${name} (\\S+)$`, "m").exec(text);
    if (!m) throw new Error(`/metrics has no ${name}`);
    return Number(m[1]);
  };
  return { rss: gauge("process_resident_memory_bytes"), heapUsed: gauge("nodejs_heap_size_used_bytes"), heapTotal: gauge("nodejs_heap_size_total_bytes") };
}

/** Peak resident set size of a process (Linux /proc VmHWM), bytes; undefined elsewhere. */
export function peakRss(pid: number): number | undefined {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) a process has used so far (Linux /proc); undefined elsewhere. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) start at ") ": utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

export const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

/** A TCP port free on loopback now (the OS picks it; the caller binds it soon after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => resolve(typeof a === "object" && a ? a.port : 0));
    });
  });
}
