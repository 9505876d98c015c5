import { expect } from "chai";
import { JsonRpcProvider, Network } from "ethers";
import request from "supertest";
import { createApp } from "../../server/api/app";
import { loadConfig } from "../../server/config";
import { createContext } from "../../server/context";
import { createLogger } from "../../server/logger";

/**
 * Finding (API fuzz, seed 20261127): a path parameter with a broken percent-escape, such as
 * GET /v1/patents/%FF%FE, made express's router fail to decode it; the error carries status 400 but no
 * body-parser `type`, so the error middleware answered 500 INTERNAL. It must be a 400.
 */
describe("finding: a path parameter with a broken percent-escape", () => {
  it("answers 400 BAD_REQUEST, not 500", async () => {
    const provider = new JsonRpcProvider("http://127.0.0.1:9", undefined, { staticNetwork: Network.from(31337) });
    const ctx = createContext(loadConfig({ RATE_LIMIT_PER_MINUTE: "0" }), {
      logger: createLogger("silent"),
      provider,
      deployments: { chainId: 31337, deploymentBlock: 1, deployedAt: "test", contracts: {} },
    });
    try {
      for (const path of ["/v1/patents/%FF%FE", "/v1/patents/%E0%A4%A/timeline", "/v1/audit/patents/%/transfers"]) {
        const res = await request(createApp(ctx)).get(path).expect(400);
        expect(res.body.error.code).to.equal("BAD_REQUEST");
      }
    } finally {
      provider.destroy();
    }
  });
});
