import { existsSync } from "node:fs";
import type { JsonRpcProvider, Signer } from "ethers";
import { contractAddresses, deployLedger, type RoleGrants } from "./deploy";
import { seedDemo, type SeedSummary } from "./seed";
import { DEMO_ACCOUNTS, demoWallet, type DemoAccount } from "../server/chain/accounts";
import { readDeployments, writeDeployments, type Deployments } from "../server/chain/deployments";

/** Role grants of the local ledger: every named demo account of a role holds it. */
export function demoRoleGrants(): RoleGrants {
  const of = (role: DemoAccount["role"]) =>
    DEMO_ACCOUNTS.filter((a) => a.role === role).map((a) => demoWallet(a.name).address);
  return {
    registrars: of("registrar"),
    venues: of("venue"),
    banks: of("bank"),
    appraisers: of("appraiser"),
    evaluators: of("evaluator"),
  };
}

/** Addresses by Solidity contract name, as the deployments file records them. */
/** Why an existing deployments file cannot be reused on this chain, or undefined if it can. */
async function staleReason(provider: JsonRpcProvider, file: string, chainId: number): Promise<string | undefined> {
  let deployments: Deployments;
  try {
    deployments = readDeployments(file);
  } catch (err) {
    return (err as Error).message;
  }
  if (deployments.chainId !== chainId) return `it names chain ${deployments.chainId}, the node is chain ${chainId}`;
  const registry = deployments.contracts.PatentRegistry ?? "";
  if ((await provider.getCode(registry)) === "0x") return `the chain has no PatentRegistry at ${registry}`;
  return undefined;
}

export interface LocalLedger {
  deployments: Deployments;
  /** False when the deployments file was reused; true when the ledger was deployed and seeded now. */
  created: boolean;
  seed?: SeedSummary;
  /** Why an existing deployments file was not reused. */
  replaced?: string;
}

/**
 * Reuses the ledger named by the deployments file if the chain still holds it; otherwise deploys the
 * contracts with the demo roles, seeds the demo data and writes the deployments file (last, so a
 * start interrupted halfway leaves no file naming a half-seeded ledger).
 */
export async function ensureLocalLedger(
  provider: JsonRpcProvider,
  file: string,
  log: (message: string) => void = () => {},
): Promise<LocalLedger> {
  const chainId = Number(await provider.send("eth_chainId", []));
  let replaced: string | undefined;
  if (existsSync(file)) {
    replaced = await staleReason(provider, file, chainId);
    if (!replaced) return { deployments: readDeployments(file), created: false };
    log(`not reusing ${file}: ${replaced}`);
  }

  const wallets = new Map<string, Signer>();
  const signer = (name: string): Signer => {
    let wallet = wallets.get(name);
    if (!wallet) {
      wallet = demoWallet(name).connect(provider);
      wallets.set(name, wallet);
    }
    return wallet;
  };

  log("deploying the ledger contracts");
  const ledger = await deployLedger(signer("admin"), demoRoleGrants());
  const deployReceipt = await ledger.accessManager.deploymentTransaction()?.wait();
  if (!deployReceipt) throw new Error("cannot find the access manager's deployment receipt");
  log("seeding the demo data");
  const seed = await seedDemo({ ledger, signer, log });

  const deployments: Deployments = {
    chainId,
    deploymentBlock: deployReceipt.blockNumber,
    deployedAt: new Date().toISOString(),
    contracts: await contractAddresses(ledger),
  };
  writeDeployments(file, deployments);
  return { deployments, created: true, seed, replaced };
}
