import { ZeroAddress, type ContractTransactionReceipt, type ContractTransactionResponse, type Interface, type Provider, type Signer } from "ethers";
import {
  EquityDeals__factory,
  IERC20Metadata__factory,
  Licensing__factory,
  Pledges__factory,
  Royalties__factory,
  Valuations__factory,
  type EquityDeals,
  type Licensing,
  type PatentRegistry,
  type Pledges,
  type Royalties,
  type Valuations,
} from "../../typechain-types";
import type { Deployments } from "../chain/deployments";
import { fenToTokenUnits } from "./units";

/**
 * What the rights methods of the client library share (rights-licensing.ts, rights-financing.ts,
 * rights-equity.ts): typed handles of the rights contracts, looked up lazily in the deployments file so that
 * a file without them still serves the registry's commands; token facts; exact amounts; approvals.
 */

export interface TxResult {
  hash: string;
  blockNumber: number;
  gasUsed: bigint;
}

/** An approval sent before a payment because the allowance was short. */
export interface Approval extends TxResult {
  token: string;
  spender: string;
  amount: bigint; // token units
}

/** What the ledger client lends the rights methods. */
export interface RightsCore {
  deployments: Deployments;
  runner: Signer | Provider;
  registry: PatentRegistry;
  send(build: () => Promise<ContractTransactionResponse>): Promise<ContractTransactionReceipt>;
  needSigner(): Signer;
  needProvider(): Provider;
  chainToday(): Promise<number>;
  patentIdOf(number: string | bigint): bigint;
}

export class RightsClientError extends Error {
  override name = "RightsClientError";
}

export interface TokenInfo {
  address: string;
  symbol: string;
  decimals: number;
}

export const orNull = (a: string) => (a === ZeroAddress ? null : a);

export function rightsBase(core: RightsCore) {
  const { deployments, runner, send, needSigner } = core;

  function address(name: string): string {
    const found = deployments.contracts[name];
    if (!found) throw new RightsClientError(`the deployments file names no ${name} contract`);
    return found;
  }
  let licensingHandle: Licensing | undefined;
  let royaltiesHandle: Royalties | undefined;
  let pledgesHandle: Pledges | undefined;
  let valuationsHandle: Valuations | undefined;
  let equityHandle: EquityDeals | undefined;
  const licensing = () => (licensingHandle ??= Licensing__factory.connect(address("Licensing"), runner));
  const royalties = () => (royaltiesHandle ??= Royalties__factory.connect(address("Royalties"), runner));
  const pledges = () => (pledgesHandle ??= Pledges__factory.connect(address("Pledges"), runner));
  const valuations = () => (valuationsHandle ??= Valuations__factory.connect(address("Valuations"), runner));
  const equityDeals = () => (equityHandle ??= EquityDeals__factory.connect(address("EquityDeals"), runner));
  const defaultToken = () => address("DemoSettlementToken");

  const result = (r: ContractTransactionReceipt): TxResult => ({ hash: r.hash, blockNumber: r.blockNumber, gasUsed: r.gasUsed });

  function eventArg(receipt: ContractTransactionReceipt, at: string, iface: Interface, eventName: string, arg: string): bigint {
    for (const log of receipt.logs) {
      if (log.address.toLowerCase() !== at.toLowerCase()) continue;
      const parsed = iface.parseLog(log);
      if (parsed?.name === eventName) return BigInt(parsed.args.getValue(arg) as bigint);
    }
    throw new RightsClientError(`transaction ${receipt.hash} emitted no ${eventName}`);
  }

  const tokens = new Map<string, Promise<TokenInfo>>();
  function tokenInfo(token: string): Promise<TokenInfo> {
    const key = token.toLowerCase();
    let info = tokens.get(key);
    if (!info) {
      const erc20 = IERC20Metadata__factory.connect(token, runner);
      info = Promise.all([erc20.symbol(), erc20.decimals()]).then(([symbol, decimals]) => ({ address: token, symbol, decimals: Number(decimals) }));
      tokens.set(key, info);
    }
    return info;
  }

  async function units(token: string, fen: bigint): Promise<bigint> {
    return fenToTokenUnits(fen, (await tokenInfo(token)).decimals);
  }

  /** Approves `spender` for `amount` of `token` when the signer's allowance is short; null when it sufficed. */
  async function ensureAllowance(token: string, spender: string, amount: bigint): Promise<Approval | null> {
    const signer = needSigner();
    const erc20 = IERC20Metadata__factory.connect(token, signer);
    const allowance = await erc20.allowance(await signer.getAddress(), spender);
    if (allowance >= amount) return null;
    const receipt = await send(() => erc20.approve(spender, amount));
    return { ...result(receipt), token, spender, amount };
  }

  return {
    ...core,
    licensing,
    royalties,
    pledges,
    valuations,
    equityDeals,
    defaultToken,
    result,
    eventArg,
    tokenInfo,
    units,
    ensureAllowance,
    fromBlock: () => deployments.deploymentBlock,
  };
}

export type RightsBase = ReturnType<typeof rightsBase>;
