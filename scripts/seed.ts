import { id, type ContractTransactionResponse, type Signer } from "ethers";
import type { LedgerContracts } from "./deploy";
import { DEMO_PATENTS, demoPatent, demoPatentId, demoScenarioMask, type DemoPatent } from "./demo/patents";
import { dayOf, parseCnipaNumber } from "../server/chain/cnipa";
import { LegalStatus } from "../server/chain/roles";
import { ListingKind } from "../server/chain/exchange";
import { FIELD_CLASSES, LicenceKind, TERRITORIES, scopeMask } from "../server/chain/licensing";
import { chinaDayOf } from "../server/chain/cnipa";
import type { PatentRegistrationStruct } from "../typechain-types/contracts/registry/PatentRegistry";
import {
  declareBenefitShares,
  equityDeal,
  licencesAndRoyalties,
  openLicence,
  pledges,
  valuations,
  type RightsSummary,
} from "./demo/rights";

/**
 * Seeds the demo ledger: the universities' inventories, then a little life (transfers, legal status
 * changes, market evaluations, survey updates). Each step is a function of its own so later modules
 * (licences, pledges, listings) add their steps after these. Used by `npm start` and by tests.
 */
export interface SeedOptions {
  ledger: LedgerContracts;
  /** The signer of a named demo account (server/chain/accounts.ts). */
  signer: (name: string) => Signer;
  /** Progress messages (none by default). */
  log?: (message: string) => void;
}

export interface SeedSummary {
  patents: number;
  transfers: { registered: number; pending: number; refused: number };
  statusChanges: number;
  evaluations: number;
  inventoryUpdates: number;
  rights: RightsSummary;
  venues: number;
  listings: number;
}

interface SeedStep {
  name: string;
  run(opts: SeedOptions, summary: SeedSummary): Promise<void>;
}

async function mined(tx: Promise<ContractTransactionResponse>) {
  const receipt = await (await tx).wait();
  if (!receipt) throw new Error("transaction dropped");
  return receipt;
}

async function record(p: DemoPatent, holder: string): Promise<PatentRegistrationStruct> {
  const cited = parseCnipaNumber(p.cited);
  return {
    number: cited.number,
    holder,
    facts: {
      checkDigit: cited.checkDigit,
      kind: p.kind,
      filingDay: dayOf(p.filing),
      grantDay: dayOf(p.grant),
      dossierHash: id(`tianfu-demo-dossier:${p.cited}`),
    },
    title: p.title,
    ipc: p.ipc,
    inventory: {
      readiness: p.readiness,
      willing: p.willing,
      modes: p.modes,
      selfScore: p.selfScore,
      unitScore: p.unitScore,
      scenarioTags: demoScenarioMask(p),
    },
  };
}

/** Step 1: the registrar registers each university's inventory in one batch. */
const registerInventories: SeedStep = {
  name: "register the universities' inventories",
  async run({ ledger, signer, log }, summary) {
    const registry = ledger.registry.connect(signer("registrar"));
    const holders = [...new Set(DEMO_PATENTS.map((p) => p.holder))];
    for (const holder of holders) {
      const address = await signer(holder).getAddress();
      const batch = await Promise.all(DEMO_PATENTS.filter((p) => p.holder === holder).map((p) => record(p, address)));
      await mined(registry.registerBatch(batch));
      summary.patents += batch.length;
      log?.(`registered ${batch.length} patents of ${holder}`);
    }
  },
};

interface DemoTransfer {
  patent: string;
  to: string;
  outcome: "registered" | "pending" | "refused";
  /** CNIPA registration reference, or the refusal reason. */
  note: string;
}

const TRANSFERS: DemoTransfer[] = [
  { patent: "uestc-superjunction-mosfet", to: "rongxin", outcome: "registered", note: "专利权转让登记 2025-0418-0032" },
  { patent: "cqu-rare-earth-mg-alloy", to: "yuzhi", outcome: "registered", note: "专利权转让登记 2025-0926-0117" },
  { patent: "scu-oncolytic-vaccinia", to: "tianfubio", outcome: "registered", note: "专利权转让登记 2026-0305-0009" },
  { patent: "swjtu-rail-fastener-clip", to: "yuzhi", outcome: "pending", note: "" },
  {
    patent: "cioc-kinase-inhibitor",
    to: "tianfubio",
    outcome: "refused",
    note: "转让合同当事人名称与著录项目不一致，不予登记 (assignor name does not match the register)",
  },
];

