import { createHash } from "node:crypto";
import type { Deployments } from "../chain/deployments";
import { DEFAULT_ABIS, DEFAULT_HANDLERS } from "../indexer/handlers";
import { createLogDecoder } from "../indexer/abi";
import type { EventArgs, LedgerEvent } from "../indexer/types";
import type { RpcLog } from "../rpc/client";
import { canonicalJson, type Json } from "../store/codec";

/**
 * The licensing-history report's facts and digest, defined so that anyone can re-derive them from the chain:
 *
 * - the facts of a patent are the events of the Licensing and Royalties contracts about it, in chain order
 *   (block number, then log index): every event whose `patentId` is the patent, and SublicenceGranted of a
 *   licence whose LicenceGranted named it (RoyaltiesContractSet concerns no patent);
 * - a fact is `{ contract, event, args, block, logIndex, txHash }`, `args` the event's arguments by name as
 *   the gateway decodes them (integers of up to 48 bits as JSON numbers, wider ones as decimal strings,
 *   addresses and hashes in lower case, structs as objects by field name);
 * - the digest is `0x` + SHA-256 of the canonical JSON of the array of facts (object keys sorted, no
 *   whitespace), up to and including a given block.
 *
 * The gateway reads the facts off the patent's timeline; `tianfu audit licences <number> --rpc <node>`
 * fetches the logs from a node and computes the same digest (fetchLicenceFacts below).
 */

export const LICENCE_REPORT_CONTRACTS = ["Licensing", "Royalties"] as const;

export type LicenceFact = {
  contract: string;
  event: string;
  args: EventArgs;
  block: number;
  logIndex: number;
  txHash: string;
};

export const isLicenceFact = (entry: { contract: string; event: string }): boolean =>
  (LICENCE_REPORT_CONTRACTS as readonly string[]).includes(entry.contract) && entry.event !== "RoyaltiesContractSet";

/** SHA-256 over the canonical JSON of the facts, `0x`-prefixed. */
export function licenceReportDigest(facts: readonly LicenceFact[]): string {
  return `0x${createHash("sha256").update(canonicalJson(facts as unknown as Json), "utf8").digest("hex")}`;
}

/** The facts about `patentId` among decoded events of Licensing and Royalties (any order in, chain order out). */
export function selectLicenceFacts(events: readonly LedgerEvent[], patentId: string): LicenceFact[] {
  const sorted = [...events].sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
  const licences = new Set<string>();
  const out: LicenceFact[] = [];
  for (const e of sorted) {
    if (!isLicenceFact(e)) continue;
    const named = e.args.patentId;
    let about = named !== undefined && String(named) === patentId;
    if (about && e.event === "LicenceGranted") licences.add(String(e.args.licenceId));
    if (named === undefined && e.event === "SublicenceGranted") about = licences.has(String(e.args.licenceId));
    if (about) out.push({ contract: e.contract, event: e.event, args: e.args, block: e.blockNumber, logIndex: e.logIndex, txHash: e.txHash });
  }
  return out;
}

/** What fetchLicenceFacts needs from a node: `eth_getLogs` and `eth_blockNumber` through any JSON-RPC transport. */
export interface LogSource {
  send(method: string, params: unknown[]): Promise<unknown>;
}

type RawLog = { address: string; topics: string[]; data: string; blockNumber: string; blockHash: string; transactionHash: string; logIndex: string; removed?: boolean };

/** Blocks per eth_getLogs call (halved when a node refuses a range as too large). */
const RANGE = 5_000;

/**
 * Reads the Licensing and Royalties logs straight from a node between the deployment block and `toBlock`
 * (default: the node's latest block) and selects the facts about the patent.
 */
export async function fetchLicenceFacts(
  node: LogSource,
  deployments: Deployments,
  patentId: string,
  options: { toBlock?: number } = {},
): Promise<{ facts: LicenceFact[]; toBlock: number }> {
  const contracts = LICENCE_REPORT_CONTRACTS.map((name) => {
    const address = deployments.contracts[name];
    if (!address) throw new Error(`the deployments file names no ${name} contract`);
    return { name, address: address.toLowerCase(), abi: DEFAULT_ABIS[name]!, events: Object.keys(DEFAULT_HANDLERS[name]!) };
  });
  const decoder = createLogDecoder(contracts);
  const toBlock = options.toBlock ?? Number(BigInt(String(await node.send("eth_blockNumber", []))));
  const events: LedgerEvent[] = [];
  let range = RANGE;
  for (let from = Math.max(0, deployments.deploymentBlock); from <= toBlock; ) {
    const to = Math.min(toBlock, from + range - 1);
    let raw: RawLog[];
    try {
      raw = (await node.send("eth_getLogs", [{ fromBlock: `0x${from.toString(16)}`, toBlock: `0x${to.toString(16)}`, address: decoder.addresses }])) as RawLog[];
    } catch (err) {
      if (range > 1) {
        range = Math.max(1, Math.floor(range / 2));
        continue;
      }
      throw err;
    }
    for (const l of raw) {
      const log: RpcLog = {
        address: l.address.toLowerCase(),
        topics: l.topics,
        data: l.data,
        blockNumber: Number(BigInt(l.blockNumber)),
        blockHash: l.blockHash.toLowerCase(),
        transactionHash: l.transactionHash.toLowerCase(),
        logIndex: Number(BigInt(l.logIndex)),
        removed: l.removed ?? false,
      };
      const e = decoder.decode(log);
      if (e) events.push(e);
    }
    from = to + 1;
  }
  return { facts: selectLicenceFacts(events, patentId), toBlock };
}
