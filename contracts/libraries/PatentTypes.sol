// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice Kinds of patent right under the PRC Patent Law, each with its own term from the filing date.
enum PatentKind {
    Invention, // 发明, 20 years
    UtilityModel, // 实用新型, 10 years
    Design // 外观设计, 15 years (10 for applications filed before 2021-06-01)
}

/// @notice Legal status as attested by the registrar. `Expired` is never stored: it is derived from the date.
enum LegalStatus {
    Valid, // 有效
    Lapsed, // 未缴年费终止
    Invalidated, // 宣告无效
    UnderInvalidation, // 无效宣告请求审查中
    Frozen, // 财产保全 (court preservation order)
    Expired // 期限届满
}

/// @notice Acts on a patent that encumbrances may forbid. Modules ask the registry before each.
enum Act {
    Transfer,
    Licence,
    OpenLicence,
    Pledge,
    List,
    Contribute
}

enum TransferStatus {
    None,
    Proposed, // signed by the owner, awaiting the buyer
    Agreed, // signed by both parties, awaiting registration with CNIPA
    Registered, // registered: the patent has moved
    Refused, // registration refused: the owner is unchanged
    Cancelled // withdrawn before registration
}

/// @notice Inventory fields of the provincial stock-patent survey (存量专利盘点).
/// @dev `modes` is a bitmask of MODE_* constants; scores are 0-100, 0 meaning "not evaluated".
struct Inventory {
    uint8 readiness; // technology readiness level 1-9
    bool willing; // willing to commercialise
    uint8 modes; // preferred modes: MODE_TRANSFER | MODE_LICENCE | MODE_EQUITY
    uint8 selfScore; // inventor self-evaluation
    uint8 unitScore; // unit (university) evaluation
    uint32 scenarioTags; // bitmask over the application-scenario vocabulary (docs/inventory.md)
}

/// @notice The registered facts of a patent (static part of its record).
struct PatentFacts {
    uint8 checkDigit; // 0-9; 10 stands for "X"
    PatentKind kind;
    uint32 filingDay; // calendar day (China Standard Time) since 1970-01-01
    uint32 grantDay;
    bytes32 dossierHash; // hash of the off-chain dossier
}

/// @notice A patent as submitted by the registrar. The full record is emitted and committed by hash.
struct PatentRegistration {
    uint64 number; // application number digits without "ZL" and check digit, e.g. 202110234567
    address holder;
    PatentFacts facts;
    string title;
    string[] ipc; // IPC codes, e.g. "H01M 10/052"; the first is the main classification
    Inventory inventory;
}

/// @notice The on-chain state of one patent: its owner and exactly what the rules read, in one slot.
/// @dev The registry keeps the ERC-721 owner here rather than in a second slot; inventory fields and
/// the rest of the record are emitted and committed by hash, not stored.
struct Patent {
    address owner;
    PatentKind kind;
    LegalStatus status;
    uint16 locks; // bitmask of LOCK_* bits held by modules
    uint32 filingDay;
    uint32 grantDay;
}

struct TransferRecord {
    uint64 patentId;
    TransferStatus status;
    uint32 agreedDay;
    address from;
    address to;
    address initiator; // module that agreed the transfer on the parties' behalf, or zero
    bytes32 contractHash;
}

// Preferred commercialisation modes (bitmask of Inventory.modes).
uint8 constant MODE_TRANSFER = 1;
uint8 constant MODE_LICENCE = 2;
uint8 constant MODE_EQUITY = 4;
uint8 constant MODES_ALL = 7;

// Encumbrance lock bits. Each bit is held by exactly one module, named by the admin.
uint8 constant LOCK_TRANSFER_PENDING = 0; // held by the registry itself
uint8 constant LOCK_LISTED = 1; // exchange listing
uint8 constant LOCK_PLEDGED = 2; // pledge, pending or registered
uint8 constant LOCK_EQUITY = 3; // equity-for-technology deal awaiting execution
uint8 constant LOCK_DISPOSAL = 4; // pledge disposal auction
uint8 constant LOCK_AUCTION = 5; // auction an owner started through a venue
uint8 constant LOCK_MAX_BIT = 15;
