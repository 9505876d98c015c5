// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title MarketFees
/// @notice The venue-fee arithmetic shared by the Exchange and the AuctionHouse (docs/auctions.md).
/// fee = floor(price * feeBps / 10_000), taken out of the price. The buyer's venue gets floor(fee / 2),
/// the listing venue the rest. A broker named on the listing takes floor(listingPart * share / 10_000)
/// out of the listing venue's part; a broker named on the bid or offer the same out of the buyer
/// venue's part. The parts sum to the fee exactly.
library MarketFees {
    uint256 internal constant BPS = 10_000;

    /// @notice The parts of a fee.
    struct FeeSplit {
        uint256 listingVenue;
        uint256 listingBroker;
        uint256 buyerVenue;
        uint256 buyerBroker;
    }

    /// @notice The fee on `price` at `feeBps` (floor).
    function feeOf(uint256 price, uint16 feeBps) internal pure returns (uint256) {
        return price * feeBps / BPS;
    }

    /// @notice Splits `fee` between the venues and their brokers; the four parts sum to `fee`.
    function split(uint256 fee, uint16 listingBrokerBps, uint16 buyerBrokerBps)
        internal
        pure
        returns (FeeSplit memory s)
    {
        uint256 buyerPart = fee / 2;
        uint256 listingPart = fee - buyerPart;
        s.listingBroker = listingPart * listingBrokerBps / BPS;
        s.listingVenue = listingPart - s.listingBroker;
        s.buyerBroker = buyerPart * buyerBrokerBps / BPS;
        s.buyerVenue = buyerPart - s.buyerBroker;
    }
}
