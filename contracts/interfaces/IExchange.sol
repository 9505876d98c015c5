// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {Act} from "../libraries/PatentTypes.sol";
import {LicenceKind} from "../libraries/LicenceTypes.sol";
import {
    Listing,
    ListingParams,
    ListingStatus,
    OfferStatus,
    OfferTerms,
    Payouts,
    SaleEscrow,
    SignedOffer,
    Trade
} from "../libraries/ExchangeTypes.sol";

/// @title IExchange
/// @notice The unified Sichuan–Chongqing patent exchange (一点发布、全网通达): an owner lists a patent for sale or a
/// licence through one venue, and the listing is open on every venue; a buyer names its own venue.
///
/// Storage: one slot per patent's current listing, holding the hash of `abi.encode(listing)` with the status in its
/// low bits; the terms are emitted in `Listed` and passed back as calldata. On-chain offers are stored the same
/// way (one slot each). A listing's id is `patentId * 10_000 + n` for the patent's n-th listing. Listing thus
/// costs one new slot, the registry lock and the event (see docs/exchange.md for the measured gas). A patent
/// carries at most one open listing (one LOCK_LISTED bit).
///
/// Trades settle atomically: buy-now (`buy`), an escrowed on-chain offer accepted by the seller (`acceptOffer`),
/// or an EIP-712 offer signed by the buyer and accepted by the seller in one transaction (`acceptSignedOffer`,
/// funds pulled with `transferFrom`). A licence sale grants the licence (Licensing.grantFor) and credits the
/// payouts in the same transaction; a patent sale agrees the transfer in the registry, keeps the payment in escrow,
/// pays out when the registrar registers the transfer and refunds the buyer if registration is refused.
/// Payouts follow {MarketFees} and are credited to withdrawable balances (`withdraw`).
///
/// While listed, the exchange guards the patent ({IEncumbranceGuard}): a sale listing refuses every act of other
/// modules; a licence listing refuses every act except an open-licence declaration when the listed licence is
/// non-exclusive.
interface IExchange {
    // ---------------------------------------------------------------- events

    /// @notice The admin allowed or disallowed a settlement token for new listings.
    event TokenAllowed(address indexed token, bool allowed);
    /// @notice A patent was listed. `Listing({listingId, seller, terms})` is what every later call passes back.
    event Listed(uint256 indexed listingId, uint256 indexed patentId, address indexed seller, ListingParams terms);
    /// @notice The seller or the listing venue withdrew an open listing; the patent is unlocked.
    event ListingCancelled(uint256 indexed listingId, uint256 indexed patentId, address indexed by);
    /// @notice An open listing past its expiry was closed; the patent is unlocked.
    event ListingExpired(uint256 indexed listingId, uint256 indexed patentId, address indexed by);
    /// @notice A buyer made an on-chain offer; `offer.price` of `offer.token` is escrowed.
    event OfferMade(uint256 indexed offerId, uint256 indexed listingId, address indexed buyer, OfferTerms offer);
    /// @notice The buyer withdrew an offer; its funds were credited back to the buyer's balance.
    event OfferCancelled(uint256 indexed offerId, uint256 indexed listingId, address indexed buyer, uint256 refund);
    /// @notice The seller accepted an on-chain offer (the trade follows in `ListingSettled`).
    event OfferAccepted(uint256 indexed offerId, uint256 indexed listingId, address indexed buyer);
    /// @notice The seller accepted a signed offer; `digest` is its EIP-712 hash.
    event SignedOfferAccepted(
        uint256 indexed listingId, address indexed buyer, uint256 indexed nonce, bytes32 digest
    );
    /// @notice A buyer cancelled one nonce of its signed offers.
    event SignedOfferCancelled(address indexed buyer, uint256 indexed nonce);
    /// @notice A buyer invalidated every signed offer with a nonce below `minNonce`.
    event NonceBumped(address indexed buyer, uint256 minNonce);
    /// @notice A listing was sold: a licence granted (status Settled) or a transfer agreed (status Pending).
    event ListingSettled(uint256 indexed listingId, uint256 indexed patentId, address indexed buyer, Trade trade);
    /// @notice The payment of a trade was divided and credited (licence: at once; sale: on registration).
    event ProceedsCredited(uint256 indexed listingId, address indexed token, Payouts payouts);
    /// @notice CNIPA refused the agreed transfer: the buyer was credited the full price, the patent unlocked.
    event SaleRefunded(
        uint256 indexed listingId, uint256 indexed transferId, address indexed buyer, address token, uint256 amount
    );
    /// @notice An account withdrew its balance of a token.
    event Withdrawn(address indexed account, address indexed token, uint256 amount);

    // ---------------------------------------------------------------- errors

