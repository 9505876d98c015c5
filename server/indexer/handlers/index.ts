import type { InterfaceAbi } from "ethers";
// One file per factory, not the typechain barrel: the barrel loads every contract's ABI and bytecode,
// which costs the gateway most of its start-up time before it serves.
import { AuctionHouse__factory } from "../../../typechain-types/factories/contracts/exchange/AuctionHouse__factory";
import { Exchange__factory } from "../../../typechain-types/factories/contracts/exchange/Exchange__factory";
import { Venues__factory } from "../../../typechain-types/factories/contracts/exchange/Venues__factory";
import { EquityDeals__factory } from "../../../typechain-types/factories/contracts/equity/EquityDeals__factory";
import { Pledges__factory } from "../../../typechain-types/factories/contracts/financing/Pledges__factory";
import { Valuations__factory } from "../../../typechain-types/factories/contracts/financing/Valuations__factory";
import { Licensing__factory } from "../../../typechain-types/factories/contracts/licensing/Licensing__factory";
import { Royalties__factory } from "../../../typechain-types/factories/contracts/licensing/Royalties__factory";
import { PatentRegistry__factory } from "../../../typechain-types/factories/contracts/registry/PatentRegistry__factory";
import type { HandlerTable } from "../types";
import { auctionHouseHandlers } from "./auctions";
import { equityHandlers } from "./equity";
import { licensingHandlers, royaltiesHandlers } from "./licensing";
import { exchangeHandlers, venuesHandlers } from "./market";
import { pledgesHandlers } from "./pledges";
import { registryHandlers } from "./registry";
import { valuationsHandlers } from "./valuations";

/**
 * The handler table: contract name (as in the deployments file, scripts/deploy.ts CONTRACT_NAMES) ->
 * event name -> handler. Every event of these contracts has a handler (the market's: market.ts, auctions.ts).
 */
export const DEFAULT_HANDLERS: HandlerTable = {
  PatentRegistry: registryHandlers,
  Licensing: licensingHandlers,
  Royalties: royaltiesHandlers,
  Pledges: pledgesHandlers,
  Valuations: valuationsHandlers,
  EquityDeals: equityHandlers,
  Venues: venuesHandlers,
  Exchange: exchangeHandlers,
  AuctionHouse: auctionHouseHandlers,
};

export const DEFAULT_ABIS: Record<string, InterfaceAbi> = {
  PatentRegistry: PatentRegistry__factory.abi,
  Licensing: Licensing__factory.abi,
  Royalties: Royalties__factory.abi,
  Pledges: Pledges__factory.abi,
  Valuations: Valuations__factory.abi,
  EquityDeals: EquityDeals__factory.abi,
  Venues: Venues__factory.abi,
  Exchange: Exchange__factory.abi,
  AuctionHouse: AuctionHouse__factory.abi,
};
