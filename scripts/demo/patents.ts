import { makeCnipaNumber, parseCnipaNumber } from "../../server/chain/cnipa";
import { Modes, PatentKind } from "../../server/chain/roles";
import { scenarioMask, type ScenarioKey } from "../../server/chain/scenarios";

/**
 * Demo inventory of the local ledger: patents of Sichuan and Chongqing universities and institutes
 * in the fields they are known for. Numbers are built with valid check digits and match the filing
 * year; IPC codes are real groups. Titles and numbers are illustrative, not real CNIPA records.
 *
 * Design patents are classified by Locarno in CNIPA's register; the registry's record takes IPC-form
 * codes only, so designs here carry the IPC group of the product they shape.
 */
export interface DemoPatent {
  /** Stable handle the seed steps (and later tests) use to find a patent. */
  key: string;
  /** Demo account name of the holder (server/chain/accounts.ts). */
  holder: "scu" | "uestc" | "swjtu" | "cqu" | "cioc" | "swust";
  /** The cited number, e.g. "ZL201210045563.2". */
  cited: string;
  kind: PatentKind;
  filing: string;
  grant: string;
  title: string;
  ipc: string[];
  readiness: number;
  willing: boolean;
  modes: number;
  selfScore: number;
  unitScore: number;
  scenarios: ScenarioKey[];
}

const KIND_DIGIT: Record<PatentKind, number> = {
  [PatentKind.Invention]: 1,
  [PatentKind.UtilityModel]: 2,
  [PatentKind.Design]: 3,
};

const { TRANSFER: T, LICENCE: L, EQUITY: E } = Modes;
const I = PatentKind.Invention;
const U = PatentKind.UtilityModel;
const D = PatentKind.Design;

type Row = [
  key: string,
  kind: PatentKind,
  serial: number,
  filing: string,
  grant: string,
  title: string,
  ipc: string[],
  survey: [readiness: number, willing: boolean, modes: number, selfScore: number, unitScore: number],
  scenarios: ScenarioKey[],
];

function rows(holder: DemoPatent["holder"], list: Row[]): DemoPatent[] {
  return list.map(([key, kind, serial, filing, grant, title, ipc, survey, scenarios]) => {
    const [readiness, willing, modes, selfScore, unitScore] = survey;
    return {
      key,
      holder,
      cited: makeCnipaNumber(Number(filing.slice(0, 4)), KIND_DIGIT[kind], serial),
      kind,
      filing,
      grant,
      title,
      ipc,
      readiness,
      willing,
      modes,
      selfScore,
      unitScore,
      scenarios,
    };
  });
}

