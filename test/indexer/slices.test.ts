import { expect } from "chai";
import { sliceByBlock } from "../../server/indexer/follower";
import type { RpcLog } from "../../server/rpc/client";

const logsOf = (blocks: number[]): RpcLog[] =>
  blocks.map((blockNumber, logIndex) => ({ address: "0x", topics: [], data: "0x", blockNumber, blockHash: "0x", transactionHash: "0x", logIndex }));

describe("follower", () => {
  describe("sliceByBlock", () => {
    it("gives one empty slice for no logs (the cursor still moves to the range's end)", () => {
      expect(sliceByBlock([], 10)).to.deep.equal([[]]);
    });

    it("cuts at block boundaries into slices of at most the limit, in order", () => {
      const logs = logsOf([1, 1, 2, 3, 3, 3, 4, 5, 5]);
      const slices = sliceByBlock(logs, 3);
      expect(slices.map((s) => s.map((l) => l.blockNumber))).to.deep.equal([[1, 1, 2], [3, 3, 3], [4, 5, 5]]);
      expect(slices.flat()).to.deep.equal(logs);
    });

    it("keeps a block larger than the limit whole, alone in its slice", () => {
      const slices = sliceByBlock(logsOf([1, 2, 2, 2, 2, 3]), 2);
      expect(slices.map((s) => s.map((l) => l.blockNumber))).to.deep.equal([[1], [2, 2, 2, 2], [3]]);
    });
  });
});
