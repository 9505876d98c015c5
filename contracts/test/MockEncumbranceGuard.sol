// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IEncumbranceGuard} from "../interfaces/IEncumbranceGuard.sol";
import {IPatentRegistry} from "../interfaces/IPatentRegistry.sol";
import {Act} from "../libraries/PatentTypes.sol";

/// @notice Test double of an encumbrance guard (e.g. a pledge): holds a lock bit, then consents (naming where
/// proceeds go) or refuses. Not deployed outside tests.
contract MockEncumbranceGuard is IEncumbranceGuard {
    error MockGuardRefused(uint256 patentId, Act act, address counterparty);

    event Asked(uint256 indexed patentId, Act act, address counterparty, address initiator);

    // solhint-disable-next-line immutable-vars-naming
    IPatentRegistry private immutable _registry;
    bool public refuse;
    address public proceeds;

    constructor(IPatentRegistry registry_) {
        _registry = registry_;
    }

    function configure(bool refuse_, address proceeds_) external {
        refuse = refuse_;
        proceeds = proceeds_;
    }

    function lock(uint256 patentId, uint8 lockBit) external {
        _registry.lock(patentId, lockBit, Act.Pledge, msg.sender);
    }

    function authorise(uint256 patentId, Act act, address counterparty, address initiator)
        external
        returns (address)
    {
        if (refuse) revert MockGuardRefused(patentId, act, counterparty);
        emit Asked(patentId, act, counterparty, initiator);
        return proceeds;
    }

    function onPatentTransferred(uint256, address, address) external {}
}
