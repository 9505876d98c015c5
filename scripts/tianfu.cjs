#!/usr/bin/env node
// Launcher for `npx tianfu`: runs scripts/cli.ts with tsx from this package.
const { spawnSync } = require("node:child_process");
const path = require("node:path");

const tsxCli = require.resolve("tsx/cli");
const result = spawnSync(process.execPath, [tsxCli, path.join(__dirname, "cli.ts"), ...process.argv.slice(2)], { stdio: "inherit" });
if (result.error) {
  process.stderr.write(`tianfu: ${result.error.message}\n`);
  process.exit(1);
}
process.exit(result.status ?? 1);
