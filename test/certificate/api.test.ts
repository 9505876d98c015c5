import { expect } from "chai";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ethers } from "hardhat";
import { loadFixture, mine } from "@nomicfoundation/hardhat-network-helpers";
import request from "supertest";
import { createApp } from "../../server/api/app";
import { createContext } from "../../server/context";
import { loadConfig } from "../../server/config";
import { createLogger } from "../../server/logger";
import { writeDeployments, type Deployments } from "../../server/chain/deployments";
import { contractAddresses } from "../../scripts/deploy";
import { runCli } from "../../scripts/cli/program";
import type { CliDeps } from "../../scripts/cli/context";
import type { Certificate } from "../../server/certificate/format";
import type { ErrorBody } from "../../server/api/errors";
import { hardhatStory } from "./helpers";

async function gatewayStory(confirmations = 0) {
  const story = await hardhatStory();
  const deployments: Deployments = {
    chainId: 31337,
    deploymentBlock: 0,
    deployedAt: "test",
    contracts: await contractAddresses(story.ledger),
  };
  const ctx = createContext(loadConfig({ CONFIRMATIONS: String(confirmations) }), {
    provider: ethers.provider,
    deployments,
    logger: createLogger("silent"),
  });
  const dir = mkdtempSync(path.join(tmpdir(), "tianfu-cert-"));
  const deploymentsFile = path.join(dir, "deployments.json");
  writeDeployments(deploymentsFile, deployments);
  return { story, app: createApp(ctx), dir, deploymentsFile, deployments };
}

async function gatewayStoryWithConfirmations() {
  return gatewayStory(5);
}

interface Run {
  code: number;
  out: string[];
  err: string[];
}

/** Runs the CLI in-process with no way to reach a node: verification must not need one. */
async function cli(...argv: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const deps: CliDeps = {
    out: (s) => out.push(s),
    err: (s) => err.push(s),
    env: {},
    connect: () => Promise.reject(new Error("verify-certificate must not connect to a node")),
  };
  const code = await runCli(argv, deps);
  return { code, out, err };
}

