import type { InterfaceAbi } from "ethers";
import { PatentRegistry__factory } from "../../../typechain-types";
import type { HandlerTable } from "../types";
import { registryHandlers } from "./registry";

/**
 * The handler table: contract name (as in the deployments file) -> event name -> handler. Other
 * contracts' handlers plug in here with their ABI.
 */
export const DEFAULT_HANDLERS: HandlerTable = {
  PatentRegistry: registryHandlers,
};

export const DEFAULT_ABIS: Record<string, InterfaceAbi> = {
  PatentRegistry: PatentRegistry__factory.abi,
};
