import { getJson } from "../api";
import { h, replace } from "../dom";
import { blockStamp, emptyState, errorState, loading, notAvailable, party, table } from "../format";
import { t, tMaybe } from "../i18n";
import { isAbort, routeHash, type Page, type PageContext } from "../page";
import type { BlockRef } from "../types";

/**
 * Listings and auctions across both venues (`GET /v1/listings`, `GET /v1/auctions`, `GET /v1/venues`):
 * open ones by default, filtered by listing venue and status. A listing published through one venue is
 * open on every venue, so the venue filter tells where it was listed, not where it can be bought.
 */

const LISTINGS = "/v1/listings";
const AUCTIONS = "/v1/auctions";
const VENUES = "/v1/venues";
const LISTING_STATUSES = ["Open", "Pending", "Settled", "Cancelled", "Expired", "Refused"];
const AUCTION_STATUSES = ["Open", "Settling", "Sold", "Unsold", "Refused", "Cancelled"];

interface Amount {
  value: string;
  symbol: string | null;
}
interface Listing {
  id: string;
  number: string;
  kind: string;
  licenceKind: string | null;
  status: string;
  venue: string;
  seller: string;
  price: Amount;
  expiry: string | null;
}
interface Auction {
  id: string;
  number: string;
  kind: string;
  status: string;
  listingVenue: string | null;
  reserve: Amount;
  highestBid: { amount: Amount; bidder: string } | null;
  endTime: string | null;
  bids: number;
}
interface Venue {
  address: string;
  name: string;
}
interface ItemsPage<T> {
  block?: BlockRef;
  items: T[];
}

const money = (a: Amount): string => `${a.value}${a.symbol ? ` ${a.symbol}` : ""}`;
const when = (iso: string | null): string => (iso ? iso.slice(0, 16).replace("T", " ") + " UTC" : "—");
const badge = (prefix: string, status: string) => h("span", { class: `badge status-${status.toLowerCase()}` }, tMaybe(prefix, status));
const patentLink = (number: string) => h("a", { href: routeHash("patent", [number]) }, number);

function select(name: string, label: string, options: [string, string][], value: string): HTMLElement {
  const id = `m-${name}`;
  return h(
    "div",
    { class: "field" },
    h("label", { for: id }, label),
    h("select", { id, name }, options.map(([v, text]) => h("option", { value: v, selected: v === value }, text))),
  );
}

function listingsTable(items: Listing[]): HTMLElement {
  return table(
    t("market.listings"),
    [t("patent.number"), t("market.kind"), t("market.status"), t("market.venue"), t("market.seller"), t("market.price"), t("market.expiry")],
    items.map((l) => [
      patentLink(l.number),
      l.licenceKind ? `${tMaybe("market.kind.", l.kind)} · ${tMaybe("market.licenceKind.", l.licenceKind)}` : tMaybe("market.kind.", l.kind),
      badge("market.listingStatus.", l.status),
      party(l.venue),
      party(l.seller),
      money(l.price),
      when(l.expiry),
    ]),
    "market-listings",
  );
}

function auctionsTable(items: Auction[]): HTMLElement {
  return table(
    t("market.auctions"),
    [t("patent.number"), t("market.kind"), t("market.status"), t("market.venue"), t("market.reserve"), t("market.highestBid"), t("market.bids"), t("market.ends")],
    items.map((a) => [
      patentLink(a.number),
      tMaybe("market.auctionKind.", a.kind),
      badge("market.auctionStatus.", a.status),
      a.listingVenue ? party(a.listingVenue) : "—",
      money(a.reserve),
      a.highestBid ? money(a.highestBid.amount) : "—",
      String(a.bids),
      when(a.endTime),
    ]),
    "market-auctions",
  );
}

async function section<T>(
  ctx: PageContext,
  path: string,
  title: string,
  query: Record<string, string | undefined>,
  draw: (items: T[]) => HTMLElement,
  emptyText: string,
): Promise<HTMLElement> {
  const body = h("div", { "aria-busy": "true" }, loading());
  const el = h("section", { "aria-label": title }, h("h2", null, title), body);
  if (!ctx.features.has(path)) {
    replace(body, notAvailable([path]));
  } else {
    try {
      const page = await getJson<ItemsPage<T>>(path, { limit: 50, ...query }, ctx.signal);
      const items = page.items ?? [];
      replace(body, items.length ? draw(items) : emptyState(t("market.emptyTitle"), emptyText), blockStamp(page.block));
    } catch (err) {
      if (isAbort(err)) throw err;
      replace(body, errorState(err));
    }
  }
  body.setAttribute("aria-busy", "false");
  return el;
}

export async function venuesOf(ctx: PageContext): Promise<Venue[]> {
  if (!ctx.features.has(VENUES)) return [];
  try {
    return (await getJson<ItemsPage<Venue>>(VENUES, {}, ctx.signal)).items ?? [];
  } catch (err) {
    if (isAbort(err)) throw err;
    return [];
  }
}

export const marketPage: Page = async (ctx) => {
  const heading = () => [h("h1", null, t("market.title")), h("p", { class: "lead" }, t("market.lead"))];
  replace(ctx.root, ...heading(), loading());
  const venue = ctx.params.get("venue") ?? "";
  const status = ctx.params.has("status") ? (ctx.params.get("status") ?? "") : "Open";
  try {
    const venues = await venuesOf(ctx);
    const form = h(
      "form",
      { class: "filters", role: "search", "aria-label": t("market.filterLabel") },
      select("venue", t("market.venue"), [["", t("market.allVenues")], ...venues.map((v): [string, string] => [v.address, v.name])], venue),
      select("status", t("market.status"), [["", t("common.any")], ...LISTING_STATUSES.map((s): [string, string] => [s, tMaybe("market.listingStatus.", s)])], status),
      h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, t("market.apply"))),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const data = new FormData(form);
      ctx.go(routeHash("market", [], { venue: String(data.get("venue") ?? ""), status: String(data.get("status") ?? "") || "any" }));
    });
    const listingStatus = status === "any" ? undefined : status;
    // Auctions have their own states; "Open" is shared, other listing states show every auction.
    const auctionStatus = listingStatus !== undefined && AUCTION_STATUSES.includes(listingStatus) ? listingStatus : undefined;
    const parts = await Promise.all([
      section<Listing>(ctx, LISTINGS, t("market.listings"), { venue: venue || undefined, status: listingStatus }, listingsTable, t("market.noListings")),
      section<Auction>(ctx, AUCTIONS, t("market.auctions"), { status: auctionStatus }, (items) => auctionsTable(venue ? items.filter((a) => a.listingVenue === venue || a.kind === "Disposal") : items), t("market.noAuctions")),
    ]);
    replace(ctx.root, ...heading(), venues.length || ctx.features.has(LISTINGS) ? form : null, ...parts);
  } catch (err) {
    if (!isAbort(err)) replace(ctx.root, h("h1", null, t("market.title")), errorState(err));
  }
};
