// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {ILicensing} from "../interfaces/ILicensing.sol";
import {IRoyalties} from "../interfaces/IRoyalties.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IPatentRegistry} from "../interfaces/IPatentRegistry.sol";
import {CalendarDays} from "../libraries/CalendarDays.sol";
import {Act} from "../libraries/PatentTypes.sol";
import {
    BPS,
    FeeMethod,
    FeeTerms,
    FeeTrigger,
    Licence,
    LicenceGrant,
    LicenceKind,
    LicenceScope,
    LicenceStatus,
    OpenLicenceTerms,
    SCOPE_ALL
} from "../libraries/LicenceTypes.sol";

/// @title Licensing
/// @notice Licences and open licences on the patents of the registry. See {ILicensing}.
contract Licensing is ILicensing, AccessManaged, ReentrancyGuardTransient {
    /// @notice Most active licences granted on one patent (sublicences not included).
    uint256 public constant MAX_ACTIVE_LICENCES = 32;
    /// @notice Most active sublicences under one licence.
    uint256 public constant MAX_SUBLICENCES = 16;
    /// @notice Months after the start within which a licence contract must be filed with CNIPA.
    uint256 public constant FILING_MONTHS = 3;

    // solhint-disable-next-line immutable-vars-naming
    IPatentRegistry public immutable registry;
    IRoyalties private _royalties;

    mapping(uint256 licenceId => Licence) private _licences;
    mapping(uint256 licenceId => string) private _filingReferences;
    /// @dev Active licences granted on each patent; a licence's position is `_position[id] - 1`.
    mapping(uint256 patentId => uint64[]) private _active;
    /// @dev Active sublicences of each licence.
    mapping(uint256 parentId => uint64[]) private _subs;
    mapping(uint256 licenceId => uint256 positionPlusOne) private _position;
    mapping(uint256 patentId => OpenLicenceTerms) private _openTerms;
    mapping(uint256 patentId => bool) private _openDeclared;
    uint256 private _count;

    constructor(address authority, IPatentRegistry registry_) AccessManaged(authority) {
        registry = registry_;
    }

    // ================================================================ grants

    /// @inheritdoc ILicensing
    function grant(uint256 patentId, LicenceGrant calldata terms) external returns (uint256) {
        address owner = _ownerOf(patentId);
        if (msg.sender != owner) revert LicensingNotOwner(patentId, msg.sender, owner);
        return _grantDirect(patentId, owner, terms);
    }

    /// @inheritdoc ILicensing
    function grantFor(uint256 patentId, LicenceGrant calldata terms) external restricted returns (uint256) {
        return _grantDirect(patentId, _ownerOf(patentId), terms);
    }

    /// @inheritdoc ILicensing
    function grantSublicence(uint256 parentId, LicenceGrant calldata terms) external returns (uint256 licenceId) {
        Licence storage parent = _existing(parentId);
        if (msg.sender != parent.licensee) revert LicensingNotLicensee(parentId, msg.sender, parent.licensee);
        if (parent.status != LicenceStatus.Active) revert LicensingNotActive(parentId, parent.status);
        if (!parent.sublicensable) revert LicensingNotSublicensable(parentId);
        uint256 patentId = parent.patentId;
        LicenceScope calldata s = terms.scope;
        LicenceScope memory ps = parent.scope;
        _checkTerms(patentId, msg.sender, terms);
        if (
            s.fields & ~ps.fields != 0 || s.territories & ~ps.territories != 0 || s.startDay < ps.startDay
                || s.endDay > ps.endDay
        ) revert LicensingOutsideParentScope(parentId, ps);
        uint64[] storage subs = _subs[parentId];
        if (subs.length >= MAX_SUBLICENCES) revert LicensingTooManySublicences(parentId, MAX_SUBLICENCES);
        address proceedsTo = registry.authoriseAct(patentId, Act.Licence, terms.licensee);
        LicenceGrant memory t = terms;
        t.kind = LicenceKind.Sublicence;
        t.sublicensable = false;
        licenceId = _store(patentId, msg.sender, t, false, parentId, proceedsTo);
        _push(subs, licenceId);
        emit SublicenceGranted(licenceId, parentId, terms.licensee);
    }

    // ================================================================ lifecycle

    /// @inheritdoc ILicensing
    function recordFiling(uint256 licenceId, string calldata filingRef, uint32 filedDay) external restricted {
        Licence storage lic = _existing(licenceId);
        if (bytes(filingRef).length == 0) revert LicensingEmptyFilingReference();
        if (lic.filedDay != 0) revert LicensingAlreadyFiled(licenceId, lic.filedDay);
        uint32 today = CalendarDays.today();
        if (filedDay < lic.grantedDay || filedDay > today) {
            revert LicensingBadFilingDay(licenceId, filedDay, lic.grantedDay, today);
        }
        bool late = filedDay > filingDeadline(lic.scope.startDay);
        lic.filedDay = filedDay;
        lic.filedLate = late;
        _filingReferences[licenceId] = filingRef;
        emit LicenceFiled(licenceId, lic.patentId, filingRef, filedDay, late);
    }

    /// @inheritdoc ILicensing
    function terminate(uint256 licenceId, string calldata reason) external {
        Licence storage lic = _existing(licenceId);
        if (lic.status != LicenceStatus.Active) revert LicensingNotActive(licenceId, lic.status);
        if (bytes(reason).length == 0) revert LicensingEmptyReason();
        address grantor =
            lic.kind == LicenceKind.Sublicence ? _licences[lic.parentId].licensee : _ownerOf(lic.patentId);
        if (msg.sender != grantor && msg.sender != lic.licensee) revert LicensingNotParty(licenceId, msg.sender);
        uint32 today = CalendarDays.today();
        _close(licenceId, lic, LicenceStatus.Terminated, today);
        emit LicenceTerminated(licenceId, lic.patentId, msg.sender, reason, today);
    }

    /// @inheritdoc ILicensing
    function expire(uint256 licenceId) external {
        Licence storage lic = _existing(licenceId);
        if (lic.status != LicenceStatus.Active) revert LicensingNotActive(licenceId, lic.status);
        uint32 today = CalendarDays.today();
        if (today < lic.scope.endDay) revert LicensingNotEnded(licenceId, lic.scope.endDay, today);
        _expire(licenceId, lic, today);
    }

    // ================================================================ open licensing

    /// @inheritdoc ILicensing
    function declareOpenLicence(uint256 patentId, OpenLicenceTerms calldata terms) external {
        _requireOwner(patentId);
        if (_openDeclared[patentId]) revert LicensingOpenLicenceDeclared(patentId);
        bool royalty = terms.method == FeeMethod.RunningRoyalty;
        bool badRate = royalty
            ? terms.royaltyBps == 0 || terms.royaltyBps > BPS || terms.amount != 0
            : terms.royaltyBps != 0;
        if (terms.termDays == 0 || terms.method == FeeMethod.UseFirstPayLater || badRate) {
            revert LicensingBadOpenTerms(terms.method, terms.amount, terms.royaltyBps, terms.termDays);
        }
        if ((royalty || terms.amount != 0) && terms.token == address(0)) revert LicensingNoToken();
        uint32 today = CalendarDays.today();
        uint64[] storage active = _active[patentId];
        for (uint256 i; i < active.length; ++i) {
            Licence storage lic = _licences[active[i]];
            if (lic.kind != LicenceKind.NonExclusive && today < lic.scope.endDay) {
                revert LicensingExclusiveLicenceActive(patentId, active[i], lic.kind, lic.scope.endDay);
            }
        }
        registry.authoriseAct(patentId, Act.OpenLicence, address(0));
        _openTerms[patentId] = terms;
        _openDeclared[patentId] = true;
        emit OpenLicenceDeclared(patentId, msg.sender, terms);
    }

    /// @inheritdoc ILicensing
    function withdrawOpenLicence(uint256 patentId) external {
        _requireOwner(patentId);
        if (!_openDeclared[patentId]) revert LicensingOpenLicenceNotDeclared(patentId);
        delete _openDeclared[patentId];
        delete _openTerms[patentId];
        emit OpenLicenceWithdrawn(patentId, msg.sender);
    }

    /// @inheritdoc ILicensing
    function takeOpenLicence(uint256 patentId, uint128 maxFee) external nonReentrant returns (uint256 licenceId) {
        if (!_openDeclared[patentId]) revert LicensingOpenLicenceNotDeclared(patentId);
        OpenLicenceTerms memory ot = _openTerms[patentId];
        if (ot.amount > maxFee) revert LicensingFeeAboveLimit(patentId, ot.amount, maxFee);
        address owner = _ownerOf(patentId);
        if (msg.sender == owner) revert LicensingInvalidLicensee(patentId, msg.sender);
        uint32 today = CalendarDays.today();
        uint256 end = uint256(today) + ot.termDays;
        uint32 expiry = registry.expiryDay(patentId);
        LicenceScope memory scope = LicenceScope({
            fields: SCOPE_ALL,
            territories: SCOPE_ALL,
            startDay: today,
            endDay: end < expiry ? uint32(end) : expiry
        });
        _admit(patentId, LicenceKind.NonExclusive, scope);
        address proceedsTo = registry.authoriseAct(patentId, Act.OpenLicence, msg.sender);
        LicenceGrant memory terms = LicenceGrant({
            licensee: msg.sender,
            kind: LicenceKind.NonExclusive,
            sublicensable: false,
            scope: scope,
            fee: FeeTerms({
                method: ot.method,
                trigger: FeeTrigger.None,
                royaltyBps: ot.royaltyBps,
                triggerDay: 0,
                amount: ot.amount
            }),
            token: ot.token,
            contractHash: keccak256(abi.encode(patentId, ot))
        });
        licenceId = _store(patentId, owner, terms, true, 0, proceedsTo);
        _push(_active[patentId], licenceId);
        emit OpenLicenceTaken(licenceId, patentId, msg.sender);
        if (ot.method == FeeMethod.LumpSum && ot.amount != 0) _royalties.collectFee(licenceId, msg.sender);
    }

    /// @inheritdoc ILicensing
    function setRoyalties(IRoyalties royalties_) external restricted {
        if (address(_royalties) != address(0)) revert LicensingRoyaltiesAlreadySet(address(_royalties));
        _royalties = royalties_;
        emit RoyaltiesContractSet(address(royalties_));
    }

    // ================================================================ views

    /// @inheritdoc ILicensing
    function licence(uint256 licenceId) external view returns (Licence memory) {
        return _existing(licenceId);
    }

    /// @inheritdoc ILicensing
    function filingReference(uint256 licenceId) external view returns (string memory) {
        return _filingReferences[licenceId];
    }

    /// @inheritdoc ILicensing
    function activeLicences(uint256 patentId) external view returns (uint64[] memory) {
        return _active[patentId];
    }

    /// @inheritdoc ILicensing
    function sublicences(uint256 parentId) external view returns (uint64[] memory) {
        return _subs[parentId];
    }

    /// @inheritdoc ILicensing
    function openLicenceTerms(uint256 patentId) external view returns (bool, OpenLicenceTerms memory) {
        return (_openDeclared[patentId], _openTerms[patentId]);
    }

    /// @inheritdoc ILicensing
    function licenceCount() external view returns (uint256) {
        return _count;
    }

    /// @inheritdoc ILicensing
    function royalties() external view returns (IRoyalties) {
        return _royalties;
    }

    /// @notice The last day on which a licence starting `startDay` is filed in time: the same date three months
    /// later (a date past the end of that month rolls over into the next).
    function filingDeadline(uint32 startDay) public pure returns (uint32) {
        (uint256 y, uint256 m, uint256 d) = CalendarDays.toCivil(startDay);
        m += FILING_MONTHS;
        if (m > 12) {
            m -= 12;
            y += 1;
        }
        return uint32(CalendarDays.fromCivil(y, m, d));
    }

    // ================================================================ internals

    function _grantDirect(uint256 patentId, address owner, LicenceGrant calldata terms)
        private
        returns (uint256 licenceId)
    {
        if (terms.kind == LicenceKind.Sublicence) revert LicensingKindNotGrantable(terms.kind);
        _checkTerms(patentId, owner, terms);
        if (terms.kind != LicenceKind.NonExclusive && _openDeclared[patentId]) {
            revert LicensingOpenLicenceDeclared(patentId);
        }
        _admit(patentId, terms.kind, terms.scope);
        address proceedsTo = registry.authoriseAct(patentId, Act.Licence, terms.licensee);
        licenceId = _store(patentId, owner, terms, false, 0, proceedsTo);
        _push(_active[patentId], licenceId);
    }

    /// @dev Walks the patent's active list once: closes licences past their end, refuses a conflict, then the cap.
    function _admit(uint256 patentId, LicenceKind kind, LicenceScope memory s) private {
        uint64[] storage active = _active[patentId];
        uint32 today = CalendarDays.today();
        bool strong = kind != LicenceKind.NonExclusive;
        uint256 i;
        while (i < active.length) {
            uint64 id = active[i];
            Licence storage lic = _licences[id];
            LicenceScope memory ot = lic.scope;
            if (today >= ot.endDay) {
                _expire(id, lic, today); // swaps the last id into position i
                continue;
            }
            if (
                (strong || lic.kind != LicenceKind.NonExclusive) && s.startDay < ot.endDay && ot.startDay < s.endDay
                    && s.fields & ot.fields != 0 && s.territories & ot.territories != 0
            ) revert LicensingConflict(id, lic.kind, ot.startDay, ot.endDay, ot.fields, ot.territories);
            ++i;
        }
        if (active.length >= MAX_ACTIVE_LICENCES) revert LicensingTooManyActiveLicences(patentId, MAX_ACTIVE_LICENCES);
    }

    function _checkTerms(uint256 patentId, address grantor, LicenceGrant calldata terms) private view {
        address licensee = terms.licensee;
        if (licensee == address(0) || licensee == grantor) revert LicensingInvalidLicensee(patentId, licensee);
        LicenceScope calldata s = terms.scope;
        if (s.fields == 0 || s.territories == 0) revert LicensingEmptyScope(s.fields, s.territories);
        uint32 today = CalendarDays.today();
        uint32 expiry = registry.expiryDay(patentId);
        if (s.startDay >= s.endDay || s.endDay <= today || s.endDay > expiry) {
            revert LicensingBadDates(s.startDay, s.endDay, today, expiry);
        }
        FeeTerms calldata f = terms.fee;
        bool ok;
        if (f.method == FeeMethod.LumpSum) {
            ok = f.royaltyBps == 0 && f.trigger == FeeTrigger.None && f.triggerDay == 0;
        } else if (f.method == FeeMethod.RunningRoyalty) {
            ok = f.royaltyBps != 0 && f.royaltyBps <= BPS && f.amount == 0 && f.trigger == FeeTrigger.None
                && f.triggerDay == 0;
        } else {
            ok = f.amount != 0 && f.royaltyBps == 0 && f.trigger != FeeTrigger.None
                && (f.trigger == FeeTrigger.Date ? f.triggerDay != 0 : f.triggerDay == 0);
        }
        if (!ok) revert LicensingBadFeeTerms(f.method, f.amount, f.royaltyBps, uint8(f.trigger), f.triggerDay);
        if ((f.amount != 0 || f.royaltyBps != 0) && terms.token == address(0)) revert LicensingNoToken();
    }

    /// @dev `terms` carries the final kind, scope and sublicensable flag.
    function _store(
        uint256 patentId,
        address grantor,
        LicenceGrant memory terms,
        bool open,
        uint256 parentId,
        address proceedsTo
    ) private returns (uint256 licenceId) {
        licenceId = ++_count;
        Licence storage lic = _licences[licenceId];
        lic.patentId = uint64(patentId);
        lic.licensee = terms.licensee;
        lic.kind = terms.kind;
        lic.status = LicenceStatus.Active;
        lic.sublicensable = terms.sublicensable;
        lic.open = open;
        lic.scope = terms.scope;
        lic.parentId = uint64(parentId);
        lic.fee = terms.fee;
        lic.token = terms.token;
        lic.grantedDay = CalendarDays.today();
        lic.grantor = grantor;
        lic.proceedsTo = proceedsTo;
        lic.contractHash = terms.contractHash;
        _emitGranted(licenceId, patentId, grantor, terms, proceedsTo);
    }

    function _emitGranted(
        uint256 licenceId,
        uint256 patentId,
        address grantor,
        LicenceGrant memory t,
        address proceedsTo
    ) private {
        emit LicenceGranted(
            licenceId, patentId, t.licensee, grantor, t.kind, t.sublicensable, t.scope, t.fee, t.token, t.contractHash,
            proceedsTo
        );
    }

    function _expire(uint256 licenceId, Licence storage lic, uint32 today) private {
        _close(licenceId, lic, LicenceStatus.Expired, today);
        emit LicenceExpired(licenceId, lic.patentId, lic.scope.endDay, today);
    }

    /// @dev Ends a licence, takes it off its list and revokes its sublicences (at most MAX_SUBLICENCES).
    function _close(uint256 licenceId, Licence storage lic, LicenceStatus status, uint32 today) private {
        lic.status = status;
        lic.endedDay = today;
        bool sub = lic.kind == LicenceKind.Sublicence;
        _remove(sub ? _subs[lic.parentId] : _active[lic.patentId], licenceId);
        if (sub) return;
        uint64[] storage subs = _subs[licenceId];
        for (uint256 n = subs.length; n > 0; --n) {
            uint64 subId = subs[n - 1];
            Licence storage s = _licences[subId];
            s.status = LicenceStatus.Revoked;
            s.endedDay = today;
            delete _position[subId];
            subs.pop();
            emit SublicenceRevoked(subId, licenceId, lic.patentId, today);
        }
    }

    function _push(uint64[] storage list, uint256 licenceId) private {
        list.push(uint64(licenceId));
        _position[licenceId] = list.length;
    }

    function _remove(uint64[] storage list, uint256 licenceId) private {
        uint256 index = _position[licenceId] - 1;
        uint256 last = list.length - 1;
        if (index != last) {
            uint64 moved = list[last];
            list[index] = moved;
            _position[moved] = index + 1;
        }
        list.pop();
        delete _position[licenceId];
    }

    function _requireOwner(uint256 patentId) private view {
        address owner = _ownerOf(patentId);
        if (msg.sender != owner) revert LicensingNotOwner(patentId, msg.sender, owner);
    }

    function _existing(uint256 licenceId) private view returns (Licence storage lic) {
        lic = _licences[licenceId];
        if (lic.status == LicenceStatus.None) revert LicensingUnknownLicence(licenceId);
    }

    function _ownerOf(uint256 patentId) private view returns (address) {
        return IERC721(address(registry)).ownerOf(patentId);
    }
}
