import type { Json } from "../store/codec";
import type { Store } from "../store/db";
import { idOfIndexKey, idsOfKeyTail, keys, offerKeyOfIndexKey, prefixEnd } from "../store/keys";
import { ZERO_DIGEST } from "./apply";
import type { DealEntity, WarrantEntity } from "./handlers/equity";
import type { AuctionEntity, BidEntity } from "./handlers/auctions";
import { AUCTION_KIND, AUCTION_STATUS, LISTING_KIND, LISTING_STATUS, PLEDGE_STATUS, PledgeStatus } from "./handlers/enums";
import type { BrokerEntity, ListingEntity, OfferEntity, VenueEntity, VenueFeeEntry, VenueStatsEntity } from "./handlers/market";
import type {
  BenefitSharesEntity,
  LicenceEntity,
  OpenLicenceEntity,
  OpenLicenceHistoryEntry,
  RevenueReportEntity,
  RoyaltyPaymentEntity,
} from "./handlers/licensing";
import type { ActConsentEntity, PledgeEntity, ProceedsEntity } from "./handlers/pledges";
import type { EvaluationEntity, PatentEntity, TimelineEntry, TransferEntity } from "./handlers/registry";
import type { ValuationEntity } from "./handlers/valuations";

/**
 * Read helpers the API uses. Cursors are opaque (base64url of the last key returned); a page holds at
 * most `limit` items and `next` is null on the last page.
 */

export interface Page<T> {
  items: T[];
  next: string | null;
}

export interface PageOptions {
  after?: string | null;
  limit?: number;
}

export type PatentFilter = { owner: string } | { ipc: string } | { status: number } | Record<string, never>;

export interface DigestAnswer {
  /** The block asked for (or the indexed block). */
  block: number;
  digest: string;
  /** The last block at or below `block` whose events changed the index (null: none yet). */
  changedAt: { number: number; hash: string } | null;
}

/** A pledge status by enum value or name ("Registered"). */
export type PledgeStatusQuery = PledgeStatus | (typeof PLEDGE_STATUS)[number];

/** What a bank must know about a patent before lending: every right and encumbrance in force on it. */
export interface PatentEncumbrances {
  patent: PatentEntity;
  /** Pledges under which the patent is still Pledged or at a disposal auction (at most one in force). */
  pledges: PledgeEntity[];
  /** Licences in force (status Active; a licence past its end day stays Active until someone expires it). */
  licences: LicenceEntity[];
  /** The open-licence declaration, if one is in force. */
  openLicence: OpenLicenceEntity | null;
  /** Equity deals that have not ended (Proposed, Accepted or Executing). */
  deals: DealEntity[];
}

/** A listing status or kind, an auction status or kind: by enum value or name. */
export type ListingFilter = {
  status?: number | (typeof LISTING_STATUS)[number];
  venue?: string;
  seller?: string;
  patent?: string;
  kind?: number | (typeof LISTING_KIND)[number];
};
export type AuctionFilter = {
  status?: number | (typeof AUCTION_STATUS)[number];
  patent?: string;
  kind?: number | (typeof AUCTION_KIND)[number];
};

/** A page of a filtered scan: the index walked, the entries examined, and whether the page is complete. */
export interface ScanPage<T> extends Page<T> {
  driver: string;
  examined: number;
  /** False when the scan limit stopped the page before it was full: `next` continues the scan. */
  complete: boolean;
}

/** A venue with its figures: fee history, brokers, listings by status, trades and volume per token. */
export interface VenueDetail {
  venue: VenueEntity;
  stats: VenueStatsEntity;
  brokers: BrokerEntity[];
  feeHistory: VenueFeeEntry[];
  /** Listings through the venue by status name (counted from the venue-status index). */
  listingsByStatus: Record<string, number>;
}

/** The market activity of a patent: every listing and auction, open and past, in id order. */
export interface PatentMarket {
  listings: ListingEntity[];
  auctions: AuctionEntity[];
}

/** Amounts by currency code (decimal strings in the minor unit). */
export type AmountsByCurrency = Record<string, string>;

