import { expect } from "chai";
import { artifacts } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { FunctionFragment, Interface } from "ethers";
import { CONTRACT_NAMES, type LedgerContracts } from "../../scripts/deploy";
import { classify, loadOpenFunctions, restrictedFunctions, zeroArgs } from "../../scripts/access/access";
import { Roles } from "../../server/chain/roles";
import { deployFixture } from "../helpers/fixtures";

/**
 * One rule for every contract deployLedger deploys (a new one in CONTRACT_NAMES is picked up here): each
 * function of FUNCTION_ROLES refuses an account without the role with AccessManagedUnauthorized(caller),
 * and each other state-changing function is open with a documented reason (scripts/access/open-functions.json).
 * scripts/check-access.ts applies the same rule to the ABIs in CI.
 */
describe("Access control", () => {
  const open = loadOpenFunctions();

  for (const key of Object.keys(CONTRACT_NAMES) as (keyof LedgerContracts)[]) {
    const contract = CONTRACT_NAMES[key];

    describe(contract, () => {
      it("lists every state-changing function in FUNCTION_ROLES or as open with a reason", async () => {
        const { abi } = await artifacts.readArtifact(contract);
        const c = classify(contract, abi, open);
        expect(c.unlisted, "neither restricted nor open").to.deep.equal([]);
        expect(c.stale, "listed but not in the ABI").to.deep.equal([]);
        expect(c.conflicts).to.deep.equal([]);
      });

      for (const { name, role } of restrictedFunctions(contract)) {
        describe(name, () => {
          it(`reverts with AccessManagedUnauthorized when an account without ${role} calls it`, async () => {
            const f = await loadFixture(deployFixture);
            const target = f[key];
            const iface = target.interface as Interface;
            const overloads = iface.fragments.filter(
              (x): x is FunctionFragment => x.type === "function" && (x as FunctionFragment).name === name,
            );
            expect(overloads, `${contract} has no function ${name}`).to.not.deep.equal([]);
            for (const fragment of overloads) {
              const call = f.stranger.sendTransaction({
                to: await target.getAddress(),
                data: iface.encodeFunctionData(fragment, zeroArgs(fragment)),
              });
              await expect(call, fragment.format())
                .to.be.revertedWithCustomError(target, "AccessManagedUnauthorized")
                .withArgs(f.stranger.address);
            }
          });

          it(`is wired to ${role} in the AccessManager`, async () => {
            const f = await loadFixture(deployFixture);
            const target = f[key];
            const overloads = (target.interface as Interface).fragments.filter(
              (x): x is FunctionFragment => x.type === "function" && (x as FunctionFragment).name === name,
            );
            for (const fragment of overloads) {
              expect(await f.accessManager.getTargetFunctionRole(await target.getAddress(), fragment.selector), fragment.format()).to.equal(
                Roles[role as keyof typeof Roles],
              );
            }
          });
        });
      }
    });
  }

  describe("LedgerAccessManager", () => {
    describe("grantRole", () => {
      it("reverts with AccessManagerUnauthorizedAccount when an account without ADMIN calls it", async () => {
        const f = await loadFixture(deployFixture);
        await expect(f.accessManager.connect(f.stranger).grantRole(Roles.REGISTRAR, f.stranger.address, 0))
          .to.be.revertedWithCustomError(f.accessManager, "AccessManagerUnauthorizedAccount")
          .withArgs(f.stranger.address, Roles.ADMIN);
      });
    });
  });
});
