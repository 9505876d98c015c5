// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {
    Act,
    Inventory,
    LegalStatus,
    Patent,
    PatentFacts,
    PatentKind,
    PatentRegistration,
    TransferRecord
} from "../libraries/PatentTypes.sol";

/// @title IPatentRegistry
/// @notice One ERC-721 token per CNIPA patent right; the token id is the application number.
/// Ownership changes only through a recorded transfer: agreed by both parties (or by a module on
/// their behalf), then registered by the registrar with the CNIPA reference and date. Modules
/// (pledges, exchange, equity) encumber patents through lock bits; before every act that needs
/// legal effect the registry asks the guard of each lock set on the patent.
interface IPatentRegistry {
    // ---------------------------------------------------------------- events

    /// @notice A patent was registered. `recordHash` is keccak256(abi.encode(record)) of the submitted
    /// record and a leaf of the Merkle root stored under `commitment` (see `commitmentRoot`).
    event PatentRegistered(
        uint256 indexed patentId,
        address indexed holder,
        uint64 indexed commitment,
        bytes32 recordHash,
        PatentFacts facts,
        string title,
        string[] ipc,
        Inventory inventory
    );
    /// @notice The record commitment (Merkle root of record hashes) of a registration call.
    event RecordsCommitted(uint64 indexed commitment, bytes32 root, uint256 count);
    event LegalStatusChanged(uint256 indexed patentId, LegalStatus previous, LegalStatus status, string reason);
    event InventoryUpdated(uint256 indexed patentId, address indexed by, Inventory inventory);
    event MarketEvaluated(
        uint256 indexed evaluationId,
        uint256 indexed patentId,
        address indexed evaluator,
        uint8 interest,
        uint8 improvementNeed,
        uint8 cooperationWillingness,
        bytes32 reportHash
    );
    event TransferProposed(
        uint256 indexed transferId, uint256 indexed patentId, address indexed from, address to, bytes32 contractHash
    );
    event TransferAgreed(
        uint256 indexed transferId, uint256 indexed patentId, address indexed to, address initiator, uint32 agreedDay
    );
    event TransferRegistered(
        uint256 indexed transferId,
        uint256 indexed patentId,
        address indexed to,
        address from,
        string cnipaReference,
        uint32 registrationDay
    );
    event TransferRefused(uint256 indexed transferId, uint256 indexed patentId, string reason);
    event TransferCancelled(uint256 indexed transferId, uint256 indexed patentId, address by);
    event PatentLocked(uint256 indexed patentId, uint8 indexed lockBit, address indexed module);
    event PatentUnlocked(uint256 indexed patentId, uint8 indexed lockBit, address indexed module);
    event LockModuleSet(uint8 indexed lockBit, address module);

    // ---------------------------------------------------------------- errors

    error PatentRegistryMalformedNumber(uint64 number);
    error PatentRegistryCheckDigitMismatch(uint64 number, uint8 given, uint8 expected);
    error PatentRegistryKindMismatch(uint64 number, PatentKind kind);
    error PatentRegistryFilingYearMismatch(uint64 number, uint256 numberYear, uint256 filingYear);
    error PatentRegistryDatesOutOfOrder(uint32 filingDay, uint32 grantDay, uint32 today);
    error PatentRegistryAlreadyRegistered(uint256 patentId);
    error PatentRegistryUnknownPatent(uint256 patentId);
    error PatentRegistryInvalidHolder(address holder);
    error PatentRegistryReadinessOutOfRange(uint256 patentId, uint8 readiness);
    error PatentRegistryScoreOutOfRange(uint256 patentId, uint8 score);
    error PatentRegistryInvalidModes(uint256 patentId, uint8 modes);
    error PatentRegistryEmptyTitle(uint256 patentId);
    error PatentRegistryBadIpc(uint256 patentId, uint256 index);
    error PatentRegistryTooManyIpcCodes(uint256 patentId, uint256 count, uint256 max);
    error PatentRegistryBatchSize(uint256 size, uint256 max);
    error PatentRegistryStatusUnchanged(uint256 patentId, LegalStatus status);
    error PatentRegistryCannotSetExpired(uint256 patentId);
    error PatentRegistryPatentNotActionable(uint256 patentId, Act act, LegalStatus status);
    error PatentRegistryNotOwner(uint256 patentId, address caller, address owner);
    error PatentRegistryNotParty(uint256 transferId, address caller);
    error PatentRegistryInvalidCounterparty(uint256 patentId, address counterparty);
    error PatentRegistryUnknownTransfer(uint256 transferId);
    error PatentRegistryTransferState(uint256 transferId, uint8 status);
    error PatentRegistryTransferPending(uint256 patentId, uint256 transferId);
    error PatentRegistryDirectTransfer(uint256 patentId);
    error PatentRegistryRegistrationDay(uint256 transferId, uint32 registrationDay, uint32 agreedDay, uint32 today);
    error PatentRegistryLockBitOutOfRange(uint8 lockBit);
    error PatentRegistryNotLockModule(uint8 lockBit, address caller, address module);
    /// @notice `count` patents still carry the lock bit: its module cannot change until they are unlocked.
    error PatentRegistryLockBitInUse(uint8 lockBit, uint256 count);
    error PatentRegistryAlreadyLocked(uint256 patentId, uint8 lockBit);
    error PatentRegistryNotLocked(uint256 patentId, uint8 lockBit);
    error PatentRegistryEmptyReason();

