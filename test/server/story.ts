import { formatCnipaNumber } from "../../server/chain/cnipa";
import { PatentKind } from "../../server/chain/roles";
import { record, runScenario, SCENARIO, type DeployedLedger } from "../indexer/helpers/ledger";

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
