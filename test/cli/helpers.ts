import { ethers } from "hardhat";
import type { Signer } from "ethers";
import type { Deployments } from "../../server/chain/deployments";
import { createLedgerClient, type LedgerClient } from "../../server/client";
import type { LedgerContracts } from "../../scripts/deploy";

/** A deployments object for the contracts of the deployed fixture. */
export async function fixtureDeployments(ledger: LedgerContracts): Promise<Deployments> {
  const network = await ethers.provider.getNetwork();
  return {
    chainId: Number(network.chainId),
    deploymentBlock: 0,
    deployedAt: new Date(0).toISOString(),
    contracts: {
      LedgerAccessManager: await ledger.accessManager.getAddress(),
      PatentRegistry: await ledger.registry.getAddress(),
      DemoSettlementToken: await ledger.token.getAddress(),
      Venues: await ledger.venues.getAddress(),
      Exchange: await ledger.exchange.getAddress(),
    },
  };
}

/** A client library instance signing as `signer` (or read-only on the Hardhat provider). */
export async function clientFor(ledger: LedgerContracts, signer?: Signer): Promise<LedgerClient> {
  return createLedgerClient({ runner: signer ?? ethers.provider, deployments: await fixtureDeployments(ledger) });
}
