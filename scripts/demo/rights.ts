import { encodeBytes32String, getAddress, id, MaxUint256, type ContractTransactionResponse, type Signer } from "ethers";
import type { LedgerContracts } from "../deploy";
import { demoPatentId } from "./patents";
import { chinaDayOf } from "../../server/chain/cnipa";
import { FeeMethod, FeeTrigger, FIELD_CLASSES, LicenceKind, scopeMask, TERRITORIES } from "../../server/chain/licensing";
import { Act } from "../../server/chain/roles";
import { BenefitRole, EquityForm, ProceedsRoute, ValuationMethod } from "../../server/chain/financing";

/**
 * The demo's rights on patents (licences, an open licence, royalties, valuations, pledges, an equity deal),
 * seeded after the inventories. Amounts are in fen (the demo token dCNY has 2 decimals).
 *
 * Payout addresses of inventors and technology-transfer offices are not demo accounts (there are twenty);
 * they are fixed addresses derived from a label, so the seeded splits are visible on the chain and in the index.
 */
export function payoutAddress(label: string): string {
  return getAddress(id(`tianfu-demo-payout:${label}`).slice(0, 42));
}

export interface RightsSummary {
  licences: number;
  openLicences: number;
  royaltyPayments: number;
  valuations: number;
  pledges: { registered: number; pending: number };
  equityDeals: number;
}

export interface RightsStepOptions {
  ledger: LedgerContracts;
  signer: (name: string) => Signer;
  log?: (message: string) => void;
}

async function mined(tx: Promise<ContractTransactionResponse>) {
  const receipt = await (await tx).wait();
  if (!receipt) throw new Error("transaction dropped");
  return receipt;
}

/** Today's China Standard Time day on the chain (the contracts' clock, not the machine's). */
async function chainToday(ledger: LedgerContracts): Promise<number> {
  const provider = ledger.registry.runner?.provider;
  if (!provider) throw new Error("the registry has no provider");
  const block = await provider.getBlock("latest");
  if (!block) throw new Error("no latest block");
  return chinaDayOf(block.timestamp);
}

const CNY = encodeBytes32String("CNY").slice(0, 8);
const YUAN = 100n; // fen per yuan
const SICHUAN_CHONGQING = scopeMask(TERRITORIES, ["51", "50"]);
const ALL = (1n << 64n) - 1n;

/** Step: each university declares how licence income on its patents is shared (收益分配). */
export async function declareBenefitShares({ ledger, signer, log }: RightsStepOptions): Promise<void> {
  const shares: [patent: string, holder: string, unitBps: number, inventorsBps: number, ttoBps: number][] = [
    ["uestc-gan-hemt", "uestc", 2_000, 7_000, 1_000],
    ["swjtu-hts-maglev", "swjtu", 1_500, 7_500, 1_000],
    ["scu-caries-detection", "scu", 2_000, 7_000, 1_000],
  ];
  for (const [patent, holder, unitBps, inventorsBps, ttoBps] of shares) {
    await mined(
      ledger.royalties.connect(signer(holder)).declareShares(demoPatentId(patent), {
        unitBps,
        inventorsBps,
        ttoBps,
        inventors: payoutAddress(`${patent}:inventors`),
        tto: payoutAddress(`${holder}:tto`),
      }),
    );
  }
  log?.(`${shares.length} benefit-share declarations`);
}

