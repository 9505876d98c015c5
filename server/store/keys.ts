/**
 * The only place LevelDB keys are built. Every number in a key is fixed width so that the byte order
 * of keys is the chain order: block numbers as 12 decimal digits, ids (patents, transfers, evaluations,
 * licences, payments, pledges, valuations, deals, warrants) as 20 decimal digits (uint64), log indexes
 * as 6 digits, lock bits, statuses and acts as 2, addresses as 40 lowercase hex digits, signed-offer nonces
 * (uint256) as 78 digits. Key spaces are separated by a short prefix and "/".
 */

export const BLOCK_WIDTH = 12;
export const ID_WIDTH = 20;
export const LOG_INDEX_WIDTH = 6;

export class KeyError extends Error {
  override name = "KeyError";
}

const DIGITS = /^\d+$/;

function fixed(value: bigint | number | string, width: number, what: string): string {
  let s: string;
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value) || value < 0) throw new KeyError(`${what} must be a non-negative integer, got "${value}"`);
    s = String(value);
  } else {
    s = typeof value === "string" ? value : value.toString();
    if (!DIGITS.test(s)) throw new KeyError(`${what} must be a non-negative integer, got "${s}"`);
  }
  if (s.length > width) throw new KeyError(`${what} ${s} is wider than ${width} digits`);
  return s.padStart(width, "0");
}

export const blockPart = (n: number): string => fixed(n, BLOCK_WIDTH, "block number");
export const idPart = (id: bigint | number | string): string => fixed(id, ID_WIDTH, "id");
export const logIndexPart = (i: number): string => fixed(i, LOG_INDEX_WIDTH, "log index");

export function addressPart(address: string): string {
  if (!/^0x[0-9a-fA-F]{40}$/.test(address)) throw new KeyError(`not an address: "${address}"`);
  return address.slice(2).toLowerCase();
}

/**
 * IPC symbols in WIPO's fixed-width form: subclass (4), main group right-aligned (4), subgroup
 * left-aligned (6), so "H01M 10/052" -> "H01M0010052000". Prefixes of the symbol give prefixes of the
 * key: "H01M", "H01M 10" -> "H01M0010", "H01M 10/05" -> "H01M001005". Codes that do not parse keep
 * their upper-case characters without spaces (they sort after none of the parsed ones by design).
 */
const IPC_SYMBOL = /^([A-H]\d\d[A-Z])(\d{1,4})\/(\d{1,6})$/;
const ipcCache = new Map<string, string>();

export function normaliseIpc(code: string): string {
  const cached = ipcCache.get(code);
  if (cached !== undefined) return cached;
  const compact = code.toUpperCase().replace(/\s+/g, "");
  const m = IPC_SYMBOL.exec(compact);
  const out = m ? `${m[1]}${m[2]!.padStart(4, "0")}${m[3]!.padEnd(6, "0")}` : compact;
  if (ipcCache.size < 100_000) ipcCache.set(code, out); // IPC codes are a small vocabulary
  return out;
}

/** The key prefix for an IPC prefix query; the subgroup is not padded so "H01M 10/05" finds 10/052. */
export function normaliseIpcPrefix(prefix: string): string {
  const compact = prefix.toUpperCase().replace(/\s+/g, "");
  const m = /^([A-H]\d\d[A-Z])(?:(\d{1,4})(?:\/(\d{0,6}))?)?$/.exec(compact);
  if (!m) return compact;
  let out = m[1]!;
  if (m[2] !== undefined) out += m[2].padStart(4, "0");
  if (m[3] !== undefined) out += m[3];
  return out;
}

/** Two-character status code so that statuses sort by their enum value. */
export const statusPart = (status: number): string => fixed(status, 2, "status");
export const lockBitPart = (bit: number): string => fixed(bit, 2, "lock bit");
export const actPart = (act: number): string => fixed(act, 2, "act");

type Id = bigint | number | string;

/** Width of a uint256 in decimal digits (signed-offer nonces). */
export const UINT256_WIDTH = 78;

/** An offer as an index entry: an on-chain offer by its id, or the signed offer accepted on a listing. */
export type OfferRef = { onChain: Id } | { signedOn: Id };
const offerRefPart = (offer: OfferRef): string => ("onChain" in offer ? `c/${idPart(offer.onChain)}` : `s/${idPart(offer.signedOn)}`);

