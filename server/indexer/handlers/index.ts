import type { InterfaceAbi } from "ethers";
// One file per factory, not the typechain barrel: the barrel loads every contract's ABI and bytecode,
// which costs the gateway most of its start-up time before it serves.
import { EquityDeals__factory } from "../../../typechain-types/factories/contracts/equity/EquityDeals__factory";
import { Pledges__factory } from "../../../typechain-types/factories/contracts/financing/Pledges__factory";
import { Valuations__factory } from "../../../typechain-types/factories/contracts/financing/Valuations__factory";
import { Licensing__factory } from "../../../typechain-types/factories/contracts/licensing/Licensing__factory";
import { Royalties__factory } from "../../../typechain-types/factories/contracts/licensing/Royalties__factory";
import { PatentRegistry__factory } from "../../../typechain-types/factories/contracts/registry/PatentRegistry__factory";
import type { HandlerTable } from "../types";
import { equityHandlers } from "./equity";
import { licensingHandlers, royaltiesHandlers } from "./licensing";
import { pledgesHandlers } from "./pledges";
import { registryHandlers } from "./registry";
import { valuationsHandlers } from "./valuations";

/**
 * The handler table: contract name (as in the deployments file, scripts/deploy.ts CONTRACT_NAMES) ->
 * event name -> handler. Every event of these contracts has a handler.
 * Venue (exchange) handlers: RESERVED. The exchange contract is written on another branch; its handlers
 * plug in here with its ABI once its events exist (keys.ts reserves the venue index space).
 */
export const DEFAULT_HANDLERS: HandlerTable = {
  PatentRegistry: registryHandlers,
  Licensing: licensingHandlers,
  Royalties: royaltiesHandlers,
  Pledges: pledgesHandlers,
  Valuations: valuationsHandlers,
  EquityDeals: equityHandlers,
};

export const DEFAULT_ABIS: Record<string, InterfaceAbi> = {
  PatentRegistry: PatentRegistry__factory.abi,
  Licensing: Licensing__factory.abi,
  Royalties: Royalties__factory.abi,
  Pledges: Pledges__factory.abi,
  Valuations: Valuations__factory.abi,
  EquityDeals: EquityDeals__factory.abi,
};
