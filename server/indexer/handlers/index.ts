import type { InterfaceAbi } from "ethers";
import {
  EquityDeals__factory,
  Licensing__factory,
  PatentRegistry__factory,
  Pledges__factory,
  Royalties__factory,
  Valuations__factory,
} from "../../../typechain-types";
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
