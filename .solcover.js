// solidity-coverage: `npm run coverage:sol` (scripts/ci-gates.sh runs it in CI). The gate (scripts/check-coverage.ts) reads
// coverage/coverage-summary.json: >= 95% lines and >= 90% branches of contracts/, contracts/test/ excluded.
module.exports = {
  skipFiles: ["test/"],
  istanbulReporter: ["text", "json-summary", "json", "lcov"],
  // The gate reads lines and branches only; statement and function probes would only slow the run.
  measureStatementCoverage: false,
  measureFunctionCoverage: false,
};
