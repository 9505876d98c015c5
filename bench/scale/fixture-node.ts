/**
 * A JSON-RPC node over the scale fixture (bench/scale/fixture.ts): node:http, answers built as strings,
 * no ethers on the request path. It serves what the gateway's indexer asks of a node (server/rpc/client.ts):
 * eth_chainId, net_version, eth_blockNumber, eth_getBlockByNumber, eth_getBlockByHash, eth_getLogs
 * (block range or blockHash, address and topics filters), single or batched. Anything else, eth_getProof
 * (certificates) included, is answered with "method not found": the fixture replaces a chain's history,
 * not its state.
 *
 * As a process: `tsx bench/scale/fixture-node.ts --patents N [--units-per-block U] [--port P]`; it prints
 * `listening <url>` on stdout once it answers.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { FixtureChain, type FixtureHeader, type FixtureLog } from "./fixture";

type Quantity = string | number | undefined;

interface LogFilter {
  fromBlock?: Quantity;
  toBlock?: Quantity;
  blockHash?: string;
  address?: string | string[];
  topics?: (string | string[] | null)[];
}

class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** At most this many blocks per eth_getLogs, like a public node's limit. */
const MAX_LOG_RANGE = 10_000;
const ZERO32 = `0x${"0".repeat(64)}`;

function headerJson(h: FixtureHeader): string {
  const q = (n: number) => `"0x${n.toString(16)}"`;
  return (
    `{"number":${q(h.number)},"hash":"${h.hash}","parentHash":"${h.parentHash}","timestamp":${q(h.timestamp)},` +
    `"nonce":"0x0000000000000000","gasLimit":"0x2540be400","gasUsed":"0x0","baseFeePerGas":"0x0","miner":"0x${"0".repeat(40)}",` +
    `"logsBloom":"0x${"0".repeat(512)}","difficulty":"0x0","totalDifficulty":"0x0","extraData":"0x","size":"0x200","mixHash":"${ZERO32}",` +
    `"sha3Uncles":"${ZERO32}","stateRoot":"${ZERO32}","transactionsRoot":"${ZERO32}","receiptsRoot":"${ZERO32}","transactions":[],"uncles":[]}`
  );
}

function logJson(l: FixtureLog): string {
  return (
    `{"address":"${l.address}","topics":["${l.topics.join('","')}"],"data":"${l.data}","blockNumber":"0x${l.blockNumber.toString(16)}",` +
    `"blockHash":"${l.blockHash}","transactionHash":"${l.transactionHash}","transactionIndex":"0x${l.transactionIndex.toString(16)}",` +
    `"logIndex":"0x${l.logIndex.toString(16)}","removed":false}`
  );
}

export function createFixtureHandler(chain: FixtureChain): (method: string, params: unknown[]) => string {
  const block = (q: Quantity, what: string): number => {
    if (q === undefined || q === "latest" || q === "safe" || q === "finalized" || q === "pending") return chain.head;
    if (q === "earliest") return 0;
    if (typeof q === "number") return q;
    if (typeof q === "string" && /^0x[0-9a-fA-F]+$/.test(q)) return Number.parseInt(q, 16);
    throw new RpcError(-32602, `invalid ${what}`);
  };
  const getLogs = (f: LogFilter): string => {
    let from: number;
    let to: number;
    if (f.blockHash !== undefined) {
      const n = chain.numberOfHash(f.blockHash);
      if (n === undefined) throw new RpcError(-32000, "unknown block");
      from = to = n;
    } else {
      from = block(f.fromBlock, "fromBlock");
      to = Math.min(block(f.toBlock, "toBlock"), chain.head);
    }
    if (to - from + 1 > MAX_LOG_RANGE) throw new RpcError(-32005, `block range too large (at most ${MAX_LOG_RANGE})`);
    const addresses = f.address === undefined ? undefined : new Set((Array.isArray(f.address) ? f.address : [f.address]).map((a) => a.toLowerCase()));
    const topics = (f.topics ?? []).map((t) => (t === null ? undefined : new Set((Array.isArray(t) ? t : [t]).map((x) => x.toLowerCase()))));
    const parts: string[] = [];
    for (let n = from; n <= to; n++) {
      for (const l of chain.logs(n)) {
        if (addresses && !addresses.has(l.address)) continue;
        if (topics.some((set, i) => set !== undefined && !set.has(l.topics[i] ?? ""))) continue;
        parts.push(logJson(l));
      }
    }
    return `[${parts.join(",")}]`;
  };
  return (method, params) => {
    switch (method) {
      case "eth_chainId":
        return `"0x${chain.template.chainId.toString(16)}"`;
      case "net_version":
        return `"${chain.template.chainId}"`;
      case "web3_clientVersion":
        return `"tianfu-scale-fixture/1"`;
      case "eth_syncing":
        return "false";
      case "eth_blockNumber":
        return `"0x${chain.head.toString(16)}"`;
      case "eth_getBlockByNumber": {
        const h = chain.header(block(params[0] as Quantity, "block"));
        return h ? headerJson(h) : "null";
      }
      case "eth_getBlockByHash": {
        const n = typeof params[0] === "string" ? chain.numberOfHash(params[0]) : undefined;
        return n === undefined ? "null" : headerJson(chain.header(n)!);
      }
      case "eth_getLogs":
        return getLogs((params[0] ?? {}) as LogFilter);
      default:
        throw new RpcError(-32601, `the method ${method} does not exist/is not available (scale fixture)`);
    }
  };
}

interface Request {
  id?: unknown;
  method?: unknown;
  params?: unknown;
}

export function createFixtureServer(chain: FixtureChain): Server {
  const handle = createFixtureHandler(chain);
  const answer = (r: Request): string => {
    const id = JSON.stringify(r.id ?? null);
    try {
      if (typeof r.method !== "string") throw new RpcError(-32600, "invalid request");
      return `{"jsonrpc":"2.0","id":${id},"result":${handle(r.method, Array.isArray(r.params) ? r.params : [])}}`;
    } catch (err) {
      const e = err instanceof RpcError ? err : new RpcError(-32603, err instanceof Error ? err.message : String(err));
      return `{"jsonrpc":"2.0","id":${id},"error":{"code":${e.code},"message":${JSON.stringify(e.message)}}}`;
    }
  };
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      let body: string;
      try {
        const parsed = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Request | Request[];
        body = Array.isArray(parsed) ? `[${parsed.map(answer).join(",")}]` : answer(parsed);
      } catch {
        body = `{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse error"}}`;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(body);
    });
  });
}

export async function listenFixture(chain: FixtureChain, port = 0): Promise<{ url: string; server: Server }> {
  const server = createFixtureServer(chain);
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function main(): Promise<void> {
  const arg = (name: string, fallback: number): number => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const chain = new FixtureChain({ patents: arg("--patents", 10_000), unitsPerBlock: arg("--units-per-block", 1) });
  const { url } = await listenFixture(chain, arg("--port", 0));
  process.stdout.write(`listening ${url}\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
