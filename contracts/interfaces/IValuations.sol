// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Valuation, ValuationMethod} from "../libraries/ValuationTypes.sol";

/// @title IValuations
/// @notice Appraisals of patents recorded by appraisal firms (Roles.APPRAISER) for banks to read:
/// the latest, and the full history by index. History is append-only.
interface IValuations {
    event ValuationRecorded(
        uint256 indexed patentId,
        uint256 indexed index,
        address indexed appraiser,
        uint128 amount,
        bytes3 currency,
        ValuationMethod method,
        uint32 valuationDay,
        bytes32 reportHash
    );

    error ValuationsZeroAmount(uint256 patentId);
    error ValuationsInvalidCurrency(bytes3 currency);
    error ValuationsDayInFuture(uint32 valuationDay, uint32 today);
    error ValuationsEmptyReport(uint256 patentId);
    error ValuationsNoValuation(uint256 patentId);
    error ValuationsIndexOutOfRange(uint256 patentId, uint256 index, uint256 count);

    /// @notice Records an appraisal of an existing patent (appraiser). Returns its index in the history.
    function recordValuation(
        uint256 patentId,
        uint128 amount,
        bytes3 currency,
        ValuationMethod method,
        uint32 valuationDay,
        bytes32 reportHash
    ) external returns (uint256 index);

    /// @notice The most recently recorded appraisal.
    function latestValuation(uint256 patentId) external view returns (Valuation memory);

    function valuationCount(uint256 patentId) external view returns (uint256);

    function valuationAt(uint256 patentId, uint256 index) external view returns (Valuation memory);
}
