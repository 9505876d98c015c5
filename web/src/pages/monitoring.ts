import { getJson } from "../api";
import { barChart, columnChart } from "../charts";
import { entryOf, nameOf } from "../directory";
import { h, replace } from "../dom";
import { blockStamp, errorState, loading, notAvailable } from "../format";
import { formatNumber, formatPercent, lang, t, tMaybe } from "../i18n";
import { isAbort, type Page } from "../page";
import type { Rate, Stats } from "../types";

/** Monitoring: implementation rates by institution, city and IPC section, and volumes over time (`GET /v1/stats`). */

function rateText(r: Rate): string {
  return `${formatPercent(r.rate)} (${r.implemented}/${r.registered})`;
}

function kpi(label: string, value: string, id: string): HTMLElement {
  return h("div", { class: "kpi" }, h("p", { class: "kpi-value", id }, value), h("p", { class: "kpi-label" }, label));
}

/** Owners grouped by the demo directory's city (the ledger itself holds no location). */
function byCity(stats: Stats): (Rate & { city: string })[] {
  const cities = new Map<string, Rate>();
  for (const o of stats.byOwner) {
    const city = entryOf(o.owner)?.city;
    if (!city) continue;
    const c = cities.get(city) ?? { registered: 0, implemented: 0, rate: 0 };
    c.registered += o.registered;
    c.implemented += o.implemented;
    c.rate = c.implemented / c.registered;
    cities.set(city, c);
  }
  return [...cities].map(([city, r]) => ({ city, ...r }));
}

/** Minor units (2 decimals) to ten-thousands of the currency (万元 for CNY), as charted. */
const tenThousands = (minor: string | undefined): number => Number(BigInt(minor ?? "0")) / 1_000_000;

/** Licensing and pledge financing volume by month (`volumes` of `GET /v1/stats`). */
function volumeCharts(volumes: Stats["volumes"], dataLabel: string): HTMLElement {
  const months = volumes.byMonth.map((m) => m.month);
  const currencies = [...new Set(volumes.byMonth.flatMap((m) => Object.keys(m.pledgeFinancing.securedRegistered)))].sort();
  return h(
    "section",
    { class: "card", "aria-labelledby": "volumes" },
    h("h2", { id: "volumes" }, t("monitoring.volumes")),
    months.length === 0
      ? h("p", { class: "empty", id: "volumes-empty" }, t("monitoring.noVolumes"))
      : h(
          "div",
          { class: "charts" },
          columnChart({
            caption: t("monitoring.licensingByMonth"),
            categories: months,
            series: [
              { name: t("monitoring.licencesGranted"), values: volumes.byMonth.map((m) => m.licensing.licencesGranted) },
              { name: t("monitoring.openLicencesTaken"), values: volumes.byMonth.map((m) => m.licensing.openLicencesTaken) },
              { name: t("monitoring.royaltyPayments"), values: volumes.byMonth.map((m) => m.licensing.royaltyPayments) },
            ],
            categoryHeader: t("monitoring.month"),
            dataLabel,
          }),
          columnChart({
            caption: t("monitoring.pledgesByMonth"),
            categories: months,
            series: [
              { name: t("monitoring.pledgesRegistered"), values: volumes.byMonth.map((m) => m.pledgeFinancing.registered) },
              { name: t("monitoring.pledgesProposed"), values: volumes.byMonth.map((m) => m.pledgeFinancing.proposed) },
            ],
            categoryHeader: t("monitoring.month"),
            dataLabel,
          }),
          ...currencies.map((currency) =>
            columnChart({
              caption: t("monitoring.securedByMonth", { currency }),
              categories: months,
              series: [{ name: t("monitoring.securedRegistered", { currency }), values: volumes.byMonth.map((m) => tenThousands(m.pledgeFinancing.securedRegistered[currency])) }],
              categoryHeader: t("monitoring.month"),
              dataLabel,
            }),
          ),
        ),
    h("p", { class: "note" }, t("monitoring.volumesNote")),
  );
}

