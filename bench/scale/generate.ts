/**
 * The scale bench's chain: deploys the ledger on Anvil and fills it with N patents and about ten events
 * per patent through BenchForwarder (bench/scale/BenchForwarder.sol), which runs hundreds of ledger
 * calls in one transaction. Each unit of 200 patents is three transactions:
 *   A (its holder's forwarder): registerBatch of the 200, three inventory updates and two market
 *     evaluations of each, transfers of 30% (agreeTransfer + registerTransfer to one of 997 addresses), non-exclusive
 *     licences of 20% (Licensing.grant), pledge proposals of 5% (Pledges.proposePledge to the bank);
 *   B (the bank's forwarder): consent to those pledges;
 *   C (the holder's forwarder): registerPledge, then legal status changes of 40% (under invalidation,
 *     back to valid, invalidated, lapsed).
 * Anvil runs with --no-mining; the generator sends a group of units' transactions in one JSON-RPC batch
 * (eth_sendTransaction from an unlocked account: nothing is signed in JavaScript) and mines them with
 * evm_mine into one block, preparing the next group while the node executes the last.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { ethers, JsonRpcProvider, type Interface } from "ethers";
import { demoWallet } from "../../server/chain/accounts";
import { dayOf, makeCnipaNumber, parseCnipaNumber } from "../../server/chain/cnipa";
import type { Deployments } from "../../server/chain/deployments";
import { LegalStatus, Roles } from "../../server/chain/roles";
import { waitForRpc } from "../../scripts/anvil";
import { contractAddresses, deployLedger } from "../../scripts/deploy";
import { freePort } from "../../scripts/http-load";
import { call, registerBatchCall, runCall, word, type RegistrationWords } from "./calldata";
import { Licensing__factory } from "../../typechain-types/factories/contracts/licensing/Licensing__factory";
import { Pledges__factory } from "../../typechain-types/factories/contracts/financing/Pledges__factory";
import { PatentRegistry__factory } from "../../typechain-types/factories/contracts/registry/PatentRegistry__factory";

const ROOT = path.join(__dirname, "../..");
export const UNIT = 200; // PatentRegistry.MAX_BATCH
const HOLDERS = 4;
const RECIPIENTS = 997;
const TX_GAS = 200_000_000n;
const BLOCK_GAS = 10_000_000_000n;

// ------------------------------------------------------------------ Anvil

export interface AnvilNode {
  url: string;
  /** SIGINT: Anvil writes its --dump-state file, then exits. */
  stop(): Promise<void>;
  pid: number;
}

/**
 * Anvil with a 10 G block gas limit, no per-transaction cap (EIP-7825 is off unless asked for) and no
 * historical states in memory (--prune-history: getLogs and headers need none). `load` starts from a
 * state file written by `dump` (blocks, receipts and logs included).
 */
export async function startAnvil(opts: { load?: string; dump?: string }): Promise<AnvilNode> {
  const port = await freePort();
  const args = ["--port", String(port), "--accounts", "20", "--silent", "--gas-limit", String(BLOCK_GAS), "--prune-history"];
  if (opts.load) args.push("--load-state", opts.load);
  if (opts.dump) args.push("--dump-state", opts.dump);
  const child = spawn(path.join(ROOT, "node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"), args, { stdio: ["ignore", "ignore", "inherit"] });
  const url = `http://127.0.0.1:${port}`;
  // Loading a million patents' state takes minutes.
  await waitForRpc(url, 1_800_000, new Promise((resolve) => child.once("exit", resolve)));
  return {
    url,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGINT");
      }),
  };
}

// ------------------------------------------------------------------ raw JSON-RPC

let rpcId = 0;
type Reply<T> = { id: number; result?: T; error?: { message: string; data?: unknown } };

