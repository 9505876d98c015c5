import { JsonRpcProvider, Network, type Provider } from "ethers";
import type { Config } from "./config";
import { readDeployments, type Deployments } from "./chain/deployments";
import { createLogger, type Logger } from "./logger";
import type { Indexer, Queries } from "./indexer";
import type { Store } from "./store/db";

/** Everything a part of the gateway needs, passed explicitly to `createX(ctx)` factories. */
export interface AppContext {
  config: Config;
  logger: Logger;
  /** Any ethers Provider: a JsonRpcProvider in production, Hardhat's in-process provider in tests. */
  provider: Provider;
  deployments: Deployments;
  /** The block follower and the read model over its LevelDB; absent when the gateway runs without one. */
  index?: { indexer: Indexer; queries: Queries; store: Store };
}

/**
 * Builds the context from the configuration: reads the deployments file and connects to CHAIN_RPC_URL.
 * Parts may be supplied instead (tests pass Hardhat's provider and their own deployments).
 */
export function createContext(config: Config, parts: Partial<Omit<AppContext, "config">> = {}): AppContext {
  const logger = parts.logger ?? createLogger(config.logLevel);
  const deployments = parts.deployments ?? readDeployments(config.deploymentsFile);
  const provider =
    parts.provider ??
    // A static network: the chain id is the deployments' one, and a node that is down fails each call
    // quickly instead of the provider retrying network detection forever.
    new JsonRpcProvider(config.chainRpcUrl, undefined, {
      staticNetwork: Network.from(deployments.chainId),
      pollingInterval: 1000,
      // ethers waits batchStallTime (default 10 ms) to gather calls into one batch; a certificate makes
      // several rounds of calls one after another, so each wait added up. 0: the calls made in the same
      // tick still go in one batch, without the wait (bench/results/report.md, API section).
      batchStallTime: 0,
    });
  return { config, logger, provider, deployments };
}
