import path from "node:path";
import { z } from "zod";

/**
 * The gateway's and the start script's configuration, parsed from the environment once (by the entry
 * point) and passed on in the AppContext. Bad values stop the program with a message naming the variable.
 */
const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const port = (fallback: number) =>
  z.coerce
    .number({ error: "expected a port number" })
    .int("expected a whole number")
    .min(0, "expected a port between 0 and 65535")
    .max(65535, "expected a port between 0 and 65535")
    .default(fallback);

const EnvSchema = z.object({
  HOST: z.string().min(1, "must not be empty").default("127.0.0.1"),
  PORT: port(8080),
  CHAIN_PORT: port(8545),
  CHAIN_RPC_URL: z
    .url({ protocol: /^(https?|wss?)$/, error: "expected an http(s) or ws(s) URL such as http://127.0.0.1:8545" })
    .optional(),
  DATA_DIR: z.string().min(1, "must not be empty").default("data"),
  DEPLOYMENTS_FILE: z.string().min(1, "must not be empty").optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(", ")}` }).default("info"),
  CONFIRMATIONS: z.coerce
    .number({ error: "expected a whole number of blocks" })
    .int("expected a whole number of blocks")
    .min(0, "must not be negative")
    .max(1000, "must be at most 1000")
    .default(0),
  REORG_WINDOW: z.coerce
    .number({ error: "expected a whole number of blocks" })
    .int("expected a whole number of blocks")
    .min(1, "must be at least 1")
    .max(100_000, "must be at most 100000")
    .default(64),
  RATE_LIMIT_PER_MINUTE: z.coerce
    .number({ error: "expected a whole number of requests per minute" })
    .int("expected a whole number of requests per minute")
    .min(0, "must not be negative (0 turns the limit off)")
    .default(1200),
  MIN_BLOCK_WAIT_MS: z.coerce
    .number({ error: "expected milliseconds" })
    .int("expected whole milliseconds")
    .min(0, "must not be negative")
    .max(10_000, "must be at most 10000")
    .default(2000),
  SEARCH_SCAN_LIMIT: z.coerce
    .number({ error: "expected a whole number of patents" })
    .int("expected a whole number of patents")
    .min(100, "must be at least 100")
    .max(1_000_000, "must be at most 1000000")
    .default(20_000),
  WEBHOOK_ALLOW_PRIVATE: z
    .enum(["true", "false", "1", "0"], { error: "expected true or false" })
    .transform((v) => v === "true" || v === "1")
    .default(false),
  WEBHOOK_TIMEOUT_MS: z.coerce
    .number({ error: "expected milliseconds" })
    .int("expected whole milliseconds")
    .min(100, "must be at least 100")
    .max(60_000, "must be at most 60000")
    .default(5000),
  WEBHOOK_MAX_ATTEMPTS: z.coerce
    .number({ error: "expected a whole number of attempts" })
    .int("expected a whole number of attempts")
    .min(1, "must be at least 1")
    .max(20, "must be at most 20")
    .default(8),
  WEBHOOK_RETRY_BASE_MS: z.coerce
    .number({ error: "expected milliseconds" })
    .int("expected whole milliseconds")
    .min(10, "must be at least 10")
    .max(600_000, "must be at most 600000")
    .default(2000),
});

export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  host: string;
  port: number;
  /** Port of the embedded local chain (Anvil) started by `npm start`. */
  chainPort: number;
  /** JSON-RPC endpoint of the chain: CHAIN_RPC_URL, or the local chain on CHAIN_PORT. */
  chainRpcUrl: string;
  /** True when CHAIN_RPC_URL names an external chain: no local chain, no deploy, no seed. */
  externalChain: boolean;
  dataDir: string;
  deploymentsFile: string;
  logLevel: LogLevel;
  /** Recent blocks whose headers and undo records the indexer keeps to roll back a reorg. */
  reorgWindow: number;
  /** Blocks the indexer waits behind the head before applying a block. */
  confirmations: number;
  /** Requests per minute and client address the API answers before 429 (0: no limit). */
  rateLimitPerMinute: number;
  /** How long a request with `minBlock` waits for the index before answering 409 INDEX_BEHIND. */
  minBlockWaitMs: number;
  /** Most patents a search examines for filters without an index before it answers a partial page. */
  searchScanLimit: number;
  /** Webhook deliveries (server/webhooks); docs/api.md "Webhooks". */
  webhooks: {
    /** Accept webhook URLs on loopback, private and link-local addresses (off: SSRF guard). */
    allowPrivate: boolean;
    /** How long a receiver has to answer one delivery. */
    timeoutMs: number;
    /** Attempts of one delivery before it is dropped and the webhook marked failing. */
    maxAttempts: number;
    /** Delay before the first retry; each further retry waits twice as long (capped at one hour). */
    retryBaseMs: number;
  };
}

/** Where the local system keeps its files under DATA_DIR. */
export interface DataPaths {
  chainDir: string;
  chainState: string;
  chainLog: string;
  gatewayDb: string;
  /** Pids of the children of `npm start` (scripts/leftovers.ts). */
  pidFile: string;
}

export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(`invalid configuration: ${problems.map((p) => `${p.variable}: ${p.message}`).join("; ")}`);
  }
}

/** Parses the environment (process.env by default). Throws ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable counts as unset, as in most shells' `VAR= cmd` idiom.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? "(environment)"), message: i.message })),
    );
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    host: e.HOST,
    port: e.PORT,
    chainPort: e.CHAIN_PORT,
    chainRpcUrl: e.CHAIN_RPC_URL ?? `http://127.0.0.1:${e.CHAIN_PORT}`,
    externalChain: e.CHAIN_RPC_URL !== undefined,
    dataDir,
    deploymentsFile: path.resolve(e.DEPLOYMENTS_FILE ?? path.join(dataDir, "deployments", "local.json")),
    logLevel: e.LOG_LEVEL,
    confirmations: e.CONFIRMATIONS,
    reorgWindow: e.REORG_WINDOW,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    minBlockWaitMs: e.MIN_BLOCK_WAIT_MS,
    searchScanLimit: e.SEARCH_SCAN_LIMIT,
    webhooks: {
      allowPrivate: e.WEBHOOK_ALLOW_PRIVATE,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      maxAttempts: e.WEBHOOK_MAX_ATTEMPTS,
      retryBaseMs: e.WEBHOOK_RETRY_BASE_MS,
    },
  };
}

export function dataPaths(config: Pick<Config, "dataDir">): DataPaths {
  const chainDir = path.join(config.dataDir, "chain");
  return {
    chainDir,
    chainState: path.join(chainDir, "anvil-state.json"),
    chainLog: path.join(chainDir, "anvil.log"),
    gatewayDb: path.join(config.dataDir, "gateway"),
    pidFile: path.join(config.dataDir, "start.pids.json"),
  };
}
