// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title BenchForwarder: many ledger calls in one transaction (scale bench only)
/// @notice Compiled and deployed by bench/scale/generate.ts on a throwaway Anvil chain, never by the
/// ledger's deployment: it holds patents and roles like any party would and runs a list of calls in
/// one transaction, so that a chain of millions of events takes thousands of transactions. Every call
/// must succeed (the whole transaction reverts otherwise); `runs` counts the runs that did, which is how
/// the generator checks that no transaction failed without reading millions of logs back.
contract BenchForwarder {
    /// @notice Only the account that deployed the forwarder may run calls through it.
    error BenchForwarderNotOperator(address caller);
    /// @notice Call `index` of a run reverted with `reason`.
    error BenchForwarderCallFailed(uint256 index, bytes reason);
    /// @notice The two lists of a run differ in length.
    error BenchForwarderLengthMismatch(uint256 targets, uint256 calls);

    address private immutable _operator;
    /// @notice Runs that completed.
    uint256 public runs;

    constructor() {
        _operator = msg.sender;
    }

    /// @notice Calls `targets[i]` with `calls[i]` in order; reverts with the first failure.
    function run(address[] calldata targets, bytes[] calldata calls) external {
        if (msg.sender != _operator) revert BenchForwarderNotOperator(msg.sender);
        if (targets.length != calls.length) revert BenchForwarderLengthMismatch(targets.length, calls.length);
        for (uint256 i; i < calls.length; ++i) {
            (bool ok, bytes memory reason) = targets[i].call(calls[i]);
            if (!ok) revert BenchForwarderCallFailed(i, reason);
        }
        ++runs;
    }

    /// @notice Accepts the registry's observer callbacks (a module that agreed a transfer is told of its outcome).
    fallback() external {}
}
