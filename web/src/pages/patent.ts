import { ApiFailure, getJson } from "../api";
import { h, replace } from "../dom";
import { blockStamp, emptyState, errorState, facts, hashText, loading, party, statusBadge, table, yesNo } from "../format";
import { formatNumber, t, tMaybe } from "../i18n";
import { isAbort, routeHash, type Page } from "../page";
import { scenarioLabel } from "../scenarios";
import type { Dossier, TimelineEntry, TimelinePage } from "../types";

/** Patent dossier: the facts of one patent, its transfers and evaluations, and its timeline in chain order. */

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** Event arguments named *Day carry calendar days since 1970-01-01 (China Standard Time). */
function isoOfDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

function argText(name: string, value: unknown): string | Node {
  if (/Day$/.test(name) && typeof value === "number" && value > 0) return `${isoOfDay(value)} (${value})`;
  if (typeof value === "string" && ADDRESS.test(value)) return party(value);
  if (typeof value === "string" && /^0x[0-9a-fA-F]{64}$/.test(value)) return hashText(value);
  if (value !== null && typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** The arguments worth reading in a timeline line (long structures are summarised by the event name). */
function argList(entry: TimelineEntry): HTMLElement {
  const dl = h("dl", { class: "args" });
  for (const [name, value] of Object.entries(entry.args)) {
    if (name === "patentId" || (value !== null && typeof value === "object" && !Array.isArray(value))) continue;
    dl.append(h("dt", null, name), h("dd", null, Array.isArray(value) ? value.map(String).join(", ") : argText(name, value)));
  }
  return dl;
}

export function timelineItem(entry: TimelineEntry): HTMLElement {
  return h(
    "li",
    { class: "event" },
    h("p", { class: "event-head" }, h("strong", null, tMaybe("event.", entry.event)), " ", h("span", { class: "muted" }, `${entry.contract}.${entry.event}`)),
    argList(entry),
    h("p", { class: "event-where muted" }, t("timeline.where", { block: formatNumber(entry.block), log: entry.logIndex }), " ", hashText(entry.txHash)),
  );
}

export const patentPage: Page = async (ctx) => {
  const number = ctx.segments[0] ?? "";
  replace(ctx.root, h("h1", null, number), loading());
  let dossier: Dossier;
  try {
    dossier = await getJson<Dossier>(`/v1/patents/${encodeURIComponent(number)}`, {}, ctx.signal);
  } catch (err) {
    if (isAbort(err)) return;
    if (err instanceof ApiFailure && (err.status === 404 || err.status === 400)) {
      replace(ctx.root, h("h1", null, number), emptyState(t("patent.notFoundTitle"), err.message), h("p", null, h("a", { href: "#/exchange" }, t("patent.backToSearch"))));
    } else {
      replace(ctx.root, h("h1", null, number), errorState(err));
    }
    return;
  }
  const p = dossier.patent;
  const impl = dossier.implementation;
  const implemented = (["transfer", "licence", "pledge", "equity"] as const).filter((k) => impl[k]).map((k) => tMaybe("mode.", k));

  const timelineList = h("ol", { class: "timeline", "aria-label": t("timeline.title") });
  const more = h("div", { class: "pager" });
  const timelineSection = h(
    "section",
    { "aria-labelledby": "timeline-heading" },
    h("h2", { id: "timeline-heading" }, t("timeline.title")),
    timelineList,
    more,
  );

  replace(
    ctx.root,
    h("p", { class: "crumbs" }, h("a", { href: "#/exchange" }, t("nav.exchange")), " / ", p.number),
    h("h1", null, p.title),
    h("p", { class: "lead" }, p.number, " ", statusBadge(p.status), " ", dossier.inForce ? h("span", { class: "badge ok" }, t("patent.inForce")) : h("span", { class: "badge warn" }, t("patent.notInForce"))),
    h(
      "div",
      { class: "cards" },
      h(
        "section",
        { class: "card", "aria-labelledby": "facts-heading" },
        h("h2", { id: "facts-heading" }, t("patent.facts")),
        facts([
          [t("patent.owner"), party(p.owner)],
          [t("patent.holder"), party(p.holder)],
          [t("patent.kind"), tMaybe("kind.", p.kind)],
          [t("patent.ipc"), p.ipc.join(", ")],
          [t("patent.filingDate"), p.filingDate],
          [t("patent.grantDate"), p.grantDate],
          [t("patent.expiryDate"), p.expiryDate],
          [t("patent.locks"), p.lockNames.length ? p.lockNames.map((n) => tMaybe("lock.", n)).join(", ") : t("patent.noLocks")],
          [t("patent.pendingTransfer"), dossier.pendingTransfer ? `${tMaybe("transferStatus.", dossier.pendingTransfer.status)} → ${dossier.pendingTransfer.to}` : t("common.none")],
        ]),
      ),
      h(
        "section",
        { class: "card", "aria-labelledby": "inventory-heading" },
        h("h2", { id: "inventory-heading" }, t("patent.inventory")),
        facts([
          [t("patent.readiness"), `${p.inventory.readiness} / 9`],
          [t("exchange.willing"), yesNo(p.inventory.willing)],
          [t("exchange.mode"), p.inventory.modeNames.map((m) => tMaybe("mode.", m)).join(" / ") || t("common.none")],
          [t("patent.scenarios"), p.inventory.scenarios.map(scenarioLabel).join(", ") || t("common.none")],
          [t("patent.scores"), t("patent.scoresValue", { self: p.inventory.selfScore, unit: p.inventory.unitScore })],
          [t("patent.implemented"), implemented.length ? implemented.join(", ") : t("common.no")],
          [t("patent.dormant"), yesNo(dossier.dormant)],
        ]),
        h(
          "p",
          { class: "links" },
          h("a", { href: routeHash("financing", [], { number: p.number }) }, t("patent.toFinancing")),
          " · ",
          h("a", { href: routeHash("audit", [], { number: p.number }) }, t("patent.toAudit")),
        ),
      ),
    ),
    dossier.transfers.length
      ? table(
          t("patent.transfers"),
          [t("transfer.from"), t("transfer.to"), t("transfer.status"), t("transfer.reference"), t("timeline.block")],
          dossier.transfers.map((x) => [party(x.from), party(x.to), tMaybe("transferStatus.", x.status), x.cnipaReference ?? x.refusalReason ?? "—", formatNumber(x.updated.block)]),
        )
      : null,
    dossier.evaluations.length
      ? table(
          t("patent.evaluations"),
          [t("evaluation.evaluator"), t("evaluation.interest"), t("evaluation.improvement"), t("evaluation.cooperation"), t("timeline.block")],
          dossier.evaluations.map((e) => [party(e.evaluator), String(e.interest), String(e.improvementNeed), String(e.cooperationWillingness), formatNumber(e.recorded.block)]),
        )
      : null,
    timelineSection,
    blockStamp(dossier.block),
  );

  async function loadTimeline(cursor: string | undefined): Promise<void> {
    replace(more, loading());
    try {
      const page = await getJson<TimelinePage>(`/v1/patents/${encodeURIComponent(p.number)}/timeline`, { cursor, limit: 50 }, ctx.signal);
      timelineList.append(...page.items.map(timelineItem));
      const next = page.next;
      replace(more, next ? h("button", { type: "button", onclick: () => void loadTimeline(next) }, t("timeline.more")) : null);
    } catch (err) {
      if (!isAbort(err)) replace(more, errorState(err));
    }
  }
  await loadTimeline(undefined);
};
