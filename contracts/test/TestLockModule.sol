// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IEncumbranceGuard, ITransferObserver} from "../interfaces/IEncumbranceGuard.sol";
import {IPatentRegistry} from "../interfaces/IPatentRegistry.sol";
import {Act} from "../libraries/PatentTypes.sol";

/// @title TestLockModule
/// @notice A minimal registry module for tests: locks and unlocks a bit, authorises acts, agrees
/// transfers, and as a guard either permits (optionally naming a `proceedsTo`) or refuses with its own
/// custom error. It records every callback it receives as an event.
contract TestLockModule is IEncumbranceGuard, ITransferObserver {
    /// @notice The guard was asked to authorise an act.
    event AuthoriseAsked(uint256 indexed patentId, Act act, address counterparty, address initiator);
    /// @notice The registry told the guard that a locked patent moved.
    event PatentTransferredSeen(uint256 indexed patentId, address from, address to);
    /// @notice The registry told the observer that a transfer it agreed was registered.
    event TransferRegisteredSeen(uint256 indexed transferId, uint256 indexed patentId);
    /// @notice The registry told the observer that a transfer it agreed was refused.
    event TransferRefusedSeen(uint256 indexed transferId, uint256 indexed patentId);
    /// @notice This module acted through the registry and was answered with `proceedsTo`.
    event ActAuthorised(uint256 indexed patentId, Act act, address proceedsTo);
    /// @notice The registry's answer to this module's lock: where proceeds go and the patent's owner.
    event LockAnswered(uint256 indexed patentId, address proceedsTo, address owner);
    /// @notice This module agreed a transfer.
    event TransferAgreedBy(uint256 indexed transferId, uint256 indexed patentId, address to);
    /// @notice The guard's answer was configured.
    event PolicySet(bool permit, address proceedsTo);

    /// @notice The guard refuses `act` on `patentId`.
    error TestLockModuleRefused(uint256 patentId, Act act, address counterparty, address initiator);
    /// @notice A callback came from somewhere other than the registry.
    error TestLockModuleNotRegistry(address caller);

    IPatentRegistry public immutable REGISTRY;
    bool public permit = true;
    address public proceedsTo;
    uint256 public transferredSeen;
    uint256 public registeredSeen;
    uint256 public refusedSeen;
    /// @dev A call back into the registry the guard makes once, the next time it is asked (see `unlockOnAuthorise`).
    TestLockModule private _callbackVia;
    uint256 private _callbackPatent;
    uint8 private _callbackBit;

    constructor(IPatentRegistry registry_) {
        REGISTRY = registry_;
    }

    modifier onlyRegistry() {
        if (msg.sender != address(REGISTRY)) revert TestLockModuleNotRegistry(msg.sender);
        _;
    }

    /// @notice Configures the guard's answer to other modules' acts.
    function setPolicy(bool permit_, address proceedsTo_) external {
        permit = permit_;
        proceedsTo = proceedsTo_;
        emit PolicySet(permit_, proceedsTo_);
    }

    /// @notice The next time this guard is asked to authorise, it first has `via` unlock `lockBit` of `patentId`:
    /// a guard calling back into the registry in the middle of another module's `lock`.
    function unlockOnAuthorise(TestLockModule via, uint256 patentId, uint8 lockBit) external {
        (_callbackVia, _callbackPatent, _callbackBit) = (via, patentId, lockBit);
    }

    /// @notice Sets `lockBit` on a patent through the REGISTRY.
    function lockPatent(uint256 patentId, uint8 lockBit, Act what, address counterparty)
        external
        returns (address to)
    {
        address owner;
        (to, owner) = REGISTRY.lock(patentId, lockBit, what, counterparty);
        emit ActAuthorised(patentId, what, to);
        emit LockAnswered(patentId, to, owner);
    }

    /// @notice Clears `lockBit` on a patent through the REGISTRY.
    function unlockPatent(uint256 patentId, uint8 lockBit) external {
        REGISTRY.unlock(patentId, lockBit);
    }

    /// @notice Asks the registry whether `act` may happen now.
    function act(uint256 patentId, Act what, address counterparty) external returns (address to) {
        to = REGISTRY.authoriseAct(patentId, what, counterparty);
        emit ActAuthorised(patentId, what, to);
    }

    /// @notice Agrees a transfer on the parties' behalf.
    function agree(uint256 patentId, address to, bytes32 contractHash) external returns (uint256 transferId) {
        transferId = REGISTRY.agreeTransfer(patentId, to, contractHash);
        emit TransferAgreedBy(transferId, patentId, to);
    }

    /// @inheritdoc IEncumbranceGuard
    function authorise(uint256 patentId, Act what, address counterparty, address initiator)
        external
        onlyRegistry
        returns (address)
    {
        if (!permit) revert TestLockModuleRefused(patentId, what, counterparty, initiator);
        TestLockModule via = _callbackVia;
        if (address(via) != address(0)) {
            delete _callbackVia;
            via.unlockPatent(_callbackPatent, _callbackBit);
        }
        emit AuthoriseAsked(patentId, what, counterparty, initiator);
        return proceedsTo;
    }

    /// @inheritdoc IEncumbranceGuard
    function onPatentTransferred(uint256 patentId, address from, address to) external onlyRegistry {
        ++transferredSeen;
        emit PatentTransferredSeen(patentId, from, to);
    }

    /// @inheritdoc ITransferObserver
    function onTransferRegistered(uint256 transferId, uint256 patentId) external onlyRegistry {
        ++registeredSeen;
        emit TransferRegisteredSeen(transferId, patentId);
    }

    /// @inheritdoc ITransferObserver
    function onTransferRefused(uint256 transferId, uint256 patentId) external onlyRegistry {
        ++refusedSeen;
        emit TransferRefusedSeen(transferId, patentId);
    }
}
