/**
 * Read API latency on a large index, without a chain: fills a fresh LevelDB with N synthetic patents
 * written by the registry's own PatentRegistered handler (same keys and bytes as the indexer writes),
 * then times sequential requests through the HTTP server on loopback (median and p99 of each query).
 * Usage: tsx bench/api-search.ts [--patents 200000] [--requests 200]
 */
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Command } from "commander";
import { ethers, JsonRpcProvider, Network } from "ethers";
import pino from "pino";
import { createApp } from "../server/api/app";
import { dayOf, formatCnipaNumber } from "../server/chain/cnipa";
import { loadConfig } from "../server/config";
import { createContext } from "../server/context";
import { createQueries, type Indexer } from "../server/indexer";
import { registryHandlers } from "../server/indexer/handlers/registry";
import type { LedgerEvent } from "../server/indexer/types";
import { canonicalJson } from "../server/store/codec";
import { openStore } from "../server/store/db";
import { keys } from "../server/store/keys";

const IPC = ["H01M 10/0525", "G06F 16/27", "A61K 36/185", "C12G 3/02", "B25J 9/16", "H01L 21/02", "C22C 14/00", "G06N 3/08", "F16H 1/28", "E04B 1/98"];
const WORDS = ["电池", "数据库", "川芎", "白酒", "机器人", "晶圆", "钛合金", "深度学习", "齿轮", "抗震"];

async function main(): Promise<void> {
  const opts = new Command()
    .option("--patents <n>", "patents in the index", "200000")
    .option("--requests <n>", "requests per query", "200")
    .parse()
    .opts<{ patents: string; requests: string }>();
  const n = Number(opts.patents);
  const runs = Number(opts.requests);
  const dir = mkdtempSync(path.join(tmpdir(), "tianfu-api-bench-"));
  const store = await openStore(path.join(dir, "db"));
  const owners = Array.from({ length: 2000 }, (_, i) => ethers.getAddress(`0x${(i + 1).toString(16).padStart(40, "0")}`));
  const started = Date.now();
  const zero = ethers.ZeroHash;
  for (let base = 0; base < n; base += 5000) {
    const writes: { key: string; value: string | null }[] = [];
    for (let i = base; i < Math.min(n, base + 5000); i++) {
      const id = (202010000000n + BigInt(i)).toString(); // year 2020, kind 1, serial i
      const event: LedgerEvent = {
        contract: "PatentRegistry",
        address: zero,
        event: "PatentRegistered",
        blockNumber: 1 + Math.floor(i / 200),
        blockHash: zero,
        txHash: zero,
        logIndex: (i % 200) * 2 + 1,
        args: {
          patentId: id,
          holder: owners[i % owners.length]!.toLowerCase(),
          commitment: zero,
          recordHash: zero,
          facts: { checkDigit: 0, kind: i % 10 === 9 ? 1 : 0, filingDay: dayOf("2019-03-15"), grantDay: dayOf(i % 3 === 0 ? "2020-06-30" : "2024-06-30"), dossierHash: zero },
          title: `${WORDS[i % WORDS.length]}相关技术 ${i}${i % 50_000 === 7 ? " 稀有词" : ""}`,
          ipc: [IPC[i % IPC.length]!],
          inventory: { readiness: 1 + (i % 9), willing: i % 4 !== 3, modes: 1 + (i % 7), selfScore: 70, unitScore: 70, scenarioTags: 0 },
        },
      };
      for (const w of registryHandlers.PatentRegistered!.apply(event, { get: () => undefined })) {
        writes.push({ key: w.key, value: w.value === null ? null : canonicalJson(w.value) });
      }
    }
    await store.batchEncoded(writes);
  }
  await store.batchEncoded([{ key: keys.cursor(), value: canonicalJson({ number: 1 + Math.floor(n / 200), hash: zero }) }]);
  process.stdout.write(`filled ${n} patents in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);

  const provider = new JsonRpcProvider("http://127.0.0.1:9", undefined, { staticNetwork: Network.from(31337) });
  const ctx = createContext(loadConfig({ RATE_LIMIT_PER_MINUTE: "0", LOG_LEVEL: "silent" }), {
    logger: pino({ level: "silent" }),
    provider,
    deployments: { chainId: 31337, deploymentBlock: 1, deployedAt: "bench", contracts: {} },
  });
  const indexer = { status: () => ({ indexed: null, head: null, lag: null, reorgs: 0 }) } as unknown as Indexer;
  ctx.index = { indexer, queries: createQueries(store), store };
  const server = createApp(ctx).listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const some = formatCnipaNumber(202010000000n + 12345n);
  const queries: [string, string][] = [
    ["dossier", `/v1/patents/${some}`],
    ["first page, no filter", "/v1/patents?limit=50"],
    ["owner", `/v1/patents?owner=${owners[17]}&limit=50`],
    ["ipc subclass", "/v1/patents?ipc=H01M&limit=50"],
    ["ipc + readiness + willing", "/v1/patents?ipc=A61K&readiness=7-9&willing=true&limit=50"],
    ["status + kind (status index, kind checked)", "/v1/patents?status=Valid&kind=UtilityModel&limit=50"],
    ["title keyword, rare (bounded scan)", `/v1/patents?q=${encodeURIComponent("稀有词")}&limit=50`],
    ["dormant", "/v1/patents?dormant=true&limit=50"],
    ["match industry", "/v1/match?industry=medicine-health&limit=20"],
  ];
  // A first pass warms the caches (and lets LevelDB finish compacting the fill); the second is reported.
  for (const pass of [1, 2]) for (const [name, url] of queries) {
    const times: number[] = [];
    let status = 0;
    let note = "";
    for (let i = 0; i < runs; i++) {
      const t = process.hrtime.bigint();
      const res = await fetch(`${base}${url}`);
      const body = (await res.json()) as { items?: unknown[]; scan?: { examined: number; complete: boolean } };
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
      status = res.status;
      note = body.scan ? `items ${body.items?.length}, examined ${body.scan.examined}, complete ${body.scan.complete}` : "";
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    const p99 = times[Math.min(times.length - 1, Math.floor(times.length * 0.99))]!;
    if (pass === 2) process.stdout.write(`${name.padEnd(44)} ${status} median ${median.toFixed(2)} ms  p99 ${p99.toFixed(2)} ms  ${note}\n`);
  }
  server.close();
  provider.destroy();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
