import type { RequestHandler } from "express";
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { AppContext } from "../context";

/**
 * Prometheus metrics of one app (its own registry: several apps in one process do not collide).
 * Request latency by method, route template and status; the indexer's indexed block, the node's head
 * and the lag, read from the follower's status when scraped.
 */
export interface Metrics {
  registry: Registry;
  /** Times every request; mount before the routers. */
  middleware: RequestHandler;
}

export function createMetrics(ctx: AppContext): Metrics {
  const registry = new Registry();
  const latency = new Histogram({
    name: "tianfu_http_request_duration_seconds",
    help: "HTTP request latency by method, route template and status",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const requests = new Counter({
    name: "tianfu_http_requests_total",
    help: "HTTP requests by method, route template and status",
    labelNames: ["method", "route", "status"] as const,
    registers: [registry],
  });
  const status = () => ctx.index?.indexer.status();
  new Gauge({
    name: "tianfu_indexed_block",
    help: "the last block the indexer applied (-1 before the first)",
    registers: [registry],
    collect() {
      this.set(status()?.indexed?.number ?? -1);
    },
  });
  new Gauge({
    name: "tianfu_chain_head_block",
    help: "the node's head as last seen by the indexer (-1 when unknown)",
    registers: [registry],
    collect() {
      this.set(status()?.head ?? -1);
    },
  });
  new Gauge({
    name: "tianfu_index_lag_blocks",
    help: "head minus indexed block (-1 when unknown)",
    registers: [registry],
    collect() {
      this.set(status()?.lag ?? -1);
    },
  });
  // Memory of the gateway process, read when scraped (no observers, unlike prom-client's default metrics).
  new Gauge({
    name: "process_resident_memory_bytes",
    help: "resident set size of the gateway process",
    registers: [registry],
    collect() {
      this.set(process.memoryUsage.rss());
    },
  });
  new Gauge({
    name: "nodejs_heap_size_used_bytes",
    help: "V8 heap in use",
    registers: [registry],
    collect() {
      this.set(process.memoryUsage().heapUsed);
    },
  });
  new Gauge({
    name: "nodejs_heap_size_total_bytes",
    help: "V8 heap allocated",
    registers: [registry],
    collect() {
      this.set(process.memoryUsage().heapTotal);
    },
  });
  new Gauge({
    name: "tianfu_indexer_reorgs_total",
    help: "reorgs the indexer rolled back since it started",
    registers: [registry],
    collect() {
      this.set(status()?.reorgs ?? 0);
    },
  });

  const middleware: RequestHandler = (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      // The route template (not the raw path) keeps label cardinality bounded.
      const route = req.route ? `${req.baseUrl}${String((req.route as { path: string }).path)}` : "unmatched";
      const labels = { method: req.method, route, status: String(res.statusCode) };
      latency.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
      requests.inc(labels);
    });
    next();
  };
  return { registry, middleware };
}
