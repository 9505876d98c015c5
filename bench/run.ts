import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { Command, InvalidArgumentError } from "commander";
import hre from "hardhat";
import { apiReport, benchApi } from "./api";
import type { GasModule, GasRow } from "./gas/types";
import { benchIndexer, type IndexerBenchRow } from "./indexer";
import { benchScale, scaleMarkdown, writeScaleResults, type ScaleResult } from "./scale";

/**
 * `npm run bench [-- --events 100000 --runs 3 --patents 100000 --duration 10 --connections 10 | --no-indexer | --no-api]
 *   [--scale [--scale-patents N] [--scale-fixture]]`
 * (tsx bench/run.ts after a compile): runs every bench module in bench/gas/ (each exports a GasModule named
 * `measure`) on a fresh in-process Hardhat network, then the indexer bench (bench/indexer.ts) against Anvil and
 * against a Hardhat node, then the API bench (bench/api.ts: autocannon against a gateway on a seeded chain with
 * --patents more patents; gateway memory; certificate generation and verification time), writes
 * bench/results/gas.json (keys `indexer` and `api` for those figures) and bench/results/report.md and prints
 * the tables. Gas is deterministic: the numbers are exact. The other figures are timings (medians over --runs,
 * with their range) and depend on the machine and its load, which the report states.
 * With --no-indexer the indexer section of the previous gas.json is kept, and the report says it is from an
 * earlier run (the API section is left out with --no-api).
 * With --scale it also runs the scale bench (bench/scale.ts, also `npm run bench:scale`) and puts its section in
 * the report; without it, the report carries the section of the last scale run (bench/results/scale.md) as it was.
 * --scale-fixture runs the scale bench on the fixture node (`bench:scale --fixture`: no chain, a million patents fit).
 */

/** Targets of issue 5: end-to-end events per second by node, and time from start to serving. */
const INDEXER_TARGETS = { anvil: 10_000, hardhat: 4_000, servingSeconds: 1 } as const;
const GAS_DIR = path.join(__dirname, "gas");
const RESULTS_DIR = path.join(__dirname, "results");
/** Modules listed here run first, in this order; the rest follow alphabetically. */
const FIRST = ["registry.ts"];

interface ResultRow {
  area: string;
  operation: string;
  gas: number;
  note: string | null;
  target: number | null;
  pass: boolean | null;
}

function moduleFiles(): string[] {
  const files = readdirSync(GAS_DIR)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts") && f !== "types.ts")
    .sort();
  return [...FIRST.filter((f) => files.includes(f)), ...files.filter((f) => !FIRST.includes(f))];
}

function toResult(row: GasRow): ResultRow {
  return {
    area: row.area,
    operation: row.operation,
    gas: Number(row.gas),
    note: row.note ?? null,
    target: row.target === undefined ? null : Number(row.target),
    pass: row.target === undefined ? null : row.gas < row.target,
  };
}

const fmt = (n: number): string => n.toLocaleString("en-US");

function markdownTable(rows: readonly ResultRow[]): string {
  const lines = [
    "| area | operation | gas | target | result | note |",
    "| --- | --- | ---: | ---: | --- | --- |",
    ...rows.map(
      (r) =>
        `| ${r.area} | ${r.operation} | ${fmt(r.gas)} | ${r.target === null ? "" : `< ${fmt(r.target)}`} | ${
          r.pass === null ? "" : r.pass ? "pass" : "FAIL"
        } | ${r.note ?? ""} |`,
    ),
  ];
  return lines.join("\n");
}

function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

const positive = (v: string): number => {
  if (!/^[1-9]\d*$/.test(v)) throw new InvalidArgumentError("expected a positive whole number");
  return Number(v);
};

interface IndexerSection {
  events: number;
  runs: number;
  /** One-minute load average when the indexer bench started (2-core machine). */
  loadAverage: number;
  targets: typeof INDEXER_TARGETS;
  rows: (IndexerBenchRow & { pass: { throughput: boolean; serving: boolean } })[];
}

