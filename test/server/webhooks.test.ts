import { rmSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import { ethers, type Signer } from "ethers";
import type { Express } from "express";
import request from "supertest";
import { createApp } from "../../server/api/app";
import { dayOf, formatCnipaNumber } from "../../server/chain/cnipa";
import { ListingKind } from "../../server/chain/exchange";
import { Roles } from "../../server/chain/roles";
import { loadConfig } from "../../server/config";
import type { AppContext } from "../../server/context";
import { keys } from "../../server/store/keys";
import { openStore } from "../../server/store/db";
import { createQueries } from "../../server/indexer";
import {
  createWebhookDispatcher,
  DELIVERY_HEADER,
  EVENT_HEADER,
  SIGNATURE_HEADER,
  verifySignature,
  checkWebhookUrl,
  isPrivateAddress,
  WebhookUrlError,
  type DeliveryBody,
  type WebhookDispatcher,
} from "../../server/webhooks";
import { guardedLookup } from "../../server/webhooks/url";
import { indexerFor, record, runScenario, SCENARIO, tempStore, today } from "../indexer/helpers/ledger";
import { errorOf, indexedGateway, TEST_ENV, type IndexedGateway } from "./helpers";

/** What a test receiver got: each request's headers and raw body, and how many to answer 500 to first. */
interface Receiver {
  url: string;
  got: { headers: IncomingHttpHeaders; body: string }[];
  failNext: number;
  close(): Promise<void>;
}

async function receiver(): Promise<Receiver> {
  const r = { got: [] as Receiver["got"], failNext: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      r.got.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      if (r.failNext > 0) {
        r.failNext -= 1;
        res.writeHead(500).end("not now");
      } else res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return Object.assign(r, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The gateway settings of these tests: private receivers allowed, quick retries. */
const HOOK_ENV = { WEBHOOK_ALLOW_PRIVATE: "true", WEBHOOK_RETRY_BASE_MS: "40", WEBHOOK_MAX_ATTEMPTS: "3", WEBHOOK_TIMEOUT_MS: "1000" };

describe("Webhooks", () => {
  let g: IndexedGateway;
  let ctx: AppContext;
  let app: Express;
  let dispatcher: WebhookDispatcher;
  let rx: Receiver;
  let venue: Signer;
  let serial = 700;

  /** Ticks the dispatcher until `done` holds (a few seconds at most). */
  async function until(done: () => boolean, ms = 5000): Promise<void> {
    const deadline = Date.now() + ms;
    for (;;) {
      await dispatcher.tick();
      if (done()) return;
      if (Date.now() > deadline) throw new Error(`timed out; received ${rx.got.length}`);
      await sleep(20);
    }
  }

  /** Registers a new patent of scu (IPC as given) and lists it for sale through the venue. */
  async function listNew(ipc: string): Promise<bigint> {
    const { registry, exchange, token, parties } = g.ledger;
    const scu = await parties.scu.getAddress();
    const patent = record(scu, serial++, { year: 2024, ipc: [ipc] }); // granted 2026: not dormant
    await (await registry.connect(parties.registrar).register(patent)).wait();
    const latest = await g.ledger.provider.getBlock("latest");
    await (
      await exchange.connect(parties.scu).list({
        patentId: patent.number as bigint,
        kind: ListingKind.Sale,
        venue: await venue.getAddress(),
        broker: ethers.ZeroAddress,
        token: await token.getAddress(),
        price: 100_000n,
        expiry: BigInt(latest!.timestamp + 86_400 * 30),
        licenceKind: 0,
        sublicensable: false,
        scope: { fields: 0n, territories: 0n, startDay: 0, endDay: 0 },
        contractHash: ethers.id(`contract-${serial}`),
      })
    ).wait();
    await g.sync();
    return patent.number as bigint;
  }

  async function register(body: object): Promise<{ id: string; secret: string }> {
    const res = await request(app).post("/v1/webhooks").send(body).expect(201);
    return { id: res.body.webhook.id as string, secret: res.body.secret as string };
  }

  before(async () => {
    g = await indexedGateway(runScenario);
    ctx = { ...g.ctx, config: loadConfig({ CHAIN_RPC_URL: g.node.url, ...TEST_ENV, ...HOOK_ENV }) };
    app = createApp(ctx);
    venue = g.ledger.parties.yuzhi;
    const { accessManager, venues, parties } = g.ledger;
    await (await accessManager.connect(parties.admin).grantRole(Roles.VENUE, await venue.getAddress(), 0)).wait();
    await (await venues.connect(venue).openVenue("成都知识产权交易中心", 200)).wait();
    await g.sync();
    dispatcher = createWebhookDispatcher(ctx, { pollMs: 20 });
    await dispatcher.tick(); // the first round sets the dispatcher's cursor
    rx = await receiver();
  });

  after(async () => {
    await dispatcher?.stop();
    await rx?.close();
    await g?.close();
  });

  beforeEach(() => {
    rx.got.length = 0;
    rx.failNext = 0;
  });

  describe("POST /v1/webhooks", () => {
    it("registers a webhook, answers its secret once and GET shows it without the secret", async () => {
      const res = await request(app)
        .post("/v1/webhooks")
        .send({ url: rx.url, filter: { ipc: ["h01m"], industries: ["C39"] }, events: ["patent.listed"] })
        .expect(201);
      expect(res.body.secret).to.match(/^whsec_[0-9a-f]{64}$/);
      expect(res.body.webhook).to.deep.include({
        url: rx.url,
        events: ["patent.listed"],
        filter: { industries: ["C39"], ipc: ["H01M"] },
        status: "active",
        delivered: 0,
        failed: 0,
        lastAttempt: null,
      });
      const got = await request(app).get(`/v1/webhooks/${res.body.webhook.id}`).expect(200);
      expect(got.body).to.deep.equal(res.body.webhook);
      expect(JSON.stringify(got.body)).not.to.include(res.body.secret);
      await request(app).delete(`/v1/webhooks/${res.body.webhook.id}`).expect(200);
    });

    it("answers 400 INVALID_WEBHOOK_URL for a URL that is not http(s), relative, too long or carries credentials", async () => {
      for (const url of ["ftp://example.com/x", "javascript:alert(1)", "/relative", `https://example.com/${"a".repeat(2100)}`, "https://u:p@example.com/"]) {
        const res = await request(app).post("/v1/webhooks").send({ url }).expect(400);
        expect(errorOf(res).code, url.slice(0, 40)).to.equal("INVALID_WEBHOOK_URL");
        expect(errorOf(res).details).to.deep.equal([{ path: "url", message: errorOf(res).message }]);
      }
    });

    it("answers 400 WEBHOOK_URL_NOT_ALLOWED for loopback, private and link-local receivers unless WEBHOOK_ALLOW_PRIVATE", async () => {
      const strict = g.appWith({});
      for (const url of ["http://127.0.0.1:9/x", "http://localhost/x", "http://10.1.2.3/", "http://169.254.169.254/latest/meta-data", "http://[::1]/", "http://[::ffff:192.168.0.1]/"]) {
        expect(errorOf(await request(strict).post("/v1/webhooks").send({ url }).expect(400)).code, url).to.equal("WEBHOOK_URL_NOT_ALLOWED");
      }
      const ok = await request(strict).post("/v1/webhooks").send({ url: "https://receiver.example.com/hook" }).expect(201);
      await request(strict).delete(`/v1/webhooks/${ok.body.webhook.id}`).expect(200);
    });

    it("answers 400 for a missing url, unknown fields, events or industries, a bad IPC prefix and malformed JSON", async () => {
      const cases: [unknown, string][] = [
        [{}, "url"],
        [{ url: rx.url, extra: 1 }, ""],
        [{ url: rx.url, events: ["patent.sold"] }, "events.0"],
        [{ url: rx.url, events: [] }, "events"],
        [{ url: rx.url, filter: { ipc: ["Q1"] } }, "filter.ipc.0"],
        [{ url: rx.url, filter: { industries: ["nowhere"] } }, "filter.industries.0"],
      ];
      for (const [body, path] of cases) {
        const res = await request(app).post("/v1/webhooks").send(body as object).expect(400);
        expect(errorOf(res).code, JSON.stringify(body)).to.equal("BAD_REQUEST");
        if (path) expect((errorOf(res).details as { path: string }[]).map((d) => d.path)).to.include(path);
      }
      const broken = await request(app).post("/v1/webhooks").set("content-type", "application/json").send("{ not json").expect(400);
      expect(errorOf(broken).code).to.equal("MALFORMED_JSON");
    });
  });

  describe("GET and DELETE /v1/webhooks/{id}", () => {
    it("answer 404 WEBHOOK_NOT_FOUND for an unknown id and 400 for a malformed one", async () => {
      const unknown = `wh_${"0".repeat(24)}`;
      expect(errorOf(await request(app).get(`/v1/webhooks/${unknown}`).expect(404)).code).to.equal("WEBHOOK_NOT_FOUND");
      expect(errorOf(await request(app).delete(`/v1/webhooks/${unknown}`).expect(404)).code).to.equal("WEBHOOK_NOT_FOUND");
      expect(errorOf(await request(app).get("/v1/webhooks/nope").expect(400)).code).to.equal("BAD_REQUEST");
    });

    it("are in /openapi.json with the request body and the 201 answer", async () => {
      const doc = (await request(app).get("/openapi.json").expect(200)).body as {
        paths: Record<string, Record<string, { operationId: string; requestBody?: unknown; responses: Record<string, unknown> }>>;
        components: { schemas: Record<string, unknown> };
      };
      const post = doc.paths["/v1/webhooks"]!.post!;
      expect(post.operationId).to.equal("createWebhook");
      expect(post.requestBody).to.have.nested.property("content.application/json.schema.properties.url");
      expect(post.responses).to.have.keys("201", "400", "409", "429", "503");
      expect(doc.paths["/v1/webhooks/{id}"]).to.have.keys("get", "delete");
      expect(doc.components.schemas).to.include.keys("Webhook", "CreatedWebhook");
    });
  });

  describe("deliveries", () => {
    it("POSTs a signed patent.listed delivery for a matching new listing, and none for one outside the filter", async () => {
      const hook = await register({ url: rx.url, filter: { ipc: ["H01M"] } });
      try {
        const other = await listNew("G06F 16/27");
        const battery = await listNew("H01M 10/0525");
        await until(() => rx.got.length >= 1);
        await sleep(100);
        await dispatcher.tick();
        expect(rx.got).to.have.length(1);
        const { headers, body } = rx.got[0]!;
        expect(verifySignature(hook.secret, body, headers[SIGNATURE_HEADER] as string)).to.equal(true);
        expect(verifySignature(hook.secret, body.replace("H01M", "H01N"), headers[SIGNATURE_HEADER] as string)).to.equal(false);
        expect(verifySignature("whsec_other", body, headers[SIGNATURE_HEADER] as string)).to.equal(false);
        const delivery = JSON.parse(body) as DeliveryBody;
        expect(headers[DELIVERY_HEADER]).to.equal(delivery.id).and.match(/^dl_[0-9a-f]{32}$/);
        expect(headers[EVENT_HEADER]).to.equal("patent.listed");
        expect(headers["content-type"]).to.equal("application/json");
        expect(delivery).to.deep.include({ type: "patent.listed", webhook: hook.id, dormantSince: null });
        expect(delivery.patent.number).to.equal(formatCnipaNumber(battery));
        expect(delivery.patent.number).not.to.equal(formatCnipaNumber(other));
        const state = (await request(app).get(`/v1/webhooks/${hook.id}`).expect(200)).body;
        expect(state).to.deep.include({ status: "active", delivered: 1, failed: 0 });
        expect(state.lastAttempt).to.deep.include({ delivery: delivery.id, ok: true, status: 204, error: null });
      } finally {
        await request(app).delete(`/v1/webhooks/${hook.id}`).expect(200);
      }
    });

    it("retries with the same delivery id after the receiver fails twice, then succeeds", async () => {
      const hook = await register({ url: rx.url, events: ["patent.listed"] });
      try {
        rx.failNext = 2;
        await listNew("H01M 4/13");
        await until(() => rx.got.length >= 3);
        const ids = rx.got.map((r) => r.headers[DELIVERY_HEADER]);
        expect(new Set(ids).size).to.equal(1);
        expect(rx.got.map((r) => r.headers["x-tianfu-attempt"])).to.deep.equal(["1", "2", "3"]);
        expect(rx.got.map((r) => r.body)).to.deep.equal([rx.got[0]!.body, rx.got[0]!.body, rx.got[0]!.body]);
        const state = (await request(app).get(`/v1/webhooks/${hook.id}`).expect(200)).body;
        expect(state).to.deep.include({ status: "active", delivered: 1, failed: 0 });
      } finally {
        await request(app).delete(`/v1/webhooks/${hook.id}`).expect(200);
      }
    });

    it("marks the webhook failing after the last attempt, and active again after a success", async () => {
      const hook = await register({ url: rx.url, events: ["patent.listed"] });
      try {
        rx.failNext = 3;
        await listNew("H01M 4/14");
        await until(() => rx.got.length >= 3);
        await sleep(200);
        await dispatcher.tick();
        expect(rx.got).to.have.length(3);
        const failing = (await request(app).get(`/v1/webhooks/${hook.id}`).expect(200)).body;
        expect(failing).to.deep.include({ status: "failing", delivered: 0, failed: 1 });
        expect(failing.lastAttempt).to.deep.include({ ok: false, status: 500, error: "answered 500" });
        await listNew("H01M 4/15");
        await until(() => rx.got.length >= 4);
        expect((await request(app).get(`/v1/webhooks/${hook.id}`).expect(200)).body).to.deep.include({ status: "active", delivered: 1, failed: 1 });
      } finally {
        await request(app).delete(`/v1/webhooks/${hook.id}`).expect(200);
      }
    });

    it("records a refused connection as a failed attempt and schedules a retry", async () => {
      const dead = await receiver();
      await dead.close();
      const hook = await register({ url: dead.url, events: ["patent.listed"] });
      try {
        await listNew("H01M 4/16");
        let state: { lastAttempt: { ok: boolean; status: number | null; error: string } | null } = { lastAttempt: null };
        for (let i = 0; i < 100 && state.lastAttempt === null; i++) {
          await dispatcher.tick();
          state = (await request(app).get(`/v1/webhooks/${hook.id}`).expect(200)).body;
        }
        expect(state.lastAttempt).to.deep.include({ ok: false, status: null });
        expect(state.lastAttempt!.error).to.match(/ECONNREFUSED/);
      } finally {
        await request(app).delete(`/v1/webhooks/${hook.id}`).expect(200);
      }
    });

    it("gives up on a receiver that does not answer within WEBHOOK_TIMEOUT_MS and retries later", async () => {
      const silent = createServer(() => undefined); // accepts, never answers
      await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
      const hook = await register({ url: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`, events: ["patent.listed"] });
      try {
        await listNew("H01M 4/19");
        const started = Date.now();
        let state: { lastAttempt: { ok: boolean; error: string } | null } = { lastAttempt: null };
        for (let i = 0; i < 100 && state.lastAttempt === null; i++) {
          await dispatcher.tick();
          state = (await request(app).get(`/v1/webhooks/${hook.id}`).expect(200)).body;
        }
        expect(state.lastAttempt).to.deep.include({ ok: false, error: "no answer within 1000 ms" });
        expect(Date.now() - started).to.be.lessThan(5000);
        const queue = await g.store.store.keysWithPrefix(keys.webhookQueuePrefix());
        expect(queue).to.have.length(1); // the retry
      } finally {
        await request(app).delete(`/v1/webhooks/${hook.id}`).expect(200);
        silent.closeAllConnections();
        await new Promise((resolve) => silent.close(resolve));
      }
    });

    it("stops delivering once the webhook is deleted, pending retries included", async () => {
      const hook = await register({ url: rx.url, events: ["patent.listed"] });
      rx.failNext = 1;
      await listNew("H01M 4/17");
      await until(() => rx.got.length >= 1);
      await request(app).delete(`/v1/webhooks/${hook.id}`).expect(200);
      await listNew("H01M 4/18");
      for (let i = 0; i < 10; i++) {
        await dispatcher.tick();
        await sleep(30);
      }
      expect(rx.got).to.have.length(1);
      const queue = await g.store.store.keysWithPrefix(keys.webhookQueuePrefix());
      expect(queue).to.deep.equal([]);
    });

    it("delivers patent.dormant for a patent registered already five years past its grant with no record", async () => {
      const hook = await register({ url: rx.url, events: ["patent.dormant"] });
      try {
        const { registry, parties } = g.ledger;
        const old = record(await parties.uestc.getAddress(), serial++, { year: 2015, ipc: ["A61K 36/00"] });
        await (await registry.connect(parties.registrar).register(old)).wait();
        await g.sync();
        await until(() => rx.got.length >= 1);
        const delivery = JSON.parse(rx.got[0]!.body) as DeliveryBody;
        expect(delivery).to.deep.include({ type: "patent.dormant", webhook: hook.id });
        expect(delivery.patent.number).to.equal(formatCnipaNumber(old.number as bigint));
        expect(delivery.dormantSince).to.be.a("number").and.lessThan(await today(g.ledger.provider));
      } finally {
        await request(app).delete(`/v1/webhooks/${hook.id}`).expect(200);
      }
    });

    it("sweeps once a day for patents that turned dormant since the last sweep", async () => {
      const hook = await register({ url: rx.url, events: ["patent.dormant"], filter: { ipc: ["H01M"] } });
      try {
        // The scenario's patents were granted on 2021-06-30: dormant from 2026-06-30 without a record.
        const at = (iso: string) => () => Date.parse(iso);
        await g.store.store.batch([{ key: keys.webhookDormantDay(), value: null }]);
        await createWebhookDispatcher(ctx, { now: at("2026-06-29T12:00:00+08:00") }).tick();
        expect(rx.got).to.have.length(0);
        const later = createWebhookDispatcher(ctx, { now: at("2026-07-01T12:00:00+08:00") });
        for (let i = 0; i < 50 && rx.got.length === 0; i++) await later.tick();
        await later.tick();
        const bodies = rx.got.map((r) => JSON.parse(r.body) as DeliveryBody);
        // SCENARIO.cancelled (H01M, never transferred) only: SCENARIO.moved was transferred, SCENARIO.refused is G06F.
        expect(bodies.map((b) => [b.type, b.patent.number, b.dormantSince])).to.deep.equal([
          ["patent.dormant", formatCnipaNumber(SCENARIO.cancelled), dayOf("2026-06-30")],
        ]);
      } finally {
        await request(app).delete(`/v1/webhooks/${hook.id}`).expect(200);
      }
    });
  });

  describe("gateway-local state", () => {
    it("keeps webhooks across a restart, outside the index digest, and delivers after it", async () => {
      // A second gateway over its own LevelDB on the same chain.
      const own = await tempStore();
      const location = own.store.location;
      let store = own.store;
      await indexerFor(g.node.url, store, g.ledger.deployments).syncToHead();
      const contextOver = (s: typeof store): AppContext => ({
        ...ctx,
        index: { indexer: indexerFor(g.node.url, s, g.ledger.deployments), queries: createQueries(s), store: s },
      });
      let app2 = createApp(contextOver(store));
      const hook = (await request(app2).post("/v1/webhooks").send({ url: rx.url, filter: { ipc: ["G06F"] } }).expect(201)).body.webhook as { id: string };
      await createWebhookDispatcher(contextOver(store)).tick(); // sets its cursor
      const digest = (await request(app2).get("/v1/digest").expect(200)).body;
      expect(digest).to.deep.equal((await request(app).get(`/v1/digest?block=${digest.block}`).expect(200)).body);

      await store.close();
      store = await openStore(location);
      try {
        const ctx2 = contextOver(store);
        app2 = createApp(ctx2);
        expect((await request(app2).get(`/v1/webhooks/${hook.id}`).expect(200)).body).to.deep.include({ id: hook.id, url: rx.url, filter: { industries: [], ipc: ["G06F"] } });
        expect((await request(app2).get("/v1/digest").expect(200)).body).to.deep.equal(digest);
        const listed = await listNew("G06F 16/30");
        await ctx2.index!.indexer.syncToHead();
        const second = createWebhookDispatcher(ctx2);
        for (let i = 0; i < 100 && rx.got.length === 0; i++) {
          await second.tick();
          await sleep(20);
        }
        expect(rx.got).to.have.length(1);
        expect((JSON.parse(rx.got[0]!.body) as DeliveryBody).patent.number).to.equal(formatCnipaNumber(listed));
        // The first gateway has no such webhook: it is state of the gateway that registered it.
        await request(app).get(`/v1/webhooks/${hook.id}`).expect(404);
        await second.stop();
      } finally {
        await store.close();
        rmSync(own.dir, { recursive: true, force: true });
      }
    });
  });
});

describe("webhooks: the SSRF guard", () => {
  describe("isPrivateAddress", () => {
    it("is true for loopback, private, link-local, CGNAT, multicast, unspecified and IPv4-mapped private addresses", () => {
      for (const a of ["127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "::1", "::", "fd00::1", "fe80::1", "::ffff:10.0.0.1", "[::1]"]) {
        expect(isPrivateAddress(a), a).to.equal(true);
      }
      for (const a of ["8.8.8.8", "203.0.113.9", "172.32.0.1", "2001:4860:4860::8888", "::ffff:8.8.8.8", "example.com"]) {
        expect(isPrivateAddress(a), a).to.equal(false);
      }
    });
  });

  describe("guardedLookup", () => {
    it("fails a connection to a name that resolves to a private address", async () => {
      const error = await new Promise<NodeJS.ErrnoException | null>((resolve) => guardedLookup("localhost", {}, (err) => resolve(err)));
      expect(error?.code).to.equal("EWEBHOOKPRIVATE");
      expect(error?.message).to.match(/^localhost resolves to .*, a private address/);
    });
  });

  describe("checkWebhookUrl", () => {
    it("accepts public http(s) URLs and, with allowPrivate, local ones", () => {
      expect(checkWebhookUrl("https://receiver.example.com/hook?x=1", false).hostname).to.equal("receiver.example.com");
      expect(checkWebhookUrl("http://127.0.0.1:9000/hook", true).port).to.equal("9000");
      expect(() => checkWebhookUrl("http://127.0.0.1:9000/hook", false)).to.throw(WebhookUrlError, /loopback, private or link-local/);
    });
  });
});
