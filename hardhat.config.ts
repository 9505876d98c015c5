import path from "node:path";
import { subtask } from "hardhat/config";
import {
  TASK_COMPILE_SOLIDITY_CHECK_ERRORS,
  TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD,
} from "hardhat/builtin-tasks/task-names";
import type { HardhatUserConfig } from "hardhat/config";
import "@nomicfoundation/hardhat-toolbox";

/** The compiler ships as the npm package `solc`; Hardhat must never download one. */
const SOLC_VERSION = "0.8.28";

subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }, _hre, runSuper) => {
  if (args.solcVersion !== SOLC_VERSION) return runSuper(args);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solc = require("solc") as { version(): string };
  return {
    compilerPath: path.join(path.dirname(require.resolve("solc/package.json")), "soljson.js"),
    isSolcJs: true,
    version: SOLC_VERSION,
    longVersion: solc.version(),
  };
});

interface SolcDiagnostic {
  severity: string;
  formattedMessage?: string;
  sourceLocation?: { file: string };
}

/** Compiler warnings in our own sources fail the build (instrumented coverage builds excepted). */
subtask(TASK_COMPILE_SOLIDITY_CHECK_ERRORS, async (args: { output: { errors?: SolcDiagnostic[] } }, hre, runSuper) => {
  await runSuper(args);
  if ((hre as unknown as { __SOLIDITY_COVERAGE_RUNNING?: boolean }).__SOLIDITY_COVERAGE_RUNNING) return;
  const warnings = (args.output.errors ?? []).filter(
    (e) => e.severity === "warning" && e.sourceLocation?.file.startsWith("contracts/"),
  );
  if (warnings.length > 0) {
    throw new Error(`${warnings.length} compiler warning(s) in contracts/: the build treats warnings as errors`);
  }
});

/**
 * Under `hardhat coverage` (solidity-coverage follows every EVM step in JavaScript, tens of times slower, and
 * its probes add gas) the tests whose titles match this skip; they run in `npm test`: 200 patents in one call
 * (no line that the smaller batches miss) and gas ceilings (instrumented code costs more gas).
 */
const SKIP_UNDER_COVERAGE = /registers MAX_BATCH \(200\) records in one call|\(gas below [\d,]+\)/;
const underCoverage = process.argv.includes("coverage");

const config: HardhatUserConfig = {
  solidity: {
    version: SOLC_VERSION,
    settings: {
      evmVersion: "cancun",
      optimizer: { enabled: true, runs: 200 },
      viaIR: false,
      // Storage layouts land in artifacts/build-info: test/certificate/layout.test.ts pins the slots that
      // verifiable certificates prove (server/certificate/layout.ts) against them.
      outputSelection: { "*": { "*": ["storageLayout"] } },
    },
  },
  networks: {
    hardhat: {
      // The development mnemonic: named demo accounts (scripts/accounts.ts) derive from it.
      accounts: { count: 20 },
      allowUnlimitedContractSize: false,
    },
    localhost: { url: process.env.CHAIN_RPC_URL ?? "http://127.0.0.1:8545" },
  },
  gasReporter: { enabled: process.env.REPORT_GAS === "1", offline: true },
  mocha: underCoverage ? { timeout: 900_000, grep: SKIP_UNDER_COVERAGE, invert: true } : { timeout: 120_000 },
};

export default config;
