import type { z } from "zod";
import { getJson } from "../api";
import { h, replace } from "../dom";
import { blockStamp, emptyState, errorState, loading, notAvailable, table } from "../format";
import { t, type MessageKey } from "../i18n";
import { isAbort, routeHash, type Page } from "../page";
import type { MatchSchema } from "../../../server/api/routes/match";
import type { BlockRef } from "../types";
import { patentHeaders, patentRow } from "./exchange";

/** Matching: patents ranked for an enterprise's industry (GB/T 4754-2017) or IPC interests (`GET /v1/match`). */

type MatchAnswer = z.output<typeof MatchSchema> & { block: BlockRef };

/** Sichuan's six priority industries, by the ids `GET /v1/match?industry=` takes. */
const PRIORITY: [id: string, key: MessageKey][] = [
  ["electronic-information", "match.ind.electronicInformation"],
  ["equipment-manufacturing", "match.ind.equipmentManufacturing"],
  ["food-light-industry", "match.ind.foodLightIndustry"],
  ["advanced-materials", "match.ind.advancedMaterials"],
  ["energy-chemicals", "match.ind.energyChemicals"],
  ["medicine-health", "match.ind.medicineHealth"],
];

export const matchPage: Page = async (ctx) => {
  const industry = ctx.params.get("industry") ?? "";
  const ipc = ctx.params.get("ipc") ?? "";
  const form = h(
    "form",
    { class: "filters", role: "search", "aria-label": t("match.formLabel") },
    h(
      "div",
      { class: "field" },
      h("label", { for: "m-industry" }, t("match.industry")),
      h("input", { id: "m-industry", name: "industry", value: industry, placeholder: "C39", autocomplete: "off" }),
    ),
    h("div", { class: "field" }, h("label", { for: "m-ipc" }, t("exchange.ipc")), h("input", { id: "m-ipc", name: "ipc", value: ipc, placeholder: "A61K", autocomplete: "off" })),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, t("match.run"))),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    ctx.go(routeHash("match", [], { industry: String(data.get("industry") ?? "").trim(), ipc: String(data.get("ipc") ?? "").trim() }));
  });
  const chips = h(
    "ul",
    { class: "chips", "aria-label": t("match.suggestions") },
    PRIORITY.map(([id, key]) => h("li", null, h("a", { href: routeHash("match", [], { industry: id }), "aria-current": id === industry ? "true" : undefined }, t(key)))),
  );
  const results = h("section", { "aria-live": "polite" });
  replace(ctx.root, h("h1", null, t("match.title")), h("p", { class: "lead" }, t("match.lead")), form, h("p", { class: "note" }, t("match.suggestions")), chips, results);

  if (!ctx.features.has("/v1/match")) {
    replace(results, notAvailable(["/v1/match"]));
    return;
  }
  if (!industry && !ipc) {
    replace(results, emptyState(t("match.askTitle"), t("match.askText")));
    return;
  }
  replace(results, loading());
  try {
    const answer = await getJson<MatchAnswer>("/v1/match", { industry, ipc, limit: 20 }, ctx.signal);
    const industries = answer.industries.map((i) => `${i.code} ${i.name ?? ""}`.trim()).join("; ");
    replace(
      results,
      h("h2", null, t("match.results")),
      industries ? h("p", { class: "note" }, t("match.industries", { list: industries })) : null,
      answer.items.length === 0
        ? emptyState(t("match.noneTitle"), t("match.noneText"))
        : table(
            t("match.caption"),
            [t("match.rank"), t("match.score"), t("match.via"), ...patentHeaders()],
            answer.items.map((i, n) => [
              String(n + 1),
              i.score.toFixed(2),
              `${i.matched.interest}${i.matched.via === "ipc" ? "" : ` ← ${i.matched.via}`}`,
              ...patentRow(i.patent),
            ]),
            "match-table",
          ),
      blockStamp(answer.block),
    );
  } catch (err) {
    if (!isAbort(err)) replace(results, errorState(err));
  }
};
