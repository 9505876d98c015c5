// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice Life of a pledge (专利权质押). Pending (`Proposed`, `Agreed`) already counts as pledged.
enum PledgeStatus {
    None,
    Proposed, // proposed by the pledgee or a pledgor, awaiting the other parties' consent
    Agreed, // every party consented, awaiting registration with CNIPA
    Registered, // registered by the registrar: legally effective
    Refused, // registration refused by the registrar (final)
    Withdrawn, // withdrawn by a party before registration (final)
    Released, // released by the pledgee (final)
    Defaulted, // the pledgee declared default and disposes of the patents
    Enforced // every patent of a defaulted pledge has been disposed of or has left the pledge (final)
}

/// @notice Where one patent stands within a pledge.
enum PledgedPatentStatus {
    None,
    Pledged, // encumbered by the pledge
    Left, // moved out by a transfer the pledgee consented to (final)
    Disposing, // offered at a disposal auction
    Sold, // the transfer to the auction's winner is registered; proceeds not yet settled
    Disposed, // sold at a disposal auction and the proceeds paid out (final)
    Released // released with the pledge, or freed by refusal or withdrawal (final)
}

/// @notice Where the proceeds of an act the pledgee consented to go (Civil Code art. 444: 提前清偿或者提存).
enum ProceedsRoute {
    EarlyRepayment, // paid to the pledgee
    Escrow // paid to the Pledges contract, held for the pledge until release or enforcement
}

/// @notice Terms of a pledge as proposed.
/// @dev `securedAmount` is in the minor unit of `currency` (fen for CNY); a settlement token used for
/// proceeds is taken to be denominated in the same unit.
struct PledgeTerms {
    address pledgee; // a bank (Roles.BANK)
    uint128 securedAmount;
    bytes3 currency; // ISO 4217, e.g. "CNY"
    uint32 termEndDay; // last day of the debt term (China Standard Time day)
    bytes32 contractHash; // hash of the pledge contract document
    string loanReference; // the bank's loan or contract reference
}

/// @notice One patent of a pledge and its pledgor (the owner who pledges it; 集合授信 allows several).
struct PledgeItem {
    uint256 patentId;
    address pledgor;
}

/// @notice The stored state of a pledge: what the rules read. The loan reference and CNIPA's registration
/// reference (质押登记号) are emitted (`PledgeProposed`, `PledgeRegistered`), not stored, as for transfers.
struct Pledge {
    address pledgee;
    PledgeStatus status;
    bytes3 currency;
    uint32 termEndDay;
    uint32 agreedDay; // day the last party consented
    uint128 securedAmount;
    uint128 recovered; // paid to the pledgee through enforcement (escrow and disposals)
    address proposer;
    uint32 registrationDay;
    uint8 patentCount;
    uint8 activeCount; // patents still Pledged, Disposing or Sold
    uint8 consentsMissing; // parties who have yet to consent
    bytes32 contractHash;
}

/// @notice One patent within a pledge.
struct PledgedPatent {
    address pledgor;
    PledgedPatentStatus status;
    uint64 auctionId; // the disposal auction while Disposing or once Disposed
}

/// @notice The pledgee's consent to one act on one pledged patent with one counterparty.
struct ActConsent {
    bool given;
    ProceedsRoute route;
}
