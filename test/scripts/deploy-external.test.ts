import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { JsonRpcProvider, Wallet, parseEther } from "ethers";
import { DeployError, deployExternal } from "../../scripts/deploy-external";
import { CONTRACT_NAMES } from "../../scripts/deploy";
import { demoWallet } from "../../server/chain/accounts";
import { readDeployments } from "../../server/chain/deployments";
import { Roles } from "../../server/chain/roles";
import { LedgerAccessManager__factory } from "../../typechain-types";
import { startAnvil, type AnvilNode } from "../indexer/helpers/anvil";

const ROOT = path.join(__dirname, "../..");

/** The DeployError a call rejects with (fails the test if it resolves or rejects otherwise). */
async function deployError(call: Promise<unknown>): Promise<DeployError> {
  try {
    await call;
  } catch (err) {
    expect(err).to.be.instanceOf(DeployError);
    return err as DeployError;
  }
  throw new Error("expected a DeployError");
}

function runScript(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts/deploy-external.ts"), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, NODE_V8_COVERAGE: process.env.NODE_V8_COVERAGE, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, stdout, stderr })));
}

describe("scripts/deploy-external", () => {
  // A permissioned chain stands in: Anvil with a chain id of its own and a deployer key that is not a demo key.
  const CHAIN_ID = 1337;
  let node: AnvilNode;
  let dir: string;
  let deployer: Wallet;
  const registrar = Wallet.createRandom().address;
  const bank = Wallet.createRandom().address;

  before(async () => {
    node = await startAnvil(["--chain-id", String(CHAIN_ID)]);
    dir = mkdtempSync(path.join(tmpdir(), "tianfu-deploy-"));
    deployer = Wallet.createRandom() as unknown as Wallet;
    await node.rpc("anvil_setBalance", [deployer.address, "0x" + parseEther("100").toString(16)]);
    writeFileSync(path.join(dir, "roles.json"), JSON.stringify({ registrars: [registrar], banks: [bank] }));
  });

  after(async () => {
    await node?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const envFor = (file: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    CHAIN_RPC_URL: node.url,
    DEPLOYER_KEY: deployer.privateKey,
    DEPLOYMENTS_FILE: path.join(dir, file),
    ROLES_FILE: path.join(dir, "roles.json"),
    ...extra,
  });

  describe("deployExternal", () => {
    it("deploys every ledger contract, grants the roles of ROLES_FILE, hands ADMIN over and writes the deployments file", async () => {
      const admin = Wallet.createRandom().address;
      const written = await deployExternal({ env: envFor("a.json"), admin });
      const file = readDeployments(path.join(dir, "a.json"));
      expect(file).to.deep.equal(written);
      expect(file.chainId).to.equal(CHAIN_ID);
      expect(Object.keys(file.contracts).sort()).to.deep.equal(Object.values(CONTRACT_NAMES).sort());
      const provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true });
      try {
        for (const [name, at] of Object.entries(file.contracts)) expect(await provider.getCode(at), name).to.not.equal("0x");
        const manager = LedgerAccessManager__factory.connect(file.contracts.LedgerAccessManager!, provider);
        const deployBlock = await provider.getBlock(file.deploymentBlock);
        const tx = await provider.getTransaction(deployBlock!.transactions[0]!);
        expect(tx!.to, "the AccessManager's deployment is in the deployment block").to.equal(null);
        expect((await manager.hasRole(Roles.REGISTRAR, registrar))[0]).to.equal(true);
        expect((await manager.hasRole(Roles.BANK, bank))[0]).to.equal(true);
        expect((await manager.hasRole(Roles.ADMIN, admin))[0]).to.equal(true);
        expect((await manager.hasRole(Roles.ADMIN, deployer.address))[0]).to.equal(false);
      } finally {
        provider.destroy();
      }
    });

    it("refuses to overwrite an existing deployments file", async () => {
      writeFileSync(path.join(dir, "kept.json"), "{}");
      expect((await deployError(deployExternal({ env: envFor("kept.json") }))).message).to.match(/kept\.json exists/);
    });

    it("refuses a public development key on a chain other than 31337", async () => {
      const env = envFor("demo.json", { DEPLOYER_KEY: demoWallet("admin").privateKey });
      expect((await deployError(deployExternal({ env }))).message).to.match(/public development key: refusing to deploy on chain 1337/);
    });

    it("names each bad variable and a bad roles file", async () => {
      expect((await deployError(deployExternal({ env: { DEPLOYMENTS_FILE: "x.json", DEPLOYER_KEY: "0x12" } }))).message).to.match(/CHAIN_RPC_URL: .*; DEPLOYER_KEY: expected 0x followed by 64 hex digits/);
      writeFileSync(path.join(dir, "bad-roles.json"), JSON.stringify({ banks: ["0x1234"], brokers: [] }));
      expect((await deployError(deployExternal({ env: envFor("b.json", { ROLES_FILE: path.join(dir, "bad-roles.json") }) }))).message).to.match(/invalid ROLES_FILE .*banks\.0: expected an 0x-prefixed 20-byte address/);
      expect((await deployError(deployExternal({ env: envFor("c.json"), admin: "nobody" }))).message).to.match(/--admin nobody is not an address/);
    });
  });

  describe("command", () => {
    it("deploys and prints the deployments; exits 2 with a message on bad configuration", async function () {
      this.timeout(120_000);
      const ok = await runScript([], envFor("cli.json"));
      expect(ok.code, ok.stderr).to.equal(0);
      expect(JSON.parse(ok.stdout)).to.deep.equal(readDeployments(path.join(dir, "cli.json")));
      const again = await runScript([], envFor("cli.json"));
      expect(again.code).to.equal(2);
      expect(again.stderr).to.match(/deploy-external: .*cli\.json exists/);
    });
  });
});
