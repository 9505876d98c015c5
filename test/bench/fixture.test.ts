import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { rebuild } from "../../bench/scale";
import { FixtureChain, TEMPLATE_UNITS } from "../../bench/scale/fixture";
import { listenFixture } from "../../bench/scale/fixture-node";
import { patentNumber, plannedEvents, recipient, UNIT, type Generated } from "../../bench/scale/generate";
import { keys } from "../../server/store/keys";
import { openStore } from "../../server/store/db";

/** Five units: the fifth is the first template unit again, with every id patched. */
const PATENTS = (TEMPLATE_UNITS + 1) * UNIT;

async function rpc<T>(url: string, method: string, params: unknown[]): Promise<T> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 7, method, params }) });
  const body = (await res.json()) as { result?: T; error?: { code: number; message: string } };
  if (body.error) throw new Error(`${body.error.code} ${body.error.message}`);
  return body.result as T;
}

describe("bench/scale fixture", function () {
  this.timeout(300_000);
  const chain = new FixtureChain({ patents: PATENTS });
  let url: string;
  let server: Server;
  const dirs: string[] = [];

  before(async function () {
    ({ url, server } = await listenFixture(chain));
  });

  after(function () {
    server.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  describe("FixtureChain", function () {
    it("chains its blocks by parent hash and finds a block by its hash", function () {
      for (let n = 1; n <= chain.head; n++) expect(chain.header(n)!.parentHash).to.equal(chain.header(n - 1)!.hash);
      expect(chain.numberOfHash(chain.blockHash(chain.head))).to.equal(chain.head);
      expect(chain.numberOfHash(`0x${"0".repeat(64)}`)).to.equal(undefined);
      expect(chain.header(chain.head + 1)).to.equal(undefined);
    });

    it("serves the same logs on every instance (deterministic)", function () {
      const again = new FixtureChain({ patents: PATENTS });
      for (const n of [0, chain.template.preambleBlocks, chain.head]) expect(again.logs(n)).to.deep.equal(chain.logs(n));
    });

    it("patches the patent numbers of a unit past the template", function () {
      const words = new Set(chain.logs(chain.head).flatMap((l) => l.topics));
      expect(words.has(`0x${patentNumber(TEMPLATE_UNITS * UNIT).toString(16).padStart(64, "0")}`)).to.equal(true);
      expect(words.has(`0x${patentNumber(0).toString(16).padStart(64, "0")}`)).to.equal(false);
    });

    it("refuses a number of patents that is not whole units", function () {
      expect(() => new FixtureChain({ patents: UNIT + 1 })).to.throw(/multiple of 200/);
    });
  });

  describe("fixture node", function () {
    it("answers the standard methods, batched, and refuses eth_getProof", async function () {
      expect(await rpc<string>(url, "eth_chainId", [])).to.equal(`0x${chain.template.chainId.toString(16)}`);
      expect(await rpc<string>(url, "eth_blockNumber", [])).to.equal(`0x${chain.head.toString(16)}`);
      const block = await rpc<{ hash: string }>(url, "eth_getBlockByNumber", ["latest", false]);
      expect((await rpc<{ number: string }>(url, "eth_getBlockByHash", [block.hash, false])).number).to.equal(`0x${chain.head.toString(16)}`);
      const pledges = chain.deployments.contracts.Pledges!;
      const logs = await rpc<{ address: string; blockHash: string }[]>(url, "eth_getLogs", [{ blockHash: block.hash, address: pledges }]);
      expect(logs).to.have.length(chain.logs(chain.head).filter((l) => l.address === pledges.toLowerCase()).length).and.to.have.length.above(0);
      const res = await fetch(url, { method: "POST", body: JSON.stringify([{ jsonrpc: "2.0", id: 1, method: "net_version", params: [] }, { jsonrpc: "2.0", id: 2, method: "eth_getProof", params: [] }]) });
      const [a, b] = (await res.json()) as { result?: string; error?: { code: number } }[];
      expect(a!.result).to.equal(String(chain.template.chainId));
      expect(b!.error!.code).to.equal(-32601);
    });
  });

  describe("the gateway's indexer on the fixture", function () {
    async function rebuilt(): Promise<{ dir: string; byEvent: Record<string, number> }> {
      const dir = mkdtempSync(path.join(tmpdir(), "scale-fixture-"));
      dirs.push(dir);
      const generated: Generated = { patents: PATENTS, deployments: chain.deployments, transactions: 0, calls: 0, blocks: 0, seconds: 0, unitsPerBlock: 1 };
      const r = await rebuild(url, generated, path.join(dir, "db"), () => undefined);
      return { dir, byEvent: r.byEvent };
    }

    it("indexes every event without a handler error, as many of each kind as planned, and the same digest twice", async function () {
      const first = await rebuilt();
      const planned = plannedEvents(PATENTS);
      for (const [name, n] of Object.entries(planned)) expect(first.byEvent[name], name).to.equal(n);
      const second = await rebuilt();
      const digests: string[] = [];
      for (const { dir } of [first, second]) {
        const db = await openStore(path.join(dir, "db"));
        const head = await db.get<{ digest: string }>(keys.block(chain.head));
        digests.push(head!.digest);
        if (dir === first.dir) {
          // Patents past the template: a transferred one owned by its recipient, an untouched one by the holder.
          const transferred = await db.get<{ owner: string }>(keys.patent(patentNumber(TEMPLATE_UNITS * UNIT)));
          expect(transferred!.owner.toLowerCase()).to.equal(recipient(TEMPLATE_UNITS * UNIT).toLowerCase());
          const kept = await db.get<{ owner: string; holder: string }>(keys.patent(patentNumber(TEMPLATE_UNITS * UNIT + 15)));
          expect(kept!.owner).to.equal(kept!.holder);
          // Ids are consecutive across units: the last of each exists, the next does not.
          const n = PATENTS / UNIT;
          expect(await db.get(keys.transfer(n * 60))).to.not.equal(undefined);
          expect(await db.get(keys.transfer(n * 60 + 1))).to.equal(undefined);
          expect(await db.get(keys.licence(n * 40))).to.not.equal(undefined);
          expect(await db.get(keys.pledge(n * 10))).to.not.equal(undefined);
          expect(await db.get(keys.pledge(n * 10 + 1))).to.equal(undefined);
        }
        await db.close();
      }
      expect(digests[1]).to.equal(digests[0]);
    });
  });
});
