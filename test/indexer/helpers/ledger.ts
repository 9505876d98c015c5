import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ethers, JsonRpcProvider, type Signer } from "ethers";
import pino from "pino";
import { demoWallet } from "../../../server/chain/accounts";
import { dayOf, makeCnipaNumber, parseCnipaNumber, chinaDayOf } from "../../../server/chain/cnipa";
import type { Deployments } from "../../../server/chain/deployments";
import { PatentKind } from "../../../server/chain/roles";
import { createIndexer, type Indexer, type IndexerOptions } from "../../../server/indexer/follower";
import { openStore, type Store } from "../../../server/store/db";
import { deployLedger, type LedgerContracts } from "../../../scripts/deploy";
import type { PatentRegistrationStruct } from "../../../typechain-types/contracts/registry/PatentRegistry";

export const silentLogger = pino({ level: "silent" });

export interface Parties {
  admin: Signer;
  registrar: Signer;
  evaluator: Signer;
  scu: Signer;
  uestc: Signer;
  rongxin: Signer;
  yuzhi: Signer;
}

export interface DeployedLedger extends LedgerContracts {
  provider: JsonRpcProvider;
  parties: Parties;
  deployments: Deployments;
}

export function providerFor(url: string): JsonRpcProvider {
  return new JsonRpcProvider(url, undefined, { staticNetwork: true, pollingInterval: 50, cacheTimeout: -1 });
}

/** Deploys the ledger on a node with the named demo wallets. */
export async function deployOn(url: string): Promise<DeployedLedger> {
  const provider = providerFor(url);
  const signer = (name: string) => demoWallet(name).connect(provider);
  const parties: Parties = {
    admin: signer("admin"),
    registrar: signer("registrar"),
    evaluator: signer("evaluator"),
    scu: signer("scu"),
    uestc: signer("uestc"),
    rongxin: signer("rongxin"),
    yuzhi: signer("yuzhi"),
  };
  const startBlock = await provider.getBlockNumber();
  const ledger = await deployLedger(parties.admin, {
    registrars: [await parties.registrar.getAddress()],
    venues: [],
    banks: [],
    appraisers: [],
    evaluators: [await parties.evaluator.getAddress()],
  });
  const { chainId } = await provider.getNetwork();
  const deployments: Deployments = {
    chainId: Number(chainId),
    deploymentBlock: startBlock + 1,
    deployedAt: "test",
    contracts: {
      LedgerAccessManager: await ledger.accessManager.getAddress(),
      PatentRegistry: await ledger.registry.getAddress(),
      DemoSettlementToken: await ledger.token.getAddress(),
    },
  };
  return { ...ledger, provider, parties, deployments };
}

const KIND_DIGIT = { [PatentKind.Invention]: 1, [PatentKind.UtilityModel]: 2, [PatentKind.Design]: 3 } as const;

export function record(
  holder: string,
  serial: number,
  opts: { year?: number; kind?: PatentKind; ipc?: string[]; title?: string } = {},
): PatentRegistrationStruct {
  const year = opts.year ?? 2019;
  const kind = opts.kind ?? PatentKind.Invention;
  const cited = parseCnipaNumber(makeCnipaNumber(year, KIND_DIGIT[kind], serial));
  return {
    number: cited.number,
    holder,
    facts: {
      checkDigit: cited.checkDigit,
      kind,
      filingDay: dayOf(`${year}-03-15`),
      grantDay: dayOf(`${year + 2}-06-30`),
      dossierHash: ethers.id(`dossier-${cited.digits}`),
    },
    title: opts.title ?? `专利 ${serial}`,
    ipc: opts.ipc ?? ["H01M 4/525", "H01M 10/0525"],
    inventory: { readiness: 6, willing: true, modes: 7, selfScore: 80, unitScore: 75, scenarioTags: 5 },
  };
}

export async function today(provider: JsonRpcProvider): Promise<number> {
  const block = await provider.getBlock("latest");
  return chinaDayOf(block!.timestamp);
}

/** Ids of the patents the scenario registers. */
export const SCENARIO = {
  moved: record(ethers.ZeroAddress, 1).number as bigint, // registered to scu, transferred to rongxin
  refused: record(ethers.ZeroAddress, 2).number as bigint, // scu -> yuzhi refused
  design: record(ethers.ZeroAddress, 3, { year: 2022, kind: PatentKind.Design }).number as bigint, // uestc
  cancelled: record(ethers.ZeroAddress, 4).number as bigint, // uestc -> yuzhi cancelled
};

/** A scripted history touching every registry event. */
export async function runScenario(l: DeployedLedger): Promise<void> {
  const { registry: r, parties: p } = l;
  const scu = await p.scu.getAddress();
  const uestc = await p.uestc.getAddress();
  const rongxin = await p.rongxin.getAddress();
  const yuzhi = await p.yuzhi.getAddress();
  await (await r.connect(p.registrar).registerBatch([record(scu, 1), record(scu, 2, { ipc: ["G06F 16/27"] })])).wait();
  await (await r.connect(p.registrar).register(record(uestc, 3, { year: 2022, kind: PatentKind.Design, ipc: ["D01B 1/00"] }))).wait();
  await (await r.connect(p.registrar).register(record(uestc, 4, { ipc: ["H01M 10/052"] }))).wait();
  await (await r.connect(p.registrar).setLegalStatus(SCENARIO.design, 3, "无效宣告请求已受理")).wait();
  await (
    await r.connect(p.scu).updateInventory(SCENARIO.moved, { readiness: 7, willing: true, modes: 1, selfScore: 90, unitScore: 85, scenarioTags: 9 })
  ).wait();
  await (await r.connect(p.evaluator).recordMarketEvaluation(SCENARIO.moved, 80, 20, 90, ethers.id("report-1"))).wait();
  // Registered transfer.
  await (await r.connect(p.scu).proposeTransfer(SCENARIO.moved, rongxin, ethers.id("contract-1"))).wait();
  await (await r.connect(p.rongxin).acceptTransfer(1)).wait();
  await (await r.connect(p.registrar).registerTransfer(1, "CNIPA-2026-0001", await today(l.provider))).wait();
  // Refused transfer.
  await (await r.connect(p.scu).proposeTransfer(SCENARIO.refused, yuzhi, ethers.id("contract-2"))).wait();
  await (await r.connect(p.yuzhi).acceptTransfer(2)).wait();
  await (await r.connect(p.registrar).refuseTransfer(2, "材料不全")).wait();
  // Cancelled transfer.
  await (await r.connect(p.uestc).proposeTransfer(SCENARIO.cancelled, yuzhi, ethers.id("contract-3"))).wait();
  await (await r.connect(p.uestc).cancelTransfer(3)).wait();
}

export interface TempStore {
  store: Store;
  dir: string;
  close(): Promise<void>;
}

export async function tempStore(): Promise<TempStore> {
  const dir = mkdtempSync(path.join(tmpdir(), "tianfu-index-"));
  const store = await openStore(path.join(dir, "db"));
  return {
    store,
    dir,
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function indexerFor(url: string, store: Store, deployments: Deployments, extra: Partial<IndexerOptions> = {}): Indexer {
  return createIndexer({
    rpcUrl: url,
    db: store,
    deployments,
    logger: silentLogger,
    confirmations: 0,
    reorgWindow: 16,
    pollIntervalMs: 50,
    ...extra,
  });
}

/** Every key and raw value of a store, in key order. */
export async function dumpStore(store: Store): Promise<[string, string][]> {
  const out: [string, string][] = [];
  for await (const entry of store.iterateRaw({})) out.push(entry);
  return out;
}
