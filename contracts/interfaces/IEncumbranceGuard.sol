// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Act} from "../libraries/PatentTypes.sol";

/// @title IEncumbranceGuard
/// @notice A module holding a lock bit on a patent decides whether other acts may proceed on it.
/// The registry asks the guard of every lock bit set on a patent, except the caller's own bit,
/// before any act that needs legal effect. A guard refuses by reverting with its own custom error
/// (for example a pledge without the pledgee's consent for this act and counterparty).
interface IEncumbranceGuard {
    /// @param patentId The patent.
    /// @param act The act requested.
    /// @param counterparty The buyer, licensee, pledgee or company concerned.
    /// @param initiator The module or account asking.
    /// @return proceedsTo Where the proceeds of the act must go instead of the owner (zero: the owner).
    function authorise(uint256 patentId, Act act, address counterparty, address initiator)
        external
        returns (address proceedsTo);

    /// @notice Told after a registered transfer moved a patent that carries this guard's lock.
    function onPatentTransferred(uint256 patentId, address from, address to) external;
}

/// @title ITransferObserver
/// @notice A module that agreed a transfer on the parties' behalf is told how registration ended.
interface ITransferObserver {
    function onTransferRegistered(uint256 transferId, uint256 patentId) external;

    function onTransferRefused(uint256 transferId, uint256 patentId) external;
}
