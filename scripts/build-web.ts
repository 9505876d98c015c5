/**
 * Builds the web dashboard (web/) into dist/web: esbuild bundles web/src/main.ts (ES modules, code split:
 * the certificate verifier is a chunk loaded on demand) and web/src/styles.css with content-hashed names,
 * and writes index.html naming them. Everything is local: no CDN, no web fonts. `npm run build` runs it;
 * `npm start` runs it when web/ changed after the last build.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { DEMO_ACCOUNTS, demoWallet } from "../server/chain/accounts";

const ROOT = path.resolve(__dirname, "..");
export const WEB_SOURCE_DIR = path.join(ROOT, "web");
export const WEB_DIST_DIR = path.join(ROOT, "dist", "web");

export interface WebBuild {
  outDir: string;
  script: string;
  styles: string;
  /** Bytes of every file written, by path relative to outDir. */
  files: Record<string, number>;
}

/** Address -> name of the demo accounts (public development mnemonic), for the dashboard on the demo chain. */
function demoDirectory(): Record<string, { name: string; role: string; label: string; labelEn: string; city: string }> {
  const directory: Record<string, { name: string; role: string; label: string; labelEn: string; city: string }> = {};
  for (const a of DEMO_ACCOUNTS) {
    directory[demoWallet(a.name).address.toLowerCase()] = { name: a.name, role: a.role, label: a.label, labelEn: a.labelEn, city: a.city };
  }
  return directory;
}

function listFiles(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    return statSync(full).isDirectory() ? listFiles(full, base) : [path.relative(base, full)];
  });
}

export async function buildWeb(options: { outDir?: string; minify?: boolean } = {}): Promise<WebBuild> {
  const outDir = options.outDir ?? WEB_DIST_DIR;
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const result = await build({
    entryPoints: { app: path.join(WEB_SOURCE_DIR, "src", "main.ts"), styles: path.join(WEB_SOURCE_DIR, "src", "styles.css") },
    outdir: path.join(outDir, "assets"),
    bundle: true,
    format: "esm",
    splitting: true,
    platform: "browser",
    target: ["es2022", "chrome109", "firefox115", "safari16"],
    entryNames: "[name]-[hash]",
    chunkNames: "chunk-[hash]",
    minify: options.minify ?? true,
    sourcemap: "linked",
    legalComments: "linked",
    metafile: true,
    logLevel: "silent",
    define: { __DEMO_DIRECTORY__: JSON.stringify(demoDirectory()) },
    // Code shared with the gateway (the certificate verifier) names Node's Buffer once: a small shim stands in.
    inject: [path.join(WEB_SOURCE_DIR, "src", "shims", "buffer.ts")],
  });
  const outputs = Object.entries(result.metafile.outputs);
  const entry = (name: string, ext: string) => {
    const found = outputs.find(([file, meta]) => file.endsWith(ext) && meta.entryPoint?.endsWith(name));
    if (!found) throw new Error(`esbuild wrote no output for ${name}`);
    return path.relative(outDir, path.resolve(found[0])).split(path.sep).join("/");
  };
  const script = entry("main.ts", ".js");
  const styles = entry("styles.css", ".css");
  const html = readFileSync(path.join(WEB_SOURCE_DIR, "index.html"), "utf8").replace("%SCRIPT%", script).replace("%STYLES%", styles);
  writeFileSync(path.join(outDir, "index.html"), html);
  cpSync(path.join(WEB_SOURCE_DIR, "favicon.svg"), path.join(outDir, "favicon.svg"));
  const files: Record<string, number> = {};
  for (const f of listFiles(outDir)) files[f.split(path.sep).join("/")] = statSync(path.join(outDir, f)).size;
  return { outDir, script, styles, files };
}

/** Latest modification under web/ (sources, page, styles). */
export function webSourcesChangedAt(dir = WEB_SOURCE_DIR): number {
  let latest = statSync(dir).mtimeMs;
  for (const f of listFiles(dir)) latest = Math.max(latest, statSync(path.join(dir, f)).mtimeMs);
  return latest;
}

/** True when dist/web is missing or older than a web source. */
export function webBuildStale(outDir = WEB_DIST_DIR): boolean {
  const index = path.join(outDir, "index.html");
  return !existsSync(index) || statSync(index).mtimeMs < webSourcesChangedAt();
}

if (require.main === module) {
  buildWeb()
    .then((b) => {
      const total = Object.values(b.files).reduce((a, n) => a + n, 0);
      const js = Object.entries(b.files)
        .filter(([f]) => f.endsWith(".js"))
        .map(([f, n]) => `${f} ${(n / 1024).toFixed(1)} KiB`);
      console.log(`dashboard built in ${path.relative(process.cwd(), b.outDir) || "."}: ${js.join(", ")}; ${(total / 1024).toFixed(0)} KiB in all with source maps`);
    })
    .catch((err: unknown) => {
      console.error(`build-web: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    });
}
