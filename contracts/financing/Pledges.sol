// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IPledges} from "../interfaces/IPledges.sol";
import {IPatentRegistry} from "../interfaces/IPatentRegistry.sol";
import {IEncumbranceGuard} from "../interfaces/IEncumbranceGuard.sol";
import {IPledgeDisposal, IPledgeDisposalCallback} from "../interfaces/IPledgeDisposal.sol";
import {Roles} from "../access/Roles.sol";
import {CalendarDays} from "../libraries/CalendarDays.sol";
import {Act, LegalStatus, LOCK_DISPOSAL, LOCK_PLEDGED} from "../libraries/PatentTypes.sol";
import {
    ActConsent,
    Pledge,
    PledgedPatent,
    PledgedPatentStatus,
    PledgeItem,
    PledgeStatus,
    PledgeTerms,
    ProceedsRoute
} from "../libraries/PledgeTypes.sol";

/// @title Pledges
/// @notice Patent pledges, their registration, the pledgee's consents, release and disposal on default.
/// Guard of the registry's `LOCK_PLEDGED`. See {IPledges}.
contract Pledges is IPledges, IEncumbranceGuard, IPledgeDisposalCallback, AccessManaged, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice Most patents in one pledge.
    uint256 public constant MAX_PATENTS = 20;
    /// @notice Most distinct tokens escrowed for one pledge.
    uint256 public constant MAX_TOKENS = 4;

    IPatentRegistry public immutable REGISTRY;

    mapping(uint256 pledgeId => Pledge) private _pledges;
    mapping(uint256 pledgeId => uint64[]) private _patentIds; // CNIPA application numbers fit 64 bits
    mapping(uint256 pledgeId => address[]) private _pledgors;
    mapping(uint256 pledgeId => mapping(uint256 patentId => PledgedPatent)) private _entries;
    mapping(uint256 pledgeId => mapping(address party => bool)) private _consented;
    mapping(uint256 patentId => uint256 pledgeId) private _latestPledge;
    mapping(bytes32 key => ActConsent) private _actConsents;
    mapping(uint256 pledgeId => mapping(address token => mapping(address pledgor => uint256))) private _escrow;
    mapping(uint256 pledgeId => address[]) private _escrowTokens;
    mapping(uint256 pledgeId => mapping(uint256 patentId => IERC20)) private _disposalToken;
    uint256 private _pledgeCount;

    constructor(address authority, IPatentRegistry registry_) AccessManaged(authority) {
        REGISTRY = registry_;
    }

    modifier onlyRegistry() {
        if (msg.sender != address(REGISTRY)) revert PledgesNotRegistry(msg.sender);
        _;
    }

    // ================================================================ parties

    /// @inheritdoc IPledges
    function proposePledge(PledgeTerms calldata terms, PledgeItem[] calldata items)
        external
        returns (uint256 pledgeId)
    {
        uint256 count = items.length;
        if (count == 0 || count > MAX_PATENTS) revert PledgesPortfolioSize(count, MAX_PATENTS);
        _checkTerms(terms);
        pledgeId = ++_pledgeCount;
        Pledge storage p = _pledges[pledgeId];
        p.pledgee = terms.pledgee;
        p.status = PledgeStatus.Proposed;
        p.currency = terms.currency;
        p.termEndDay = terms.termEndDay;
        p.securedAmount = terms.securedAmount;
        p.proposer = msg.sender;
        p.patentCount = uint8(count);
        p.activeCount = uint8(count);
        p.contractHash = terms.contractHash;
        emit PledgeProposed(
            pledgeId,
            terms.pledgee,
            msg.sender,
            terms.securedAmount,
            terms.currency,
            terms.termEndDay,
            terms.contractHash,
            terms.loanReference
        );

        bool callerIsParty = msg.sender == terms.pledgee;
        for (uint256 i; i < count; ++i) {
            if (_addPatent(pledgeId, items[i], terms)) callerIsParty = true;
        }
        if (!callerIsParty) revert PledgesNotParty(pledgeId, msg.sender);
        _consented[pledgeId][msg.sender] = true;
        uint8 missing = uint8(_pledgors[pledgeId].length); // pledgors and the pledgee, less the proposer
        p.consentsMissing = missing;
        emit PledgeConsented(pledgeId, msg.sender, missing);
    }

    /// @inheritdoc IPledges
    function consentPledge(uint256 pledgeId) external {
        Pledge storage p = _pledgeIn(pledgeId, PledgeStatus.Proposed);
        _checkParty(pledgeId, p);
        if (_consented[pledgeId][msg.sender]) revert PledgesAlreadyConsented(pledgeId, msg.sender);
        _consented[pledgeId][msg.sender] = true;
        uint8 missing = p.consentsMissing - 1;
        p.consentsMissing = missing;
        emit PledgeConsented(pledgeId, msg.sender, missing);
        if (missing == 0) {
            uint32 today = CalendarDays.today();
            p.status = PledgeStatus.Agreed;
            p.agreedDay = today;
            emit PledgeAgreed(pledgeId, today);
        }
    }

    /// @inheritdoc IPledges
    function withdrawPledge(uint256 pledgeId) external nonReentrant {
        Pledge storage p = _existing(pledgeId);
        if (p.status != PledgeStatus.Proposed && p.status != PledgeStatus.Agreed) {
            revert PledgesWrongStatus(pledgeId, p.status);
        }
        _checkParty(pledgeId, p);
        p.status = PledgeStatus.Withdrawn;
        _freeAll(pledgeId, p);
        emit PledgeWithdrawn(pledgeId, msg.sender);
        _returnEscrow(pledgeId);
    }

    /// @inheritdoc IPledges
    function consent(uint256 pledgeId, uint256 patentId, Act act, address counterparty, ProceedsRoute route)
        external
    {
        Pledge storage p = _existing(pledgeId);
        _checkPledgee(pledgeId, p);
        PledgeStatus status = p.status;
        if (
            status != PledgeStatus.Proposed && status != PledgeStatus.Agreed && status != PledgeStatus.Registered
                && status != PledgeStatus.Defaulted
        ) revert PledgesWrongStatus(pledgeId, status);
        PledgedPatentStatus entry = _entries[pledgeId][patentId].status;
        if (entry != PledgedPatentStatus.Pledged) revert PledgesPatentState(pledgeId, patentId, entry);
        if (act == Act.Pledge) revert PledgesConsentAct(act);
        _actConsents[_consentKey(pledgeId, patentId, act, counterparty)] = ActConsent({given: true, route: route});
        emit ActConsented(pledgeId, patentId, counterparty, act, route);
    }

    /// @inheritdoc IPledges
    function revokeConsent(uint256 pledgeId, uint256 patentId, Act act, address counterparty) external {
        _checkPledgee(pledgeId, _existing(pledgeId));
        bytes32 key = _consentKey(pledgeId, patentId, act, counterparty);
        if (!_actConsents[key].given) revert PledgesConsentNotFound(pledgeId, patentId, act, counterparty);
        delete _actConsents[key];
        emit ActConsentRevoked(pledgeId, patentId, counterparty, act);
    }

    /// @inheritdoc IPledges
    function depositProceeds(uint256 patentId, IERC20 token, uint256 amount) external nonReentrant {
        uint256 pledgeId = _latestPledge[patentId];
        if (pledgeId == 0) revert PledgesNotPledged(patentId);
        if (amount == 0) revert PledgesZeroAmount();
        Pledge storage p = _pledges[pledgeId];
        address pledgor = _entries[pledgeId][patentId].pledgor;
        if (msg.sender != pledgor && !_hasRole(Roles.MODULE, msg.sender)) revert PledgesNotDepositor(msg.sender);
        PledgeStatus status = p.status;
        bool held =
            status == PledgeStatus.Proposed || status == PledgeStatus.Agreed || status == PledgeStatus.Registered;
        if (held && _escrow[pledgeId][address(token)][pledgor] == 0) {
            address[] storage tokens = _escrowTokens[pledgeId];
            if (!_contains(tokens, address(token))) {
                if (tokens.length == MAX_TOKENS) revert PledgesTooManyTokens(pledgeId, MAX_TOKENS);
                tokens.push(address(token));
            }
        }
        token.safeTransferFrom(msg.sender, address(this), amount);
        emit ProceedsEscrowed(pledgeId, patentId, address(token), pledgor, msg.sender, amount);
        if (held) {
            _escrow[pledgeId][address(token)][pledgor] += amount;
        } else if (status == PledgeStatus.Defaulted || status == PledgeStatus.Enforced) {
            _applyToDebt(pledgeId, p, token, address(this), pledgor, amount);
        } else {
            // The pledge has ended (released, refused, withdrawn): the proceeds are the pledgor's.
            _pay(token, address(this), pledgor, amount);
            emit ProceedsPaid(pledgeId, address(token), pledgor, amount, false);
        }
    }

    /// @inheritdoc IPledges
    function releasePledge(uint256 pledgeId) external nonReentrant {
        Pledge storage p = _existing(pledgeId);
        _checkPledgee(pledgeId, p);
        if (p.status != PledgeStatus.Registered && p.status != PledgeStatus.Defaulted) {
            revert PledgesWrongStatus(pledgeId, p.status);
        }
        p.status = PledgeStatus.Released;
        _freeAll(pledgeId, p);
        emit PledgeReleased(pledgeId, msg.sender);
        _returnEscrow(pledgeId);
    }

    /// @inheritdoc IPledges
    function startDisposal(
        uint256 pledgeId,
        uint256[] calldata patentIds,
        uint256[] calldata reserves,
        IERC20 token,
        uint64 endTime
    ) external nonReentrant {
        Pledge storage p = _existing(pledgeId);
        _checkPledgee(pledgeId, p);
        uint256 count = patentIds.length;
        if (count != reserves.length) revert PledgesLengthMismatch(count, reserves.length);
        if (count == 0 || count > MAX_PATENTS) revert PledgesPortfolioSize(count, MAX_PATENTS);
        address module = REGISTRY.lockModule(LOCK_DISPOSAL);
        if (module == address(0)) revert PledgesNoDisposalModule();
        if (p.status == PledgeStatus.Registered) {
            p.status = PledgeStatus.Defaulted;
            emit PledgeDefaulted(pledgeId, msg.sender);
            _applyEscrow(pledgeId, p);
        } else if (p.status != PledgeStatus.Defaulted) {
            revert PledgesWrongStatus(pledgeId, p.status);
        }
        for (uint256 i; i < count; ++i) {
            _startDisposal(module, pledgeId, patentIds[i], reserves[i], token, endTime);
        }
    }

    // ================================================================ registrar

    /// @inheritdoc IPledges
    function registerPledge(uint256 pledgeId, string calldata cnipaReference, uint32 registrationDay)
        external
        restricted
    {
        Pledge storage p = _pledgeIn(pledgeId, PledgeStatus.Agreed);
        if (bytes(cnipaReference).length == 0) revert PledgesEmptyText();
        uint32 today = CalendarDays.today();
        if (registrationDay < p.agreedDay || registrationDay > today) {
            revert PledgesRegistrationDay(pledgeId, registrationDay, p.agreedDay, today);
        }
        uint64[] storage ids = _patentIds[pledgeId];
        uint256 count = ids.length;
        for (uint256 i; i < count; ++i) {
            if (_entries[pledgeId][ids[i]].status != PledgedPatentStatus.Pledged) continue;
            LegalStatus status = REGISTRY.legalStatus(ids[i]);
            if (status != LegalStatus.Valid) revert PledgesPatentNotValid(ids[i], status);
        }
        p.status = PledgeStatus.Registered;
        p.registrationDay = registrationDay;
        emit PledgeRegistered(pledgeId, msg.sender, cnipaReference, registrationDay);
    }

    /// @inheritdoc IPledges
    function refusePledge(uint256 pledgeId, string calldata reason) external restricted nonReentrant {
        Pledge storage p = _pledgeIn(pledgeId, PledgeStatus.Agreed);
        if (bytes(reason).length == 0) revert PledgesEmptyText();
        p.status = PledgeStatus.Refused;
        _freeAll(pledgeId, p);
        emit PledgeRefused(pledgeId, msg.sender, reason);
        _returnEscrow(pledgeId);
    }

    // ================================================================ guard of LOCK_PLEDGED

    /// @inheritdoc IEncumbranceGuard
    /// @dev A pledged patent: only an act the pledgee consented to (consumed here, except a standing consent
    /// to open licensing with anyone, which covers the declaration and each taker). A patent at a
    /// disposal auction: only the disposal module's acts. A second pledge is always refused.
    function authorise(uint256 patentId, Act act, address counterparty, address initiator)
        external
        onlyRegistry
        returns (address proceedsTo)
    {
        uint256 pledgeId = _latestPledge[patentId];
        PledgedPatentStatus status = _entries[pledgeId][patentId].status;
        if (status == PledgedPatentStatus.Disposing) {
            if (initiator == REGISTRY.lockModule(LOCK_DISPOSAL)) return address(this);
            revert PledgesUnderDisposal(pledgeId, patentId);
        }
        if (status != PledgedPatentStatus.Pledged) return address(0);
        if (act == Act.Pledge) revert PledgesAlreadyPledged(patentId, pledgeId);
        bytes32 key = _consentKey(pledgeId, patentId, act, counterparty);
        ActConsent memory c = _actConsents[key];
        bool anyone = counterparty == address(0);
        if (!c.given) {
            // a consent to the act with any counterparty (zero), e.g. the sale of a listed patent to its buyer
            key = _consentKey(pledgeId, patentId, act, address(0));
            c = _actConsents[key];
            if (!c.given) revert PledgesConsentRequired(pledgeId, patentId, act, counterparty);
            anyone = true;
        }
        // A consent to open licensing with anyone stands: it covers the declaration and every taker under it,
        // until the pledgee revokes it. Every other consent is used once.
        if (!(anyone && act == Act.OpenLicence)) delete _actConsents[key];
        proceedsTo = c.route == ProceedsRoute.EarlyRepayment ? _pledges[pledgeId].pledgee : address(this);
        emit ActConsentUsed(pledgeId, patentId, counterparty, act, initiator, proceedsTo);
        if (act == Act.Contribute) {
            // A consented contribution includes the transfer to the company that executes it.
            _actConsents[_consentKey(pledgeId, patentId, Act.Transfer, counterparty)] = c;
            emit ActConsented(pledgeId, patentId, counterparty, Act.Transfer, c.route);
        }
    }

    /// @inheritdoc IEncumbranceGuard
    /// @dev A consented sale takes the patent out of the pledge; a disposal sale marks it sold.
    function onPatentTransferred(uint256 patentId, address, address to) external onlyRegistry {
        uint256 pledgeId = _latestPledge[patentId];
        PledgedPatent storage e = _entries[pledgeId][patentId];
        if (e.status == PledgedPatentStatus.Pledged) {
            e.status = PledgedPatentStatus.Left;
            Pledge storage p = _pledges[pledgeId];
            --p.activeCount;
            REGISTRY.unlock(patentId, LOCK_PLEDGED);
            emit PatentLeftPledge(pledgeId, patentId, to);
            _maybeEnforced(pledgeId, p);
        } else if (e.status == PledgedPatentStatus.Disposing) {
            e.status = PledgedPatentStatus.Sold;
            REGISTRY.unlock(patentId, LOCK_PLEDGED);
            emit PatentLeftPledge(pledgeId, patentId, to);
        }
    }

    // ================================================================ disposal callbacks

    /// @inheritdoc IPledgeDisposalCallback
    function onDisposalSettled(uint256 pledgeId, uint256 patentId, address buyer, uint256 proceeds)
        external
        nonReentrant
    {
        _checkDisposalModule();
        PledgedPatent storage e = _entries[pledgeId][patentId];
        if (e.status != PledgedPatentStatus.Sold) revert PledgesPatentState(pledgeId, patentId, e.status);
        address owner = REGISTRY.patent(patentId).owner;
        if (owner != buyer) revert PledgesBuyerMismatch(patentId, buyer, owner);
        e.status = PledgedPatentStatus.Disposed;
        Pledge storage p = _pledges[pledgeId];
        --p.activeCount;
        (uint256 toPledgee, uint256 toPledgor) =
            _applyToDebt(pledgeId, p, _disposalToken[pledgeId][patentId], msg.sender, e.pledgor, proceeds);
        emit DisposalSettled(pledgeId, patentId, buyer, e.auctionId, proceeds, toPledgee, toPledgor);
        _maybeEnforced(pledgeId, p);
    }

    /// @inheritdoc IPledgeDisposalCallback
    function onDisposalFailed(uint256 pledgeId, uint256 patentId) external {
        _checkDisposalModule();
        PledgedPatent storage e = _entries[pledgeId][patentId];
        if (e.status != PledgedPatentStatus.Disposing) revert PledgesPatentState(pledgeId, patentId, e.status);
        e.status = PledgedPatentStatus.Pledged;
        emit DisposalFailed(pledgeId, patentId, e.auctionId);
    }

    // ================================================================ views

    /// @inheritdoc IPledges
    function pledge(uint256 pledgeId) external view returns (Pledge memory) {
        return _existing(pledgeId);
    }

    /// @inheritdoc IPledges
    function pledgePatents(uint256 pledgeId) external view returns (uint256[] memory) {
        _existing(pledgeId);
        uint64[] storage ids = _patentIds[pledgeId];
        uint256[] memory out = new uint256[](ids.length);
        for (uint256 i; i < out.length; ++i) {
            out[i] = ids[i];
        }
        return out;
    }

    /// @inheritdoc IPledges
    function pledgors(uint256 pledgeId) external view returns (address[] memory) {
        _existing(pledgeId);
        return _pledgors[pledgeId];
    }

    /// @inheritdoc IPledges
    function pledgedPatent(uint256 pledgeId, uint256 patentId) external view returns (PledgedPatent memory) {
        return _entries[pledgeId][patentId];
    }

    /// @inheritdoc IPledges
    function activePledgeOf(uint256 patentId) public view returns (uint256) {
        uint256 pledgeId = _latestPledge[patentId];
        PledgedPatentStatus status = _entries[pledgeId][patentId].status;
        return status == PledgedPatentStatus.Pledged || status == PledgedPatentStatus.Disposing ? pledgeId : 0;
    }

    /// @inheritdoc IPledges
    function hasConsented(uint256 pledgeId, address party) external view returns (bool) {
        return _consented[pledgeId][party];
    }

    /// @inheritdoc IPledges
    function actConsent(uint256 pledgeId, uint256 patentId, Act act, address counterparty)
        external
        view
        returns (ActConsent memory)
    {
        return _actConsents[_consentKey(pledgeId, patentId, act, counterparty)];
    }

    /// @inheritdoc IPledges
    function escrowed(uint256 pledgeId, IERC20 token, address pledgor) external view returns (uint256) {
        return _escrow[pledgeId][address(token)][pledgor];
    }

    /// @inheritdoc IPledges
    function escrowTokens(uint256 pledgeId) external view returns (address[] memory) {
        return _escrowTokens[pledgeId];
    }

    /// @inheritdoc IPledges
    function pledgeCount() external view returns (uint256) {
        return _pledgeCount;
    }

    // ================================================================ internals

    function _checkTerms(PledgeTerms calldata terms) private view {
        if (!_hasRole(Roles.BANK, terms.pledgee)) revert PledgesPledgeeNotBank(terms.pledgee);
        if (terms.securedAmount == 0) revert PledgesZeroAmount();
        if (terms.currency[0] < "A" || terms.currency[0] > "Z") revert PledgesInvalidCurrency(terms.currency);
        uint32 today = CalendarDays.today();
        if (terms.termEndDay < today) revert PledgesTermEnded(terms.termEndDay, today);
        if (bytes(terms.loanReference).length == 0) revert PledgesEmptyText();
    }

    /// @dev The pledge rules the registry's own authorisation does not state in the pledge's terms.
    function _checkPledgeable(uint256 patentId, address pledgor, PledgeTerms calldata terms) private view {
        uint256 active = activePledgeOf(patentId);
        if (active != 0) revert PledgesAlreadyPledged(patentId, active);
        address owner = REGISTRY.patent(patentId).owner;
        if (pledgor != owner || pledgor == terms.pledgee) revert PledgesPledgorNotOwner(patentId, pledgor, owner);
        LegalStatus status = REGISTRY.legalStatus(patentId);
        if (status != LegalStatus.Valid) revert PledgesPatentNotValid(patentId, status);
        uint32 expiry = REGISTRY.expiryDay(patentId);
        if (terms.termEndDay >= expiry) revert PledgesTermPastExpiry(patentId, terms.termEndDay, expiry);
    }

    function _startDisposal(
        address module,
        uint256 pledgeId,
        uint256 patentId,
        uint256 reserve,
        IERC20 token,
        uint64 endTime
    ) private {
        PledgedPatent storage e = _entries[pledgeId][patentId];
        if (e.status != PledgedPatentStatus.Pledged) revert PledgesPatentState(pledgeId, patentId, e.status);
        // The patent must be able to move to a buyer: in force, no transfer pending, no other lock refusing.
        REGISTRY.authoriseAct(patentId, Act.Transfer, address(0));
        e.status = PledgedPatentStatus.Disposing;
        _disposalToken[pledgeId][patentId] = token;
        uint256 auctionId = IPledgeDisposal(module).startDisposal(pledgeId, patentId, token, reserve, endTime);
        e.auctionId = uint64(auctionId);
        emit DisposalStarted(pledgeId, patentId, auctionId, module, address(token), reserve, endTime);
    }

    /// @dev Adds one patent to a new pledge and locks it; tells whether the caller is its pledgor.
    function _addPatent(uint256 pledgeId, PledgeItem calldata item, PledgeTerms calldata terms)
        private
        returns (bool isCaller)
    {
        (uint256 patentId, address pledgor) = (item.patentId, item.pledgor);
        PledgedPatent storage e = _entries[pledgeId][patentId];
        if (e.status != PledgedPatentStatus.None) revert PledgesDuplicatePatent(patentId);
        _checkPledgeable(patentId, pledgor, terms);
        e.pledgor = pledgor;
        e.status = PledgedPatentStatus.Pledged;
        _latestPledge[patentId] = pledgeId;
        _patentIds[pledgeId].push(uint64(patentId));
        address[] storage parties = _pledgors[pledgeId];
        if (!_contains(parties, pledgor)) parties.push(pledgor);
        REGISTRY.lock(patentId, LOCK_PLEDGED, Act.Pledge, terms.pledgee);
        emit PatentPledged(pledgeId, patentId, pledgor);
        return pledgor == msg.sender;
    }

    /// @dev Unlocks every patent still pledged; the pledge's final status is set by the caller.
    function _freeAll(uint256 pledgeId, Pledge storage p) private {
        uint64[] storage ids = _patentIds[pledgeId];
        uint256 count = ids.length;
        for (uint256 i; i < count; ++i) {
            PledgedPatent storage e = _entries[pledgeId][ids[i]];
            PledgedPatentStatus status = e.status;
            if (status == PledgedPatentStatus.Disposing || status == PledgedPatentStatus.Sold) {
                revert PledgesDisposalPending(pledgeId, ids[i]);
            }
            if (status != PledgedPatentStatus.Pledged) continue;
            e.status = PledgedPatentStatus.Released;
            REGISTRY.unlock(ids[i], LOCK_PLEDGED);
        }
        p.activeCount = 0;
    }

    /// @dev Pays every pledgor its escrowed proceeds (release, refusal, withdrawal).
    function _returnEscrow(uint256 pledgeId) private {
        address[] storage tokens = _escrowTokens[pledgeId];
        address[] storage parties = _pledgors[pledgeId];
        for (uint256 t; t < tokens.length; ++t) {
            for (uint256 i; i < parties.length; ++i) {
                uint256 amount = _escrow[pledgeId][tokens[t]][parties[i]];
                if (amount == 0) continue;
                _escrow[pledgeId][tokens[t]][parties[i]] = 0;
                IERC20(tokens[t]).safeTransfer(parties[i], amount);
                emit ProceedsPaid(pledgeId, tokens[t], parties[i], amount, false);
            }
        }
    }

    /// @dev On default: escrowed proceeds pay the pledgee first, the surplus goes to the pledgors.
    function _applyEscrow(uint256 pledgeId, Pledge storage p) private {
        address[] storage tokens = _escrowTokens[pledgeId];
        address[] storage parties = _pledgors[pledgeId];
        for (uint256 t; t < tokens.length; ++t) {
            for (uint256 i; i < parties.length; ++i) {
                uint256 amount = _escrow[pledgeId][tokens[t]][parties[i]];
                if (amount == 0) continue;
                _escrow[pledgeId][tokens[t]][parties[i]] = 0;
                _applyToDebt(pledgeId, p, IERC20(tokens[t]), address(this), parties[i], amount);
            }
        }
    }

    /// @dev Pays `amount` from `from` (this contract or the disposal module): the pledgee up to the debt
    /// outstanding, the rest to `pledgor`.
    function _applyToDebt(
        uint256 pledgeId,
        Pledge storage p,
        IERC20 token,
        address from,
        address pledgor,
        uint256 amount
    ) private returns (uint256 toPledgee, uint256 toPledgor) {
        uint256 outstanding = p.securedAmount - p.recovered;
        toPledgee = amount < outstanding ? amount : outstanding;
        toPledgor = amount - toPledgee;
        p.recovered += uint128(toPledgee);
        _pay(token, from, p.pledgee, toPledgee);
        if (toPledgee != 0) emit ProceedsPaid(pledgeId, address(token), p.pledgee, toPledgee, true);
        _pay(token, from, pledgor, toPledgor);
        if (toPledgor != 0) emit ProceedsPaid(pledgeId, address(token), pledgor, toPledgor, false);
    }

    function _pay(IERC20 token, address from, address to, uint256 amount) private {
        if (amount == 0) return;
        if (from == address(this)) token.safeTransfer(to, amount);
        else token.safeTransferFrom(from, to, amount);
    }

    function _maybeEnforced(uint256 pledgeId, Pledge storage p) private {
        if (p.status == PledgeStatus.Defaulted && p.activeCount == 0) {
            p.status = PledgeStatus.Enforced;
            emit PledgeEnforced(pledgeId, p.recovered, p.securedAmount);
        }
    }

    function _existing(uint256 pledgeId) private view returns (Pledge storage p) {
        p = _pledges[pledgeId];
        if (p.status == PledgeStatus.None) revert PledgesUnknownPledge(pledgeId);
    }

    function _pledgeIn(uint256 pledgeId, PledgeStatus status) private view returns (Pledge storage p) {
        p = _existing(pledgeId);
        if (p.status != status) revert PledgesWrongStatus(pledgeId, p.status);
    }

    function _checkPledgee(uint256 pledgeId, Pledge storage p) private view {
        if (msg.sender != p.pledgee) revert PledgesNotPledgee(pledgeId, msg.sender, p.pledgee);
    }

    function _checkParty(uint256 pledgeId, Pledge storage p) private view {
        if (msg.sender != p.pledgee && !_contains(_pledgors[pledgeId], msg.sender)) {
            revert PledgesNotParty(pledgeId, msg.sender);
        }
    }

    function _checkDisposalModule() private view {
        address module = REGISTRY.lockModule(LOCK_DISPOSAL);
        if (msg.sender != module) revert PledgesNotDisposalModule(msg.sender, module);
    }

    function _hasRole(uint64 role, address account) private view returns (bool isMember) {
        (isMember,) = IAccessManager(authority()).hasRole(role, account);
    }

    function _contains(address[] storage list, address account) private view returns (bool) {
        uint256 count = list.length;
        for (uint256 i; i < count; ++i) {
            if (list[i] == account) return true;
        }
        return false;
    }

    function _consentKey(uint256 pledgeId, uint256 patentId, Act act, address counterparty)
        private
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(pledgeId, patentId, act, counterparty));
    }
}