    // ---------------------------------------------------------------- registrar

    /// @notice Registers one granted patent (registrar).
    function register(PatentRegistration calldata record) external;

    /// @notice Registers up to `MAX_BATCH` patents in one call (registrar); all or nothing.
    function registerBatch(PatentRegistration[] calldata records) external;

    /// @notice Records a legal status change with its reason (registrar). `Expired` is derived, never set.
    function setLegalStatus(uint256 patentId, LegalStatus status, string calldata reason) external;

    /// @notice Registers an agreed transfer with CNIPA's reference and date; the patent moves (registrar).
    function registerTransfer(uint256 transferId, string calldata cnipaReference, uint32 registrationDay) external;

    /// @notice Records that CNIPA refused registration; the owner is unchanged (registrar).
    function refuseTransfer(uint256 transferId, string calldata reason) external;

    // ---------------------------------------------------------------- holders and evaluators

    /// @notice The owner (or the registrar) updates the survey fields.
    function updateInventory(uint256 patentId, Inventory calldata inventory) external;

    /// @notice An enterprise expert records a market evaluation (evaluator role). Scores 0-100.
    function recordMarketEvaluation(
        uint256 patentId,
        uint8 interest,
        uint8 improvementNeed,
        uint8 cooperationWillingness,
        bytes32 reportHash
    ) external returns (uint256 evaluationId);

    /// @notice The owner signs a transfer to `to`; the patent is locked until it ends.
    function proposeTransfer(uint256 patentId, address to, bytes32 contractHash) external returns (uint256 transferId);

    /// @notice The buyer signs a proposed transfer.
    function acceptTransfer(uint256 transferId) external;

    /// @notice Either party withdraws a transfer not yet registered (not one a module agreed).
    function cancelTransfer(uint256 transferId) external;

    // ---------------------------------------------------------------- modules

    /// @notice A module records a transfer both parties agreed through it (exchange settlement,
    /// equity execution, pledge disposal). The module is told when registration ends.
    function agreeTransfer(uint256 patentId, address to, bytes32 contractHash) external returns (uint256 transferId);

    /// @notice Checks that `act` may happen on a patent now: it must be in force and every lock set
    /// on it, other than the caller's own, must permit it. Returns where proceeds must go (zero: owner).
    function authoriseAct(uint256 patentId, Act act, address counterparty) external returns (address proceedsTo);

    /// @notice Sets the caller's lock bit after authorising `act` (the caller must hold the bit). Returns where
    /// proceeds must go (zero: the owner) and the patent's owner, so that a module acting for the owner checks
    /// its caller without a second call (the lock is undone with the caller's revert).
    function lock(uint256 patentId, uint8 lockBit, Act act, address counterparty)
        external
        returns (address proceedsTo, address owner);

    /// @notice Clears the caller's lock bit.
    function unlock(uint256 patentId, uint8 lockBit) external;

    /// @notice Names the module that holds a lock bit (admin). Refused while any patent carries the bit
    /// (`PatentRegistryLockBitInUse`): the old module would no longer be able to unlock it, stranding it.
    function setLockModule(uint8 lockBit, address module) external;

    // ---------------------------------------------------------------- views

    function patent(uint256 patentId) external view returns (Patent memory);

    function legalStatus(uint256 patentId) external view returns (LegalStatus);

    /// @notice The first day on which the patent is no longer in force (China Standard Time day).
    function expiryDay(uint256 patentId) external view returns (uint32);

    function isLocked(uint256 patentId, uint8 lockBit) external view returns (bool);
    /// @notice How many patents carry `lockBit` now (the registry's own transfer-pending bit is not counted).
    function lockCount(uint8 lockBit) external view returns (uint256);

    function lockModule(uint8 lockBit) external view returns (address);

    function transferRecord(uint256 transferId) external view returns (TransferRecord memory);

    function pendingTransfer(uint256 patentId) external view returns (uint256 transferId);

    function commitmentRoot(uint64 commitment) external view returns (bytes32);

    function transferCount() external view returns (uint256);
}
