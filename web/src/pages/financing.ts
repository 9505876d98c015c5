import { ApiFailure, getJson } from "../api";
import { h, replace } from "../dom";
import { blockStamp, emptyState, errorState, facts, loading, notAvailable, party, statusBadge, yesNo } from "../format";
import { genericTable, objectFacts } from "../generic";
import { t, tMaybe } from "../i18n";
import { isAbort, routeHash, type Page, type PageContext } from "../page";
import type { BlockRef, Dossier, GenericPage } from "../types";
import { certificatePanel } from "./certificate";

/**
 * Financing (banks): what a bank must know before lending on a patent — its encumbrance view
 * (`GET /v1/financing/patents/{number}/encumbrances`), the verifiable certificate
 * (`.../certificate`, checked in this browser against a block hash the bank takes from its own node),
 * and pledges (`GET /v1/financing/pledges`).
 */

const ENCUMBRANCES = "/v1/financing/patents/{number}/encumbrances";
const PLEDGES = "/v1/financing/pledges";

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

async function pledges(ctx: PageContext): Promise<HTMLElement> {
  const el = h("section", { "aria-labelledby": "pledges-heading" }, h("h2", { id: "pledges-heading" }, t("financing.pledges")));
  if (!ctx.features.has(PLEDGES)) {
    el.append(notAvailable([PLEDGES]));
    return el;
  }
  try {
    const page = await getJson<GenericPage>(PLEDGES, { limit: 50 }, ctx.signal);
    const items = page.items ?? [];
    el.append(items.length ? genericTable(t("financing.pledges"), items) : emptyState(t("financing.noPledgesTitle"), t("financing.noPledgesText")), blockStamp(page.block) ?? "");
  } catch (err) {
    if (isAbort(err)) throw err;
    el.append(errorState(err));
  }
  return el;
}

export const financingPage: Page = async (ctx) => {
  const number = ctx.params.get("number") ?? "";
  const body = h("div", { "aria-live": "polite" });
  replace(ctx.root, h("h1", null, t("financing.title")), h("p", { class: "lead" }, t("financing.lead")), numberForm(ctx, "financing", number), body);
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
    } else {
      parts.push(emptyState(t("financing.askTitle"), t("financing.askText")));
    }
    parts.push(await pledges(ctx));
    replace(body, ...parts);
  } catch (err) {
    if (isAbort(err)) return;
    if (err instanceof ApiFailure && (err.status === 404 || err.status === 400)) replace(body, emptyState(t("patent.notFoundTitle"), err.message));
    else replace(body, errorState(err));
  }
};
