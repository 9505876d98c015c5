// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {
    FeeMethod,
    FeeTerms,
    Licence,
    LicenceGrant,
    LicenceKind,
    LicenceScope,
    LicenceStatus,
    OpenLicenceTerms
} from "../libraries/LicenceTypes.sol";
import {IRoyalties} from "./IRoyalties.sol";

/// @title ILicensing
/// @notice Patent licences (专利实施许可) and open licensing (开放许可), with the conflict rules enforced on chain.
///
/// Rules:
/// - An Exclusive (独占) or Sole (排他) licence conflicts with every other active licence on the patent whose
///   scope overlaps it in time, territory and field (see {LicenceScope}); a conflicting grant reverts with
///   {LicensingConflict} naming the licence it conflicts with. An exclusive licence also excludes the owner from
///   practising in its scope: the ledger records this, it cannot stop the owner's own practice.
/// - A patent holds at most `MAX_ACTIVE_LICENCES` active licences granted on it (sublicences are counted per
///   parent instead, at most `MAX_SUBLICENCES`). Terminated ones leave the count at once; those past their end
///   are closed as expired whenever a grant walks the list, so ended licences stop counting.
/// - A sublicence is granted by the licensee of a non-sublicence parent that allows sublicensing, within the
///   parent's scope; it is revoked when its parent ends. Sublicences are not checked against the parent, whose
///   rights they share, nor against each other (they are non-exclusive).
/// - Every grant (and the open-licence declaration) asks the registry first (`authoriseAct`): the patent must
///   be in force and every encumbrance guard (e.g. a pledge) must consent; a guard may name where lump-sum
///   proceeds go instead of the owner (`proceedsTo`, recorded on the licence and honoured by {IRoyalties}).
/// - Open licensing: while an open licence is declared no Exclusive or Sole licence may be granted, and a
///   declaration is refused while one is active (not yet ended). Anyone takes a non-exclusive licence over every
///   field and territory by notice and payment; withdrawing the declaration leaves licences already taken intact.
/// - Licence contracts are filed with CNIPA within three months of the start; the registrar records the
///   filing reference and the day, and whether it was late.
interface ILicensing {
    // ---------------------------------------------------------------- events

    /// @notice A licence was granted on a patent (also for open licences taken and sublicences).
    event LicenceGranted(
        uint256 indexed licenceId,
        uint256 indexed patentId,
        address indexed licensee,
        address grantor,
        LicenceKind kind,
        bool sublicensable,
        LicenceScope scope,
        FeeTerms fee,
        address token,
        bytes32 contractHash,
        address proceedsTo
    );
    /// @notice A sublicence was granted under `parentId` (emitted with {LicenceGranted}).
    event SublicenceGranted(uint256 indexed licenceId, uint256 indexed parentId, address indexed sublicensee);
    /// @notice The registrar recorded the CNIPA filing of a licence contract.
    event LicenceFiled(
        uint256 indexed licenceId, uint256 indexed patentId, string filingRef, uint32 filedDay, bool late
    );
    event LicenceTerminated(
        uint256 indexed licenceId, uint256 indexed patentId, address indexed by, string reason, uint32 day
    );
    event LicenceExpired(uint256 indexed licenceId, uint256 indexed patentId, uint32 endDay, uint32 day);
    /// @notice A sublicence ended because its parent ended.
    event SublicenceRevoked(uint256 indexed licenceId, uint256 indexed parentId, uint256 indexed patentId, uint32 day);
    event OpenLicenceDeclared(uint256 indexed patentId, address indexed owner, OpenLicenceTerms terms);
    event OpenLicenceWithdrawn(uint256 indexed patentId, address indexed owner);
    /// @notice A licence was taken under an open-licence declaration (emitted with {LicenceGranted}).
    event OpenLicenceTaken(uint256 indexed licenceId, uint256 indexed patentId, address indexed licensee);
    event RoyaltiesContractSet(address royalties);

    // ---------------------------------------------------------------- errors

    error LicensingNotOwner(uint256 patentId, address caller, address owner);
    error LicensingNotLicensee(uint256 licenceId, address caller, address licensee);
    error LicensingNotParty(uint256 licenceId, address caller);
    error LicensingUnknownLicence(uint256 licenceId);
    error LicensingInvalidLicensee(uint256 patentId, address licensee);
    error LicensingKindNotGrantable(LicenceKind kind);
    error LicensingEmptyScope(uint64 fields, uint64 territories);
    error LicensingBadDates(uint32 startDay, uint32 endDay, uint32 today, uint32 expiryDay);
    error LicensingBadFeeTerms(FeeMethod method, uint128 amount, uint16 royaltyBps, uint8 trigger, uint32 triggerDay);
    error LicensingNoToken();
    /// @notice The grant overlaps licence `licenceId` (its kind, dates and scope given) where one is exclusive or sole.
    error LicensingConflict(
        uint256 licenceId, LicenceKind kind, uint32 startDay, uint32 endDay, uint64 fields, uint64 territories
    );
    error LicensingTooManyActiveLicences(uint256 patentId, uint256 max);
    error LicensingTooManySublicences(uint256 parentId, uint256 max);
    error LicensingNotActive(uint256 licenceId, LicenceStatus status);
    error LicensingNotSublicensable(uint256 parentId);
    error LicensingOutsideParentScope(uint256 parentId, LicenceScope parentScope);
    error LicensingNotEnded(uint256 licenceId, uint32 endDay, uint32 today);
    error LicensingEmptyReason();
    error LicensingAlreadyFiled(uint256 licenceId, uint32 filedDay);
    error LicensingBadFilingDay(uint256 licenceId, uint32 filedDay, uint32 grantedDay, uint32 today);
    error LicensingEmptyFilingReference();
    /// @notice An open licence is declared on the patent: no exclusive or sole licence meanwhile.
    error LicensingOpenLicenceDeclared(uint256 patentId);
    error LicensingOpenLicenceNotDeclared(uint256 patentId);
    /// @notice Licence `licenceId` (exclusive or sole, ending `endDay`) bars an open-licence declaration.
    error LicensingExclusiveLicenceActive(uint256 patentId, uint256 licenceId, LicenceKind kind, uint32 endDay);
    error LicensingBadOpenTerms(FeeMethod method, uint128 amount, uint16 royaltyBps, uint32 termDays);
    error LicensingFeeAboveLimit(uint256 patentId, uint128 amount, uint128 maxFee);
    error LicensingRoyaltiesAlreadySet(address royalties);

