import type { ContractTransactionReceipt, ContractTransactionResponse, Provider, Result, Signer } from "ethers";
import { Exchange__factory, IERC20__factory } from "../../typechain-types";
import type { Exchange } from "../../typechain-types";
import type {
  ListingParamsStruct,
  ListingStruct,
  OfferTermsStruct,
} from "../../typechain-types/contracts/exchange/Exchange";
import { dayOf, formatCnipaNumber } from "../chain/cnipa";
import {
  ListingKind,
  ListingStatus,
  OFFER_TYPES,
  OfferStatus,
  exchangeDomain,
  type SignedOfferValue,
} from "../chain/exchange";
import { LicenceKind } from "../chain/licensing";
import { confirm, LedgerClientError, patentIdOf, type LedgerClient, type TxResult } from "./client";
import { withRevertDecoding } from "./errors";

const ZERO = "0x0000000000000000000000000000000000000000";

export type ListingKindName = "sale" | "licence";
export type LicenceKindName = "exclusive" | "sole" | "non-exclusive";
export type ListingStatusName = "none" | "open" | "cancelled" | "expired" | "pending" | "settled" | "refused";

const LISTING_STATUS_NAMES: Record<ListingStatus, ListingStatusName> = {
  [ListingStatus.None]: "none",
  [ListingStatus.Open]: "open",
  [ListingStatus.Cancelled]: "cancelled",
  [ListingStatus.Expired]: "expired",
  [ListingStatus.Pending]: "pending",
  [ListingStatus.Settled]: "settled",
  [ListingStatus.Refused]: "refused",
};

const LICENCE_KINDS: Record<LicenceKindName, LicenceKind> = {
  exclusive: LicenceKind.Exclusive,
  sole: LicenceKind.Sole,
  "non-exclusive": LicenceKind.NonExclusive,
};

/** What a seller lists (amounts in the token's smallest unit; dates are China calendar dates). */
export interface ListingInput {
  number: string;
  kind: ListingKindName;
  venue: string;
  broker?: string;
  token: string;
  price: bigint;
  expiresAt: bigint; // Unix seconds
  licence?: {
    kind: LicenceKindName;
    sublicensable: boolean;
    fields: bigint;
    territories: bigint;
    startDate: string;
    endDate: string;
  };
  contractHash: string;
}

export interface ListingView {
  listingId: bigint;
  patent: string;
  kind: ListingKindName;
  status: ListingStatusName;
  seller: string;
  venue: string;
  broker: string | null;
  token: string;
  price: bigint;
  expiresAt: bigint;
  contractHash: string;
  /** The listing as emitted: what every call on it passes back. */
  listing: ListingStruct;
}

/** A signed offer as the buyer hands it to the seller (e.g. as a JSON file). */
export interface SignedOfferFile {
  offer: SignedOfferValue;
  signature: string;
}

/** The listing to pass back, from the arguments of a `Listed` event: `{listingId, seller, terms}`. */
export function listingFromEvent(args: Result): ListingStruct {
  return {
    listingId: args.getValue("listingId") as bigint,
    seller: args.getValue("seller") as string,
    terms: (args.getValue("terms") as Result).toObject(true) as ListingParamsStruct,
  };
}

