import type { z } from "zod";
import { getJson, url } from "../api";
import { h, replace } from "../dom";
import { notAvailable, party, statusBadge } from "../format";
import { formatNumber, t, tMaybe } from "../i18n";
import { isAbort, routeHash, type Page } from "../page";
import type { PatentEventSchema } from "../../../server/api/routes/events";
import type { BlockRef, Health } from "../types";

/**
 * Live: new events appear without reloading, from the gateway's server-sent event stream (the path
 * /openapi.json lists as text/event-stream: `GET /v1/events/stream`), optionally filtered by industry or
 * IPC prefix. Without a stream, the page follows the indexed block through `GET /v1/health`.
 */

type PatentEvent = z.output<typeof PatentEventSchema>;

const MAX_ITEMS = 200;
const POLL_MS = 2000;
const PATENT_EVENTS = ["patent.registered", "patent.status", "patent.owner", "patent.updated"] as const;

function patentEventItem(e: PatentEvent): HTMLElement {
  const p = e.patent;
  let change: (string | Node)[] = [];
  if (e.type === "patent.status" && e.previous) change = [statusBadge(e.previous.status), " → ", statusBadge(p.status)];
  else if (e.type === "patent.owner" && e.previous) change = [party(e.previous.owner), " → ", party(p.owner)];
  else change = [statusBadge(p.status), " ", party(p.owner)];
  return h(
    "li",
    { class: "event", "data-type": e.type },
    h("p", { class: "event-head" }, h("strong", null, tMaybe("live.type.", e.type)), " ", h("a", { href: routeHash("patent", [p.number]) }, p.number), " ", p.title),
    h("p", { class: "event-where" }, ...change, " ", h("span", { class: "muted" }, t("live.atBlock", { number: formatNumber(e.block) }))),
  );
}

export const livePage: Page = async (ctx) => {
  const list = h("ol", { class: "live-list", id: "live-list", "aria-live": "polite", "aria-relevant": "additions" });
  const state = h("p", { class: "live-state", role: "status", id: "live-state" }, t("live.connecting"));
  const stream = ctx.features.eventStream();
  const industry = ctx.params.get("industry") ?? "";
  const ipc = ctx.params.get("ipc") ?? "";
  const filter = h(
    "form",
    { class: "filters", "aria-label": t("live.filterLabel") },
    h("div", { class: "field" }, h("label", { for: "l-industry" }, t("match.industry")), h("input", { id: "l-industry", name: "industry", value: industry, placeholder: "electronic-information", autocomplete: "off" })),
    h("div", { class: "field" }, h("label", { for: "l-ipc" }, t("exchange.ipc")), h("input", { id: "l-ipc", name: "ipc", value: ipc, placeholder: "H01L", autocomplete: "off" })),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, t("live.follow"))),
  );
  filter.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(filter);
    ctx.go(routeHash("live", [], { industry: String(data.get("industry") ?? "").trim(), ipc: String(data.get("ipc") ?? "").trim() }));
  });
  replace(
    ctx.root,
    h("h1", null, t("live.title")),
    h("p", { class: "lead" }, stream ? t("live.leadStream", { path: stream }) : t("live.leadPoll")),
    stream ? filter : notAvailable([t("live.streamPath")]),
    state,
    list,
  );
  const add = (item: HTMLElement) => {
    list.prepend(item);
    while (list.children.length > MAX_ITEMS) list.lastElementChild?.remove();
  };

  if (stream) {
    const source = new EventSource(url(stream, { industry, ipc }));
    source.addEventListener("ready", (event) => {
      const { block } = JSON.parse((event as MessageEvent<string>).data) as { block: BlockRef };
      replace(state, t("live.connected", { number: formatNumber(block.number) }));
      ctx.root.dataset.liveReady = "true";
    });
    for (const name of PATENT_EVENTS) {
      source.addEventListener(name, (event) => add(patentEventItem(JSON.parse((event as MessageEvent<string>).data) as PatentEvent)));
    }
    source.addEventListener("reorg", (event) => {
      const { from, to } = JSON.parse((event as MessageEvent<string>).data) as { from: unknown; to: unknown };
      add(h("li", { class: "event", "data-type": "reorg" }, h("strong", null, t("live.reorg")), " ", `${JSON.stringify(from)} → ${JSON.stringify(to)}`));
    });
    source.onerror = () => replace(state, t("live.reconnecting"));
    return () => {
      source.close();
      delete ctx.root.dataset.liveReady;
    };
  }

  let last = -1;
  let stopped = false;
  let timer = 0;
  const poll = async () => {
    if (stopped) return;
    try {
      const health = await getJson<Health>("/v1/health", {}, ctx.signal);
      const indexed = health.indexed?.number ?? -1;
      replace(state, t("live.following", { head: formatNumber(health.head.number) }));
      if (indexed > last) {
        add(h("li", { class: "event" }, h("strong", null, t("live.blockIndexed", { number: formatNumber(indexed) }))));
        last = indexed;
      }
    } catch (err) {
      if (isAbort(err)) return;
      replace(state, t("live.unreachable"));
    }
    if (!stopped) timer = window.setTimeout(() => void poll(), POLL_MS);
  };
  await poll();
  return () => {
    stopped = true;
    window.clearTimeout(timer);
  };
};
