// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {BenefitShares, FeeMethod, FeeTrigger, LicenceAccount, PaymentSplit} from "../libraries/LicenceTypes.sol";

/// @title IRoyalties
/// @notice Licence fees and royalties paid through the ledger in each licence's ERC-20 settlement token, recorded
/// per licence and split at payment between the unit (the patent's owner), the inventors and the
/// technology-transfer office in the shares the owner declared for the patent (收益分配).
///
/// Payments are pushed: the payer's tokens go straight to each recipient in the same transaction
/// (`transferFrom(payer, recipient)`), so the contract never keeps funds and nobody needs to withdraw.
/// The payer approves this contract for the amount first. Splits round down for the inventors and the office;
/// the unit takes the remainder, so the parts add up to the payment to the last unit.
/// - A lump-sum or deferred fee goes wholly to the `proceedsTo` the registry named at grant (e.g. a pledgee who
///   consented to the licence), when there is one; otherwise it is split. When that is the Pledges contract (the
///   pledgee's consent escrows proceeds), the fee passes through this contract into `IPledges.depositProceeds`,
///   so the escrow records it (this contract holds `Roles.MODULE` for that call and nothing else).
/// - Payments on a sublicence go wholly to the parent licence's licensee.
/// - Shares declared by a previous owner lapse when the patent changes owner: the new owner takes everything
///   until it declares its own.
interface IRoyalties {
    // ---------------------------------------------------------------- events

    event SharesDeclared(uint256 indexed patentId, address indexed owner, BenefitShares shares);
    /// @notice The licensee reported revenue for a running royalty; `due` = revenue * bps / 10,000.
    event RevenueReported(
        uint256 indexed licenceId,
        uint256 indexed patentId,
        address indexed licensee,
        uint128 revenue,
        uint128 due,
        uint128 owed,
        bytes32 reportHash
    );
    /// @notice A use-first-pay-later fee fell due on its trigger.
    event FeeFellDue(
        uint256 indexed licenceId, uint256 indexed patentId, FeeTrigger trigger, uint32 day, uint128 amount
    );
    /// @notice The licensee notified the launch of a product under the licence.
    event ProductLaunched(uint256 indexed licenceId, uint256 indexed patentId, uint32 day, bytes32 evidenceHash);
    /// @notice A payment was made and split. `payment` numbers the licence's payments from 1.
    event RoyaltyPaid(
        uint256 indexed licenceId,
        uint256 indexed patentId,
        address indexed payer,
        uint256 payment,
        bool fee,
        address token,
        uint256 amount,
        PaymentSplit split
    );

    // ---------------------------------------------------------------- errors

    error RoyaltiesNotOwner(uint256 patentId, address caller, address owner);
    error RoyaltiesNotLicensee(uint256 licenceId, address caller, address licensee);
    error RoyaltiesSharesNotWhole(uint256 patentId, uint256 sum);
    error RoyaltiesNoPayoutAddress(uint256 patentId);
    error RoyaltiesWrongMethod(uint256 licenceId, FeeMethod method);
    error RoyaltiesWrongTrigger(uint256 licenceId, FeeTrigger trigger);
    error RoyaltiesZeroAmount(uint256 licenceId);
    error RoyaltiesAboveOwed(uint256 licenceId, uint256 amount, uint256 owed);
    error RoyaltiesFeeAlreadyPaid(uint256 licenceId);
    error RoyaltiesAlreadyLaunched(uint256 licenceId, uint32 day);
    error RoyaltiesNotLicensing(address caller);

    // ---------------------------------------------------------------- owner

    /// @notice The patent's owner declares the benefit shares of its licence income. Shares sum to 10,000 bps;
    /// a non-zero share needs a payout address.
    function declareShares(uint256 patentId, BenefitShares calldata shares) external;

    // ---------------------------------------------------------------- licensee

    /// @notice Reports revenue under a running-royalty licence (the royalty due is added to what is owed), or
    /// the first revenue under a use-first-pay-later licence triggered by it (the fee falls due).
    function reportRevenue(uint256 licenceId, uint128 revenue, bytes32 reportHash) external returns (uint128 due);

    /// @notice Notifies the launch of a product under a use-first-pay-later licence triggered by it.
    function recordLaunch(uint256 licenceId, bytes32 evidenceHash) external;

    /// @notice Pays `amount` (at most what is owed) of the royalties computed from reported revenue; split at once.
    function payRoyalty(uint256 licenceId, uint256 amount) external;

    /// @notice Pays the lump-sum or deferred fee of a licence, once. A deferred fee may be paid before it is due.
    function payFee(uint256 licenceId) external;

    /// @notice Collects the fee of an open licence just taken, from its taker (the licensing contract only).
    function collectFee(uint256 licenceId, address payer) external;

    // ---------------------------------------------------------------- views

    function shares(uint256 patentId) external view returns (BenefitShares memory shares, address declaredBy);

    function account(uint256 licenceId) external view returns (LicenceAccount memory);

    /// @notice Whether a licence's lump-sum or deferred fee is due now, its amount and whether it was paid.
    function feeStatus(uint256 licenceId) external view returns (bool due, uint128 amount, bool paid);

    /// @notice The split a payment of `amount` on `licenceId` would have now.
    function previewSplit(uint256 licenceId, uint256 amount, bool fee) external view returns (PaymentSplit memory);
}
