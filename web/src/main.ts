import { getJson, loadFeatures, type Features } from "./api";
import { useDirectoryFor } from "./directory";
import { h, replace } from "./dom";
import { errorState } from "./format";
import { formatNumber, initialLang, lang, setLang, t, type MessageKey } from "./i18n";
import type { Page } from "./page";
import type { Health } from "./types";
import { auditPage } from "./pages/audit";
import { exchangePage } from "./pages/exchange";
import { financingPage } from "./pages/financing";
import { livePage } from "./pages/live";
import { marketPage } from "./pages/market";
import { matchPage } from "./pages/match";
import { monitoringPage } from "./pages/monitoring";
import { patentPage } from "./pages/patent";

/** The dashboard: a shell (header, navigation, language switch, chain status) and a hash router. */

interface Route {
  page: Page;
  /** The navigation entry it belongs to. */
  nav: string;
}

const ROUTES: Record<string, Route> = {
  exchange: { page: exchangePage, nav: "exchange" },
  patent: { page: patentPage, nav: "exchange" },
  market: { page: marketPage, nav: "market" },
  match: { page: matchPage, nav: "match" },
  financing: { page: financingPage, nav: "financing" },
  audit: { page: auditPage, nav: "audit" },
  monitoring: { page: monitoringPage, nav: "monitoring" },
  live: { page: livePage, nav: "live" },
};

const NAV: [name: string, key: MessageKey][] = [
  ["exchange", "nav.exchange"],
  ["market", "nav.market"],
  ["match", "nav.match"],
  ["financing", "nav.financing"],
  ["audit", "nav.audit"],
  ["monitoring", "nav.monitoring"],
  ["live", "nav.live"],
];

const HEALTH_POLL_MS = 10_000;

let features: Features;
let health: Health | null = null;
let leave: (() => void) | undefined;
let controller: AbortController | undefined;
let firstRender = true;
/** Counts renders: body[data-render] lets tests (and tools) wait for the page an action leads to. */
let renders = 0;

const main = h("main", { id: "main", tabindex: -1 });
const navList = h("ul");
const langButton = h("button", { type: "button", class: "lang", id: "lang-switch" });
const title = h("p", { class: "brand" });
const statusLine = h("p", { class: "chain-status", role: "status" });
const skip = h("a", { href: "#main", class: "skip" });

function parseHash(): { name: string; segments: string[]; params: URLSearchParams } {
  const raw = location.hash.replace(/^#\/?/, "");
  const [path = "", query = ""] = raw.split("?", 2);
  const [name = "", ...segments] = path.split("/").filter(Boolean).map(decodeURIComponent);
  return { name, segments, params: new URLSearchParams(query) };
}

function renderShell(active: string): void {
  document.title = t("app.title");
  replace(title, t("app.title"), h("span", { class: "subtitle" }, t("app.subtitle")));
  replace(skip, t("app.skip"));
  replace(
    navList,
    NAV.map(([name, key]) =>
      h("li", null, h("a", { href: `#/${name}`, "aria-current": name === active ? "page" : undefined }, t(key))),
    ),
  );
  replace(langButton, lang() === "zh-CN" ? "English" : "中文");
  langButton.setAttribute("aria-label", t("app.switchLanguage"));
  langButton.setAttribute("lang", lang() === "zh-CN" ? "en" : "zh-CN");
  renderStatus();
}

function renderStatus(): void {
  if (!health) {
    replace(statusLine, t("status.unknown"));
    return;
  }
  replace(
    statusLine,
    t("status.line", {
      chainId: health.chainId,
      head: formatNumber(health.head.number),
      indexed: health.indexed ? formatNumber(health.indexed.number) : "—",
      lag: health.lag ?? "—",
    }),
  );
}

async function refreshHealth(): Promise<void> {
  try {
    health = await getJson<Health>("/v1/health");
    useDirectoryFor(health.chainId);
  } catch {
    health = null;
  }
  renderStatus();
}

async function render(): Promise<void> {
  leave?.();
  leave = undefined;
  controller?.abort();
  controller = new AbortController();
  const { name, segments, params } = parseHash();
  const route = ROUTES[name];
  if (!route) {
    location.replace("#/exchange");
    return;
  }
  renderShell(route.nav);
  document.body.dataset.route = name;
  document.body.dataset.busy = "true";
  document.body.dataset.render = String(++renders);
  const signal = controller.signal;
  try {
    const cleanup = await route.page({
      root: main,
      segments,
      params,
      features,
      health,
      signal,
      go: (hash) => {
        if (location.hash === hash) void render();
        else location.hash = hash;
      },
    });
    if (signal.aborted) cleanup?.();
    else leave = cleanup ?? undefined;
  } catch (err) {
    if (!signal.aborted) replace(main, errorState(err));
  }
  // Keyboard and screen-reader users land on the new content, not at the top of the page.
  if (!firstRender && !signal.aborted) main.focus({ preventScroll: false });
  firstRender = false;
  if (!signal.aborted) document.body.dataset.busy = "false";
}

async function boot(): Promise<void> {
  setLang(initialLang());
  const header = h(
    "header",
    { class: "top" },
    h("div", { class: "top-row" }, title, langButton),
    h("nav", { "aria-label": "primary", id: "primary-nav" }, navList),
  );
  const footer = h("footer", { class: "bottom" }, statusLine);
  document.body.replaceChildren(skip, header, main, footer);
  // The skip link must not change the hash (the router owns it): it moves the focus itself.
  skip.addEventListener("click", (event) => {
    event.preventDefault();
    main.focus();
  });
  langButton.addEventListener("click", () => {
    setLang(lang() === "zh-CN" ? "en" : "zh-CN");
    document.getElementById("primary-nav")?.setAttribute("aria-label", t("app.navLabel"));
    void render();
  });
  document.getElementById("primary-nav")?.setAttribute("aria-label", t("app.navLabel"));
  [features] = await Promise.all([loadFeatures(), refreshHealth()]);
  window.addEventListener("hashchange", () => void render());
  window.setInterval(() => void refreshHealth(), HEALTH_POLL_MS);
  await render();
  document.body.dataset.ready = "true";
}

void boot();
