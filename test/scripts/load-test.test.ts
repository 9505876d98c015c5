import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import { cpuSeconds, load, mib, peakRss, scrapeMemory, waitForIndexedGateway, type LoadResult } from "../../scripts/http-load";
import { loadPaths, problemsOf } from "../../scripts/load-test";

/** A loopback server answering with `answer(path)`; returns its URL. */
async function serve(answer: (path: string) => { status: number; body: string }): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const { status, body } = answer(req.url ?? "/");
    res.writeHead(status, { "content-type": "text/plain" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

function result(statuses: LoadResult["statuses"], extra: Partial<LoadResult> = {}): LoadResult {
  return {
    requests: 10,
    seconds: 1,
    requestsPerSecond: 10,
    latencyMs: { p50: 1, p90: 1, p99: 1, max: 1, mean: 1 },
    errors: 0,
    timeouts: 0,
    non2xx: 0,
    statuses,
    ...extra,
  };
}

describe("load test (scripts/load-test.ts, scripts/http-load.ts)", () => {
  describe("loadPaths", () => {
    it("covers the API paths of the CI mix, each once, with the two deliberate 4xx", () => {
      const mix = loadPaths();
      const paths = mix.map((m) => m.path);
      expect(new Set(paths).size).to.equal(paths.length);
      for (const p of ["/v1/health", "/v1/stats", "/openapi.json"]) expect(paths).to.include(p);
      for (const part of ["/v1/patents?", "/timeline", "/encumbrances", "/certificate", "/v1/match?"]) {
        expect(paths.some((p) => p.includes(part)), part).to.equal(true);
      }
      expect(mix.filter((m) => m.expect !== 200).map((m) => m.expect).sort()).to.deep.equal([400, 404]);
    });
  });

  describe("problemsOf", () => {
    const expected = new Map([
      ["/a", 200],
      ["/missing", 404],
    ]);

    it("passes a run with only the expected statuses", () => {
      expect(problemsOf(result({ "/a": { 200: 6 }, "/missing": { 404: 4 } }), expected)).to.deep.equal([]);
    });

    it("reports 5xx, unexpected statuses, errors, timeouts and paths never answered", () => {
      const problems = problemsOf(result({ "/a": { 200: 5, 429: 2, 503: 1 } }, { errors: 3, timeouts: 1 }), expected);
      expect(problems).to.deep.equal([
        "3 connection error(s) (timeouts included)",
        "1 timeout(s)",
        "2 x 429 on /a (expected 200)",
        "1 x 503 on /a",
        "no answer at all on /missing",
      ]);
    });

    it("fails a run that completed no request", () => {
      expect(problemsOf(result({}, { requests: 0 }), new Map())).to.deep.equal(["no request completed"]);
    });
  });

  describe("load", () => {
    it("counts the answers of each path by status over a short run", async () => {
      const { url, server } = await serve((p) => (p === "/ok" ? { status: 200, body: "ok" } : { status: 404, body: "no" }));
      try {
        const r = await load({ url, paths: ["/ok", "/nope"], connections: 2, duration: 1 });
        expect(r.requests).to.be.greaterThan(0);
        expect(r.errors).to.equal(0);
        expect(Object.keys(r.statuses).sort()).to.deep.equal(["/nope", "/ok"]);
        expect(Object.keys(r.statuses["/ok"]!)).to.deep.equal(["200"]);
        expect(Object.keys(r.statuses["/nope"]!)).to.deep.equal(["404"]);
        expect(r.non2xx).to.equal(r.statuses["/nope"]!["404"]);
        expect(r.requestsPerSecond).to.be.closeTo(r.requests / r.seconds, 1e-9);
      } finally {
        await close(server);
      }
    });
  });

  describe("waitForIndexedGateway", () => {
    it("waits until /v1/health reports the index at the head", async () => {
      let calls = 0;
      const { url, server } = await serve(() => {
        calls++;
        if (calls === 1) return { status: 503, body: "starting" };
        const body = calls < 3 ? { indexed: { number: 3 }, head: { number: 5 }, lag: 2 } : { indexed: { number: 5 }, head: { number: 5 }, lag: 0 };
        return { status: 200, body: JSON.stringify(body) };
      });
      try {
        const health = await waitForIndexedGateway(url, 10_000);
        expect(health.lag).to.equal(0);
        expect(calls).to.equal(3);
      } finally {
        await close(server);
      }
    });

    it("rejects when the gateway exits first, and after the timeout", async () => {
      const exited = Promise.resolve();
      await waitForIndexedGateway("http://127.0.0.1:9", 10_000, exited).then(
        () => expect.fail("expected a rejection"),
        (err: Error) => expect(err.message).to.match(/exited before its index reached the head/),
      );
      await waitForIndexedGateway("http://127.0.0.1:9", 150).then(
        () => expect.fail("expected a rejection"),
        (err: Error) => expect(err.message).to.match(/did not reach the head within 0.15 s/),
      );
    });
  });

  describe("scrapeMemory", () => {
    it("reads the gateway's memory gauges from /metrics, and names a missing one", async () => {
      let text = "# HELP x\nprocess_resident_memory_bytes 300\nnodejs_heap_size_used_bytes 100\nnodejs_heap_size_total_bytes 200\n";
      const { url, server } = await serve(() => ({ status: 200, body: text }));
      try {
        expect(await scrapeMemory(url)).to.deep.equal({ rss: 300, heapUsed: 100, heapTotal: 200 });
        text = "process_resident_memory_bytes 300\n";
        await scrapeMemory(url).then(
          () => expect.fail("expected a rejection"),
          (err: Error) => expect(err.message).to.equal("/metrics has no nodejs_heap_size_used_bytes"),
        );
      } finally {
        await close(server);
      }
    });
  });

  describe("peakRss and cpuSeconds", () => {
    it("read this process from /proc, and nothing for a process that does not exist", function () {
      if (process.platform !== "linux") this.skip();
      expect(peakRss(process.pid)).to.be.greaterThan(1024 * 1024);
      expect(cpuSeconds(process.pid)).to.be.greaterThan(0);
      expect(peakRss(2 ** 30)).to.equal(undefined);
      expect(cpuSeconds(2 ** 30)).to.equal(undefined);
      expect(mib(3 * 1024 * 1024)).to.equal("3 MiB");
    });
  });
});
