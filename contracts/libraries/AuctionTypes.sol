// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice Who put the patent up for auction.
enum AuctionKind {
    Owner, // the patent's owner, through a listing venue; holds LOCK_AUCTION
    Disposal // the Pledges contract on the pledgee's default (质权实现); holds LOCK_DISPOSAL
}

enum AuctionStatus {
    None,
    Open, // accepting bids between startTime and endTime
    Settling, // closed with a winner: the transfer is agreed and awaits registration
    Sold, // the transfer was registered and the price paid out
    Unsold, // closed without a bid at the reserve, or the transfer could not be agreed
    Refused, // CNIPA refused the transfer's registration: the winner was refunded
    Cancelled // withdrawn by the owner before any bid
}

/// @notice What an owner submits to open an auction.
struct AuctionTerms {
    uint256 patentId;
    address token; // ERC-20 settlement token of the bids
    uint96 reserve; // lowest acceptable first bid, > 0
    uint16 incrementBps; // each bid beats the highest by at least this share of it (and by 1 unit)
    uint64 startTime; // unix seconds; bids from then on (0 or past: at once)
    uint64 endTime; // bidding closes, unless a late bid extends it
    uint64 maxEndTime; // the latest the end can be pushed by late bids (>= endTime)
    address venue; // listing venue (an open venue)
    address broker; // broker accredited by `venue` named on the listing, or zero
}

/// @notice One auction. `seller` is the patent's owner when the auction opened.
/// @dev Ten slots; the bid occupies the last three so that an outbid rewrites warm, non-zero slots.
struct Auction {
    uint64 patentId;
    uint64 startTime;
    uint64 endTime;
    uint64 maxEndTime;
    address seller;
    AuctionKind kind;
    AuctionStatus status;
    uint16 incrementBps;
    uint16 listingFeeBps; // listing venue's fee when the auction opened (owner auctions)
    uint16 listingBrokerBps; // listing broker's share of the listing venue's part
    uint32 extensionWindow; // a bid this close to the end extends it (seconds; the rules when it opened)
    address token;
    uint64 pledgeId; // disposal auctions
    address listingVenue; // zero for disposal auctions
    uint64 transferId; // the agreed transfer while Settling and after
    address listingBroker;
    uint96 reserve;
    address proceedsTo; // owner auctions of a pledged patent: where the seller's net goes (zero: the seller)
    address bidder; // highest bidder, zero before the first bid
    uint96 bid; // highest bid, escrowed here
    address bidVenue; // the highest bidder's venue
    uint16 bidFeeBps; // that venue's fee when the bid was placed
    uint16 bidBrokerBps; // the bid's broker's share of the buyer venue's part
    address bidBroker;
}

/// @notice How a settled price was paid out; every unit of `price` is in exactly one field below
/// (price == net + listingVenueFee + listingBrokerFee + buyerVenueFee + buyerBrokerFee).
struct AuctionPayouts {
    uint256 price;
    uint256 owed; // disposal: the pledgee's debt outstanding before the sale (paid first); owner: 0
    address payee; // who receives `net`: the seller, the pledge's proceedsTo, or the Pledges contract
    uint256 net; // price less fees
    address listingVenue;
    uint256 listingVenueFee;
    address listingBroker;
    uint256 listingBrokerFee;
    address buyerVenue;
    uint256 buyerVenueFee;
    address buyerBroker;
    uint256 buyerBrokerFee;
}

/// @notice The exchange's auction rules, set by the admin; an auction keeps those in force when it opened.
struct AuctionRules {
    uint32 extensionWindow; // a bid less than this before the end pushes the end to bid time + this
    uint32 disposalMaxExtension; // how far late bids may push a disposal's end time
    uint16 disposalIncrementBps; // minimum increment of disposal auctions
}
