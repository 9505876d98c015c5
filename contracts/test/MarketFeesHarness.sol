// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {FeeSplit, MarketFees} from "../libraries/MarketFees.sol";

/// @title MarketFeesHarness
/// @notice Exposes the internal MarketFees library to tests. Not deployed outside tests.
contract MarketFeesHarness {
    function split(uint256 price, uint16 feeBps, uint16 listingBrokerBps, uint16 buyerBrokerBps, bool sameVenue)
        external
        pure
        returns (FeeSplit memory)
    {
        return MarketFees.split(price, feeBps, listingBrokerBps, buyerBrokerBps, sameVenue);
    }
}
