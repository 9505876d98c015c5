import type { Signer } from "ethers";
import {
  AuctionHouse__factory,
  type AuctionHouse,
  DemoSettlementToken__factory,
  EquityDeals__factory,
  Exchange__factory,
  LedgerAccessManager__factory,
  PatentRegistry__factory,
  Pledges__factory,
  Valuations__factory,
  Venues__factory,
  type DemoSettlementToken,
  type EquityDeals,
  type Exchange,
  type LedgerAccessManager,
  type PatentRegistry,
  Licensing__factory,
  Royalties__factory,
  type Licensing,
  type Royalties,
  type Pledges,
  type Valuations,
  type Venues,
} from "../typechain-types";
import { LockBits, Roles } from "../server/chain/roles";

export interface LedgerContracts {
  accessManager: LedgerAccessManager;
  registry: PatentRegistry;
  token: DemoSettlementToken;
  licensing: Licensing;
  royalties: Royalties;
  pledges: Pledges;
  valuations: Valuations;
  equityDeals: EquityDeals;
  venues: Venues;
  auctionHouse: AuctionHouse;
  exchange: Exchange;
}

/** The Solidity contract name of each deployed contract: the keys of the deployments file. */
export const CONTRACT_NAMES: Record<keyof LedgerContracts, string> = {
  accessManager: "LedgerAccessManager",
  registry: "PatentRegistry",
  token: "DemoSettlementToken",
  licensing: "Licensing",
  royalties: "Royalties",
  pledges: "Pledges",
  valuations: "Valuations",
  equityDeals: "EquityDeals",
  venues: "Venues",
  auctionHouse: "AuctionHouse",
  exchange: "Exchange",
};

/** Addresses by Solidity contract name, as the deployments file lists them. */
export async function contractAddresses(ledger: LedgerContracts): Promise<Record<string, string>> {
  const entries = await Promise.all(
    (Object.keys(CONTRACT_NAMES) as (keyof LedgerContracts)[]).map(
      async (key) => [CONTRACT_NAMES[key], await ledger[key].getAddress()] as const,
    ),
  );
  return Object.fromEntries(entries);
}

/** Who holds which role after deployment. */
export interface RoleGrants {
  registrars: string[];
  venues: string[];
  banks: string[];
  appraisers: string[];
  evaluators: string[];
}

/** Which role may call each restricted function, per contract. The single source for deploy and tests. */
export const FUNCTION_ROLES = {
  PatentRegistry: {
    REGISTRAR: ["register", "registerBatch", "setLegalStatus", "registerTransfer", "refuseTransfer"],
    EVALUATOR: ["recordMarketEvaluation"],
    MODULE: ["agreeTransfer", "authoriseAct", "lock", "unlock"],
    ADMIN: ["setLockModule"],
  },
  DemoSettlementToken: {
    ADMIN: ["mint"],
  },
  Licensing: {
    MODULE: ["grantFor"],
    REGISTRAR: ["recordFiling"],
    ADMIN: ["setRoyalties"],
  },
  Pledges: {
    REGISTRAR: ["registerPledge", "refusePledge"],
  },
  Valuations: {
    APPRAISER: ["recordValuation"],
  },
  Venues: {
    VENUE: ["openVenue", "setFee", "accreditBroker", "revokeBroker"],
    ADMIN: ["setFeeCap"],
  },
  AuctionHouse: {
    ADMIN: ["setRules"],
  },
  Exchange: {
    ADMIN: ["allowToken"],
  },
} as const;

/** The cap on venue fees at deployment, in basis points (the admin may change it up to 20%). */
export const INITIAL_FEE_CAP_BPS = 500;

async function restrict(
  manager: LedgerAccessManager,
  target: { getAddress(): Promise<string>; interface: { getFunction(name: string): { selector: string } | null } },
  table: Partial<Record<keyof typeof Roles, readonly string[]>>,
): Promise<void> {
  const address = await target.getAddress();
  for (const [role, names] of Object.entries(table) as [keyof typeof Roles, readonly string[]][]) {
    if (role === "ADMIN") continue; // unassigned functions default to the admin role
    const selectors = names.map((name) => {
      const fragment = target.interface.getFunction(name);
      if (!fragment) throw new Error(`unknown function ${name}`);
      return fragment.selector;
    });
    await (await manager.setTargetFunctionRole(address, selectors, Roles[role])).wait();
  }
}

