// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {CalendarDays} from "../libraries/CalendarDays.sol";
import {CnipaNumber} from "../libraries/CnipaNumber.sol";
import {PatentKind} from "../libraries/PatentTypes.sol";

/// @title LibraryHarness
/// @notice Exposes the internal libraries CnipaNumber and CalendarDays to tests.
contract LibraryHarness {
    /// @notice The day `today()` returned in a transaction, for comparison with the block timestamp.
    event TodayRecorded(uint32 day, uint256 timestamp);

    function parse(uint64 number) external pure returns (bool ok, uint256 year, uint256 kindDigit) {
        return CnipaNumber.parse(number);
    }

    function checkDigit(uint64 number) external pure returns (uint8) {
        return CnipaNumber.checkDigit(number);
    }

    function kindMatches(uint256 kindDigit, PatentKind kind) external pure returns (bool) {
        return CnipaNumber.kindMatches(kindDigit, kind);
    }

    function toCivil(uint256 day) external pure returns (uint256 year, uint256 month, uint256 dom) {
        return CalendarDays.toCivil(day);
    }

    function fromCivil(uint256 year, uint256 month, uint256 dom) external pure returns (uint256) {
        return CalendarDays.fromCivil(year, month, dom);
    }

    function yearOf(uint256 day) external pure returns (uint256) {
        return CalendarDays.yearOf(day);
    }

    function addYears(uint256 day, uint256 count) external pure returns (uint256) {
        return CalendarDays.addYears(day, count);
    }

    function today() external view returns (uint32) {
        return CalendarDays.today();
    }

    /// @notice Emits the day `today()` gives inside a transaction.
    function recordToday() external {
        emit TodayRecorded(CalendarDays.today(), block.timestamp);
    }
}
