// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title IVenues
/// @notice The exchange venues of the unified Sichuan–Chongqing market (the Chengdu and Chongqing
/// technology exchanges) and the technology managers (技术经理人) they accredit.
///
/// A venue is an account that holds `Roles.VENUE` in the access manager and has opened itself here
/// with a name and a fee. Revoking the role in the access manager closes the venue at once: every
/// view below then treats it as unknown. Each venue sets its own fee, in basis points of a trade's
/// price, within the cap the admin sets. A venue accredits brokers; a broker named on a listing or an
/// offer receives `shareBps` of the fee that the accrediting venue earns on that trade.
interface IVenues {
    /// @notice A venue opened (or renamed itself) with its fee.
    event VenueOpened(address indexed venue, string name, uint16 feeBps);
    /// @notice A venue changed its fee.
    event VenueFeeChanged(address indexed venue, uint16 previousFeeBps, uint16 feeBps);
    /// @notice The admin changed the cap on venue fees.
    event FeeCapChanged(uint16 previousCapBps, uint16 capBps);
    /// @notice A venue accredited a broker, or changed the broker's share of its fees.
    event BrokerAccredited(address indexed venue, address indexed broker, uint16 shareBps);
    /// @notice A venue withdrew a broker's accreditation.
    event BrokerRevoked(address indexed venue, address indexed broker);

    /// @notice `account` is not an open venue (no `Roles.VENUE`, or never opened).
    error VenuesNotVenue(address account);
    /// @notice The fee is above the cap.
    error VenuesFeeAboveCap(uint16 feeBps, uint16 capBps);
    /// @notice The cap is above the hard limit `MAX_FEE_CAP_BPS`.
    error VenuesCapAboveLimit(uint16 capBps, uint16 limitBps);
    /// @notice Venue names must not be empty.
    error VenuesEmptyName();
    /// @notice A broker's share is above 100% of the venue's fee.
    error VenuesShareAboveWhole(uint16 shareBps);
    /// @notice The zero address cannot be a broker.
    error VenuesZeroBroker();
    /// @notice The broker is accredited by another venue; it must revoke first.
    error VenuesBrokerOfOtherVenue(address broker, address venue);
    /// @notice The broker is not accredited by this venue.
    error VenuesNotBrokerOf(address venue, address broker);

    /// @notice Opens the calling venue (or renames it and resets its fee). Caller needs `Roles.VENUE`.
    function openVenue(string calldata name, uint16 feeBps) external;

    /// @notice Sets the calling venue's fee, at most the cap. Caller needs `Roles.VENUE`.
    function setFee(uint16 feeBps) external;

    /// @notice Sets the cap on venue fees (admin). Existing fees above it are clamped when read.
    function setFeeCap(uint16 capBps) external;

    /// @notice Accredits `broker` for the calling venue with `shareBps` of the venue's fee on trades
    /// the broker is named on, or changes the share. Caller needs `Roles.VENUE`.
    function accreditBroker(address broker, uint16 shareBps) external;

    /// @notice Withdraws the calling venue's accreditation of `broker`. Caller needs `Roles.VENUE`.
    function revokeBroker(address broker) external;

    /// @notice Whether `account` is an open venue.
    function isVenue(address account) external view returns (bool);

    /// @notice The venue's fee in basis points (clamped to the current cap); reverts `VenuesNotVenue`.
    function feeBps(address venue) external view returns (uint16);

    /// @notice The venue's name; reverts `VenuesNotVenue`.
    function venueName(address venue) external view returns (string memory);

    /// @notice The broker's share of `venue`'s fee; reverts `VenuesNotVenue` or `VenuesNotBrokerOf`.
    function brokerShareBps(address venue, address broker) external view returns (uint16);

    /// @notice The venue that accredits `broker` (zero if none) and the broker's share.
    function brokerOf(address broker) external view returns (address venue, uint16 shareBps);

    /// @notice The current cap on venue fees, in basis points.
    function feeCapBps() external view returns (uint16);
}