function indexerTable(section: IndexerSection): string {
  const s = (x: number) => x.toFixed(2);
  return [
    "| node | events | end to end (events/s) | target | in process (events/s) | in process (events per CPU second) | start to serving (s) | target | served during backfill | gateway fully indexed (s) |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |",
    ...section.rows.map(
      (r) =>
        `| ${r.node} | ${fmt(r.events)} | ${fmt(r.endToEndEventsPerSecond)} | >= ${fmt(INDEXER_TARGETS[r.node])} ${r.pass.throughput ? "pass" : "FAIL"} | ` +
        `${fmt(r.inProcessEventsPerSecond)} | ${fmt(r.inProcessEventsPerCpuSecond)} | ${s(r.servingSeconds)} | < ${INDEXER_TARGETS.servingSeconds} ${r.pass.serving ? "pass" : "FAIL"} | ` +
        `${r.servedDuringBackfill ? "yes" : "no"} | ${s(r.gatewayIndexedSeconds)} |`,
    ),
  ].join("\n");
}

async function runIndexerBench(events: number, runs: number): Promise<IndexerSection> {
  const loadAverage = Number(loadavg()[0]!.toFixed(2));
  const rows: IndexerSection["rows"] = [];
  for (const node of ["anvil", "hardhat"] as const) {
    const row = await benchIndexer({ events, node, runs, log: (line) => console.log(`indexer/${node}: ${line}`) });
    rows.push({ ...row, pass: { throughput: row.endToEndEventsPerSecond >= INDEXER_TARGETS[node], serving: row.servingSeconds < INDEXER_TARGETS.servingSeconds } });
  }
  return { events, runs, loadAverage, targets: INDEXER_TARGETS, rows };
}

/** The indexer section of the results already written, if any (kept by a gas-only run). */
function previousIndexer(): IndexerSection | null {
  const file = path.join(RESULTS_DIR, "gas.json");
  if (!existsSync(file)) return null;
  const previous = JSON.parse(readFileSync(file, "utf8")) as { indexer?: IndexerSection };
  return previous.indexer ?? null;
}

