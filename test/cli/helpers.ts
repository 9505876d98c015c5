import { ethers } from "hardhat";
import type { Signer } from "ethers";
import type { Deployments } from "../../server/chain/deployments";
import { createLedgerClient, type LedgerClient } from "../../server/client";
import { contractAddresses, type LedgerContracts } from "../../scripts/deploy";

/** A deployments object listing every contract of the deployed fixture (CONTRACT_NAMES in scripts/deploy.ts). */
export async function fixtureDeployments(ledger: LedgerContracts): Promise<Deployments> {
  const network = await ethers.provider.getNetwork();
  return {
    chainId: Number(network.chainId),
    deploymentBlock: 0,
    deployedAt: new Date(0).toISOString(),
    contracts: await contractAddresses(ledger),
  };
}

/** A client library instance signing as `signer` (or read-only on the Hardhat provider). */
export async function clientFor(ledger: LedgerContracts, signer?: Signer): Promise<LedgerClient> {
  return createLedgerClient({ runner: signer ?? ethers.provider, deployments: await fixtureDeployments(ledger) });
}