/** Step: licences granted by owners, their fees and royalties paid through the ledger. */
export async function licencesAndRoyalties(opts: RightsStepOptions, summary: RightsSummary): Promise<void> {
  const { ledger, signer, log } = opts;
  const today = await chainToday(ledger);
  const token = await ledger.token.getAddress();
  const royalties = await ledger.royalties.getAddress();
  for (const payer of ["rongxin", "yuzhi", "tianfubio"]) {
    const account = signer(payer);
    await mined(ledger.token.connect(signer("admin")).mint(await account.getAddress(), 50_000_000n * YUAN));
    await mined(ledger.token.connect(account).approve(royalties, MaxUint256));
  }

  // An exclusive licence of the GaN HEMT patent to Rongxin for Sichuan and Chongqing, running royalty 3%.
  const gan = demoPatentId("uestc-gan-hemt");
  const exclusive = await mined(
    ledger.licensing.connect(signer("uestc")).grant(gan, {
      licensee: await signer("rongxin").getAddress(),
      kind: LicenceKind.Exclusive,
      sublicensable: false,
      scope: { fields: scopeMask(FIELD_CLASSES, ["C39"]), territories: SICHUAN_CHONGQING, startDay: today, endDay: today + 5 * 365 },
      fee: { method: FeeMethod.RunningRoyalty, trigger: FeeTrigger.None, royaltyBps: 300, triggerDay: 0, amount: 0n },
      token,
      contractHash: id("tianfu-demo-licence:uestc-gan-hemt:rongxin"),
    }),
  );
  const ganLicence = licenceIdOf(ledger, exclusive.logs);
  summary.licences += 1;
  const revenue = 12_500_000n * YUAN; // first-year sales of the licensed devices
  await mined(ledger.royalties.connect(signer("rongxin")).reportRevenue(ganLicence, revenue, id("tianfu-demo-revenue:gan:2026")));
  await mined(ledger.royalties.connect(signer("rongxin")).payRoyalty(ganLicence, (revenue * 300n) / 10_000n));
  summary.royaltyPayments += 1;

  // A non-exclusive licence of the maglev patent to Yuzhi, lump sum 200,000 yuan, everywhere in China.
  const maglev = demoPatentId("swjtu-hts-maglev");
  const lump = await mined(
    ledger.licensing.connect(signer("swjtu")).grant(maglev, {
      licensee: await signer("yuzhi").getAddress(),
      kind: LicenceKind.NonExclusive,
      sublicensable: false,
      scope: { fields: ALL, territories: scopeMask(TERRITORIES, TERRITORIES.slice(0, 34)), startDay: today, endDay: today + 3 * 365 },
      fee: { method: FeeMethod.LumpSum, trigger: FeeTrigger.None, royaltyBps: 0, triggerDay: 0, amount: 200_000n * YUAN },
      token,
      contractHash: id("tianfu-demo-licence:swjtu-hts-maglev:yuzhi"),
    }),
  );
  await mined(ledger.royalties.connect(signer("yuzhi")).payFee(licenceIdOf(ledger, lump.logs)));
  summary.licences += 1;
  summary.royaltyPayments += 1;
  log?.("licences: an exclusive running-royalty licence and a non-exclusive lump-sum licence, paid");
}

/** Step: an open licence (开放许可) declared by Sichuan University and taken by Tianfu Bio. */
export async function openLicence(opts: RightsStepOptions, summary: RightsSummary): Promise<void> {
  const { ledger, signer, log } = opts;
  const patentId = demoPatentId("scu-caries-detection");
  const amount = 5_000n * YUAN;
  await mined(
    ledger.licensing.connect(signer("scu")).declareOpenLicence(patentId, {
      method: FeeMethod.LumpSum,
      royaltyBps: 0,
      termDays: 365,
      amount,
      token: await ledger.token.getAddress(),
    }),
  );
  summary.openLicences += 1;
  await mined(ledger.licensing.connect(signer("tianfubio")).takeOpenLicence(patentId, amount));
  summary.licences += 1;
  summary.royaltyPayments += 1;
  log?.("open licence declared by scu and taken by tianfubio");
}

/** Step: appraisals of the patents the banks lend against. */
export async function valuations(opts: RightsStepOptions, summary: RightsSummary): Promise<void> {
  const { ledger, signer, log } = opts;
  const today = await chainToday(opts.ledger);
  const rows: [string, bigint, ValuationMethod][] = [
    ["cqu-slm-titanium-lattice", 3_800_000n, ValuationMethod.Cost],
    ["cqu-rare-earth-mg-alloy", 5_200_000n, ValuationMethod.Market],
    ["uestc-leo-phased-array", 9_600_000n, ValuationMethod.Income],
  ];
  const appraiser = ledger.valuations.connect(signer("appraiser"));
  for (const [patent, yuan, method] of rows) {
    await mined(appraiser.recordValuation(demoPatentId(patent), yuan * YUAN, CNY, method, today - 3, id(`tianfu-demo-valuation:${patent}`)));
    summary.valuations += 1;
  }
  log?.(`${rows.length} valuations`);
}

/**
 * Step: pledges. Bank A holds a registered portfolio pledge over two patents of two owners (CQU and Yuzhi),
 * with consent to one non-exclusive licence; Bank B's pledge on a UESTC patent awaits registration.
 */
