import { ApiFailure, getJson, url } from "../api";
import { h, replace } from "../dom";
import { blockStamp, emptyState, errorState, loading, notAvailable } from "../format";
import { genericTable } from "../generic";
import { t } from "../i18n";
import { isAbort, type Page } from "../page";
import type { BlockRef } from "../types";
import { numberForm } from "./financing";

/** Audit (investors): a patent's licensing history with royalties, and its CSV export (`GET /v1/audit/patents/{number}/licences`). */

const LICENCES = "/v1/audit/patents/{number}/licences";

interface LicenceHistory {
  block?: BlockRef;
  items?: Record<string, unknown>[];
  licences?: Record<string, unknown>[];
  [k: string]: unknown;
}

export const auditPage: Page = async (ctx) => {
  const number = ctx.params.get("number") ?? "";
  const body = h("div", { "aria-live": "polite" });
  replace(ctx.root, h("h1", null, t("audit.title")), h("p", { class: "lead" }, t("audit.lead")), numberForm(ctx, "audit", number), body);
  if (!ctx.features.has(LICENCES)) {
    replace(body, notAvailable([LICENCES]));
    return;
  }
  if (!number) {
    replace(body, emptyState(t("audit.askTitle"), t("audit.askText")));
    return;
  }
  replace(body, loading());
  const path = `/v1/audit/patents/${encodeURIComponent(number)}/licences`;
  try {
    const history = await getJson<LicenceHistory>(path, { format: "json" }, ctx.signal);
    const rows = history.items ?? history.licences ?? [];
    replace(
      body,
      h("p", { class: "links" }, h("a", { href: url(path, { format: "csv" }), download: `${number}-licences.csv`, class: "button" }, t("audit.csv"))),
      rows.length ? genericTable(t("audit.caption", { number }), rows) : emptyState(t("audit.noneTitle"), t("audit.noneText")),
      blockStamp(history.block),
    );
  } catch (err) {
    if (isAbort(err)) return;
    if (err instanceof ApiFailure && err.status === 404 && err.code === "NOT_FOUND") replace(body, notAvailable([LICENCES]));
    else if (err instanceof ApiFailure && err.status < 500) replace(body, emptyState(t("patent.notFoundTitle"), err.message));
    else replace(body, errorState(err));
  }
};
