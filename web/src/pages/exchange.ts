import { getJson } from "../api";
import { h, replace } from "../dom";
import { emptyState, errorState, loading, party, statusBadge, table, blockStamp } from "../format";
import { formatNumber, t, tMaybe } from "../i18n";
import { isAbort, routeHash, type Page } from "../page";
import { venuesOf } from "./market";
import type { Patent, PatentPage } from "../types";

/** Exchange: patent search with filters, one page at a time with the API's cursor. */

const STATUSES = ["Valid", "Lapsed", "Invalidated", "UnderInvalidation", "Frozen", "Expired"];
const KINDS = ["Invention", "UtilityModel", "Design"];
const MODES = ["transfer", "licence", "equity"];
const FILTERS = ["q", "ipc", "status", "kind", "readiness", "willing", "mode", "venue", "dormant"] as const;
const PAGE_SIZE = 20;

/** Cursors of the pages before the current one, per filter set (the Back button). */
const previous = new Map<string, string[]>();

function select(name: string, label: string, options: [string, string][], value: string): HTMLElement {
  const id = `f-${name}`;
  return h(
    "div",
    { class: "field" },
    h("label", { for: id }, label),
    h("select", { id, name }, options.map(([v, text]) => h("option", { value: v, selected: v === value }, text))),
  );
}

function input(name: string, label: string, value: string, attrs: Record<string, string> = {}): HTMLElement {
  const id = `f-${name}`;
  return h("div", { class: "field" }, h("label", { for: id }, label), h("input", { id, name, value, type: "text", autocomplete: "off", ...attrs }));
}

export function patentRow(p: Patent): (string | Node)[] {
  return [
    h("a", { href: routeHash("patent", [p.number]) }, p.number),
    p.title,
    party(p.owner),
    p.ipc.join(", "),
    tMaybe("kind.", p.kind),
    statusBadge(p.status),
    String(p.inventory.readiness),
    p.inventory.willing ? p.inventory.modeNames.map((m) => tMaybe("mode.", m)).join(" / ") || t("common.yes") : t("common.no"),
  ];
}

export function patentHeaders(): string[] {
  return [t("patent.number"), t("patent.title"), t("patent.owner"), t("patent.ipc"), t("patent.kind"), t("patent.status"), t("patent.readiness"), t("patent.willingModes")];
}

export const exchangePage: Page = async (ctx) => {
  const { params, features } = ctx;
  const value = (k: string) => params.get(k) ?? "";
  const venueSearch = features.hasQuery("/v1/patents", "venue");
  // The venues by name when the gateway serves them; else the address is typed in.
  const venues = venueSearch ? await venuesOf(ctx) : [];

  const form = h(
    "form",
    { class: "filters", role: "search", "aria-label": t("exchange.searchLabel") },
    input("q", t("exchange.keyword"), value("q"), { placeholder: t("exchange.keywordHint") }),
    input("ipc", t("exchange.ipc"), value("ipc"), { placeholder: "H01M", pattern: "[A-Ha-h]([0-9]{2}([A-Za-z]( ?[0-9]{1,4}(/[0-9]{0,6})?)?)?)?", title: t("exchange.ipcHint") }),
    select("status", t("patent.status"), [["", t("common.any")], ...STATUSES.map((x): [string, string] => [x, tMaybe("status.", x)])], value("status")),
    select("kind", t("patent.kind"), [["", t("common.any")], ...KINDS.map((x): [string, string] => [x, tMaybe("kind.", x)])], value("kind")),
    select(
      "readiness",
      t("exchange.readinessMin"),
      [["", t("common.any")], ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((n): [string, string] => [n === 9 ? "9" : `${n}-9`, `≥ ${n}`])],
      value("readiness"),
    ),
    select("willing", t("exchange.willing"), [["", t("common.any")], ["true", t("common.yes")], ["false", t("common.no")]], value("willing")),
    select("mode", t("exchange.mode"), [["", t("common.any")], ...MODES.map((m): [string, string] => [m, tMaybe("mode.", m)])], value("mode")),
    !venueSearch
      ? null
      : venues.length
        ? select("venue", t("exchange.venueListed"), [["", t("common.any")], ...venues.map((v): [string, string] => [v.address, v.name])], value("venue").toLowerCase())
        : input("venue", t("exchange.venue"), value("venue"), { placeholder: "0x…" }),
    h(
      "div",
      { class: "field checkbox" },
      h("input", { id: "f-dormant", name: "dormant", type: "checkbox", value: "true", checked: value("dormant") === "true" }),
      h("label", { for: "f-dormant" }, t("exchange.dormantOnly")),
    ),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, t("exchange.search")), h("a", { href: "#/exchange", class: "button" }, t("exchange.reset"))),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const query: Record<string, string> = {};
    for (const k of FILTERS) {
      const v = data.get(k);
      if (typeof v === "string" && v.trim() !== "") query[k] = v.trim();
    }
    ctx.go(routeHash("exchange", [], query));
  });

  const results = h("section", { class: "results", "aria-live": "polite", "aria-busy": "true" }, loading());
  replace(
    ctx.root,
    h("h1", null, t("exchange.title")),
    h("p", { class: "lead" }, t("exchange.lead")),
    venueSearch ? null : h("p", { class: "note" }, t("exchange.noVenueFilter")),
    form,
    results,
  );

  const query: Record<string, string> = {};
  for (const k of FILTERS) if (value(k)) query[k] = value(k);
  const filterKey = JSON.stringify(query);
  const cursor = value("cursor");
  let page: PatentPage;
  try {
    page = await getJson<PatentPage>("/v1/patents", { ...query, cursor, limit: PAGE_SIZE }, ctx.signal);
  } catch (err) {
    if (isAbort(err)) return;
    replace(results, errorState(err));
    results.setAttribute("aria-busy", "false");
    return;
  }
  const stack = previous.get(filterKey) ?? [];
  const nav = h("nav", { class: "pager", "aria-label": t("exchange.pages") });
  if (cursor) {
    nav.append(
      h("button", {
        type: "button",
        onclick: () => {
          const back = stack.pop();
          previous.set(filterKey, stack);
          ctx.go(routeHash("exchange", [], { ...query, cursor: back }));
        },
      }, t("exchange.previous")),
    );
  }
  if (page.next) {
    const next = page.next;
    nav.append(
      h("button", {
        type: "button",
        class: "primary",
        onclick: () => {
          previous.set(filterKey, [...stack, cursor]);
          ctx.go(routeHash("exchange", [], { ...query, cursor: next }));
        },
      }, t("exchange.next")),
    );
  }
  const partial = page.scan && !page.scan.complete ? h("p", { class: "note" }, t("exchange.partialScan", { examined: formatNumber(page.scan.examined) })) : null;
  replace(
    results,
    h("h2", { id: "results-heading" }, t("exchange.results", { count: formatNumber(page.items.length) })),
    page.items.length === 0
      ? emptyState(t("exchange.noResultsTitle"), t("exchange.noResultsText"))
      : table(t("exchange.resultsCaption"), patentHeaders(), page.items.map(patentRow), "results-table"),
    partial,
    nav,
    blockStamp(page.block),
  );
  results.setAttribute("aria-busy", "false");
};
