// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Act, LegalStatus} from "../libraries/PatentTypes.sol";
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

/// @title IPledges
/// @notice Patent pledges (专利权质押) for bank financing. A pledge covers one or more patents (a portfolio,
/// possibly of several owners in one cluster, 集合授信). It is proposed by the pledgee or a pledgor,
/// consented by every other party, and registered (or refused) by the registrar with CNIPA's reference
/// and day. From proposal on, each patent carries the registry's `LOCK_PLEDGED`, whose guard is this
/// contract: no transfer, licence, open-licence declaration, listing or contribution without the
/// pledgee's consent for that act and counterparty (Civil Code art. 444). The pledgee releases the
/// pledge, or on default disposes of the patents by auction ({IPledgeDisposal}); it never takes them.
interface IPledges {
    // ---------------------------------------------------------------- events

    event PledgeProposed(
        uint256 indexed pledgeId,
        address indexed pledgee,
        address indexed proposer,
        uint128 securedAmount,
        bytes3 currency,
        uint32 termEndDay,
        bytes32 contractHash,
        string loanReference
    );
    /// @notice One patent of a proposed pledge, with its pledgor.
    event PatentPledged(uint256 indexed pledgeId, uint256 indexed patentId, address indexed pledgor);
    /// @notice A party consented; `consentsMissing` parties remain.
    event PledgeConsented(uint256 indexed pledgeId, address indexed party, uint8 consentsMissing);
    /// @notice Every party consented: the pledge awaits registration.
    event PledgeAgreed(uint256 indexed pledgeId, uint32 agreedDay);
    event PledgeRegistered(
        uint256 indexed pledgeId, address indexed registrar, string cnipaReference, uint32 registrationDay
    );
    event PledgeRefused(uint256 indexed pledgeId, address indexed registrar, string reason);
    event PledgeWithdrawn(uint256 indexed pledgeId, address indexed by);
    event PledgeReleased(uint256 indexed pledgeId, address indexed pledgee);
    /// @notice The pledgee declared default: disposals may start; escrowed proceeds were applied to the debt.
    event PledgeDefaulted(uint256 indexed pledgeId, address indexed pledgee);
    /// @notice No patent of a defaulted pledge remains pledged or at auction.
    event PledgeEnforced(uint256 indexed pledgeId, uint128 recovered, uint128 securedAmount);
    /// @notice A patent moved out of the pledge: a transfer the pledgee consented to, or the sale at a
    /// disposal auction (whose proceeds follow in `DisposalSettled`) was registered.
    event PatentLeftPledge(uint256 indexed pledgeId, uint256 indexed patentId, address indexed to);

    event ActConsented(
        uint256 indexed pledgeId,
        uint256 indexed patentId,
        address indexed counterparty,
        Act act,
        ProceedsRoute route
    );
    event ActConsentRevoked(uint256 indexed pledgeId, uint256 indexed patentId, address indexed counterparty, Act act);
    /// @notice A consent was used (and consumed) by an act on the patent; proceeds must go to `proceedsTo`.
    event ActConsentUsed(
        uint256 indexed pledgeId,
        uint256 indexed patentId,
        address indexed counterparty,
        Act act,
        address initiator,
        address proceedsTo
    );

    /// @notice Proceeds of a consented act were deposited in escrow for the pledge.
    event ProceedsEscrowed(
        uint256 indexed pledgeId,
        uint256 indexed patentId,
        address indexed token,
        address pledgor,
        address from,
        uint256 amount
    );
    /// @notice Escrowed or disposal proceeds were paid out, to the pledgee (`toPledgee`) or to a pledgor.
    event ProceedsPaid(
        uint256 indexed pledgeId, address indexed token, address indexed to, uint256 amount, bool toPledgee
    );

    event DisposalStarted(
        uint256 indexed pledgeId,
        uint256 indexed patentId,
        uint256 indexed auctionId,
        address module,
        address token,
        uint256 reserve,
        uint64 endTime
    );
    event DisposalSettled(
        uint256 indexed pledgeId,
        uint256 indexed patentId,
        address indexed buyer,
        uint256 auctionId,
        uint256 proceeds,
        uint256 toPledgee,
        uint256 toPledgor
    );
    event DisposalFailed(uint256 indexed pledgeId, uint256 indexed patentId, uint256 indexed auctionId);

    // ---------------------------------------------------------------- errors

    error PledgesUnknownPledge(uint256 pledgeId);
    error PledgesPledgeeNotBank(address pledgee);
    error PledgesNotParty(uint256 pledgeId, address caller);
    error PledgesNotPledgee(uint256 pledgeId, address caller, address pledgee);
    error PledgesPortfolioSize(uint256 count, uint256 max);
    error PledgesDuplicatePatent(uint256 patentId);
    error PledgesZeroAmount();
    error PledgesInvalidCurrency(bytes3 currency);
    error PledgesTermEnded(uint32 termEndDay, uint32 today);
    error PledgesPledgorNotOwner(uint256 patentId, address pledgor, address owner);
    error PledgesPatentNotValid(uint256 patentId, LegalStatus status);
    error PledgesTermPastExpiry(uint256 patentId, uint32 termEndDay, uint32 expiryDay);
    error PledgesAlreadyPledged(uint256 patentId, uint256 pledgeId);
    error PledgesWrongStatus(uint256 pledgeId, PledgeStatus status);
    error PledgesAlreadyConsented(uint256 pledgeId, address party);
    error PledgesRegistrationDay(uint256 pledgeId, uint32 registrationDay, uint32 agreedDay, uint32 today);
    error PledgesEmptyText();
    error PledgesPatentState(uint256 pledgeId, uint256 patentId, PledgedPatentStatus status);
    error PledgesConsentRequired(uint256 pledgeId, uint256 patentId, Act act, address counterparty);
    error PledgesConsentNotFound(uint256 pledgeId, uint256 patentId, Act act, address counterparty);
    error PledgesConsentAct(Act act);
    error PledgesNotDepositor(address caller);
    error PledgesUnderDisposal(uint256 pledgeId, uint256 patentId);
    error PledgesDisposalPending(uint256 pledgeId, uint256 patentId);
    error PledgesNotRegistry(address caller);
    error PledgesNotDisposalModule(address caller, address module);
    error PledgesNoDisposalModule();
    error PledgesNotPledged(uint256 patentId);
    error PledgesTooManyTokens(uint256 pledgeId, uint256 max);
    error PledgesLengthMismatch(uint256 patents, uint256 reserves);
    error PledgesBuyerMismatch(uint256 patentId, address buyer, address owner);

