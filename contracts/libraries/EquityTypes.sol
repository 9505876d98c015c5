// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice Life of an equity-for-technology deal (作价入股).
enum DealStatus {
    None,
    Proposed, // proposed by the owner, awaiting the company
    Accepted, // accepted by the company: every patent carries LOCK_EQUITY
    Executing, // transfers to the company agreed, awaiting registration with CNIPA
    Executed, // every transfer registered: the company owns the patents (final)
    Failed, // a transfer's registration was refused (final)
    Cancelled // withdrawn by a party before execution (final)
}

/// @notice How the equity consideration is stated.
enum EquityForm {
    Shares, // a number of shares
    BasisPoints // a fraction of the registered capital, in basis points (1 = 0.01%)
}

/// @notice Who a benefit share goes to (收益分配, as for royalties).
enum BenefitRole {
    Inventor,
    TransferOffice // the technology-transfer office (技术转移机构)
}

/// @notice A beneficiary's share of the equity consideration, in basis points; the owner unit keeps the rest.
struct BenefitShare {
    address beneficiary;
    BenefitRole role;
    uint16 bps;
}

/// @notice Terms of a deal as proposed by the owner.
struct DealTerms {
    address company;
    uint128 valuation; // agreed valuation of the contributed patents, minor unit of `currency`
    bytes3 currency;
    EquityForm form;
    uint128 equity; // shares, or basis points of the registered capital
    bytes32 valuationReportHash;
    bytes32 contractHash;
    string companyRegistration; // the company's registration reference (统一社会信用代码)
}

/// @notice The stored state of a deal.
struct Deal {
    address owner;
    DealStatus status;
    EquityForm form;
    bytes3 currency;
    uint8 patentCount;
    uint8 pendingTransfers; // transfers agreed and not yet registered
    uint32 proposedDay;
    uint32 executedDay;
    address company;
    uint128 valuation;
    uint128 equity;
    bytes32 valuationReportHash;
    bytes32 contractHash;
    string companyRegistration;
}

/// @notice Life of a warrant (科技成果+认股权).
enum WarrantStatus {
    None,
    Granted,
    Exercised, // final
    Expired // final
}

/// @notice A right to subscribe `shares` of the company at `strike` per share within a window.
struct Warrant {
    uint256 dealId;
    address company;
    address holder; // the owner unit or one of its inventors
    WarrantStatus status;
    bool triggerRequired; // the company must record the trigger before exercise
    bool triggerMet;
    uint32 windowStart; // first day of exercise (China Standard Time day)
    uint32 windowEnd; // last day of exercise
    uint128 shares;
    uint128 strike; // price per share, minor unit of `currency`
    bytes3 currency;
    uint32 exercisedDay;
    string trigger; // the triggering event, e.g. "Series A financing closes"
}