async function rpcBatch<T>(url: string, calls: { method: string; params: unknown[] }[]): Promise<T[]> {
  const body = calls.map((c) => ({ jsonrpc: "2.0", id: ++rpcId, method: c.method, params: c.params }));
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const reply = (await res.json()) as Reply<T>[] | Reply<T>;
  if (!Array.isArray(reply)) throw new Error(`${calls[0]?.method}: ${reply.error?.message ?? JSON.stringify(reply).slice(0, 300)}`);
  const replies = reply;
  const byId = new Map(replies.map((r) => [r.id, r]));
  return body.map((b) => {
    const r = byId.get(b.id);
    if (!r || r.error) throw new Error(`${b.method}: ${r?.error ? `${r.error.message} ${JSON.stringify(r.error.data ?? "")}` : "no reply"}`);
    return r.result as T;
  });
}

const rpc = async <T>(url: string, method: string, params: unknown[] = []): Promise<T> => (await rpcBatch<T>(url, [{ method, params }]))[0]!;

// ------------------------------------------------------------------ the forwarder

interface Compiled {
  abi: ethers.InterfaceAbi;
  bytecode: string;
}

interface SolcOutput {
  errors?: { severity: string; formattedMessage: string }[];
  contracts: Record<string, Record<string, { abi: ethers.InterfaceAbi; evm: { bytecode: { object: string } } }>>;
}

