// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title IPledgeDisposal
/// @notice The auction house that sells a pledged patent when its debtor defaults (质权实现: 拍卖、变卖).
/// Implemented by the exchange; the Pledges contract is its only client. The pledgee never takes the
/// patent itself (a forfeiture clause, 流质, is void): the patent goes to the highest bidder at or
/// above the reserve, the proceeds pay the pledgee first and any surplus goes to the pledgor.
///
/// The disposal module is the account the admin names as holder of `LOCK_DISPOSAL` in the registry
/// (`registry.lockModule(LOCK_DISPOSAL)`); it needs `Roles.MODULE` to call `registry.agreeTransfer`.
///
/// Protocol, one auction per patent:
/// 1. The pledgee calls `Pledges.startDisposal`; the Pledges contract marks the patent `Disposing` and
///    calls `startDisposal` here. From then on the Pledges guard permits acts on the patent whose
///    initiator is this module (e.g. locking `LOCK_DISPOSAL` with `Act.List`, agreeing the transfer to
///    the winner) and refuses everyone else's, answering `proceedsTo = Pledges`.
/// 2. When the auction ends with a winning bid at or above `reserve`, the module calls
///    `registry.agreeTransfer(patentId, winner, contractHash)` and waits for registration.
/// 3. On `ITransferObserver.onTransferRegistered` the module approves the Pledges contract for
///    `proceeds` of `token` and calls `IPledgeDisposalCallback.onDisposalSettled`; the Pledges contract
///    pulls the proceeds with `transferFrom`, paying the pledgee up to the debt outstanding and the
///    surplus to the patent's pledgor. (The registry has already told the Pledges guard of the move
///    through `onPatentTransferred`, which ends the pledge's lock on the patent.)
/// 4. If the auction ends without a bid at the reserve, or CNIPA refuses the registration, the module
///    refunds its bidder, clears its own lock, and calls `onDisposalFailed`; the patent returns to the
///    pledge and the pledgee may start another disposal (e.g. with a lower reserve) or release it.
interface IPledgeDisposal {
    /// @notice Opens an auction for one pledged patent (Pledges contract only).
    /// @param pledgeId The pledge being enforced.
    /// @param patentId The patent to sell; it is `Disposing` in the pledge when this is called.
    /// @param token The ERC-20 settlement token bids are made and proceeds paid in.
    /// @param reserve The lowest acceptable bid, in `token` units.
    /// @param endTime The unix time at which bidding closes.
    /// @return auctionId The auction's id in the module, echoed in the Pledges contract's events.
    function startDisposal(uint256 pledgeId, uint256 patentId, IERC20 token, uint256 reserve, uint64 endTime)
        external
        returns (uint256 auctionId);
}

/// @title IPledgeDisposalCallback
/// @notice Implemented by the Pledges contract; called by the disposal module only.
interface IPledgeDisposalCallback {
    /// @notice The patent was sold and the transfer to `buyer` registered. Before the call the module
    /// approves the Pledges contract for `proceeds` of the auction's token; the Pledges contract pulls
    /// them during the call (pledgee first, up to the debt outstanding; surplus to the pledgor).
    function onDisposalSettled(uint256 pledgeId, uint256 patentId, address buyer, uint256 proceeds) external;

    /// @notice The auction ended unsold, or the transfer's registration was refused: the patent stays pledged.
    function onDisposalFailed(uint256 pledgeId, uint256 patentId) external;
}