async function main(): Promise<void> {
  const opts = new Command("bench")
    .option("--events <n>", "events the indexer bench fills each chain with (the issue's figure: 100000)", positive, 20_000)
    .option("--runs <n>", "runs of each indexer and API measurement (medians)", positive, 3)
    .option("--no-indexer", "skip the indexer bench")
    .option("--patents <n>", "patents the API bench registers on top of the demo ledger (the issue's figure: 100000)", positive, 100_000)
    .option("--duration <s>", "seconds of each API bench run", positive, 10)
    .option("--connections <n>", "autocannon connections of the API bench", positive, 10)
    .option("--no-api", "skip the API bench")
    .option("--scale", "also run the scale bench (bench/scale.ts; up to an hour at 1,000,000 patents)", false)
    .option("--scale-patents <n>", "patents of the scale run", positive, 1_000_000)
    .option("--scale-fixture", "scale run on the fixture node (bench/scale/fixture-node.ts) instead of an Anvil chain", false)
    .parse()
    .opts<{ events: number; runs: number; indexer: boolean; patents: number; duration: number; connections: number; api: boolean; scale: boolean; scalePatents: number; scaleFixture: boolean }>();
  const solidity = hre.config.solidity.compilers[0];
  const compiler = {
    solc: solidity?.version ?? "unknown",
    evmVersion: solidity?.settings?.evmVersion ?? "default",
    optimizer: solidity?.settings?.optimizer ?? {},
  };
  const rows: ResultRow[] = [];
  const modules: string[] = [];
  for (const file of moduleFiles()) {
    // Each module measures on a fresh chain, so that no module's gas depends on another's.
    await hre.network.provider.request({ method: "hardhat_reset", params: [] });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(path.join(GAS_DIR, file)) as { measure?: GasModule };
    if (typeof loaded.measure !== "function") throw new Error(`bench/gas/${file} exports no GasModule named "measure"`);
    rows.push(...(await loaded.measure()).map(toResult));
    modules.push(`bench/gas/${file}`);
  }

  const table = markdownTable(rows);
  const failed = rows.filter((r) => r.pass === false);
  const indexer = opts.indexer ? await runIndexerBench(opts.events, opts.runs) : previousIndexer();
  const api = opts.api
    ? await benchApi({ patents: opts.patents, runs: opts.runs, duration: opts.duration, connections: opts.connections, log: (line) => console.log(`api: ${line}`) })
    : null;
  let scale: ScaleResult | null = null;
  if (opts.scale) {
    scale = await benchScale({ patents: opts.scalePatents, requests: 300, unitsPerBlock: 1, cacheDir: path.join(__dirname, ".cache"), regenerate: false, fixture: opts.scaleFixture, log: (line) => console.log(`scale: ${line}`) });
    scale.command = `npm run bench -- --scale --scale-patents ${opts.scalePatents}${opts.scaleFixture ? " --scale-fixture" : ""}`;
    writeScaleResults(scale);
  }
  const lastScale = path.join(RESULTS_DIR, "scale.md");
  const scaleReport = scale
    ? [scaleMarkdown(scale)]
    : existsSync(lastScale)
      ? [`${readFileSync(lastScale, "utf8").trimEnd()}\n\n(Section of the last scale run, bench/results/scale.md, not rerun by this \`npm run bench\`.)\n`]
      : [];
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeAtomically(
    path.join(RESULTS_DIR, "gas.json"),
    `${JSON.stringify({ network: "hardhat (in-process EDR)", compiler, modules, rows, ...(indexer ? { indexer } : {}), ...(api ? { api } : {}) }, null, 2)}\n`,
  );
  const indexerReport = indexer
    ? [
        "## Indexer",
        "",
        `Produced by \`npm run bench\` (bench/indexer.ts) with ${fmt(indexer.events)} registry events per chain, medians of ${indexer.runs} run(s); ` +
          `one-minute load average ${indexer.loadAverage} on this 2-core machine when it started. End to end: \`scripts/gateway.ts rebuild\` as a new ` +
          "process, from spawn to fully indexed and exit. Start to serving: the gateway (server/main.ts) as a new process on an empty index, " +
          "from spawn to its first answer to GET /v1/health, while the backfill runs. `npm run bench -- --events 100000 --runs 3` gives the issue's figure." +
          (opts.indexer ? "" : " These figures are from an earlier run: the last run measured gas only (`--no-indexer`)."),
        "",
        indexerTable(indexer),
        "",
      ]
    : [];
  const report = [
    "# Bench report",
    "",
    "## Gas",
    "",
    `Exact gas used per transaction on the in-process Hardhat network (solc ${compiler.solc}, EVM ${compiler.evmVersion}, ` +
      `optimizer ${JSON.stringify(compiler.optimizer)}). Produced by \`npm run bench\` from ${modules.map((m) => `\`${m}\``).join(", ")}; ` +
      "gas is deterministic, so the numbers are exact, not medians. A target is met when the gas is below it.",
    "",
    table,
    "",
    failed.length === 0 ? "Every target is met." : `Targets missed: ${failed.map((r) => `${r.area} ${r.operation} (${r.note ?? ""})`).join("; ")}.`,
    "",
    ...indexerReport,
    ...(api ? [apiReport(api)] : []),
    ...scaleReport,
  ].join("\n");
  writeAtomically(path.join(RESULTS_DIR, "report.md"), report);
  console.log(table);
  console.log(failed.length === 0 ? "\nEvery gas target is met." : `\n${failed.length} gas target(s) missed.`);
  if (indexer && opts.indexer) console.log(`\n${indexerTable(indexer)}`);
  if (api) console.log(`\n${apiReport(api)}`);
  console.log(`\nWrote ${path.relative(process.cwd(), RESULTS_DIR)}/gas.json and report.md`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
