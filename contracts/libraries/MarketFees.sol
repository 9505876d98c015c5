// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice How one price is divided between the seller, the two venues and their brokers.
struct FeeSplit {
    uint256 seller;
    uint256 listingVenue;
    uint256 buyerVenue;
    uint256 listingBroker;
    uint256 buyerBroker;
}

/// @title MarketFees
/// @notice The fee model of the unified exchange, shared by the Exchange and the AuctionHouse.
///
/// fee = floor(price * feeBps / 10,000), where `feeBps` is the listing venue's fee; the seller gets
/// price - fee. The buyer's venue part is floor(fee / 2) and the listing venue's part the rest. A broker named
/// on the listing gets floor(listingPart * listingBrokerBps / 10,000) out of the listing venue's part, a broker
/// named on the offer or bid floor(buyerPart * buyerBrokerBps / 10,000) out of the buyer venue's part. When the
/// buyer comes through the listing venue itself, that venue keeps both venue parts (brokers are paid the same).
/// Every unit is accounted for: the five amounts sum to the price.
library MarketFees {
    uint256 internal constant WHOLE_BPS = 10_000;

    /// @notice A fee or share above 100%.
    error MarketFeesBpsAboveWhole(uint256 bps);

    /// @notice Splits `price` by the fee model.
    function split(uint256 price, uint16 feeBps, uint16 listingBrokerBps, uint16 buyerBrokerBps, bool sameVenue)
        internal
        pure
        returns (FeeSplit memory s)
    {
        if (feeBps > WHOLE_BPS) revert MarketFeesBpsAboveWhole(feeBps);
        if (listingBrokerBps > WHOLE_BPS) revert MarketFeesBpsAboveWhole(listingBrokerBps);
        if (buyerBrokerBps > WHOLE_BPS) revert MarketFeesBpsAboveWhole(buyerBrokerBps);
        uint256 fee = price * feeBps / WHOLE_BPS;
        uint256 buyerPart = fee / 2;
        uint256 listingPart = fee - buyerPart;
        s.seller = price - fee;
        s.listingBroker = listingPart * listingBrokerBps / WHOLE_BPS;
        s.buyerBroker = buyerPart * buyerBrokerBps / WHOLE_BPS;
        s.listingVenue = listingPart - s.listingBroker;
        s.buyerVenue = buyerPart - s.buyerBroker;
        if (sameVenue) {
            s.listingVenue += s.buyerVenue;
            s.buyerVenue = 0;
        }
    }
}