describe("certificate API and CLI", () => {
  describe("GET /v1/financing/patents/{number}/certificate", () => {
    it("answers the canonical certificate file at the node's head", async () => {
      const f = await loadFixture(gatewayStory);
      const head = await ethers.provider.getBlock("latest");
      const res = await request(f.app).get(`/v1/financing/patents/${f.story.pledged}/certificate`).expect(200).expect("content-type", /application\/json/);
      const cert = JSON.parse(res.text) as Certificate;
      expect(res.text).to.equal(`${JSON.stringify(cert, null, 2)}\n`);
      expect(cert.block).to.deep.include({ number: head!.number, hash: head!.hash });
      expect(cert.facts.patent.number).to.equal(f.story.pledged);
      expect(cert.facts.pledges?.latest?.status).to.equal("Registered");
    });

    it("is in /openapi.json with its parameters and error answers, and on the /docs page", async () => {
      const f = await loadFixture(gatewayStory);
      const doc = (await request(f.app).get("/openapi.json").expect(200)).body as {
        paths: Record<string, { get?: { operationId: string; parameters: { name: string }[]; responses: Record<string, unknown> } }>;
      };
      const op = doc.paths["/v1/financing/patents/{number}/certificate"]?.get;
      expect(op?.operationId).to.equal("getCertificate");
      expect(op?.parameters.map((p) => p.name)).to.deep.equal(["number", "block"]);
      expect(Object.keys(op?.responses ?? {})).to.include.members(["200", "400", "404", "503"]);
      expect((await request(f.app).get("/docs").expect(200)).text).to.contain("getCertificate");
    });

    it("answers at head less CONFIRMATIONS by default, and at ?block=N when asked", async () => {
      const f = await loadFixture(gatewayStoryWithConfirmations);
      const head = await ethers.provider.getBlockNumber();
      const res = await request(f.app).get(`/v1/financing/patents/${f.story.pledged}/certificate`).expect(200);
      expect((JSON.parse(res.text) as Certificate).block.number).to.equal(head - 5);
      const at = await request(f.app).get(`/v1/financing/patents/${f.story.pledged}/certificate?block=${head - 1}`).expect(200);
      expect((JSON.parse(at.text) as Certificate).block.number).to.equal(head - 1);
    });

    it("answers 400 BAD_REQUEST for a malformed number or query", async () => {
      const f = await loadFixture(gatewayStory);
      const bad = await request(f.app).get("/v1/financing/patents/ZL202110234567.4/certificate").expect(400);
      expect((bad.body as ErrorBody).error).to.deep.include({ code: "BAD_REQUEST", details: { number: "ZL202110234567.4" } });
      for (const query of ["block=abc", "block=1&block=2", "blk=1"]) {
        const res = await request(f.app).get(`/v1/financing/patents/${f.story.pledged}/certificate?${query}`).expect(400);
        expect((res.body as ErrorBody).error.code).to.equal("BAD_REQUEST");
      }
    });

    it("answers 404 NOT_FOUND for a patent that is not registered or a block beyond the head", async () => {
      const f = await loadFixture(gatewayStory);
      const none = await request(f.app).get("/v1/financing/patents/ZL202110234567.5/certificate").expect(404);
      expect((none.body as ErrorBody).error.code).to.equal("NOT_FOUND");
      const future = await request(f.app).get(`/v1/financing/patents/${f.story.pledged}/certificate?block=999999`).expect(404);
      expect((future.body as ErrorBody).error).to.deep.include({ code: "NOT_FOUND" });
    });

    it("answers 503 CHAIN_UNAVAILABLE when the node does not answer", async () => {
      const f = await loadFixture(gatewayStory);
      const down = {
        ...ethers.provider,
        send: () => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:8545")),
      } as unknown as typeof ethers.provider;
      const ctx = createContext(loadConfig({}), { provider: down, deployments: f.deployments, logger: createLogger("silent") });
      const res = await request(createApp(ctx)).get(`/v1/financing/patents/${f.story.pledged}/certificate`).expect(503);
      expect((res.body as ErrorBody).error).to.deep.include({ code: "CHAIN_UNAVAILABLE", message: "the chain node does not answer" });
    });
  });

  describe("certificate cache (per patent and block hash)", () => {
    it("builds a certificate once for concurrent and repeated requests, and again for a new block", async () => {
      const f = await loadFixture(gatewayStory);
      const calls: string[] = [];
      const counting = {
        ...ethers.provider,
        send: (method: string, params: unknown[]) => {
          calls.push(method);
          return ethers.provider.send(method, params);
        },
      } as unknown as typeof ethers.provider;
      const ctx = createContext(loadConfig({}), { provider: counting, deployments: f.deployments, logger: createLogger("silent") });
      const app = createApp(ctx);
      const url = `/v1/financing/patents/${f.story.pledged}/certificate`;
      const uncached = await request(f.app).get(url).expect(200);
      const [a, b] = await Promise.all([request(app).get(url).expect(200), request(app).get(url).expect(200)]);
      const proofs = () => calls.filter((m) => m === "eth_getProof").length;
      const built = proofs();
      expect(built).to.be.greaterThan(0);
      const c = await request(app).get(url).expect(200);
      expect(proofs()).to.equal(built);
      for (const res of [a, b, c]) {
        expect(res.text).to.equal(uncached.text);
        expect(res.headers.etag).to.equal(uncached.headers.etag);
      }
      await request(app).get(url).set("If-None-Match", uncached.headers.etag!).expect(304);
      await mine(1);
      const next = await request(app).get(url).expect(200);
      expect(proofs()).to.equal(built * 2);
      expect((JSON.parse(next.text) as Certificate).block.number).to.equal((JSON.parse(a.text) as Certificate).block.number + 1);
    });
  });

  describe("tianfu verify-certificate", () => {
    it("verifies the gateway's certificate offline against the block hash and the deployments file", async () => {
      const f = await loadFixture(gatewayStory);
      const res = await request(f.app).get(`/v1/financing/patents/${f.story.licensed}/certificate`).expect(200);
      const file = path.join(f.dir, "licensed.json");
      writeFileSync(file, res.text);
      const hash = (JSON.parse(res.text) as Certificate).block.hash;
      const run = await cli("verify-certificate", file, "--block-hash", hash, "--deployments", f.deploymentsFile, "--patent", f.story.licensed);
      expect(run.err).to.deep.equal([]);
      expect(run.code).to.equal(0);
      expect(run.out[0]).to.match(new RegExp(`^certificate verified at block \\d+ ${hash}`));
      expect(run.out.join("\n")).to.include("active licences: 2 (an exclusive or sole licence among them)");
    });

    it("rejects a tampered file, a wrong block hash and a registry it was not told to trust, with exit code 1", async () => {
      const f = await loadFixture(gatewayStory);
      const res = await request(f.app).get(`/v1/financing/patents/${f.story.pledged}/certificate`).expect(200);
      const file = path.join(f.dir, "pledged.json");
      const hash = (JSON.parse(res.text) as Certificate).block.hash;
      writeFileSync(file, res.text.replace('"securedAmount": "5000000"', '"securedAmount": "500000"'));
      const tampered = await cli("verify-certificate", file, "--block-hash", hash, "--deployments", f.deploymentsFile);
      expect(tampered.code).to.equal(1);
      expect(tampered.err[0]).to.match(/^certificate REJECTED \(FACTS_MISMATCH\): facts\.pledges\.latest\.securedAmount/);

      writeFileSync(file, res.text);
      await mine(1);
      const other = (await ethers.provider.getBlock("latest"))!.hash!;
      const wrongBlock = await cli("verify-certificate", file, "--block-hash", other, "--deployments", f.deploymentsFile);
      expect(wrongBlock.code).to.equal(1);
      expect(wrongBlock.err[0]).to.match(/^certificate REJECTED \(WRONG_BLOCK\)/);

      const wrongRegistry = await cli("verify-certificate", file, "--block-hash", hash, "--registry", f.story.contracts.valuations);
      expect(wrongRegistry.code).to.equal(1);
      expect(wrongRegistry.err[0]).to.match(/^certificate REJECTED \(WRONG_CONTRACT\)/);
      expect(readFileSync(file, "utf8")).to.equal(res.text);
    });

    it("refuses a malformed block hash as a usage error", async () => {
      const f = await loadFixture(gatewayStory);
      const run = await cli("verify-certificate", path.join(f.dir, "none.json"), "--block-hash", "0x1234", "--deployments", f.deploymentsFile);
      expect(run.code).to.equal(1);
      expect(run.err[0]).to.match(/--block-hash must be 0x followed by 64 hex digits/);
    });
  });
});
