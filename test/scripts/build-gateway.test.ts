import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { resolveAnvilBinary } from "../../scripts/anvil";
import { buildGateway } from "../../scripts/build-gateway";
import type { HealthResponse } from "../../server/api/routes/health";
import { freePort } from "../helpers/processes";

const ROOT = path.resolve(__dirname, "..", "..");

async function waitFor<T>(probe: () => Promise<T | undefined>, child: ChildProcess, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("no answer in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("build-gateway", function () {
  this.timeout(120_000);
  const children: ChildProcess[] = [];
  let dir: string;

  before(() => {
    // Under the repository: the bundle loads its native and external packages from node_modules.
    mkdirSync(path.join(ROOT, "dist"), { recursive: true });
    dir = mkdtempSync(path.join(ROOT, "dist", "test-gateway-bundle-"));
  });

  after(async () => {
    for (const c of children) {
      if (c.exitCode === null && c.signalCode === null) {
        const exited = new Promise((r) => c.once("exit", r));
        c.kill("SIGTERM");
        await exited;
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it("bundles a gateway that starts, answers GET /v1/health from the chain and stops on SIGTERM", async () => {
    const outDir = path.join(dir, "dist", "gateway");
    await buildGateway(outDir);
    for (const f of ["main.cjs", "main.bundle.cjs", "gateway.cjs", "gateway.bundle.cjs"]) expect(existsSync(path.join(outDir, f)), f).to.equal(true);
    expect(existsSync(path.join(dir, "dist", "data", "ipc-industry.json"))).to.equal(true);

    const rpcPort = await freePort();
    const anvil = spawn(resolveAnvilBinary(), ["--port", String(rpcPort), "--silent"], { stdio: "ignore" });
    children.push(anvil);
    const rpcUrl = `http://127.0.0.1:${rpcPort}`;
    await waitFor(async () => ((await fetch(rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: '{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}' })).ok ? true : undefined), anvil, 30_000);

    const deploymentsFile = path.join(dir, "deployments.json");
    const zero = "0x0000000000000000000000000000000000000001";
    writeFileSync(deploymentsFile, JSON.stringify({ chainId: 31337, deploymentBlock: 0, deployedAt: new Date().toISOString(), contracts: { LedgerAccessManager: zero, PatentRegistry: zero } }));
    const port = await freePort();
    const gateway = spawn(process.execPath, [path.join(outDir, "main.cjs")], {
      env: { ...process.env, CHAIN_RPC_URL: rpcUrl, DEPLOYMENTS_FILE: deploymentsFile, DATA_DIR: path.join(dir, "data"), HOST: "127.0.0.1", PORT: String(port), LOG_LEVEL: "warn" },
      stdio: ["ignore", "ignore", "inherit"],
    });
    children.push(gateway);
    const health = await waitFor(async () => {
      const res = await fetch(`http://127.0.0.1:${port}/v1/health`);
      return res.status === 200 ? ((await res.json()) as HealthResponse) : undefined;
    }, gateway, 60_000);
    expect(health.head.number).to.equal(0);

    const exited = new Promise<number | null>((r) => gateway.once("exit", (code) => r(code)));
    gateway.kill("SIGTERM");
    expect(await exited).to.equal(0);
  });
});