export const DEMO_PATENTS: readonly DemoPatent[] = [
  // 四川大学: biomedicine, polymer materials, leather chemistry, medical devices
  ...rows("scu", [
    ["scu-ph-nanocarrier", I, 1023487, "2015-04-21", "2018-09-14", "一种靶向肿瘤微环境的pH响应型纳米药物载体及其制备方法", ["A61K 9/51", "A61K 47/69", "A61P 35/00"], [5, true, L | E, 82, 78], ["biomedicine"]],
    ["scu-oncolytic-vaccinia", I, 1204563, "2017-06-08", "2020-11-03", "重组溶瘤痘苗病毒及其在制备抗肿瘤药物中的应用", ["C12N 15/863", "C12N 7/01", "A61K 35/768", "A61P 35/00"], [4, true, L | E, 85, 80], ["biomedicine"]],
    ["scu-rbd-vaccine", I, 1056281, "2020-05-19", "2022-08-26", "一种重组新型冠状病毒RBD蛋白疫苗及其制备方法", ["C12N 15/62", "A61K 39/215", "A61P 31/14"], [7, true, T | L, 88, 85], ["biomedicine"]],
    ["scu-pu-stent", I, 1078842, "2016-09-12", "2019-03-29", "一种可生物降解的聚氨酯心血管支架材料及其制备方法", ["C08G 18/42", "A61L 31/06", "A61L 31/14"], [6, true, T | L | E, 76, 72], ["newMaterials", "medicalDevices"]],
    ["scu-chrome-free-tanning", I, 1034417, "2018-01-26", "2020-07-10", "一种无铬鞣制皮革的复合鞣剂及其鞣制方法", ["C14C 3/06", "C14C 3/28"], [8, true, T | L, 80, 82], ["greenChemistry", "newMaterials"]],
    ["scu-caries-detection", I, 1152096, "2021-09-30", "2023-12-05", "一种基于深度学习的口腔全景片龋齿识别方法", ["G06T 7/00", "G06N 3/08", "A61B 6/14"], [5, false, 0, 74, 70], ["artificialIntelligence", "medicalDevices"]],
    ["scu-rehab-device", U, 2071538, "2022-03-17", "2022-09-23", "一种骨科术后下肢康复训练装置", ["A61H 1/02"], [7, true, T, 65, 60], ["medicalDevices"]],
    ["scu-flame-retardant-pla", I, 1015536, "2013-02-27", "2015-11-18", "一种阻燃聚乳酸复合材料及其制备方法", ["C08L 67/04", "C08K 5/5313", "C08K 3/32"], [7, true, T | L, 70, 68], ["newMaterials"]],
    ["scu-jak-inhibitor", I, 1398204, "2023-05-12", "2025-06-20", "一种治疗特应性皮炎的小分子JAK抑制剂及其用途", ["C07D 487/04", "A61K 31/519", "A61P 17/00"], [3, true, E, 90, 86], ["biomedicine"]],
  ]),
  // 电子科技大学: semiconductors, wireless, AI, antennas, radar, vacuum electronics
  ...rows("uestc", [
    ["uestc-superjunction-mosfet", I, 1045563, "2012-03-14", "2014-12-10", "一种具有超结结构的横向功率MOSFET器件", ["H01L 29/78", "H01L 29/06"], [8, true, T | L, 84, 80], ["integratedCircuits"]],
    ["uestc-gan-hemt", I, 1029871, "2014-05-20", "2017-01-18", "一种氮化镓高电子迁移率晶体管及其制作方法", ["H01L 29/778", "H01L 21/335"], [7, true, T | L | E, 86, 83], ["integratedCircuits", "communications"]],
    ["uestc-noma-allocation", I, 1098125, "2017-03-09", "2020-05-22", "一种基于非正交多址接入的无线资源分配方法", ["H04W 72/04", "H04L 5/00"], [4, true, L, 75, 70], ["communications"]],
    ["uestc-mmwave-beamforming", I, 1102345, "2019-02-15", "2021-08-31", "一种毫米波大规模MIMO系统的混合波束成形方法", ["H04B 7/0456", "H04B 7/06"], [5, true, T | L, 80, 76], ["communications"]],
    ["uestc-gnn-load-forecast", I, 1234907, "2020-10-27", "2023-03-14", "一种基于图神经网络的电力负荷预测方法", ["G06N 3/04", "G06Q 50/06"], [6, true, L, 72, 71], ["artificialIntelligence", "powerGrid"]],
    ["uestc-leo-phased-array", I, 1087652, "2021-07-02", "2023-09-19", "一种用于低轨卫星通信的宽带圆极化相控阵天线", ["H01Q 21/00", "H01Q 3/26"], [6, true, T | L | E, 83, 81], ["communications", "aerospace"]],
    ["uestc-thz-gyro-twt", I, 1145529, "2018-11-06", "2021-04-27", "一种太赫兹回旋行波管高频互作用结构", ["H01J 25/00", "H01J 23/24"], [4, true, T, 78, 74], ["electronics"]],
    ["uestc-federated-anomaly", I, 1003518, "2022-01-11", "2024-05-28", "一种基于联邦学习的边缘设备异常检测方法", ["G06N 20/00", "H04L 9/40"], [3, true, L, 70, 66], ["artificialIntelligence"]],
    ["uestc-pa-package", U, 2215064, "2023-06-21", "2023-12-29", "一种射频功率放大器的散热封装结构", ["H01L 23/367", "H03F 3/195"], [7, true, T, 66, 62], ["integratedCircuits"]],
    ["uestc-cs-sar-imaging", I, 1112408, "2016-10-25", "2019-06-04", "一种基于压缩感知的合成孔径雷达成像方法", ["G01S 13/90", "G01S 7/41"], [5, false, 0, 77, 75], ["aerospace", "electronics"]],
  ]),
  // 西南交通大学: rail vehicles, signalling, track, maglev, traction power, tunnels
  ...rows("swjtu", [
    ["swjtu-bogie-fatigue", I, 1066315, "2013-07-23", "2016-02-10", "一种高速列车转向架构架疲劳损伤在线监测方法", ["B61F 5/00", "G01M 17/08"], [7, true, T | L, 82, 80], ["railTransit"]],
    ["swjtu-autonomous-train-control", I, 1009874, "2015-01-08", "2017-10-20", "一种基于车地无线通信的列车自主运行控制方法", ["B61L 27/04", "B61L 15/00"], [6, true, T | L, 80, 78], ["railTransit", "communications"]],
    ["swjtu-hts-maglev", I, 1012247, "2018-01-05", "2020-09-15", "一种高温超导磁悬浮车辆的悬浮导向装置", ["B60L 13/04", "B61B 13/08"], [5, true, T | L | E, 88, 86], ["railTransit", "newMaterials"]],
    ["swjtu-slab-crack-detection", I, 1178543, "2019-09-17", "2022-01-25", "一种无砟轨道板裂缝智能检测方法", ["E01B 35/00", "G06T 7/00"], [6, true, L, 74, 72], ["railTransit", "artificialIntelligence"]],
    ["swjtu-rail-fastener-clip", U, 2126673, "2020-04-13", "2020-12-22", "一种重载铁路钢轨扣件弹条", ["E01B 9/30"], [8, true, T, 68, 66], ["railTransit"]],
    ["swjtu-cophase-supply", I, 1003962, "2021-01-14", "2023-06-09", "一种牵引供电系统同相供电装置及其控制方法", ["B60M 3/00", "H02J 3/18"], [7, true, T | L, 81, 79], ["railTransit", "powerGrid"]],
    ["swjtu-tunnel-lining-monitor", I, 1054986, "2017-04-11", "2019-12-03", "一种隧道衬砌结构健康监测系统", ["E21D 11/10", "G01M 5/00"], [6, true, L, 73, 70], ["civilEngineering"]],
    ["swjtu-railcar-seat", D, 3402117, "2022-05-16", "2022-10-11", "轨道交通车辆座椅", ["B61D 33/00"], [9, true, T, 60, 58], ["railTransit"]],
  ]),
  // 重庆大学: magnesium alloys, wind power, power systems, additive manufacturing, vehicles
  ...rows("cqu", [
    ["cqu-rare-earth-mg-alloy", I, 1098763, "2012-11-20", "2014-06-25", "一种高强度耐热稀土镁合金及其制备方法", ["C22C 23/06", "C22F 1/06"], [8, true, T | L, 86, 84], ["newMaterials", "automotive"]],
    ["cqu-wind-pitch-control", I, 1056034, "2014-08-05", "2016-11-30", "一种大型风电机组变桨距控制方法", ["F03D 7/02", "F03D 7/04"], [7, true, T | L, 79, 77], ["newEnergy"]],
    ["cqu-probabilistic-load-flow", I, 1023498, "2016-01-19", "2018-07-06", "一种含高比例风电的电力系统概率潮流计算方法", ["H02J 3/00", "H02J 3/38"], [5, true, L, 72, 70], ["powerGrid", "newEnergy"]],
    ["cqu-slm-titanium-lattice", I, 1076625, "2019-06-28", "2021-11-16", "一种激光选区熔化成形钛合金多孔结构的方法", ["B22F 10/28", "B33Y 10/00", "C22C 14/00"], [6, true, T | L | E, 83, 80], ["smartManufacturing", "newMaterials"]],
    ["cqu-wpt-constant-current", I, 1312874, "2020-12-04", "2023-02-24", "一种无线电能传输系统的参数辨识与恒流控制方法", ["H02J 50/12", "H02J 50/80"], [6, true, T | L, 78, 75], ["powerGrid", "automotive"]],
    ["cqu-bridge-fbg-monitor", I, 1289410, "2021-10-19", "2024-01-30", "一种山地城市桥梁健康监测的光纤光栅传感系统", ["G01M 11/08", "G01D 5/353"], [5, true, L, 71, 69], ["civilEngineering"]],
    ["cqu-gearshift-actuator", U, 2101447, "2018-05-22", "2019-01-08", "一种汽车变速器换挡执行机构", ["F16H 61/32"], [8, true, T, 64, 62], ["automotive"]],
    ["cqu-digital-twin-thermal", I, 1187305, "2023-03-01", "2025-04-18", "一种基于数字孪生的数控机床热误差补偿方法", ["G05B 19/404", "G06F 30/17"], [4, true, L, 76, 72], ["smartManufacturing"]],
    ["cqu-shale-fracture-sim", I, 1045893, "2017-05-31", "2020-02-14", "一种页岩气储层水力压裂裂缝扩展模拟方法", ["E21B 43/26", "G06F 30/20"], [5, false, 0, 70, 71], ["newEnergy"]],
  ]),
  // 中国科学院成都有机化学研究所: polymers, heterocycles, asymmetric catalysis, biocatalysis
  ...rows("cioc", [
    ["cioc-spiro-phosphine", I, 1098002, "2013-10-15", "2016-05-25", "一种手性螺环膦配体及其在不对称氢化反应中的应用", ["C07F 9/6568", "B01J 31/24", "C07B 53/00"], [5, true, T | L, 84, 82], ["greenChemistry", "biomedicine"]],
    ["cioc-pc-polyol", I, 1034556, "2015-03-02", "2017-08-22", "一种可降解聚碳酸酯多元醇及其制备方法", ["C08G 64/34", "C08G 64/02"], [7, true, T | L | E, 80, 78], ["newMaterials", "greenChemistry"]],
    ["cioc-kinase-inhibitor", I, 1077014, "2017-08-17", "2020-04-03", "一种吡唑并嘧啶类化合物及其作为激酶抑制剂的用途", ["C07D 487/04", "A61K 31/519", "A61P 35/00"], [4, true, L | E, 86, 84], ["biomedicine"]],
    ["cioc-co2-copolymer-catalyst", I, 1228765, "2019-12-10", "2022-05-06", "一种二氧化碳与环氧化物共聚制备聚碳酸酯的催化剂", ["B01J 31/22", "C08G 64/34"], [6, true, T | L, 82, 80], ["greenChemistry", "newMaterials"]],
    ["cioc-pi-gas-membrane", I, 1165439, "2020-09-08", "2022-12-20", "一种聚酰亚胺气体分离膜材料及其制备方法", ["C08G 73/10", "B01D 71/64", "B01D 53/22"], [5, true, T | L, 77, 75], ["newMaterials", "environment"]],
    ["cioc-fluoro-paek-separator", I, 1421587, "2021-11-23", "2024-03-12", "一种含氟聚芳醚酮及其在锂电池隔膜中的应用", ["C08G 65/40", "H01M 50/426"], [4, true, L, 75, 72], ["newMaterials", "newEnergy"]],
    ["cioc-biocatalytic-alcohol", I, 1033579, "2012-05-09", "2015-01-21", "一种手性仲醇的生物催化合成方法", ["C12P 7/02", "C07C 29/143"], [6, false, 0, 73, 70], ["biomedicine", "greenChemistry"]],
  ]),
  // 西南科技大学: nuclear waste, radiation detection, decommissioning, building materials
  ...rows("swust", [
    ["swust-glass-ceramic-waste", I, 1089904, "2014-11-14", "2017-05-10", "一种放射性废物玻璃陶瓷固化体及其制备方法", ["G21F 9/30", "C03C 10/00"], [5, true, T | L, 80, 78], ["nuclearTechnology", "environment"]],
    ["swust-czt-spectrometer", I, 1101543, "2016-11-29", "2019-08-16", "一种基于碲锌镉探测器的便携式γ能谱仪", ["G01T 1/24", "G01T 1/36"], [7, true, T | L, 82, 79], ["nuclearTechnology"]],
    ["swust-radiation-field-3d", I, 1267714, "2018-12-27", "2021-09-07", "一种核设施退役现场辐射场三维重建方法", ["G01T 1/169", "G06T 17/00"], [4, true, L, 74, 72], ["nuclearTechnology", "artificialIntelligence"]],
    ["swust-uranium-bioremediation", I, 1045782, "2020-02-18", "2022-10-25", "一种铀污染土壤的微生物修复方法", ["B09C 1/10", "G21F 9/00"], [4, true, T | L | E, 76, 74], ["nuclearTechnology", "environment"]],
    ["swust-pipe-crawler", U, 2540873, "2021-08-06", "2022-02-15", "一种核电站管道内壁检测爬行机器人", ["B25J 5/00", "F16L 55/32"], [6, true, T, 68, 65], ["nuclearTechnology", "smartManufacturing"]],
    ["swust-low-carbon-binder", I, 1198806, "2022-04-26", "2024-09-03", "一种利用固废制备的低碳胶凝材料及其制备方法", ["C04B 28/04", "C04B 18/14"], [6, true, T | L, 72, 70], ["newMaterials", "environment"]],
    ["swust-dose-alarm", D, 3067219, "2023-02-08", "2023-07-14", "辐射剂量报警仪", ["G01T 7/00"], [9, true, T, 62, 60], ["nuclearTechnology"]],
  ]),
];

/** A demo patent by its key; throws on an unknown key. */
export function demoPatent(key: string): DemoPatent {
  const p = DEMO_PATENTS.find((d) => d.key === key);
  if (!p) throw new Error(`unknown demo patent "${key}"`);
  return p;
}

/** The token id (application number) of a demo patent. */
export function demoPatentId(key: string): bigint {
  return parseCnipaNumber(demoPatent(key).cited).number;
}

export function demoScenarioMask(p: DemoPatent): number {
  return scenarioMask(...p.scenarios);
}
