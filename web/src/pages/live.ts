import { getJson } from "../api";
import { h, replace } from "../dom";
import { hashText, notAvailable } from "../format";
import { formatNumber, t } from "../i18n";
import { isAbort, type Page } from "../page";
import type { Health } from "../types";

/**
 * Live: new events appear without reloading, from the gateway's server-sent event stream when it has one
 * (the path that /openapi.json lists as text/event-stream). Without a stream, the page follows the
 * indexed block through `GET /v1/health`.
 */

const MAX_ITEMS = 200;
const POLL_MS = 2000;

function describe(data: string): { title: string; detail: string } {
  try {
    const value = JSON.parse(data) as Record<string, unknown>;
    const title = String(value.event ?? value.type ?? value.kind ?? "message");
    const number = value.number ?? (value.patent as Record<string, unknown> | undefined)?.number ?? "";
    return { title, detail: [number, value.block !== undefined ? `#${JSON.stringify(value.block)}` : ""].filter(Boolean).join(" ") || data.slice(0, 160) };
  } catch {
    return { title: "message", detail: data.slice(0, 160) };
  }
}

export const livePage: Page = async (ctx) => {
  const list = h("ol", { class: "live-list", "aria-live": "polite", "aria-relevant": "additions" });
  const state = h("p", { class: "live-state", role: "status" }, t("live.connecting"));
  const stream = ctx.features.eventStream();
  replace(
    ctx.root,
    h("h1", null, t("live.title")),
    h("p", { class: "lead" }, stream ? t("live.leadStream", { path: stream }) : t("live.leadPoll")),
    stream ? null : notAvailable([t("live.streamPath")]),
    state,
    list,
  );
  const add = (item: HTMLElement) => {
    list.prepend(item);
    while (list.children.length > MAX_ITEMS) list.lastElementChild?.remove();
  };

  if (stream) {
    const source = new EventSource(stream);
    const onEvent = (event: MessageEvent<string>) => {
      const { title, detail } = describe(event.data);
      add(h("li", { class: "event" }, h("strong", null, event.type === "message" ? title : event.type), " ", detail));
    };
    source.onopen = () => replace(state, t("live.connected"));
    source.onerror = () => replace(state, t("live.reconnecting"));
    source.onmessage = onEvent;
    // Named events: the stream's own event names are not known in advance; listen for the usual ones.
    for (const name of ["listing", "dormant", "event", "block", "patent"]) source.addEventListener(name, onEvent as EventListener);
    return () => source.close();
  }

  let last = -1;
  let stopped = false;
  const poll = async () => {
    if (stopped) return;
    try {
      const health = await getJson<Health>("/v1/health", {}, ctx.signal);
      const indexed = health.indexed?.number ?? -1;
      replace(state, t("live.following", { head: formatNumber(health.head.number) }));
      if (indexed > last) {
        if (last >= 0 || indexed >= 0) {
          add(h("li", { class: "event" }, h("strong", null, t("live.blockIndexed", { number: formatNumber(indexed) })), " ", health.indexed?.hash ? hashText(health.indexed.hash) : ""));
        }
        last = indexed;
      }
    } catch (err) {
      if (isAbort(err)) return;
      replace(state, t("live.unreachable"));
    }
    if (!stopped) timer = window.setTimeout(() => void poll(), POLL_MS);
  };
  let timer = 0;
  await poll();
  return () => {
    stopped = true;
    window.clearTimeout(timer);
  };
};