/** Compiles BenchForwarder.sol with the npm solc the project pins (offline). */
export function compileForwarder(): Compiled {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solc = require("solc") as { compile(input: string): string };
  const source = readFileSync(path.join(__dirname, "BenchForwarder.sol"), "utf8");
  const input = {
    language: "Solidity",
    sources: { "BenchForwarder.sol": { content: source } },
    settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: "cancun", outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } } },
  };
  const out = JSON.parse(solc.compile(JSON.stringify(input))) as SolcOutput;
  const problems = (out.errors ?? []).filter((e) => e.severity === "error" || e.severity === "warning");
  if (problems.length > 0) throw new Error(problems.map((e) => e.formattedMessage).join("\n"));
  const c = out.contracts["BenchForwarder.sol"]!.BenchForwarder!;
  return { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` };
}

// ------------------------------------------------------------------ the data

const IPC = ["H01M 10/0525", "G06F 16/27", "A61K 36/185", "C12G 3/02", "B25J 9/16", "H01L 21/02", "C22C 14/00", "G06N 3/08", "F16H 1/28", "E04B 1/98"];
const WORDS = ["锂电池", "分布式数据库", "川芎提取物", "浓香型白酒", "工业机器人", "晶圆清洗", "钛合金", "深度学习", "行星齿轮", "抗震支架"];

/** Patent `serial` of the run (0-based): a unique invention number filed 2012-2019. */
export function patentNumber(serial: number): bigint {
  const year = 2012 + (serial % 8);
  return BigInt(parseCnipaNumber(makeCnipaNumber(year, 1, Math.floor(serial / 8) + 1)).number);
}

function registration(holder: string, serial: number): RegistrationWords {
  const year = 2012 + (serial % 8);
  const cited = parseCnipaNumber(makeCnipaNumber(year, 1, Math.floor(serial / 8) + 1));
  return {
    number: cited.number,
    holder,
    facts: { checkDigit: cited.checkDigit, kind: 0, filingDay: dayOf(`${year}-03-15`), grantDay: dayOf(`${year + 2}-06-30`), dossierHash: hash32(cited.digits) },
    title: `一种${WORDS[serial % WORDS.length]}的制备方法 ${serial}`,
    ipc: serial % 3 === 0 ? [IPC[serial % IPC.length]!, IPC[(serial + 3) % IPC.length]!] : [IPC[serial % IPC.length]!],
    inventory: { readiness: 1 + (serial % 9), willing: serial % 4 !== 3, modes: 1 + (serial % 7), selfScore: 60 + (serial % 40), unitScore: 70, scenarioTags: serial % 32 },
  };
}

/** The transfer recipients: 997 plain addresses. */
export function recipient(serial: number): string {
  return ethers.getAddress(`0x${(0x5ca1e000 + (serial % RECIPIENTS)).toString(16).padStart(40, "0")}`);
}

/** What the generator does with patent `serial` beyond registering it (disjoint classes by serial % 10 and % 20). */
export function roleOf(serial: number): "transfer" | "licence" | "pledge" | "status" | "none" {
  const r = serial % 10;
  if (r <= 2) return "transfer";
  if (r <= 4) return "licence";
  if (r === 5) return serial % 20 === 5 ? "pledge" : "none";
  return "status";
}

/** Today in China Standard Time, as the contracts count it. */
const today = (): number => Math.floor((Date.now() / 1000 + 8 * 3600) / 86400);

interface Ifaces {
  registry: Interface;
  licensing: Interface;
  pledges: Interface;
  forwarder: Interface;
}

interface Addresses {
  registry: string;
  licensing: string;
  pledges: string;
  holders: string[];
  bank: string;
}

interface Counters {
  transfers: number;
  pledges: number;
}

/** A fast, arbitrary 32-byte value (contract and report hashes are opaque to the ledger). */
const hash32 = (text: string): string => `0x${createHash("sha256").update(text).digest("hex")}`;

interface Call {
  target: string;
  /** Fast encoding (bench/scale/calldata.ts). */
  data: string;
  /** The same call for ethers to encode; the first unit compares both. */
  check: [Interface, string, unknown[]];
}

/** The calls of each kind, encoded by hand; `check` carries what ethers would encode. */
function encoders(f: Ifaces, a: Addresses) {
  const sel = (i: Interface, name: string) => i.getFunction(name)!.selector.slice(2);
  const s = {
    updateInventory: sel(f.registry, "updateInventory"),
    recordMarketEvaluation: sel(f.registry, "recordMarketEvaluation"),
    agreeTransfer: sel(f.registry, "agreeTransfer"),
    registerTransfer: sel(f.registry, "registerTransfer"),
    setLegalStatus: sel(f.registry, "setLegalStatus"),
    grant: sel(f.licensing, "grant"),
    consentPledge: sel(f.pledges, "consentPledge"),
    registerPledge: sel(f.pledges, "registerPledge"),
    run: sel(f.forwarder, "run"),
    registerBatch: sel(f.registry, "registerBatch"),
  };
  return {
    updateInventory(id: bigint, inv: { readiness: number; willing: boolean; modes: number; selfScore: number; unitScore: number; scenarioTags: number }): Call {
      const data = call(s.updateInventory, [word(id), word(inv.readiness), word(inv.willing), word(inv.modes), word(inv.selfScore), word(inv.unitScore), word(inv.scenarioTags)]);
      return { target: a.registry, data, check: [f.registry, "updateInventory", [id, inv]] };
    },
    recordMarketEvaluation(id: bigint, x: number, y: number, z: number, report: string): Call {
      return { target: a.registry, data: call(s.recordMarketEvaluation, [word(id), word(x), word(y), word(z), word(report)]), check: [f.registry, "recordMarketEvaluation", [id, x, y, z, report]] };
    },
    agreeTransfer(id: bigint, to: string, contractHash: string): Call {
      return { target: a.registry, data: call(s.agreeTransfer, [word(id), word(to), word(contractHash)]), check: [f.registry, "agreeTransfer", [id, to, contractHash]] };
    },
    registerTransfer(transferId: number, ref: string, day: number): Call {
      return { target: a.registry, data: call(s.registerTransfer, [word(transferId), { text: ref }, word(day)]), check: [f.registry, "registerTransfer", [transferId, ref, day]] };
    },
    setLegalStatus(id: bigint, status: number, reason: string): Call {
      return { target: a.registry, data: call(s.setLegalStatus, [word(id), word(status), { text: reason }]), check: [f.registry, "setLegalStatus", [id, status, reason]] };
    },
    grant(id: bigint, licensee: string, fields: bigint, startDay: number, endDay: number, contractHash: string): Call {
      const terms = {
        licensee,
        kind: 2, // NonExclusive
        sublicensable: false,
        scope: { fields, territories: 1n, startDay, endDay },
        fee: { method: 0, trigger: 0, royaltyBps: 0, triggerDay: 0, amount: 0n }, // a lump sum of nothing: no token
        token: ethers.ZeroAddress,
        contractHash,
      };
      const words = [id, licensee, 2, false, fields, 1n, startDay, endDay, 0, 0, 0, 0, 0n, ethers.ZeroAddress, contractHash].map((v) => word(v));
      return { target: a.licensing, data: call(s.grant, words), check: [f.licensing, "grant", [id, terms]] };
    },
    registerBatch(records: RegistrationWords[]): Call {
      return { target: a.registry, data: registerBatchCall(s.registerBatch, records), check: [f.registry, "registerBatch", [records]] };
    },
    consentPledge(pledgeId: number): Call {
      return { target: a.pledges, data: call(s.consentPledge, [word(pledgeId)]), check: [f.pledges, "consentPledge", [pledgeId]] };
    },
    registerPledge(pledgeId: number, ref: string, day: number): Call {
      return { target: a.pledges, data: call(s.registerPledge, [word(pledgeId), { text: ref }, word(day)]), check: [f.pledges, "registerPledge", [pledgeId, ref, day]] };
    },
    ethers(target: string, i: Interface, name: string, args: unknown[]): Call {
      return { target, data: i.encodeFunctionData(name, args), check: [i, name, args] };
    },
    run(calls: Call[], verify: boolean): string {
      if (verify) {
        for (const c of calls) {
          const [i, name, args] = c.check;
          if (i.encodeFunctionData(name, args) !== c.data) throw new Error(`bench/scale/calldata.ts encodes ${name} differently from ethers`);
        }
      }
      const data = runCall(s.run, calls.map((c) => c.target), calls.map((c) => c.data));
      if (verify && f.forwarder.encodeFunctionData("run", [calls.map((c) => c.target), calls.map((c) => c.data)]) !== data) {
        throw new Error("bench/scale/calldata.ts encodes run differently from ethers");
      }
      return data;
    },
  };
}

type Encoders = ReturnType<typeof encoders>;

interface UnitTxs {
  /** [forwarder, calldata of run] in order. */
  txs: [string, string][];
  calls: number;
}

function unitTransactions(b: number, patents: number, f: Ifaces, e: Encoders, a: Addresses, n: Counters): UnitTxs {
  const holder = a.holders[b % HOLDERS]!;
  const from = b * UNIT;
  const to = Math.min(patents, from + UNIT);
  const day = today();
  const A: Call[] = [];
  const B: Call[] = [];
  const C: Call[] = [];
  const records = [];
  for (let s = from; s < to; s++) records.push(registration(holder, s));
  A.push(e.registerBatch(records));
  const pledgeIds: number[] = [];
  for (let s = from; s < to; s++) {
    const id = patentNumber(s);
    for (let k = 1; k <= 3; k++) {
      const inv = { readiness: 1 + ((s + k) % 9), willing: (s + k) % 4 !== 3, modes: 1 + ((s + k) % 7), selfScore: 60 + ((s + k) % 40), unitScore: 70 + k, scenarioTags: (s + k) % 32 };
      A.push(e.updateInventory(id, inv));
    }
    for (let k = 0; k < 2; k++) A.push(e.recordMarketEvaluation(id, 1 + ((s + k) % 5), 1 + ((s >> 1) % 5), 1 + ((s >> 2) % 5), hash32(`evaluation ${s} ${k}`)));
    switch (roleOf(s)) {
      case "transfer":
        A.push(e.agreeTransfer(id, recipient(s), hash32(`transfer ${s}`)));
        A.push(e.registerTransfer(++n.transfers, `ZL-TR-${s}`, day));
        break;
      case "licence":
        A.push(e.grant(id, recipient(s + 1), 1n << BigInt(s % 8), day, day + 365 + (s % 700), hash32(`licence ${s}`)));
        break;
      case "pledge":
        A.push(
          e.ethers(a.pledges, f.pledges, "proposePledge", [
            { pledgee: a.bank, securedAmount: 100_000_000n + BigInt(s), currency: "0x434e59", termEndDay: day + 730, contractHash: hash32(`pledge ${s}`), loanReference: `CDB-${s}` },
            [{ patentId: id, pledgor: holder }],
          ]),
        );
        pledgeIds.push(++n.pledges);
        break;
      case "status": {
        const r = s % 10;
        if (r === 6) C.push(e.setLegalStatus(id, LegalStatus.UnderInvalidation, "无效宣告请求受理"));
        if (r === 7) {
          C.push(e.setLegalStatus(id, LegalStatus.UnderInvalidation, "无效宣告请求受理"));
          C.push(e.setLegalStatus(id, LegalStatus.Valid, "维持专利权有效"));
        }
        if (r === 8) C.push(e.setLegalStatus(id, LegalStatus.Invalidated, "宣告专利权全部无效"));
        if (r === 9) C.push(e.setLegalStatus(id, LegalStatus.Lapsed, "未缴年费专利权终止"));
        break;
      }
      case "none":
        break;
    }
  }
  for (const pid of pledgeIds) B.push(e.consentPledge(pid));
  C.unshift(...pledgeIds.map((pid) => e.registerPledge(pid, `ZL-PL-${pid}`, day)));
  const verify = b === 0;
  const txs: [string, string][] = [[holder, e.run(A, verify)]];
  if (B.length > 0) txs.push([a.bank, e.run(B, verify)]);
  if (C.length > 0) txs.push([holder, e.run(C, verify)]);
  return { txs, calls: A.length + B.length + C.length };
}

// ------------------------------------------------------------------ generation

export interface Generated {
  patents: number;
  deployments: Deployments;
  transactions: number;
  calls: number;
  blocks: number;
  seconds: number;
  /** Units of 200 patents per block. */
  unitsPerBlock: number;
}

/**
 * Deploys the ledger and the forwarders on a fresh Anvil and fills it. `log` receives progress lines.
 */
export async function generate(url: string, patents: number, unitsPerBlock: number, log: (line: string) => void): Promise<Generated> {
  const started = performance.now();
  const provider = new JsonRpcProvider(url, undefined, { staticNetwork: true, pollingInterval: 50, cacheTimeout: -1 });
  const admin = demoWallet("admin").connect(provider);
  const operator = demoWallet("registrar").connect(provider);
  const startBlock = await provider.getBlockNumber();
  const ledger = await deployLedger(admin, { registrars: [], venues: [], banks: [], appraisers: [], evaluators: [] });
  const compiled = compileForwarder();
  const factory = new ethers.ContractFactory(compiled.abi, compiled.bytecode, operator);
  const forwarders: string[] = [];
  for (let i = 0; i <= HOLDERS; i++) {
    const c = await factory.deploy();
    await c.waitForDeployment();
    forwarders.push(await c.getAddress());
  }
  const holders = forwarders.slice(0, HOLDERS);
  const bank = forwarders[HOLDERS]!;
  for (const h of holders) {
    for (const role of [Roles.REGISTRAR, Roles.EVALUATOR, Roles.MODULE]) await (await ledger.accessManager.grantRole(role, h, 0)).wait();
  }
  await (await ledger.accessManager.grantRole(Roles.BANK, bank, 0)).wait();
  const contracts = await contractAddresses(ledger);
  const deployments: Deployments = {
    chainId: Number((await provider.getNetwork()).chainId),
    deploymentBlock: startBlock + 1,
    deployedAt: new Date().toISOString(),
    contracts,
  };
  const a: Addresses = { registry: contracts.PatentRegistry!, licensing: contracts.Licensing!, pledges: contracts.Pledges!, holders, bank };
  const f: Ifaces = {
    registry: PatentRegistry__factory.createInterface(),
    licensing: Licensing__factory.createInterface(),
    pledges: Pledges__factory.createInterface(),
    forwarder: new ethers.Interface(compiled.abi),
  };
  const e = encoders(f, a);
  const from = operator.address;
  let nonce = await provider.getTransactionCount(from);
  await rpc(url, "evm_setAutomine", [false]);
  const deployedSeconds = (performance.now() - started) / 1000;
  log(`deployed the ledger and ${forwarders.length} forwarders in ${deployedSeconds.toFixed(1)} s`);

  const counters: Counters = { transfers: 0, pledges: 0 };
  const units = Math.ceil(patents / UNIT);
  let transactions = 0;
  let calls = 0;
  let blocks = 0;
  let inFlight: Promise<void> | undefined;
  let buildMs = 0;
  let waitMs = 0;
  let lastLog = performance.now();
  for (let b = 0; b < units; b += unitsPerBlock) {
    const group: { method: string; params: unknown[] }[] = [];
    for (let u = b; u < Math.min(units, b + unitsPerBlock); u++) {
      const t0 = performance.now();
      const unit = unitTransactions(u, patents, f, e, a, counters);
      buildMs += performance.now() - t0;
      calls += unit.calls;
      for (const [to, data] of unit.txs) {
        group.push({ method: "eth_sendTransaction", params: [{ from, to, data, gas: `0x${TX_GAS.toString(16)}`, nonce: `0x${(nonce++).toString(16)}` }] });
      }
      await new Promise((r) => setImmediate(r)); // let the request in flight go out while the next group is built
    }
    const t1 = performance.now();
    await inFlight;
    waitMs += performance.now() - t1;
    transactions += group.length;
    blocks += 1;
    // One HTTP request per transaction (a unit's calldata is a few hundred kB; Anvil refuses larger
    // batches as an invalid request), in nonce order, then one evm_mine for the block.
    inFlight = (async () => {
      for (const tx of group) await rpcBatch(url, [tx]);
      await rpc(url, "evm_mine", []);
    })();
    if (performance.now() - lastLog > 10_000) {
      lastLog = performance.now();
      log(`${Math.min(patents, (b + unitsPerBlock) * UNIT).toLocaleString("en-US")} of ${patents.toLocaleString("en-US")} patents, ${calls.toLocaleString("en-US")} calls, ${((performance.now() - started) / 1000).toFixed(0)} s (building calls ${(buildMs / 1000).toFixed(0)} s, waiting for the node ${(waitMs / 1000).toFixed(0)} s)`);
    }
  }
  await inFlight;
  // Every run that did not revert counted itself: a failed transaction shows here, not in millions of receipts.
  const forwarder = new ethers.Contract(holders[0]!, compiled.abi, provider);
  let runs = 0n;
  for (const addr of forwarders) runs += (await (forwarder.attach(addr) as ethers.Contract).getFunction("runs")()) as bigint;
  if (runs !== BigInt(transactions)) {
    throw new Error(`${transactions - Number(runs)} of ${transactions} forwarder transactions reverted (replay one with cast run to see why)`);
  }
  provider.destroy();
  return { patents, deployments, transactions, calls, blocks, seconds: (performance.now() - started) / 1000, unitsPerBlock };
}

/** The events the generator's calls emit for `patents` patents, by "Contract.Event" (deployment events aside). */
export function plannedEvents(patents: number): Record<string, number> {
  const n: Record<string, number> = {};
  const add = (name: string, k = 1) => (n[name] = (n[name] ?? 0) + k);
  add("PatentRegistry.RecordsCommitted", Math.ceil(patents / UNIT));
  for (let s = 0; s < patents; s++) {
    add("PatentRegistry.PatentRegistered");
    add("PatentRegistry.Transfer"); // the mint
    add("PatentRegistry.InventoryUpdated", 3);
    add("PatentRegistry.MarketEvaluated", 2);
    switch (roleOf(s)) {
      case "transfer":
        for (const e of ["TransferProposed", "PatentLocked", "TransferAgreed", "PatentUnlocked", "Transfer", "TransferRegistered"]) add(`PatentRegistry.${e}`);
        break;
      case "licence":
        add("Licensing.LicenceGranted");
        break;
      case "pledge":
        for (const e of ["PledgeProposed", "PatentPledged", "PledgeAgreed", "PledgeRegistered"]) add(`Pledges.${e}`);
        add("Pledges.PledgeConsented", 2); // the pledgor on proposing, the bank
        add("PatentRegistry.PatentLocked");
        break;
      case "status":
        add("PatentRegistry.LegalStatusChanged", s % 10 === 7 ? 2 : 1);
        break;
      case "none":
        break;
    }
  }
  return n;
}
