import { ApiFailure, getJson, url } from "../api";
import { h, replace } from "../dom";
import { blockStamp, emptyState, errorState, facts, loading, notAvailable, party, table } from "../format";
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

interface ChainPoint {
  block: number;
  logIndex: number;
  txHash: string;
}

interface LicenceRow {
  licence: {
    id: string;
    kind: string;
    licensee: string;
    status: string;
    startDate: string;
    endDate: string;
    open: boolean;
    filing: { reference: string } | null;
    account: { paid: string; payments: number };
  };
  endedAt: ChainPoint | null;
}

interface LicenceFact extends ChainPoint {
  contract: string;
  event: string;
  args: Record<string, unknown>;
}

interface LicenceHistory {
  block?: BlockRef;
  licences: LicenceRow[];
  facts: LicenceFact[];
  digest: { value: string; facts: number; command: string };
}

function csvLink(path: string, file: string): HTMLElement {
  return h("p", { class: "links" }, h("a", { href: url(path, { format: "csv" }), download: file, class: "button" }, t("audit.csv")));
}

const tx = (p: ChainPoint) => h("code", { class: "hash", title: p.txHash }, `${p.txHash.slice(0, 10)}…`);
const where = (p: ChainPoint) => `${formatNumber(p.block)} / ${p.logIndex}`;

/** The licence table, the timeline of facts in chain order and the report digest with the command that recomputes it. */
async function licences(ctx: PageContext, number: string): Promise<HTMLElement> {
  const el = h("section", { "aria-labelledby": "licences-heading" }, h("h2", { id: "licences-heading" }, t("audit.licences")));
  if (!ctx.features.has(LICENCES)) {
    el.append(notAvailable([LICENCES]));
    return el;
  }
  const path = `/v1/audit/patents/${encodeURIComponent(number)}/licences`;
  const history = await getJson<LicenceHistory>(path, { format: "json" }, ctx.signal);
  if (history.facts.length === 0) {
    el.append(csvLink(path, `${number}-licences.csv`), emptyState(t("audit.noneTitle"), t("audit.noneText")), blockStamp(history.block) ?? "");
    return el;
  }
  el.append(
    csvLink(path, `${number}-licences.csv`),
    table(
      t("audit.caption", { number }),
      [t("audit.licenceId"), t("audit.kind"), t("audit.licensee"), t("audit.term"), t("audit.status"), t("audit.filing"), t("audit.paid")],
      history.licences.map(({ licence: l }) => [
        l.id,
        `${tMaybe("licenceKind.", l.kind)}${l.open ? ` (${t("audit.open")})` : ""}`,
        party(l.licensee),
        `${l.startDate} – ${l.endDate}`,
        tMaybe("licenceStatus.", l.status),
        l.filing?.reference ?? "—",
        `${l.account.paid} (${formatNumber(l.account.payments)})`,
      ]),
      "licences",
    ),
    h("h3", { id: "licence-timeline-heading" }, t("audit.timeline")),
    h(
      "ol",
      { class: "timeline licence-timeline", "aria-labelledby": "licence-timeline-heading" },
      history.facts.map((f) =>
        h(
          "li",
          null,
          h("span", { class: "when" }, where(f)),
          " ",
          h("strong", null, tMaybe("licenceEvent.", f.event)),
          f.args.licenceId !== undefined ? ` · ${t("audit.licenceId")} ${String(f.args.licenceId)}` : "",
          f.args.amount !== undefined ? ` · ${String(f.args.amount)}` : "",
          " ",
          tx(f),
        ),
      ),
    ),
    facts([
      [t("audit.digest"), h("code", { class: "hash digest" }, history.digest.value)],
      [t("audit.recompute"), h("code", null, history.digest.command)],
    ]),
    h("p", { class: "note" }, t("audit.digestNote", { count: String(history.digest.facts) })),
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
