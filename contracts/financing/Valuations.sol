// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";

import {IValuations} from "../interfaces/IValuations.sol";
import {IPatentRegistry} from "../interfaces/IPatentRegistry.sol";
import {CalendarDays} from "../libraries/CalendarDays.sol";
import {Valuation, ValuationMethod} from "../libraries/ValuationTypes.sol";

/// @title Valuations
/// @notice Appraisal history of patents. See {IValuations}.
contract Valuations is IValuations, AccessManaged {
    IPatentRegistry public immutable REGISTRY;

    mapping(uint256 patentId => Valuation[]) private _valuations;

    constructor(address authority, IPatentRegistry registry_) AccessManaged(authority) {
        REGISTRY = registry_;
    }

    /// @inheritdoc IValuations
    function recordValuation(
        uint256 patentId,
        uint128 amount,
        bytes3 currency,
        ValuationMethod method,
        uint32 valuationDay,
        bytes32 reportHash
    ) external restricted returns (uint256 index) {
        REGISTRY.patent(patentId); // reverts for an unknown patent
        if (amount == 0) revert ValuationsZeroAmount(patentId);
        if (currency[0] < "A" || currency[0] > "Z") revert ValuationsInvalidCurrency(currency);
        uint32 today = CalendarDays.today();
        if (valuationDay > today || valuationDay == 0) revert ValuationsDayInFuture(valuationDay, today);
        if (reportHash == bytes32(0)) revert ValuationsEmptyReport(patentId);
        Valuation[] storage history = _valuations[patentId];
        index = history.length;
        history.push(
            Valuation({
                appraiser: msg.sender,
                valuationDay: valuationDay,
                method: method,
                currency: currency,
                amount: amount,
                reportHash: reportHash
            })
        );
        emit ValuationRecorded(patentId, index, msg.sender, amount, currency, method, valuationDay, reportHash);
    }

    /// @inheritdoc IValuations
    function latestValuation(uint256 patentId) external view returns (Valuation memory) {
        Valuation[] storage history = _valuations[patentId];
        if (history.length == 0) revert ValuationsNoValuation(patentId);
        return history[history.length - 1];
    }

    /// @inheritdoc IValuations
    function valuationCount(uint256 patentId) external view returns (uint256) {
        return _valuations[patentId].length;
    }

    /// @inheritdoc IValuations
    function valuationAt(uint256 patentId, uint256 index) external view returns (Valuation memory) {
        Valuation[] storage history = _valuations[patentId];
        if (index >= history.length) revert ValuationsIndexOutOfRange(patentId, index, history.length);
        return history[index];
    }
}
