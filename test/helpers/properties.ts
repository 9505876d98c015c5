import type { Parameters } from "fast-check";

/**
 * Fixed seed so that a failure reproduces (FC_SEED overrides it); FC_RUNS raises or lowers the number of
 * runs (default 200). docs/testing.md: how to run the property suites deeper.
 */
export const FC_SEED = Number(process.env.FC_SEED ?? 20_260_527);

export function fcParams<T>(defaultRuns = 200): Parameters<T> {
  const runs = Number(process.env.FC_RUNS ?? defaultRuns);
  return { seed: FC_SEED, numRuns: Number.isInteger(runs) && runs > 0 ? runs : defaultRuns };
}
