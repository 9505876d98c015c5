// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IAuctionHouse} from "../interfaces/IAuctionHouse.sol";
import {IEncumbranceGuard, ITransferObserver} from "../interfaces/IEncumbranceGuard.sol";
import {IPatentRegistry} from "../interfaces/IPatentRegistry.sol";
import {IPledgeDisposal, IPledgeDisposalCallback} from "../interfaces/IPledgeDisposal.sol";
import {IPledges} from "../interfaces/IPledges.sol";
import {IVenues} from "../interfaces/IVenues.sol";
import {
    Auction, AuctionKind, AuctionPayouts, AuctionRules, AuctionStatus, AuctionTerms
} from "../libraries/AuctionTypes.sol";
import {FeeSplit, MarketFees} from "../libraries/MarketFees.sol";
import {Act, LOCK_AUCTION, LOCK_DISPOSAL, LOCK_PLEDGED} from "../libraries/PatentTypes.sol";
import {Pledge} from "../libraries/PledgeTypes.sol";

/// @title AuctionHouse
/// @notice English auctions of patents: pledge disposals (`LOCK_DISPOSAL`) and owner auctions through a
/// listing venue (`LOCK_AUCTION`). Guard of both bits. See {IAuctionHouse} and docs/auctions.md.
contract AuctionHouse is
    IAuctionHouse,
    IPledgeDisposal,
    IEncumbranceGuard,
    ITransferObserver,
    AccessManaged,
    ReentrancyGuardTransient
{
    using SafeERC20 for IERC20;

    /// @notice Largest increment an owner may set (50% of the highest bid).
    uint16 public constant MAX_INCREMENT_BPS = 5_000;
    /// @notice Longest bidding period (start to end) and longest extension an owner may set.
    uint64 public constant MAX_DURATION = 90 days;
    uint64 public constant MAX_EXTENSION = 7 days;
    /// @notice Longest extension window the admin may set.
    uint32 public constant MAX_WINDOW = 1 days;

    IPatentRegistry public immutable REGISTRY;
    IVenues public immutable VENUES;
    /// @notice The Pledges contract: the only caller of `startDisposal`, paid through its callbacks.
    address public immutable PLEDGES;

    mapping(uint256 auctionId => Auction) private _auctions;
    mapping(uint256 patentId => uint256 auctionId) private _activeAuction;
    mapping(address account => mapping(address token => uint256)) private _balances;
    uint256 private _auctionCount;
    AuctionRules private _rules;

    /// @dev Rules at deployment: 10-minute extension window, disposals extensible by a day, 1% increment.
    constructor(address authority, IPatentRegistry registry_, IVenues venues_, address pledges_)
        AccessManaged(authority)
    {
        REGISTRY = registry_;
        VENUES = venues_;
        PLEDGES = pledges_;
        AuctionRules memory initial =
            AuctionRules({extensionWindow: 10 minutes, disposalMaxExtension: 1 days, disposalIncrementBps: 100});
        _rules = initial;
        emit RulesSet(initial);
    }

    modifier onlyRegistry() {
        if (msg.sender != address(REGISTRY)) revert AuctionHouseNotRegistry(msg.sender);
        _;
    }

    // ================================================================ opening

    /// @inheritdoc IPledgeDisposal
    /// @dev Bids from now to `endTime` (extensible by `disposalMaxExtension`), increment
    /// `disposalIncrementBps`, no listing venue. The seller of record is the patent's owner (the
    /// pledgor), who may not bid.
    function startDisposal(uint256 pledgeId, uint256 patentId, IERC20 token, uint256 reserve, uint64 endTime)
        external
        nonReentrant
        returns (uint256 auctionId)
    {
        if (msg.sender != PLEDGES) revert AuctionHouseNotPledges(msg.sender);
        if (address(token) == address(0)) revert AuctionHouseZeroToken();
        if (reserve == 0) revert AuctionHouseZeroReserve();
        if (reserve > type(uint96).max) revert AuctionHouseAmountTooLarge(reserve);
        AuctionRules memory r = _rules;
        uint64 start = uint64(block.timestamp);
        if (endTime <= start || endTime - start > MAX_DURATION) {
            revert AuctionHouseBadSchedule(start, endTime, endTime, block.timestamp);
        }
        uint64 maxEnd = endTime + r.disposalMaxExtension;
        auctionId = ++_auctionCount;
        Auction storage a = _auctions[auctionId];
        a.patentId = uint64(patentId);
        a.startTime = start;
        a.endTime = endTime;
        a.maxEndTime = maxEnd;
        a.seller = REGISTRY.patent(patentId).owner;
        a.kind = AuctionKind.Disposal;
        a.status = AuctionStatus.Open;
        a.incrementBps = r.disposalIncrementBps;
        a.extensionWindow = r.extensionWindow;
        a.token = address(token);
        a.pledgeId = uint64(pledgeId);
        a.reserve = uint96(reserve);
        _activeAuction[patentId] = auctionId;
        // The Pledges guard permits the disposal module's acts on a Disposing patent.
        REGISTRY.lock(patentId, LOCK_DISPOSAL, Act.List, address(0));
        emit AuctionCreated(auctionId, patentId, a.seller, a);
    }

    /// @inheritdoc IAuctionHouse
    function createAuction(AuctionTerms calldata terms) external nonReentrant returns (uint256 auctionId) {
        uint256 patentId = terms.patentId;
        address owner = REGISTRY.patent(patentId).owner;
        if (msg.sender != owner) revert AuctionHouseNotOwner(patentId, msg.sender, owner);
        // The registry does not ask this house about its own acts: a disposal in progress refuses here.
        uint256 active = _activeAuction[patentId];
        if (active != 0) revert AuctionHouseUnderAuction(patentId, active);
        if (terms.token == address(0)) revert AuctionHouseZeroToken();
        if (terms.reserve == 0) revert AuctionHouseZeroReserve();
        if (terms.incrementBps == 0 || terms.incrementBps > MAX_INCREMENT_BPS) {
            revert AuctionHouseBadIncrement(terms.incrementBps, MAX_INCREMENT_BPS);
        }
        uint64 start = terms.startTime < block.timestamp ? uint64(block.timestamp) : terms.startTime;
        _checkSchedule(start, terms.endTime, terms.maxEndTime);
        (uint16 feeBps, uint16 brokerBps) = _venueTerms(terms.venue, terms.broker);

        auctionId = ++_auctionCount;
        Auction storage a = _auctions[auctionId];
        a.patentId = uint64(patentId);
        a.startTime = start;
        a.endTime = terms.endTime;
        a.maxEndTime = terms.maxEndTime;
        a.seller = owner;
        a.kind = AuctionKind.Owner;
        a.status = AuctionStatus.Open;
        a.incrementBps = terms.incrementBps;
        a.extensionWindow = _rules.extensionWindow;
        a.listingFeeBps = feeBps;
        a.listingBrokerBps = brokerBps;
        a.token = terms.token;
        a.listingVenue = terms.venue;
        a.listingBroker = terms.broker;
        a.reserve = terms.reserve;
        _activeAuction[patentId] = auctionId;
        // A pledged patent: the pledgee's consent to the listing names where the net proceeds go.
        (a.proceedsTo,) = REGISTRY.lock(patentId, LOCK_AUCTION, Act.List, address(0));
        emit AuctionCreated(auctionId, patentId, owner, a);
    }

    /// @inheritdoc IAuctionHouse
    function cancelAuction(uint256 auctionId) external nonReentrant {
        Auction storage a = _open(auctionId);
        if (a.kind != AuctionKind.Owner) revert AuctionHouseNotCancellable(auctionId);
        if (msg.sender != a.seller) revert AuctionHouseNotSeller(auctionId, msg.sender);
        if (a.bidder != address(0)) revert AuctionHouseHasBid(auctionId, a.bidder);
        a.status = AuctionStatus.Cancelled;
        uint256 patentId = a.patentId;
        _release(patentId, AuctionKind.Owner);
        emit AuctionCancelled(auctionId, patentId, msg.sender);
    }

    // ================================================================ bidding

    /// @inheritdoc IAuctionHouse
    function bid(uint256 auctionId, IERC20 token, uint256 amount, address venue, address broker)
        external
        nonReentrant
    {
        Auction storage a = _open(auctionId);
        if (block.timestamp < a.startTime) revert AuctionHouseNotStarted(auctionId, a.startTime);
        uint64 end = a.endTime;
        if (block.timestamp >= end) revert AuctionHouseEnded(auctionId, end);
        if (address(token) != a.token) revert AuctionHouseWrongToken(auctionId, address(token), a.token);
        if (msg.sender == a.seller) revert AuctionHouseSellerBid(auctionId, msg.sender);
        (address previous, uint256 previousBid) = (a.bidder, a.bid);
        uint256 minimum = _minimumBid(a.reserve, previousBid, a.incrementBps, previous != address(0));
        if (amount < minimum) {
            if (previous == address(0)) revert AuctionHouseBelowReserve(auctionId, amount, minimum);
            revert AuctionHouseBelowIncrement(auctionId, amount, minimum);
        }
        if (amount > type(uint96).max) revert AuctionHouseAmountTooLarge(amount);
        (uint16 feeBps, uint16 brokerBps) = _venueTerms(venue, broker);

        uint64 window = a.extensionWindow;
        if (end - block.timestamp < window) {
            uint64 extended = uint64(block.timestamp) + window;
            end = extended < a.maxEndTime ? extended : a.maxEndTime;
            a.endTime = end;
        }
        (a.bidder, a.bid) = (msg.sender, uint96(amount));
        (a.bidVenue, a.bidFeeBps, a.bidBrokerBps) = (venue, feeBps, brokerBps);
        if (a.bidBroker != broker) a.bidBroker = broker;
        if (previous != address(0)) _balances[previous][address(token)] += previousBid;
        emit BidPlaced(auctionId, msg.sender, venue, amount, broker, feeBps, brokerBps, end, previous, previousBid);
        token.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @inheritdoc IAuctionHouse
    function withdraw(IERC20 token) external nonReentrant {
        uint256 amount = _balances[msg.sender][address(token)];
        if (amount == 0) revert AuctionHouseNothingToWithdraw(msg.sender, address(token));
        _balances[msg.sender][address(token)] = 0;
        emit Withdrawn(msg.sender, address(token), amount);
        token.safeTransfer(msg.sender, amount);
    }

    // ================================================================ closing

    /// @inheritdoc IAuctionHouse
    function close(uint256 auctionId) external nonReentrant {
        Auction storage a = _open(auctionId);
        if (block.timestamp < a.endTime) revert AuctionHouseNotEnded(auctionId, a.endTime);
        uint256 patentId = a.patentId;
        address winner = a.bidder;
        if (winner == address(0)) {
            _endUnsold(auctionId, a, "");
            return;
        }
        if (a.proceedsTo != address(0) && !REGISTRY.isLocked(patentId, LOCK_PLEDGED)) {
            a.proceedsTo = address(0); // the pledge ended while the auction ran: the net is the seller's
        }
        bytes32 contractHash = keccak256(abi.encode(block.chainid, address(this), auctionId, winner, a.bid));
        try REGISTRY.agreeTransfer(patentId, winner, contractHash) returns (uint256 transferId) {
            a.status = AuctionStatus.Settling;
            a.transferId = uint64(transferId);
            emit AuctionClosed(auctionId, patentId, winner, a.bid, transferId);
        } catch (bytes memory reason) {
            // A refusal (patent no longer in force, a guard's refusal) ends the auction unsold; a failure
            // without data (out of gas) must not, or a closer could force it with a low gas limit.
            if (reason.length == 0) revert AuctionHouseCloseFailed(auctionId);
            _endUnsold(auctionId, a, reason);
        }
    }

    /// @inheritdoc ITransferObserver
    function onTransferRegistered(uint256 transferId, uint256 patentId) external onlyRegistry nonReentrant {
        (uint256 auctionId, Auction storage a) = _settling(transferId, patentId);
        a.status = AuctionStatus.Sold;
        AuctionKind kind = a.kind;
        _release(patentId, kind);
        address token = a.token;
        AuctionPayouts memory p = _payouts(a);
        _credit(p.listingVenue, token, p.listingVenueFee);
        _credit(p.listingBroker, token, p.listingBrokerFee);
        _credit(p.buyerVenue, token, p.buyerVenueFee);
        _credit(p.buyerBroker, token, p.buyerBrokerFee);
        emit AuctionSettled(auctionId, patentId, a.bidder, transferId, p);
        if (p.payee != PLEDGES) {
            _credit(p.payee, token, p.net);
        } else if (kind == AuctionKind.Disposal) {
            // The Pledges contract pulls the net: the pledgee up to the debt outstanding, the rest the pledgor's.
            IERC20(token).forceApprove(PLEDGES, p.net);
            IPledgeDisposalCallback(PLEDGES).onDisposalSettled(a.pledgeId, patentId, a.bidder, p.net);
        } else if (p.net != 0) {
            // A consented sale of a pledged patent with proceeds in escrow for the pledgor.
            IERC20(token).forceApprove(PLEDGES, p.net);
            IPledges(PLEDGES).depositProceeds(patentId, IERC20(token), p.net);
        }
    }

    /// @inheritdoc ITransferObserver
    function onTransferRefused(uint256 transferId, uint256 patentId) external onlyRegistry nonReentrant {
        (uint256 auctionId, Auction storage a) = _settling(transferId, patentId);
        a.status = AuctionStatus.Refused;
        (address winner, uint256 refund) = (a.bidder, a.bid);
        _balances[winner][a.token] += refund;
        AuctionKind kind = a.kind;
        _release(patentId, kind);
        emit AuctionRefused(auctionId, patentId, transferId, winner, refund);
        if (kind == AuctionKind.Disposal) IPledgeDisposalCallback(PLEDGES).onDisposalFailed(a.pledgeId, patentId);
    }

    // ================================================================ guard of LOCK_DISPOSAL and LOCK_AUCTION

    /// @inheritdoc IEncumbranceGuard
    /// @dev The registry never asks a module about its own acts, so every act asked about here is
    /// another module's: refused while an auction holds the patent.
    function authorise(uint256 patentId, Act, address, address) external view onlyRegistry returns (address) {
        revert AuctionHouseUnderAuction(patentId, _activeAuction[patentId]);
    }

    /// @inheritdoc IEncumbranceGuard
    /// @dev Only this house's own settlement can move a patent it holds; the lock is cleared in
    /// `onTransferRegistered`, which the registry calls next.
    function onPatentTransferred(uint256, address, address) external view onlyRegistry {}

    // ================================================================ admin

    /// @inheritdoc IAuctionHouse
    function setRules(AuctionRules calldata rules_) external restricted {
        if (
            rules_.extensionWindow > MAX_WINDOW || rules_.disposalMaxExtension > MAX_EXTENSION
                || rules_.disposalIncrementBps == 0 || rules_.disposalIncrementBps > MAX_INCREMENT_BPS
        ) revert AuctionHouseBadRules(rules_);
        _rules = rules_;
        emit RulesSet(rules_);
    }

    // ================================================================ views

    /// @inheritdoc IAuctionHouse
    function rules() external view returns (AuctionRules memory) {
        return _rules;
    }

    /// @inheritdoc IAuctionHouse
    function auction(uint256 auctionId) external view returns (Auction memory) {
        return _existing(auctionId);
    }

    /// @inheritdoc IAuctionHouse
    function minimumBid(uint256 auctionId) external view returns (uint256) {
        Auction storage a = _existing(auctionId);
        return _minimumBid(a.reserve, a.bid, a.incrementBps, a.bidder != address(0));
    }

    /// @inheritdoc IAuctionHouse
    function activeAuctionOf(uint256 patentId) external view returns (uint256) {
        return _activeAuction[patentId];
    }

    /// @inheritdoc IAuctionHouse
    function withdrawable(address account, IERC20 token) external view returns (uint256) {
        return _balances[account][address(token)];
    }

    /// @inheritdoc IAuctionHouse
    function auctionCount() external view returns (uint256) {
        return _auctionCount;
    }

    // ================================================================ internals

    function _checkSchedule(uint64 start, uint64 end, uint64 maxEnd) private view {
        if (
            end <= start || end - start > MAX_DURATION || maxEnd < end || maxEnd - end > MAX_EXTENSION
                || end <= block.timestamp || start - block.timestamp > MAX_DURATION
        ) revert AuctionHouseBadSchedule(start, end, maxEnd, block.timestamp);
    }

    /// @dev `venue` must be open (its fee reverts otherwise); a named broker must be accredited by it.
    /// Returns the venue's fee and the broker's share, fixed for the listing or the bid.
    function _venueTerms(address venue, address broker) private view returns (uint16 feeBps, uint16 brokerBps) {
        try VENUES.feeBps(venue) returns (uint16 bps) {
            feeBps = bps;
        } catch {
            revert AuctionHouseNotVenue(venue);
        }
        if (broker == address(0)) return (feeBps, 0);
        address brokerVenue;
        (brokerVenue, brokerBps) = VENUES.brokerOf(broker);
        if (brokerVenue != venue) revert AuctionHouseBrokerNotOfVenue(broker, venue, brokerVenue);
    }

    function _minimumBid(uint256 reserve, uint256 highest, uint16 incrementBps, bool hasBid)
        private
        pure
        returns (uint256)
    {
        if (!hasBid) return reserve;
        uint256 step = highest * incrementBps / MarketFees.WHOLE_BPS;
        return highest + (step == 0 ? 1 : step);
    }

    /// @dev Ends an open auction without a sale: refunds the highest bidder (if any) and clears the lock.
    function _endUnsold(uint256 auctionId, Auction storage a, bytes memory reason) private {
        a.status = AuctionStatus.Unsold;
        uint256 patentId = a.patentId;
        (address bidder, uint256 refund) = (a.bidder, a.bid);
        if (bidder != address(0)) _balances[bidder][a.token] += refund;
        AuctionKind kind = a.kind;
        _release(patentId, kind);
        emit AuctionUnsold(auctionId, patentId, bidder, refund, reason);
        if (kind == AuctionKind.Disposal) IPledgeDisposalCallback(PLEDGES).onDisposalFailed(a.pledgeId, patentId);
    }

    function _release(uint256 patentId, AuctionKind kind) private {
        delete _activeAuction[patentId];
        REGISTRY.unlock(patentId, kind == AuctionKind.Disposal ? LOCK_DISPOSAL : LOCK_AUCTION);
    }

    /// @dev Owner auctions: `MarketFees.split` at the listing venue's rate, shared with the winner's venue.
    /// Disposals: no listing venue, so the winner's venue takes both parts at its own rate; the pledgee's
    /// debt outstanding is paid first, so the fee is at most the part of the price above it.
    function _payouts(Auction storage a) private view returns (AuctionPayouts memory p) {
        uint256 price = a.bid;
        p.price = price;
        p.buyerVenue = a.bidVenue;
        p.buyerBroker = a.bidBroker;
        FeeSplit memory s;
        if (a.kind == AuctionKind.Disposal) {
            Pledge memory pledge = IPledges(PLEDGES).pledge(a.pledgeId);
            uint256 owed = pledge.securedAmount - pledge.recovered;
            p.owed = owed;
            uint256 fee = price * a.bidFeeBps / MarketFees.WHOLE_BPS;
            uint256 above = price > owed ? price - owed : 0;
            if (fee > above) fee = above;
            // Split the (capped) fee as if it were a price taken whole, the winner's venue on both sides.
            s = MarketFees.split(fee, uint16(MarketFees.WHOLE_BPS), 0, a.bidBrokerBps, true);
            s.seller = price - fee;
            p.listingVenue = a.bidVenue;
            p.payee = PLEDGES;
        } else {
            address listingVenue = a.listingVenue;
            s = MarketFees.split(
                price, a.listingFeeBps, a.listingBrokerBps, a.bidBrokerBps, listingVenue == a.bidVenue
            );
            p.listingVenue = listingVenue;
            p.listingBroker = a.listingBroker;
            p.payee = a.proceedsTo == address(0) ? a.seller : a.proceedsTo;
        }
        (p.listingVenueFee, p.listingBrokerFee) = (s.listingVenue, s.listingBroker);
        (p.buyerVenueFee, p.buyerBrokerFee) = (s.buyerVenue, s.buyerBroker);
        p.net = s.seller;
    }

    function _credit(address account, address token, uint256 amount) private {
        if (amount != 0) _balances[account][token] += amount;
    }

    /// @dev The auction that agreed `transferId`: the one holding the patent, settling that transfer.
    function _settling(uint256 transferId, uint256 patentId)
        private
        view
        returns (uint256 auctionId, Auction storage a)
    {
        auctionId = _activeAuction[patentId];
        a = _auctions[auctionId];
        if (auctionId == 0 || a.status != AuctionStatus.Settling || a.transferId != transferId) {
            revert AuctionHouseUnknownTransfer(transferId);
        }
    }

    function _existing(uint256 auctionId) private view returns (Auction storage a) {
        a = _auctions[auctionId];
        if (a.status == AuctionStatus.None) revert AuctionHouseUnknownAuction(auctionId);
    }

    function _open(uint256 auctionId) private view returns (Auction storage a) {
        a = _existing(auctionId);
        if (a.status != AuctionStatus.Open) revert AuctionHouseNotOpen(auctionId, a.status);
    }
}
