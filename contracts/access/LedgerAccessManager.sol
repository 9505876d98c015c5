// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessManager} from "@openzeppelin/contracts/access/manager/AccessManager.sol";

/// @title LedgerAccessManager
/// @notice The one authority of the ledger: grants the registrar, venue, bank, appraiser, evaluator and
/// module roles and maps every restricted function to its role. OpenZeppelin's AccessManager, unchanged.
contract LedgerAccessManager is AccessManager {
    constructor(address initialAdmin) AccessManager(initialAdmin) {}
}
