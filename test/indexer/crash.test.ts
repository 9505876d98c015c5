import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { dataPaths } from "../../server/config";
import { writeDeployments } from "../../server/chain/deployments";
import { createQueries } from "../../server/indexer/queries";
import { openStore } from "../../server/store/db";
import { keys } from "../../server/store/keys";
import { startAnvil, type AnvilNode } from "./helpers/anvil";
import { deployOn, dumpStore, indexerFor, record, runScenario, tempStore, type DeployedLedger } from "./helpers/ledger";
import { startProxy, type RpcProxy } from "./helpers/proxy";

const ROOT = path.join(__dirname, "../..");
const KILLS = Number(process.env.CRASH_KILLS ?? 10);
/** Seeds the kill delays; a failure prints it (CRASH_SEED reruns the same kill points). */
const CRASH_SEED = Number(process.env.CRASH_SEED ?? 20261127);

interface Run {
  child: ChildProcess;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** Resolves when stdout first contains `text`. */
  saw(text: string): Promise<void>;
}

function runGateway(args: string[], env: NodeJS.ProcessEnv): Run {
  // One node process (tsx as a loader, not a wrapper), so SIGKILL hits the indexer itself.
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts/gateway.ts"), ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.once("exit", (code) => resolve({ code, stdout, stderr })));
  const saw = (text: string) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (stdout.includes(text)) {
          child.stdout?.off("data", check);
          resolve();
        }
      };
      child.stdout?.on("data", check);
      void done.then(() => resolve());
      check();
    });
  return { child, done, saw };
}

/**
 * kill -9 the indexer (scripts/gateway.ts sync, a separate process) at random points of a backfill in
 * small ranges behind a slow proxy, restart it each time, and compare the end result byte for byte with
 * a clean index built in one go.
 */
describe("Indexer crash safety", () => {
  let node: AnvilNode;
  let proxy: RpcProxy;
  let ledger: DeployedLedger;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    node = await startAnvil();
    ledger = await deployOn(node.url);
    await runScenario(ledger);
    const holder = await ledger.parties.scu.getAddress();
    for (let i = 0; i < 80; i++) await (await ledger.registry.connect(ledger.parties.registrar).register(record(holder, 1000 + i))).wait();
    proxy = await startProxy(node.url, 40);
    dir = mkdtempSync(path.join(tmpdir(), "tianfu-crash-"));
    const deploymentsFile = path.join(dir, "deployments.json");
    writeDeployments(deploymentsFile, ledger.deployments);
    env = { CHAIN_RPC_URL: proxy.url, DEPLOYMENTS_FILE: deploymentsFile, DATA_DIR: path.join(dir, "data"), REORG_WINDOW: "8", LOG_LEVEL: "silent" };
  });

  after(async () => {
    await proxy?.close();
    await node?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function storedCursor(): Promise<number> {
    const db = await openStore(dataPaths({ dataDir: path.join(dir, "data") }).gatewayDb);
    try {
      return (await db.get<{ number: number; hash: string | null }>(keys.cursor()))?.number ?? -1;
    } finally {
      await db.close();
    }
  }

  it(`ends byte-identical to a clean rebuild after ${KILLS} kill -9 during the backfill (seed ${CRASH_SEED})`, async function () {
    this.timeout(240_000);
    const head = await ledger.provider.getBlockNumber();
    const cursors: number[] = [];
    let seed = CRASH_SEED;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < KILLS && (cursors.at(-1) ?? -1) < head; i++) {
      const { child, done, saw } = runGateway(["sync", "--range", "2"], { ...env, LOG_LEVEL: "debug" });
      // Kill somewhere in the indexing after this run's first committed range: start-up and the first
      // range take from 0.3 s to several seconds depending on the machine's load, so a delay counted
      // from the chain check alone may land before any progress on a busy machine.
      await saw('"msg":"backfilled range"');
      await new Promise((r) => setTimeout(r, Math.floor(random() * 500)));
      child.kill("SIGKILL");
      await done;
      cursors.push(await storedCursor());
    }
    const finish = await runGateway(["sync"], env).done;
    expect(finish.code, finish.stderr).to.equal(0);
    // The kills landed at different points of the backfill (at least several mid-way).
    const midway = cursors.filter((c) => c > ledger.deployments.deploymentBlock && c < head);
    expect(midway.length, `cursors at the kills: ${cursors.join(", ")}`).to.be.greaterThanOrEqual(Math.min(5, KILLS));
    expect(cursors, "each restart resumed from a cursor at or above the previous one").to.deep.equal([...cursors].sort((x, y) => x - y));

    const clean = await tempStore();
    const killed = await openStore(dataPaths({ dataDir: path.join(dir, "data") }).gatewayDb);
    try {
      await indexerFor(node.url, clean.store, ledger.deployments, { reorgWindow: 8 }).syncToHead();
      expect(await dumpStore(killed)).to.deep.equal(await dumpStore(clean.store));
      expect((await createQueries(killed).getDigest()).block).to.equal(head);
    } finally {
      await killed.close();
      await clean.close();
    }
  });

  it("rebuild wipes and re-indexes (keeping the gateway-local webhooks), digest prints the digest at a block", async () => {
    const db = dataPaths({ dataDir: env.DATA_DIR! }).gatewayDb;
    const before = await openStore(db);
    await before.batch([{ key: keys.webhook("wh_kept"), value: { url: "https://receiver.example.com/" } }]);
    await before.close();
    const rebuilt = await runGateway(["rebuild"], { ...env, CHAIN_RPC_URL: node.url });
    const out = await rebuilt.done;
    expect(out.code, out.stderr).to.equal(0);
    const after = await openStore(db);
    try {
      expect(await after.get(keys.webhook("wh_kept"))).to.deep.equal({ url: "https://receiver.example.com/" });
    } finally {
      await after.close();
    }
    const summary = JSON.parse(out.stdout) as { block: { number: number }; digest: string };
    const digest = await runGateway(["digest", "--block", String(summary.block.number)], env).done;
    expect(JSON.parse(digest.stdout)).to.include({ block: summary.block.number, digest: summary.digest });
    const early = await runGateway(["digest", "--block", String(ledger.deployments.deploymentBlock)], env).done;
    expect(JSON.parse(early.stdout).digest).to.not.equal(summary.digest);
  });
});
