// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";

import {IExchange} from "../interfaces/IExchange.sol";
import {IEncumbranceGuard, ITransferObserver} from "../interfaces/IEncumbranceGuard.sol";
import {IPatentRegistry} from "../interfaces/IPatentRegistry.sol";
import {ILicensing} from "../interfaces/ILicensing.sol";
import {IPledges} from "../interfaces/IPledges.sol";
import {IVenues} from "../interfaces/IVenues.sol";
import {Roles} from "../access/Roles.sol";
import {Act, LOCK_LISTED, LOCK_PLEDGED} from "../libraries/PatentTypes.sol";
import {FeeMethod, FeeTerms, FeeTrigger, LicenceGrant, LicenceKind} from "../libraries/LicenceTypes.sol";
import {ActConsent, ProceedsRoute} from "../libraries/PledgeTypes.sol";
import {FeeSplit, MarketFees} from "../libraries/MarketFees.sol";
import {
    Listing,
    ListingKind,
    ListingParams,
    ListingStatus,
    OfferStatus,
    OfferTerms,
    Payouts,
    SaleEscrow,
    SignedOffer,
    Trade,
    TradePath
} from "../libraries/ExchangeTypes.sol";

/// @title Exchange
/// @notice The unified Sichuan–Chongqing patent exchange. See {IExchange}.
/// @dev Gas choice (measured, bench/gas/exchange.ts): a listing is one storage word per patent: the high 232 bits
/// of `keccak256(abi.encode(listing))`, the patent's listing sequence number (bits 8-23, which makes the listing
/// id without a global counter) and flags (bits 0-3 the status, bits 4-5 what the guard must know: sale,
/// exclusive/sole licence, non-exclusive licence). The full terms are emitted in `Listed` and passed back as
/// calldata; the 232-bit hash binds them. A listing measures 98,538-98,884 gas (target 100,000; Molecule's
/// IP-NFT marketplace ~149,000); storing the terms field by field would cost about seven more new slots
/// (~150,000 gas), and a global listing counter 5,000 more. The owner check uses the owner the registry's
/// `lock` returns (no separate `ownerOf` call). The listing checks the venue's role only (the fee and brokers'
/// shares are read at the trade). The slot is keyed by the patent: the one LOCK_LISTED bit
/// allows one open listing per patent anyway, and re-listing a patent rewrites a non-zero word (cheaper). Ended
/// listings keep their final status until the patent is listed again; their history is in the events.
/// On-chain offers are one word each in the same way. Patent sales awaiting registration keep their escrow in
/// full (`SaleEscrow`), because the registry's callback carries only the transfer id.
contract Exchange is
    IExchange,
    IEncumbranceGuard,
    ITransferObserver,
    AccessManaged,
    ReentrancyGuardTransient,
    EIP712
{
    using SafeERC20 for IERC20;

    /// @notice EIP-712 type of a signed offer.
    bytes32 public constant OFFER_TYPEHASH = keccak256(
        "Offer(uint256 listingId,address buyer,address buyerVenue,address broker,uint256 price,address token,"
        "uint256 nonce,uint256 deadline)"
    );

    /// @notice Listing ids are `patentId * LISTINGS_PER_PATENT + n` for the patent's n-th listing (n from 1).
    uint256 public constant LISTINGS_PER_PATENT = 10_000;

    uint256 private constant FLAGS_MASK = 0xff;
    uint256 private constant SEQUENCE_MASK = 0xffff00;
    uint256 private constant HASH_MASK = ~uint256(0xffffff);
    uint256 private constant STATUS_MASK = 0x0f;
    uint256 private constant KIND_MASK = 0x30;
    uint256 private constant KIND_SALE = 0x00;
    uint256 private constant KIND_STRONG_LICENCE = 0x10; // exclusive or sole
    uint256 private constant KIND_PLAIN_LICENCE = 0x20; // non-exclusive

    // solhint-disable immutable-vars-naming
    IPatentRegistry public immutable registry;
    ILicensing public immutable licensing;
    IVenues public immutable venues;
    // solhint-enable immutable-vars-naming

    mapping(uint256 patentId => bytes32 word) private _listings;
    mapping(uint256 offerId => bytes32 word) private _offers;
    mapping(uint256 transferId => SaleEscrow) private _sales;
    mapping(address account => mapping(address token => uint256)) private _balances;
    mapping(address token => bool) private _allowedTokens;
    mapping(address buyer => uint256) private _minNonces;
    mapping(address buyer => mapping(uint256 nonce => bool)) private _usedNonces;
    uint256 private _offerCount;

    modifier onlyRegistry() {
        if (msg.sender != address(registry)) revert ExchangeNotRegistry(msg.sender);
        _;
    }

    constructor(address authority, IPatentRegistry registry_, ILicensing licensing_, IVenues venues_)
        AccessManaged(authority)
        EIP712("Tianfu Exchange", "1")
    {
        registry = registry_;
        licensing = licensing_;
        venues = venues_;
    }

    // ================================================================ admin

    /// @inheritdoc IExchange
    function allowToken(IERC20 token, bool allowed) external restricted {
        _allowedTokens[address(token)] = allowed;
        emit TokenAllowed(address(token), allowed);
    }

    // ================================================================ listings

    /// @inheritdoc IExchange
    function list(ListingParams calldata params) external returns (uint256 listingId) {
        if (!_allowedTokens[params.token]) revert ExchangeTokenNotAllowed(params.token);
        if (params.price == 0) revert ExchangeZeroPrice();
        if (params.expiry <= block.timestamp) revert ExchangeBadExpiry(params.expiry, block.timestamp);
        uint256 patentId = params.patentId;
        uint256 sequence = ((uint256(_listings[patentId]) & SEQUENCE_MASK) >> 8) + 1;
        if (sequence == LISTINGS_PER_PATENT) revert ExchangeTooManyListings(patentId);
        listingId = patentId * LISTINGS_PER_PATENT + sequence;
        // The registry's lock first: it returns the owner (no separate ownerOf call) and warms the access manager
        // that the venue check reads next. A caller who is not the owner reverts here, undoing the lock.
        (, address owner) = registry.lock(patentId, LOCK_LISTED, Act.List, address(0));
        if (msg.sender != owner) revert ExchangeNotOwner(patentId, msg.sender, owner);
        if (params.broker != address(0)) {
            // accredited by the venue, which had to be open to accredit it (the trade re-checks the venue)
            _brokerShare(params.venue, params.broker);
        } else {
            (bool isVenue,) = IAccessManager(authority()).hasRole(Roles.VENUE, params.venue);
            if (!isVenue) revert ExchangeNotVenue(params.venue);
        }
        Listing memory listing = Listing({listingId: uint64(listingId), seller: msg.sender, terms: params});
        uint256 kind = KIND_SALE;
        if (params.kind == ListingKind.Licence) {
            LicenceKind lk = params.licenceKind;
            if (lk == LicenceKind.Sublicence) revert ExchangeLicenceKindNotListable(lk);
            kind = lk == LicenceKind.NonExclusive ? KIND_PLAIN_LICENCE : KIND_STRONG_LICENCE;
        }
        _listings[patentId] = bytes32(
            (uint256(keccak256(abi.encode(listing))) & HASH_MASK) | (sequence << 8) | kind | uint256(ListingStatus.Open)
        );
        emit Listed(listingId, patentId, msg.sender, listing.terms);
    }

    /// @inheritdoc IExchange
    function cancel(Listing calldata listing) external nonReentrant {
        uint256 patentId = _requireStatus(listing, ListingStatus.Open);
        if (msg.sender != listing.seller && msg.sender != listing.terms.venue) {
            revert ExchangeNotSellerOrVenue(listing.listingId, msg.sender);
        }
        _setStatus(patentId, ListingStatus.Cancelled);
        registry.unlock(patentId, LOCK_LISTED);
        emit ListingCancelled(listing.listingId, patentId, msg.sender);
    }

    /// @inheritdoc IExchange
    function expire(Listing calldata listing) external nonReentrant {
        uint256 patentId = _requireStatus(listing, ListingStatus.Open);
        if (block.timestamp < listing.terms.expiry) {
            revert ExchangeListingNotExpired(listing.listingId, listing.terms.expiry);
        }
        _setStatus(patentId, ListingStatus.Expired);
        registry.unlock(patentId, LOCK_LISTED);
        emit ListingExpired(listing.listingId, patentId, msg.sender);
    }

    // ================================================================ buyers

    /// @inheritdoc IExchange
    function buy(Listing calldata listing, address buyerVenue, address broker, uint96 price) external nonReentrant {
        _requireLive(listing);
        if (price != listing.terms.price) revert ExchangePriceMismatch(listing.listingId, price, listing.terms.price);
        Trade memory trade = _trade(listing, msg.sender, buyerVenue, broker, price, TradePath.Buy, 0);
        IERC20(listing.terms.token).safeTransferFrom(msg.sender, address(this), price);
        _settle(listing, msg.sender, trade);
    }

    /// @inheritdoc IExchange
    function makeOffer(Listing calldata listing, address buyerVenue, address broker, uint96 price)
        external
        nonReentrant
        returns (uint256 offerId)
    {
        _requireLive(listing);
        if (price == 0) revert ExchangeZeroPrice();
        _trade(listing, msg.sender, buyerVenue, broker, price, TradePath.Buy, 0); // checks as a buy would
        offerId = ++_offerCount;
        OfferTerms memory offer = OfferTerms({
            listingId: listing.listingId,
            buyer: msg.sender,
            buyerVenue: buyerVenue,
            broker: broker,
            token: listing.terms.token,
            price: price
        });
        _offers[offerId] = bytes32((uint256(keccak256(abi.encode(offer))) & ~FLAGS_MASK) | uint256(OfferStatus.Open));
        emit OfferMade(offerId, listing.listingId, msg.sender, offer);
        IERC20(offer.token).safeTransferFrom(msg.sender, address(this), price);
    }

    /// @inheritdoc IExchange
    function cancelOffer(uint256 offerId, OfferTerms calldata offer) external nonReentrant {
        _requireOpenOffer(offerId, offer);
        if (msg.sender != offer.buyer) revert ExchangeNotBuyer(offerId, msg.sender, offer.buyer);
        _setOfferStatus(offerId, OfferStatus.Cancelled);
        _balances[offer.buyer][offer.token] += offer.price;
        emit OfferCancelled(offerId, offer.listingId, offer.buyer, offer.price);
    }

    /// @inheritdoc IExchange
    function cancelSignedOffer(uint256 nonce) external {
        _requireFreshNonce(msg.sender, nonce);
        _usedNonces[msg.sender][nonce] = true;
        emit SignedOfferCancelled(msg.sender, nonce);
    }

    /// @inheritdoc IExchange
    function bumpNonce(uint256 minNonce_) external {
        uint256 current = _minNonces[msg.sender];
        if (minNonce_ <= current) revert ExchangeNonceNotAbove(msg.sender, minNonce_, current);
        _minNonces[msg.sender] = minNonce_;
        emit NonceBumped(msg.sender, minNonce_);
    }

    /// @inheritdoc IExchange
    function withdraw(IERC20 token) external nonReentrant {
        uint256 amount = _balances[msg.sender][address(token)];
        if (amount == 0) revert ExchangeNothingToWithdraw(msg.sender, address(token));
        _balances[msg.sender][address(token)] = 0;
        emit Withdrawn(msg.sender, address(token), amount);
        token.safeTransfer(msg.sender, amount);
    }

    // ================================================================ sellers accept

    /// @inheritdoc IExchange
    function acceptOffer(Listing calldata listing, uint256 offerId, OfferTerms calldata offer) external nonReentrant {
        _requireLive(listing);
        if (msg.sender != listing.seller) revert ExchangeNotSeller(listing.listingId, msg.sender);
        _requireOpenOffer(offerId, offer);
        if (offer.listingId != listing.listingId) {
            revert ExchangeOfferForOtherListing(offerId, offer.listingId, listing.listingId);
        }
        Trade memory trade =
            _trade(listing, offer.buyer, offer.buyerVenue, offer.broker, offer.price, TradePath.Offer, offerId);
        _setOfferStatus(offerId, OfferStatus.Accepted);
        emit OfferAccepted(offerId, listing.listingId, offer.buyer);
        _settle(listing, offer.buyer, trade);
    }

    /// @inheritdoc IExchange
    function acceptSignedOffer(Listing calldata listing, SignedOffer calldata offer, bytes calldata signature)
        external
        nonReentrant
    {
        _requireLive(listing);
        if (msg.sender != listing.seller) revert ExchangeNotSeller(listing.listingId, msg.sender);
        if (offer.listingId != listing.listingId) {
            revert ExchangeOfferForOtherListing(0, offer.listingId, listing.listingId);
        }
        if (block.timestamp > offer.deadline) revert ExchangeSignatureExpired(offer.deadline, block.timestamp);
        if (offer.token != listing.terms.token) {
            revert ExchangeWrongToken(listing.listingId, offer.token, listing.terms.token);
        }
        address buyer = offer.buyer;
        _requireFreshNonce(buyer, offer.nonce);
        bytes32 digest = hashSignedOffer(offer);
        address signer = ECDSA.recover(digest, signature);
        if (signer != buyer) revert ExchangeInvalidSigner(buyer, signer);
        uint96 price = SafeCast.toUint96(offer.price);
        if (price == 0) revert ExchangeZeroPrice();
        Trade memory trade =
            _trade(listing, buyer, offer.buyerVenue, offer.broker, price, TradePath.SignedOffer, offer.nonce);
        _usedNonces[buyer][offer.nonce] = true;
        emit SignedOfferAccepted(listing.listingId, buyer, offer.nonce, digest);
        IERC20(listing.terms.token).safeTransferFrom(buyer, address(this), price);
        _settle(listing, buyer, trade);
    }

    // ================================================================ guard and observer

    /// @inheritdoc IEncumbranceGuard
    /// @dev A sale listing refuses every act; a licence listing refuses every act except an open-licence
    /// declaration when the listed licence is non-exclusive (open licences are non-exclusive and only bar
    /// exclusive or sole grants). The guard cannot see the kind and scope of a licence another module is about to
    /// grant, so it refuses every licence grant while a licence is listed. The exchange's own acts (the lock,
    /// the agreed transfer of a sale) are never put to it by the registry; it lifts the lock before granting a
    /// listed licence.
    function authorise(uint256 patentId, Act act, address, address) external view onlyRegistry returns (address) {
        if (uint256(_listings[patentId]) & KIND_MASK == KIND_PLAIN_LICENCE && act == Act.OpenLicence) {
            return address(0);
        }
        revert ExchangePatentListed(patentId, act);
    }

    /// @inheritdoc IEncumbranceGuard
    /// @dev Only a sale agreed through the exchange can move a listed patent: the lock is lifted here.
    function onPatentTransferred(uint256 patentId, address, address) external onlyRegistry nonReentrant {
        registry.unlock(patentId, LOCK_LISTED);
    }

    /// @inheritdoc ITransferObserver
    function onTransferRegistered(uint256 transferId, uint256 patentId) external onlyRegistry nonReentrant {
        SaleEscrow storage e = _pendingSale(transferId);
        e.status = ListingStatus.Settled;
        _setStatus(patentId, ListingStatus.Settled);
        _payOut(patentId, e);
    }

    /// @inheritdoc ITransferObserver
    function onTransferRefused(uint256 transferId, uint256 patentId) external onlyRegistry nonReentrant {
        SaleEscrow storage e = _pendingSale(transferId);
        e.status = ListingStatus.Refused;
        _setStatus(patentId, ListingStatus.Refused);
        registry.unlock(patentId, LOCK_LISTED);
        (address buyer, address token, uint256 price) = (e.buyer, e.token, e.price);
        _balances[buyer][token] += price;
        emit SaleRefunded(e.listingId, transferId, buyer, token, price);
    }

    // ================================================================ views

    /// @inheritdoc IExchange
    function isTokenAllowed(address token) external view returns (bool) {
        return _allowedTokens[token];
    }

    /// @inheritdoc IExchange
    function listingSlot(uint256 patentId) external view returns (bytes32) {
        return _listings[patentId];
    }

    /// @inheritdoc IExchange
    function listingStatus(Listing calldata listing) external view returns (ListingStatus) {
        uint256 word = uint256(_listings[listing.terms.patentId]);
        if ((word ^ uint256(keccak256(abi.encode(listing)))) >> 24 != 0) return ListingStatus.None;
        return ListingStatus(word & STATUS_MASK);
    }

    /// @inheritdoc IExchange
    function offerStatus(uint256 offerId, OfferTerms calldata offer) external view returns (OfferStatus) {
        uint256 word = uint256(_offers[offerId]);
        if ((word ^ uint256(keccak256(abi.encode(offer)))) >> 8 != 0) return OfferStatus.None;
        return OfferStatus(word & STATUS_MASK);
    }

    /// @inheritdoc IExchange
    function sale(uint256 transferId) external view returns (SaleEscrow memory) {
        return _sales[transferId];
    }

    /// @inheritdoc IExchange
    function balanceOf(address account, address token) external view returns (uint256) {
        return _balances[account][token];
    }

    /// @inheritdoc IExchange
    function minNonce(address buyer) external view returns (uint256) {
        return _minNonces[buyer];
    }

    /// @inheritdoc IExchange
    function isNonceUsed(address buyer, uint256 nonce) external view returns (bool) {
        return _usedNonces[buyer][nonce];
    }

    /// @inheritdoc IExchange
    function hashSignedOffer(SignedOffer calldata offer) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(OFFER_TYPEHASH, offer)));
    }

    /// @inheritdoc IExchange
    function offerCount() external view returns (uint256) {
        return _offerCount;
    }

    // ================================================================ internals

    /// @dev Checks the buyer's side and fixes the trade's terms: the listing venue's fee and both brokers' shares
    /// are read now. A broker named now (`strict`) must be accredited by the buyer's venue; a listing broker, or the
    /// broker of an escrowed offer, whose accreditation has since ended gets nothing (its venue keeps the part).
    function _trade(
        Listing calldata listing,
        address buyer,
        address buyerVenue,
        address broker,
        uint96 price,
        TradePath path,
        uint256 ref
    ) private view returns (Trade memory trade) {
        if (buyer == listing.seller) revert ExchangeBuyerIsSeller(listing.listingId, buyer);
        if (!venues.isVenue(buyerVenue)) revert ExchangeNotVenue(buyerVenue);
        ListingParams calldata t = listing.terms;
        trade.kind = t.kind;
        trade.path = path;
        trade.ref = ref;
        trade.buyerVenue = buyerVenue;
        trade.buyerBroker = broker;
        trade.feeBps = _feeOf(t.venue);
        trade.listingBrokerBps = _currentShare(t.venue, t.broker);
        trade.buyerBrokerBps =
            path == TradePath.Offer ? _currentShare(buyerVenue, broker) : _strictShare(buyerVenue, broker);
        trade.token = t.token;
        trade.price = price;
    }

    /// @dev The funds are held by the exchange. Licence: grant and pay out. Sale: agree the transfer and escrow.
    function _settle(Listing calldata listing, address buyer, Trade memory trade) private {
        ListingParams calldata t = listing.terms;
        uint256 patentId = t.patentId;
        SaleEscrow memory e = SaleEscrow({
            buyer: buyer,
            listingId: listing.listingId,
            status: ListingStatus.Pending,
            token: t.token,
            feeBps: trade.feeBps,
            listingBrokerBps: trade.listingBrokerBps,
            buyerBrokerBps: trade.buyerBrokerBps,
            payee: listing.seller,
            price: trade.price,
            listingVenue: t.venue,
            buyerVenue: trade.buyerVenue,
            listingBroker: t.broker,
            buyerBroker: trade.buyerBroker
        });
        if (t.kind == ListingKind.Licence) {
            _settleLicence(listing, buyer, trade, e);
        } else {
            _setStatus(patentId, ListingStatus.Pending);
            address proceedsTo = _saleProceedsTo(patentId, buyer);
            if (proceedsTo != address(0)) e.payee = proceedsTo;
            uint256 transferId = registry.agreeTransfer(patentId, buyer, t.contractHash);
            _sales[transferId] = e;
            trade.rightId = transferId;
            emit ListingSettled(listing.listingId, patentId, buyer, trade);
        }
    }

    /// @dev Lifts the lock, grants the listed licence and pays out; proceeds follow a pledgee's consent.
    function _settleLicence(Listing calldata listing, address buyer, Trade memory trade, SaleEscrow memory e) private {
        ListingParams calldata t = listing.terms;
        uint256 patentId = t.patentId;
        _setStatus(patentId, ListingStatus.Settled);
        registry.unlock(patentId, LOCK_LISTED);
        uint256 licenceId = licensing.grantFor(
            patentId,
            LicenceGrant({
                licensee: buyer,
                kind: t.licenceKind,
                sublicensable: t.sublicensable,
                scope: t.scope,
                fee: FeeTerms({
                    method: FeeMethod.LumpSum,
                    trigger: FeeTrigger.None,
                    royaltyBps: 0,
                    triggerDay: 0,
                    amount: 0
                }),
                token: t.token,
                contractHash: t.contractHash
            })
        );
        address proceedsTo = licensing.licence(licenceId).proceedsTo;
        if (proceedsTo != address(0)) e.payee = proceedsTo;
        e.status = ListingStatus.Settled;
        trade.rightId = licenceId;
        emit ListingSettled(listing.listingId, patentId, buyer, trade);
        _payOut(patentId, e);
    }

    /// @dev Divides the price and credits every party; proceeds routed to the Pledges contract are deposited there.
    function _payOut(uint256 patentId, SaleEscrow memory e) private {
        FeeSplit memory s =
            MarketFees.split(e.price, e.feeBps, e.listingBrokerBps, e.buyerBrokerBps, e.listingVenue == e.buyerVenue);
        address token = e.token;
        bool escrowed = e.payee != address(0) && e.payee == registry.lockModule(LOCK_PLEDGED);
        _credit(e.listingVenue, token, s.listingVenue);
        _credit(e.buyerVenue, token, s.buyerVenue);
        _credit(e.listingBroker, token, s.listingBroker);
        _credit(e.buyerBroker, token, s.buyerBroker);
        if (!escrowed) _credit(e.payee, token, s.seller);
        emit ProceedsCredited(
            e.listingId,
            token,
            Payouts({
                payee: e.payee,
                payeeAmount: s.seller,
                payeeEscrowed: escrowed,
                listingVenue: e.listingVenue,
                listingVenueAmount: s.listingVenue,
                buyerVenue: e.buyerVenue,
                buyerVenueAmount: s.buyerVenue,
                listingBroker: e.listingBroker,
                listingBrokerAmount: s.listingBroker,
                buyerBroker: e.buyerBroker,
                buyerBrokerAmount: s.buyerBroker
            })
        );
        if (escrowed && s.seller != 0) {
            IERC20(token).forceApprove(e.payee, s.seller);
            IPledges(e.payee).depositProceeds(patentId, IERC20(token), s.seller);
        }
    }

    function _credit(address account, address token, uint256 amount) private {
        if (amount != 0) _balances[account][token] += amount;
    }

    /// @dev Where the pledgee's consent to the sale routes its proceeds: the consent that the registry's guard
    /// will use when the transfer is agreed (exact counterparty first, then any). Read before agreeing, because
    /// `agreeTransfer` does not return it and asking `authoriseAct` first would use the consent up.
    function _saleProceedsTo(uint256 patentId, address buyer) private view returns (address) {
        if (!registry.isLocked(patentId, LOCK_PLEDGED)) return address(0);
        IPledges pledges = IPledges(registry.lockModule(LOCK_PLEDGED));
        uint256 pledgeId = pledges.activePledgeOf(patentId);
        if (pledgeId == 0) return address(0);
        ActConsent memory c = pledges.actConsent(pledgeId, patentId, Act.Transfer, buyer);
        if (!c.given) c = pledges.actConsent(pledgeId, patentId, Act.Transfer, address(0));
        if (!c.given) return address(0); // the registry will refuse the transfer
        return c.route == ProceedsRoute.EarlyRepayment ? pledges.pledge(pledgeId).pledgee : address(pledges);
    }

    function _pendingSale(uint256 transferId) private view returns (SaleEscrow storage e) {
        e = _sales[transferId];
        if (e.status != ListingStatus.Pending) revert ExchangeUnknownSale(transferId);
    }

    /// @dev The listing matches the patent's stored word and is open before its expiry.
    function _requireLive(Listing calldata listing) private view {
        _requireStatus(listing, ListingStatus.Open);
        if (block.timestamp >= listing.terms.expiry) {
            revert ExchangeListingExpired(listing.listingId, listing.terms.expiry);
        }
    }

    function _requireStatus(Listing calldata listing, ListingStatus expected) private view returns (uint256 patentId) {
        patentId = listing.terms.patentId;
        uint256 word = uint256(_listings[patentId]);
        if (word == 0 || (word ^ uint256(keccak256(abi.encode(listing)))) >> 24 != 0) {
            revert ExchangeListingMismatch(listing.listingId, patentId);
        }
        ListingStatus status = ListingStatus(word & STATUS_MASK);
        if (status != expected) revert ExchangeListingNotOpen(listing.listingId, status);
    }

    function _setStatus(uint256 patentId, ListingStatus status) private {
        _listings[patentId] = bytes32((uint256(_listings[patentId]) & ~STATUS_MASK) | uint256(status));
    }

    function _requireOpenOffer(uint256 offerId, OfferTerms calldata offer) private view {
        uint256 word = uint256(_offers[offerId]);
        if (word == 0 || (word ^ uint256(keccak256(abi.encode(offer)))) >> 8 != 0) {
            revert ExchangeOfferMismatch(offerId);
        }
        OfferStatus status = OfferStatus(word & STATUS_MASK);
        if (status != OfferStatus.Open) revert ExchangeOfferNotOpen(offerId, status);
    }

    function _setOfferStatus(uint256 offerId, OfferStatus status) private {
        _offers[offerId] = bytes32((uint256(_offers[offerId]) & ~STATUS_MASK) | uint256(status));
    }

    function _requireFreshNonce(address buyer, uint256 nonce) private view {
        uint256 min = _minNonces[buyer];
        if (nonce < min) revert ExchangeNonceBelowMinimum(buyer, nonce, min);
        if (_usedNonces[buyer][nonce]) revert ExchangeNonceUsed(buyer, nonce);
    }

    function _feeOf(address venue) private view returns (uint16) {
        try venues.feeBps(venue) returns (uint16 fee) {
            return fee;
        } catch {
            revert ExchangeNotVenue(venue);
        }
    }

    function _brokerShare(address venue, address broker) private view returns (uint16) {
        (address accreditedBy, uint16 share) = venues.brokerOf(broker);
        if (accreditedBy != venue) revert ExchangeBrokerNotOfVenue(venue, broker);
        return share;
    }

    function _strictShare(address venue, address broker) private view returns (uint16) {
        return broker == address(0) ? 0 : _brokerShare(venue, broker);
    }

    function _currentShare(address venue, address broker) private view returns (uint16) {
        if (broker == address(0)) return 0;
        (address accreditedBy, uint16 share) = venues.brokerOf(broker);
        return accreditedBy == venue ? share : 0;
    }
}
