/**
 * Deploys the ledger's contracts to an external EVM chain (Hyperledger Besu QBFT, FISCO BCOS web3 RPC, any
 * node with the standard eth_* JSON-RPC) with a key from the environment, grants the roles named in a roles
 * file and writes the deployments file the gateway and the CLI read. Deploys nothing else (no demo data).
 *
 *   CHAIN_RPC_URL=https://besu.example.org:8545 DEPLOYER_KEY=0x... DEPLOYMENTS_FILE=/etc/tianfu/besu.json \
 *   ROLES_FILE=/etc/tianfu/roles.json npm run deploy:external [-- --admin 0xADDRESS]
 *
 * The deployer becomes the AccessManager's ADMIN; `--admin` grants ADMIN to that address and renounces the
 * deployer's own ADMIN at the end. An existing deployments file is never overwritten. See docs/operations.md.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { JsonRpcProvider, NonceManager, Wallet, isAddress } from "ethers";
import { z } from "zod";
import { contractAddresses, deployLedger, type RoleGrants } from "./deploy";
import { DEMO_ACCOUNTS, demoWallet } from "../server/chain/accounts";
import { writeDeployments, type Deployments } from "../server/chain/deployments";
import { Roles } from "../server/chain/roles";

const address = z.string().refine((a) => isAddress(a), "expected an 0x-prefixed 20-byte address");

/** The roles file: who holds which role after deployment (every list may be empty). */
export const RolesFileSchema = z
  .object({
    registrars: z.array(address).default([]),
    venues: z.array(address).default([]),
    banks: z.array(address).default([]),
    appraisers: z.array(address).default([]),
    evaluators: z.array(address).default([]),
  })
  .strict();

const EnvSchema = z.object({
  CHAIN_RPC_URL: z.url({ protocol: /^(https?|wss?)$/, error: "expected an http(s) or ws(s) URL of the chain's JSON-RPC" }),
  DEPLOYER_KEY: z.string().regex(/^0x[0-9a-fA-F]{64}$/, "expected 0x followed by 64 hex digits"),
  DEPLOYMENTS_FILE: z.string().min(1, "must name the deployments file to write"),
  ROLES_FILE: z.string().min(1).optional(),
});

export class DeployError extends Error {
  override name = "DeployError";
}

/** The development chain id of Hardhat and Anvil: the only chain on which the public demo keys may deploy. */
const DEV_CHAIN_ID = 31337;

export function readRoleGrants(file: string | undefined): RoleGrants {
  if (!file) return { registrars: [], venues: [], banks: [], appraisers: [], evaluators: [] };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new DeployError(`cannot read ROLES_FILE ${file}: ${(err as Error).message}`);
  }
  const parsed = RolesFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new DeployError(`invalid ROLES_FILE ${file}: ${issues}`);
  }
  return parsed.data;
}

export interface ExternalDeployOptions {
  env: NodeJS.ProcessEnv;
  /** Hand ADMIN to this address and renounce the deployer's. */
  admin?: string;
  log?: (message: string) => void;
}

export async function deployExternal({ env, admin, log = () => {} }: ExternalDeployOptions): Promise<Deployments> {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new DeployError(parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join("; "));
  }
  const e = parsed.data;
  const file = path.resolve(e.DEPLOYMENTS_FILE);
  if (existsSync(file)) throw new DeployError(`${file} exists: the ledger named there is kept; choose another DEPLOYMENTS_FILE`);
  if (admin !== undefined && !isAddress(admin)) throw new DeployError(`--admin ${admin} is not an address`);
  const grants = readRoleGrants(e.ROLES_FILE);

  const provider = new JsonRpcProvider(e.CHAIN_RPC_URL, undefined, { staticNetwork: true });
  try {
    const chainId = Number(await provider.send("eth_chainId", []));
    const wallet = new Wallet(e.DEPLOYER_KEY);
    const demo = DEMO_ACCOUNTS.some((a) => demoWallet(a.name).privateKey === wallet.privateKey);
    if (demo && chainId !== DEV_CHAIN_ID) {
      throw new DeployError(`DEPLOYER_KEY is a public development key: refusing to deploy on chain ${chainId}`);
    }
    const deployer = new NonceManager(wallet.connect(provider));
    log(`deploying to chain ${chainId} at ${e.CHAIN_RPC_URL} as ${wallet.address}`);
    const ledger = await deployLedger(deployer, grants);
    const receipt = await ledger.accessManager.deploymentTransaction()?.wait();
    if (!receipt) throw new DeployError("cannot find the access manager's deployment receipt");
    if (admin !== undefined && admin.toLowerCase() !== wallet.address.toLowerCase()) {
      log(`handing ADMIN to ${admin}`);
      await (await ledger.accessManager.grantRole(Roles.ADMIN, admin, 0)).wait();
      await (await ledger.accessManager.renounceRole(Roles.ADMIN, wallet.address)).wait();
    }
    const deployments: Deployments = {
      chainId,
      deploymentBlock: receipt.blockNumber,
      deployedAt: new Date().toISOString(),
      contracts: await contractAddresses(ledger),
    };
    writeDeployments(file, deployments);
    log(`wrote ${file}`);
    return deployments;
  } finally {
    provider.destroy();
  }
}

async function main(): Promise<void> {
  const program = new Command("deploy-external")
    .description("deploy the ledger's contracts to an external EVM chain (CHAIN_RPC_URL, DEPLOYER_KEY, DEPLOYMENTS_FILE, ROLES_FILE)")
    .option("--admin <address>", "grant ADMIN to this address and renounce the deployer's ADMIN")
    .parse();
  const { admin } = program.opts<{ admin?: string }>();
  try {
    const deployments = await deployExternal({ env: process.env, admin, log: (m) => console.error(m) });
    console.log(JSON.stringify(deployments, null, 2));
  } catch (err) {
    if (err instanceof DeployError) {
      console.error(`deploy-external: ${err.message}`);
      process.exitCode = 2;
      return;
    }
    throw err;
  }
}

if (require.main === module) void main();
