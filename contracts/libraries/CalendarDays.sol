// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice Calendar arithmetic on days since 1970-01-01 (proleptic Gregorian), after H. Hinnant's
/// `days_from_civil` / `civil_from_days`. Legal dates in the ledger are China Standard Time days.
library CalendarDays {
    /// @dev China Standard Time is UTC+8 all year.
    uint256 internal constant CST_OFFSET = 8 hours;

    /// @notice Today's date in China for a block timestamp.
    function today() internal view returns (uint32) {
        return uint32((block.timestamp + CST_OFFSET) / 1 days);
    }

    function toCivil(uint256 day) internal pure returns (uint256 year, uint256 month, uint256 dom) {
        unchecked {
            uint256 z = day + 719468;
            uint256 era = z / 146097;
            uint256 doe = z - era * 146097;
            uint256 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
            uint256 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
            uint256 mp = (5 * doy + 2) / 153;
            dom = doy - (153 * mp + 2) / 5 + 1;
            month = mp < 10 ? mp + 3 : mp - 9;
            year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        }
    }

    /// @dev Valid for years >= 1970.
    function fromCivil(uint256 year, uint256 month, uint256 dom) internal pure returns (uint256) {
        unchecked {
            if (month <= 2) year -= 1;
            uint256 era = year / 400;
            uint256 yoe = year - era * 400;
            uint256 doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + dom - 1;
            uint256 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
            return era * 146097 + doe - 719468;
        }
    }

    function yearOf(uint256 day) internal pure returns (uint256 year) {
        (year,,) = toCivil(day);
    }

    /// @notice The same calendar date `count` years later; 29 February maps to 1 March in common years.
    function addYears(uint256 day, uint256 count) internal pure returns (uint256) {
        (uint256 y, uint256 m, uint256 d) = toCivil(day);
        y += count;
        if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))) {
            m = 3;
            d = 1;
        }
        return fromCivil(y, m, d);
    }
}
