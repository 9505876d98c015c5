import { SCENARIOS } from "../../server/chain/scenarios";
import { lang } from "./i18n";

/** Names of the survey's application scenarios (the vocabulary the registry stores as bits). */
export function scenarioLabel(key: string): string {
  const s = SCENARIOS.find((x) => x.key === key);
  if (!s) return key;
  return lang() === "en" ? s.labelEn : s.label;
}
