import { getJson } from "../api";
import { h, replace } from "../dom";
import { blockStamp, emptyState, errorState, loading, notAvailable, table } from "../format";
import { genericTable } from "../generic";
import { t } from "../i18n";
import { isAbort, routeHash, type Page } from "../page";
import type { GenericPage, Patent } from "../types";
import { patentHeaders, patentRow } from "./exchange";

/** Matching: patents ranked for an enterprise's industry (国民经济行业分类) or IPC interests (`GET /v1/match`). */

/** Industry codes of the six Sichuan priority industries, as suggestions. */
const SUGGESTED: [code: string, key: "match.ind.C39" | "match.ind.C35" | "match.ind.C14" | "match.ind.C30" | "match.ind.C26" | "match.ind.C27"][] = [
  ["C39", "match.ind.C39"],
  ["C35", "match.ind.C35"],
  ["C14", "match.ind.C14"],
  ["C30", "match.ind.C30"],
  ["C26", "match.ind.C26"],
  ["C27", "match.ind.C27"],
];

interface MatchItem extends Record<string, unknown> {
  patent?: Patent;
  score?: number;
}

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
      h("input", { id: "m-industry", name: "industry", value: industry, list: "m-industries", placeholder: "C39", autocomplete: "off" }),
      h("datalist", { id: "m-industries" }, SUGGESTED.map(([code, key]) => h("option", { value: code }, t(key)))),
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
    SUGGESTED.map(([code, key]) => h("li", null, h("a", { href: routeHash("match", [], { industry: code }) }, `${code} ${t(key)}`))),
  );
  const results = h("section", { "aria-live": "polite" });
  replace(ctx.root, h("h1", null, t("match.title")), h("p", { class: "lead" }, t("match.lead")), form, chips, results);

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
    const page = await getJson<GenericPage>("/v1/match", { industry, ipc, limit: 20 }, ctx.signal);
    const items = (page.items ?? []) as MatchItem[];
    let body: HTMLElement;
    if (items.length === 0) body = emptyState(t("match.noneTitle"), t("match.noneText"));
    else if (items.every((i) => i.patent)) {
      body = table(
        t("match.caption"),
        [t("match.rank"), t("match.score"), ...patentHeaders()],
        items.map((i, n) => [String(n + 1), typeof i.score === "number" ? i.score.toFixed(2) : "—", ...patentRow(i.patent!)]),
      );
    } else body = genericTable(t("match.caption"), items);
    replace(results, h("h2", null, t("match.results")), body, blockStamp(page.block));
  } catch (err) {
    if (!isAbort(err)) replace(results, errorState(err));
  }
};