/** Deploys the ledger's contracts with `admin`, wires the restricted functions to roles and grants them. */
export async function deployLedger(admin: Signer, grants: RoleGrants): Promise<LedgerContracts> {
  const adminAddress = await admin.getAddress();
  const accessManager = await new LedgerAccessManager__factory(admin).deploy(adminAddress);
  await accessManager.waitForDeployment();
  const authority = await accessManager.getAddress();
  const registry = await new PatentRegistry__factory(admin).deploy(authority);
  await registry.waitForDeployment();

  const token = await new DemoSettlementToken__factory(admin).deploy(authority);
  await token.waitForDeployment();

  await restrict(accessManager, registry, FUNCTION_ROLES.PatentRegistry);

  const licensing = await new Licensing__factory(admin).deploy(authority, await registry.getAddress());
  await licensing.waitForDeployment();
  const royalties = await new Royalties__factory(admin).deploy(await registry.getAddress(), await licensing.getAddress());
  await royalties.waitForDeployment();
  await restrict(accessManager, licensing, FUNCTION_ROLES.Licensing);
  await (await licensing.setRoyalties(await royalties.getAddress())).wait();
  await (await accessManager.grantRole(Roles.MODULE, await licensing.getAddress(), 0)).wait();
  const pledges = await new Pledges__factory(admin).deploy(authority, await registry.getAddress());
  await pledges.waitForDeployment();
  await restrict(accessManager, pledges, FUNCTION_ROLES.Pledges);
  await (await registry.setLockModule(LockBits.PLEDGED, await pledges.getAddress())).wait();
  const valuations = await new Valuations__factory(admin).deploy(authority, await registry.getAddress());
  await valuations.waitForDeployment();
  await restrict(accessManager, valuations, FUNCTION_ROLES.Valuations);
  const equityDeals = await new EquityDeals__factory(admin).deploy(await registry.getAddress());
  await equityDeals.waitForDeployment();
  await (await registry.setLockModule(LockBits.EQUITY, await equityDeals.getAddress())).wait();
  const venues = await new Venues__factory(admin).deploy(authority, INITIAL_FEE_CAP_BPS);
  await venues.waitForDeployment();
  await restrict(accessManager, venues, FUNCTION_ROLES.Venues);
  const auctionHouse = await new AuctionHouse__factory(admin).deploy(
    authority,
    await registry.getAddress(),
    await venues.getAddress(),
    await pledges.getAddress(),
  );
  await auctionHouse.waitForDeployment();
  await restrict(accessManager, auctionHouse, FUNCTION_ROLES.AuctionHouse);
  await (await registry.setLockModule(LockBits.DISPOSAL, await auctionHouse.getAddress())).wait();
  await (await registry.setLockModule(LockBits.AUCTION, await auctionHouse.getAddress())).wait();
  const exchange = await new Exchange__factory(admin).deploy(
    authority,
    await registry.getAddress(),
    await licensing.getAddress(),
    await venues.getAddress(),
  );
  await exchange.waitForDeployment();
  await restrict(accessManager, exchange, FUNCTION_ROLES.Exchange);
  await (await registry.setLockModule(LockBits.LISTED, await exchange.getAddress())).wait();
  await (await exchange.allowToken(await token.getAddress(), true)).wait();

  const toGrant: [bigint, string[]][] = [
    [Roles.REGISTRAR, grants.registrars],
    [Roles.VENUE, grants.venues],
    [Roles.BANK, grants.banks],
    [Roles.APPRAISER, grants.appraisers],
    [Roles.EVALUATOR, grants.evaluators],
    [Roles.MODULE, [await pledges.getAddress()]],
    [Roles.MODULE, [await equityDeals.getAddress()]],
    // Royalties deposits escrowed licence fees with the Pledges contract (depositProceeds admits modules).
    [Roles.MODULE, [await royalties.getAddress()]],
    [Roles.MODULE, [await auctionHouse.getAddress()]],
    [Roles.MODULE, [await exchange.getAddress()]],
  ];
  for (const [role, accounts] of toGrant) {
    for (const account of accounts) await (await accessManager.grantRole(role, account, 0)).wait();
  }
  return { accessManager, registry, token, licensing, royalties, pledges, valuations, equityDeals, venues, auctionHouse, exchange };
}
