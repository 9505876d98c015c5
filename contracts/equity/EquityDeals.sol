// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IEquityDeals} from "../interfaces/IEquityDeals.sol";
import {IPatentRegistry} from "../interfaces/IPatentRegistry.sol";
import {IEncumbranceGuard, ITransferObserver} from "../interfaces/IEncumbranceGuard.sol";
import {CalendarDays} from "../libraries/CalendarDays.sol";
import {Act, LOCK_EQUITY} from "../libraries/PatentTypes.sol";
import {
    BenefitShare,
    Deal,
    DealStatus,
    DealTerms,
    EquityForm,
    Warrant,
    WarrantStatus
} from "../libraries/EquityTypes.sol";

/// @title EquityDeals
/// @notice Equity-for-technology deals and warrants; guard of the registry's `LOCK_EQUITY`. See {IEquityDeals}.
contract EquityDeals is IEquityDeals, IEncumbranceGuard, ITransferObserver {
    /// @notice Most patents contributed in one deal.
    uint256 public constant MAX_PATENTS = 20;
    /// @notice Most benefit shares on one deal.
    uint256 public constant MAX_SHARES = 10;
    uint16 internal constant WHOLE_BPS = 10_000;

    IPatentRegistry public immutable REGISTRY;

    mapping(uint256 dealId => Deal) private _deals;
    mapping(uint256 dealId => uint256[]) private _patentIds;
    mapping(uint256 dealId => BenefitShare[]) private _shares;
    mapping(uint256 patentId => uint256 dealId) private _committed;
    mapping(uint256 transferId => uint256 dealId) private _dealOfTransfer;
    mapping(uint256 warrantId => Warrant) private _warrants;
    uint256 private _dealCount;
    uint256 private _warrantCount;

    constructor(IPatentRegistry registry_) {
        REGISTRY = registry_;
    }

    modifier onlyRegistry() {
        if (msg.sender != address(REGISTRY)) revert EquityDealsNotRegistry(msg.sender);
        _;
    }

    // ================================================================ deals

    /// @inheritdoc IEquityDeals
    function proposeDeal(DealTerms calldata terms, uint256[] calldata patentIds, BenefitShare[] calldata shares)
        external
        returns (uint256 dealId)
    {
        _checkTerms(terms);
        uint256 count = patentIds.length;
        if (count == 0 || count > MAX_PATENTS) revert EquityDealsPortfolioSize(count, MAX_PATENTS);
        dealId = ++_dealCount;
        _storeDeal(dealId, terms, count);
        uint256[] storage ids = _patentIds[dealId];
        for (uint256 i; i < count; ++i) {
            uint256 patentId = patentIds[i];
            for (uint256 j; j < i; ++j) {
                if (patentIds[j] == patentId) revert EquityDealsDuplicatePatent(patentId);
            }
            _checkOwner(patentId, msg.sender);
            ids.push(patentId);
            emit DealPatentAdded(dealId, patentId);
        }
        _recordShares(dealId, shares);
    }

    /// @inheritdoc IEquityDeals
    function acceptDeal(uint256 dealId) external {
        Deal storage d = _dealIn(dealId, DealStatus.Proposed);
        address company = d.company;
        if (msg.sender != company) revert EquityDealsNotCompany(dealId, msg.sender, company);
        uint256[] storage ids = _patentIds[dealId];
        uint256 count = ids.length;
        for (uint256 i; i < count; ++i) {
            uint256 patentId = ids[i];
            _checkOwner(patentId, d.owner);
            uint256 committed = _committed[patentId];
            if (committed != 0) revert EquityDealsPatentCommitted(patentId, committed);
            _committed[patentId] = dealId;
            REGISTRY.lock(patentId, LOCK_EQUITY, Act.Contribute, company);
        }
        d.status = DealStatus.Accepted;
        emit DealAccepted(dealId, company);
    }

    /// @inheritdoc IEquityDeals
    function cancelDeal(uint256 dealId) external {
        Deal storage d = _existing(dealId);
        if (msg.sender != d.owner && msg.sender != d.company) revert EquityDealsNotParty(dealId, msg.sender);
        DealStatus status = d.status;
        if (status != DealStatus.Proposed && status != DealStatus.Accepted) {
            revert EquityDealsWrongStatus(dealId, status);
        }
        d.status = DealStatus.Cancelled;
        if (status == DealStatus.Accepted) {
            uint256[] storage ids = _patentIds[dealId];
            uint256 count = ids.length;
            for (uint256 i; i < count; ++i) {
                _release(ids[i]);
            }
        }
        emit DealCancelled(dealId, msg.sender);
    }

    /// @inheritdoc IEquityDeals
    function executeDeal(uint256 dealId) external {
        Deal storage d = _dealIn(dealId, DealStatus.Accepted);
        if (msg.sender != d.owner && msg.sender != d.company) revert EquityDealsNotParty(dealId, msg.sender);
        uint256[] storage ids = _patentIds[dealId];
        uint256 count = ids.length;
        d.status = DealStatus.Executing;
        d.pendingTransfers = uint8(count);
        (address company, bytes32 contractHash) = (d.company, d.contractHash);
        for (uint256 i; i < count; ++i) {
            uint256 transferId = REGISTRY.agreeTransfer(ids[i], company, contractHash);
            _dealOfTransfer[transferId] = dealId;
            emit DealTransferAgreed(dealId, ids[i], transferId);
        }
    }

    // ================================================================ warrants

    /// @inheritdoc IEquityDeals
    function grantWarrant(
        uint256 dealId,
        address holder,
        uint128 shares,
        uint128 strike,
        uint32 windowStart,
        uint32 windowEnd,
        bool triggerRequired,
        string calldata trigger
    ) external returns (uint256 warrantId) {
        Deal storage d = _existing(dealId);
        if (msg.sender != d.company) revert EquityDealsNotCompany(dealId, msg.sender, d.company);
        DealStatus status = d.status;
        if (status == DealStatus.Cancelled || status == DealStatus.Failed) {
            revert EquityDealsWrongStatus(dealId, status);
        }
        if (holder != d.owner && !_isBeneficiary(dealId, holder)) revert EquityDealsInvalidHolder(dealId, holder);
        if (shares == 0) revert EquityDealsZeroValue();
        uint32 today = CalendarDays.today();
        if (windowStart > windowEnd || windowEnd < today) {
            revert EquityDealsInvalidWindow(windowStart, windowEnd, today);
        }
        if (triggerRequired && bytes(trigger).length == 0) revert EquityDealsEmptyText();
        warrantId = ++_warrantCount;
        _warrants[warrantId] = Warrant({
            dealId: dealId,
            company: msg.sender,
            holder: holder,
            status: WarrantStatus.Granted,
            triggerRequired: triggerRequired,
            triggerMet: false,
            windowStart: windowStart,
            windowEnd: windowEnd,
            shares: shares,
            strike: strike,
            currency: d.currency,
            exercisedDay: 0,
            trigger: trigger
        });
        _emitGranted(warrantId, _warrants[warrantId]);
    }

    /// @inheritdoc IEquityDeals
    function recordTrigger(uint256 warrantId) external {
        Warrant storage w = _grantedWarrant(warrantId);
        if (msg.sender != w.company) revert EquityDealsNotCompany(w.dealId, msg.sender, w.company);
        if (!w.triggerRequired || w.triggerMet) revert EquityDealsNoTrigger(warrantId);
        w.triggerMet = true;
        emit WarrantTriggered(warrantId, msg.sender, CalendarDays.today());
    }

    /// @inheritdoc IEquityDeals
    function exerciseWarrant(uint256 warrantId) external {
        Warrant storage w = _grantedWarrant(warrantId);
        if (msg.sender != w.holder) revert EquityDealsNotHolder(warrantId, msg.sender, w.holder);
        uint32 today = CalendarDays.today();
        if (today < w.windowStart || today > w.windowEnd) {
            revert EquityDealsOutsideWindow(warrantId, today, w.windowStart, w.windowEnd);
        }
        if (w.triggerRequired && !w.triggerMet) revert EquityDealsTriggerNotMet(warrantId);
        w.status = WarrantStatus.Exercised;
        w.exercisedDay = today;
        emit WarrantExercised(warrantId, msg.sender, w.shares, today);
    }

    /// @inheritdoc IEquityDeals
    function expireWarrant(uint256 warrantId) external {
        Warrant storage w = _grantedWarrant(warrantId);
        uint32 today = CalendarDays.today();
        if (today <= w.windowEnd) revert EquityDealsWindowOpen(warrantId, today, w.windowEnd);
        w.status = WarrantStatus.Expired;
        emit WarrantExpired(warrantId, msg.sender, today);
    }

    // ================================================================ guard of LOCK_EQUITY

    /// @inheritdoc IEncumbranceGuard
    /// @dev A patent committed to a deal is promised to the company: every other act is refused.
    function authorise(uint256 patentId, Act, address, address) external view onlyRegistry returns (address) {
        uint256 dealId = _committed[patentId];
        if (dealId != 0) revert EquityDealsPatentCommitted(patentId, dealId);
        return address(0);
    }

    /// @inheritdoc IEncumbranceGuard
    function onPatentTransferred(uint256 patentId, address, address) external onlyRegistry {
        if (_committed[patentId] != 0) _release(patentId);
    }

    // ================================================================ transfer observer

    /// @inheritdoc ITransferObserver
    function onTransferRegistered(uint256 transferId, uint256 patentId) external onlyRegistry {
        uint256 dealId = _dealOfTransfer[transferId];
        Deal storage d = _deals[dealId];
        uint8 pending = d.pendingTransfers - 1;
        d.pendingTransfers = pending;
        emit DealTransferRegistered(dealId, patentId, transferId);
        if (pending == 0 && d.status == DealStatus.Executing) {
            uint32 today = CalendarDays.today();
            d.status = DealStatus.Executed;
            d.executedDay = today;
            emit DealExecuted(dealId, d.company, today);
        }
    }

    /// @inheritdoc ITransferObserver
    /// @dev The deal fails; the refused patent is unlocked. Transfers of the deal's other patents already
    /// agreed stay with the registrar, who registers or refuses them; each is recorded as it ends.
    function onTransferRefused(uint256 transferId, uint256 patentId) external onlyRegistry {
        uint256 dealId = _dealOfTransfer[transferId];
        Deal storage d = _deals[dealId];
        --d.pendingTransfers;
        d.status = DealStatus.Failed;
        _release(patentId);
        emit DealFailed(dealId, patentId, transferId);
    }

    // ================================================================ views

    /// @inheritdoc IEquityDeals
    function deal(uint256 dealId) external view returns (Deal memory) {
        return _existing(dealId);
    }

    /// @inheritdoc IEquityDeals
    function dealPatents(uint256 dealId) external view returns (uint256[] memory) {
        _existing(dealId);
        return _patentIds[dealId];
    }

    /// @inheritdoc IEquityDeals
    function benefitShares(uint256 dealId) external view returns (BenefitShare[] memory) {
        _existing(dealId);
        return _shares[dealId];
    }

    /// @inheritdoc IEquityDeals
    function committedDealOf(uint256 patentId) external view returns (uint256) {
        return _committed[patentId];
    }

    /// @inheritdoc IEquityDeals
    function warrant(uint256 warrantId) external view returns (Warrant memory) {
        Warrant storage w = _warrants[warrantId];
        if (w.status == WarrantStatus.None) revert EquityDealsUnknownWarrant(warrantId);
        return w;
    }

    /// @inheritdoc IEquityDeals
    function dealCount() external view returns (uint256) {
        return _dealCount;
    }

    /// @inheritdoc IEquityDeals
    function warrantCount() external view returns (uint256) {
        return _warrantCount;
    }

    // ================================================================ internals

    function _checkTerms(DealTerms calldata terms) private view {
        if (terms.company == address(0) || terms.company == msg.sender) {
            revert EquityDealsInvalidCompany(terms.company);
        }
        if (terms.valuation == 0 || terms.equity == 0) revert EquityDealsZeroValue();
        if (terms.form == EquityForm.BasisPoints && terms.equity > WHOLE_BPS) {
            revert EquityDealsBasisPointsOverflow(terms.equity);
        }
        if (terms.currency[0] < "A" || terms.currency[0] > "Z") revert EquityDealsInvalidCurrency(terms.currency);
        if (bytes(terms.companyRegistration).length == 0) revert EquityDealsEmptyText();
    }

    function _storeDeal(uint256 dealId, DealTerms calldata terms, uint256 count) private {
        Deal storage d = _deals[dealId];
        d.owner = msg.sender;
        d.status = DealStatus.Proposed;
        d.form = terms.form;
        d.currency = terms.currency;
        d.patentCount = uint8(count);
        d.proposedDay = CalendarDays.today();
        d.company = terms.company;
        d.valuation = terms.valuation;
        d.equity = terms.equity;
        d.valuationReportHash = terms.valuationReportHash;
        d.contractHash = terms.contractHash;
        d.companyRegistration = terms.companyRegistration;
        emit DealProposed(
            dealId,
            msg.sender,
            terms.company,
            terms.valuation,
            terms.currency,
            terms.form,
            terms.equity,
            terms.valuationReportHash,
            terms.contractHash,
            terms.companyRegistration
        );
    }

    function _recordShares(uint256 dealId, BenefitShare[] calldata shares) private {
        uint256 count = shares.length;
        if (count > MAX_SHARES) revert EquityDealsTooManyShares(count, MAX_SHARES);
        uint256 total;
        BenefitShare[] storage stored = _shares[dealId];
        for (uint256 i; i < count; ++i) {
            BenefitShare calldata s = shares[i];
            if (s.beneficiary == address(0) || s.bps == 0) revert EquityDealsInvalidBeneficiary(s.beneficiary);
            total += s.bps;
            stored.push(s);
            emit BenefitShareRecorded(dealId, s.beneficiary, s.role, s.bps);
        }
        if (total > WHOLE_BPS) revert EquityDealsSharesExceedWhole(total);
    }

    function _emitGranted(uint256 warrantId, Warrant storage w) private {
        emit WarrantGranted(
            warrantId,
            w.dealId,
            w.holder,
            w.company,
            w.shares,
            w.strike,
            w.currency,
            w.windowStart,
            w.windowEnd,
            w.triggerRequired,
            w.trigger
        );
    }

    function _release(uint256 patentId) private {
        delete _committed[patentId];
        REGISTRY.unlock(patentId, LOCK_EQUITY);
    }

    function _checkOwner(uint256 patentId, address expected) private view {
        address owner = REGISTRY.patent(patentId).owner;
        if (owner != expected) revert EquityDealsNotOwner(patentId, expected, owner);
    }

    function _isBeneficiary(uint256 dealId, address account) private view returns (bool) {
        BenefitShare[] storage shares = _shares[dealId];
        uint256 count = shares.length;
        for (uint256 i; i < count; ++i) {
            if (shares[i].beneficiary == account) return true;
        }
        return false;
    }

    function _existing(uint256 dealId) private view returns (Deal storage d) {
        d = _deals[dealId];
        if (d.status == DealStatus.None) revert EquityDealsUnknownDeal(dealId);
    }

    function _dealIn(uint256 dealId, DealStatus status) private view returns (Deal storage d) {
        d = _existing(dealId);
        if (d.status != status) revert EquityDealsWrongStatus(dealId, d.status);
    }

    function _grantedWarrant(uint256 warrantId) private view returns (Warrant storage w) {
        w = _warrants[warrantId];
        if (w.status == WarrantStatus.None) revert EquityDealsUnknownWarrant(warrantId);
        if (w.status != WarrantStatus.Granted) revert EquityDealsWarrantState(warrantId, uint8(w.status));
    }
}
