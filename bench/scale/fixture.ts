/**
 * The scale bench's direct chain-state fixture (issue 8): a deterministic ledger history of any size,
 * served by a small JSON-RPC node (bench/scale/fixture-node.ts) in place of a chain, so that the
 * gateway can be measured at a million patents and ten million events without a node holding that
 * state.
 *
 * The logs are the real contracts' logs: `recordTemplate` runs the scale generator
 * (bench/scale/generate.ts) on Anvil for TEMPLATE_UNITS units of 200 patents (one per original holder)
 * and keeps every log of the chain, deployment included, in bench/scale/fixture-template.json.gz
 * (committed, so every run and every machine serves the same history). Unit u of the fixture is unit
 * u % TEMPLATE_UNITS of the template with the words that identify things patched, per log, at
 * positions found once from the compiled ABIs:
 *   - patent numbers (any topic or data word equal to a template patent's number) -> patentNumber(serial),
 *   - transfer recipients and licensees (recipient(serial) addresses) -> the unit's recipients,
 *   - the ledger's counters in indexed topics (transferId, pledgeId, licenceId, evaluationId)
 *     -> shifted by the unit's place, so every id is unique and consecutive (a batch's commitment is its
 *     first patent's number, patched as one),
 * Everything else (titles, IPC codes, days, hashes, references) is the template's. Record hashes and
 * commitment roots are therefore not those of the patched records: the indexer stores them without
 * checking them, and certificates (eth_getProof) are out of the fixture's scope.
 * Blocks: the template's deployment blocks, then one block per `unitsPerBlock` units; hashes encode the
 * block number (so eth_getBlockByHash needs no table), parents chain, timestamps step 2 s.
 */
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { Interface, type InterfaceAbi } from "ethers";
import type { Deployments } from "../../server/chain/deployments";
import { DEFAULT_ABIS } from "../../server/indexer/handlers";
import type { RpcLog } from "../../server/rpc/client";
import { patentNumber, recipient, UNIT } from "./generate";

export const TEMPLATE_FILE = path.join(__dirname, "fixture-template.json.gz");
/** One unit per original holder (generate.ts rotates four). */
export const TEMPLATE_UNITS = 4;
const COUNTERS = ["transferId", "pledgeId", "licenceId", "evaluationId"] as const;
type Counter = (typeof COUNTERS)[number];

interface TemplateLog {
  /** Transaction index in its block. */
  tx: number;
  address: string;
  topics: string[];
  data: string;
}

export interface Template {
  chainId: number;
  deployments: Deployments;
  /** Timestamp of block 0. */
  genesisTime: number;
  /** Blocks 0 .. preambleBlocks - 1 are the template's deployment blocks. */
  preambleBlocks: number;
  preamble: (TemplateLog & { block: number })[];
  units: TemplateLog[][];
}

// ------------------------------------------------------------------ recording (once, from Anvil)

