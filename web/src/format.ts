import { h } from "./dom";
import { formatNumber, t, tMaybe } from "./i18n";
import { nameOf } from "./directory";
import type { BlockRef } from "./types";

/** Shared bits of markup: party names, status badges, block stamps, empty and error states. */

export function party(address: string): HTMLElement {
  return h("span", { class: "party", title: address }, nameOf(address));
}

export function statusBadge(status: string): HTMLElement {
  return h("span", { class: `badge status-${status.toLowerCase()}` }, tMaybe("status.", status));
}

export function hashText(hash: string): HTMLElement {
  const short = hash.length > 18 ? `${hash.slice(0, 10)}…${hash.slice(-6)}` : hash;
  return h("code", { class: "hash", title: hash }, short);
}

export function blockStamp(block: BlockRef | undefined): HTMLElement | null {
  if (!block) return null;
  return h(
    "p",
    { class: "stamp" },
    t("common.asOfBlock", { number: formatNumber(block.number) }),
    block.hash ? " " : null,
    block.hash ? hashText(block.hash) : null,
  );
}

/** A panel saying why there is nothing to show (with role=status so screen readers hear it). */
export function emptyState(title: string, explanation: string): HTMLElement {
  return h("div", { class: "empty", role: "status" }, h("p", { class: "empty-title" }, title), h("p", null, explanation));
}

export function notAvailable(paths: string[]): HTMLElement {
  return emptyState(t("common.notAvailableTitle"), t("common.notAvailableText", { paths: paths.join(", ") }));
}

export function errorState(err: unknown): HTMLElement {
  const message = err instanceof Error ? err.message : String(err);
  return h("div", { class: "error", role: "alert" }, h("p", { class: "empty-title" }, t("common.errorTitle")), h("p", null, message));
}

export function loading(): HTMLElement {
  return h("p", { class: "loading", role: "status" }, t("common.loading"));
}

export function yesNo(value: boolean): string {
  return value ? t("common.yes") : t("common.no");
}

/** A definition list from label/value pairs (values null are left out). */
export function facts(rows: [string, string | Node | null][]): HTMLElement {
  const dl = h("dl", { class: "facts" });
  for (const [label, value] of rows) {
    if (value === null) continue;
    dl.append(h("dt", null, label), h("dd", null, value));
  }
  return dl;
}

/** A table with a caption, header row and body rows; wrapped for horizontal scrolling on a phone. */
export function table(caption: string, headers: string[], rows: (string | Node)[][], extraClass = ""): HTMLElement {
  return h(
    "div",
    { class: `table-wrap ${extraClass}`.trim(), tabindex: 0, role: "region", "aria-label": caption },
    h(
      "table",
      null,
      h("caption", null, caption),
      h("thead", null, h("tr", null, headers.map((x) => h("th", { scope: "col" }, x)))),
      h("tbody", null, rows.map((r) => h("tr", null, r.map((c) => h("td", null, c))))),
    ),
  );
}
