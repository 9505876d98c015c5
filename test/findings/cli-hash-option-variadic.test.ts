import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployFixture, patentRecord } from "../helpers/fixtures";
import { clientFor } from "../cli/helpers";
import { runCli } from "../../scripts/cli/program";
import { demoAccount } from "../../server/chain/accounts";
import { formatCnipaNumber } from "../../server/chain/cnipa";

/**
 * Finding: commander reads an option placeholder ending in "..." as variadic, so `--contract-hash <0x...>`
 * (transfer propose) and `--report-hash <0x...>` (evaluate) handed an array to the hash parser, and every
 * hash given on the command line failed with "text.toLowerCase is not a function". Placeholders are now `<hash>`.
 */
describe("finding: CLI hash options were variadic", () => {
  it("transfer propose records the --contract-hash given", async () => {
    const f = await loadFixture(deployFixture);
    const record = patentRecord(f.uniA.address, 41);
    await f.registry.connect(f.registrar).register(record);
    const signers = await ethers.getSigners();
    const err: string[] = [];
    const hash = ethers.id("signed transfer contract");
    const code = await runCli(["transfer", "propose", formatCnipaNumber(BigInt(record.number)), "--to", "rongxin", "--contract-hash", hash, "--as", "scu"], {
      out: () => undefined,
      err: (s) => err.push(s),
      env: {},
      connect: async (opts) => clientFor(f, opts.as ? signers[demoAccount(opts.as).index] : undefined),
    });
    expect(err).to.deep.equal([]);
    expect(code).to.equal(0);
    expect((await f.registry.transferRecord(1n)).contractHash).to.equal(hash);
  });
});
