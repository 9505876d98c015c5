import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { ParamType, type InterfaceAbi } from "ethers";
import { checkSizes, contractSizes, formatTable, INITCODE_LIMIT, RUNTIME_LIMIT } from "../../scripts/check-sizes";
import { checkSummary } from "../../scripts/check-coverage";
import { classify, loadOpenFunctions, restrictedFunctions, zeroValue } from "../../scripts/access/access";
import { CONTRACT_NAMES } from "../../scripts/deploy";

const ROOT = path.join(__dirname, "../..");

function run(script: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, script), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, NODE_V8_COVERAGE: process.env.NODE_V8_COVERAGE },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, stdout, stderr })));
}

const hex = (bytes: number) => "0x" + "60".repeat(bytes);

describe("CI gates", () => {
  let dir: string;

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), "tianfu-gates-"));
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  /** A fake artifacts folder: name -> [source, runtime bytes, creation bytes]. */
  function artifacts(name: string, contracts: Record<string, [string, number, number]>): string {
    const root = path.join(dir, name);
    for (const [contractName, [sourceName, runtime, initcode]] of Object.entries(contracts)) {
      const folder = path.join(root, sourceName);
      mkdirSync(folder, { recursive: true });
      const artifact = { contractName, sourceName, abi: [], bytecode: hex(initcode), deployedBytecode: hex(runtime) };
      writeFileSync(path.join(folder, `${contractName}.json`), JSON.stringify(artifact));
      writeFileSync(path.join(folder, `${contractName}.dbg.json`), "{}");
    }
    return root;
  }

  describe("check-sizes", () => {
    it("measures contracts with code, leaving out contracts/test/ and interfaces, largest first", () => {
      const root = artifacts("sizes", {
        Small: ["contracts/a/Small.sol", 100, 150],
        Large: ["contracts/b/Large.sol", 20_000, 21_000],
        IThing: ["contracts/interfaces/IThing.sol", 0, 0],
        Harness: ["contracts/test/Harness.sol", 30_000, 31_000],
      });
      expect(contractSizes(root)).to.deep.equal([
        { name: "Large", source: "contracts/b/Large.sol", runtime: 20_000, initcode: 21_000 },
        { name: "Small", source: "contracts/a/Small.sol", runtime: 100, initcode: 150 },
      ]);
    });

    it("fails a contract over either limit and a deployed contract without an artifact", () => {
      const sizes = [
        { name: "AtLimit", source: "contracts/A.sol", runtime: RUNTIME_LIMIT, initcode: INITCODE_LIMIT },
        { name: "Over", source: "contracts/B.sol", runtime: RUNTIME_LIMIT + 1, initcode: INITCODE_LIMIT + 1 },
      ];
      expect(checkSizes(sizes, ["AtLimit", "Missing"]).problems).to.deep.equal([
        `Over: runtime code ${RUNTIME_LIMIT + 1} bytes > ${RUNTIME_LIMIT}`,
        `Over: creation code ${INITCODE_LIMIT + 1} bytes > ${INITCODE_LIMIT}`,
        "Missing: deployed by deployLedger but no artifact found",
      ]);
      expect(checkSizes(sizes.slice(0, 1), ["AtLimit"]).problems).to.deep.equal([]);
    });

    it("prints a table with the margin to the limit", () => {
      const table = formatTable([{ name: "PatentRegistry", source: "x", runtime: 20_000, initcode: 21_000 }]).split("\n");
      expect(table[0]).to.match(/^contract\s+runtime bytes\s+margin\s+of limit\s+creation bytes$/);
      expect(table[2]).to.match(/^PatentRegistry\s+20,000\s+4,576\s+81\.4%\s+21,000$/);
    });

    it("exits 1 naming the contract over the limit, 0 otherwise", async function () {
      this.timeout(60_000);
      const names = Object.values(CONTRACT_NAMES);
      const ok = Object.fromEntries(names.map((n) => [n, [`contracts/x/${n}.sol`, 1000, 1200] as [string, number, number]]));
      const over = { ...ok, PatentRegistry: ["contracts/registry/PatentRegistry.sol", 30_000, 31_000] as [string, number, number] };
      const good = await run("scripts/check-sizes.ts", ["--artifacts", artifacts("ok", ok)]);
      expect(good.code, good.stderr).to.equal(0);
      expect(good.stdout).to.include(`size check: ${names.length} contracts within the limits`);
      const bad = await run("scripts/check-sizes.ts", ["--artifacts", artifacts("over", over)]);
      expect(bad.code).to.equal(1);
      expect(bad.stderr).to.include("size check: PatentRegistry: runtime code 30000 bytes > 24576");
    });
  });

  describe("check-coverage", () => {
    const metric = (covered: number, total: number) => ({ covered, total, pct: total === 0 ? ("Unknown" as const) : Math.round((10_000 * covered) / total) / 100 });
    const entry = (lines: [number, number], branches: [number, number]) => ({
      lines: metric(...lines),
      branches: metric(...branches),
      statements: metric(...lines),
      functions: metric(1, 1),
    });

    it("passes at 95% of lines and 90% of branches and lists the files under either", () => {
      const { ok, report } = checkSummary({
        total: entry([95, 100], [90, 100]),
        "/x/contracts/A.sol": entry([50, 50], [50, 50]),
        "/x/contracts/B.sol": entry([45, 50], [40, 50]),
        "/x/contracts/IEmpty.sol": entry([0, 0], [0, 0]),
      });
      expect(ok).to.equal(true);
      expect(report[0]).to.match(/^solidity coverage: lines 95% \(95\/100, gate 95%\), branches 90% \(90\/100, gate 90%\).*files under a gate:$/);
      expect(report.slice(1)).to.have.length(1);
      expect(report[1]).to.match(/B\.sol: lines 90% \(45\/50\), branches 80% \(40\/50\)$/);
    });

    it("fails below either gate or without a total", () => {
      expect(checkSummary({ total: entry([94, 100], [95, 100]) }).ok).to.equal(false);
      expect(checkSummary({ total: entry([99, 100], [89, 100]) }).ok).to.equal(false);
      expect(checkSummary({}).ok).to.equal(false);
    });

    it("exits 1 when the summary is missing or under the gate", async function () {
      this.timeout(60_000);
      const missing = await run("scripts/check-coverage.ts", ["--summary", path.join(dir, "none.json")]);
      expect(missing.code).to.equal(1);
      expect(missing.stderr).to.include("no coverage summary");
      const file = path.join(dir, "summary.json");
      writeFileSync(file, JSON.stringify({ total: entry([80, 100], [80, 100]) }));
      const low = await run("scripts/check-coverage.ts", ["--summary", file]);
      expect(low.code).to.equal(1);
      expect(low.stdout).to.include("lines 80% (80/100, gate 95%)");
      const lowered = await run("scripts/check-coverage.ts", ["--summary", file, "--lines", "80", "--branches", "80"]);
      expect(lowered.code, lowered.stderr).to.equal(0);
    });
  });

  describe("check-access", () => {
    const abi: InterfaceAbi = [
      "function register(uint256 id) external",
      "function proposeTransfer(uint256 id, address to) external",
      "function forgotten(uint256 id) external",
      "function safeTransferFrom(address, address, uint256) external",
      "function safeTransferFrom(address, address, uint256, bytes) external",
      "function owner() external view returns (address)",
      "function pure_(uint256) external pure returns (uint256)",
    ];

    it("sorts state-changing functions into restricted, open and unlisted; reports stale and conflicting entries", () => {
      const open = { PatentRegistry: { proposeTransfer: "the holder only (NotOwner)", safeTransferFrom: "ERC-721, refused by _update", register: "also open?", gone: "a function since removed" } };
      const c = classify("PatentRegistry", abi, open);
      expect(c.restricted.map((r) => r.name)).to.deep.equal(["register"]);
      expect(c.open.map((o) => o.name)).to.deep.equal(["proposeTransfer", "safeTransferFrom", "register"]);
      expect(c.unlisted).to.deep.equal(["forgotten"]);
      expect(c.stale).to.include.members(["gone", "registerBatch", "setLockModule"]);
      expect(c.conflicts).to.deep.equal(["register is both restricted and open"]);
      expect(classify("PatentRegistry", abi, { PatentRegistry: { forgotten: "no" } }).conflicts).to.deep.equal(["forgotten is open without a reason"]);
    });

    it("picks up a contract FUNCTION_ROLES does not name: every function unlisted", () => {
      expect(restrictedFunctions("NewExchange")).to.deep.equal([]);
      expect(classify("NewExchange", ["function list(uint256) external"], {}).unlisted).to.deep.equal(["list"]);
    });

    it("gives every open function of the deployed contracts a reason", () => {
      const open = loadOpenFunctions();
      for (const [contract, table] of Object.entries(open)) {
        expect(Object.values(CONTRACT_NAMES), contract).to.include(contract);
        for (const [name, reason] of Object.entries(table)) expect(reason.length, `${contract}.${name}`).to.be.greaterThan(10);
      }
    });

    it("refuses an open-functions file that does not map names to reasons", () => {
      const file = path.join(dir, "open.json");
      writeFileSync(file, JSON.stringify({ $comment: "x", PatentRegistry: { approve: 1 } }));
      expect(() => loadOpenFunctions(file)).to.throw("PatentRegistry.approve must be a reason");
      writeFileSync(file, JSON.stringify({ PatentRegistry: "open" }));
      expect(() => loadOpenFunctions(file)).to.throw("PatentRegistry must map function names to reasons");
    });

    it("makes an encodable zero of every ABI type", () => {
      const zero = (t: string) => zeroValue(ParamType.from(t));
      expect(zero("uint256")).to.equal(0n);
      expect(zero("int8")).to.equal(0n);
      expect(zero("address")).to.equal("0x0000000000000000000000000000000000000000");
      expect(zero("bool")).to.equal(false);
      expect(zero("string")).to.equal("");
      expect(zero("bytes")).to.equal("0x");
      expect(zero("bytes4")).to.equal("0x00000000");
      expect(zero("uint8[]")).to.deep.equal([]);
      expect(zero("uint8[2]")).to.deep.equal([0n, 0n]);
      expect(zero("tuple(uint256 a, string[] b, tuple(bool c) d)")).to.deep.equal([0n, [], [false]]);
      expect(() => zeroValue({ baseType: "function", format: () => "function" } as unknown as ParamType)).to.throw("no zero value for ABI type function");
    });
  });
});
