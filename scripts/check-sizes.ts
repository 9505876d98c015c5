/**
 * Contract size gate: every deployable contract under contracts/ (contracts/test/ excepted) must fit the
 * EIP-170 limit of 24,576 bytes of runtime code, and its creation code the EIP-3860 limit of 49,152 bytes.
 * Reads the compiled artifacts (run `npm run build` first), prints a table and exits 1 over a limit.
 *
 *   npx tsx scripts/check-sizes.ts [--artifacts DIR]
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { CONTRACT_NAMES } from "./deploy";

export const RUNTIME_LIMIT = 24_576;
export const INITCODE_LIMIT = 49_152;

export interface ContractSize {
  name: string;
  /** Source file relative to the project root, e.g. contracts/registry/PatentRegistry.sol. */
  source: string;
  runtime: number;
  initcode: number;
}

interface Artifact {
  contractName: string;
  sourceName: string;
  bytecode: string;
  deployedBytecode: string;
}

const byteLength = (hex: string) => Math.max(0, (hex.length - 2) / 2);

function* artifactFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* artifactFiles(full);
    else if (entry.name.endsWith(".json") && !entry.name.endsWith(".dbg.json")) yield full;
  }
}

/** Sizes of every contract with code under `artifactsDir`/contracts, the test contracts left out. */
export function contractSizes(artifactsDir: string): ContractSize[] {
  const root = path.join(artifactsDir, "contracts");
  if (!existsSync(root)) throw new Error(`no artifacts in ${root}: run \`npm run build\` first`);
  const sizes: ContractSize[] = [];
  for (const file of artifactFiles(root)) {
    const a = JSON.parse(readFileSync(file, "utf8")) as Artifact;
    if (a.sourceName.startsWith("contracts/test/")) continue;
    const runtime = byteLength(a.deployedBytecode);
    if (runtime === 0) continue; // interfaces and abstract contracts
    sizes.push({ name: a.contractName, source: a.sourceName, runtime, initcode: byteLength(a.bytecode) });
  }
  return sizes.sort((x, y) => y.runtime - x.runtime);
}

export interface SizeReport {
  sizes: ContractSize[];
  /** Human-readable problems; empty when the gate passes. */
  problems: string[];
}

export function checkSizes(sizes: ContractSize[], required: readonly string[]): SizeReport {
  const problems: string[] = [];
  for (const s of sizes) {
    if (s.runtime > RUNTIME_LIMIT) problems.push(`${s.name}: runtime code ${s.runtime} bytes > ${RUNTIME_LIMIT}`);
    if (s.initcode > INITCODE_LIMIT) problems.push(`${s.name}: creation code ${s.initcode} bytes > ${INITCODE_LIMIT}`);
  }
  for (const name of required) {
    if (!sizes.some((s) => s.name === name)) problems.push(`${name}: deployed by deployLedger but no artifact found`);
  }
  return { sizes, problems };
}

export function formatTable(sizes: ContractSize[]): string {
  const rows = sizes.map((s) => [
    s.name,
    s.runtime.toLocaleString("en-US"),
    (RUNTIME_LIMIT - s.runtime).toLocaleString("en-US"),
    `${((100 * s.runtime) / RUNTIME_LIMIT).toFixed(1)}%`,
    s.initcode.toLocaleString("en-US"),
  ]);
  const header = ["contract", "runtime bytes", "margin", "of limit", "creation bytes"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

function main(): void {
  const i = process.argv.indexOf("--artifacts");
  const dir = path.resolve(i > 0 ? (process.argv[i + 1] ?? "artifacts") : path.join(__dirname, "..", "artifacts"));
  const report = checkSizes(contractSizes(dir), Object.values(CONTRACT_NAMES));
  console.log(formatTable(report.sizes));
  console.log(`limits: runtime ${RUNTIME_LIMIT} bytes (EIP-170), creation ${INITCODE_LIMIT} bytes (EIP-3860)`);
  if (report.problems.length > 0) {
    for (const p of report.problems) console.error(`size check: ${p}`);
    process.exit(1);
  }
  console.log(`size check: ${report.sizes.length} contracts within the limits`);
}

if (require.main === module) main();