/** The exchange side of the client library: listings, offers, signed offers, settlement and withdrawals. */
export function createExchangeClient(base: LedgerClient) {
  const address = base.deployments.contracts.Exchange;
  if (!address) throw new LedgerClientError("the deployments file names no Exchange contract");
  const runner = base.runner;
  const exchange: Exchange = Exchange__factory.connect(address, runner);
  const signer = (): Signer => {
    if (!("signTypedData" in runner)) throw new LedgerClientError("this action signs: connect the client with a signer");
    return runner;
  };
  const provider = (): Provider => {
    const p = "provider" in runner && runner.provider ? runner.provider : (runner as Provider);
    return p;
  };
  const result = (r: ContractTransactionReceipt): TxResult => ({ hash: r.hash, blockNumber: r.blockNumber, gasUsed: r.gasUsed });

  async function send(build: () => Promise<ContractTransactionResponse>): Promise<ContractTransactionReceipt> {
    signer();
    return confirm(await withRevertDecoding(build), provider());
  }

  function parsed(receipt: ContractTransactionReceipt, name: string) {
    for (const log of receipt.logs) {
      if (log.address.toLowerCase() !== address!.toLowerCase()) continue;
      const event = exchange.interface.parseLog(log);
      if (event?.name === name) return event;
    }
    throw new LedgerClientError(`transaction ${receipt.hash} emitted no ${name}`);
  }

  async function listingOf(listingId: bigint): Promise<ListingStruct> {
    const events = await exchange.queryFilter(exchange.filters.Listed(listingId), base.deployments.deploymentBlock);
    const last = events.at(-1);
    if (!last) throw new LedgerClientError(`no listing #${listingId}`);
    return listingFromEvent(last.args as unknown as Result);
  }

  async function offerOf(offerId: bigint): Promise<OfferTermsStruct> {
    const events = await exchange.queryFilter(exchange.filters.OfferMade(offerId), base.deployments.deploymentBlock);
    const last = events.at(-1);
    if (!last) throw new LedgerClientError(`no offer #${offerId}`);
    return (last.args.offer as unknown as Result).toObject(true) as OfferTermsStruct;
  }

  /** Approves the exchange for `amount` of `token` if the signer's allowance is short. */
  async function approve(token: string, amount: bigint): Promise<void> {
    const s = signer();
    const erc20 = IERC20__factory.connect(token, s);
    if ((await erc20.allowance(await s.getAddress(), address!)) >= amount) return;
    await send(() => erc20.approve(address!, amount));
  }

  return {
    exchange,

    async getListing(listingId: bigint): Promise<ListingView> {
      const l = await listingOf(listingId);
      const status = Number(await exchange.listingStatus(l)) as ListingStatus;
      return {
        listingId,
        patent: formatCnipaNumber(BigInt(l.terms.patentId)),
        kind: Number(l.terms.kind) === ListingKind.Sale ? "sale" : "licence",
        status: LISTING_STATUS_NAMES[status],
        seller: String(l.seller),
        venue: String(l.terms.venue),
        broker: l.terms.broker === ZERO ? null : String(l.terms.broker),
        token: String(l.terms.token),
        price: BigInt(l.terms.price),
        expiresAt: BigInt(l.terms.expiry),
        contractHash: String(l.terms.contractHash),
        listing: l,
      };
    },

    async getOfferStatus(offerId: bigint): Promise<{ offer: OfferTermsStruct; status: OfferStatus }> {
      const offer = await offerOf(offerId);
      return { offer, status: Number(await exchange.offerStatus(offerId, offer)) as OfferStatus };
    },

    async list(input: ListingInput): Promise<TxResult & { listingId: bigint }> {
      const lic = input.licence;
      const params: ListingParamsStruct = {
        patentId: patentIdOf(input.number),
        kind: input.kind === "sale" ? ListingKind.Sale : ListingKind.Licence,
        venue: input.venue,
        broker: input.broker ?? ZERO,
        token: input.token,
        price: input.price,
        expiry: input.expiresAt,
        licenceKind: lic ? LICENCE_KINDS[lic.kind] : 0,
        sublicensable: lic?.sublicensable ?? false,
        scope: lic
          ? { fields: lic.fields, territories: lic.territories, startDay: dayOf(lic.startDate), endDay: dayOf(lic.endDate) }
          : { fields: 0n, territories: 0n, startDay: 0, endDay: 0 },
        contractHash: input.contractHash,
      };
      const receipt = await send(() => exchange.connect(signer()).list(params));
      return { ...result(receipt), listingId: parsed(receipt, "Listed").args.listingId as bigint };
    },

    async cancel(listingId: bigint): Promise<TxResult> {
      const l = await listingOf(listingId);
      return result(await send(() => exchange.connect(signer()).cancel(l)));
    },

    async expire(listingId: bigint): Promise<TxResult> {
      const l = await listingOf(listingId);
      return result(await send(() => exchange.connect(signer()).expire(l)));
    },

    /** Buys at the listed price through `buyerVenue` (approving the exchange first if needed). */
    async buy(listingId: bigint, buyerVenue: string, broker?: string): Promise<TxResult> {
      const l = await listingOf(listingId);
      const price = BigInt(l.terms.price);
      await approve(String(l.terms.token), price);
      return result(await send(() => exchange.connect(signer()).buy(l, buyerVenue, broker ?? ZERO, price)));
    },

    /** Makes an escrowed on-chain offer (approving the exchange first if needed). */
    async makeOffer(listingId: bigint, buyerVenue: string, price: bigint, broker?: string): Promise<TxResult & { offerId: bigint }> {
      const l = await listingOf(listingId);
      await approve(String(l.terms.token), price);
      const receipt = await send(() => exchange.connect(signer()).makeOffer(l, buyerVenue, broker ?? ZERO, price));
      return { ...result(receipt), offerId: parsed(receipt, "OfferMade").args.offerId as bigint };
    },

    async cancelOffer(offerId: bigint): Promise<TxResult> {
      const offer = await offerOf(offerId);
      return result(await send(() => exchange.connect(signer()).cancelOffer(offerId, offer)));
    },

    async acceptOffer(listingId: bigint, offerId: bigint): Promise<TxResult> {
      const [l, offer] = await Promise.all([listingOf(listingId), offerOf(offerId)]);
      return result(await send(() => exchange.connect(signer()).acceptOffer(l, offerId, offer)));
    },

    /**
     * Signs an offer off-chain (no transaction) and approves the exchange for its price, which the seller's
     * acceptance pulls. The nonce defaults to the buyer's minimum nonce plus the count of its used nonces above it.
     */
    async signOffer(
      listingId: bigint,
      buyerVenue: string,
      price: bigint,
      opts: { broker?: string; nonce?: bigint; validSeconds?: number } = {},
    ): Promise<SignedOfferFile> {
      const s = signer();
      const buyer = await s.getAddress();
      const l = await listingOf(listingId);
      let nonce = opts.nonce ?? (await exchange.minNonce(buyer));
      if (opts.nonce === undefined) while (await exchange.isNonceUsed(buyer, nonce)) nonce += 1n;
      const block = await provider().getBlock("latest");
      if (!block) throw new LedgerClientError("the node returned no latest block");
      const offer: SignedOfferValue = {
        listingId,
        buyer,
        buyerVenue,
        broker: opts.broker ?? ZERO,
        price,
        token: String(l.terms.token),
        nonce,
        deadline: BigInt(block.timestamp + (opts.validSeconds ?? 7 * 86_400)),
      };
      const { chainId } = await provider().getNetwork();
      const signature = await s.signTypedData(exchangeDomain(chainId, address!), OFFER_TYPES, offer);
      await approve(offer.token, price);
      return { offer, signature };
    },

    async acceptSignedOffer(signed: SignedOfferFile): Promise<TxResult> {
      const l = await listingOf(signed.offer.listingId);
      return result(await send(() => exchange.connect(signer()).acceptSignedOffer(l, signed.offer, signed.signature)));
    },

    async cancelSignedOffer(nonce: bigint): Promise<TxResult> {
      return result(await send(() => exchange.connect(signer()).cancelSignedOffer(nonce)));
    },

    /** The transfer agreed by a patent sale (from its ListingSettled event), or null. */
    async saleTransferOf(listingId: bigint): Promise<bigint | null> {
      const events = await exchange.queryFilter(exchange.filters.ListingSettled(listingId), base.deployments.deploymentBlock);
      const last = events.at(-1);
      if (!last || Number(last.args.trade.kind) !== ListingKind.Sale) return null;
      return last.args.trade.rightId;
    },

    async withdraw(token: string): Promise<TxResult & { amount: bigint }> {
      const receipt = await send(() => exchange.connect(signer()).withdraw(token));
      return { ...result(receipt), amount: parsed(receipt, "Withdrawn").args.amount as bigint };
    },

    async balanceOf(account: string, token: string): Promise<bigint> {
      return exchange.balanceOf(account, token);
    },
  };
}

export type ExchangeClient = ReturnType<typeof createExchangeClient>;
