import { expect } from "chai";
import { JsonRpcProvider, Network } from "ethers";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { demoPatent, demoPatentId, DEMO_PATENTS } from "../../scripts/demo/patents";
import { buildWeb } from "../../scripts/build-web";
import { DASHBOARD_CSP } from "../../server/api/dashboard";
import { demoAccount, demoWallet } from "../../server/chain/accounts";
import { LegalStatus } from "../../server/chain/roles";
import { PatentRegistry__factory } from "../../typechain-types";
import type { Health, PatentPage, Stats, TimelinePage } from "../../web/src/types";
import { chromiumPath, launchBrowser, navigate, routed, screenshot, startStack, watch, type Stack } from "./helpers";

/**
 * The dashboard in real headless Chromium on the real stack: `npm start` (Anvil, deploy, demo seed,
 * gateway), then the pages a user visits. Every test fails if the page logs a console error, throws, or
 * sees a failed request or an HTTP error; each saves a screenshot under test-artifacts/dashboard/.
 */
describe("dashboard (browser)", function () {
  this.timeout(240_000);
  let stack: Stack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];

  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${stack.gatewayUrl}${path}`);
    expect(res.status, `${path}: ${await res.clone().text()}`).to.equal(200);
    return (await res.json()) as T;
  };
  const open = async (hash: string, route: string) => {
    await page.goto(`${stack.dashboardUrl}${hash}`);
    await routed(page, route);
  };

  before(async function () {
    chromiumPath(); // fails with a clear message when chromium is missing
    await buildWeb();
    stack = await startStack();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: "zh-CN" });
    page = await context.newPage();
    problems = watch(page);
  });

  afterEach(async function () {
    const name = (this.currentTest?.title ?? "page").replace(/[^a-z0-9]+/gi, "-").slice(0, 60);
    await screenshot(page, name).catch(() => undefined);
    await context.close();
  });

  /** A test that also fails when the page reported a problem (checked in the test, so one failure does not stop the rest). */
  const pageTest = (title: string, body: () => Promise<void>) =>
    it(title, async () => {
      await body();
      expect(problems, "the page reported problems").to.deep.equal([]);
    });

  it("npm start prints the dashboard URL, which serves the page with its Content-Security-Policy", async () => {
    expect(stack.dashboardUrl).to.equal(`${stack.gatewayUrl}/`);
    const lastLines = stack.output().trim().split("\n").slice(-1)[0] ?? "";
    expect(lastLines).to.include(stack.dashboardUrl);
    const res = await fetch(stack.dashboardUrl);
    expect(res.status).to.equal(200);
    expect(res.headers.get("content-type")).to.match(/text\/html/);
    expect(res.headers.get("content-security-policy")).to.equal(DASHBOARD_CSP);
    const html = await res.text();
    expect(html).to.not.match(/https?:\/\//, "no external URL in the page: everything is local");
    const asset = /src="(assets\/app-[^"]+\.js)"/.exec(html)?.[1];
    const script = await fetch(`${stack.dashboardUrl}${asset}`);
    expect(script.headers.get("cache-control")).to.include("immutable");
    expect(await script.text()).to.not.match(/https:\/\/(fonts|cdn|unpkg|cdnjs)/);
  });

  pageTest("loads in Chinese by default, with landmarks, the chain status and every field labelled", async () => {
    await open("", "exchange");
    expect(await page.getAttribute("html", "lang")).to.equal("zh-CN");
    expect(await page.title()).to.equal("天府知识产权账本");
    expect(await page.locator("header").count()).to.equal(1);
    expect(await page.locator("main#main").count()).to.equal(1);
    expect(await page.locator("nav#primary-nav a").allTextContents()).to.deep.equal([
      "专利检索",
      "挂牌与拍卖",
      "产业匹配",
      "质押融资",
      "许可审计",
      "转化监测",
      "实时动态",
    ]);
    await page.waitForSelector("footer .chain-status:has-text('链 ID 31337')");
    // Every form control has a label.
    const unlabelled = await page.evaluate(
      `[...document.querySelectorAll("input, select, textarea")].filter((el) => el.labels.length === 0 && !el.getAttribute("aria-label")).map((el) => el.outerHTML)`,
    );
    expect(unlabelled).to.deep.equal([]);
    // Keyboard: the first Tab reaches the skip link, Enter moves the focus to the main content.
    await page.keyboard.press("Tab");
    expect(await page.evaluate("document.activeElement.className")).to.equal("skip");
    await page.keyboard.press("Enter");
    expect(await page.evaluate("document.activeElement.id")).to.equal("main");
  });

  pageTest("searches the demo patents by IPC prefix and pages through all of them with the cursor", async () => {
    await open("#/exchange", "exchange");
    const first = await api<PatentPage>("/v1/patents?limit=20");
    expect(await page.locator(".results-table tbody tr").count()).to.equal(20);
    expect(await page.locator(".results-table tbody tr td:first-child").allTextContents()).to.deep.equal(first.items.map((p) => p.number));

    // Every patent, page by page with Next, then one back with Previous.
    const seen = new Set<string>();
    for (;;) {
      for (const n of await page.locator(".results-table tbody tr td:first-child").allTextContents()) seen.add(n);
      const next = page.locator("nav.pager button", { hasText: "下一页" });
      if ((await next.count()) === 0) break;
      await navigate(page, "exchange", () => next.click());
    }
    expect(seen.size).to.equal(DEMO_PATENTS.length);
    await navigate(page, "exchange", () => page.locator("nav.pager button", { hasText: "上一页" }).click());
    expect(await page.locator(".results-table tbody tr").count()).to.equal(20);

    // IPC prefix and status filters through the form.
    await page.fill("#f-ipc", "H01L");
    await page.selectOption("#f-status", "Valid");
    await navigate(page, "exchange", () => page.click("form.filters button[type=submit]"));
    expect(page.url()).to.include("ipc=H01L").and.include("status=Valid");
    const expected = await api<PatentPage>("/v1/patents?ipc=H01L&status=Valid&limit=20");
    expect(expected.items.length).to.be.greaterThan(0);
    expect(await page.locator(".results-table tbody tr td:first-child").allTextContents()).to.deep.equal(expected.items.map((p) => p.number));
    for (const ipc of await page.locator(".results-table tbody tr td:nth-child(4)").allTextContents()) expect(ipc).to.include("H01L");

    // Listed through a venue: the venue chosen by name; the answer is the venue's open listings.
    await open("#/exchange", "exchange");
    const chongqing = demoWallet("chongqing").address.toLowerCase();
    await page.selectOption("#f-venue", chongqing);
    await navigate(page, "exchange", () => page.click("form.filters button[type=submit]"));
    const listed = await api<PatentPage>(`/v1/patents?venue=${chongqing}&limit=20`);
    expect(listed.items.map((p) => p.number)).to.deep.equal([demoPatent("swjtu-autonomous-train-control").cited]);
    expect(await page.locator(".results-table tbody tr td:first-child").allTextContents()).to.deep.equal(listed.items.map((p) => p.number));

    // A search without match says so.
    await page.fill("#f-q", "no-such-title-anywhere");
    await navigate(page, "exchange", () => page.click("form.filters button[type=submit]"));
    await page.waitForSelector(".empty:has-text('没有符合条件的专利')");
  });

  pageTest("opens a dossier from the results, with its owner, transfers and the whole timeline", async () => {
    const p = demoPatent("uestc-superjunction-mosfet");
    await open(`#/exchange?ipc=${encodeURIComponent(p.ipc[0]!.slice(0, 4))}`, "exchange");
    await navigate(page, "patent", () => page.click(`a:has-text("${p.cited}")`));
    expect(await page.textContent("main h1")).to.equal(p.title);
    const facts = page.locator("#facts-heading + dl");
    expect(await facts.textContent()).to.include(demoAccount("rongxin").label).and.include(demoAccount("uestc").label);
    expect(await page.locator("table:has(caption:has-text('转让记录')) tbody tr").count()).to.equal(1);
    const timeline = await api<TimelinePage>(`/v1/patents/${p.cited}/timeline?limit=200`);
    expect(await page.locator("ol.timeline > li").count()).to.equal(timeline.items.length);
    expect(await page.locator("ol.timeline").textContent()).to.include("专利登记").and.include("转让登记");
  });

  pageTest("switches to English and back, and remembers the choice across a reload", async () => {
    const p = demoPatent("scu-rbd-vaccine");
    await open(`#/patent/${p.cited}`, "patent");
    await page.waitForSelector("#timeline-heading:has-text('链上记录')");
    await navigate(page, "patent", () => page.click("#lang-switch"));
    expect(await page.getAttribute("html", "lang")).to.equal("en");
    expect(await page.textContent("#timeline-heading")).to.equal("On-chain history (chain order)");
    expect(await page.textContent("#facts-heading + dl")).to.include(demoAccount("scu").labelEn);
    expect(await page.locator("nav#primary-nav a").first().textContent()).to.equal("Patent search");
    await page.reload();
    await routed(page, "patent");
    expect(await page.getAttribute("html", "lang")).to.equal("en");
    await screenshot(page, "dossier-en");
    await navigate(page, "patent", () => page.click("#lang-switch"));
    expect(await page.getAttribute("html", "lang")).to.equal("zh-CN");
    expect(await page.textContent("#lang-switch")).to.equal("English");
  });

  pageTest("draws the monitoring charts from /v1/stats", async () => {
    await open("#/monitoring", "monitoring");
    const stats = await api<Stats>("/v1/stats");
    expect(await page.textContent("#kpi-registered")).to.equal(String(stats.patents.registered));
    expect(await page.textContent("#kpi-implemented")).to.equal(String(stats.implementation.implemented));
    const charts = page.locator("figure.chart");
    expect(await charts.count()).to.be.at.least(4);
    expect(await page.locator("figure.chart").first().locator("svg g.bar-row").count()).to.equal(stats.byOwner.length);
    expect(await page.locator("figure.chart svg[role=img][aria-labelledby]").count()).to.equal(await charts.count());
    expect(await page.textContent("main")).to.include(demoAccount("scu").label);
    // Licensing and pledge financing volume by month: one group of columns per month of the answer.
    const months = stats.volumes.byMonth.length;
    expect(months).to.be.at.least(1);
    const volumes = page.locator("section[aria-labelledby=volumes] figure.chart");
    expect(await volumes.count()).to.be.at.least(2);
    expect(await volumes.first().locator("rect.column.series-0").count()).to.equal(months + 1); // and the legend's swatch
    const granted = stats.volumes.byMonth.reduce((n, m) => n + m.licensing.licencesGranted, 0);
    expect(granted).to.equal(stats.volumes.totals.licencesGranted);
  });

  pageTest("shows the market, matching, financing, audit and live pages, each with its data or a clear not-available state", async () => {
    const p = demoPatent("uestc-superjunction-mosfet");
    for (const [hash, route] of [
      ["#/market", "market"],
      ["#/match?industry=C39", "match"],
      [`#/financing?number=${p.cited}`, "financing"],
      [`#/audit?number=${p.cited}`, "audit"],
      ["#/live", "live"],
    ] as const) {
      await open(hash, route);
      const text = (await page.textContent("main")) ?? "";
      expect(text.length, route).to.be.greaterThan(40);
      await screenshot(page, `page-${route}`);
    }
    // Matching for a priority industry ranks patents.
    await open("#/match?industry=electronic-information", "match");
    expect(await page.locator(".match-table tbody tr").count()).to.be.greaterThan(0);
    // The audit page has the ownership history and its CSV link.
    await open(`#/audit?number=${p.cited}`, "audit");
    const csv = await page.getAttribute("#transfers-heading ~ p.links a", "href");
    expect(csv).to.include("/transfers?format=csv");
    const res = await fetch(`${stack.dashboardUrl}${csv!.replace(/^\//, "")}`);
    expect(res.headers.get("content-type")).to.match(/text\/csv/);
  });

  pageTest("shows a patent's licence history (table, timeline, digest, CSV link) and a bank's exposure and pledges", async () => {
    const gan = demoPatent("uestc-gan-hemt");
    const history = await api<{ digest: { value: string }; facts: unknown[] }>(`/v1/audit/patents/${gan.cited}/licences`);
    await open(`#/audit?number=${gan.cited}`, "audit");
    await page.waitForSelector(".licence-timeline li");
    expect(await page.locator(".table-wrap.licences tbody tr").count()).to.be.greaterThan(0);
    expect(await page.locator(".licence-timeline li").count()).to.equal(history.facts.length);
    const main = (await page.textContent("main")) ?? "";
    expect(main).to.include("独占许可").and.include("授予许可").and.include("报告摘要");
    expect(await page.textContent("code.digest")).to.equal(history.digest.value);
    const csv = await page.getAttribute("#licences-heading ~ p.links a", "href");
    expect(csv).to.include("/licences?format=csv");
    const res = await fetch(`${stack.dashboardUrl}${csv!.replace(/^\//, "")}`);
    expect(res.headers.get("x-report-digest")).to.equal(history.digest.value);
    await screenshot(page, "audit-licence-history");

    const bank = demoWallet("bankA").address.toLowerCase();
    await open(`#/financing?pledgee=${bank}`, "financing");
    await page.waitForSelector("#exposure-heading");
    await page.waitForSelector(".table-wrap.pledges tbody tr");
    const text = (await page.textContent("main")) ?? "";
    expect(text).to.include("风险敞口").and.include("组合质押").and.include("已登记");
    await screenshot(page, "financing-bank-exposure");
  });

  pageTest("shows a legal status change on the live page as it is indexed, without reloading", async () => {
    const key = "swust-glass-ceramic-waste";
    const { cited } = demoPatent(key);
    await open("#/live", "live");
    await page.waitForSelector("main[data-live-ready]");
    const health = await api<Health>("/v1/health");
    const provider = new JsonRpcProvider(stack.rpcUrl, Network.from(31337), { staticNetwork: true, cacheTimeout: -1 });
    try {
      const registry = PatentRegistry__factory.connect(health.contracts.PatentRegistry!, demoWallet("registrar").connect(provider));
      await (await registry.setLegalStatus(demoPatentId(key), LegalStatus.Frozen, "preservation order (dashboard test)")).wait();
      const item = page.locator(`#live-list li[data-type="patent.status"]:has-text("${cited}")`);
      await item.first().waitFor({ timeout: 20_000 });
      expect(await item.first().textContent()).to.include("法律状态变更").and.include("保全冻结");
      await screenshot(page, "live-status-change");
      await (await registry.setLegalStatus(demoPatentId(key), LegalStatus.Valid, "order lifted (dashboard test)")).wait();
      await page.locator(`#live-list li[data-type="patent.status"]`).nth(1).waitFor({ timeout: 20_000 });
    } finally {
      provider.destroy();
    }
  });

  pageTest("fetches a certificate and verifies it in the browser against the node's block hash; a wrong hash or an altered file fails", async () => {
    const p = demoPatent("uestc-superjunction-mosfet");
    await open(`#/financing?number=${p.cited}`, "financing");
    await page.click("#cert-fetch");
    await page.waitForSelector("#cert-fetched");
    const blockNumber = Number(/#(\d+)/.exec((await page.textContent("#cert-fetched")) ?? "")?.[1]);
    expect(blockNumber).to.be.greaterThan(0);
    // The bank's own node: the chain's JSON-RPC, not the gateway.
    const blockHash = async (n: number) => {
      const res = await fetch(stack.rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_getBlockByNumber", params: [`0x${n.toString(16)}`, false] }),
      });
      return ((await res.json()) as { result: { hash: string } }).result.hash;
    };
    await page.fill("#cert-hash", await blockHash(blockNumber));
    await page.click("#cert-verify");
    await page.waitForSelector("#cert-ok", { timeout: 30_000 });
    expect(await page.textContent("#cert-result")).to.include(demoAccount("rongxin").label).and.include(`#${blockNumber}`);
    await screenshot(page, "certificate-verified");

    // Another block's hash: refused.
    await page.fill("#cert-hash", await blockHash(blockNumber - 1));
    await page.click("#cert-verify");
    await page.waitForSelector("#cert-failed");
    expect(await page.textContent("#cert-failed")).to.match(/HEADER_MISMATCH|WRONG_BLOCK/);

    // The downloaded file with one fact altered: refused.
    const href = await page.getAttribute("#cert-fetched + p a[download]", "href");
    const original = await (await fetch(`${stack.dashboardUrl}${href!.replace(/^\//, "")}`)).text();
    const altered = original.replace(/"legalStatus": "Valid"/, '"legalStatus": "Lapsed"');
    expect(altered).to.not.equal(original);
    await page.setInputFiles("#cert-file", { name: "altered.json", mimeType: "application/json", buffer: Buffer.from(altered) });
    await page.fill("#cert-hash", await blockHash(blockNumber));
    await page.click("#cert-verify");
    await page.waitForSelector("#cert-failed");
    expect(await page.textContent("#cert-failed")).to.include("FACTS_MISMATCH");
    // The same file unaltered verifies.
    await page.setInputFiles("#cert-file", { name: "certificate.json", mimeType: "application/json", buffer: Buffer.from(original) });
    await page.click("#cert-verify");
    await page.waitForSelector("#cert-ok");
  });

  pageTest("fits a phone screen", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await open(`#/patent/${demoPatent("cqu-rare-earth-mg-alloy").cited}`, "patent");
    const overflow = await page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth");
    expect(overflow).to.equal(0);
    await screenshot(page, "phone-dossier");
    await open("#/monitoring", "monitoring");
    expect(await page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")).to.equal(0);
  });
});
