// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {Auction, AuctionPayouts, AuctionRules, AuctionStatus, AuctionTerms} from "../libraries/AuctionTypes.sol";

/// @title IAuctionHouse
/// @notice English auctions of patents on the unified exchange (docs/auctions.md): pledge disposals
/// started by the Pledges contract (holder of `LOCK_DISPOSAL`) and auctions an owner starts through a
/// listing venue (holder of `LOCK_AUCTION`).
///
/// Bidding: the first bid must reach the reserve; each later bid must beat the highest by
/// `max(1, floor(highest * incrementBps / 10_000))`. A bid placed less than the extension window
/// (`rules()`, 10 minutes at deployment) before
/// the end pushes the end to `bid time + window`, never past `maxEndTime`. Each bid is
/// escrowed here with `transferFrom`; the bid it beats is credited to the outbid bidder's withdrawable
/// balance (`withdraw(token)`). Every bid names the bidder's venue and, optionally, a broker that venue
/// accredits; fee rates and broker shares are fixed when the listing or the bid is made.
///
/// Closing (anyone, once the end has passed): a winning bid has the transfer to the winner agreed in the
/// registry; on registration the price is paid out (fees to venues and brokers, the net to the seller,
/// the pledge's `proceedsTo`, or, for a disposal, the Pledges contract); without a winning bid, if the
/// transfer cannot be agreed, or if its registration is refused, the highest bidder is refunded and the
/// lock is cleared. All payouts except the disposal's proceeds (pulled by the Pledges contract) and the
/// escrow route of a pledged owner's net (deposited with the Pledges contract) are credited to
/// withdrawable balances.
interface IAuctionHouse {
    // ---------------------------------------------------------------- events

    /// @notice An auction opened. `auction` is its full record (no bid yet).
    event AuctionCreated(uint256 indexed auctionId, uint256 indexed patentId, address indexed seller, Auction auction);
    /// @notice A bid became the highest. `outbid` (zero on the first bid) was credited `outbidAmount`.
    /// `endTime` is the auction's end after the bid (extended if the bid came late).
    event BidPlaced(
        uint256 indexed auctionId,
        address indexed bidder,
        address indexed venue,
        uint256 amount,
        address broker,
        uint16 venueFeeBps,
        uint16 brokerShareBps,
        uint64 endTime,
        address outbid,
        uint256 outbidAmount
    );
    /// @notice The auction closed with a winner and the transfer to it was agreed in the registry.
    event AuctionClosed(
        uint256 indexed auctionId, uint256 indexed patentId, address indexed winner, uint256 price, uint256 transferId
    );
    /// @notice The auction ended unsold: no bid, or the transfer could not be agreed (`reason`: the
    /// registry's or a guard's revert data; empty without a bid). `refunded` was credited `refund`.
    event AuctionUnsold(
        uint256 indexed auctionId, uint256 indexed patentId, address indexed refunded, uint256 refund, bytes reason
    );
    /// @notice The transfer to the winner was registered and the price paid out.
    event AuctionSettled(
        uint256 indexed auctionId,
        uint256 indexed patentId,
        address indexed winner,
        uint256 transferId,
        AuctionPayouts payouts
    );
    /// @notice CNIPA refused the transfer's registration: the winner was credited its bid back.
    event AuctionRefused(
        uint256 indexed auctionId, uint256 indexed patentId, uint256 indexed transferId, address winner, uint256 refund
    );
    /// @notice The owner withdrew an auction before any bid.
    event AuctionCancelled(uint256 indexed auctionId, uint256 indexed patentId, address indexed seller);
    /// @notice The admin set the auction rules (they apply to auctions opened from now on).
    event RulesSet(AuctionRules rules);
    /// @notice `account` withdrew its balance of `token`.
    event Withdrawn(address indexed account, address indexed token, uint256 amount);

    // ---------------------------------------------------------------- errors

