import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { freePort, processesOf } from "../helpers/processes";

/**
 * The real stack for browser tests: `npm start` (scripts/start.ts: Anvil, deploy, demo seed, gateway with
 * the dashboard) on free ports and a temporary DATA_DIR, and Debian's chromium driven by playwright-core.
 */

const ROOT = path.resolve(__dirname, "..", "..");
export const ARTIFACTS = path.join(ROOT, "test-artifacts", "dashboard");

/** The chromium executable (`which chromium`); a clear failure, not a skip, when it is missing: CI installs it. */
export function chromiumPath(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  try {
    const found = execFileSync("which", ["chromium"], { encoding: "utf8" }).trim();
    if (found) return found;
  } catch {
    // not on PATH
  }
  throw new Error(
    "chromium is not installed: the dashboard's browser tests need Debian's chromium (apt-get install -y chromium; .ci/run installs it), " +
      "or CHROMIUM_PATH naming a Chromium executable",
  );
}

export interface Stack {
  /** The dashboard's URL as `npm start` printed it (ends with "/"). */
  dashboardUrl: string;
  gatewayUrl: string;
  rpcUrl: string;
  output(): string;
  stop(): Promise<void>;
}

/** Runs `npm start` (node --import tsx scripts/start.ts) and waits for its banner's dashboard line. */
export async function startStack(timeoutMs = 180_000): Promise<Stack> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "tianfu-web-"));
  const chainPort = await freePort();
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    CHAIN_PORT: String(chainPort),
    PORT: String(port),
    LOG_LEVEL: "warn",
    RATE_LIMIT_PER_MINUTE: "0",
  };
  for (const name of ["CHAIN_RPC_URL", "DEPLOYMENTS_FILE", "FRESH", "HOST"]) delete env[name];
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGINT");
      const timeout = new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 40_000));
      if ((await Promise.race([exited, timeout])) === "timeout") child.kill("SIGKILL");
    }
    for (const pid of processesOf(dataDir)) process.kill(pid, "SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const line = /^\s*dashboard\s+(http:\/\/\S+)/m.exec(output);
    if (line) {
      return {
        dashboardUrl: line[1]!,
        gatewayUrl: `http://127.0.0.1:${port}`,
        rpcUrl: `http://127.0.0.1:${chainPort}`,
        output: () => output,
        stop,
      };
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`npm start printed no dashboard URL within ${timeoutMs} ms:\n${output}`);
}

export async function launchBrowser(): Promise<Browser> {
  // --no-sandbox: CI and these machines run as root, where Chromium's sandbox cannot start.
  return chromium.launch({ executablePath: chromiumPath(), args: ["--no-sandbox", "--disable-dev-shm-usage"] });
}

/** Everything a page reports that a test must not see: console errors, uncaught exceptions, failed requests. */
export function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`uncaught: ${e.message}`));
  page.on("requestfailed", (r) => {
    // The dashboard aborts its own fetches when the user leaves a page, and closes its event stream.
    if (r.failure()?.errorText === "net::ERR_ABORTED") return;
    problems.push(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ""}`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.request().method()} ${r.url()}`);
  });
  return problems;
}

/** Waits until the router has drawn `route` (body[data-route], body[data-busy=false]). */
export async function routed(page: Page, route: string): Promise<void> {
  await page.waitForSelector(`body[data-route="${route}"][data-busy="false"]`, { timeout: 20_000 });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Runs `action` (a click, a submit...) and waits for the render it causes to finish on `route`. */
export async function navigate(page: Page, route: string, action: () => Promise<unknown>): Promise<void> {
  const before = Number((await page.getAttribute("body", "data-render")) ?? "0");
  await action();
  // A function, not a string: the page's CSP forbids eval, which string predicates need. The root
  // tsconfig has no DOM types, hence the narrow view of `document`.
  await page.waitForFunction(
    ([n, r]) => {
      const { dataset } = (globalThis as unknown as { document: { body: { dataset: Record<string, string | undefined> } } }).document.body;
      return Number(dataset.render ?? "0") > n && dataset.route === r && dataset.busy === "false";
    },
    [before, route] as const,
    { timeout: 20_000 },
  );
}
