import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ethers, JsonRpcProvider, type Signer } from "ethers";
import pino from "pino";
import { demoWallet } from "../../../server/chain/accounts";
import { chinaDayOf } from "../../../server/chain/cnipa";
import { patentRecord as record } from "../../helpers/records";
import type { Deployments } from "../../../server/chain/deployments";
import { PatentKind } from "../../../server/chain/roles";
import { createIndexer, type Indexer, type IndexerOptions } from "../../../server/indexer/follower";
import { openStore, type Store } from "../../../server/store/db";
import { contractAddresses, deployLedger, type LedgerContracts } from "../../../scripts/deploy";

export const silentLogger = pino({ level: "silent" });

export interface Parties {
  admin: Signer;
  registrar: Signer;
  evaluator: Signer;
  scu: Signer;
  uestc: Signer;
  rongxin: Signer;
  yuzhi: Signer;
  bank: Signer;
  appraiser: Signer;
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
    bank: signer("bankA"),
    appraiser: signer("appraiser"),
  };
  const startBlock = await provider.getBlockNumber();
  const ledger = await deployLedger(parties.admin, {
    registrars: [await parties.registrar.getAddress()],
    venues: [],
    banks: [await parties.bank.getAddress()],
    appraisers: [await parties.appraiser.getAddress()],
    evaluators: [await parties.evaluator.getAddress()],
  });
  const { chainId } = await provider.getNetwork();
  const deployments: Deployments = {
    chainId: Number(chainId),
    deploymentBlock: startBlock + 1,
    deployedAt: "test",
    contracts: await contractAddresses(ledger),
  };
  return { ...ledger, provider, parties, deployments };
}

/** The registration builder of the in-process fixtures (one definition for every test). */
export { patentRecord as record } from "../../helpers/records";

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

/** Ids of the patents and records the rights story creates (after runScenario). */
export const STORY = {
  licensed: record(ethers.ZeroAddress, 11).number as bigint, // scu: exclusive licence to rongxin, sublicence to yuzhi, royalties, valuation
  open: record(ethers.ZeroAddress, 12).number as bigint, // scu: open licence taken by yuzhi, then withdrawn
  pledgedSold: record(ethers.ZeroAddress, 13).number as bigint, // scu: pledged, sold to rongxin with the bank's consent
  pledgedKept: record(ethers.ZeroAddress, 14).number as bigint, // scu: pledged with the above, released
  contributed: record(ethers.ZeroAddress, 15).number as bigint, // uestc: contributed to rongxin for equity
  inventors: "0x" + "5a".repeat(20),
  tto: "0x" + "7b".repeat(20),
  currency: "0x434e59", // "CNY"
};

/**
 * A scripted history touching the rights contracts: licences (grant, filing, sublicence, termination
 * revoking the sublicence), benefit shares, a revenue report and a royalty payment split three ways,
 * an open licence taken (its lump-sum fee collected) and withdrawn, a two-patent pledge with both
 * consents, registration, a consented sale of one patent and release, a valuation, and an equity deal
 * executed through the registry with a warrant exercised.
 */
