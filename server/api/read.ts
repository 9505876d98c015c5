import { chinaDayOf } from "../chain/cnipa";
import { ListingStatus } from "../chain/exchange";
import { LegalStatus, LockBits } from "../chain/roles";
import type { PatentEntity, TimelineEntry } from "../indexer";
import type { Store } from "../store/db";
import { keys, normaliseIpc, normaliseIpcPrefix, prefixEnd } from "../store/keys";
import { addYears } from "../indexer/expiry";
import { patentOfListing } from "../indexer/handlers/market";

/**
 * Read-only helpers of the API over the index (the indexer's own queries live in server/indexer/queries.ts):
 * the patent search planner over the secondary indexes, the implementation record of a patent read from
 * its timeline, and the dormancy rule. Nothing here writes.
 */

export const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

export interface PatentSearch {
  owner?: string;
  /** An IPC prefix: "H", "H01", "H01M", "H01M 10", "H01M 10/05". */
  ipc?: string;
  status?: number;
  kind?: string;
  readinessMin?: number;
  readinessMax?: number;
  willing?: boolean;
  /** A mode bit (Modes): the patent's preferred modes include it. */
  mode?: number;
  /** Case-insensitive substring of the title. */
  q?: string;
  listed?: boolean;
  /** Listed through this venue: the patent has an open listing made through it (its listing venue). */
  venue?: string;
  /** Granted more than five years ago, valid, no transfer, licence, pledge or equity record. */
  dormant?: boolean;
}

export type Driver = "owner" | "ipc" | "status" | "venue" | "all";

export interface SearchPage {
  items: PatentEntity[];
  next: string | null;
  /** The key range the search walked: an index when a filter has one, else every patent. */
  driver: Driver;
  /** Index entries examined for this page. */
  examined: number;
  /** False when the scan limit stopped the page before it was full: `next` continues the scan. */
  complete: boolean;
}

export class CursorError extends Error {
  override name = "CursorError";
}

export interface Implementation {
  transfer: boolean;
  licence: boolean;
  pledge: boolean;
  equity: boolean;
  /** Any of the four: the programme's "implemented" (转化实施). */
  any: boolean;
}

/** Timeline events that are evidence of implementation, by contract and event. */
function evidenceOf(entry: TimelineEntry): keyof Omit<Implementation, "any"> | undefined {
  if (entry.contract === "PatentRegistry") {
    if (entry.event === "Transfer" && entry.args.from !== ZERO_ADDRESS) return "transfer";
    if (entry.event === "PatentLocked") {
      if (entry.args.lockBit === LockBits.PLEDGED) return "pledge";
      if (entry.args.lockBit === LockBits.EQUITY) return "equity";
    }
    return undefined;
  }
  // Events of the rights modules, once the index writes them on the patent's timeline.
  if (entry.contract === "Licensing" && (entry.event === "LicenceGranted" || entry.event === "OpenLicenceTaken")) return "licence";
  if (entry.contract === "Pledges" && entry.event === "PatentPledged") return "pledge";
  if (entry.contract === "EquityDeals" && entry.event === "DealPatentAdded") return "equity";
  return undefined;
}

/** Most timeline entries read to decide a patent's implementation record. */
const TIMELINE_READ_LIMIT = 5000;
const BATCH = 256;
/** Index entries counted per candidate when choosing the index to walk. */
const PLAN_PROBE = 1000;
/** Most index sizes kept between writes (one per owner, IPC prefix or status searched). */
const SIZES_KEPT = 10_000;

export const DORMANT_YEARS = 5;

export interface Reader {
  search(filter: PatentSearch, page: { cursor?: string; limit: number; order: "asc" | "desc" }): Promise<SearchPage>;
  implementationOf(patent: PatentEntity): Promise<Implementation>;
  isDormant(patent: PatentEntity, today: number): Promise<boolean>;
  /** Today's calendar day in China Standard Time (the gateway's clock). */
  today(): number;
}

const NOTHING: Implementation = { transfer: false, licence: false, pledge: false, equity: false, any: false };

