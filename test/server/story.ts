import { formatCnipaNumber } from "../../server/chain/cnipa";
import { PatentKind } from "../../server/chain/roles";
import { ethers } from "ethers";
import { record, runRightsStory, runScenario, SCENARIO, STORY, today, type DeployedLedger } from "../indexer/helpers/ledger";

/**
 * The API tests' story: the indexer scenario (a registered, a refused and a cancelled transfer, a design
 * patent under invalidation, an evaluation) plus a bulk inventory of EXTRA patents by uestc across the
 * six priority industries, so that pages, indexes and the scan limit have something to walk.
 */

export const EXTRA = 120;
const FIRST_SERIAL = 100;

/** IPC codes and titles cycled through the bulk inventory. */
export const BULK = [
  { ipc: ["A61K 36/185"], title: "川芎提取物及其制备方法" },
  { ipc: ["C12G 3/02"], title: "浓香型白酒固态发酵工艺" },
  { ipc: ["B25J 9/16", "G05B 19/418"], title: "工业机器人轨迹规划方法" },
  { ipc: ["H01L 21/02"], title: "半导体晶圆清洗装置" },
  { ipc: ["C22C 14/00"], title: "高强钛合金及其热处理方法" },
  { ipc: ["G06N 3/08"], title: "基于深度学习的缺陷检测方法" },
] as const;

export const serialOf = (i: number) => FIRST_SERIAL + i;
export const bulkNumber = (i: number) => formatCnipaNumber(BigInt(record("0x0000000000000000000000000000000000000000", serialOf(i), { year: 2023 }).number as bigint));

export async function apiStory(l: DeployedLedger): Promise<void> {
  await runScenario(l);
  const uestc = await l.parties.uestc.getAddress();
  const records = Array.from({ length: EXTRA }, (_, i) => {
    const b = BULK[i % BULK.length]!;
    const r = record(uestc, serialOf(i), { year: 2023, kind: i % 10 === 9 ? PatentKind.UtilityModel : PatentKind.Invention, ipc: [...b.ipc], title: `${b.title} ${i}` });
    return { ...r, inventory: { ...r.inventory, readiness: 1 + (i % 9), willing: i % 4 !== 3, modes: i % 2 === 0 ? 2 : 5 } };
  });
  for (let i = 0; i < records.length; i += 60) {
    await (await l.registry.connect(l.parties.registrar).registerBatch(records.slice(i, i + 60))).wait();
  }
}

export const NUMBERS = {
  moved: formatCnipaNumber(SCENARIO.moved),
  refused: formatCnipaNumber(SCENARIO.refused),
  design: formatCnipaNumber(SCENARIO.design),
  cancelled: formatCnipaNumber(SCENARIO.cancelled),
};

/** Patents the finance story adds (after runScenario and runRightsStory). */
export const FINANCE = {
  exclusive: record(ethers.ZeroAddress, 16).number as bigint, // scu: exclusive licence to rongxin in force; in pledge 2 (registered)
  nonExclusive: record(ethers.ZeroAddress, 17).number as bigint, // scu: non-exclusive licence to yuzhi; in pledge 2 with the bank's consent to licence rongxin
  open: record(ethers.ZeroAddress, 18).number as bigint, // uestc: open licence declared, in force
  pending: record(ethers.ZeroAddress, 19).number as bigint, // uestc: pledge 3 proposed by the bank, not consented
  deal: record(ethers.ZeroAddress, 20).number as bigint, // uestc: equity deal 2 proposed to rongxin
};

export const FIN_NUMBERS = {
  exclusive: formatCnipaNumber(FINANCE.exclusive),
  nonExclusive: formatCnipaNumber(FINANCE.nonExclusive),
  open: formatCnipaNumber(FINANCE.open),
  pending: formatCnipaNumber(FINANCE.pending),
  deal: formatCnipaNumber(FINANCE.deal),
  licensed: formatCnipaNumber(STORY.licensed),
  contributed: formatCnipaNumber(STORY.contributed),
  pledgedKept: formatCnipaNumber(STORY.pledgedKept),
};

