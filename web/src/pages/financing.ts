import { ApiFailure, getJson } from "../api";
import { h, replace } from "../dom";
import { blockStamp, emptyState, errorState, facts, loading, notAvailable, party, statusBadge, table, yesNo } from "../format";
import { objectFacts } from "../generic";
import { formatNumber, t, tMaybe } from "../i18n";
import { isAbort, routeHash, type Page, type PageContext } from "../page";
import type { BlockRef, Dossier } from "../types";
import { certificatePanel } from "./certificate";

/**
 * Financing (banks): what a bank must know before lending on a patent — its encumbrance view
 * (`GET /v1/financing/patents/{number}/encumbrances`), the verifiable certificate
 * (`.../certificate`, checked in this browser against a block hash the bank takes from its own node),
 * and pledges (`GET /v1/financing/pledges`).
 */

const ENCUMBRANCES = "/v1/financing/patents/{number}/encumbrances";
const PLEDGES = "/v1/financing/pledges";
const EXPOSURE = "/v1/financing/exposure";

function numberForm(ctx: PageContext, route: string, value: string): HTMLFormElement {
  const form = h(
    "form",
    { class: "filters", role: "search", "aria-label": t("financing.formLabel") },
    h(
      "div",
      { class: "field wide" },
      h("label", { for: `${route}-number` }, t("financing.number")),
      h("input", { id: `${route}-number`, name: "number", value, placeholder: "ZL202110234567.8", autocomplete: "off", required: true }),
    ),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, t("financing.lookUp"))),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    ctx.go(routeHash(route, [], { number: String(new FormData(form).get("number") ?? "").trim() }));
  });
  return form;
}

export { numberForm };

/** Encumbrance facts from the dossier, for gateways without the financing module. */
function fromDossier(d: Dossier): HTMLElement {
  const p = d.patent;
  return h(
    "section",
    { class: "card" },
    h("h2", null, t("financing.registryFacts")),
    h("p", { class: "note" }, t("financing.fromDossier")),
    facts([
      [t("patent.owner"), party(p.owner)],
      [t("patent.status"), statusBadge(p.status)],
      [t("patent.inForce"), yesNo(d.inForce)],
      [t("patent.expiryDate"), p.expiryDate],
      [t("patent.locks"), p.lockNames.length ? p.lockNames.map((n) => tMaybe("lock.", n)).join(", ") : t("patent.noLocks")],
      [t("patent.pendingTransfer"), d.pendingTransfer ? tMaybe("transferStatus.", d.pendingTransfer.status) : t("common.none")],
    ]),
    blockStamp(d.block),
  );
}

interface PledgeRow {
  id: string;
  pledgee: string;
  pledgors: string[];
  patents: { patentId: string; status: string }[];
  securedAmount: string;
  currency: string;
  termEndDate: string;
  status: string;
  registrationDate: string | null;
}

interface Exposure {
  pledgee: string;
  pledges: number;
  active: number;
  portfolioPledges: number;
  patentsPledged: number;
  pledgors: number;
  outstanding: Record<string, string>;
  pending: Record<string, string>;
}

const amounts = (a: Record<string, string>) => (Object.keys(a).length ? Object.entries(a).map(([c, v]) => `${v} ${c}`).join(", ") : "0");

/** Pledges (of one bank with `pledgee`) as a table: id, patents, pledgors, secured amount, status, term, registration. */
async function pledges(ctx: PageContext, pledgee: string): Promise<HTMLElement> {
  const el = h("section", { "aria-labelledby": "pledges-heading" }, h("h2", { id: "pledges-heading" }, pledgee ? t("financing.bankPledges") : t("financing.pledges")));
  if (!ctx.features.has(PLEDGES)) {
    el.append(notAvailable([PLEDGES]));
    return el;
  }
  try {
    const page = await getJson<{ items?: PledgeRow[]; block?: BlockRef }>(PLEDGES, { limit: 50, ...(pledgee ? { pledgee } : {}) }, ctx.signal);
    const items = page.items ?? [];
    el.append(
      items.length
        ? table(
            t("financing.pledges"),
            [t("financing.pledgeId"), t("financing.patents"), t("financing.pledgors"), t("financing.secured"), t("financing.pledgeStatus"), t("financing.termEnd"), t("financing.registered")],
            items.map((p) => [
              p.id,
              formatNumber(p.patents.length),
              h("span", null, ...p.pledgors.flatMap((x, i) => (i === 0 ? [party(x)] : [", ", party(x)]))),
              `${p.securedAmount} ${p.currency}`,
              tMaybe("pledgeStatus.", p.status),
              p.termEndDate,
              p.registrationDate ?? "—",
            ]),
            "pledges",
          )
        : emptyState(t("financing.noPledgesTitle"), t("financing.noPledgesText")),
      blockStamp(page.block) ?? "",
    );
  } catch (err) {
    if (isAbort(err)) throw err;
    el.append(errorState(err));
  }
  return el;
}