/** Step 2: transfers agreed by owner and buyer; most registered, one awaiting registration, one refused. */
const transfers: SeedStep = {
  name: "transfers",
  async run({ ledger, signer, log }, summary) {
    const registrar = ledger.registry.connect(signer("registrar"));
    for (const t of TRANSFERS) {
      const patentId = demoPatentId(t.patent);
      const seller = signer(demoPatent(t.patent).holder);
      const buyer = signer(t.to);
      const contractHash = id(`tianfu-demo-transfer-contract:${t.patent}:${t.to}`);
      const receipt = await mined(
        ledger.registry.connect(seller).proposeTransfer(patentId, await buyer.getAddress(), contractHash),
      );
      const transferId = eventArg(ledger, receipt.logs, "TransferProposed", "transferId");
      await mined(ledger.registry.connect(buyer).acceptTransfer(transferId));
      if (t.outcome === "registered") {
        const { agreedDay } = await ledger.registry.transferRecord(transferId);
        await mined(registrar.registerTransfer(transferId, t.note, agreedDay));
        summary.transfers.registered += 1;
      } else if (t.outcome === "refused") {
        await mined(registrar.refuseTransfer(transferId, t.note));
        summary.transfers.refused += 1;
      } else {
        summary.transfers.pending += 1;
      }
      log?.(`transfer of ${t.patent} to ${t.to}: ${t.outcome}`);
    }
  },
};

function eventArg(
  ledger: LedgerContracts,
  logs: readonly { topics: readonly string[]; data: string }[],
  event: string,
  arg: string,
): bigint {
  for (const entry of logs) {
    const parsed = ledger.registry.interface.parseLog({ topics: [...entry.topics], data: entry.data });
    if (parsed?.name === event) return BigInt(parsed.args.getValue(arg) as bigint);
  }
  throw new Error(`no ${event} event in the receipt`);
}

/** Step 3: one patent lapsed for an unpaid annual fee, one under invalidation proceedings. */
const legalStatus: SeedStep = {
  name: "legal status changes",
  async run({ ledger, signer, log }, summary) {
    const registrar = ledger.registry.connect(signer("registrar"));
    const changes: [string, LegalStatus, string][] = [
      [
        "cqu-probabilistic-load-flow",
        LegalStatus.Lapsed,
        "未缴纳第9年度年费，专利权于2024-01-19终止 (lapsed: 9th-year annual fee unpaid)",
      ],
      [
        "cqu-wind-pitch-control",
        LegalStatus.UnderInvalidation,
        "第三方提出无效宣告请求，案件编号4W116873，已受理 (invalidation request accepted)",
      ],
    ];
    for (const [key, status, reason] of changes) {
      await mined(registrar.setLegalStatus(demoPatentId(key), status, reason));
      summary.statusChanges += 1;
      log?.(`${key}: ${LegalStatus[status]}`);
    }
  },
};

/** Step 4: market evaluations by the enterprise expert panel (interest, improvement need, willingness). */
const evaluations: SeedStep = {
  name: "market evaluations",
  async run({ ledger, signer, log }, summary) {
    const evaluator = ledger.registry.connect(signer("evaluator"));
    const scores: [string, number, number, number][] = [
      ["uestc-gan-hemt", 92, 30, 85],
      ["swjtu-hts-maglev", 78, 65, 70],
      ["scu-rbd-vaccine", 60, 40, 55],
      ["cioc-co2-copolymer-catalyst", 88, 35, 80],
      ["swust-czt-spectrometer", 81, 45, 76],
      ["cqu-slm-titanium-lattice", 74, 55, 68],
      ["uestc-leo-phased-array", 90, 25, 88],
    ];
    for (const [key, interest, improvement, cooperation] of scores) {
      const reportHash = id(`tianfu-demo-market-evaluation:${key}`);
      await mined(evaluator.recordMarketEvaluation(demoPatentId(key), interest, improvement, cooperation, reportHash));
      summary.evaluations += 1;
    }
    log?.(`${scores.length} market evaluations`);
  },
};

/** Step 5: survey updates by holders (a pilot line raised readiness) and one correction by the registrar. */
const inventoryUpdates: SeedStep = {
  name: "inventory updates",
  async run({ ledger, signer, log }, summary) {
    const updates: [string, string, Partial<Pick<DemoPatent, "readiness" | "willing" | "modes" | "selfScore" | "unitScore">>][] = [
      ["swjtu-hts-maglev", "swjtu", { readiness: 6, unitScore: 88 }],
      ["scu-caries-detection", "scu", { willing: true, modes: 2 }],
      ["swust-uranium-bioremediation", "swust", { readiness: 5 }],
      ["cioc-pc-polyol", "registrar", { unitScore: 81 }],
    ];
    for (const [key, by, change] of updates) {
      const p = { ...demoPatent(key), ...change };
      await mined(
        ledger.registry.connect(signer(by)).updateInventory(demoPatentId(key), {
          readiness: p.readiness,
          willing: p.willing,
          modes: p.modes,
          selfScore: p.selfScore,
          unitScore: p.unitScore,
          scenarioTags: demoScenarioMask(p),
        }),
      );
      summary.inventoryUpdates += 1;
    }
    log?.(`${updates.length} inventory updates`);
  },
};

