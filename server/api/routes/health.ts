import { z } from "zod";
import type { AppContext } from "../../context";
import type { ApiRouter } from "../endpoint";
import { ApiError } from "../errors";

const BlockPoint = z.object({ number: z.number().int(), hash: z.string() });

export const HealthSchema = z
  .object({
    chainId: z.number().int(),
    head: BlockPoint.describe("the node's latest block"),
    indexed: z
      .object({ number: z.number().int(), hash: z.string().nullable() })
      .nullable()
      .describe("the indexer's last applied block; null until the indexer runs"),
    lag: z.number().int().nullable().describe("head.number - indexed.number; null until the indexer runs"),
    deploymentBlock: z.number().int(),
    contracts: z.record(z.string(), z.string()).describe("contract addresses by Solidity contract name"),
    indexer: z
      .object({
        state: z.string(),
        reachable: z.boolean(),
        lastError: z.object({ name: z.string(), message: z.string() }).nullable(),
        halt: z.object({ code: z.string(), message: z.string() }).nullable(),
        reorgs: z.number().int(),
      })
      .optional()
      .describe("the follower's state, when the gateway runs an indexer"),
  })
  .meta({ id: "Health" });

/** Answer of `GET /v1/health`. */
export type HealthResponse = z.infer<typeof HealthSchema>;

/** How long the health check waits for the node before answering 503. */
const NODE_TIMEOUT_MS = 3000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** `GET /v1/health`: chain id, node head, indexed block, lag, contract addresses. */
export function registerHealth(api: ApiRouter, ctx: AppContext): void {
  api.get({
    path: "/health",
    operationId: "getHealth",
    summary: "Chain id, node head, indexed block, lag and contract addresses",
    response: HealthSchema,
    errors: { 503: ["CHAIN_UNAVAILABLE"] },
    indexed: "none",
    async handler() {
      let head: { number: number; hash: string };
      let chainId: number;
      try {
        const [network, block] = await withTimeout(
          Promise.all([ctx.provider.getNetwork(), ctx.provider.getBlock("latest")]),
          NODE_TIMEOUT_MS,
        );
        if (!block?.hash) throw new Error("the node returned no latest block");
        head = { number: block.number, hash: block.hash };
        chainId = Number(network.chainId);
      } catch (err) {
        throw new ApiError(503, "CHAIN_UNAVAILABLE", "the chain node does not answer", {
          reason: err instanceof Error ? err.message.split("\n")[0] : String(err),
        });
      }
      const status = ctx.index?.indexer.status();
      const indexed = status?.indexed ? { number: status.indexed.number, hash: status.indexed.hash } : null;
      const body: HealthResponse = {
        chainId,
        head,
        indexed,
        lag: indexed ? Math.max(0, head.number - indexed.number) : null,
        ...(status && {
          indexer: {
            state: status.state,
            reachable: status.reachable,
            lastError: status.lastError,
            halt: status.halt,
            reorgs: status.reorgs,
          },
        }),
        deploymentBlock: ctx.deployments.deploymentBlock,
        contracts: ctx.deployments.contracts,
      };
      return body;
    },
  });
}

