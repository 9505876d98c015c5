import { z } from "zod";
import type { AppContext } from "../../context";
import { QueryError } from "../../indexer";
import { digits, type ApiRouter } from "../endpoint";
import { ApiError } from "../errors";

const DigestQuery = z.object({
  block: digits("block").optional().describe("the block to answer for; the indexed block without it"),
});

export const DigestSchema = z
  .object({
    block: z.number().int().describe("the block asked for (or the indexed block)"),
    digest: z.string().describe("the chained index digest at that block (0x + 64 hex)"),
    changedAt: z
      .object({ number: z.number().int(), hash: z.string() })
      .nullable()
      .describe("the last block at or below `block` whose events changed the index (null: none yet)"),
  })
  .meta({ id: "Digest" });

/**
 * `GET /v1/digest?block=N`: the chained index digest at block N (the indexed block without `block`).
 * Two gateways on one chain answer the same digest for the same block; compare them.
 */
export function registerDigest(api: ApiRouter, ctx: AppContext): void {
  api.get({
    path: "/digest",
    operationId: "getDigest",
    summary: "The index digest at a block",
    description: "Two gateways on one chain answer the same digest for the same block; compare them.",
    query: DigestQuery,
    response: DigestSchema,
    errors: { 409: ["NOT_INDEXED"] },
    indexed: "self",
    async handler({ query }) {
      try {
        return await ctx.index!.queries.getDigest(query.block);
      } catch (err) {
        if (err instanceof QueryError) throw new ApiError(409, "NOT_INDEXED", err.message, { block: query.block ?? null });
        throw err;
      }
    },
  });
}
