import { expect } from "chai";
import fc from "fast-check";
import request from "supertest";
import { indexedGateway, type IndexedGateway } from "./helpers";
import { financeStory, FIN_NUMBERS, NUMBERS } from "./story";

/**
 * API fuzz: at least 1,000 malformed requests (fixed seed) across every endpoint: odd path segments,
 * broken percent-encoding, repeated, unknown and garbage query parameters, wrong methods and bodies.
 * Not one may answer 5xx, every 4xx answers the error shape, and the gateway still answers afterwards.
 */

const RUNS = 1500;
const SEED = 20261127;

const PATHS = [
  "/v1/health",
  "/v1/digest",
  "/v1/patents",
  "/v1/patents/{n}",
  "/v1/patents/{n}/timeline",
  "/v1/audit/patents/{n}/transfers",
  "/v1/financing/patents/{n}/encumbrances",
  "/v1/financing/pledges",
  "/v1/financing/pledges/{x}",
  "/v1/financing/exposure",
  "/v1/audit/patents/{n}/licences",
  "/v1/audit/licences",
  "/v1/audit/equity",
  "/v1/match",
  "/v1/webhooks",
  "/v1/webhooks/{x}",
  "/v1/stats",
  "/openapi.json",
  "/v1/{x}",
] as const;

const KEYS = ["block", "minBlock", "cursor", "limit", "ipc", "q", "owner", "status", "kind", "readiness", "willing", "mode", "listed", "dormant", "order", "format", "industry", "top", "pledgee", "pledgor", "patent", "licensee", "company", "contributor", "__proto__", "constructor", "a[b]", "x"];

const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.constantFrom("", "%", "%E0%A4%A", "%00", "%2F..%2F", "..", "null", "-1", "1e309", "0x", "9".repeat(40), "ZL202110234567.X", "true", "[]", "{}", "%FF%FE", "X".repeat(3000)),
  fc.integer().map(String),
  fc.constantFrom(NUMBERS.moved, NUMBERS.refused.toLowerCase(), NUMBERS.design.replace(".", ""), FIN_NUMBERS.licensed, FIN_NUMBERS.exclusive, "1", "2", "0x" + "ab".repeat(20)),
);

/** Encodes a value for a URL, sometimes leaving percent signs raw (broken escapes on purpose). */
const urlPart = (raw: boolean, s: string) => (raw ? s.replace(/[^A-Za-z0-9%._~-]/gu, (c) => encodeURIComponent(c)) : encodeURIComponent(s));

const requestArb = fc.record({
  path: fc.constantFrom(...PATHS),
  segment: nasty,
  raw: fc.boolean(),
  query: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 10 })), nasty, fc.boolean()), { maxLength: 5 }),
  method: fc.constantFrom("get", "get", "get", "post", "put", "delete", "head", "options", "patch"),
  body: fc.option(fc.oneof(fc.json(), fc.string({ maxLength: 200 })), { nil: undefined }),
  contentType: fc.constantFrom("application/json", "text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin1"),
});

describe("API fuzz", () => {
  let g: IndexedGateway;

  before(async () => {
    g = await indexedGateway(financeStory);
  });

  after(async () => {
    await g?.close();
  });

  it(`answers ${RUNS} malformed requests without a 5xx and keeps serving`, async function () {
    this.timeout(300_000);
    // No minBlock wait: a fuzzed minBlock beyond the index answers 409 at once.
    const app = g.appWith({ MIN_BLOCK_WAIT_MS: "0" });
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(requestArb, async (r) => {
        const segment = urlPart(r.raw, r.segment) || "_";
        const path = r.path.replace("{n}", segment).replace("{x}", segment);
        const query = r.query.map(([k, v, raw]) => `${urlPart(raw, k)}=${urlPart(raw, v)}`).join("&");
        const url = query ? `${path}?${query}` : path;
        let req = request(app)[r.method as "get"](url);
        if (r.body !== undefined && r.method !== "get" && r.method !== "head") req = req.set("content-type", r.contentType).send(r.body);
        const res = await req;
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500) throw new Error(`${r.method.toUpperCase()} ${url} answered ${res.status}: ${res.text.slice(0, 300)}`);
        if (res.status >= 400 && r.method !== "head") {
          expect(res.body.error, `${r.method} ${url}`).to.have.keys("code", "message", "details");
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).to.equal(RUNS);
    expect([...statuses.keys()].every((s) => s < 500)).to.equal(true);
    await request(app).get("/v1/health").expect(200);
    await request(app).get(`/v1/patents/${NUMBERS.moved}`).expect(200);
    await request(app).get(`/v1/audit/patents/${FIN_NUMBERS.licensed}/licences`).expect(200);
  });
});