    // ---------------------------------------------------------------- parties

    /// @notice Proposes a pledge over `items` (1 to `MAX_PATENTS` patents). The caller must be the
    /// pledgee (a bank) or one of the pledgors, and counts as consenting. Every patent is locked with
    /// `LOCK_PLEDGED` at once: a pending pledge already counts as pledged.
    function proposePledge(PledgeTerms calldata terms, PledgeItem[] calldata items) external returns (uint256 pledgeId);

    /// @notice A party (the pledgee or a pledgor, each for its own patents) consents to a proposed pledge.
    function consentPledge(uint256 pledgeId) external;

    /// @notice A party withdraws a pledge not yet registered; its patents are unlocked.
    function withdrawPledge(uint256 pledgeId) external;

    /// @notice The pledgee consents to one act on one pledged patent with one counterparty (transfer,
    /// licence, open licence, listing, contribution). Used up by the act; proceeds go by `route`.
    /// A consent names the act and the counterparty; a consent with counterparty zero permits the act
    /// once with any counterparty (e.g. the sale of a listed patent to whoever buys it, or an
    /// open-licence declaration, which has none). An exact consent is used before a zero one. A listing
    /// and the sale it leads to are two acts, each consented.
    /// A contribution consent, once used, leaves a consent to transfer the patent to the same company
    /// (the registered transfer that executes the contribution).
    /// Open licensing is the exception: a consent to `Act.OpenLicence` with counterparty zero stands until
    /// revoked, covering the declaration and every taker under it (the declaration invites anyone), each
    /// taker's fee going by `route`. A consent to one taker is used once.
    function consent(uint256 pledgeId, uint256 patentId, Act act, address counterparty, ProceedsRoute route) external;

    /// @notice The pledgee withdraws a consent not yet used.
    function revokeConsent(uint256 pledgeId, uint256 patentId, Act act, address counterparty) external;

    /// @notice Deposits proceeds routed to escrow (`proceedsTo` was this contract) for the pledge that
    /// covers or last covered `patentId`; pulled from the caller (a module or the pledgor) with
    /// `transferFrom`. Held while the pledge is pending or registered; applied to the debt at once
    /// (pledgee first, surplus to the pledgor) once it is defaulted or enforced; passed on to the
    /// pledgor once it has ended otherwise (so that royalties paid later never fail).
    function depositProceeds(uint256 patentId, IERC20 token, uint256 amount) external;

    /// @notice The pledgee releases a registered (or defaulted) pledge: remaining patents are unlocked and
    /// escrowed proceeds are paid to their pledgors.
    function releasePledge(uint256 pledgeId) external;

    /// @notice The pledgee, on default, offers pledged patents at auction through the disposal module
    /// (the first call declares the default and applies escrowed proceeds to the debt).
    function startDisposal(
        uint256 pledgeId,
        uint256[] calldata patentIds,
        uint256[] calldata reserves,
        IERC20 token,
        uint64 endTime
    ) external;

    // ---------------------------------------------------------------- registrar

    /// @notice Registers an agreed pledge with CNIPA's reference and registration day (registrar).
    function registerPledge(uint256 pledgeId, string calldata cnipaReference, uint32 registrationDay) external;

    /// @notice Records that CNIPA refused to register an agreed pledge; its patents are unlocked (registrar).
    function refusePledge(uint256 pledgeId, string calldata reason) external;

    // ---------------------------------------------------------------- views

    function pledge(uint256 pledgeId) external view returns (Pledge memory);

    function pledgePatents(uint256 pledgeId) external view returns (uint256[] memory);

    function pledgors(uint256 pledgeId) external view returns (address[] memory);

    function pledgedPatent(uint256 pledgeId, uint256 patentId) external view returns (PledgedPatent memory);

    /// @notice The pledge that encumbers `patentId` now (pending, registered or in disposal), or zero.
    function activePledgeOf(uint256 patentId) external view returns (uint256 pledgeId);

    function hasConsented(uint256 pledgeId, address party) external view returns (bool);

    function actConsent(uint256 pledgeId, uint256 patentId, Act act, address counterparty)
        external
        view
        returns (ActConsent memory);

    function escrowed(uint256 pledgeId, IERC20 token, address pledgor) external view returns (uint256);

    function escrowTokens(uint256 pledgeId) external view returns (address[] memory);

    function pledgeCount() external view returns (uint256);
}
