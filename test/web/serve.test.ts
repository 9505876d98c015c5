import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import express from "express";
import request from "supertest";
import { createDashboardRouter, DASHBOARD_CSP } from "../../server/api/dashboard";
import { errorHandler, notFound } from "../../server/api/errors";
import { createLogger } from "../../server/logger";

/** The dashboard's static mount, as createApp mounts it: before the JSON 404 and the error middleware. */
function appOver(dir: string) {
  const app = express();
  app.use(createDashboardRouter(dir));
  app.get("/v1/ping", (_req, res) => {
    res.json({ ok: true });
  });
  app.use(notFound);
  app.use(errorHandler(createLogger("silent")));
  return app;
}

describe("dashboard static mount", () => {
  let dir: string;

  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "tianfu-dashboard-"));
    mkdirSync(path.join(dir, "assets"));
    writeFileSync(path.join(dir, "index.html"), "<!doctype html><title>t</title>");
    writeFileSync(path.join(dir, "assets", "app-ABC.js"), "export {};");
    writeFileSync(path.join(dir, "favicon.svg"), "<svg/>");
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it("serves the page at / with its Content-Security-Policy, revalidated", async () => {
    const res = await request(appOver(dir)).get("/").expect(200).expect("content-type", /text\/html/);
    expect(res.headers["content-security-policy"]).to.equal(DASHBOARD_CSP);
    expect(res.headers["cache-control"]).to.equal("no-cache");
    expect(DASHBOARD_CSP).to.not.include("unsafe").and.to.not.include("upgrade-insecure-requests");
  });

  it("serves hashed assets as immutable and the icon", async () => {
    const res = await request(appOver(dir)).get("/assets/app-ABC.js").expect(200).expect("content-type", /javascript/);
    expect(res.headers["cache-control"]).to.equal("public, max-age=31536000, immutable");
    await request(appOver(dir)).get("/favicon.svg").expect(200);
  });

  it("leaves every other path to the API: its routes and its JSON 404", async () => {
    await request(appOver(dir)).get("/v1/ping").expect(200, { ok: true });
    const res = await request(appOver(dir)).get("/assets/missing.js").expect(404).expect("content-type", /json/);
    expect(res.body.error.code).to.equal("NOT_FOUND");
    await request(appOver(dir)).get("/web/src/main.ts").expect(404);
  });

  it("answers a malformed asset path with a 4xx, never a 5xx", async () => {
    const res = await request(appOver(dir)).get("/assets/%E0%A4%A");
    expect(res.status).to.be.within(400, 499);
    await request(appOver(dir)).get("/assets/..%2f..%2fpackage.json").expect((r) => expect(r.status).to.be.within(400, 499));
  });

  it("says to build the dashboard when it is not built", async () => {
    const res = await request(appOver(path.join(dir, "nothing-here"))).get("/").expect(404);
    expect(res.body.error.message).to.equal("the dashboard is not built: run `npm run build`");
  });
});
