import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { connect } from "node:net";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { JsonRpcProvider, Network } from "ethers";
import { resolveAnvilBinary } from "../../scripts/anvil";
import { DEMO_PATENTS, demoPatentId } from "../../scripts/demo/patents";
import { demoWallet } from "../../server/chain/accounts";
import { readDeployments } from "../../server/chain/deployments";
import { LegalStatus } from "../../server/chain/roles";
import { PatentRegistry__factory } from "../../typechain-types";
import type { HealthResponse } from "../../server/api/routes/health";
import { freePort, processesOf } from "../helpers/processes";

const ROOT = path.resolve(__dirname, "..", "..");

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Every start of this file, to clean up after a failed test. */
const running: Started[] = [];

/** Runs what `npm start` runs (package.json): node --import tsx scripts/start.ts. */
function start(env: NodeJS.ProcessEnv): Started {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const started = { child, output: () => output, exited };
  running.push(started);
  return started;
}

async function waitForHealth(url: string, started: Started, timeoutMs: number): Promise<HealthResponse> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (started.child.exitCode !== null) throw new Error(`npm start exited early:\n${started.output()}`);
    try {
      const res = await fetch(`${url}/v1/health`, { signal: AbortSignal.timeout(1000) });
      if (res.status === 200) return (await res.json()) as HealthResponse;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no health answer within ${timeoutMs} ms:\n${started.output()}`);
}

async function stop(started: Started): Promise<number | null> {
  started.child.kill("SIGINT");
  const timeout = new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 40_000));
  const code = await Promise.race([started.exited, timeout]);
  if (code === "timeout") {
    started.child.kill("SIGKILL");
    throw new Error(`npm start did not stop within 40 s:\n${started.output()}`);
  }
  return code;
}

async function ledgerFacts(rpcUrl: string, deploymentsFile: string) {
  const deployments = readDeployments(deploymentsFile);
  const provider = new JsonRpcProvider(rpcUrl, Network.from(deployments.chainId), { staticNetwork: true });
  try {
    const registry = PatentRegistry__factory.connect(deployments.contracts.PatentRegistry ?? "", provider);
    const registered = await registry.queryFilter(registry.filters.PatentRegistered(), deployments.deploymentBlock);
    return {
      deployments,
      patents: registered.map((e) => e.args.patentId).sort(),
      scuOwner: await registry.ownerOf(demoPatentId("scu-rbd-vaccine")),
      movedOwner: await registry.ownerOf(demoPatentId("uestc-superjunction-mosfet")),
      lapsed: await registry.legalStatus(demoPatentId("cqu-probabilistic-load-flow")),
    };
  } finally {
    provider.destroy();
  }
}

describe("npm start", function () {
  this.timeout(150_000);
  let dataDir: string;
  let externalDataDir: string;
  let env: NodeJS.ProcessEnv;
  let chainPort: number;
  let port: number;

  before(function () {
    try {
      resolveAnvilBinary();
    } catch {
      this.skip(); // no Anvil build for this platform
    }
    dataDir = mkdtempSync(path.join(os.tmpdir(), "tianfu-start-"));
    externalDataDir = mkdtempSync(path.join(os.tmpdir(), "tianfu-start-external-"));
  });

  beforeEach(async () => {
    chainPort = await freePort();
    port = await freePort();
    env = { ...process.env, DATA_DIR: dataDir, CHAIN_PORT: String(chainPort), PORT: String(port), LOG_LEVEL: "warn" };
    for (const name of ["CHAIN_RPC_URL", "DEPLOYMENTS_FILE", "FRESH", "HOST"]) delete env[name];
  });

  afterEach(async () => {
    for (const started of running.splice(0)) {
      if (started.child.exitCode === null && started.child.signalCode === null) await stop(started).catch(() => {});
    }
    // Last resort after a failed test: nothing of ours may outlive the suite.
    for (const dir of [dataDir, externalDataDir]) {
      for (const pid of dir ? processesOf(dir) : []) process.kill(pid, "SIGKILL");
    }
  });

  after(() => {
    for (const dir of [dataDir, externalDataDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("starts the chain and the gateway, seeds the demo ledger, stops on SIGINT and keeps the patents across a restart", async () => {
    const gatewayUrl = `http://127.0.0.1:${port}`;
    const rpcUrl = `http://127.0.0.1:${chainPort}`;
    const deploymentsFile = path.join(dataDir, "deployments", "local.json");

    // First start: deploys and seeds.
    const first = start(env);
    const health1 = await waitForHealth(gatewayUrl, first, 90_000);
    const facts1 = await ledgerFacts(rpcUrl, deploymentsFile);
    expect(health1.chainId).to.equal(31337);
    expect(health1.contracts).to.deep.equal(facts1.deployments.contracts);
    expect(facts1.patents.length).to.equal(DEMO_PATENTS.length);
    expect(facts1.scuOwner).to.equal(demoWallet("scu").address);
    expect(facts1.movedOwner).to.equal(demoWallet("rongxin").address);
    expect(facts1.lapsed).to.equal(BigInt(LegalStatus.Lapsed));
    expect(await stop(first), first.output()).to.equal(0);
    expect(existsSync(path.join(dataDir, "chain", "anvil-state.json"))).to.equal(true);
    expect(processesOf(dataDir), "processes left after the first stop").to.deep.equal([]);
    expect(await portOpen(chainPort)).to.equal(false);
    expect(await portOpen(port)).to.equal(false);

    // Second start: reuses the persisted chain; the same patents, the same head.
    const second = start(env);
    const health2 = await waitForHealth(gatewayUrl, second, 60_000);
    expect(second.output()).to.include("reusing the ledger");
    const facts2 = await ledgerFacts(rpcUrl, deploymentsFile);
    expect(facts2.deployments).to.deep.equal(facts1.deployments);
    expect(facts2.patents).to.deep.equal(facts1.patents);
    expect(facts2.movedOwner).to.equal(facts1.movedOwner);
    expect(health2.head).to.deep.equal(health1.head);
    expect(await stop(second), second.output()).to.equal(0);
    expect(processesOf(dataDir), "processes left after the second stop").to.deep.equal([]);
    expect(await portOpen(chainPort)).to.equal(false);
    expect(await portOpen(port)).to.equal(false);
  });

  it("starts from a clean ledger with FRESH=1, and serves an external chain without starting one", async () => {
    const gatewayUrl = `http://127.0.0.1:${port}`;
    const rpcUrl = `http://127.0.0.1:${chainPort}`;
    const deploymentsFile = path.join(dataDir, "deployments", "local.json");
    const before = readDeployments(deploymentsFile); // left by the previous test

    const fresh = start({ ...env, FRESH: "1" });
    await waitForHealth(gatewayUrl, fresh, 90_000);
    expect(fresh.output()).to.include("fresh start").and.to.include("deployed the ledger");
    const facts = await ledgerFacts(rpcUrl, deploymentsFile);
    expect(facts.deployments.deployedAt).to.not.equal(before.deployedAt);
    expect(facts.patents.length).to.equal(DEMO_PATENTS.length);

    // A second system on the same chain: CHAIN_RPC_URL and DEPLOYMENTS_FILE, its own gateway port.
    const externalPort = await freePort();
    const external = start({
      ...env,
      DATA_DIR: externalDataDir,
      PORT: String(externalPort),
      CHAIN_RPC_URL: rpcUrl,
      DEPLOYMENTS_FILE: deploymentsFile,
    });
    const health = await waitForHealth(`http://127.0.0.1:${externalPort}`, external, 60_000);
    expect(external.output()).to.include("no local chain, no deploy, no seed");
    expect(health.contracts).to.deep.equal(facts.deployments.contracts);
    expect(readDeployments(deploymentsFile)).to.deep.equal(facts.deployments);
    expect(await stop(external), external.output()).to.equal(0);
    expect(processesOf(externalDataDir), "processes left by the external start").to.deep.equal([]);
    expect(await portOpen(chainPort), "the external start must leave the chain running").to.equal(true);
    expect(existsSync(path.join(externalDataDir, "chain"))).to.equal(false);

    expect(await stop(fresh), fresh.output()).to.equal(0);
    expect(processesOf(dataDir), "processes left after the fresh start").to.deep.equal([]);
    expect(await portOpen(chainPort)).to.equal(false);
  });
});
