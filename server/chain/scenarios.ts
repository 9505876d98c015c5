/**
 * Application-scenario vocabulary of the stock-patent survey: bit i of `Inventory.scenarioTags` means
 * SCENARIOS[i]. Appending is safe; reordering changes the meaning of stored tags.
 */
export const SCENARIOS = [
  { key: "smartManufacturing", label: "智能制造", labelEn: "Smart manufacturing" },
  { key: "electronics", label: "电子信息", labelEn: "Electronic information" },
  { key: "integratedCircuits", label: "集成电路", labelEn: "Integrated circuits" },
  { key: "communications", label: "新一代通信", labelEn: "Next-generation communications" },
  { key: "artificialIntelligence", label: "人工智能", labelEn: "Artificial intelligence" },
  { key: "railTransit", label: "轨道交通", labelEn: "Rail transit" },
  { key: "newEnergy", label: "新能源", labelEn: "New energy" },
  { key: "powerGrid", label: "智能电网", labelEn: "Smart grid" },
  { key: "newMaterials", label: "新材料", labelEn: "Advanced materials" },
  { key: "biomedicine", label: "生物医药", labelEn: "Biomedicine" },
  { key: "medicalDevices", label: "医疗器械", labelEn: "Medical devices" },
  { key: "greenChemistry", label: "绿色化工", labelEn: "Green chemistry" },
  { key: "nuclearTechnology", label: "核技术应用", labelEn: "Nuclear technology applications" },
  { key: "environment", label: "节能环保", labelEn: "Energy saving and environmental protection" },
  { key: "automotive", label: "汽车与新能源汽车", labelEn: "Automotive and new-energy vehicles" },
  { key: "aerospace", label: "航空航天", labelEn: "Aerospace" },
  { key: "agriculture", label: "现代农业", labelEn: "Modern agriculture" },
  { key: "civilEngineering", label: "土木与基础设施", labelEn: "Civil engineering and infrastructure" },
] as const;

export type ScenarioKey = (typeof SCENARIOS)[number]["key"];

/** The bitmask of the given scenarios. */
export function scenarioMask(...keys: ScenarioKey[]): number {
  let mask = 0;
  for (const key of keys) {
    const bit = SCENARIOS.findIndex((s) => s.key === key);
    mask |= 1 << bit;
  }
  return mask >>> 0;
}

/** The scenario keys set in a bitmask (unknown bits are ignored). */
export function scenarioKeys(mask: number): ScenarioKey[] {
  return SCENARIOS.filter((_, bit) => (mask >>> bit) & 1).map((s) => s.key);
}