/** The entity key an offer index key names (".../c/<offer id>" or ".../s/<listing id>"). */
export function offerKeyOfIndexKey(key: string): string {
  const [kind, id] = key.split("/").slice(-2) as [string, string];
  return kind === "s" ? keys.signedOffer(id) : keys.offer(id);
}

export const keys = {
  // ---- meta
  chain: () => "m/chain",
  cursor: () => "m/cursor",

  // ---- blocks: digest records for blocks with changes; headers and undo records for the recent window
  block: (n: number) => `b/${blockPart(n)}`,
  blockPrefix: () => "b/",
  header: (n: number) => `h/${blockPart(n)}`,
  headerPrefix: () => "h/",
  undo: (n: number) => `u/${blockPart(n)}`,
  undoPrefix: () => "u/",

  // ---- registry entities
  patent: (id: bigint | number | string) => `p/${idPart(id)}`,
  patentPrefix: () => "p/",
  transfer: (id: bigint | number | string) => `t/${idPart(id)}`,
  evaluation: (id: bigint | number | string) => `e/${idPart(id)}`,
  commitment: (id: bigint | number | string) => `c/${idPart(id)}`,
  lockModule: (bit: number) => `l/${lockBitPart(bit)}`,
  /** A contract's configuration event (e.g. Licensing's royalties contract). */
  setting: (contract: string, name: string) => `s/${contract}/${name}`,

  // ---- timeline: every event about a patent in chain order
  timeline: (patentId: bigint | number | string, block: number, logIndex: number) =>
    `tl/${idPart(patentId)}/${blockPart(block)}/${logIndexPart(logIndex)}`,
  timelinePrefix: (patentId: bigint | number | string) => `tl/${idPart(patentId)}/`,

  // ---- secondary indexes (value: empty string)
  byOwner: (owner: string, patentId: bigint | number | string) => `ix/owner/${addressPart(owner)}/${idPart(patentId)}`,
  byOwnerPrefix: (owner: string) => `ix/owner/${addressPart(owner)}/`,
  byIpc: (code: string, patentId: bigint | number | string) => `ix/ipc/${normaliseIpc(code)}/${idPart(patentId)}`,
  /** Matches every code that starts with the normalised prefix. */
  byIpcPrefix: (prefix: string) => `ix/ipc/${normaliseIpcPrefix(prefix)}`,
  byStatus: (status: number, patentId: bigint | number | string) => `ix/status/${statusPart(status)}/${idPart(patentId)}`,
  byStatusPrefix: (status: number) => `ix/status/${statusPart(status)}/`,
  transfersOfPatent: (patentId: bigint | number | string, transferId: bigint | number | string) =>
    `ix/ptransfer/${idPart(patentId)}/${idPart(transferId)}`,
  transfersOfPatentPrefix: (patentId: bigint | number | string) => `ix/ptransfer/${idPart(patentId)}/`,
  evaluationsOfPatent: (patentId: bigint | number | string, evaluationId: bigint | number | string) =>
    `ix/peval/${idPart(patentId)}/${idPart(evaluationId)}`,
  evaluationsOfPatentPrefix: (patentId: bigint | number | string) => `ix/peval/${idPart(patentId)}/`,

  // ---- licensing entities
  licence: (id: Id) => `lic/${idPart(id)}`,
  licencePrefix: () => "lic/",
  /** The current open-licence declaration of a patent (kept, marked withdrawn, after a withdrawal). */
  openLicence: (patentId: Id) => `ol/${idPart(patentId)}`,
  openLicenceHistory: (patentId: Id, block: number, logIndex: number) => `olh/${idPart(patentId)}/${blockPart(block)}/${logIndexPart(logIndex)}`,
  openLicenceHistoryPrefix: (patentId: Id) => `olh/${idPart(patentId)}/`,

  // ---- royalties entities
  royaltyPayment: (licenceId: Id, payment: Id) => `roy/${idPart(licenceId)}/${idPart(payment)}`,
  royaltyPaymentsOfLicencePrefix: (licenceId: Id) => `roy/${idPart(licenceId)}/`,
  royaltyPaymentPrefix: () => "roy/",
  revenueReport: (licenceId: Id, block: number, logIndex: number) => `rev/${idPart(licenceId)}/${blockPart(block)}/${logIndexPart(logIndex)}`,
  revenueReportsOfLicencePrefix: (licenceId: Id) => `rev/${idPart(licenceId)}/`,
  benefitShares: (patentId: Id) => `shr/${idPart(patentId)}`,

  // ---- pledge entities
  pledge: (id: Id) => `pl/${idPart(id)}`,
  pledgePrefix: () => "pl/",
  actConsent: (pledgeId: Id, patentId: Id, act: number, counterparty: string) =>
    `plc/${idPart(pledgeId)}/${idPart(patentId)}/${actPart(act)}/${addressPart(counterparty)}`,
  actConsentsOfPledgePrefix: (pledgeId: Id) => `plc/${idPart(pledgeId)}/`,
  pledgeProceeds: (pledgeId: Id, block: number, logIndex: number) => `plp/${idPart(pledgeId)}/${blockPart(block)}/${logIndexPart(logIndex)}`,
  pledgeProceedsPrefix: (pledgeId: Id) => `plp/${idPart(pledgeId)}/`,

  // ---- valuations: keyed by patent, so the entity key is also the by-patent index
  valuation: (patentId: Id, index: Id) => `val/${idPart(patentId)}/${idPart(index)}`,
  valuationsOfPatentPrefix: (patentId: Id) => `val/${idPart(patentId)}/`,

  // ---- equity entities
  deal: (id: Id) => `deal/${idPart(id)}`,
  warrant: (id: Id) => `war/${idPart(id)}`,

  // ---- secondary indexes of licences (value: empty string; the entity id ends the key)
  licencesOfLicensee: (licensee: string, licenceId: Id) => `ix/lic-licensee/${addressPart(licensee)}/${idPart(licenceId)}`,
  licencesOfLicenseePrefix: (licensee: string) => `ix/lic-licensee/${addressPart(licensee)}/`,
  licencesOfPatent: (patentId: Id, licenceId: Id) => `ix/lic-patent/${idPart(patentId)}/${idPart(licenceId)}`,
  licencesOfPatentPrefix: (patentId: Id) => `ix/lic-patent/${idPart(patentId)}/`,
  /** Licences in force (status Active) of a patent: removed when a licence ends. */
  activeLicencesOfPatent: (patentId: Id, licenceId: Id) => `ix/lic-active/${idPart(patentId)}/${idPart(licenceId)}`,
  activeLicencesOfPatentPrefix: (patentId: Id) => `ix/lic-active/${idPart(patentId)}/`,
  sublicences: (parentId: Id, licenceId: Id) => `ix/lic-sub/${idPart(parentId)}/${idPart(licenceId)}`,
  sublicencesPrefix: (parentId: Id) => `ix/lic-sub/${idPart(parentId)}/`,
  /** Patents with an open-licence declaration in force. */
  openLicensed: (patentId: Id) => `ix/open/${idPart(patentId)}`,
  openLicensedPrefix: () => "ix/open/",
  /** Royalty payments of a patent: ".../<licence id>/<payment number>". */
  royaltiesOfPatent: (patentId: Id, licenceId: Id, payment: Id) => `ix/roy-patent/${idPart(patentId)}/${idPart(licenceId)}/${idPart(payment)}`,
  royaltiesOfPatentPrefix: (patentId: Id) => `ix/roy-patent/${idPart(patentId)}/`,

  // ---- secondary indexes of pledges
  pledgesByPledgee: (pledgee: string, pledgeId: Id) => `ix/pl-pledgee/${addressPart(pledgee)}/${idPart(pledgeId)}`,
  pledgesByPledgeePrefix: (pledgee: string) => `ix/pl-pledgee/${addressPart(pledgee)}/`,
  pledgesByPledgor: (pledgor: string, pledgeId: Id) => `ix/pl-pledgor/${addressPart(pledgor)}/${idPart(pledgeId)}`,
  pledgesByPledgorPrefix: (pledgor: string) => `ix/pl-pledgor/${addressPart(pledgor)}/`,
  pledgesByStatus: (status: number, pledgeId: Id) => `ix/pl-status/${statusPart(status)}/${idPart(pledgeId)}`,
  pledgesByStatusPrefix: (status: number) => `ix/pl-status/${statusPart(status)}/`,
  pledgesOfPatent: (patentId: Id, pledgeId: Id) => `ix/pl-patent/${idPart(patentId)}/${idPart(pledgeId)}`,
  pledgesOfPatentPrefix: (patentId: Id) => `ix/pl-patent/${idPart(patentId)}/`,

  // ---- secondary indexes of equity deals and warrants
  dealsByCompany: (company: string, dealId: Id) => `ix/deal-company/${addressPart(company)}/${idPart(dealId)}`,
  dealsByCompanyPrefix: (company: string) => `ix/deal-company/${addressPart(company)}/`,
  /** Deals by contributor: the owner who proposed the deal. */
  dealsByContributor: (owner: string, dealId: Id) => `ix/deal-owner/${addressPart(owner)}/${idPart(dealId)}`,
  dealsByContributorPrefix: (owner: string) => `ix/deal-owner/${addressPart(owner)}/`,
  dealsOfPatent: (patentId: Id, dealId: Id) => `ix/deal-patent/${idPart(patentId)}/${idPart(dealId)}`,
  dealsOfPatentPrefix: (patentId: Id) => `ix/deal-patent/${idPart(patentId)}/`,
  warrantsOfDeal: (dealId: Id, warrantId: Id) => `ix/war-deal/${idPart(dealId)}/${idPart(warrantId)}`,
  warrantsOfDealPrefix: (dealId: Id) => `ix/war-deal/${idPart(dealId)}/`,
  warrantsByHolder: (holder: string, warrantId: Id) => `ix/war-holder/${addressPart(holder)}/${idPart(warrantId)}`,
  warrantsByHolderPrefix: (holder: string) => `ix/war-holder/${addressPart(holder)}/`,

  // ---- market: venues (Venues), listings and offers (Exchange), auctions (AuctionHouse)
  venue: (venue: string) => `ven/${addressPart(venue)}`,
  venuePrefix: () => "ven/",
  /** A venue's fee changes (and its openings), in chain order. */
  venueFee: (venue: string, block: number, logIndex: number) => `vfee/${addressPart(venue)}/${blockPart(block)}/${logIndexPart(logIndex)}`,
  venueFeePrefix: (venue: string) => `vfee/${addressPart(venue)}/`,
  /** A broker as accredited by a venue (kept, marked revoked, after a revocation). */
  broker: (venue: string, broker: string) => `vbr/${addressPart(venue)}/${addressPart(broker)}`,
  brokersOfVenuePrefix: (venue: string) => `vbr/${addressPart(venue)}/`,
  /** A venue's trade figures: listings made through it, trades paid out and fees earned per token. */
  venueStats: (venue: string) => `vst/${addressPart(venue)}`,
  /** A token the admin allowed (or disallowed) for new listings. */
  marketToken: (token: string) => `mtok/${addressPart(token)}`,
  listing: (listingId: Id) => `lst/${idPart(listingId)}`,
  listingPrefix: () => "lst/",
  /** An on-chain (escrowed) offer. */
  offer: (offerId: Id) => `off/${idPart(offerId)}`,
  /** The signed (EIP-712) offer accepted on a listing: at most one per listing, since it settles it. */
  signedOffer: (listingId: Id) => `offs/${idPart(listingId)}`,
  /** A buyer's cancelled signed-offer nonce (uint256: 78 digits) and the buyer's minimum nonce. */
  cancelledNonce: (buyer: string, nonce: Id) => `nonce/${addressPart(buyer)}/${fixed(nonce, UINT256_WIDTH, "nonce")}`,
  cancelledNoncePrefix: (buyer: string) => `nonce/${addressPart(buyer)}/`,
  minNonce: (buyer: string) => `nmin/${addressPart(buyer)}`,
  auction: (auctionId: Id) => `auc/${idPart(auctionId)}`,
  auctionPrefix: () => "auc/",
  /** Bids of an auction in chain order. */
  bid: (auctionId: Id, block: number, logIndex: number) => `bid/${idPart(auctionId)}/${blockPart(block)}/${logIndexPart(logIndex)}`,
  bidsOfAuctionPrefix: (auctionId: Id) => `bid/${idPart(auctionId)}/`,
  /** A withdrawal of a balance from the Exchange or the AuctionHouse. */
  withdrawal: (account: string, block: number, logIndex: number) => `mwd/${addressPart(account)}/${blockPart(block)}/${logIndexPart(logIndex)}`,
  withdrawalsPrefix: (account: string) => `mwd/${addressPart(account)}/`,

  // ---- secondary indexes of the market
  /** Listings by listing venue. */
  listingsByVenue: (venue: string, listingId: Id) => `ix/venue/${addressPart(venue)}/${idPart(listingId)}`,
  listingsByVenuePrefix: (venue: string) => `ix/venue/${addressPart(venue)}/`,
  /** Listings by listing venue and status (the open ones of a venue without a scan). */
  listingsByVenueStatus: (venue: string, status: number, listingId: Id) => `ix/venue-status/${addressPart(venue)}/${statusPart(status)}/${idPart(listingId)}`,
  listingsByVenueStatusPrefix: (venue: string, status: number) => `ix/venue-status/${addressPart(venue)}/${statusPart(status)}/`,
  listingsByStatus: (status: number, listingId: Id) => `ix/lst-status/${statusPart(status)}/${idPart(listingId)}`,
  listingsByStatusPrefix: (status: number) => `ix/lst-status/${statusPart(status)}/`,
  listingsBySeller: (seller: string, listingId: Id) => `ix/lst-seller/${addressPart(seller)}/${idPart(listingId)}`,
  listingsBySellerPrefix: (seller: string) => `ix/lst-seller/${addressPart(seller)}/`,
  listingsOfPatent: (patentId: Id, listingId: Id) => `ix/lst-patent/${idPart(patentId)}/${idPart(listingId)}`,
  listingsOfPatentPrefix: (patentId: Id) => `ix/lst-patent/${idPart(patentId)}/`,
  /** Offers of a listing: ".../c/<offer id>" on-chain, ".../s/<listing id>" the signed offer accepted. */
  offersOfListing: (listingId: Id, offer: OfferRef) => `ix/off-listing/${idPart(listingId)}/${offerRefPart(offer)}`,
  offersOfListingPrefix: (listingId: Id) => `ix/off-listing/${idPart(listingId)}/`,
  offersByBuyer: (buyer: string, offer: OfferRef) => `ix/off-buyer/${addressPart(buyer)}/${offerRefPart(offer)}`,
  offersByBuyerPrefix: (buyer: string) => `ix/off-buyer/${addressPart(buyer)}/`,
  auctionsByStatus: (status: number, auctionId: Id) => `ix/auc-status/${statusPart(status)}/${idPart(auctionId)}`,
  auctionsByStatusPrefix: (status: number) => `ix/auc-status/${statusPart(status)}/`,
  auctionsOfPatent: (patentId: Id, auctionId: Id) => `ix/auc-patent/${idPart(patentId)}/${idPart(auctionId)}`,
  auctionsOfPatentPrefix: (patentId: Id) => `ix/auc-patent/${idPart(patentId)}/`,
  /** Auctions by kind (0 owner, 1 disposal). */
  auctionsByKind: (kind: number, auctionId: Id) => `ix/auc-kind/${statusPart(kind)}/${idPart(auctionId)}`,
  auctionsByKindPrefix: (kind: number) => `ix/auc-kind/${statusPart(kind)}/`,

  // ---- gateway-local state (`g/`): written by the gateway's own services (server/webhooks), never by the
  // indexer. No handler writes it, so it is in no block's writes, the digest, the undo records or a
  // rebuild; `scripts/gateway.ts rebuild` carries it over.
  gatewayLocalPrefix: () => "g/",
  /** A webhook's registration (written by the API only). */
  webhook: (id: string) => `g/wh/s/${id}`,
  webhookPrefix: () => "g/wh/s/",
  /** A webhook's delivery record (written by the dispatcher only). */
  webhookState: (id: string) => `g/wh/st/${id}`,
  /** The last indexed block whose changes the dispatcher turned into deliveries. */
  webhookCursor: () => "g/wh/cursor",
  /** The last calendar day the dispatcher swept for patents that became dormant. */
  webhookDormantDay: () => "g/wh/dormant-day",
  /** A pending delivery, ordered by the time (ms since 1970) it is due. */
  webhookDelivery: (dueMs: number, deliveryId: string) => `g/wh/q/${fixed(dueMs, 13, "due time")}/${deliveryId}`,
  webhookQueuePrefix: () => "g/wh/q/",
} as const;

/** The last `count` fixed-width ids of a key, without leading zeros (composite index keys). */
export function idsOfKeyTail(key: string, count: number): string[] {
  const parts = key.split("/").slice(-count);
  return parts.map((p) => p.replace(/^0+(?=\d)/, ""));
}

/** The patent id at the end of a secondary-index key (".../<20 digits>"). */
export function idOfIndexKey(key: string): string {
  return key.slice(-ID_WIDTH).replace(/^0+(?=\d)/, "");
}

/** The first key after every key that starts with `prefix` (for `lt` bounds). */
export function prefixEnd(prefix: string): string {
  return `${prefix}\xff`;
}
