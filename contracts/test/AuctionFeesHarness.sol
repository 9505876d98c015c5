// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {MarketFees} from "../libraries/MarketFees.sol";

/// @title AuctionFeesHarness
/// @notice Exposes the MarketFees library to the auction house's property tests.
contract AuctionFeesHarness {
    function feeOf(uint256 price, uint16 feeBps) external pure returns (uint256) {
        return MarketFees.feeOf(price, feeBps);
    }

    function split(uint256 fee, uint16 listingBrokerBps, uint16 buyerBrokerBps)
        external
        pure
        returns (MarketFees.FeeSplit memory)
    {
        return MarketFees.split(fee, listingBrokerBps, buyerBrokerBps);
    }
}
