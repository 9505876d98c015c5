import path from "node:path";
import { expect } from "chai";
import { ConfigError, dataPaths, loadConfig } from "../../server/config";

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError);
    return (err as ConfigError).problems.map((p) => p.variable);
  }
  throw new Error("loadConfig accepted the environment");
}

describe("config", () => {
  describe("loadConfig", () => {
    it("defaults to the local system: 127.0.0.1:8080, chain on 8545, data/ and its deployments file", () => {
      const config = loadConfig({});
      expect(config).to.deep.equal({
        host: "127.0.0.1",
        port: 8080,
        chainPort: 8545,
        chainRpcUrl: "http://127.0.0.1:8545",
        externalChain: false,
        dataDir: path.resolve("data"),
        deploymentsFile: path.resolve("data/deployments/local.json"),
        logLevel: "info",
        confirmations: 0,
        reorgWindow: 64,
        rateLimitPerMinute: 1200,
        minBlockWaitMs: 2000,
        searchScanLimit: 20_000,
        webhooks: { allowPrivate: false, timeoutMs: 5000, maxAttempts: 8, retryBaseMs: 2000 },
      });
    });

    it("reads every variable", () => {
      const config = loadConfig({
        HOST: "0.0.0.0",
        PORT: "9090",
        CHAIN_PORT: "9545",
        CHAIN_RPC_URL: "https://besu.example.org:8545",
        DATA_DIR: "/var/lib/tianfu",
        DEPLOYMENTS_FILE: "/etc/tianfu/besu.json",
        LOG_LEVEL: "debug",
        CONFIRMATIONS: "6",
        REORG_WINDOW: "128",
        RATE_LIMIT_PER_MINUTE: "0",
        MIN_BLOCK_WAIT_MS: "500",
        SEARCH_SCAN_LIMIT: "5000",
      });
      expect(config).to.deep.equal({
        host: "0.0.0.0",
        port: 9090,
        chainPort: 9545,
        chainRpcUrl: "https://besu.example.org:8545",
        externalChain: true,
        dataDir: "/var/lib/tianfu",
        deploymentsFile: "/etc/tianfu/besu.json",
        logLevel: "debug",
        confirmations: 6,
        reorgWindow: 128,
        rateLimitPerMinute: 0,
        minBlockWaitMs: 500,
        searchScanLimit: 5000,
        webhooks: { allowPrivate: false, timeoutMs: 5000, maxAttempts: 8, retryBaseMs: 2000 },
      });
    });

    it("puts the deployments file and the chain state under DATA_DIR", () => {
      const config = loadConfig({ DATA_DIR: "/tmp/tianfu-x", CHAIN_PORT: "18545" });
      expect(config.deploymentsFile).to.equal("/tmp/tianfu-x/deployments/local.json");
      expect(config.chainRpcUrl).to.equal("http://127.0.0.1:18545");
      expect(dataPaths(config)).to.deep.equal({
        chainDir: "/tmp/tianfu-x/chain",
        chainState: "/tmp/tianfu-x/chain/anvil-state.json",
        chainLog: "/tmp/tianfu-x/chain/anvil.log",
        gatewayDb: "/tmp/tianfu-x/gateway",
        pidFile: "/tmp/tianfu-x/start.pids.json",
      });
    });

    it("treats empty variables as unset", () => {
      expect(loadConfig({ PORT: "", CHAIN_RPC_URL: "" }).port).to.equal(8080);
      expect(loadConfig({ CHAIN_RPC_URL: "" }).externalChain).to.equal(false);
    });

    it("rejects a port that is not a number, naming PORT", () => {
      expect(problemsOf({ PORT: "eighty" })).to.deep.equal(["PORT"]);
      expect(problemsOf({ PORT: "70000" })).to.deep.equal(["PORT"]);
      expect(problemsOf({ CHAIN_PORT: "1.5" })).to.deep.equal(["CHAIN_PORT"]);
    });

    it("rejects an RPC URL that is not http(s) or ws(s), naming CHAIN_RPC_URL", () => {
      expect(problemsOf({ CHAIN_RPC_URL: "localhost:8545" })).to.deep.equal(["CHAIN_RPC_URL"]);
      expect(problemsOf({ CHAIN_RPC_URL: "ftp://example.org" })).to.deep.equal(["CHAIN_RPC_URL"]);
    });

    it("rejects an unknown log level and a negative confirmation depth", () => {
      expect(problemsOf({ LOG_LEVEL: "verbose" })).to.deep.equal(["LOG_LEVEL"]);
      expect(problemsOf({ CONFIRMATIONS: "-1" })).to.deep.equal(["CONFIRMATIONS"]);
    });

    it("reports every bad variable at once in its message", () => {
      try {
        loadConfig({ PORT: "x", LOG_LEVEL: "loud" });
        expect.fail("loadConfig accepted the environment");
      } catch (err) {
        expect(err).to.be.instanceOf(ConfigError);
        expect((err as Error).message).to.match(/^invalid configuration: PORT: .+; LOG_LEVEL: expected one of fatal, /);
      }
    });
  });
});