/** A bank's book of pledges: what is outstanding, pending and recovered, by currency. */
export interface PledgeeExposure {
  pledgee: string;
  /** Pledges of the bank by status name (every pledge it was ever pledgee of). */
  byStatus: Record<string, number>;
  pledges: number;
  /** Registered or Defaulted: secured amounts still outstanding (a Defaulted pledge less what was recovered). */
  outstanding: AmountsByCurrency;
  /** Proposed or Agreed: secured amounts not yet registered. */
  pending: AmountsByCurrency;
  recovered: AmountsByCurrency;
  /** Registered or Defaulted pledges. */
  active: number;
  /** Active pledges of more than one patent. */
  portfolioPledges: number;
  /** Distinct patents held (Pledged or Disposing) by the bank's active or pending pledges. */
  patentsPledged: number;
  /** Distinct pledgors of active or pending pledges. */
  pledgors: number;
}

export class QueryError extends Error {
  override name = "QueryError";
}

const MAX_LIMIT = 500;
/** Index entries a filtered page examines at most (unless asked otherwise), and per read. */
const DEFAULT_SCAN_LIMIT = 5_000;
const SCAN_BATCH = 256;

/** An enum value by code or name; `min` is the lowest valid code (1 where 0 is None). */
function codeOf(names: readonly string[], value: number | string, what: string, min = 1): number {
  const code = typeof value === "number" ? value : names.indexOf(value);
  if (!Number.isInteger(code) || code < min || code >= names.length) throw new QueryError(`unknown ${what} ${String(value)}`);
  return code;
}

const encodeCursor = (key: string): string => Buffer.from(key, "utf8").toString("base64url");

function decodeCursor(cursor: string, prefix: string): string {
  const key = Buffer.from(cursor, "base64url").toString("utf8");
  if (!key.startsWith(prefix)) throw new QueryError("the cursor does not belong to this query");
  return key;
}

export interface Queries {
  getPatent(id: bigint | number | string): Promise<PatentEntity | undefined>;
  listPatents(filter: PatentFilter, page?: PageOptions): Promise<Page<PatentEntity>>;
  timeline(patentId: bigint | string, page?: PageOptions): Promise<Page<TimelineEntry>>;
  getTransfer(id: bigint | number | string): Promise<TransferEntity | undefined>;
  transfersOfPatent(patentId: bigint | string): Promise<TransferEntity[]>;
  evaluationsOfPatent(patentId: bigint | string): Promise<EvaluationEntity[]>;

  // ---- licences and open licences
  getLicence(id: Id): Promise<LicenceEntity | undefined>;
  /** Every licence of the patent (active and ended), by licence id; `active: true` for those in force only. */
  licencesOfPatent(patentId: Id, page?: PageOptions & { active?: boolean }): Promise<Page<LicenceEntity>>;
  licencesOfLicensee(licensee: string, page?: PageOptions): Promise<Page<LicenceEntity>>;
  sublicencesOf(parentId: Id, page?: PageOptions): Promise<Page<LicenceEntity>>;
  /** The patent's open-licence declaration, in force or withdrawn (`declared` tells). */
  getOpenLicence(patentId: Id): Promise<OpenLicenceEntity | undefined>;
  openLicenceHistory(patentId: Id, page?: PageOptions): Promise<Page<OpenLicenceHistoryEntry>>;
  /** Declarations in force, by patent id. */
  openLicences(page?: PageOptions): Promise<Page<OpenLicenceEntity>>;

  // ---- royalties
  royaltyPaymentsOfLicence(licenceId: Id, page?: PageOptions): Promise<Page<RoyaltyPaymentEntity>>;
  /** Payments on every licence of the patent, by licence then payment number. */
  royaltyPaymentsOfPatent(patentId: Id, page?: PageOptions): Promise<Page<RoyaltyPaymentEntity>>;
  revenueReportsOfLicence(licenceId: Id, page?: PageOptions): Promise<Page<RevenueReportEntity>>;
  /** The declared shares and whether they are in force (declared by the current owner). */
  getBenefitShares(patentId: Id): Promise<{ shares: BenefitSharesEntity; inForce: boolean } | undefined>;