/** A bank's exposure: pledges, active and portfolio pledges, patents pledged, outstanding and pending amounts. */
async function exposure(ctx: PageContext, pledgee: string): Promise<HTMLElement> {
  const el = h("section", { class: "card", "aria-labelledby": "exposure-heading" }, h("h2", { id: "exposure-heading" }, t("financing.exposure")));
  if (!ctx.features.has(EXPOSURE)) {
    el.append(notAvailable([EXPOSURE]));
    return el;
  }
  const answer = await getJson<{ banks: Exposure[]; block?: BlockRef }>(EXPOSURE, { pledgee }, ctx.signal);
  const x = answer.banks[0]!;
  el.append(
    facts([
      [t("financing.pledgee"), party(x.pledgee)],
      [t("financing.pledgeCount"), formatNumber(x.pledges)],
      [t("financing.activePledges"), formatNumber(x.active)],
      [t("financing.portfolioPledges"), formatNumber(x.portfolioPledges)],
      [t("financing.patentsPledged"), formatNumber(x.patentsPledged)],
      [t("financing.outstanding"), amounts(x.outstanding)],
      [t("financing.pendingAmount"), amounts(x.pending)],
    ]),
    blockStamp(answer.block) ?? "",
  );
  return el;
}

function bankForm(ctx: PageContext, number: string, pledgee: string): HTMLFormElement {
  const form = h(
    "form",
    { class: "filters", role: "search", "aria-label": t("financing.bankLabel") },
    h(
      "div",
      { class: "field wide" },
      h("label", { for: "financing-pledgee" }, t("financing.pledgee")),
      h("input", { id: "financing-pledgee", name: "pledgee", value: pledgee, placeholder: "0x…", autocomplete: "off", pattern: "0x[0-9a-fA-F]{40}" }),
    ),
    h("div", { class: "actions" }, h("button", { type: "submit" }, t("financing.showBank"))),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    ctx.go(routeHash("financing", [], { number: number || undefined, pledgee: String(new FormData(form).get("pledgee") ?? "").trim() }));
  });
  return form;
}

export const financingPage: Page = async (ctx) => {
  const number = ctx.params.get("number") ?? "";
  const pledgee = /^0x[0-9a-fA-F]{40}$/.test(ctx.params.get("pledgee") ?? "") ? ctx.params.get("pledgee")! : "";
  const body = h("div", { "aria-live": "polite" });
  replace(
    ctx.root,
    h("h1", null, t("financing.title")),
    h("p", { class: "lead" }, t("financing.lead")),
    numberForm(ctx, "financing", number),
    bankForm(ctx, number, pledgee),
    body,
  );
  const parts: (HTMLElement | null)[] = [];
  try {
    if (number) {
      replace(body, loading());
      const path = `/v1/financing/patents/${encodeURIComponent(number)}/encumbrances`;
      if (ctx.features.has(ENCUMBRANCES)) {
        const view = await getJson<Record<string, unknown> & { block?: BlockRef }>(path, {}, ctx.signal);
        const { block, ...rest } = view;
        parts.push(h("section", { class: "card" }, h("h2", null, t("financing.encumbrances")), objectFacts(rest), blockStamp(block)));
      } else {
        parts.push(notAvailable([ENCUMBRANCES]));
        parts.push(fromDossier(await getJson<Dossier>(`/v1/patents/${encodeURIComponent(number)}`, {}, ctx.signal)));
      }
      // The certificate route may be served outside the OpenAPI document: the panel asks for it on demand.
      parts.push(certificatePanel(number, ctx.health));
    } else if (!pledgee) {
      parts.push(emptyState(t("financing.askTitle"), t("financing.askText")));
    }
    if (pledgee) parts.push(await exposure(ctx, pledgee));
    parts.push(await pledges(ctx, pledgee));
    replace(body, ...parts);
  } catch (err) {
    if (isAbort(err)) return;
    if (err instanceof ApiFailure && (err.status === 404 || err.status === 400)) replace(body, emptyState(t("patent.notFoundTitle"), err.message));
    else replace(body, errorState(err));
  }
};
