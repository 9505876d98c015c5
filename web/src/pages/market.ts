import { getJson } from "../api";
import { h, replace } from "../dom";
import { blockStamp, emptyState, errorState, loading, notAvailable } from "../format";
import { genericTable } from "../generic";
import { t } from "../i18n";
import { isAbort, type Page } from "../page";
import type { GenericPage } from "../types";

/** Open listings and auctions across both venues (`GET /v1/listings`, `GET /v1/auctions`). */

async function section(ctx: Parameters<Page>[0], path: string, title: string, emptyText: string): Promise<HTMLElement> {
  const body = h("div", { "aria-busy": "true" }, loading());
  const el = h("section", { "aria-label": title }, h("h2", null, title), body);
  if (!ctx.features.has(path)) {
    replace(body, notAvailable([path]));
  } else {
    try {
      const page = await getJson<GenericPage>(path, { limit: 50 }, ctx.signal);
      const items = page.items ?? [];
      replace(body, items.length ? genericTable(title, items) : emptyState(t("market.emptyTitle"), emptyText), blockStamp(page.block));
    } catch (err) {
      if (isAbort(err)) throw err;
      replace(body, errorState(err));
    }
  }
  body.setAttribute("aria-busy", "false");
  return el;
}

export const marketPage: Page = async (ctx) => {
  replace(ctx.root, h("h1", null, t("market.title")), h("p", { class: "lead" }, t("market.lead")), loading());
  try {
    const parts = await Promise.all([
      section(ctx, "/v1/listings", t("market.listings"), t("market.noListings")),
      section(ctx, "/v1/auctions", t("market.auctions"), t("market.noAuctions")),
    ]);
    replace(ctx.root, h("h1", null, t("market.title")), h("p", { class: "lead" }, t("market.lead")), ...parts);
  } catch (err) {
    if (!isAbort(err)) replace(ctx.root, h("h1", null, t("market.title")), errorState(err));
  }
};
