import { ApiFailure, url } from "../api";
import { h, replace } from "../dom";
import { errorState, facts, notAvailable, party, statusBadge } from "../format";
import { t, tMaybe } from "../i18n";
import type { Health } from "../types";

/**
 * The verifiable certificate of a patent (`GET /v1/financing/patents/{number}/certificate`): fetched (or
 * read from a file the bank saved), then verified in this browser by the verifier chunk against a block
 * hash the user pastes from their own node and the contract addresses they trust.
 */

const HASH = /^0x[0-9a-fA-F]{64}$/;
const CONTRACTS = [
  ["PatentRegistry", "registry"],
  ["Licensing", "licensing"],
  ["Valuations", "valuations"],
  ["Pledges", "pledges"],
] as const;

/** The block number a certificate file names (read only to word the hash field; the verifier checks everything). */
function blockNumberOf(text: string): number | undefined {
  try {
    const n = (JSON.parse(text) as { block?: { number?: unknown } }).block?.number;
    return typeof n === "number" ? n : undefined;
  } catch {
    return undefined;
  }
}

export function certificatePanel(number: string, health: Health | null): HTMLElement {
  const path = `/v1/financing/patents/${encodeURIComponent(number)}/certificate`;
  let text: string | undefined;

  const fetched = h("div", { "aria-live": "polite" });
  const hashLabel = h("label", { for: "cert-hash" }, t("cert.blockHashPlain"));
  const hashInput = h("input", { id: "cert-hash", name: "blockHash", placeholder: "0x…", autocomplete: "off", spellcheck: "false", required: true });
  const contractInputs = CONTRACTS.map(([name, role]) =>
    h("input", { id: `cert-${role}`, name: role, value: health?.contracts[name] ?? "", placeholder: "0x…", autocomplete: "off", spellcheck: "false" }),
  );
  const result = h("div", { "aria-live": "polite", id: "cert-result" });
  const verifyButton = h("button", { type: "submit", class: "primary", id: "cert-verify" }, t("cert.verify"));

  const setCertificate = (body: string) => {
    text = body;
    const n = blockNumberOf(body);
    replace(hashLabel, n === undefined ? t("cert.blockHashPlain") : t("cert.blockHash", { number: n }));
    replace(
      fetched,
      h("p", { class: "note", id: "cert-fetched" }, n === undefined ? "" : t("cert.fetched", { number: n })),
      n === undefined ? null : h("p", null, h("a", { class: "button", href: url(path, { block: n }), download: `${number}-block-${n}.certificate.json` }, t("cert.download"))),
    );
    replace(result);
  };

  const fetchButton = h("button", { type: "button", id: "cert-fetch" }, t("cert.fetch"));
  fetchButton.addEventListener("click", async () => {
    fetchButton.disabled = true;
    try {
      const res = await fetch(path, { headers: { accept: "application/json" } });
      const body = await res.text();
      if (!res.ok) {
        const e = (JSON.parse(body) as { error?: { code?: string; message?: string } }).error;
        throw new ApiFailure(res.status, e?.code ?? `HTTP_${res.status}`, e?.message ?? res.statusText);
      }
      setCertificate(body);
    } catch (err) {
      replace(fetched, err instanceof ApiFailure && err.status === 404 && err.message.startsWith("no route") ? notAvailable([path]) : errorState(err));
    } finally {
      fetchButton.disabled = false;
    }
  });

  const fileInput = h("input", { id: "cert-file", type: "file", accept: "application/json,.json" });
  fileInput.addEventListener("change", async () => {
    const file = fileInput.files?.[0];
    if (file) setCertificate(await file.text());
  });

  const form = h(
    "form",
    { class: "filters", "aria-label": t("cert.title") },
    h("div", { class: "field wide" }, hashLabel, hashInput),
    ...CONTRACTS.map(([name], i) => h("div", { class: "field" }, h("label", { for: contractInputs[i]!.id }, name === "PatentRegistry" ? t("cert.registry") : name), contractInputs[i]!)),
    h("div", { class: "actions" }, verifyButton),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!text) {
      replace(result, h("p", { class: "verify-result bad", role: "alert" }, t("cert.noCertificate")));
      return;
    }
    const blockHash = hashInput.value.trim();
    if (!HASH.test(blockHash)) {
      replace(result, h("p", { class: "verify-result bad", role: "alert" }, t("cert.badHash")));
      return;
    }
    const address = (role: string) => contractInputs.find((i) => i.name === role)?.value.trim() || undefined;
    verifyButton.disabled = true;
    replace(result, h("p", { role: "status" }, t("cert.verifying")));
    try {
      const { verifyCertificateText, describeFacts } = await import("../verifier");
      const verdict = await verifyCertificateText(text, {
        blockHash,
        patent: number,
        contracts: { registry: address("registry") ?? "", licensing: address("licensing"), valuations: address("valuations"), pledges: address("pledges") },
      });
      if (verdict.ok) {
        const p = verdict.facts.patent;
        replace(
          result,
          h("p", { class: "verify-result ok", role: "status", id: "cert-ok" }, t("cert.ok", { number: verdict.block.number })),
          h("h3", null, t("cert.facts")),
          facts([
            [t("patent.number"), p.number],
            [t("patent.owner"), party(p.owner)],
            [t("patent.status"), statusBadge(p.legalStatus)],
            [t("patent.locks"), p.locks.length ? p.locks.map((l) => tMaybe("lock.", l)).join(", ") : t("patent.noLocks")],
            [t("patent.expiryDate"), p.expiryDate],
          ]),
          h("pre", { class: "cert-summary", lang: "en" }, describeFacts(verdict.facts).join("\n")),
        );
      } else {
        replace(result, h("p", { class: "verify-result bad", role: "alert", id: "cert-failed" }, t("cert.failed", { code: verdict.code, reason: verdict.reason })));
      }
    } catch (err) {
      replace(result, errorState(err));
    } finally {
      verifyButton.disabled = false;
    }
  });

  return h(
    "section",
    { class: "card", "aria-labelledby": "cert-heading" },
    h("h2", { id: "cert-heading" }, t("cert.title")),
    h("p", { class: "note" }, t("cert.lead")),
    h("div", { class: "actions" }, fetchButton, h("label", { for: "cert-file", class: "file-label" }, t("cert.file")), fileInput),
    fetched,
    form,
    h("p", { class: "note" }, t("cert.contractsNote")),
    result,
  );
}
