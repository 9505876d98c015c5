import { Router } from "express";
import { z } from "zod";
import type { AppContext } from "../../context";
import { QueryError } from "../../indexer";
import { ApiError } from "../errors";

const DigestQuery = z.object({
  block: z
    .string()
    .regex(/^\d{1,15}$/, "a block number: decimal digits")
    .transform(Number)
    .optional(),
});

/**
 * `GET /v1/digest?block=N`: the chained index digest at block N (the indexed block without `block`).
 * Two gateways on one chain answer the same digest for the same block; compare them.
 */
export function createDigestRouter(ctx: AppContext): Router {
  const router = Router();
  router.get("/digest", async (req, res) => {
    const parsed = DigestQuery.safeParse(req.query);
    if (!parsed.success) {
      throw new ApiError(400, "BAD_REQUEST", "invalid query", parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })));
    }
    if (!ctx.index) throw new ApiError(503, "INDEX_UNAVAILABLE", "this gateway runs without an index");
    try {
      res.json(await ctx.index.queries.getDigest(parsed.data.block));
    } catch (err) {
      if (err instanceof QueryError) throw new ApiError(409, "NOT_INDEXED", err.message, { block: parsed.data.block ?? null });
      throw err;
    }
  });
  return router;
}
