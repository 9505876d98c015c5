// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {PatentKind} from "./PatentTypes.sol";

/// @notice CNIPA application numbers. A granted patent is cited as "ZL" + number + "." + check digit:
/// 12 digits since October 2003 (year, kind digit, 7-digit serial), 8 digits before (2-digit year,
/// kind digit, 5-digit serial). The check digit is the sum of the digits weighted 2,3,4,5,6,7,8,9,2,3,4,5
/// modulo 11, where 10 is written "X". The number itself is the patent's token id.
library CnipaNumber {
    /// @notice Decodes a number into its filing year and kind digit; `ok` is false when malformed.
    function parse(uint64 number) internal pure returns (bool ok, uint256 year, uint256 kindDigit) {
        if (number >= 1e11 && number < 1e12) {
            year = number / 1e8;
            kindDigit = (number / 1e7) % 10;
            ok = year >= 2003;
        } else if (number > 0 && number < 1e8) {
            // 8-digit numbers of 2000-2003 begin with 0, which the integer drops.
            uint256 yy = number / 1e6;
            year = yy >= 85 ? 1900 + yy : 2000 + yy;
            kindDigit = (number / 1e5) % 10;
            ok = yy >= 85 || yy <= 3;
        }
    }

    /// @notice The check digit of a number (10 stands for "X").
    function checkDigit(uint64 number) internal pure returns (uint8) {
        uint256 digits = number >= 1e11 ? 12 : 8;
        uint256 sum;
        uint256 n = number;
        unchecked {
            for (uint256 i = digits; i > 0; --i) {
                // i-th digit from the left has weight 2..9,2..5 by position
                uint256 weight = ((i - 1) % 8) + 2;
                sum += (n % 10) * weight;
                n /= 10;
            }
        }
        return uint8(sum % 11);
    }

    /// @notice Whether the kind digit agrees with the patent kind (8 and 9 are PCT national-phase
    /// inventions and utility models).
    function kindMatches(uint256 kindDigit, PatentKind kind) internal pure returns (bool) {
        if (kind == PatentKind.Invention) return kindDigit == 1 || kindDigit == 8;
        if (kind == PatentKind.UtilityModel) return kindDigit == 2 || kindDigit == 9;
        return kindDigit == 3;
    }
}
