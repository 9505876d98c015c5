import { ethers } from "hardhat";
import type { Signer } from "ethers";
import type { Deployments } from "../../server/chain/deployments";
import { createLedgerClient, type LedgerClient } from "../../server/client";
import { contractAddresses, type LedgerContracts } from "../../scripts/deploy";
import { runCli } from "../../scripts/cli/program";
import type { CliDeps } from "../../scripts/cli/context";
import { demoAccount } from "../../server/chain/accounts";

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

/** What one in-process CLI run printed and its exit code. */
export interface Run {
  code: number;
  out: string[];
  err: string[];
}

/** Runs the commander program in-process against `ledger`, signing with the Hardhat signer of `--as`. */
export async function runCliOn(ledger: LedgerContracts, ...argv: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const signers = await ethers.getSigners();
  const deps: CliDeps = {
    out: (s) => out.push(s),
    err: (s) => err.push(s),
    env: {},
    connect: async (opts) => clientFor(ledger, opts.as ? signers[demoAccount(opts.as).index] : undefined),
  };
  return { code: await runCli(argv, deps), out, err };
}
