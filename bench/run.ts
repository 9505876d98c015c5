import { mkdirSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import hre from "hardhat";
import type { GasModule, GasRow } from "./gas/types";

/**
 * `npm run bench` (hardhat run bench/run.ts): runs every bench module in bench/gas/ (each exports a
 * GasModule named `measure`) on a fresh in-process Hardhat network, then writes bench/results/gas.json
 * and bench/results/report.md and prints the table. Gas is deterministic: the numbers are exact.
 */
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

async function main(): Promise<void> {
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
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeAtomically(
    path.join(RESULTS_DIR, "gas.json"),
    `${JSON.stringify({ network: "hardhat (in-process EDR)", compiler, modules, rows }, null, 2)}\n`,
  );
  const report = [
    "# Gas report",
    "",
    `Exact gas used per transaction on the in-process Hardhat network (solc ${compiler.solc}, EVM ${compiler.evmVersion}, ` +
      `optimizer ${JSON.stringify(compiler.optimizer)}). Produced by \`npm run bench\` from ${modules.map((m) => `\`${m}\``).join(", ")}; ` +
      "gas is deterministic, so the numbers are exact, not medians. A target is met when the gas is below it.",
    "",
    table,
    "",
    failed.length === 0 ? "Every target is met." : `Targets missed: ${failed.map((r) => `${r.area} ${r.operation} (${r.note ?? ""})`).join("; ")}.`,
    "",
  ].join("\n");
  writeAtomically(path.join(RESULTS_DIR, "report.md"), report);
  console.log(table);
  console.log(failed.length === 0 ? "\nEvery target is met." : `\n${failed.length} target(s) missed.`);
  console.log(`\nWrote ${path.relative(process.cwd(), RESULTS_DIR)}/gas.json and report.md`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
