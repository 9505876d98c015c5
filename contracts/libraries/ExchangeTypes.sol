// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {LicenceKind, LicenceScope} from "./LicenceTypes.sol";

/// @notice What a listing offers: the patent itself, or a licence under it.
enum ListingKind {
    Sale, // 专利权转让: settles through an agreed transfer and its registration with CNIPA
    Licence // 专利实施许可: settles by granting the licence at once
}

/// @notice Lifecycle of a listing. Kept in the low bits of the listing's storage slot.
enum ListingStatus {
    None,
    Open, // listed: the patent carries LOCK_LISTED
    Cancelled, // withdrawn by the seller or the listing venue (final)
    Expired, // closed after its expiry by anyone (final)
    Pending, // sale agreed with a buyer, payment escrowed, awaiting CNIPA registration
    Settled, // licence granted, or sale registered and paid out (final)
    Refused // sale refused by CNIPA: buyer refunded, patent unlocked (final)
}

/// @notice Lifecycle of an on-chain (escrowed) offer.
enum OfferStatus {
    None,
    Open, // funds escrowed
    Cancelled, // withdrawn by the buyer, funds credited back (final)
    Accepted // accepted by the seller: the escrow paid the trade (final)
}

/// @notice How a trade came about.
enum TradePath {
    Buy, // buy-now at the listed price
    Offer, // an on-chain offer accepted by the seller
    SignedOffer // an EIP-712 signed offer accepted by the seller
}

/// @notice What a seller submits to list a patent.
/// @dev `licenceKind`, `sublicensable` and `scope` apply to licence listings (the licence granted at settlement);
/// sale listings carry them as zero. `expiry` is a Unix time in seconds; `price` is in the token's smallest unit.
struct ListingParams {
    uint64 patentId;
    ListingKind kind;
    address venue; // the listing venue (an open venue of {IVenues})
    address broker; // a broker accredited by `venue` named on the listing, or zero
    address token; // settlement token (allowed by the admin)
    uint96 price;
    uint64 expiry;
    LicenceKind licenceKind; // Exclusive, Sole or NonExclusive
    bool sublicensable;
    LicenceScope scope;
    bytes32 contractHash; // hash of the sale or licence contract the buyer signs up to
}

/// @notice A listing as recorded: its id, the seller and the seller's parameters.
/// @dev Only `keccak256(abi.encode(listing))` is stored; the full listing is emitted in `Listed` and passed back
/// as calldata by whoever acts on it.
struct Listing {
    uint64 listingId;
    address seller;
    ListingParams terms;
}

/// @notice An on-chain offer: funds of `price` in `token` escrowed by the exchange. Stored as a hash.
struct OfferTerms {
    uint64 listingId;
    address buyer;
    address buyerVenue; // the venue the buyer comes through
    address broker; // a broker accredited by `buyerVenue`, or zero
    address token;
    uint96 price;
}

/// @notice An offer signed off-chain by the buyer (EIP-712 typed data `Offer`).
struct SignedOffer {
    uint256 listingId;
    address buyer;
    address buyerVenue;
    address broker;
    uint256 price;
    address token;
    uint256 nonce;
    uint256 deadline; // Unix time in seconds, inclusive
}

/// @notice A settled trade, as emitted by `ListingSettled`.
struct Trade {
    ListingKind kind;
    TradePath path;
    uint256 ref; // offer id (Offer), nonce (SignedOffer), 0 (Buy)
    address buyerVenue;
    address buyerBroker;
    uint16 feeBps; // the listing venue's fee, read at the trade
    uint16 listingBrokerBps; // the listing broker's share at the trade (0 if none or no longer accredited)
    uint16 buyerBrokerBps; // the buyer broker's share at the trade (0 if none)
    address token;
    uint96 price;
    uint256 rightId; // licence id (Licence) or transfer id (Sale)
}

/// @notice Who was credited what for one trade. The amounts sum to the price.
/// @dev `payee` is the seller, or where a pledgee's consent routed the proceeds (the pledgee for early repayment;
/// the Pledges contract for escrow, in which case `payeeEscrowed` is true and the amount was deposited there
/// rather than credited).
struct Payouts {
    address payee;
    uint256 payeeAmount;
    bool payeeEscrowed;
    address listingVenue;
    uint256 listingVenueAmount;
    address buyerVenue;
    uint256 buyerVenueAmount;
    address listingBroker;
    uint256 listingBrokerAmount;
    address buyerBroker;
    uint256 buyerBrokerAmount;
}

/// @notice A patent sale agreed through the exchange and awaiting registration, keyed by the transfer id.
struct SaleEscrow {
    address buyer;
    uint64 listingId;
    ListingStatus status; // Pending, then Settled or Refused
    address token;
    uint16 feeBps;
    uint16 listingBrokerBps;
    uint16 buyerBrokerBps;
    address payee; // seller or proceedsTo
    uint96 price;
    address listingVenue;
    address buyerVenue;
    address listingBroker;
    address buyerBroker;
}
