// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice Role ids used with the OpenZeppelin AccessManager. Granted by the admin (role 0).
library Roles {
    uint64 internal constant ADMIN = 0;
    /// @notice The IP office or an exchange operator: attests patents, statuses and registrations.
    uint64 internal constant REGISTRAR = 1;
    /// @notice An exchange venue operator (Chengdu, Chongqing).
    uint64 internal constant VENUE = 2;
    /// @notice A bank that takes pledges.
    uint64 internal constant BANK = 3;
    /// @notice A valuation firm.
    uint64 internal constant APPRAISER = 4;
    /// @notice Enterprise experts who record market evaluations.
    uint64 internal constant EVALUATOR = 5;
    /// @notice Ledger contracts (licensing, pledges, exchange, equity) that act on the registry.
    uint64 internal constant MODULE = 6;
}