/**
 * The financing and audit story: the registry scenario, the rights story (a licence terminated with its
 * royalties, an open licence withdrawn, a pledge released, an executed deal with a warrant), then rights in
 * force: an exclusive and a non-exclusive licence, a registered portfolio pledge with a consent, a pending
 * pledge, an open licence declared, a proposed equity deal and two more valuations.
 */
export async function financeStory(l: DeployedLedger): Promise<void> {
  await runScenario(l);
  await runRightsStory(l);
  const { registry: r, licensing, pledges, valuations, equityDeals, parties: p } = l;
  const send = async (tx: Promise<ethers.ContractTransactionResponse>) => (await (await tx).wait())!;
  const scu = await p.scu.getAddress();
  const uestc = await p.uestc.getAddress();
  const rongxin = await p.rongxin.getAddress();
  const yuzhi = await p.yuzhi.getAddress();
  const bank = await p.bank.getAddress();
  const day = await today(l.provider);
  const tokenAddress = await l.token.getAddress();
  await send(r.connect(p.registrar).registerBatch([record(scu, 16), record(scu, 17), record(uestc, 18), record(uestc, 19), record(uestc, 20)]));
  const scope = { fields: 0b11n, territories: 1n << 22n, startDay: day, endDay: day + 365 };
  const fee = { method: 1, trigger: 0, royaltyBps: 250, triggerDay: 0, amount: 0 };
  await send(licensing.connect(p.scu).grant(FINANCE.exclusive, { licensee: rongxin, kind: 0, sublicensable: false, scope, fee, token: tokenAddress, contractHash: ethers.id("licence-16") }));
  await send(licensing.connect(p.scu).grant(FINANCE.nonExclusive, { licensee: yuzhi, kind: 2, sublicensable: false, scope, fee, token: tokenAddress, contractHash: ethers.id("licence-17") }));
  await send(valuations.connect(p.appraiser).recordValuation(FINANCE.exclusive, 1_000_000_00n, STORY.currency, 0, day, ethers.id("appraisal-16a")));
  await send(valuations.connect(p.appraiser).recordValuation(FINANCE.exclusive, 1_200_000_00n, STORY.currency, 2, day, ethers.id("appraisal-16b")));
  await send(
    pledges.connect(p.bank).proposePledge(
      { pledgee: bank, securedAmount: 5_000_000_00n, currency: STORY.currency, termEndDay: day + 730, contractHash: ethers.id("pledge-2"), loanReference: "成银贷-2026-002" },
      [
        { patentId: FINANCE.exclusive, pledgor: scu },
        { patentId: FINANCE.nonExclusive, pledgor: scu },
      ],
    ),
  );
  await send(pledges.connect(p.scu).consentPledge(2));
  await send(pledges.connect(p.registrar).registerPledge(2, "质押登记-2026-002", day));
  await send(pledges.connect(p.bank).consent(2, FINANCE.nonExclusive, 1, rongxin, 0));
  await send(
    pledges.connect(p.bank).proposePledge(
      { pledgee: bank, securedAmount: 800_000_00n, currency: STORY.currency, termEndDay: day + 365, contractHash: ethers.id("pledge-3"), loanReference: "成银贷-2026-003" },
      [{ patentId: FINANCE.pending, pledgor: uestc }],
    ),
  );
  await send(licensing.connect(p.uestc).declareOpenLicence(FINANCE.open, { method: 0, royaltyBps: 0, termDays: 365, amount: 3_000n, token: tokenAddress }));
  await send(
    equityDeals.connect(p.uestc).proposeDeal(
      {
        company: rongxin,
        valuation: 900_000_00n,
        currency: STORY.currency,
        form: 1,
        equity: 500n,
        valuationReportHash: ethers.id("appraisal-20"),
        contractHash: ethers.id("deal-2"),
        companyRegistration: "91510100MA69876543",
      },
      [FINANCE.deal],
      [],
    ),
  );
}