/** Runs the generator on Anvil for TEMPLATE_UNITS units and writes the template file. */
export async function recordTemplate(file = TEMPLATE_FILE, log: (line: string) => void = (l) => console.error(l)): Promise<Template> {
  const { generate, startAnvil } = await import("./generate");
  const node = await startAnvil({});
  try {
    const generated = await generate(node.url, TEMPLATE_UNITS * UNIT, 1, log);
    const post = async <T>(method: string, params: unknown[]): Promise<T> => {
      const res = await fetch(node.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
      const body = (await res.json()) as { result: T; error?: { message: string } };
      if (body.error) throw new Error(`${method}: ${body.error.message}`);
      return body.result;
    };
    const head = Number.parseInt(await post<string>("eth_blockNumber", []), 16);
    const genesis = await post<{ timestamp: string }>("eth_getBlockByNumber", ["0x0", false]);
    type RawLog = { address: string; topics: string[]; data: string; blockNumber: string; transactionIndex: string };
    const raw = await post<RawLog[]>("eth_getLogs", [{ fromBlock: "0x0", toBlock: `0x${head.toString(16)}` }]);
    const preambleBlocks = head - TEMPLATE_UNITS + 1;
    const toLog = (l: RawLog): TemplateLog => ({ tx: Number.parseInt(l.transactionIndex, 16), address: l.address.toLowerCase(), topics: l.topics, data: l.data });
    const template: Template = {
      chainId: generated.deployments.chainId,
      deployments: { ...generated.deployments, deployedAt: "2026-11-28T00:00:00.000Z" },
      genesisTime: Number.parseInt(genesis.timestamp, 16),
      preambleBlocks,
      preamble: raw.filter((l) => Number.parseInt(l.blockNumber, 16) < preambleBlocks).map((l) => ({ ...toLog(l), block: Number.parseInt(l.blockNumber, 16) })),
      units: Array.from({ length: TEMPLATE_UNITS }, (_, k) => raw.filter((l) => Number.parseInt(l.blockNumber, 16) === preambleBlocks + k).map(toLog)),
    };
    for (const [k, u] of template.units.entries()) if (u.length < UNIT) throw new Error(`template unit ${k} has only ${u.length} logs`);
    writeFileSync(file, gzipSync(JSON.stringify(template), { level: 9 }));
    log(`recorded ${raw.length} logs (${template.preamble.length} in ${preambleBlocks} deployment blocks) into ${path.relative(process.cwd(), file)}`);
    return template;
  } finally {
    await node.stop();
  }
}

export function loadTemplate(file = TEMPLATE_FILE): Template {
  return JSON.parse(gunzipSync(readFileSync(file)).toString("utf8")) as Template;
}

// ------------------------------------------------------------------ the generated chain

const w64 = (n: bigint | number): string => n.toString(16).padStart(64, "0");
const addrWord = (a: string): string => a.slice(2).toLowerCase().padStart(64, "0");

/** A patch of one 32-byte word: set by the unit, from the template's value. */
type Op = { kind: "patent"; serial: number } | { kind: "recipient"; serial: number } | { kind: "counter"; counter: Counter; value: number };

interface CompiledLog {
  tx: number;
  address: string;
  topics: string[];
  /** Template words of data (no 0x). */
  words: string[];
  topicOps: [number, Op][];
  wordOps: [number, Op][];
}

export interface FixtureHeader {
  number: number;
  hash: string;
  parentHash: string;
  timestamp: number;
}

/** A log as the gateway's RPC client reads it, with the transaction index a node also answers. */
export type FixtureLog = Omit<RpcLog, "removed"> & { transactionIndex: number };

const sha = (text: string): string => createHash("sha256").update(text).digest("hex");

export class FixtureChain {
  readonly template: Template;
  readonly patents: number;
  readonly units: number;
  readonly unitsPerBlock: number;
  readonly head: number;
  readonly deployments: Deployments;
  private readonly compiled: CompiledLog[][];
  /** Per counter, how many values one unit uses and the template unit 0's first. */
  private readonly perUnit = new Map<Counter, number>();

  constructor(opts: { patents: number; unitsPerBlock?: number; template?: Template }) {
    if (opts.patents % UNIT !== 0) throw new Error(`the fixture holds whole units: patents must be a multiple of ${UNIT}`);
    this.template = opts.template ?? loadTemplate();
    this.patents = opts.patents;
    this.units = opts.patents / UNIT;
    this.unitsPerBlock = opts.unitsPerBlock ?? 1;
    this.head = this.template.preambleBlocks + Math.ceil(this.units / this.unitsPerBlock) - 1;
    this.deployments = this.template.deployments;
    this.compiled = this.compile();
  }

  private compile(): CompiledLog[][] {
    const t = this.template;
    const patentWords = new Map<string, number>();
    const recipientWords = new Map<string, number>();
    for (let s = 0; s < TEMPLATE_UNITS * UNIT; s++) patentWords.set(w64(patentNumber(s)), s);
    for (let s = 0; s <= TEMPLATE_UNITS * UNIT; s++) recipientWords.set(addrWord(recipient(s)), s);
    // topic0 -> positions of counters among the topics
    const counterTopics = new Map<string, [number, Counter][]>();
    for (const abi of Object.values(DEFAULT_ABIS)) {
      new Interface(abi as InterfaceAbi).forEachEvent((e) => {
        const at: [number, Counter][] = [];
        e.inputs.filter((i) => i.indexed).forEach((i, n) => {
          if ((COUNTERS as readonly string[]).includes(i.name)) at.push([n + 1, i.name as Counter]);
        });
        if (at.length > 0) counterTopics.set(e.topicHash, at);
      });
    }
    const classify = (word: string): Op | undefined => {
      const p = patentWords.get(word);
      if (p !== undefined) return { kind: "patent", serial: p };
      const r = recipientWords.get(word);
      if (r !== undefined) return { kind: "recipient", serial: r };
      return undefined;
    };
    const ranges = new Map<Counter, { min: number; max: number }[]>();
    const units = t.units.map((logs, k) =>
      logs.map((l): CompiledLog => {
        const counters = new Map(counterTopics.get(l.topics[0]!) ?? []);
        const topicOps: [number, Op][] = [];
        l.topics.forEach((topic, i) => {
          const c = counters.get(i);
          if (c) {
            const value = Number.parseInt(topic, 16);
            topicOps.push([i, { kind: "counter", counter: c, value }]);
            const rs = ranges.get(c) ?? [];
            const r = (rs[k] ??= { min: value, max: value });
            r.min = Math.min(r.min, value);
            r.max = Math.max(r.max, value);
            ranges.set(c, rs);
            return;
          }
          const op = i > 0 ? classify(topic.slice(2)) : undefined;
          if (op) topicOps.push([i, op]);
        });
        const words: string[] = [];
        for (let i = 2; i < l.data.length; i += 64) words.push(l.data.slice(i, i + 64));
        const wordOps: [number, Op][] = [];
        words.forEach((wd, i) => {
          const op = classify(wd);
          if (op) wordOps.push([i, op]);
        });
        return { tx: l.tx, address: l.address, topics: l.topics, words, topicOps, wordOps };
      }),
    );
    // Each counter must advance by the same count in every template unit, the units following each other.
    for (const [c, rs] of ranges) {
      const n = rs[0]!.max - rs[0]!.min + 1;
      rs.forEach((r, k) => {
        if (r.max - r.min + 1 !== n || r.min !== rs[0]!.min + k * n) throw new Error(`template counter ${c} is not regular in unit ${k}`);
      });
      this.perUnit.set(c, n);
    }
    return units;
  }

  blockHash(n: number): string {
    return `0x${n.toString(16).padStart(16, "0")}${sha(`tianfu scale fixture block ${n}`).slice(0, 48)}`;
  }

  /** The block number a hash names, or undefined when it is not one of this chain's. */
  numberOfHash(hash: string): number | undefined {
    const n = Number.parseInt(hash.slice(2, 18), 16);
    return Number.isSafeInteger(n) && n >= 0 && n <= this.head && this.blockHash(n) === hash.toLowerCase() ? n : undefined;
  }

  header(n: number): FixtureHeader | undefined {
    if (n < 0 || n > this.head) return undefined;
    return { number: n, hash: this.blockHash(n), parentHash: n === 0 ? `0x${"0".repeat(64)}` : this.blockHash(n - 1), timestamp: this.template.genesisTime + 2 * n };
  }

  /** Every log of block n, in order. */
  logs(n: number): FixtureLog[] {
    if (n < 0 || n > this.head) return [];
    const blockHash = this.blockHash(n);
    const txHash = (tx: number) => `0x${sha(`tianfu scale fixture tx ${n} ${tx}`)}`;
    const out: FixtureLog[] = [];
    if (n < this.template.preambleBlocks) {
      for (const l of this.template.preamble) {
        if (l.block !== n) continue;
        out.push({ address: l.address, topics: l.topics, data: l.data, blockNumber: n, blockHash, transactionHash: txHash(l.tx), transactionIndex: l.tx, logIndex: out.length });
      }
      return out;
    }
    const first = (n - this.template.preambleBlocks) * this.unitsPerBlock;
    let txBase = 0;
    for (let u = first; u < Math.min(this.units, first + this.unitsPerBlock); u++) {
      const k = u % TEMPLATE_UNITS;
      const shift = (u - k) * UNIT;
      const unitShift = u - k;
      const value = (op: Op): string => {
        switch (op.kind) {
          case "patent":
            return w64(patentNumber(op.serial + shift));
          case "recipient":
            return addrWord(recipient(op.serial + shift));
          case "counter":
            return w64(op.value + unitShift * this.perUnit.get(op.counter)!);
        }
      };
      const hashes = new Map<number, string>();
      let txs = 0;
      for (const l of this.compiled[k]!) {
        let topics = l.topics;
        if (l.topicOps.length > 0) {
          topics = [...l.topics];
          for (const [i, op] of l.topicOps) topics[i] = `0x${value(op)}`;
        }
        let words = l.words;
        if (l.wordOps.length > 0) {
          words = [...l.words];
          for (const [i, op] of l.wordOps) words[i] = value(op);
        }
        const tx = txBase + l.tx;
        txs = Math.max(txs, l.tx + 1);
        let th = hashes.get(tx);
        if (th === undefined) hashes.set(tx, (th = txHash(tx)));
        out.push({ address: l.address, topics, data: `0x${words.join("")}`, blockNumber: n, blockHash, transactionHash: th, transactionIndex: tx, logIndex: out.length });
      }
      txBase += txs;
    }
    return out;
  }

  /** Patents, logs and blocks the fixture holds. */
  summary(): { patents: number; blocks: number; head: number; logs: number } {
    let logs = this.template.preamble.length;
    for (let u = 0; u < this.units; u++) logs += this.template.units[u % TEMPLATE_UNITS]!.length;
    return { patents: this.patents, blocks: this.head + 1, head: this.head, logs };
  }
}

if (require.main === module && process.argv[2] === "record") {
  recordTemplate().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