export async function pledges(opts: RightsStepOptions, summary: RightsSummary): Promise<void> {
  const { ledger, signer, log } = opts;
  const today = await chainToday(ledger);
  const bankA = signer("bankA");
  const titanium = demoPatentId("cqu-slm-titanium-lattice");
  const alloy = demoPatentId("cqu-rare-earth-mg-alloy"); // Yuzhi's since its registered transfer
  const cqu = await signer("cqu").getAddress();
  const yuzhi = await signer("yuzhi").getAddress();
  const proposed = await mined(
    ledger.pledges.connect(bankA).proposePledge(
      {
        pledgee: await bankA.getAddress(),
        securedAmount: 6_000_000n * YUAN,
        currency: CNY,
        termEndDay: today + 3 * 365,
        contractHash: id("tianfu-demo-pledge:bankA:cqu-yuzhi"),
        loanReference: "成农商知贷[2026]第0187号",
      },
      [
        { patentId: titanium, pledgor: cqu },
        { patentId: alloy, pledgor: yuzhi },
      ],
    ),
  );
  const pledgeA = pledgeIdOf(ledger, proposed.logs);
  await mined(ledger.pledges.connect(signer("cqu")).consentPledge(pledgeA));
  await mined(ledger.pledges.connect(signer("yuzhi")).consentPledge(pledgeA));
  await mined(ledger.pledges.connect(signer("registrar")).registerPledge(pledgeA, "Y2026510000187", today));
  await mined(
    ledger.pledges.connect(bankA).consent(pledgeA, titanium, Act.Licence, await signer("tianfubio").getAddress(), ProceedsRoute.EarlyRepayment),
  );
  summary.pledges.registered += 1;

  const bankB = signer("bankB");
  const leo = demoPatentId("uestc-leo-phased-array");
  const pending = await mined(
    ledger.pledges.connect(bankB).proposePledge(
      {
        pledgee: await bankB.getAddress(),
        securedAmount: 4_000_000n * YUAN,
        currency: CNY,
        termEndDay: today + 2 * 365,
        contractHash: id("tianfu-demo-pledge:bankB:uestc"),
        loanReference: "渝银科贷[2026]第0042号",
      },
      [{ patentId: leo, pledgor: await signer("uestc").getAddress() }],
    ),
  );
  await mined(ledger.pledges.connect(signer("uestc")).consentPledge(pledgeIdOf(ledger, pending.logs)));
  summary.pledges.pending += 1;
  log?.("pledges: one registered portfolio pledge (bankA), one awaiting registration (bankB)");
}

/** Step: Sichuan University contributes its stent patent to Tianfu Bio for 8% of the registered capital. */
export async function equityDeal(opts: RightsStepOptions, summary: RightsSummary): Promise<void> {
  const { ledger, signer, log } = opts;
  const today = await chainToday(ledger);
  const patentId = demoPatentId("scu-pu-stent");
  const scu = ledger.equityDeals.connect(signer("scu"));
  const receipt = await mined(
    scu.proposeDeal(
      {
        company: await signer("tianfubio").getAddress(),
        valuation: 8_000_000n * YUAN,
        currency: CNY,
        form: EquityForm.BasisPoints,
        equity: 800n,
        valuationReportHash: id("tianfu-demo-valuation-report:scu-pu-stent"),
        contractHash: id("tianfu-demo-equity-contract:scu-pu-stent"),
        companyRegistration: "91510100MA62TF0B1X",
      },
      [patentId],
      [
        { beneficiary: payoutAddress("scu-pu-stent:inventors"), role: BenefitRole.Inventor, bps: 7_000 },
        { beneficiary: payoutAddress("scu:tto"), role: BenefitRole.TransferOffice, bps: 1_000 },
      ],
    ),
  );
  const dealId = dealIdOf(ledger, receipt.logs);
  await mined(ledger.equityDeals.connect(signer("tianfubio")).acceptDeal(dealId));
  await mined(scu.executeDeal(dealId));
  const transferId = await ledger.registry.pendingTransfer(patentId);
  await mined(ledger.registry.connect(signer("registrar")).registerTransfer(transferId, "专利权转让登记 2026-1102-0051", today));
  summary.equityDeals += 1;
  log?.("equity deal: scu-pu-stent contributed to tianfubio for 8% (executed)");
}

type Logs = readonly { topics: readonly string[]; data: string }[];

function argOf(iface: { parseLog(log: { topics: string[]; data: string }): { name: string; args: { getValue(k: string): unknown } } | null }, logs: Logs, event: string, arg: string): bigint {
  for (const entry of logs) {
    let parsed;
    try {
      parsed = iface.parseLog({ topics: [...entry.topics], data: entry.data });
    } catch {
      continue; // another contract's event
    }
    if (parsed?.name === event) return BigInt(parsed.args.getValue(arg) as bigint);
  }
  throw new Error(`no ${event} event in the receipt`);
}

const licenceIdOf = (l: LedgerContracts, logs: Logs) => argOf(l.licensing.interface, logs, "LicenceGranted", "licenceId");
const pledgeIdOf = (l: LedgerContracts, logs: Logs) => argOf(l.pledges.interface, logs, "PledgeProposed", "pledgeId");
const dealIdOf = (l: LedgerContracts, logs: Logs) => argOf(l.equityDeals.interface, logs, "DealProposed", "dealId");
