// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {
    BenefitRole, BenefitShare, Deal, DealStatus, DealTerms, EquityForm, Warrant
} from "../libraries/EquityTypes.sol";

/// @title IEquityDeals
/// @notice Equity for technology (作价入股, 科技成果+认股权): an owner contributes patents to a company for
/// equity at an agreed valuation. The owner proposes; the company accepts, which locks every patent with
/// the registry's `LOCK_EQUITY` (authorised as `Act.Contribute`: a pledged patent needs the pledgee's
/// consent); execution agrees the transfers to the company through the registry, and the deal is
/// executed when every transfer is registered. Warrants record subscription rights granted to the
/// owner or its inventors, exercised within their window or expired after it.
interface IEquityDeals {
    // ---------------------------------------------------------------- events

    event DealProposed(
        uint256 indexed dealId,
        address indexed owner,
        address indexed company,
        uint128 valuation,
        bytes3 currency,
        EquityForm form,
        uint128 equity,
        bytes32 valuationReportHash,
        bytes32 contractHash,
        string companyRegistration
    );
    event DealPatentAdded(uint256 indexed dealId, uint256 indexed patentId);
    /// @notice A share of the equity consideration recorded for an inventor or the transfer office.
    event BenefitShareRecorded(uint256 indexed dealId, address indexed beneficiary, BenefitRole role, uint16 bps);
    event DealAccepted(uint256 indexed dealId, address indexed company);
    event DealCancelled(uint256 indexed dealId, address indexed by);
    /// @notice The transfer of one patent to the company was agreed through the registry.
    event DealTransferAgreed(uint256 indexed dealId, uint256 indexed patentId, uint256 indexed transferId);
    event DealTransferRegistered(uint256 indexed dealId, uint256 indexed patentId, uint256 indexed transferId);
    event DealExecuted(uint256 indexed dealId, address indexed company, uint32 executedDay);
    event DealFailed(uint256 indexed dealId, uint256 indexed patentId, uint256 indexed transferId);

    event WarrantGranted(
        uint256 indexed warrantId,
        uint256 indexed dealId,
        address indexed holder,
        address company,
        uint128 shares,
        uint128 strike,
        bytes3 currency,
        uint32 windowStart,
        uint32 windowEnd,
        bool triggerRequired,
        string trigger
    );
    event WarrantTriggered(uint256 indexed warrantId, address indexed company, uint32 day);
    event WarrantExercised(uint256 indexed warrantId, address indexed holder, uint128 shares, uint32 day);
    event WarrantExpired(uint256 indexed warrantId, address indexed by, uint32 day);

    // ---------------------------------------------------------------- errors

    error EquityDealsUnknownDeal(uint256 dealId);
    error EquityDealsWrongStatus(uint256 dealId, DealStatus status);
    error EquityDealsNotOwner(uint256 patentId, address caller, address owner);
    error EquityDealsNotCompany(uint256 dealId, address caller, address company);
    error EquityDealsNotParty(uint256 dealId, address caller);
    error EquityDealsInvalidCompany(address company);
    error EquityDealsPortfolioSize(uint256 count, uint256 max);
    error EquityDealsDuplicatePatent(uint256 patentId);
    error EquityDealsZeroValue();
    error EquityDealsInvalidCurrency(bytes3 currency);
    error EquityDealsBasisPointsOverflow(uint128 equity);
    error EquityDealsEmptyText();
    error EquityDealsTooManyShares(uint256 count, uint256 max);
    error EquityDealsSharesExceedWhole(uint256 totalBps);
    error EquityDealsInvalidBeneficiary(address beneficiary);
    error EquityDealsPatentCommitted(uint256 patentId, uint256 dealId);
    error EquityDealsNotRegistry(address caller);
    error EquityDealsUnknownWarrant(uint256 warrantId);
    error EquityDealsInvalidHolder(uint256 dealId, address holder);
    error EquityDealsInvalidWindow(uint32 windowStart, uint32 windowEnd, uint32 today);
    error EquityDealsWarrantState(uint256 warrantId, uint8 status);
    error EquityDealsNotHolder(uint256 warrantId, address caller, address holder);
    error EquityDealsOutsideWindow(uint256 warrantId, uint32 today, uint32 windowStart, uint32 windowEnd);
    error EquityDealsTriggerNotMet(uint256 warrantId);
    error EquityDealsNoTrigger(uint256 warrantId);
    error EquityDealsWindowOpen(uint256 warrantId, uint32 today, uint32 windowEnd);

    // ---------------------------------------------------------------- deals

    /// @notice The owner of every patent proposes a deal (1 to `MAX_PATENTS` patents, up to `MAX_SHARES`
    /// benefit shares summing to at most 10,000 basis points).
    function proposeDeal(DealTerms calldata terms, uint256[] calldata patentIds, BenefitShare[] calldata shares)
        external
        returns (uint256 dealId);

    /// @notice The company accepts: every patent is locked with `LOCK_EQUITY` (authorised as a contribution).
    function acceptDeal(uint256 dealId) external;

    /// @notice The owner or the company cancels a deal not yet executing; accepted patents are unlocked.
    function cancelDeal(uint256 dealId) external;

    /// @notice The owner or the company executes an accepted deal: the transfers to the company are
    /// agreed through the registry; the deal is executed when CNIPA has registered every one.
    function executeDeal(uint256 dealId) external;

    // ---------------------------------------------------------------- warrants

    /// @notice The company of a deal grants a subscription right to the deal's owner or a beneficiary.
    function grantWarrant(
        uint256 dealId,
        address holder,
        uint128 shares,
        uint128 strike,
        uint32 windowStart,
        uint32 windowEnd,
        bool triggerRequired,
        string calldata trigger
    ) external returns (uint256 warrantId);

    /// @notice The company records that a warrant's trigger has occurred.
    function recordTrigger(uint256 warrantId) external;

    /// @notice The holder exercises a warrant within its window (and after its trigger, if any).
    function exerciseWarrant(uint256 warrantId) external;

    /// @notice Anyone marks a warrant expired once its window has ended.
    function expireWarrant(uint256 warrantId) external;

    // ---------------------------------------------------------------- views

    function deal(uint256 dealId) external view returns (Deal memory);

    function dealPatents(uint256 dealId) external view returns (uint256[] memory);

    function benefitShares(uint256 dealId) external view returns (BenefitShare[] memory);

    /// @notice The deal that holds `LOCK_EQUITY` on a patent now, or zero.
    function committedDealOf(uint256 patentId) external view returns (uint256);

    function warrant(uint256 warrantId) external view returns (Warrant memory);

    function dealCount() external view returns (uint256);

    function warrantCount() external view returns (uint256);
}