export async function runRightsStory(l: DeployedLedger): Promise<void> {
  const { registry: r, licensing, royalties, pledges, valuations, equityDeals, token, parties: p } = l;
  const send = async (tx: Promise<ethers.ContractTransactionResponse>) => (await (await tx).wait())!;
  const scu = await p.scu.getAddress();
  const uestc = await p.uestc.getAddress();
  const rongxin = await p.rongxin.getAddress();
  const yuzhi = await p.yuzhi.getAddress();
  const bank = await p.bank.getAddress();
  const day = await today(l.provider);
  const tokenAddress = await token.getAddress();
  await send(
    r.connect(p.registrar).registerBatch([record(scu, 11), record(scu, 12), record(scu, 13), record(scu, 14), record(uestc, 15, { ipc: ["G06F 16/27"] })]),
  );
  for (const payer of [p.rongxin, p.yuzhi]) {
    await send(token.connect(p.admin).mint(await payer.getAddress(), 10_000_000n));
    await send(token.connect(payer).approve(await royalties.getAddress(), 10_000_000n));
  }

  // Licences: exclusive and sublicensable with a running royalty, filed; a sublicence under it.
  const scope = { fields: 0b1011n, territories: 1n << 22n, startDay: day, endDay: day + 365 };
  await send(
    licensing.connect(p.scu).grant(STORY.licensed, {
      licensee: rongxin,
      kind: 0,
      sublicensable: true,
      scope,
      fee: { method: 1, trigger: 0, royaltyBps: 300, triggerDay: 0, amount: 0 },
      token: tokenAddress,
      contractHash: ethers.id("licence-1"),
    }),
  );
  await send(licensing.connect(p.registrar).recordFiling(1, "备案-2026-0001", day));
  await send(
    licensing.connect(p.rongxin).grantSublicence(1, {
      licensee: yuzhi,
      kind: 2,
      sublicensable: false,
      scope: { ...scope, fields: 0b1n },
      fee: { method: 0, trigger: 0, royaltyBps: 0, triggerDay: 0, amount: 0 },
      token: ethers.ZeroAddress,
      contractHash: ethers.id("sublicence-2"),
    }),
  );
  await send(royalties.connect(p.scu).declareShares(STORY.licensed, { unitBps: 9000, inventorsBps: 600, ttoBps: 400, inventors: STORY.inventors, tto: STORY.tto }));
  await send(royalties.connect(p.rongxin).reportRevenue(1, 1_000_000n, ethers.id("report-2026Q1")));
  await send(royalties.connect(p.rongxin).payRoyalty(1, 20_000n));
  await send(valuations.connect(p.appraiser).recordValuation(STORY.licensed, 3_000_000_00n, STORY.currency, 2, day, ethers.id("appraisal-1")));
  await send(licensing.connect(p.scu).terminate(1, "被许可人违约"));

  // Open licence: declared with a lump-sum fee, taken (the fee is collected), withdrawn.
  await send(licensing.connect(p.scu).declareOpenLicence(STORY.open, { method: 0, royaltyBps: 0, termDays: 365, amount: 5_000n, token: tokenAddress }));
  await send(licensing.connect(p.yuzhi).takeOpenLicence(STORY.open, 5_000n));
  await send(licensing.connect(p.scu).withdrawOpenLicence(STORY.open));

  // Pledge of two patents: proposed by the bank, consented by scu, registered; one sold with consent; released.
  await send(
    pledges.connect(p.bank).proposePledge(
      { pledgee: bank, securedAmount: 1_000_000_00n, currency: STORY.currency, termEndDay: day + 730, contractHash: ethers.id("pledge-1"), loanReference: "成银贷-2026-001" },
      [
        { patentId: STORY.pledgedSold, pledgor: scu },
        { patentId: STORY.pledgedKept, pledgor: scu },
      ],
    ),
  );
  await send(pledges.connect(p.scu).consentPledge(1));
  await send(pledges.connect(p.registrar).registerPledge(1, "质押登记-2026-001", day));
  await send(pledges.connect(p.bank).consent(1, STORY.pledgedSold, 0, rongxin, 0));
  const proposed = await send(r.connect(p.scu).proposeTransfer(STORY.pledgedSold, rongxin, ethers.id("sale-1")));
  const transferId = proposed.logs.map((x) => r.interface.parseLog(x)).find((x) => x?.name === "TransferProposed")!.args.transferId as bigint;
  await send(r.connect(p.rongxin).acceptTransfer(transferId));
  await send(r.connect(p.registrar).registerTransfer(transferId, "CNIPA-2026-0101", day));
  await send(pledges.connect(p.bank).releasePledge(1));

  // Equity deal: uestc contributes a patent to rongxin; executed through the registry; a warrant exercised.
  await send(
    equityDeals.connect(p.uestc).proposeDeal(
      {
        company: rongxin,
        valuation: 2_000_000_00n,
        currency: STORY.currency,
        form: 0,
        equity: 100_000n,
        valuationReportHash: ethers.id("appraisal-2"),
        contractHash: ethers.id("deal-1"),
        companyRegistration: "91510100MA61234567",
      },
      [STORY.contributed],
      [{ beneficiary: STORY.inventors, role: 0, bps: 5000 }],
    ),
  );
  await send(equityDeals.connect(p.rongxin).acceptDeal(1));
  const executed = await send(equityDeals.connect(p.uestc).executeDeal(1));
  const agreed = executed.logs.map((x) => equityDeals.interface.parseLog(x)).find((x) => x?.name === "DealTransferAgreed")!;
  await send(r.connect(p.registrar).registerTransfer(agreed.args.transferId as bigint, "CNIPA-2026-0102", day));
  await send(equityDeals.connect(p.rongxin).grantWarrant(1, uestc, 1_000n, 150n, day, day + 100, false, ""));
  await send(equityDeals.connect(p.uestc).exerciseWarrant(1));
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
