import { createServer } from "node:net";
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { JsonRpcProvider, Network } from "ethers";
import request from "supertest";
import { deployFixture } from "../helpers/fixtures";
import { createApp } from "../../server/api/app";
import { createContext, type AppContext } from "../../server/context";
import { loadConfig } from "../../server/config";
import { createLogger } from "../../server/logger";
import type { Deployments } from "../../server/chain/deployments";
import type { HealthResponse } from "../../server/api/routes/health";

async function healthFixture() {
  const f = await deployFixture();
  const receipt = await f.accessManager.deploymentTransaction()?.wait();
  const deployments: Deployments = {
    chainId: Number((await ethers.provider.getNetwork()).chainId),
    deploymentBlock: receipt?.blockNumber ?? 0,
    deployedAt: new Date().toISOString(),
    contracts: {
      LedgerAccessManager: await f.accessManager.getAddress(),
      PatentRegistry: await f.registry.getAddress(),
      DemoSettlementToken: await f.token.getAddress(),
    },
  };
  const ctx: AppContext = createContext(loadConfig({}), {
    provider: ethers.provider,
    deployments,
    logger: createLogger("silent"),
  });
  return { ...f, ctx, deployments, app: createApp(ctx) };
}

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

describe("gateway app", () => {
  describe("GET /v1/health", () => {
    it("answers the chain id, the head block, the deployment block and the contract addresses", async () => {
      const f = await loadFixture(healthFixture);
      const head = await ethers.provider.getBlock("latest");
      const res = await request(f.app).get("/v1/health").expect(200).expect("content-type", /application\/json/);
      const body = res.body as HealthResponse;
      expect(body).to.deep.equal({
        chainId: 31337,
        head: { number: head?.number, hash: head?.hash },
        indexed: null,
        lag: null,
        deploymentBlock: f.deployments.deploymentBlock,
        contracts: f.deployments.contracts,
      });
    });

    it("follows the head as blocks are mined", async () => {
      const f = await loadFixture(healthFixture);
      const before = (await request(f.app).get("/v1/health").expect(200)).body as HealthResponse;
      await ethers.provider.send("evm_mine", []);
      const after = (await request(f.app).get("/v1/health").expect(200)).body as HealthResponse;
      expect(after.head.number).to.equal(before.head.number + 1);
      expect(after.head.hash).to.not.equal(before.head.hash);
    });

    it("answers 503 CHAIN_UNAVAILABLE when the node is down", async () => {
      const f = await loadFixture(healthFixture);
      const provider = new JsonRpcProvider(`http://127.0.0.1:${await closedPort()}`, undefined, {
        staticNetwork: Network.from(31337),
      });
      const app = createApp({ ...f.ctx, provider });
      try {
        const res = await request(app).get("/v1/health").expect(503);
        expect(res.body.error.code).to.equal("CHAIN_UNAVAILABLE");
        expect(res.body.error.message).to.be.a("string");
        expect(res.body.error.details.reason).to.be.a("string");
      } finally {
        provider.destroy();
      }
    });
  });

  describe("errors", () => {
    it("answers unknown paths with a JSON 404", async () => {
      const f = await loadFixture(healthFixture);
      const res = await request(f.app).get("/v1/nothing-here").expect(404).expect("content-type", /application\/json/);
      expect(res.body).to.deep.equal({
        error: {
          code: "NOT_FOUND",
          message: "no route for GET /v1/nothing-here",
          details: { method: "GET", path: "/v1/nothing-here" },
        },
      });
    });

    it("answers a wrong method on a known path with a JSON 404", async () => {
      const f = await loadFixture(healthFixture);
      const res = await request(f.app).delete("/v1/health").expect(404);
      expect(res.body.error.code).to.equal("NOT_FOUND");
    });

    it("answers malformed JSON with 400 MALFORMED_JSON", async () => {
      const f = await loadFixture(healthFixture);
      const res = await request(f.app)
        .post("/v1/health")
        .set("content-type", "application/json")
        .send('{"number": "ZL2021')
        .expect(400)
        .expect("content-type", /application\/json/);
      expect(res.body.error.code).to.equal("MALFORMED_JSON");
      expect(res.body.error.message).to.equal("the request body is not valid JSON");
      expect(res.body.error.details.reason).to.be.a("string");
    });

    it("answers a body over the limit with 413 PAYLOAD_TOO_LARGE", async () => {
      const f = await loadFixture(healthFixture);
      const res = await request(f.app)
        .post("/v1/health")
        .set("content-type", "application/json")
        .send(JSON.stringify({ blob: "x".repeat(200_000) }))
        .expect(413);
      expect(res.body.error.code).to.equal("PAYLOAD_TOO_LARGE");
      expect(res.body.error.details.limit).to.equal(100 * 1024);
    });
  });
});
