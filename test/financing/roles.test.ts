import { expect } from "chai";
import type { Interface } from "ethers";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { FUNCTION_ROLES } from "../../scripts/deploy";
import { LockBits, Roles } from "../../server/chain/roles";
import { deployFixture } from "../helpers/fixtures";

describe("Financing and equity deployment", () => {
  describe("FUNCTION_ROLES", () => {
    for (const contract of ["Pledges", "Valuations"] as const) {
      for (const [role, names] of Object.entries(FUNCTION_ROLES[contract]) as [keyof typeof Roles, readonly string[]][]) {
        for (const name of names) {
          it(`restricts ${contract}.${name} to ${role}`, async () => {
            const f = await loadFixture(deployFixture);
            const target = contract === "Pledges" ? f.pledges : f.valuations;
            const selector = (target.interface as Interface).getFunction(name)!.selector;
            expect(await f.accessManager.getTargetFunctionRole(await target.getAddress(), selector)).to.equal(Roles[role]);
          });
        }
      }
    }
  });

  describe("deployLedger", () => {
    it("names Pledges and EquityDeals as the modules of LOCK_PLEDGED and LOCK_EQUITY and grants them MODULE", async () => {
      const f = await loadFixture(deployFixture);
      const pledges = await f.pledges.getAddress();
      const equity = await f.equityDeals.getAddress();
      expect(await f.registry.lockModule(LockBits.PLEDGED)).to.equal(pledges);
      expect(await f.registry.lockModule(LockBits.EQUITY)).to.equal(equity);
      expect((await f.accessManager.hasRole(Roles.MODULE, pledges))[0]).to.equal(true);
      expect((await f.accessManager.hasRole(Roles.MODULE, equity))[0]).to.equal(true);
    });
  });
});
