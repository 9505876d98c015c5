/**
 * Gateway maintenance commands.
 *   tsx scripts/gateway.ts rebuild            wipe the index and re-index from the deployment block (webhooks are kept)
 *   tsx scripts/gateway.ts sync [--range N]   index from the cursor up to the node's safe head, then exit
 *   tsx scripts/gateway.ts digest [--block N] the index digest at block N (default: the indexed block)
 * Configured by CHAIN_RPC_URL, DEPLOYMENTS_FILE and DATA_DIR (optional: CONFIRMATIONS, REORG_WINDOW).
 * The gateway must not be running: one process may open the LevelDB at a time.
 */
import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import { Command, InvalidArgumentError } from "commander";
import pino from "pino";
import { z } from "zod";
import { dataPaths } from "../server/config";
import { readDeployments } from "../server/chain/deployments";
import { createIndexer } from "../server/indexer/follower";
import { createQueries } from "../server/indexer/queries";
import { openStore } from "../server/store/db";
import { keys, prefixEnd } from "../server/store/keys";

const EnvSchema = z.object({
  CHAIN_RPC_URL: z.string().url().default("http://127.0.0.1:8545"),
  DEPLOYMENTS_FILE: z.string().min(1).default("deployments/localhost.json"),
  DATA_DIR: z.string().min(1).default("data"),
  CONFIRMATIONS: z.coerce.number().int().nonnegative().default(0),
  REORG_WINDOW: z.coerce.number().int().positive().default(64),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

function env() {
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) {
    console.error(`bad configuration: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    process.exit(2);
  }
  return parsed.data;
}

/** The gateway's index: the same folder the running gateway uses (server/config.ts dataPaths). */
const indexDir = (dataDir: string) => dataPaths({ dataDir: path.resolve(dataDir) }).gatewayDb;

/** The gateway-local state (`g/`: webhooks) of an index folder, which a rebuild keeps. */
async function gatewayLocalState(dir: string): Promise<{ key: string; value: string }[]> {
  if (!existsSync(dir)) return [];
  const db = await openStore(dir);
  try {
    const out: { key: string; value: string }[] = [];
    const prefix = keys.gatewayLocalPrefix();
    for await (const [key, value] of db.iterateRaw({ gte: prefix, lt: prefixEnd(prefix) })) out.push({ key, value });
    return out;
  } finally {
    await db.close();
  }
}

const program = new Command("gateway").description("Tianfu IP Ledger gateway maintenance");

program
  .command("rebuild")
  .description("wipe the index and re-index from the deployment block up to the node's safe head")
  .action(async () => {
    const e = env();
    const deployments = readDeployments(e.DEPLOYMENTS_FILE);
    const logger = pino({ level: e.LOG_LEVEL });
    const kept = await gatewayLocalState(indexDir(e.DATA_DIR));
    rmSync(indexDir(e.DATA_DIR), { recursive: true, force: true });
    const db = await openStore(indexDir(e.DATA_DIR));
    await db.batchEncoded(kept);
    const started = Date.now();
    try {
      const indexer = createIndexer({ rpcUrl: e.CHAIN_RPC_URL, db, deployments, logger, confirmations: e.CONFIRMATIONS, reorgWindow: e.REORG_WINDOW });
      const at = await indexer.syncToHead();
      const digest = await createQueries(db).getDigest(at.number);
      console.log(JSON.stringify({ rebuilt: indexDir(e.DATA_DIR), block: at, digest: digest.digest, seconds: (Date.now() - started) / 1000 }));
    } finally {
      await db.close();
    }
  });

program
  .command("sync")
  .description("index from the stored cursor up to the node's safe head, then exit")
  .option("--range <n>", "first and largest getLogs range in blocks (small values exercise many batches)", (v) => {
    if (!/^[1-9]\d*$/.test(v)) throw new InvalidArgumentError("expected a positive number of blocks");
    return Number(v);
  })
  .action(async (opts: { range?: number }) => {
    const e = env();
    const deployments = readDeployments(e.DEPLOYMENTS_FILE);
    const logger = pino({ level: e.LOG_LEVEL });
    const db = await openStore(indexDir(e.DATA_DIR));
    try {
      const indexer = createIndexer({
        rpcUrl: e.CHAIN_RPC_URL,
        db,
        deployments,
        logger,
        confirmations: e.CONFIRMATIONS,
        reorgWindow: e.REORG_WINDOW,
        ...(opts.range ? { initialRange: opts.range, maxRange: opts.range } : {}),
      });
      const at = await indexer.syncToHead();
      console.log(JSON.stringify({ synced: at }));
    } finally {
      await db.close();
    }
  });

program
  .command("digest")
  .description("print the index digest at a block (default: the indexed block)")
  .option("--block <n>", "block number", (v) => {
    if (!/^\d+$/.test(v)) throw new InvalidArgumentError("expected a block number");
    return Number(v);
  })
  .action(async (opts: { block?: number }) => {
    const e = env();
    const db = await openStore(indexDir(e.DATA_DIR));
    try {
      console.log(JSON.stringify(await createQueries(db).getDigest(opts.block)));
    } finally {
      await db.close();
    }
  });

program.parseAsync().catch((err: Error) => {
  console.error(`${err.name}: ${err.message}`);
  process.exit(1);
});
