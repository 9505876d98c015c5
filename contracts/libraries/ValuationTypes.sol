// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice Appraisal approaches of the asset-appraisal standards (资产评估准则: 成本法、市场法、收益法).
enum ValuationMethod {
    Cost,
    Market,
    Income
}

/// @notice One appraisal of a patent. `amount` is in the minor unit of `currency` (fen for CNY).
struct Valuation {
    address appraiser;
    uint32 valuationDay; // the valuation base day (评估基准日), China Standard Time day
    ValuationMethod method;
    bytes3 currency;
    uint128 amount;
    bytes32 reportHash; // hash of the appraisal report
}
