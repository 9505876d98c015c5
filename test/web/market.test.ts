import { expect } from "chai";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { buildWeb } from "../../scripts/build-web";
import { DEMO_LISTINGS, DEMO_VENUES } from "../../scripts/seed";
import { demoPatent } from "../../scripts/demo/patents";
import { demoAccount, demoWallet } from "../../server/chain/accounts";
import { chromiumPath, launchBrowser, navigate, routed, screenshot, startStack, watch, type Stack } from "./helpers";

/**
 * The market page in headless Chromium on the real stack (`npm start`: the demo seed lists one patent for
 * sale through Chengdu and a licence through Chongqing): open listings of both venues, the venue filter,
 * and the English dictionary.
 */
describe("dashboard market page (browser)", function () {
  this.timeout(240_000);
  let stack: Stack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];

  before(async function () {
    chromiumPath();
    await buildWeb();
    stack = await startStack();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  afterEach(async function () {
    const name = `market-${(this.currentTest?.title ?? "page").replace(/[^a-z0-9]+/gi, "-").slice(0, 50)}`;
    await screenshot(page, name).catch(() => undefined);
    await context.close();
  });

  const openPage = async (locale: string, hash: string) => {
    context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale });
    page = await context.newPage();
    problems = watch(page);
    await page.goto(`${stack.dashboardUrl}${hash}`);
    await routed(page, "market");
  };
  const rows = () => page.locator(".market-listings tbody tr");

  it("lists the open listings of both venues and filters them by listing venue", async () => {
    await openPage("zh-CN", "#/market");
    expect(await rows().count()).to.equal(DEMO_LISTINGS.length);
    const text = (await page.textContent(".market-listings")) ?? "";
    for (const l of DEMO_LISTINGS) expect(text).to.include(demoPatent(l.patent).cited);
    expect(text).to.include("挂牌中");
    expect(text).to.include("1200000.00 dCNY");
    // No auction in the demo: the auctions section says so.
    expect(await page.textContent("section[aria-label='拍卖']")).to.include("目前没有拍卖");

    const chengdu = demoWallet("chengdu").address.toLowerCase();
    await page.selectOption("#m-venue", chengdu);
    await navigate(page, "market", () => page.click("form.filters button[type=submit]"));
    expect(page.url()).to.include(`venue=${chengdu}`);
    expect(await rows().count()).to.equal(DEMO_LISTINGS.filter((l) => l.venue === "chengdu").length);
    const filtered = (await page.textContent(".market-listings")) ?? "";
    expect(filtered).to.include(demoAccount(demoPatent(DEMO_LISTINGS[0]!.patent).holder).label);
    expect(await page.locator("#m-venue option").allTextContents()).to.include.members(DEMO_VENUES.map((v) => v.name));
    expect(problems).to.deep.equal([]);
  });

  it("switches to English with the same data, and shows an empty state for a status no listing has", async () => {
    await openPage("zh-CN", "#/market?status=Settled");
    expect(await rows().count()).to.equal(0);
    expect(await page.textContent("main")).to.include("暂无记录");
    await navigate(page, "market", () => page.click("#lang-switch"));
    expect(await page.getAttribute("html", "lang")).to.equal("en");
    const text = (await page.textContent("main")) ?? "";
    expect(text).to.include("Listings and auctions");
    expect(text).to.include("Nothing yet");
    await context.close();
    await openPage("zh-CN", "#/market?status=any");
    expect(await rows().count()).to.equal(DEMO_LISTINGS.length);
    expect(problems).to.deep.equal([]);
  });
});