    // ---------------------------------------------------------------- grants

    /// @notice The patent's owner grants a licence (Exclusive, Sole or NonExclusive).
    /// @dev Asks the registry (`authoriseAct(patentId, Act.Licence, licensee)`) before granting.
    /// Reverts {LicensingConflict} on overlap with an exclusive or sole licence, {LicensingOpenLicenceDeclared}
    /// for an exclusive or sole grant under a declaration, {LicensingTooManyActiveLicences} at the cap.
    /// @return licenceId The new licence (ids start at 1).
    function grant(uint256 patentId, LicenceGrant calldata terms) external returns (uint256 licenceId);

    /// @notice A module (the exchange at settlement) grants a licence on the parties' behalf (MODULE role).
    /// The grantor recorded is the patent's owner. Same rules as {grant}.
    function grantFor(uint256 patentId, LicenceGrant calldata terms) external returns (uint256 licenceId);

    /// @notice The licensee of `parentId` grants a sublicence within the parent's scope.
    /// `terms.kind` and `terms.sublicensable` are ignored: a sublicence is of kind Sublicence and cannot be
    /// sublicensed further. Its fees are paid to the parent's licensee.
    function grantSublicence(uint256 parentId, LicenceGrant calldata terms) external returns (uint256 licenceId);

    // ---------------------------------------------------------------- lifecycle

    /// @notice The registrar records the CNIPA filing of a licence contract (REGISTRAR role). `filedDay` may not
    /// precede the grant nor be in the future; it is late when more than three calendar months after the start.
    function recordFiling(uint256 licenceId, string calldata filingRef, uint32 filedDay) external;

    /// @notice The owner of the patent (for a sublicence: the parent's licensee) or the licensee ends a licence
    /// early. Its sublicences are revoked.
    function terminate(uint256 licenceId, string calldata reason) external;

    /// @notice Anyone closes a licence on or after its end day. Its sublicences are revoked.
    function expire(uint256 licenceId) external;

    // ---------------------------------------------------------------- open licensing

    /// @notice The owner declares public open-licence terms (asks the registry with `Act.OpenLicence`).
    /// Refused with {LicensingExclusiveLicenceActive} while an exclusive or sole licence has not ended.
    function declareOpenLicence(uint256 patentId, OpenLicenceTerms calldata terms) external;

    /// @notice The owner withdraws the declaration; licences already taken stay in force.
    function withdrawOpenLicence(uint256 patentId) external;

    /// @notice Takes a non-exclusive licence under the declared terms, by notice and payment: a lump-sum fee is
    /// paid at once through {IRoyalties} (approve the royalties contract for `amount` of the token first).
    /// @dev Asks the registry with `authoriseAct(patentId, Act.OpenLicence, taker)`: an encumbrance that consented
    /// to the declaration consents to each taker, and may name where the fee goes (`proceedsTo`).
    /// @param maxFee The most the taker accepts to pay (protects against a changed declaration).
    function takeOpenLicence(uint256 patentId, uint128 maxFee) external returns (uint256 licenceId);

    /// @notice Names the royalties contract that collects open-licence fees (admin, once).
    function setRoyalties(IRoyalties royalties) external;

    // ---------------------------------------------------------------- views

    function licence(uint256 licenceId) external view returns (Licence memory);

    /// @notice The licence contract's CNIPA filing reference ("" until filed).
    function filingReference(uint256 licenceId) external view returns (string memory);

    /// @notice Ids of licences granted on the patent that are counted as active (some may be past their end
    /// and not yet closed).
    function activeLicences(uint256 patentId) external view returns (uint64[] memory);

    /// @notice Ids of the active sublicences of a licence.
    function sublicences(uint256 parentId) external view returns (uint64[] memory);

    /// @notice The open-licence terms declared on a patent, and whether they are declared.
    function openLicenceTerms(uint256 patentId) external view returns (bool declared, OpenLicenceTerms memory);

    function licenceCount() external view returns (uint256);

    function royalties() external view returns (IRoyalties);
}
