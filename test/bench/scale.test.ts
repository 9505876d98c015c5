import { expect } from "chai";
import { ethers } from "ethers";
import { call, registerBatchCall, runCall, word } from "../../bench/scale/calldata";
import { compileForwarder, plannedEvents, roleOf } from "../../bench/scale/generate";
import { PatentRegistry__factory } from "../../typechain-types/factories/contracts/registry/PatentRegistry__factory";

describe("bench/scale", function () {
  const registry = PatentRegistry__factory.createInterface();
  const sel = (name: "updateInventory" | "setLegalStatus" | "registerTransfer" | "registerBatch") => registry.getFunction(name).selector.slice(2);

  describe("calldata", function () {
    it("encodes static calls as ethers does", function () {
      const inv = { readiness: 9, willing: true, modes: 7, selfScore: 99, unitScore: 0, scenarioTags: 0xffffffff };
      const id = 201910000283n;
      const data = call(sel("updateInventory"), [word(id), ...[9, true, 7, 99, 0, 0xffffffff].map((v) => word(v))]);
      expect(data).to.equal(registry.encodeFunctionData("updateInventory", [id, inv]));
    });

    it("encodes string arguments (UTF-8, padded) as ethers does", function () {
      for (const reason of ["x", "无效宣告请求受理", "a".repeat(32), "b".repeat(33)]) {
        const data = call(sel("setLegalStatus"), [word(201910000283n), word(3), { text: reason }]);
        expect(data).to.equal(registry.encodeFunctionData("setLegalStatus", [201910000283n, 3, reason]));
      }
      const transfer = call(sel("registerTransfer"), [word(7), { text: "ZL-TR-1" }, word(20_000)]);
      expect(transfer).to.equal(registry.encodeFunctionData("registerTransfer", [7, "ZL-TR-1", 20_000]));
    });

    it("encodes registerBatch records with titles and IPC lists of every length as ethers does", function () {
      const records = Array.from({ length: 9 }, (_, i) => ({
        number: 201210000000n + BigInt(i),
        holder: ethers.getAddress(`0x${(i + 1).toString(16).padStart(40, "0")}`),
        facts: { checkDigit: i % 11, kind: i % 3, filingDay: 15_000 + i, grantDay: 16_000 + i, dossierHash: ethers.id(`d${i}`) },
        title: `一种锂电池的制备方法${"料".repeat(i * 5)}`,
        ipc: Array.from({ length: 1 + (i % 8) }, (_, k) => `H01M ${k}/0525`.slice(0, 5 + k)),
        inventory: { readiness: 1 + i, willing: i % 2 === 0, modes: i % 8, selfScore: i, unitScore: 100 - i, scenarioTags: i * 1000 },
      }));
      expect(registerBatchCall(sel("registerBatch"), records)).to.equal(registry.encodeFunctionData("registerBatch", [records]));
    });

    it("encodes BenchForwarder.run as ethers does", function () {
      const forwarder = new ethers.Interface(compileForwarder().abi);
      const targets = [ethers.ZeroAddress, ethers.getAddress(`0x${"ab".repeat(20)}`), ethers.getAddress(`0x${"cd".repeat(20)}`)];
      const calls = ["0x", "0x12345678", `0x${"ee".repeat(70)}`];
      const data = runCall(forwarder.getFunction("run")!.selector.slice(2), targets, calls);
      expect(data).to.equal(forwarder.encodeFunctionData("run", [targets, calls]));
    });
  });

  describe("plannedEvents", function () {
    it("plans about ten events per patent, none of one kind above a third", function () {
      const planned = plannedEvents(2000);
      const total = Object.values(planned).reduce((a, b) => a + b, 0);
      expect(total / 2000).to.be.within(9.5, 10.5);
      for (const n of Object.values(planned)) expect(n / total).to.be.below(0.34);
      expect(planned["PatentRegistry.TransferRegistered"]).to.equal(600);
      expect(planned["Pledges.PledgeRegistered"]).to.equal(100);
    });

    it("gives each patent one role beyond registration", function () {
      const roles = new Map<string, number>();
      for (let s = 0; s < 100; s++) roles.set(roleOf(s), (roles.get(roleOf(s)) ?? 0) + 1);
      expect(Object.fromEntries(roles)).to.deep.equal({ transfer: 30, licence: 20, pledge: 5, none: 5, status: 40 });
    });
  });
});

describe("bench/scale generation and rebuild", function () {
  this.timeout(300_000);

  it("fills Anvil with the planned events and the indexer counts exactly those", async function () {
    const { mkdtempSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const path = await import("node:path");
    const { generate, startAnvil } = await import("../../bench/scale/generate");
    const { rebuild } = await import("../../bench/scale");
    const node = await startAnvil({});
    const dir = mkdtempSync(path.join(tmpdir(), "tianfu-scale-test-"));
    try {
      const generated = await generate(node.url, 400, 2, () => undefined);
      expect(generated.transactions).to.equal(6); // two units: A, B (pledges), C (statuses) each
      const rb = await rebuild(node.url, generated, path.join(dir, "db"), () => undefined);
      for (const [name, n] of Object.entries(plannedEvents(400))) expect(rb.byEvent[name], name).to.equal(n);
      expect(rb.indexBytes).to.be.above(0);
    } finally {
      await node.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