  // ---- pledges
  getPledge(id: Id): Promise<PledgeEntity | undefined>;
  pledgesByPledgee(pledgee: string, page?: PageOptions): Promise<Page<PledgeEntity>>;
  pledgesByPledgor(pledgor: string, page?: PageOptions): Promise<Page<PledgeEntity>>;
  pledgesByStatus(status: PledgeStatusQuery, page?: PageOptions): Promise<Page<PledgeEntity>>;
  pledgesOfPatent(patentId: Id, page?: PageOptions): Promise<Page<PledgeEntity>>;
  actConsentsOfPledge(pledgeId: Id, page?: PageOptions): Promise<Page<ActConsentEntity>>;
  proceedsOfPledge(pledgeId: Id, page?: PageOptions): Promise<Page<ProceedsEntity>>;

  // ---- valuations
  getValuation(patentId: Id, index: Id): Promise<ValuationEntity | undefined>;
  valuationsOfPatent(patentId: Id, page?: PageOptions): Promise<Page<ValuationEntity>>;
  latestValuation(patentId: Id): Promise<ValuationEntity | undefined>;

  // ---- equity deals and warrants
  getDeal(id: Id): Promise<DealEntity | undefined>;
  dealsByCompany(company: string, page?: PageOptions): Promise<Page<DealEntity>>;
  /** Deals proposed by this owner (the contributor of the patents). */
  dealsByContributor(owner: string, page?: PageOptions): Promise<Page<DealEntity>>;
  dealsOfPatent(patentId: Id, page?: PageOptions): Promise<Page<DealEntity>>;
  getWarrant(id: Id): Promise<WarrantEntity | undefined>;
  warrantsOfDeal(dealId: Id, page?: PageOptions): Promise<Page<WarrantEntity>>;
  warrantsByHolder(holder: string, page?: PageOptions): Promise<Page<WarrantEntity>>;

  // ---- market
  getListing(id: Id): Promise<ListingEntity | undefined>;
  /** Listings matching every filter given, in listing id order (within the index the most selective filter picks). */
  listings(filter: ListingFilter, page?: PageOptions & { scanLimit?: number }): Promise<ScanPage<ListingEntity>>;
  /** On-chain offers by offer id, then the signed offer accepted (if any). */
  offersOfListing(listingId: Id, page?: PageOptions): Promise<Page<OfferEntity>>;
  offersByBuyer(buyer: string, page?: PageOptions): Promise<Page<OfferEntity>>;
  getAuction(id: Id): Promise<AuctionEntity | undefined>;
  auctions(filter: AuctionFilter, page?: PageOptions & { scanLimit?: number }): Promise<ScanPage<AuctionEntity>>;
  /** Bids in chain order. */
  bidsOfAuction(auctionId: Id, page?: PageOptions): Promise<Page<BidEntity>>;
  /** Every venue that opened, by address. */
  venues(): Promise<VenueEntity[]>;
  getVenue(address: string): Promise<VenueDetail | undefined>;
  marketOfPatent(patentId: Id): Promise<PatentMarket>;
  /** The bank's book: walks every pledge of the pledgee once (keys by the pledgee index, values in batches). */
  exposureOf(pledgee: string): Promise<PledgeeExposure>;

  // ---- composite
  encumbrancesOfPatent(patentId: Id): Promise<PatentEncumbrances | undefined>;

  getDigest(block?: number): Promise<DigestAnswer>;
  /** The indexed block (the cursor) as stored. */
  indexedBlock(): Promise<{ number: number; hash: string | null } | undefined>;
}

type Id = bigint | number | string;

const EXPOSURE_BATCH = 500;
const HELD = new Set(["Pledged", "Disposing"]);

export function newExposure(pledgee: string): PledgeeExposure {
  return { pledgee, byStatus: {}, pledges: 0, outstanding: {}, pending: {}, recovered: {}, active: 0, portfolioPledges: 0, patentsPledged: 0, pledgors: 0 };
}

const add = (into: AmountsByCurrency, currency: string, value: bigint) => {
  into[currency] = (BigInt(into[currency] ?? "0") + value).toString();
};