export const monitoringPage: Page = async (ctx) => {
  replace(ctx.root, h("h1", null, t("monitoring.title")), loading());
  if (!ctx.features.has("/v1/stats")) {
    replace(ctx.root, h("h1", null, t("monitoring.title")), notAvailable(["/v1/stats"]));
    return;
  }
  let stats: Stats;
  try {
    stats = await getJson<Stats>("/v1/stats", {}, ctx.signal);
  } catch (err) {
    if (!isAbort(err)) replace(ctx.root, h("h1", null, t("monitoring.title")), errorState(err));
    return;
  }
  const headers: [string, string] = [t("monitoring.group"), t("monitoring.rate")];
  const dataLabel = t("monitoring.data");
  const cities = byCity(stats);
  replace(
    ctx.root,
    h("h1", null, t("monitoring.title")),
    h("p", { class: "lead" }, t("monitoring.lead", { date: stats.asOfDate })),
    h(
      "div",
      { class: "kpis" },
      kpi(t("monitoring.registered"), formatNumber(stats.patents.registered), "kpi-registered"),
      kpi(t("monitoring.implemented"), formatNumber(stats.implementation.implemented), "kpi-implemented"),
      kpi(t("monitoring.rateOverall"), formatPercent(stats.implementation.rate), "kpi-rate"),
      kpi(t("monitoring.owners"), formatNumber(stats.owners), "kpi-owners"),
      kpi(t("monitoring.dormant"), formatNumber(stats.dormant.count), "kpi-dormant"),
    ),
    h(
      "div",
      { class: "charts" },
      barChart({
        caption: t("monitoring.byOwner"),
        bars: stats.byOwner.map((o) => ({ label: nameOf(o.owner), value: o.rate, text: rateText(o) })),
        headers,
        dataLabel,
      }),
      barChart({
        caption: t("monitoring.byIpc"),
        bars: stats.byIpcSection.map((s) => ({ label: `${s.section} ${tMaybe("ipc.", s.section, "")}`.trim(), value: s.rate, text: rateText(s) })),
        headers,
        dataLabel,
      }),
      cities.length
        ? barChart({
            caption: t("monitoring.byCity"),
            bars: cities.map((c) => ({ label: tMaybe("city.", c.city), value: c.rate, text: rateText(c) })),
            headers,
            dataLabel,
          })
        : null,
      columnChart({
        caption: t("monitoring.byYear"),
        categories: stats.byGrantYear.map((y) => String(y.year)),
        series: [
          { name: t("monitoring.registered"), values: stats.byGrantYear.map((y) => y.registered) },
          { name: t("monitoring.implemented"), values: stats.byGrantYear.map((y) => y.implemented) },
        ],
        categoryHeader: t("monitoring.year"),
        dataLabel,
      }),
      columnChart({
        caption: t("monitoring.byRecord"),
        categories: Object.keys(stats.implementation.byRecord).map((k) => tMaybe("mode.", k)),
        series: [{ name: t("monitoring.patentsWithRecord"), values: Object.values(stats.implementation.byRecord) }],
        categoryHeader: t("monitoring.recordKind"),
        dataLabel,
      }),
    ),
    volumeCharts(stats.volumes, dataLabel),
    cities.length ? h("p", { class: "note" }, t("monitoring.cityNote")) : null,
    stats.notCovered.length
      ? h(
          "section",
          { class: "card", "aria-labelledby": "not-covered" },
          h("h2", { id: "not-covered" }, t("monitoring.notCovered")),
          h("ul", { lang: "en" }, stats.notCovered.map((x) => h("li", null, x))),
          lang() === "en" ? null : h("p", { class: "note" }, t("monitoring.notCoveredNote")),
        )
      : null,
    blockStamp(stats.block),
  );
};