/** The exchange venues of the demo and their fees (basis points). */
export const DEMO_VENUES: readonly { account: string; name: string; feeBps: number }[] = [
  { account: "chengdu", name: "成都知识产权交易中心", feeBps: 200 },
  { account: "chongqing", name: "重庆知识产权交易中心", feeBps: 150 },
];

/** Demo listings: a patent for sale through Chengdu, a non-exclusive licence through Chongqing. */
export const DEMO_LISTINGS: readonly { patent: string; venue: string; kind: ListingKind; price: bigint }[] = [
  { patent: "uestc-mmwave-beamforming", venue: "chengdu", kind: ListingKind.Sale, price: 120_000_000n }, // 1,200,000.00 dCNY
  { patent: "swjtu-autonomous-train-control", venue: "chongqing", kind: ListingKind.Licence, price: 8_000_000n }, // 80,000.00 dCNY
];

/** The Chengdu and Chongqing venues open; two patents are listed, open on every venue. */
const market: SeedStep = {
  name: "venues and listings",
  async run({ ledger, signer, log }, summary) {
    for (const v of DEMO_VENUES) {
      await mined(ledger.venues.connect(signer(v.account)).openVenue(v.name, v.feeBps));
      summary.venues += 1;
    }
    const provider = signer("admin").provider;
    const latest = provider ? await provider.getBlock("latest") : null;
    if (!latest) throw new Error("no latest block");
    const today = chinaDayOf(latest.timestamp);
    const token = await ledger.token.getAddress();
    for (const l of DEMO_LISTINGS) {
      const p = demoPatent(l.patent);
      const licence = l.kind === ListingKind.Licence;
      await mined(
        ledger.exchange.connect(signer(p.holder)).list({
          patentId: demoPatentId(l.patent),
          kind: l.kind,
          venue: await signer(l.venue).getAddress(),
          broker: "0x0000000000000000000000000000000000000000",
          token,
          price: l.price,
          expiry: BigInt(latest.timestamp + 180 * 86_400),
          licenceKind: licence ? LicenceKind.NonExclusive : 0,
          sublicensable: false,
          scope: licence
            ? {
                fields: scopeMask(FIELD_CLASSES, ["C37"]), // railway, ship, aerospace and other transport equipment
                territories: scopeMask(TERRITORIES, ["51", "50"]), // Sichuan and Chongqing
                startDay: today,
                endDay: today + 3 * 365,
              }
            : { fields: 0n, territories: 0n, startDay: 0, endDay: 0 },
          contractHash: id(`tianfu-demo-listing-contract:${l.patent}`),
        }),
      );
      summary.listings += 1;
      log?.(`listed ${l.patent} (${ListingKind[l.kind]}) through ${l.venue}`);
    }
  },
};

/** The seed steps in order: the inventories and their life, then the rights on them (scripts/demo/rights.ts). */
export const SEED_STEPS: readonly SeedStep[] = [
  registerInventories,
  transfers,
  legalStatus,
  evaluations,
  inventoryUpdates,
  { name: "benefit shares", run: (opts) => declareBenefitShares(opts) },
  { name: "licences and royalties", run: (opts, summary) => licencesAndRoyalties(opts, summary.rights) },
  { name: "open licence", run: (opts, summary) => openLicence(opts, summary.rights) },
  { name: "valuations", run: (opts, summary) => valuations(opts, summary.rights) },
  { name: "pledges", run: (opts, summary) => pledges(opts, summary.rights) },
  { name: "equity deal", run: (opts, summary) => equityDeal(opts, summary.rights) },
  market,
];

export async function seedDemo(opts: SeedOptions): Promise<SeedSummary> {
  const summary: SeedSummary = {
    patents: 0,
    transfers: { registered: 0, pending: 0, refused: 0 },
    statusChanges: 0,
    evaluations: 0,
    inventoryUpdates: 0,
    rights: { licences: 0, openLicences: 0, royaltyPayments: 0, valuations: 0, pledges: { registered: 0, pending: 0 }, equityDeals: 0 },
    venues: 0,
    listings: 0,
  };
  for (const step of SEED_STEPS) {
    opts.log?.(`seed: ${step.name}`);
    await step.run(opts, summary);
  }
  return summary;
}
