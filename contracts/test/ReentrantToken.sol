// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice Test double: an ERC-20 whose transferFrom calls back a target (e.g. Royalties.payRoyalty) before
/// moving funds. Not deployed outside tests.
contract ReentrantToken is ERC20 {
    address public callee;
    bytes public callData;

    constructor() ERC20("Reentrant", "REE") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function arm(address target_, bytes calldata callData_) external {
        callee = target_;
        callData = callData_;
    }

    function transferFrom(address from, address to, uint256 value) public override returns (bool) {
        address t = callee;
        if (t != address(0)) {
            callee = address(0);
            // solhint-disable-next-line avoid-low-level-calls
            (bool ok, bytes memory data) = t.call(callData);
            if (!ok) {
                // solhint-disable-next-line no-inline-assembly
                assembly ("memory-safe") {
                    revert(add(data, 32), mload(data))
                }
            }
        }
        return super.transferFrom(from, to, value);
    }
}
