// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";

/// @title DemoSettlementToken
/// @notice A stand-in for the settlement token of the local ledger (a bank-issued deposit token or a
/// digital-yuan wrapper in production): 2 decimals, like yuan and fen. Minted by the admin only.
contract DemoSettlementToken is ERC20, AccessManaged {
    constructor(address authority) ERC20("Demo CNY Settlement Token", "dCNY") AccessManaged(authority) {}

    /// @notice Mints `amount` (in fen) to `to` (admin).
    function mint(address to, uint256 amount) external restricted {
        _mint(to, amount);
    }

    /// @inheritdoc ERC20
    function decimals() public pure override returns (uint8) {
        return 2;
    }
}
