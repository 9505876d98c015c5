// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";
import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";

import {IPatentRegistry} from "../interfaces/IPatentRegistry.sol";
import {IEncumbranceGuard, ITransferObserver} from "../interfaces/IEncumbranceGuard.sol";
import {Roles} from "../access/Roles.sol";
import {CalendarDays} from "../libraries/CalendarDays.sol";
import {CnipaNumber} from "../libraries/CnipaNumber.sol";
import {
    Act,
    Inventory,
    LegalStatus,
    LOCK_MAX_BIT,
    LOCK_TRANSFER_PENDING,
    MODES_ALL,
    Patent,
    PatentFacts,
    PatentKind,
    PatentRegistration,
    TransferRecord,
    TransferStatus
} from "../libraries/PatentTypes.sol";

/// @title PatentRegistry
/// @notice The register of patent rights: one ERC-721 token per CNIPA patent, keyed by its application
/// number. See {IPatentRegistry}.
contract PatentRegistry is IPatentRegistry, ERC721, AccessManaged {
    /// @dev A {TransferRecord} as stored: seller, patent, status and agreement day share one slot, so that
    /// a proposal writes three slots and acceptance one. Application numbers are below 1e12 < 2^40.
    struct StoredTransfer {
        address from;
        uint40 patentId;
        TransferStatus status;
        uint32 agreedDay;
        address to;
        address initiator; // module that agreed the transfer on the parties' behalf, or zero
        bytes32 contractHash;
    }

    /// @dev The module holding a lock bit and how many patents carry the bit, in one slot: `lock` and `unlock`
    /// read the module to check their caller, so the count they keep costs a warm write, not a second slot.
    /// Each patent adds at most one to a bit's count and patent ids are below 2^64 (`PatentRegistration.number`
    /// is a uint64): the count cannot reach 2^96.
    struct LockHolder {
        address module;
        uint96 count;
    }

    /// @notice Most records in one `registerBatch` call.
    uint256 public constant MAX_BATCH = 200;
    /// @notice Most IPC codes on one patent.
    uint256 public constant MAX_IPC = 8;
    /// @dev 2021-06-01, from which design patents run 15 years instead of 10.
    uint32 internal constant DESIGN_TERM_CHANGE_DAY = 18779;

    mapping(uint256 patentId => Patent) private _patents;
    mapping(uint256 transferId => StoredTransfer) private _transfers;
    mapping(uint256 patentId => uint256 transferId) private _pendingTransfer;
    mapping(uint64 commitment => bytes32 root) private _commitments;
    mapping(address holder => uint256 count) private _holdings;
    /// @dev Indexed by lock bit, 0..LOCK_MAX_BIT. A bit that patents carry cannot change module. The registry's
    /// own bit (LOCK_TRANSFER_PENDING) is not counted.
    LockHolder[16] private _lockModules;
    uint256 private _transferCount;
    uint256 private _evaluationCount;
    /// @dev patentId + 1 of the registered transfer now moving its token; the only way past `_update`.
    uint256 private transient _registeredMove;

    constructor(address authority) ERC721("Tianfu Patent Right", "TFPAT") AccessManaged(authority) {
        _lockModules[LOCK_TRANSFER_PENDING].module = address(this);
        emit LockModuleSet(LOCK_TRANSFER_PENDING, address(this));
    }

    // ================================================================ registrar

    /// @inheritdoc IPatentRegistry
    function register(PatentRegistration calldata record) external restricted {
        bytes32 leaf = _register(record, record.number);
        _commitments[record.number] = leaf;
        emit RecordsCommitted(record.number, leaf, 1);
    }

    /// @inheritdoc IPatentRegistry
    function registerBatch(PatentRegistration[] calldata records) external restricted {
        uint256 count = records.length;
        if (count == 0 || count > MAX_BATCH) revert PatentRegistryBatchSize(count, MAX_BATCH);
        uint64 commitment = records[0].number;
        bytes32[] memory level = new bytes32[](count);
        for (uint256 i; i < count; ++i) {
            level[i] = _register(records[i], commitment);
        }
        bytes32 root = _merkleRoot(level);
        _commitments[commitment] = root;
        emit RecordsCommitted(commitment, root, count);
    }

    /// @inheritdoc IPatentRegistry
    function setLegalStatus(uint256 patentId, LegalStatus status, string calldata reason) external restricted {
        Patent storage p = _existing(patentId);
        if (status == LegalStatus.Expired) revert PatentRegistryCannotSetExpired(patentId);
        LegalStatus previous = p.status;
        if (status == previous) revert PatentRegistryStatusUnchanged(patentId, status);
        if (bytes(reason).length == 0) revert PatentRegistryEmptyReason();
        p.status = status;
        emit LegalStatusChanged(patentId, previous, status, reason);
    }

    /// @inheritdoc IPatentRegistry
    function registerTransfer(uint256 transferId, string calldata cnipaReference, uint32 registrationDay)
        external
        restricted
    {
        StoredTransfer storage t = _agreedTransfer(transferId);
        uint256 patentId = t.patentId;
        uint32 today = CalendarDays.today();
        if (registrationDay < t.agreedDay || registrationDay > today) {
            revert PatentRegistryRegistrationDay(transferId, registrationDay, t.agreedDay, today);
        }
        LegalStatus status = legalStatus(patentId);
        if (status != LegalStatus.Valid && status != LegalStatus.UnderInvalidation) {
            revert PatentRegistryPatentNotActionable(patentId, Act.Transfer, status);
        }
        t.status = TransferStatus.Registered;
        delete _pendingTransfer[patentId];
        Patent storage p = _patents[patentId];
        uint16 remaining = p.locks & ~uint16(1 << LOCK_TRANSFER_PENDING);
        p.locks = remaining;
        emit PatentUnlocked(patentId, LOCK_TRANSFER_PENDING, address(this));

        (address from, address to) = (t.from, t.to);
        _registeredMove = patentId + 1;
        _transfer(from, to, patentId);
        _registeredMove = 0;
        emit TransferRegistered(transferId, patentId, to, from, cnipaReference, registrationDay);
        _notifyMove(transferId, patentId, remaining, from, to, t.initiator);
    }

    /// @inheritdoc IPatentRegistry
    function refuseTransfer(uint256 transferId, string calldata reason) external restricted {
        if (bytes(reason).length == 0) revert PatentRegistryEmptyReason();
        StoredTransfer storage t = _agreedTransfer(transferId);
        uint256 patentId = t.patentId;
        t.status = TransferStatus.Refused;
        _releasePending(patentId);
        emit TransferRefused(transferId, patentId, reason);
        if (t.initiator != address(0)) ITransferObserver(t.initiator).onTransferRefused(transferId, patentId);
    }

    // ================================================================ holders and evaluators

    /// @inheritdoc IPatentRegistry
    function updateInventory(uint256 patentId, Inventory calldata inventory) external {
        address owner = _existing(patentId).owner;
        if (msg.sender != owner && !_hasRole(Roles.REGISTRAR, msg.sender)) {
            revert PatentRegistryNotOwner(patentId, msg.sender, owner);
        }
        _checkInventory(patentId, inventory);
        emit InventoryUpdated(patentId, msg.sender, inventory);
    }

    /// @inheritdoc IPatentRegistry
    function recordMarketEvaluation(
        uint256 patentId,
        uint8 interest,
        uint8 improvementNeed,
        uint8 cooperationWillingness,
        bytes32 reportHash
    ) external restricted returns (uint256 evaluationId) {
        _existing(patentId);
        _checkScore(patentId, interest);
        _checkScore(patentId, improvementNeed);
        _checkScore(patentId, cooperationWillingness);
        evaluationId = ++_evaluationCount;
        emit MarketEvaluated(
            evaluationId, patentId, msg.sender, interest, improvementNeed, cooperationWillingness, reportHash
        );
    }

    /// @inheritdoc IPatentRegistry
    function proposeTransfer(uint256 patentId, address to, bytes32 contractHash)
        external
        returns (uint256 transferId)
    {
        address owner = _requireOwned(patentId);
        if (msg.sender != owner) revert PatentRegistryNotOwner(patentId, msg.sender, owner);
        transferId = _openTransfer(patentId, owner, to, contractHash, address(0), TransferStatus.Proposed);
        emit TransferProposed(transferId, patentId, owner, to, contractHash);
    }

    /// @inheritdoc IPatentRegistry
    function acceptTransfer(uint256 transferId) external {
        StoredTransfer storage t = _knownTransfer(transferId);
        if (t.status != TransferStatus.Proposed) revert PatentRegistryTransferState(transferId, uint8(t.status));
        if (msg.sender != t.to) revert PatentRegistryNotParty(transferId, msg.sender);
        uint32 today = CalendarDays.today();
        t.status = TransferStatus.Agreed;
        t.agreedDay = today;
        emit TransferAgreed(transferId, t.patentId, msg.sender, address(0), today);
    }

    /// @inheritdoc IPatentRegistry
    function cancelTransfer(uint256 transferId) external {
        StoredTransfer storage t = _knownTransfer(transferId);
        TransferStatus status = t.status;
        if ((status != TransferStatus.Proposed && status != TransferStatus.Agreed) || t.initiator != address(0)) {
            revert PatentRegistryTransferState(transferId, uint8(status));
        }
        if (msg.sender != t.from && msg.sender != t.to) revert PatentRegistryNotParty(transferId, msg.sender);
        t.status = TransferStatus.Cancelled;
        _releasePending(t.patentId);
        emit TransferCancelled(transferId, t.patentId, msg.sender);
    }

    // ================================================================ modules

    /// @inheritdoc IPatentRegistry
    function agreeTransfer(uint256 patentId, address to, bytes32 contractHash)
        external
        restricted
        returns (uint256 transferId)
    {
        address owner = _requireOwned(patentId);
        transferId = _openTransfer(patentId, owner, to, contractHash, msg.sender, TransferStatus.Agreed);
        emit TransferProposed(transferId, patentId, owner, to, contractHash);
        emit TransferAgreed(transferId, patentId, to, msg.sender, CalendarDays.today());
    }

    /// @inheritdoc IPatentRegistry
    function authoriseAct(uint256 patentId, Act act, address counterparty)
        external
        restricted
        returns (address proceedsTo)
    {
        return _authorise(patentId, act, counterparty, 0);
    }

    /// @inheritdoc IPatentRegistry
    function lock(uint256 patentId, uint8 lockBit, Act act, address counterparty)
        external
        restricted
        returns (address proceedsTo, address owner)
    {
        LockHolder storage holder = _heldByCaller(lockBit);
        proceedsTo = _authorise(patentId, act, counterparty, lockBit);
        // Read again after the guards: one of them may have called back into the registry.
        Patent storage stored = _patents[patentId];
        owner = stored.owner;
        stored.locks |= uint16(1 << lockBit);
        unchecked {
            ++holder.count; // below 2^64 (see LockHolder)
        }
        emit PatentLocked(patentId, lockBit, msg.sender);
    }

    /// @inheritdoc IPatentRegistry
    function unlock(uint256 patentId, uint8 lockBit) external restricted {
        LockHolder storage holder = _heldByCaller(lockBit);
        Patent storage p = _patents[patentId];
        (address owner, uint16 locks) = (p.owner, p.locks); // one read of the slot
        if (owner == address(0)) revert PatentRegistryUnknownPatent(patentId);
        if (locks & (1 << lockBit) == 0) revert PatentRegistryNotLocked(patentId, lockBit);
        p.locks = locks & ~uint16(1 << lockBit);
        unchecked {
            // The count is the number of patents carrying the bit, and this one did: it is at least one.
            --holder.count;
        }
        emit PatentUnlocked(patentId, lockBit, msg.sender);
    }

    /// @inheritdoc IPatentRegistry
    function setLockModule(uint8 lockBit, address module) external restricted {
        if (lockBit == LOCK_TRANSFER_PENDING || lockBit > LOCK_MAX_BIT) {
            revert PatentRegistryLockBitOutOfRange(lockBit);
        }
        LockHolder storage holder = _lockModules[lockBit];
        uint256 inUse = holder.count;
        if (inUse != 0) revert PatentRegistryLockBitInUse(lockBit, inUse);
        holder.module = module;
        emit LockModuleSet(lockBit, module);
    }

    // ================================================================ views

    /// @inheritdoc IPatentRegistry
    function patent(uint256 patentId) external view returns (Patent memory) {
        return _existing(patentId);
    }

    /// @inheritdoc IPatentRegistry
    function legalStatus(uint256 patentId) public view returns (LegalStatus status) {
        (status,) = _standing(patentId);
    }

    /// @inheritdoc IPatentRegistry
    function expiryDay(uint256 patentId) external view returns (uint32) {
        Patent storage p = _existing(patentId);
        return _expiryDay(p.kind, p.filingDay);
    }

    /// @inheritdoc IPatentRegistry
    function isLocked(uint256 patentId, uint8 lockBit) external view returns (bool) {
        return _existing(patentId).locks & (uint256(1) << lockBit) != 0;
    }

    /// @inheritdoc IPatentRegistry
    function lockModule(uint8 lockBit) external view returns (address) {
        if (lockBit > LOCK_MAX_BIT) revert PatentRegistryLockBitOutOfRange(lockBit);
        return _lockModules[lockBit].module;
    }

    /// @inheritdoc IPatentRegistry
    function lockCount(uint8 lockBit) external view returns (uint256) {
        if (lockBit > LOCK_MAX_BIT) revert PatentRegistryLockBitOutOfRange(lockBit);
        return _lockModules[lockBit].count;
    }

    /// @inheritdoc IPatentRegistry
    function transferRecord(uint256 transferId) external view returns (TransferRecord memory) {
        StoredTransfer storage t = _knownTransfer(transferId);
        return TransferRecord({
            patentId: t.patentId,
            status: t.status,
            agreedDay: t.agreedDay,
            from: t.from,
            to: t.to,
            initiator: t.initiator,
            contractHash: t.contractHash
        });
    }

    /// @inheritdoc IPatentRegistry
    function pendingTransfer(uint256 patentId) external view returns (uint256) {
        return _pendingTransfer[patentId];
    }

    /// @inheritdoc IPatentRegistry
    function commitmentRoot(uint64 commitment) external view returns (bytes32) {
        return _commitments[commitment];
    }

    /// @inheritdoc IPatentRegistry
    function transferCount() external view returns (uint256) {
        return _transferCount;
    }

    // ================================================================ the one path a patent moves by

    /// @dev Minting is registration; every later move must be the registration of a recorded transfer.
    /// The owner lives in the patent's packed slot, so this replaces ERC721's bookkeeping entirely.
    function _update(address to, uint256 tokenId, address auth) internal override returns (address from) {
        Patent storage p = _patents[tokenId];
        from = p.owner;
        if (from != address(0) && _registeredMove != tokenId + 1) revert PatentRegistryDirectTransfer(tokenId);
        if (auth != address(0)) _checkAuthorized(from, auth, tokenId);
        if (from != address(0)) {
            _approve(address(0), tokenId, address(0), false);
            unchecked {
                --_holdings[from];
            }
        }
        unchecked {
            ++_holdings[to];
        }
        p.owner = to;
        emit Transfer(from, to, tokenId);
    }

    function _ownerOf(uint256 tokenId) internal view override returns (address) {
        return _patents[tokenId].owner;
    }

    /// @inheritdoc ERC721
    function balanceOf(address owner) public view override returns (uint256) {
        if (owner == address(0)) revert ERC721InvalidOwner(address(0));
        return _holdings[owner];
    }

    /// @dev Balances are kept by `_update`; nothing else may add to them.
    function _increaseBalance(address, uint128) internal pure override {
        revert PatentRegistryDirectTransfer(0);
    }

    // ================================================================ internals

    function _register(PatentRegistration calldata r, uint64 commitment) private returns (bytes32 leaf) {
        uint256 patentId = r.number;
        PatentFacts calldata f = r.facts;
        (bool ok, uint256 year, uint256 kindDigit) = CnipaNumber.parse(r.number);
        if (!ok) revert PatentRegistryMalformedNumber(r.number);
        uint8 expected = CnipaNumber.checkDigit(r.number);
        if (f.checkDigit != expected) revert PatentRegistryCheckDigitMismatch(r.number, f.checkDigit, expected);
        if (!CnipaNumber.kindMatches(kindDigit, f.kind)) revert PatentRegistryKindMismatch(r.number, f.kind);
        uint32 today = CalendarDays.today();
        if (f.filingDay > f.grantDay || f.grantDay > today || f.filingDay == 0) {
            revert PatentRegistryDatesOutOfOrder(f.filingDay, f.grantDay, today);
        }
        // PCT national-phase numbers (kind digits 8 and 9) carry the year of entry, not of filing.
        if (kindDigit < 8) {
            uint256 filingYear = CalendarDays.yearOf(f.filingDay);
            if (filingYear != year) revert PatentRegistryFilingYearMismatch(r.number, year, filingYear);
        }
        if (r.holder == address(0)) revert PatentRegistryInvalidHolder(r.holder);
        if (bytes(r.title).length == 0) revert PatentRegistryEmptyTitle(patentId);
        _checkIpc(patentId, r.ipc);
        _checkInventory(patentId, r.inventory);
        if (_patents[patentId].owner != address(0)) revert PatentRegistryAlreadyRegistered(patentId);

        _patents[patentId] = Patent({
            owner: address(0), // set by _mint
            kind: f.kind,
            status: LegalStatus.Valid,
            locks: 0,
            filingDay: f.filingDay,
            grantDay: f.grantDay
        });
        _mint(r.holder, patentId);
        leaf = keccak256(abi.encode(r));
        _emitRegistered(r, commitment, leaf);
    }

    function _emitRegistered(PatentRegistration calldata r, uint64 commitment, bytes32 leaf) private {
        emit PatentRegistered(
            r.number,
            r.holder,
            commitment,
            leaf,
            r.facts,
            r.title,
            r.ipc,
            r.inventory
        );
    }

    function _openTransfer(
        uint256 patentId,
        address from,
        address to,
        bytes32 contractHash,
        address initiator,
        TransferStatus status
    ) private returns (uint256 transferId) {
        if (to == address(0) || to == from) revert PatentRegistryInvalidCounterparty(patentId, to);
        _authorise(patentId, Act.Transfer, to, 0);
        transferId = ++_transferCount;
        _transfers[transferId] = StoredTransfer({
            from: from,
            patentId: uint40(patentId),
            status: status,
            agreedDay: status == TransferStatus.Agreed ? CalendarDays.today() : 0,
            to: to,
            initiator: initiator,
            contractHash: contractHash
        });
        _pendingTransfer[patentId] = transferId;
        _patents[patentId].locks |= uint16(1 << LOCK_TRANSFER_PENDING);
        emit PatentLocked(patentId, LOCK_TRANSFER_PENDING, address(this));
    }

    /// @dev Tells the guards of the locks that remain, then the module that agreed the transfer.
    function _notifyMove(
        uint256 transferId,
        uint256 patentId,
        uint16 remaining,
        address from,
        address to,
        address initiator
    ) private {
        for (uint8 bit = 1; remaining >> bit != 0; ++bit) {
            if (remaining & (1 << bit) != 0) {
                IEncumbranceGuard(_lockModules[bit].module).onPatentTransferred(patentId, from, to);
            }
        }
        if (initiator != address(0)) ITransferObserver(initiator).onTransferRegistered(transferId, patentId);
    }

    function _releasePending(uint256 patentId) private {
        delete _pendingTransfer[patentId];
        _patents[patentId].locks &= ~uint16(1 << LOCK_TRANSFER_PENDING);
        emit PatentUnlocked(patentId, LOCK_TRANSFER_PENDING, address(this));
    }

    /// @dev The one rule: an act needs a patent in force and the consent of every other lock's guard.
    /// `lockBit`, unless zero (the registry's own bit, never set through `lock`), is the bit the caller is about to
    /// set: it must not be set already.
    function _authorise(uint256 patentId, Act act, address counterparty, uint8 lockBit)
        private
        returns (address proceedsTo)
    {
        (LegalStatus status, uint16 locks) = _standing(patentId);
        if (lockBit != 0 && locks & (1 << lockBit) != 0) revert PatentRegistryAlreadyLocked(patentId, lockBit);
        bool inForce = status == LegalStatus.Valid || (act == Act.Transfer && status == LegalStatus.UnderInvalidation);
        if (!inForce) revert PatentRegistryPatentNotActionable(patentId, act, status);
        if (locks & (1 << LOCK_TRANSFER_PENDING) != 0) {
            revert PatentRegistryTransferPending(patentId, _pendingTransfer[patentId]);
        }
        for (uint8 bit = 1; locks >> bit != 0; ++bit) {
            if (locks & (1 << bit) == 0) continue;
            address guard = _lockModules[bit].module;
            if (guard == msg.sender) continue;
            address to = IEncumbranceGuard(guard).authorise(patentId, act, counterparty, msg.sender);
            if (to != address(0)) proceedsTo = to;
        }
    }

    /// @dev A registered patent's legal status and lock mask, from one read of its slot. Invalidated stands;
    /// otherwise the patent is Expired from its expiry day on.
    function _standing(uint256 patentId) private view returns (LegalStatus status, uint16 locks) {
        Patent storage p = _patents[patentId];
        address owner;
        PatentKind kind;
        uint32 filingDay;
        (owner, status, kind, filingDay, locks) = (p.owner, p.status, p.kind, p.filingDay, p.locks);
        if (owner == address(0)) revert PatentRegistryUnknownPatent(patentId);
        if (status != LegalStatus.Invalidated && CalendarDays.today() >= _expiryDay(kind, filingDay)) {
            status = LegalStatus.Expired;
        }
    }

    function _expiryDay(PatentKind kind, uint32 filingDay) private pure returns (uint32) {
        uint256 term;
        if (kind == PatentKind.Invention) term = 20;
        else if (kind == PatentKind.UtilityModel) term = 10;
        else term = filingDay >= DESIGN_TERM_CHANGE_DAY ? 15 : 10;
        return uint32(CalendarDays.addYears(filingDay, term));
    }

    function _agreedTransfer(uint256 transferId) private view returns (StoredTransfer storage t) {
        t = _knownTransfer(transferId);
        if (t.status != TransferStatus.Agreed) revert PatentRegistryTransferState(transferId, uint8(t.status));
    }

    function _knownTransfer(uint256 transferId) private view returns (StoredTransfer storage t) {
        t = _transfers[transferId];
        if (t.status == TransferStatus.None) revert PatentRegistryUnknownTransfer(transferId);
    }

    function _existing(uint256 patentId) private view returns (Patent storage p) {
        p = _patents[patentId];
        if (p.owner == address(0)) revert PatentRegistryUnknownPatent(patentId);
    }

    /// @dev The slot of a lock bit whose module must be the caller.
    function _heldByCaller(uint8 lockBit) private view returns (LockHolder storage holder) {
        if (lockBit > LOCK_MAX_BIT) revert PatentRegistryLockBitOutOfRange(lockBit);
        holder = _lockModules[lockBit];
        address module = holder.module;
        if (msg.sender != module) revert PatentRegistryNotLockModule(lockBit, msg.sender, module);
    }

    function _hasRole(uint64 role, address account) private view returns (bool isMember) {
        (isMember,) = IAccessManager(authority()).hasRole(role, account);
    }

    function _checkInventory(uint256 patentId, Inventory calldata inv) private pure {
        if (inv.readiness < 1 || inv.readiness > 9) revert PatentRegistryReadinessOutOfRange(patentId, inv.readiness);
        if (inv.modes > MODES_ALL) revert PatentRegistryInvalidModes(patentId, inv.modes);
        _checkScore(patentId, inv.selfScore);
        _checkScore(patentId, inv.unitScore);
    }

    function _checkScore(uint256 patentId, uint8 score) private pure {
        if (score > 100) revert PatentRegistryScoreOutOfRange(patentId, score);
    }

    /// @dev Cheap shape check: a section letter A-H, then 4 to 15 more characters. The CLI checks fully.
    function _checkIpc(uint256 patentId, string[] calldata ipc) private pure {
        uint256 count = ipc.length;
        if (count == 0 || count > MAX_IPC) revert PatentRegistryTooManyIpcCodes(patentId, count, MAX_IPC);
        for (uint256 i; i < count; ++i) {
            bytes calldata code = bytes(ipc[i]);
            if (code.length < 4 || code.length > 16 || code[0] < "A" || code[0] > "H") {
                revert PatentRegistryBadIpc(patentId, i);
            }
        }
    }

    /// @dev Merkle root with sorted-pair hashing (OpenZeppelin `MerkleProof` verifies against it);
    /// an odd node is carried up unchanged.
    function _merkleRoot(bytes32[] memory level) private pure returns (bytes32) {
        uint256 n = level.length;
        while (n > 1) {
            uint256 half = (n + 1) / 2;
            for (uint256 i; i < n / 2; ++i) {
                level[i] = Hashes.commutativeKeccak256(level[2 * i], level[2 * i + 1]);
            }
            if (n % 2 == 1) level[half - 1] = level[n - 1];
            n = half;
        }
        return level[0];
    }
}
