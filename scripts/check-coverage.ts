/**
 * Solidity coverage gate: reads the istanbul summary that `hardhat coverage` wrote (coverage/coverage-summary.json,
 * see .solcover.js) and fails under 95% of lines or 90% of branches of contracts/ (contracts/test/ is not
 * instrumented). Prints the files below either threshold.
 *
 *   npx tsx scripts/check-coverage.ts [--summary FILE] [--lines 95] [--branches 90]
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

interface Metric {
  total: number;
  covered: number;
  pct: number | "Unknown";
}
type Summary = Record<string, { lines: Metric; branches: Metric; statements: Metric; functions: Metric }>;

export const LINES = 95;
export const BRANCHES = 90;

const pct = (m: Metric) => (typeof m.pct === "number" ? m.pct : 100);

export function checkSummary(summary: Summary, lines = LINES, branches = BRANCHES): { ok: boolean; report: string[] } {
  const total = summary.total;
  if (!total) return { ok: false, report: ["coverage summary has no total"] };
  const report: string[] = [];
  for (const [file, m] of Object.entries(summary)) {
    if (file === "total") continue;
    if (pct(m.lines) < lines || pct(m.branches) < branches) {
      report.push(`  ${path.relative(process.cwd(), file)}: lines ${pct(m.lines)}% (${m.lines.covered}/${m.lines.total}), branches ${pct(m.branches)}% (${m.branches.covered}/${m.branches.total})`);
    }
  }
  const ok = pct(total.lines) >= lines && pct(total.branches) >= branches;
  report.unshift(
    `solidity coverage: lines ${pct(total.lines)}% (${total.lines.covered}/${total.lines.total}, gate ${lines}%), ` +
      `branches ${pct(total.branches)}% (${total.branches.covered}/${total.branches.total}, gate ${branches}%)` +
      (report.length > 0 ? "; files under a gate:" : ""),
  );
  return { ok, report };
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

function main(): void {
  const file = path.resolve(arg("--summary", "coverage/coverage-summary.json"));
  if (!existsSync(file)) {
    console.error(`no coverage summary at ${file}: run \`npm run coverage:sol\` first`);
    process.exit(1);
  }
  const { ok, report } = checkSummary(
    JSON.parse(readFileSync(file, "utf8")) as Summary,
    Number(arg("--lines", String(LINES))),
    Number(arg("--branches", String(BRANCHES))),
  );
  for (const line of report) console.log(line);
  if (!ok) {
    console.error("solidity coverage: below the gate");
    process.exit(1);
  }
}

if (require.main === module) main();
