import { ApiFailure, getJson, url } from "../api";
import { h, replace } from "../dom";
import { blockStamp, emptyState, errorState, loading, notAvailable, party, table } from "../format";
import { genericTable } from "../generic";
import { formatNumber, t, tMaybe } from "../i18n";
import { isAbort, type Page, type PageContext } from "../page";
import type { BlockRef, TransferHistory } from "../types";
import { numberForm } from "./financing";

/**
 * Audit (investors): a patent's licensing history with royalties (`GET /v1/audit/patents/{number}/licences`)
 * and its ownership history (`GET /v1/audit/patents/{number}/transfers`), each with its CSV export.
 */

const LICENCES = "/v1/audit/patents/{number}/licences";
const TRANSFERS = "/v1/audit/patents/{number}/transfers";

interface LicenceHistory {
  block?: BlockRef;
  items?: Record<string, unknown>[];
  licences?: Record<string, unknown>[];
}

function csvLink(path: string, file: string): HTMLElement {
  return h("p", { class: "links" }, h("a", { href: url(path, { format: "csv" }), download: file, class: "button" }, t("audit.csv")));
}

async function licences(ctx: PageContext, number: string): Promise<HTMLElement> {
  const el = h("section", { "aria-labelledby": "licences-heading" }, h("h2", { id: "licences-heading" }, t("audit.licences")));
  if (!ctx.features.has(LICENCES)) {
    el.append(notAvailable([LICENCES]));
    return el;
  }
  const path = `/v1/audit/patents/${encodeURIComponent(number)}/licences`;
  const history = await getJson<LicenceHistory>(path, { format: "json" }, ctx.signal);
  const rows = history.items ?? history.licences ?? [];
  el.append(
    csvLink(path, `${number}-licences.csv`),
    rows.length ? genericTable(t("audit.caption", { number }), rows) : emptyState(t("audit.noneTitle"), t("audit.noneText")),
    blockStamp(history.block) ?? "",
  );
  return el;
}

async function transfers(ctx: PageContext, number: string): Promise<HTMLElement> {
  const el = h("section", { "aria-labelledby": "transfers-heading" }, h("h2", { id: "transfers-heading" }, t("audit.transfers")));
  if (!ctx.features.has(TRANSFERS)) {
    el.append(notAvailable([TRANSFERS]));
    return el;
  }
  const path = `/v1/audit/patents/${encodeURIComponent(number)}/transfers`;
  const history = await getJson<TransferHistory>(path, { format: "json" }, ctx.signal);
  el.append(
    csvLink(path, `${number}-transfers.csv`),
    history.transfers.length
      ? table(
          t("audit.transfersCaption", { number: history.patent.number }),
          [t("transfer.from"), t("transfer.to"), t("transfer.status"), t("transfer.reference"), t("timeline.block"), t("audit.tx")],
          history.transfers.map((x) => [
            party(x.from),
            party(x.to),
            tMaybe("transferStatus.", x.status),
            x.cnipaReference ?? x.refusalReason ?? "—",
            `${formatNumber(x.updated.block)} / ${x.updated.logIndex}`,
            h("code", { class: "hash", title: x.updated.txHash }, `${x.updated.txHash.slice(0, 10)}…`),
          ]),
        )
      : emptyState(t("audit.noTransfersTitle"), t("audit.noTransfersText")),
    blockStamp(history.block) ?? "",
  );
  return el;
}

export const auditPage: Page = async (ctx) => {
  const number = ctx.params.get("number") ?? "";
  const body = h("div", { "aria-live": "polite" });
  replace(ctx.root, h("h1", null, t("audit.title")), h("p", { class: "lead" }, t("audit.lead")), numberForm(ctx, "audit", number), body);
  if (!number) {
    replace(body, emptyState(t("audit.askTitle"), t("audit.askText")));
    return;
  }
  replace(body, loading());
  try {
    replace(body, ...(await Promise.all([licences(ctx, number), transfers(ctx, number)])));
  } catch (err) {
    if (isAbort(err)) return;
    if (err instanceof ApiFailure && err.status < 500) replace(body, emptyState(t("patent.notFoundTitle"), err.message));
    else replace(body, errorState(err));
  }
};