/** Adds one pledge to a bank's book (patents and pledgors collect the distinct ones held). */
export function addToExposure(x: PledgeeExposure, p: PledgeEntity, patents: Set<string>, pledgors: Set<string>): void {
  x.pledges++;
  x.byStatus[p.status] = (x.byStatus[p.status] ?? 0) + 1;
  const recovered = BigInt(p.recovered);
  if (recovered > 0n) add(x.recovered, p.currency, recovered);
  const active = p.statusCode === PledgeStatus.Registered || p.statusCode === PledgeStatus.Defaulted;
  const pending = p.statusCode === PledgeStatus.Proposed || p.statusCode === PledgeStatus.Agreed;
  if (active) {
    x.active++;
    if (p.patents.length > 1) x.portfolioPledges++;
    const left = BigInt(p.securedAmount) - (p.statusCode === PledgeStatus.Defaulted ? recovered : 0n);
    add(x.outstanding, p.currency, left > 0n ? left : 0n);
  } else if (pending) add(x.pending, p.currency, BigInt(p.securedAmount));
  if (active || pending) {
    for (const e of p.patents) if (HELD.has(e.status)) patents.add(e.patentId);
    for (const who of p.pledgors) pledgors.add(who);
  }
}

export function createQueries(db: Store): Queries {
  // The cursor is read by every indexed API answer (three times, endpoint.ts): keep it while the store is unwritten.
  let cursor: { version: number; value: { number: number; hash: string | null } | undefined } | undefined;
  async function keyPage(prefix: string, page: PageOptions): Promise<{ keys: string[]; next: string | null }> {
    const limit = Math.min(Math.max(page.limit ?? 50, 1), MAX_LIMIT);
    const found = await db.keysWithPrefix(prefix, {
      limit: limit + 1,
      ...(page.after ? { gt: decodeCursor(page.after, prefix) } : {}),
    });
    const more = found.length > limit;
    const pageKeys = more ? found.slice(0, limit) : found;
    return { keys: pageKeys, next: more ? encodeCursor(pageKeys[pageKeys.length - 1]!) : null };
  }

  /** A page of an index whose keys name the entities (`entityKey` maps an index key to its entity's key). */
  async function indexPage<T extends Json>(prefix: string, page: PageOptions, entityKey: (indexKey: string) => string): Promise<Page<T>> {
    const { keys: found, next } = await keyPage(prefix, page);
    const values = await db.getMany<T>(found.map(entityKey));
    return { items: values.filter((v): v is Awaited<T> => v !== undefined), next };
  }

  /** A page of entities stored under `prefix` themselves (the cursor is the last entity key). */
  async function valuePage<T extends Json>(prefix: string, page: PageOptions): Promise<Page<T>> {
    const limit = Math.min(Math.max(page.limit ?? 50, 1), MAX_LIMIT);
    const bounds = page.after ? { gt: decodeCursor(page.after, prefix) } : { gte: prefix };
    const found: [string, T][] = [];
    for await (const entry of db.iterate<T>({ ...bounds, lt: prefixEnd(prefix), limit: limit + 1 })) found.push(entry);
    const more = found.length > limit;
    const items = more ? found.slice(0, limit) : found;
    return { items: items.map(([, v]) => v), next: more ? encodeCursor(items[items.length - 1]![0]) : null };
  }

  /** Every entity of a small index (a patent's pledges, licences in force, deals). */
  async function allOf<T extends Json>(prefix: string, entityKey: (indexKey: string) => string): Promise<T[]> {
    const found = await db.keysWithPrefix(prefix);
    const values = await db.getMany<T>(found.map(entityKey));
    return values.filter((v): v is Awaited<T> => v !== undefined);
  }

  async function patentsOf(ids: string[]): Promise<PatentEntity[]> {
    const values = await db.getMany<PatentEntity>(ids.map((id) => keys.patent(id)));
    return values.filter((v): v is PatentEntity => v !== undefined);
  }

  /**
   * A page of the entities named by an index that pass `keep`, examining at most `scanLimit` entries: the
   * cursor is the last index key examined, so a page stopped by the limit continues where it stopped.
   */
  async function filteredPage<T extends Json>(
    driver: string,
    prefix: string,
    page: PageOptions & { scanLimit?: number },
    entityKey: (indexKey: string) => string,
    keep: (entity: T) => boolean,
  ): Promise<ScanPage<T>> {
    const limit = Math.min(Math.max(page.limit ?? 50, 1), MAX_LIMIT);
    const scanLimit = Math.max(page.scanLimit ?? DEFAULT_SCAN_LIMIT, limit);
    let after = page.after ? decodeCursor(page.after, prefix) : undefined;
    const items: T[] = [];
    let examined = 0;
    let exhausted = false;
    while (items.length < limit && examined < scanLimit) {
      const batch = await db.keysWithPrefix(prefix, { limit: Math.min(SCAN_BATCH, scanLimit - examined), ...(after ? { gt: after } : {}) });
      if (batch.length === 0) {
        exhausted = true;
        break;
      }
      const values = await db.getMany<T>(batch.map(entityKey));
      for (let i = 0; i < batch.length && items.length < limit; i++) {
        examined += 1;
        after = batch[i]!;
        const v = values[i];
        if (v !== undefined && keep(v as T)) items.push(v as T);
      }
    }
    if (!exhausted && after !== undefined) exhausted = (await db.keysWithPrefix(prefix, { limit: 1, gt: after })).length === 0;
    return { items, next: exhausted || after === undefined ? null : encodeCursor(after), driver, examined, complete: items.length >= limit || exhausted };
  }

  return {
    getPatent: (id) => db.get<PatentEntity>(keys.patent(id)),

    async listPatents(filter, page = {}) {
      let prefix: string;
      if ("owner" in filter) prefix = keys.byOwnerPrefix(filter.owner);
      else if ("ipc" in filter) prefix = keys.byIpcPrefix(filter.ipc);
      else if ("status" in filter) prefix = keys.byStatusPrefix(filter.status);
      else prefix = keys.patentPrefix();
      const { keys: found, next } = await keyPage(prefix, page);
      // A patent with several codes under an IPC prefix has one index key per code: once per page.
      const ids = [...new Set(found.map(idOfIndexKey))];
      return { items: await patentsOf(ids), next };
    },

    async timeline(patentId, page = {}) {
      const prefix = keys.timelinePrefix(patentId);
      const { keys: found, next } = await keyPage(prefix, page);
      const items = await db.getMany<TimelineEntry>(found);
      return { items: items.filter((v): v is TimelineEntry => v !== undefined), next };
    },

    getTransfer: (id) => db.get<TransferEntity>(keys.transfer(id)),

    getLicence: (id) => db.get<LicenceEntity>(keys.licence(id)),
    licencesOfPatent: (patentId, page = {}) =>
      indexPage(page.active ? keys.activeLicencesOfPatentPrefix(patentId) : keys.licencesOfPatentPrefix(patentId), page, (k) => keys.licence(idOfIndexKey(k))),
    licencesOfLicensee: (licensee, page = {}) => indexPage(keys.licencesOfLicenseePrefix(licensee), page, (k) => keys.licence(idOfIndexKey(k))),
    sublicencesOf: (parentId, page = {}) => indexPage(keys.sublicencesPrefix(parentId), page, (k) => keys.licence(idOfIndexKey(k))),
    getOpenLicence: (patentId) => db.get<OpenLicenceEntity>(keys.openLicence(patentId)),
    openLicenceHistory: (patentId, page = {}) => valuePage(keys.openLicenceHistoryPrefix(patentId), page),
    openLicences: (page = {}) => indexPage(keys.openLicensedPrefix(), page, (k) => keys.openLicence(idOfIndexKey(k))),

    royaltyPaymentsOfLicence: (licenceId, page = {}) => valuePage(keys.royaltyPaymentsOfLicencePrefix(licenceId), page),
    royaltyPaymentsOfPatent: (patentId, page = {}) =>
      indexPage(keys.royaltiesOfPatentPrefix(patentId), page, (k) => {
        const [licenceId, payment] = idsOfKeyTail(k, 2) as [string, string];
        return keys.royaltyPayment(licenceId, payment);
      }),
    revenueReportsOfLicence: (licenceId, page = {}) => valuePage(keys.revenueReportsOfLicencePrefix(licenceId), page),
    async getBenefitShares(patentId) {
      const [shares, patent] = await Promise.all([db.get<BenefitSharesEntity>(keys.benefitShares(patentId)), db.get<PatentEntity>(keys.patent(patentId))]);
      return shares === undefined ? undefined : { shares, inForce: patent !== undefined && patent.owner === shares.owner };
    },

    getPledge: (id) => db.get<PledgeEntity>(keys.pledge(id)),
    pledgesByPledgee: (pledgee, page = {}) => indexPage(keys.pledgesByPledgeePrefix(pledgee), page, (k) => keys.pledge(idOfIndexKey(k))),
    pledgesByPledgor: (pledgor, page = {}) => indexPage(keys.pledgesByPledgorPrefix(pledgor), page, (k) => keys.pledge(idOfIndexKey(k))),
    async pledgesByStatus(status, page = {}) {
      const code = typeof status === "number" ? status : PLEDGE_STATUS.indexOf(status);
      if (code <= PledgeStatus.None || code >= PLEDGE_STATUS.length) throw new QueryError(`unknown pledge status ${String(status)}`);
      return indexPage(keys.pledgesByStatusPrefix(code), page, (k) => keys.pledge(idOfIndexKey(k)));
    },
    pledgesOfPatent: (patentId, page = {}) => indexPage(keys.pledgesOfPatentPrefix(patentId), page, (k) => keys.pledge(idOfIndexKey(k))),
    actConsentsOfPledge: (pledgeId, page = {}) => valuePage(keys.actConsentsOfPledgePrefix(pledgeId), page),
    proceedsOfPledge: (pledgeId, page = {}) => valuePage(keys.pledgeProceedsPrefix(pledgeId), page),

    async exposureOf(pledgee) {
      const exposure = newExposure(pledgee.toLowerCase());
      const patents = new Set<string>();
      const pledgors = new Set<string>();
      const prefix = keys.pledgesByPledgeePrefix(pledgee);
      let after: string | undefined;
      for (;;) {
        const found = await db.keysWithPrefix(prefix, { limit: EXPOSURE_BATCH, ...(after !== undefined ? { gt: after } : {}) });
        if (found.length === 0) break;
        after = found[found.length - 1];
        const pledges = await db.getMany<PledgeEntity>(found.map((k) => keys.pledge(idOfIndexKey(k))));
        for (const p of pledges) if (p !== undefined) addToExposure(exposure, p, patents, pledgors);
        if (found.length < EXPOSURE_BATCH) break;
      }
      exposure.patentsPledged = patents.size;
      exposure.pledgors = pledgors.size;
      return exposure;
    },

    getValuation: (patentId, index) => db.get<ValuationEntity>(keys.valuation(patentId, index)),
    valuationsOfPatent: (patentId, page = {}) => valuePage(keys.valuationsOfPatentPrefix(patentId), page),
    async latestValuation(patentId) {
      const prefix = keys.valuationsOfPatentPrefix(patentId);
      for await (const [, v] of db.iterate<ValuationEntity>({ gte: prefix, lt: prefixEnd(prefix), reverse: true, limit: 1 })) return v;
      return undefined;
    },

    getDeal: (id) => db.get<DealEntity>(keys.deal(id)),
    dealsByCompany: (company, page = {}) => indexPage(keys.dealsByCompanyPrefix(company), page, (k) => keys.deal(idOfIndexKey(k))),
    dealsByContributor: (owner, page = {}) => indexPage(keys.dealsByContributorPrefix(owner), page, (k) => keys.deal(idOfIndexKey(k))),
    dealsOfPatent: (patentId, page = {}) => indexPage(keys.dealsOfPatentPrefix(patentId), page, (k) => keys.deal(idOfIndexKey(k))),
    getWarrant: (id) => db.get<WarrantEntity>(keys.warrant(id)),
    warrantsOfDeal: (dealId, page = {}) => indexPage(keys.warrantsOfDealPrefix(dealId), page, (k) => keys.warrant(idOfIndexKey(k))),
    warrantsByHolder: (holder, page = {}) => indexPage(keys.warrantsByHolderPrefix(holder), page, (k) => keys.warrant(idOfIndexKey(k))),

    getListing: (id) => db.get<ListingEntity>(keys.listing(id)),
    listings(filter, page = {}) {
      const status = filter.status === undefined ? undefined : codeOf(LISTING_STATUS, filter.status, "listing status");
      const kind = filter.kind === undefined ? undefined : codeOf(LISTING_KIND, filter.kind, "listing kind", 0);
      const venue = filter.venue?.toLowerCase();
      const seller = filter.seller?.toLowerCase();
      const keep = (l: ListingEntity) =>
        (status === undefined || l.statusCode === status) &&
        (kind === undefined || l.kindCode === kind) &&
        (venue === undefined || l.terms.venue === venue) &&
        (seller === undefined || l.seller === seller) &&
        (filter.patent === undefined || l.patentId === filter.patent);
      const byId = (k: string) => keys.listing(idOfIndexKey(k));
      if (filter.patent !== undefined) return filteredPage("patent", keys.listingsOfPatentPrefix(filter.patent), page, byId, keep);
      if (venue !== undefined && status !== undefined) return filteredPage("venue-status", keys.listingsByVenueStatusPrefix(venue, status), page, byId, keep);
      if (seller !== undefined) return filteredPage("seller", keys.listingsBySellerPrefix(seller), page, byId, keep);
      if (venue !== undefined) return filteredPage("venue", keys.listingsByVenuePrefix(venue), page, byId, keep);
      if (status !== undefined) return filteredPage("status", keys.listingsByStatusPrefix(status), page, byId, keep);
      return filteredPage("all", keys.listingPrefix(), page, (k) => k, keep);
    },
    offersOfListing: (listingId, page = {}) => indexPage(keys.offersOfListingPrefix(listingId), page, offerKeyOfIndexKey),
    offersByBuyer: (buyer, page = {}) => indexPage(keys.offersByBuyerPrefix(buyer), page, offerKeyOfIndexKey),
    getAuction: (id) => db.get<AuctionEntity>(keys.auction(id)),
    auctions(filter, page = {}) {
      const status = filter.status === undefined ? undefined : codeOf(AUCTION_STATUS, filter.status, "auction status");
      const kind = filter.kind === undefined ? undefined : codeOf(AUCTION_KIND, filter.kind, "auction kind", 0);
      const keep = (a: AuctionEntity) =>
        (status === undefined || a.statusCode === status) && (kind === undefined || a.kindCode === kind) && (filter.patent === undefined || a.patentId === filter.patent);
      const byId = (k: string) => keys.auction(idOfIndexKey(k));
      if (filter.patent !== undefined) return filteredPage("patent", keys.auctionsOfPatentPrefix(filter.patent), page, byId, keep);
      if (status !== undefined) return filteredPage("status", keys.auctionsByStatusPrefix(status), page, byId, keep);
      if (kind !== undefined) return filteredPage("kind", keys.auctionsByKindPrefix(kind), page, byId, keep);
      return filteredPage("all", keys.auctionPrefix(), page, (k) => k, keep);
    },
    bidsOfAuction: (auctionId, page = {}) => valuePage(keys.bidsOfAuctionPrefix(auctionId), page),
    async venues() {
      const out: VenueEntity[] = [];
      for await (const [, v] of db.iterate<VenueEntity>({ gte: keys.venuePrefix(), lt: prefixEnd(keys.venuePrefix()) })) out.push(v);
      return out;
    },
    async getVenue(address) {
      const venue = await db.get<VenueEntity>(keys.venue(address));
      if (venue === undefined) return undefined;
      const brokers: BrokerEntity[] = [];
      for await (const [, b] of db.iterate<BrokerEntity>({ gte: keys.brokersOfVenuePrefix(address), lt: prefixEnd(keys.brokersOfVenuePrefix(address)) })) brokers.push(b);
      const feeHistory: VenueFeeEntry[] = [];
      for await (const [, f] of db.iterate<VenueFeeEntry>({ gte: keys.venueFeePrefix(address), lt: prefixEnd(keys.venueFeePrefix(address)) })) feeHistory.push(f);
      const listingsByStatus: Record<string, number> = {};
      for (let code = 1; code < LISTING_STATUS.length; code++) {
        listingsByStatus[LISTING_STATUS[code]!] = (await db.keysWithPrefix(keys.listingsByVenueStatusPrefix(address, code))).length;
      }
      const stats = (await db.get<VenueStatsEntity>(keys.venueStats(address))) ?? { venue: venue.address, listings: 0, auctions: 0, trades: 0, volume: {}, fees: {} };
      return { venue, stats, brokers, feeHistory, listingsByStatus };
    },
    async marketOfPatent(patentId) {
      const [listings, auctions] = await Promise.all([
        allOf<ListingEntity>(keys.listingsOfPatentPrefix(patentId), (k) => keys.listing(idOfIndexKey(k))),
        allOf<AuctionEntity>(keys.auctionsOfPatentPrefix(patentId), (k) => keys.auction(idOfIndexKey(k))),
      ]);
      return { listings, auctions };
    },

    async encumbrancesOfPatent(patentId) {
      const patent = await db.get<PatentEntity>(keys.patent(patentId));
      if (patent === undefined) return undefined;
      const id = patent.id;
      // Bounded: the contracts cap active licences per patent; pledges and deals of one patent are few.
      const [pledges, licences, openLicence, deals] = await Promise.all([
        allOf<PledgeEntity>(keys.pledgesOfPatentPrefix(id), (k) => keys.pledge(idOfIndexKey(k))),
        allOf<LicenceEntity>(keys.activeLicencesOfPatentPrefix(id), (k) => keys.licence(idOfIndexKey(k))),
        db.get<OpenLicenceEntity>(keys.openLicence(id)),
        allOf<DealEntity>(keys.dealsOfPatentPrefix(id), (k) => keys.deal(idOfIndexKey(k))),
      ]);
      const held = new Set(["Pledged", "Disposing"]);
      return {
        patent,
        pledges: pledges.filter((p) => p.patents.some((x) => x.patentId === id && held.has(x.status))),
        licences,
        openLicence: openLicence?.declared ? openLicence : null,
        deals: deals.filter((d) => d.status === "Proposed" || d.status === "Accepted" || d.status === "Executing"),
      };
    },

    async transfersOfPatent(patentId) {
      const found = await db.keysWithPrefix(keys.transfersOfPatentPrefix(patentId));
      const values = await db.getMany<TransferEntity>(found.map((k) => keys.transfer(idOfIndexKey(k))));
      return values.filter((v): v is TransferEntity => v !== undefined);
    },

    async evaluationsOfPatent(patentId) {
      const found = await db.keysWithPrefix(keys.evaluationsOfPatentPrefix(patentId));
      const values = await db.getMany<EvaluationEntity>(found.map((k) => keys.evaluation(idOfIndexKey(k))));
      return values.filter((v): v is EvaluationEntity => v !== undefined);
    },

    async getDigest(block) {
      const cursor = await db.get<{ number: number; hash: string | null }>(keys.cursor());
      const at = block ?? cursor?.number ?? 0;
      if (cursor === undefined || at > cursor.number) {
        throw new QueryError(`block ${at} is not indexed yet (indexed: ${cursor?.number ?? "nothing"})`);
      }
      for await (const [, record] of db.iterate<{ number: number; hash: string; digest: string }>({
        gte: keys.blockPrefix(),
        lte: keys.block(at),
        reverse: true,
        limit: 1,
      })) {
        return { block: at, digest: record.digest, changedAt: { number: record.number, hash: record.hash } };
      }
      return { block: at, digest: ZERO_DIGEST, changedAt: null };
    },

    async indexedBlock() {
      const version = db.version();
      if (cursor?.version !== version) {
        const value = await db.get<{ number: number; hash: string | null }>(keys.cursor());
        // A write that started or ended during the read leaves nothing cached.
        cursor = db.version() === version ? { version, value } : undefined;
        return value && { ...value };
      }
      return cursor.value && { ...cursor.value };
    },
  };
}