    error ExchangeTokenNotAllowed(address token);
    error ExchangeNotOwner(uint256 patentId, address caller, address owner);
    error ExchangeZeroPrice();
    /// @notice The patent has been listed `LISTINGS_PER_PATENT - 1` times.
    error ExchangeTooManyListings(uint256 patentId);
    /// @notice Sublicences are granted by licensees, not listed by owners.
    error ExchangeLicenceKindNotListable(LicenceKind kind);
    error ExchangeBadExpiry(uint64 expiry, uint256 now);
    error ExchangeNotVenue(address venue);
    error ExchangeBrokerNotOfVenue(address venue, address broker);
    error ExchangeListingMismatch(uint256 listingId, uint256 patentId);
    error ExchangeListingNotOpen(uint256 listingId, ListingStatus status);
    error ExchangeListingExpired(uint256 listingId, uint64 expiry);
    error ExchangeListingNotExpired(uint256 listingId, uint64 expiry);
    error ExchangeNotSeller(uint256 listingId, address caller);
    error ExchangeNotSellerOrVenue(uint256 listingId, address caller);
    error ExchangeBuyerIsSeller(uint256 listingId, address buyer);
    error ExchangePriceMismatch(uint256 listingId, uint256 price, uint256 listedPrice);
    error ExchangeWrongToken(uint256 listingId, address token, address listedToken);
    error ExchangeOfferMismatch(uint256 offerId);
    error ExchangeOfferNotOpen(uint256 offerId, OfferStatus status);
    error ExchangeOfferForOtherListing(uint256 offerId, uint256 offerListingId, uint256 listingId);
    error ExchangeNotBuyer(uint256 offerId, address caller, address buyer);
    error ExchangeSignatureExpired(uint256 deadline, uint256 now);
    error ExchangeInvalidSigner(address buyer, address signer);
    error ExchangeNonceUsed(address buyer, uint256 nonce);
    error ExchangeNonceBelowMinimum(address buyer, uint256 nonce, uint256 minNonce);
    error ExchangeNonceNotAbove(address buyer, uint256 minNonce, uint256 currentMinNonce);
    error ExchangeNothingToWithdraw(address account, address token);
    error ExchangeNotRegistry(address caller);
    error ExchangeUnknownSale(uint256 transferId);
    /// @notice The guard refuses `act` on a listed patent.
    error ExchangePatentListed(uint256 patentId, Act act);

    // ---------------------------------------------------------------- admin

    /// @notice Allows or disallows `token` as the settlement token of new listings (admin). Only standard
    /// ERC-20s: the exchange credits the amounts it asked for, so fee-on-transfer or rebasing tokens must not
    /// be allowed. Disallowing a token leaves existing listings, offers and balances in it intact.
    function allowToken(IERC20 token, bool allowed) external;

    // ---------------------------------------------------------------- sellers and venues

    /// @notice The patent's owner lists it through `params.venue` (an account with Roles.VENUE or, when a broker
    /// is named, the venue that accredits the broker; the trade checks the venue is open); locks it with
    /// LOCK_LISTED (Act.List, so a pledged patent needs the pledgee's consent to the listing). The venue's fee
    /// and the brokers' shares are read when the trade is made.
    function list(ListingParams calldata params) external returns (uint256 listingId);

    /// @notice The seller, or the listing venue, withdraws an open listing; unlocks the patent.
    function cancel(Listing calldata listing) external;

    /// @notice Anyone closes an open listing at or after its expiry; unlocks the patent.
    function expire(Listing calldata listing) external;

    // ---------------------------------------------------------------- buyers

    /// @notice Buys at the listed price; `price` must equal it. Pulls the price with `transferFrom`.
    function buy(Listing calldata listing, address buyerVenue, address broker, uint96 price) external;

    /// @notice Makes an on-chain offer in the listing's token; escrows `price` with `transferFrom`.
    function makeOffer(Listing calldata listing, address buyerVenue, address broker, uint96 price)
        external
        returns (uint256 offerId);

    /// @notice The buyer withdraws an open offer; the escrow is credited back to its balance.
    function cancelOffer(uint256 offerId, OfferTerms calldata offer) external;

    /// @notice The buyer invalidates its signed offer with `nonce`.
    function cancelSignedOffer(uint256 nonce) external;

    /// @notice The buyer invalidates every signed offer with a nonce below `minNonce`.
    function bumpNonce(uint256 minNonce) external;

    /// @notice Withdraws the caller's whole balance of `token`.
    function withdraw(IERC20 token) external;

    // ---------------------------------------------------------------- sellers accept

    /// @notice The seller accepts an open on-chain offer on an open listing; settles with the escrowed funds.
    function acceptOffer(Listing calldata listing, uint256 offerId, OfferTerms calldata offer) external;

    /// @notice The seller accepts an offer signed by `offer.buyer` (EIP-712); pulls `offer.price` from the buyer
    /// with `transferFrom` and settles.
    function acceptSignedOffer(Listing calldata listing, SignedOffer calldata offer, bytes calldata signature)
        external;

    // ---------------------------------------------------------------- views

    function isTokenAllowed(address token) external view returns (bool);

    /// @notice The stored word of the patent's current (or last) listing: hash (high 232 bits), the patent's
    /// listing sequence number (bits 8-23) and flags (bits 0-7).
    function listingSlot(uint256 patentId) external view returns (bytes32);

    /// @notice Status of `listing` if it is the patent's current (or last) listing, else None.
    function listingStatus(Listing calldata listing) external view returns (ListingStatus);

    function offerStatus(uint256 offerId, OfferTerms calldata offer) external view returns (OfferStatus);

    function sale(uint256 transferId) external view returns (SaleEscrow memory);

    function balanceOf(address account, address token) external view returns (uint256);

    /// @notice Signed offers of `buyer` with a nonce below this are invalid.
    function minNonce(address buyer) external view returns (uint256);

    function isNonceUsed(address buyer, uint256 nonce) external view returns (bool);

    /// @notice EIP-712 digest of a signed offer under this contract's domain.
    function hashSignedOffer(SignedOffer calldata offer) external view returns (bytes32);

    function offerCount() external view returns (uint256);
}
