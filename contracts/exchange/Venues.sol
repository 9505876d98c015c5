// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";

import {IVenues} from "../interfaces/IVenues.sol";
import {Roles} from "../access/Roles.sol";

/// @title Venues
/// @notice Venues of the unified exchange and their accredited brokers. See {IVenues}.
contract Venues is IVenues, AccessManaged {
    /// @notice No cap may let a venue take more than a fifth of a price.
    uint16 public constant MAX_FEE_CAP_BPS = 2_000;
    uint16 private constant WHOLE_BPS = 10_000;

    struct VenueRecord {
        bool opened;
        uint16 feeBps;
        string name;
    }

    struct BrokerRecord {
        address venue;
        uint16 shareBps;
    }

    uint16 private _feeCapBps;
    mapping(address venue => VenueRecord) private _venues;
    mapping(address broker => BrokerRecord) private _brokers;

    constructor(address authority, uint16 initialCapBps) AccessManaged(authority) {
        _setFeeCap(initialCapBps);
    }

    /// @inheritdoc IVenues
    function openVenue(string calldata name, uint16 feeBps_) external restricted {
        if (bytes(name).length == 0) revert VenuesEmptyName();
        _checkFee(feeBps_);
        VenueRecord storage venue = _venues[msg.sender];
        venue.opened = true;
        venue.feeBps = feeBps_;
        venue.name = name;
        emit VenueOpened(msg.sender, name, feeBps_);
    }

    /// @inheritdoc IVenues
    function setFee(uint16 feeBps_) external restricted {
        VenueRecord storage venue = _openVenue(msg.sender);
        _checkFee(feeBps_);
        uint16 previous = venue.feeBps;
        venue.feeBps = feeBps_;
        emit VenueFeeChanged(msg.sender, previous, feeBps_);
    }

    /// @inheritdoc IVenues
    function setFeeCap(uint16 capBps) external restricted {
        _setFeeCap(capBps);
    }

    /// @inheritdoc IVenues
    function accreditBroker(address broker, uint16 shareBps) external restricted {
        _openVenue(msg.sender);
        if (broker == address(0)) revert VenuesZeroBroker();
        if (shareBps > WHOLE_BPS) revert VenuesShareAboveWhole(shareBps);
        BrokerRecord storage record = _brokers[broker];
        if (record.venue != address(0) && record.venue != msg.sender) {
            revert VenuesBrokerOfOtherVenue(broker, record.venue);
        }
        record.venue = msg.sender;
        record.shareBps = shareBps;
        emit BrokerAccredited(msg.sender, broker, shareBps);
    }

    /// @inheritdoc IVenues
    function revokeBroker(address broker) external restricted {
        if (_brokers[broker].venue != msg.sender) revert VenuesNotBrokerOf(msg.sender, broker);
        delete _brokers[broker];
        emit BrokerRevoked(msg.sender, broker);
    }

    /// @inheritdoc IVenues
    function isVenue(address account) public view returns (bool) {
        if (!_venues[account].opened) return false;
        (bool member,) = IAccessManager(authority()).hasRole(Roles.VENUE, account);
        return member;
    }

    /// @inheritdoc IVenues
    function feeBps(address venue) external view returns (uint16) {
        uint16 fee = _openVenue(venue).feeBps;
        return fee > _feeCapBps ? _feeCapBps : fee;
    }

    /// @inheritdoc IVenues
    function venueName(address venue) external view returns (string memory) {
        return _openVenue(venue).name;
    }

    /// @inheritdoc IVenues
    function brokerShareBps(address venue, address broker) external view returns (uint16) {
        _openVenue(venue);
        BrokerRecord storage record = _brokers[broker];
        if (record.venue != venue || broker == address(0)) revert VenuesNotBrokerOf(venue, broker);
        return record.shareBps;
    }

    /// @inheritdoc IVenues
    function brokerOf(address broker) external view returns (address venue, uint16 shareBps) {
        BrokerRecord storage record = _brokers[broker];
        return (record.venue, record.shareBps);
    }

    /// @inheritdoc IVenues
    function feeCapBps() external view returns (uint16) {
        return _feeCapBps;
    }

    function _openVenue(address account) private view returns (VenueRecord storage venue) {
        if (!isVenue(account)) revert VenuesNotVenue(account);
        return _venues[account];
    }

    function _checkFee(uint16 feeBps_) private view {
        if (feeBps_ > _feeCapBps) revert VenuesFeeAboveCap(feeBps_, _feeCapBps);
    }

    function _setFeeCap(uint16 capBps) private {
        if (capBps > MAX_FEE_CAP_BPS) revert VenuesCapAboveLimit(capBps, MAX_FEE_CAP_BPS);
        emit FeeCapChanged(_feeCapBps, capBps);
        _feeCapBps = capBps;
    }
}
