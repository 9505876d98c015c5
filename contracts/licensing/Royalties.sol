// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IRoyalties} from "../interfaces/IRoyalties.sol";
import {ILicensing} from "../interfaces/ILicensing.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IPatentRegistry} from "../interfaces/IPatentRegistry.sol";
import {IPledges} from "../interfaces/IPledges.sol";
import {LOCK_PLEDGED} from "../libraries/PatentTypes.sol";
import {CalendarDays} from "../libraries/CalendarDays.sol";
import {
    BenefitShares,
    BPS,
    FeeMethod,
    FeeTrigger,
    Licence,
    LicenceAccount,
    LicenceKind,
    PaymentSplit
} from "../libraries/LicenceTypes.sol";

/// @title Royalties
/// @notice Fees and royalties of the licences of {ILicensing}, split at payment. See {IRoyalties}.
contract Royalties is IRoyalties, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    // solhint-disable-next-line immutable-vars-naming
    IPatentRegistry public immutable registry;
    // solhint-disable-next-line immutable-vars-naming
    ILicensing public immutable licensing;

    mapping(uint256 patentId => BenefitShares) private _shares;
    mapping(uint256 patentId => address owner) private _declaredBy;
    mapping(uint256 licenceId => LicenceAccount) private _accounts;

    constructor(IPatentRegistry registry_, ILicensing licensing_) {
        registry = registry_;
        licensing = licensing_;
    }

    // ================================================================ owner

    /// @inheritdoc IRoyalties
    function declareShares(uint256 patentId, BenefitShares calldata s) external {
        address owner = _ownerOf(patentId);
        if (msg.sender != owner) revert RoyaltiesNotOwner(patentId, msg.sender, owner);
        uint256 sum = uint256(s.unitBps) + s.inventorsBps + s.ttoBps;
        if (sum != BPS) revert RoyaltiesSharesNotWhole(patentId, sum);
        if ((s.inventorsBps != 0 && s.inventors == address(0)) || (s.ttoBps != 0 && s.tto == address(0))) {
            revert RoyaltiesNoPayoutAddress(patentId);
        }
        _shares[patentId] = s;
        _declaredBy[patentId] = owner;
        emit SharesDeclared(patentId, owner, s);
    }

    // ================================================================ licensee

    /// @inheritdoc IRoyalties
    function reportRevenue(uint256 licenceId, uint128 revenue, bytes32 reportHash) external returns (uint128 due) {
        Licence memory lic = _licenceOf(licenceId);
        LicenceAccount storage a = _accounts[licenceId];
        if (lic.fee.method == FeeMethod.RunningRoyalty) {
            due = uint128(uint256(revenue) * lic.fee.royaltyBps / BPS);
            a.owed += due;
        } else if (lic.fee.method == FeeMethod.UseFirstPayLater) {
            if (lic.fee.trigger != FeeTrigger.RevenueReported) revert RoyaltiesWrongTrigger(licenceId, lic.fee.trigger);
            if (a.feeDueDay == 0 && revenue != 0) _fallDue(licenceId, lic, a);
        } else {
            revert RoyaltiesWrongMethod(licenceId, lic.fee.method);
        }
        a.revenue += revenue;
        emit RevenueReported(licenceId, lic.patentId, msg.sender, revenue, due, a.owed, reportHash);
    }

    /// @inheritdoc IRoyalties
    function recordLaunch(uint256 licenceId, bytes32 evidenceHash) external {
        Licence memory lic = _licenceOf(licenceId);
        if (lic.fee.method != FeeMethod.UseFirstPayLater) revert RoyaltiesWrongMethod(licenceId, lic.fee.method);
        if (lic.fee.trigger != FeeTrigger.ProductLaunched) revert RoyaltiesWrongTrigger(licenceId, lic.fee.trigger);
        LicenceAccount storage a = _accounts[licenceId];
        if (a.feeDueDay != 0) revert RoyaltiesAlreadyLaunched(licenceId, a.feeDueDay);
        emit ProductLaunched(licenceId, lic.patentId, CalendarDays.today(), evidenceHash);
        _fallDue(licenceId, lic, a);
    }

    /// @inheritdoc IRoyalties
    function payRoyalty(uint256 licenceId, uint256 amount) external nonReentrant {
        Licence memory lic = _licenceOf(licenceId);
        if (amount == 0) revert RoyaltiesZeroAmount(licenceId);
        LicenceAccount storage a = _accounts[licenceId];
        if (amount > a.owed) revert RoyaltiesAboveOwed(licenceId, amount, a.owed);
        a.owed -= uint128(amount);
        _pay(licenceId, lic, a, msg.sender, amount, false);
    }

    /// @inheritdoc IRoyalties
    function payFee(uint256 licenceId) external nonReentrant {
        _payFee(licenceId, _licenceOf(licenceId), msg.sender);
    }

    /// @inheritdoc IRoyalties
    function collectFee(uint256 licenceId, address payer) external nonReentrant {
        if (msg.sender != address(licensing)) revert RoyaltiesNotLicensing(msg.sender);
        _payFee(licenceId, licensing.licence(licenceId), payer);
    }

    // ================================================================ views

    /// @inheritdoc IRoyalties
    function shares(uint256 patentId) external view returns (BenefitShares memory, address) {
        return (_shares[patentId], _declaredBy[patentId]);
    }

    /// @inheritdoc IRoyalties
    function account(uint256 licenceId) external view returns (LicenceAccount memory) {
        return _accounts[licenceId];
    }

    /// @inheritdoc IRoyalties
    function feeStatus(uint256 licenceId) external view returns (bool due, uint128 amount, bool paid) {
        Licence memory lic = licensing.licence(licenceId);
        LicenceAccount storage a = _accounts[licenceId];
        paid = a.feePaid;
        if (lic.fee.method == FeeMethod.RunningRoyalty) return (false, 0, paid);
        amount = lic.fee.amount;
        if (lic.fee.method == FeeMethod.LumpSum) due = true;
        else if (lic.fee.trigger == FeeTrigger.Date) due = CalendarDays.today() >= lic.fee.triggerDay;
        else due = a.feeDueDay != 0;
    }

    /// @inheritdoc IRoyalties
    function previewSplit(uint256 licenceId, uint256 amount, bool fee) external view returns (PaymentSplit memory) {
        return _split(licensing.licence(licenceId), amount, fee);
    }

    // ================================================================ internals

    function _payFee(uint256 licenceId, Licence memory lic, address payer) private {
        if (lic.fee.method == FeeMethod.RunningRoyalty) revert RoyaltiesWrongMethod(licenceId, lic.fee.method);
        LicenceAccount storage a = _accounts[licenceId];
        if (a.feePaid) revert RoyaltiesFeeAlreadyPaid(licenceId);
        if (lic.fee.amount == 0) revert RoyaltiesZeroAmount(licenceId);
        a.feePaid = true;
        _pay(licenceId, lic, a, payer, lic.fee.amount, true);
    }

    /// @dev Records the payment, then pushes each part from the payer to its recipient (checks-effects-interactions).
    function _pay(
        uint256 licenceId,
        Licence memory lic,
        LicenceAccount storage a,
        address payer,
        uint256 amount,
        bool fee
    ) private {
        PaymentSplit memory s = _split(lic, amount, fee);
        a.paid += uint128(amount);
        uint256 payment = ++a.payments;
        emit RoyaltyPaid(licenceId, lic.patentId, payer, payment, fee, lic.token, amount, s);
        IERC20 token = IERC20(lic.token);
        if (s.unitAmount != 0) {
            if (fee && s.unit == lic.proceedsTo && s.unit == registry.lockModule(LOCK_PLEDGED)) {
                // The pledgee's consent escrows the fee: deposit it with the Pledges contract, which records it
                // for the pledge (or pays the pledgor if the pledge has ended meanwhile).
                token.safeTransferFrom(payer, address(this), s.unitAmount);
                token.forceApprove(s.unit, s.unitAmount);
                IPledges(s.unit).depositProceeds(lic.patentId, token, s.unitAmount);
            } else {
                token.safeTransferFrom(payer, s.unit, s.unitAmount);
            }
        }
        if (s.inventorsAmount != 0) token.safeTransferFrom(payer, s.inventors, s.inventorsAmount);
        if (s.ttoAmount != 0) token.safeTransferFrom(payer, s.tto, s.ttoAmount);
    }

    /// @dev Inventors and office round down; the unit takes the remainder, so the parts sum to `amount`.
    function _split(Licence memory lic, uint256 amount, bool fee) private view returns (PaymentSplit memory s) {
        if (lic.kind == LicenceKind.Sublicence) {
            s.unit = licensing.licence(lic.parentId).licensee;
        } else if (fee && lic.proceedsTo != address(0)) {
            s.unit = lic.proceedsTo;
        } else {
            address owner = _ownerOf(lic.patentId);
            s.unit = owner;
            if (_declaredBy[lic.patentId] == owner) {
                BenefitShares storage b = _shares[lic.patentId];
                s.inventors = b.inventors;
                s.tto = b.tto;
                s.inventorsAmount = amount * b.inventorsBps / BPS;
                s.ttoAmount = amount * b.ttoBps / BPS;
            }
        }
        s.unitAmount = amount - s.inventorsAmount - s.ttoAmount;
    }

    function _fallDue(uint256 licenceId, Licence memory lic, LicenceAccount storage a) private {
        uint32 today = CalendarDays.today();
        a.feeDueDay = today;
        emit FeeFellDue(licenceId, lic.patentId, lic.fee.trigger, today, lic.fee.amount);
    }

    /// @dev The licence, which the caller must hold as licensee.
    function _licenceOf(uint256 licenceId) private view returns (Licence memory lic) {
        lic = licensing.licence(licenceId);
        if (msg.sender != lic.licensee) revert RoyaltiesNotLicensee(licenceId, msg.sender, lic.licensee);
    }

    function _ownerOf(uint256 patentId) private view returns (address) {
        return IERC721(address(registry)).ownerOf(patentId);
    }
}
