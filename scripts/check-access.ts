/**
 * Access-control gate. For every contract deployLedger deploys (CONTRACT_NAMES in scripts/deploy.ts), reads
 * its ABI from the artifacts and lists each state-changing external function. Fails unless each is either
 *   - restricted: in FUNCTION_ROLES, wired to that role in the AccessManager, and refused with
 *     AccessManagedUnauthorized(caller) to an account holding no role (probed here on a fresh ledger on the
 *     in-process Hardhat network, and tested by test/access/unauthorised.test.ts); or
 *   - open: listed in scripts/access/open-functions.json with the reason anyone may call it.
 * Stale entries (naming no function) also fail. A contract added to deployLedger is checked automatically.
 *
 *   npx hardhat run scripts/check-access.ts
 */
import hre from "hardhat";
import { Interface, Wallet, type FunctionFragment } from "ethers";
import { CONTRACT_NAMES, deployLedger, type LedgerContracts } from "./deploy";
import { Roles } from "../server/chain/roles";
import { classify, loadOpenFunctions, probeUnauthorised } from "./access/access";

interface Row {
  contract: string;
  name: string;
  access: string;
  result: string;
}

async function main(): Promise<void> {
  const open = loadOpenFunctions();
  const [admin, registrar, venue, bank, appraiser, evaluator] = await hre.ethers.getSigners();
  const ledger = await deployLedger(admin!, {
    registrars: [registrar!.address],
    venues: [venue!.address],
    banks: [bank!.address],
    appraisers: [appraiser!.address],
    evaluators: [evaluator!.address],
  });
  const caller = Wallet.createRandom().address; // holds no role
  const provider = hre.ethers.provider;
  const rows: Row[] = [];
  const problems: string[] = [];

  for (const key of Object.keys(CONTRACT_NAMES) as (keyof LedgerContracts)[]) {
    const contract = CONTRACT_NAMES[key];
    const { abi } = await hre.artifacts.readArtifact(contract);
    const iface = new Interface(abi);
    const target = await ledger[key].getAddress();
    const c = classify(contract, abi, open);
    for (const name of c.unlisted) {
      problems.push(`${contract}.${name}: state-changing but neither in FUNCTION_ROLES (scripts/deploy.ts) nor open with a reason (scripts/access/open-functions.json)`);
      rows.push({ contract, name, access: "UNLISTED", result: "FAIL" });
    }
    for (const name of c.stale) problems.push(`${contract}.${name}: listed but the ABI has no such function`);
    for (const conflict of c.conflicts) problems.push(`${contract}: ${conflict}`);
    for (const r of c.restricted) {
      const probe = await probeUnauthorised(provider, iface, target, r.name, caller);
      let result = probe.ok ? "refused" : "FAIL";
      if (!probe.ok) problems.push(`${contract}.${r.name}: ${probe.problem}`);
      const wanted = Roles[r.role as keyof typeof Roles];
      for (const f of iface.fragments.filter((x): x is FunctionFragment => x.type === "function" && (x as FunctionFragment).name === r.name)) {
        const role = await ledger.accessManager.getTargetFunctionRole(target, f.selector);
        if (role !== wanted) {
          problems.push(`${contract}.${f.format()}: wired to role ${role} in the AccessManager, FUNCTION_ROLES says ${r.role} (${wanted})`);
          result = "FAIL";
        }
      }
      rows.push({ contract, name: r.name, access: r.role, result });
    }
    for (const o of c.open) rows.push({ contract, name: o.name, access: "open", result: o.reason });
  }

  const widths = [
    Math.max(...rows.map((r) => r.contract.length)),
    Math.max(...rows.map((r) => r.name.length)),
    Math.max(...rows.map((r) => r.access.length)),
  ];
  for (const r of rows) {
    console.log(`${r.contract.padEnd(widths[0]!)}  ${r.name.padEnd(widths[1]!)}  ${r.access.padEnd(widths[2]!)}  ${r.result}`);
  }
  const restricted = rows.filter((r) => r.access !== "open" && r.access !== "UNLISTED").length;
  const opened = rows.filter((r) => r.access === "open").length;
  if (problems.length > 0) {
    for (const p of problems) console.error(`access check: ${p}`);
    console.error(`access check: ${problems.length} problem(s)`);
    process.exitCode = 1;
    return;
  }
  console.log(`access check: ${Object.keys(CONTRACT_NAMES).length} contracts, ${restricted} restricted functions refused to a role-less caller, ${opened} open functions with a reason`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
