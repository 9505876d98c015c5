// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice Kinds of patent licence (专利实施许可) under PRC practice.
enum LicenceKind {
    Exclusive, // 独占: only the licensee may practise in the scope, not even the owner
    Sole, // 排他: the licensee and the owner only
    NonExclusive, // 普通: the owner may grant others
    Sublicence // 分许可: granted by the licensee of a parent licence that allows sublicensing
}

/// @notice Lifecycle of a licence. Ended records keep their final state.
enum LicenceStatus {
    None,
    Active, // granted; in force from its start day until its end day
    Terminated, // ended early by the owner or the licensee, with a reason
    Expired, // closed after its end day
    Revoked // a sublicence whose parent ended
}

/// @notice How the licence fee is paid.
enum FeeMethod {
    LumpSum, // one amount, paid once
    RunningRoyalty, // basis points of the revenue the licensee reports
    UseFirstPayLater // 先使用后付费: one amount that falls due on a trigger
}

/// @notice What makes a use-first-pay-later fee fall due.
enum FeeTrigger {
    None,
    Date, // on `triggerDay`
    RevenueReported, // on the first revenue report
    ProductLaunched // when the licensee notifies the launch of a product
}

/// @notice Fee terms of a licence. Amounts are in the smallest unit of the settlement token.
/// @dev `amount` is used by LumpSum and UseFirstPayLater, `royaltyBps` by RunningRoyalty (1..10,000),
/// `trigger` and `triggerDay` by UseFirstPayLater only (`triggerDay` for the Date trigger).
struct FeeTerms {
    FeeMethod method;
    FeeTrigger trigger;
    uint16 royaltyBps;
    uint32 triggerDay;
    uint128 amount;
}

/// @notice Where and when a licence applies.
/// @dev `fields` is a bitmask over up to 64 disjoint field-of-use classes (bits 0-18: the sections of the national
/// industry classification GB/T 4754-2017 other than manufacturing; bits 19-49: manufacturing divisions 13-43) and
/// `territories` a bitmask over up to 64 disjoint regions (bits 0-33: provincial-level divisions in GB/T 2260
/// order; 34-37: rest of Asia, Europe, the Americas, rest of the world). Wider scopes set several bits; see
/// docs/licensing.md and server/chain/licensing.ts. Two scopes overlap in field when
/// `a.fields & b.fields != 0`, in territory when `a.territories & b.territories != 0`, and in time when
/// `a.startDay < b.endDay && b.startDay < a.endDay`. Days are China Standard Time days since 1970-01-01;
/// the licence applies from `startDay` up to, not including, `endDay`.
struct LicenceScope {
    uint64 fields;
    uint64 territories;
    uint32 startDay;
    uint32 endDay;
}

/// @notice What an owner (or a module on the parties' behalf) grants.
struct LicenceGrant {
    address licensee;
    LicenceKind kind; // Exclusive, Sole or NonExclusive (sublicences have their own entry point)
    bool sublicensable; // whether the licensee may grant sublicences within its scope
    LicenceScope scope;
    FeeTerms fee;
    address token; // ERC-20 settlement token of the fees
    bytes32 contractHash; // hash of the signed licence contract
}

/// @notice A licence as stored: seven slots, the rules reading the first two (identity, scope).
struct Licence {
    uint64 patentId;
    address licensee;
    LicenceKind kind;
    LicenceStatus status;
    bool sublicensable;
    bool open; // taken under an open-licence declaration (开放许可)
    LicenceScope scope;
    FeeTerms fee;
    address token;
    uint32 grantedDay;
    uint32 filedDay; // day the contract was filed with CNIPA (0: not yet)
    bool filedLate; // filed after the three-month window
    uint32 endedDay; // day it was terminated, expired or revoked (0: not ended)
    address grantor; // the owner, or the licensee of the parent for a sublicence
    uint64 parentId; // the parent licence of a sublicence, else 0
    address proceedsTo; // where lump-sum fees go instead of the owner (a pledgee's consent), or zero
    bytes32 contractHash;
}

/// @notice Public terms of an open licence (开放许可声明). Open licences cover every field and territory.
/// @dev `method` is LumpSum (`amount` per licence, paid on taking it) or RunningRoyalty (`royaltyBps`).
struct OpenLicenceTerms {
    FeeMethod method;
    uint16 royaltyBps;
    uint32 termDays; // each licence taken runs this many days (capped at the patent's expiry)
    uint128 amount;
    address token;
}

/// @notice Benefit shares of a patent's licence income (收益分配), in basis points summing to 10,000.
/// @dev The unit is the patent's owner at the time of payment; the unit's part takes the rounding remainder.
struct BenefitShares {
    uint16 unitBps;
    uint16 inventorsBps;
    uint16 ttoBps;
    address inventors; // payout address of the inventors (or their representative)
    address tto; // payout address of the technology-transfer office
}

/// @notice How one payment was divided. The three amounts add up to the payment.
struct PaymentSplit {
    address unit;
    uint256 unitAmount;
    address inventors;
    uint256 inventorsAmount;
    address tto;
    uint256 ttoAmount;
}

/// @notice Payment account of one licence, kept by the royalties contract.
struct LicenceAccount {
    uint128 owed; // royalties computed from reported revenue and not yet paid
    uint128 paid; // everything paid through the ledger (fees and royalties)
    uint128 revenue; // total revenue reported
    uint32 payments; // number of payments recorded
    uint32 feeDueDay; // day a use-first-pay-later fee fell due (0: not yet)
    bool feePaid; // the lump-sum or deferred fee has been paid
}

/// @dev All fields and all territories (open licences).
uint64 constant SCOPE_ALL = type(uint64).max;
uint16 constant BPS = 10_000;
