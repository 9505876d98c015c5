// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {IPatentRegistry} from "../interfaces/IPatentRegistry.sol";
import {ITransferObserver} from "../interfaces/IEncumbranceGuard.sol";
import {IPledgeDisposal, IPledgeDisposalCallback} from "../interfaces/IPledgeDisposal.sol";

/// @title MinimalDisposalAuction
/// @notice Test double of the exchange's disposal auction house: one bid per auction at or above the
/// reserve, settled by anyone after the end time through the registry's agreed-transfer path.
/// Not for production: no bid increments, no venue fees, no EIP-712 offers.
contract MinimalDisposalAuction is IPledgeDisposal, ITransferObserver {
    using SafeERC20 for IERC20;

    struct Auction {
        uint256 pledgeId;
        uint256 patentId;
        IERC20 token;
        uint256 reserve;
        uint64 endTime;
        address bidder;
        uint256 bid;
        uint256 transferId;
        bool closed;
    }

    error MinimalDisposalAuctionNotPledges(address caller);
    error MinimalDisposalAuctionNotRegistry(address caller);
    error MinimalDisposalAuctionBid(uint256 auctionId, uint256 amount, uint256 reserve);
    error MinimalDisposalAuctionState(uint256 auctionId);

    event AuctionOpened(uint256 indexed auctionId, uint256 indexed pledgeId, uint256 indexed patentId, uint256 reserve);
    event BidPlaced(uint256 indexed auctionId, address indexed bidder, uint256 amount);
    event AuctionSettling(uint256 indexed auctionId, uint256 indexed transferId);
    event AuctionClosed(uint256 indexed auctionId, bool sold);

    IPatentRegistry public immutable REGISTRY;
    address public immutable PLEDGES;
    mapping(uint256 auctionId => Auction) public auctions;
    mapping(uint256 transferId => uint256 auctionId) public auctionOfTransfer;
    uint256 public auctionCount;

    constructor(IPatentRegistry registry_, address pledges_) {
        REGISTRY = registry_;
        PLEDGES = pledges_;
    }

    /// @inheritdoc IPledgeDisposal
    function startDisposal(uint256 pledgeId, uint256 patentId, IERC20 token, uint256 reserve, uint64 endTime)
        external
        returns (uint256 auctionId)
    {
        if (msg.sender != PLEDGES) revert MinimalDisposalAuctionNotPledges(msg.sender);
        auctionId = ++auctionCount;
        Auction storage a = auctions[auctionId];
        (a.pledgeId, a.patentId, a.token, a.reserve, a.endTime) = (pledgeId, patentId, token, reserve, endTime);
        emit AuctionOpened(auctionId, pledgeId, patentId, reserve);
    }

    /// @notice Places the one bid of an auction, escrowed here.
    function bid(uint256 auctionId, uint256 amount) external {
        Auction storage a = auctions[auctionId];
        if (a.closed || a.bidder != address(0) || a.pledgeId == 0) revert MinimalDisposalAuctionState(auctionId);
        if (amount < a.reserve) revert MinimalDisposalAuctionBid(auctionId, amount, a.reserve);
        a.token.safeTransferFrom(msg.sender, address(this), amount);
        (a.bidder, a.bid) = (msg.sender, amount);
        emit BidPlaced(auctionId, msg.sender, amount);
    }

    /// @notice Ends an auction: agrees the transfer to the bidder, or reports failure without a bid.
    function settle(uint256 auctionId) external {
        Auction storage a = auctions[auctionId];
        if (a.closed || a.transferId != 0 || a.pledgeId == 0) revert MinimalDisposalAuctionState(auctionId);
        if (a.bidder == address(0)) {
            a.closed = true;
            emit AuctionClosed(auctionId, false);
            IPledgeDisposalCallback(PLEDGES).onDisposalFailed(a.pledgeId, a.patentId);
            return;
        }
        bytes32 contractHash = keccak256(abi.encode("disposal", auctionId));
        uint256 transferId = REGISTRY.agreeTransfer(a.patentId, a.bidder, contractHash);
        a.transferId = transferId;
        auctionOfTransfer[transferId] = auctionId;
        emit AuctionSettling(auctionId, transferId);
    }

    /// @inheritdoc ITransferObserver
    function onTransferRegistered(uint256 transferId, uint256) external {
        if (msg.sender != address(REGISTRY)) revert MinimalDisposalAuctionNotRegistry(msg.sender);
        Auction storage a = auctions[auctionOfTransfer[transferId]];
        a.closed = true;
        emit AuctionClosed(auctionOfTransfer[transferId], true);
        a.token.forceApprove(PLEDGES, a.bid);
        IPledgeDisposalCallback(PLEDGES).onDisposalSettled(a.pledgeId, a.patentId, a.bidder, a.bid);
    }

    /// @inheritdoc ITransferObserver
    function onTransferRefused(uint256 transferId, uint256) external {
        if (msg.sender != address(REGISTRY)) revert MinimalDisposalAuctionNotRegistry(msg.sender);
        Auction storage a = auctions[auctionOfTransfer[transferId]];
        a.closed = true;
        emit AuctionClosed(auctionOfTransfer[transferId], false);
        a.token.safeTransfer(a.bidder, a.bid);
        IPledgeDisposalCallback(PLEDGES).onDisposalFailed(a.pledgeId, a.patentId);
    }
}