    error AuctionHouseNotPledges(address caller);
    /// @notice Rules out of bounds: window at most a day, disposal extension at most `MAX_EXTENSION`,
    /// increment between 1 and `MAX_INCREMENT_BPS`.
    error AuctionHouseBadRules(AuctionRules rules);
    error AuctionHouseNotRegistry(address caller);
    error AuctionHouseUnknownAuction(uint256 auctionId);
    error AuctionHouseNotOwner(uint256 patentId, address caller, address owner);
    error AuctionHouseNotSeller(uint256 auctionId, address caller);
    error AuctionHouseNotCancellable(uint256 auctionId);
    error AuctionHouseHasBid(uint256 auctionId, address bidder);
    /// @notice The times are not start < end <= maxEnd with end in the future, start at most
    /// `MAX_DURATION` ahead, end at most `MAX_DURATION` after start and maxEnd at most `MAX_EXTENSION`
    /// after end. (A disposal reports maxEnd = end.)
    error AuctionHouseBadSchedule(uint64 startTime, uint64 endTime, uint64 maxEndTime, uint256 now);
    error AuctionHouseBadIncrement(uint16 incrementBps, uint16 maxBps);
    error AuctionHouseZeroReserve();
    error AuctionHouseZeroToken();
    error AuctionHouseAmountTooLarge(uint256 amount);
    error AuctionHouseNotOpen(uint256 auctionId, AuctionStatus status);
    error AuctionHouseNotStarted(uint256 auctionId, uint64 startTime);
    error AuctionHouseEnded(uint256 auctionId, uint64 endTime);
    error AuctionHouseNotEnded(uint256 auctionId, uint64 endTime);
    error AuctionHouseWrongToken(uint256 auctionId, address token, address expected);
    error AuctionHouseSellerBid(uint256 auctionId, address seller);
    error AuctionHouseBelowReserve(uint256 auctionId, uint256 amount, uint256 reserve);
    error AuctionHouseBelowIncrement(uint256 auctionId, uint256 amount, uint256 minimum);
    /// @notice `venue` is not an open venue.
    error AuctionHouseNotVenue(address venue);
    /// @notice `broker` is not accredited by `venue` (it acts for `brokerVenue`, or for none).
    error AuctionHouseBrokerNotOfVenue(address broker, address venue, address brokerVenue);
    error AuctionHouseNothingToWithdraw(address account, address token);
    /// @notice The patent is held by an auction; other modules' acts are refused until it ends.
    error AuctionHouseUnderAuction(uint256 patentId, uint256 auctionId);
    /// @notice A registry callback named a transfer this house did not agree (or already settled).
    error AuctionHouseUnknownTransfer(uint256 transferId);
    /// @notice Agreeing the transfer failed without revert data (e.g. out of gas): the close reverts.
    error AuctionHouseCloseFailed(uint256 auctionId);

    // ---------------------------------------------------------------- owners and bidders

    /// @notice The patent's owner opens an auction through a listing venue; locks `LOCK_AUCTION`
    /// (a pledged patent needs the pledgee's consent to `Act.List`, and to `Act.Transfer` at the close).
    function createAuction(AuctionTerms calldata terms) external returns (uint256 auctionId);

    /// @notice The seller withdraws an owner auction that has no bid; the lock is cleared.
    function cancelAuction(uint256 auctionId) external;

    /// @notice Bids `amount` of `token` through `venue` (and `broker`, or zero); escrowed by transferFrom.
    function bid(uint256 auctionId, IERC20 token, uint256 amount, address venue, address broker) external;

    /// @notice Ends an auction whose end time has passed (anyone): agrees the transfer to the winner, or
    /// ends it unsold.
    function close(uint256 auctionId) external;

    /// @notice Pays out the caller's balance of `token`.
    function withdraw(IERC20 token) external;

    // ---------------------------------------------------------------- admin

    /// @notice Sets the auction rules (admin).
    function setRules(AuctionRules calldata rules_) external;

    // ---------------------------------------------------------------- views

    function rules() external view returns (AuctionRules memory);

    function auction(uint256 auctionId) external view returns (Auction memory);

    /// @notice The lowest bid the auction accepts now (reserve, or highest bid plus the increment).
    function minimumBid(uint256 auctionId) external view returns (uint256);

    /// @notice The auction holding the patent's lock (zero: none).
    function activeAuctionOf(uint256 patentId) external view returns (uint256);

    /// @notice `account`'s withdrawable balance of `token`.
    function withdrawable(address account, IERC20 token) external view returns (uint256);

    function auctionCount() external view returns (uint256);
}