export function createReader(store: Store, options: { scanLimit: number; now?: () => number }): Reader {
  const now = options.now ?? (() => Date.now());
  const today = () => chinaDayOf(Math.floor(now() / 1000));

  async function implementationOf(patent: PatentEntity): Promise<Implementation> {
    // Nothing happened to it since its registration: no record (the common case, no read).
    // Other modules' events need not touch the patent entity, so the timeline decides: a patent whose
    // timeline holds only its mint and registration has no record (the common case, one short read).
    if (patent.updated.block === patent.registered.block && patent.updated.logIndex === patent.registered.logIndex) {
      const entries = await store.keysWithPrefix(keys.timelinePrefix(patent.id), { limit: 3 });
      if (entries.length <= 2) return { ...NOTHING };
    }
    const found = { ...NOTHING };
    for await (const [, entry] of store.iterate<TimelineEntry>({
      gte: keys.timelinePrefix(patent.id),
      lt: prefixEnd(keys.timelinePrefix(patent.id)),
      limit: TIMELINE_READ_LIMIT,
    })) {
      const kind = evidenceOf(entry);
      if (kind) found[kind] = true;
    }
    found.any = found.transfer || found.licence || found.pledge || found.equity;
    return found;
  }

  async function isDormant(patent: PatentEntity, day: number): Promise<boolean> {
    if (patent.statusCode !== LegalStatus.Valid || patent.grantDay === 0) return false;
    if (addYears(patent.grantDay, DORMANT_YEARS) > day) return false;
    return !(await implementationOf(patent)).any;
  }

  function candidates(filter: PatentSearch): { driver: Driver; prefix: string }[] {
    const out: { driver: Driver; prefix: string }[] = [];
    if (filter.owner !== undefined) out.push({ driver: "owner", prefix: keys.byOwnerPrefix(filter.owner) });
    if (filter.ipc !== undefined) out.push({ driver: "ipc", prefix: keys.byIpcPrefix(filter.ipc) });
    const status = filter.status ?? (filter.dormant ? LegalStatus.Valid : undefined);
    if (status !== undefined) out.push({ driver: "status", prefix: keys.byStatusPrefix(status) });
    return out;
  }

  /** A venue's open listings (by listing id, and so by patent: ids are patentId * LISTINGS_PER_PATENT + n). */
  const venuePrefix = (venue: string) => keys.listingsByVenueStatusPrefix(venue, ListingStatus.Open);

  // Index sizes counted for plan(), kept while nothing is written (Store.version): counting reads up to
  // PLAN_PROBE keys of each index a search could walk, which cost more than the page itself (bench/api.ts).
  let sizesVersion = -1;
  const sizes = new Map<string, number>();
  async function indexSize(prefix: string): Promise<number> {
    const version = store.version();
    if (version !== sizesVersion) {
      sizes.clear();
      sizesVersion = version;
    }
    const known = sizes.get(prefix);
    if (known !== undefined) return known;
    const size = (await store.keysWithPrefix(prefix, { limit: PLAN_PROBE })).length;
    if (store.version() === version && sizesVersion === version && sizes.size < SIZES_KEPT) sizes.set(prefix, size);
    return size;
  }

  /** The index with the fewest entries (counted up to PLAN_PROBE), or every patent without one. */
  async function plan(filter: PatentSearch, cursorKey: string | undefined): Promise<{ driver: Driver; prefix: string }> {
    // A venue's open listings are few next to any patent index, and the venue can only be checked through
    // that index: a venue filter always drives the walk.
    if (filter.venue !== undefined) {
      const prefix = venuePrefix(filter.venue);
      if (cursorKey !== undefined && !cursorKey.startsWith(prefix)) throw new CursorError("the cursor does not belong to this query");
      return { driver: "venue", prefix };
    }
    const options = candidates(filter);
    if (cursorKey !== undefined) {
      const all = [...options, { driver: "all" as const, prefix: keys.patentPrefix() }];
      const chosen = all.filter((c) => cursorKey.startsWith(c.prefix)).sort((a, b) => b.prefix.length - a.prefix.length)[0];
      if (!chosen) throw new CursorError("the cursor does not belong to this query");
      return chosen;
    }
    if (options.length === 0) return { driver: "all", prefix: keys.patentPrefix() };
    if (options.length === 1) return options[0]!;
    const counts = await Promise.all(options.map((c) => indexSize(c.prefix)));
    let best = 0;
    for (let i = 1; i < options.length; i++) if (counts[i]! < counts[best]!) best = i;
    return options[best]!;
  }

  function matches(p: PatentEntity, f: PatentSearch, q: string | undefined, ipcPrefix: string | undefined): boolean {
    if (f.owner !== undefined && p.owner.toLowerCase() !== f.owner.toLowerCase()) return false;
    if (f.status !== undefined && p.statusCode !== f.status) return false;
    if (f.kind !== undefined && p.kind !== f.kind) return false;
    if (f.readinessMin !== undefined && p.inventory.readiness < f.readinessMin) return false;
    if (f.readinessMax !== undefined && p.inventory.readiness > f.readinessMax) return false;
    if (f.willing !== undefined && p.inventory.willing !== f.willing) return false;
    if (f.mode !== undefined && (p.inventory.modes & f.mode) === 0) return false;
    if (f.listed !== undefined && p.lockBits.includes(LockBits.LISTED) !== f.listed) return false;
    if (ipcPrefix !== undefined && !p.ipc.some((code) => normaliseIpc(code).startsWith(ipcPrefix))) return false;
    if (q !== undefined && !p.title.toLowerCase().includes(q)) return false;
    return true;
  }

  async function search(filter: PatentSearch, page: { cursor?: string; limit: number; order: "asc" | "desc" }): Promise<SearchPage> {
    let cursorKey: string | undefined;
    if (page.cursor !== undefined) {
      cursorKey = Buffer.from(page.cursor, "base64url").toString("utf8");
      if (Buffer.from(cursorKey, "utf8").toString("base64url") !== page.cursor) throw new CursorError("the cursor is not valid base64url");
    }
    const { driver, prefix } = await plan(filter, cursorKey);
    const q = filter.q?.toLowerCase();
    const ipcPrefix = filter.ipc !== undefined ? normaliseIpcPrefix(filter.ipc) : undefined;
    const day = today();
    const desc = page.order === "desc";
    const items: PatentEntity[] = [];
    let examined = 0;
    let last = cursorKey;
    let exhausted = false;

    // Without filters beyond the walked index's own, a page needs only `limit` entries (+1 to see the end;
    // the IPC index may list a patent twice, and the loop reads on when it does).
    const own: string[] = { owner: ["owner"], ipc: ["ipc"], status: ["status"], venue: ["venue"], all: [] }[driver];
    // With other filters, batches start at the page size and double up to BATCH as entries fail them.
    const postFiltered = Object.entries(filter).some(([k, v]) => v !== undefined && !own.includes(k));
    let batchSize = page.limit + 1;
    while (items.length < page.limit && examined < options.scanLimit && !exhausted) {
      const want = Math.min(batchSize, options.scanLimit - examined, postFiltered ? BATCH : page.limit - items.length + 1);
      batchSize = Math.min(BATCH, batchSize * 2);
      const bounds = desc
        ? { gte: prefix, ...(last !== undefined ? { lt: last } : { lt: prefixEnd(prefix) }), reverse: true }
        : { lt: prefixEnd(prefix), ...(last !== undefined ? { gt: last } : { gte: prefix }) };
      const batch: [string, PatentEntity | undefined][] = [];
      if (driver === "all") {
        for await (const [key, p] of store.iterate<PatentEntity>({ ...bounds, limit: want })) batch.push([key, p]);
      } else {
        const found: string[] = [];
        for await (const [key] of store.iterateRaw({ ...bounds, limit: want })) found.push(key);
        const ids = found.map((k) => {
          const id = k.slice(k.lastIndexOf("/") + 1);
          return driver === "venue" ? patentOfListing(id) : id;
        });
        const values = await store.getMany<PatentEntity>(ids.map((id) => keys.patent(id)));
        found.forEach((k, i) => batch.push([k, values[i]]));
      }
      let consumed = 0;
      for (const [key, p] of batch) {
        if (items.length === page.limit) break;
        consumed++;
        examined++;
        last = key;
        if (p === undefined || !matches(p, filter, q, ipcPrefix)) continue;
        if (driver === "ipc") {
          // A patent with several codes under the prefix has one entry per code: keep the first in walk order.
          const codes = p.ipc.map(normaliseIpc).filter((c) => c.startsWith(ipcPrefix!)).sort();
          const here = key.slice(keys.byIpcPrefix("").length, key.lastIndexOf("/"));
          if (here !== (desc ? codes[codes.length - 1] : codes[0])) continue;
        }
        if (filter.dormant !== undefined && (await isDormant(p, day)) !== filter.dormant) continue;
        items.push(p);
      }
      // The range ended inside this batch and every entry of it was examined.
      if (batch.length < want && consumed === batch.length) exhausted = true;
    }
    const complete = items.length === page.limit || exhausted;
    const next = exhausted || last === undefined || last === cursorKey ? null : Buffer.from(last, "utf8").toString("base64url");
    return { items, next, driver, examined, complete };
  }

  return { search, implementationOf, isDormant, today };
}
