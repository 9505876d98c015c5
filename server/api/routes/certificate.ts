import { Router } from "express";
import { z } from "zod";
import type { AppContext } from "../../context";
import { CnipaNumberError, parseCnipaNumber } from "../../chain/cnipa";
import { buildCertificate, CertificateBuildError, type RpcSender } from "../../certificate/build";
import { PatentNotRegisteredError } from "../../certificate/facts";
import { serialiseCertificate } from "../../certificate/format";
import { ApiError } from "../errors";
import { ByteLru } from "../response-cache";

/** Bound of the certificate cache: 32 MiB (a certificate is about 35 KiB with 20,000 patents). */
export const CERTIFICATE_CACHE_BYTES = 32 * 1024 * 1024;

interface CachedCertificate {
  text: string;
  bytes: number;
}

const CertificateQuery = z.strictObject({
  block: z
    .string()
    .regex(/^\d{1,15}$/, "a block number: decimal digits")
    .transform(Number)
    .optional(),
});

/** A node call failed (as opposed to the node answering something the certificate refuses). */
class NodeCallError extends Error {
  override name = "NodeCallError";
}

function rpcOf(ctx: AppContext): RpcSender {
  const provider = ctx.provider as Partial<RpcSender>;
  if (typeof provider.send !== "function") {
    throw new ApiError(503, "CHAIN_UNAVAILABLE", "the gateway's provider cannot send raw JSON-RPC calls (eth_getProof)");
  }
  const send = provider.send.bind(ctx.provider);
  return {
    send: async (method, params) => {
      try {
        return await send(method, params);
      } catch (err) {
        throw new NodeCallError(`${method}: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`);
      }
    },
  };
}

/**
 * `GET /v1/financing/patents/{number}/certificate[?block=N]`: the patent's ownership and encumbrance facts
 * with `eth_getProof` account and storage proofs at a block (default: the node's head less CONFIRMATIONS),
 * answered as the canonical certificate file (docs/certificates.md). A bank saves the body as it is and runs
 * `tianfu verify-certificate <file> --block-hash <hash from its own node>`; it need not trust this gateway.
 */
/** The route's entry in /openapi.json: written by hand, since its answer is a file, not a zod-described object. */
export const CERTIFICATE_PATH = "/v1/financing/patents/{number}/certificate";
const errorAnswer = (description: string) => ({ description, content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorBody" } } } });
export const CERTIFICATE_OPERATION = {
  get: {
    operationId: "getCertificate",
    tags: ["financing"],
    summary: "A patent's ownership and encumbrance facts at a block, with eth_getProof proofs, verifiable offline",
    description:
      "The canonical certificate file (docs/certificates.md): the facts, the block header fields and the account and storage proofs of " +
      "the contract slots that carry them. Save the body as it is and check it with `tianfu verify-certificate <file> --block-hash <hash " +
      "from your own node>`: no call to this gateway. Built from the node at each request, not from the index.",
    parameters: [
      { name: "number", in: "path", required: true, description: "a CNIPA number: ZL202110234567.8, 202110234567.8 or 202110234567", schema: { type: "string" } },
      { name: "block", in: "query", required: false, description: "the block (default: the node's head less CONFIRMATIONS)", schema: { type: "integer", minimum: 0 } },
    ],
    responses: {
      200: { description: "OK: the certificate file", content: { "application/json": { schema: { type: "object", description: "certificate format: docs/certificates.md" } } } },
      400: errorAnswer("Bad Request: BAD_REQUEST"),
      404: errorAnswer("Not Found: NOT_FOUND (no such patent, or a block beyond the node's head)"),
      429: errorAnswer("Too Many Requests: RATE_LIMITED"),
      503: errorAnswer("Service Unavailable: CHAIN_UNAVAILABLE"),
    },
  },
};

export function createCertificateRouter(ctx: AppContext, cacheBytes = CERTIFICATE_CACHE_BYTES): Router {
  const router = Router();
  // A certificate is a function of (patent, block hash): kept per that key, and one build per key at a time
  // (concurrent requests for the same certificate share it). Keyed by hash, so a reorg never serves old bytes.
  const cache = new ByteLru<CachedCertificate>(cacheBytes);
  const building = new Map<string, Promise<string>>();
  router.get("/financing/patents/:number/certificate", async (req, res) => {
    let patent: bigint;
    try {
      patent = parseCnipaNumber(String(req.params.number)).number;
    } catch (err) {
      if (err instanceof CnipaNumberError) throw new ApiError(400, "BAD_REQUEST", err.message, { number: req.params.number });
      throw err;
    }
    const query = CertificateQuery.safeParse(req.query);
    if (!query.success) {
      throw new ApiError(400, "BAD_REQUEST", "invalid query", query.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })));
    }
    const c = ctx.deployments.contracts;
    const rpc = rpcOf(ctx);
    try {
      let block = query.data.block;
      const head = Number(BigInt((await rpc.send("eth_blockNumber", [])) as string));
      if (block === undefined) block = Math.max(0, head - ctx.config.confirmations);
      else if (block > head) throw new ApiError(404, "NOT_FOUND", `block ${block} is beyond the node's head ${head}`, { block, head });
      const header = (await rpc.send("eth_getBlockByNumber", [`0x${block.toString(16)}`, false])) as { hash?: unknown } | null;
      const hash = typeof header?.hash === "string" ? header.hash.toLowerCase() : undefined;
      const key = `${patent}:${hash}`;
      let text = hash === undefined ? undefined : cache.get(key)?.text;
      if (text === undefined) {
        let pending = hash === undefined ? undefined : building.get(key);
        if (!pending) {
          const at = block;
          pending = (async () => {
            const certificate = await buildCertificate(rpc, {
              patent,
              block: at,
              contracts: { registry: c.PatentRegistry!, licensing: c.Licensing, valuations: c.Valuations },
            });
            const serialised = serialiseCertificate(certificate);
            // Kept only when built on the block the key names (not one that replaced it in a reorg meanwhile).
            if (hash !== undefined && certificate.block.hash === hash) cache.set(key, { text: serialised, bytes: serialised.length });
            return serialised;
          })();
          if (hash !== undefined) {
            building.set(key, pending);
            void pending.then(
              () => building.delete(key),
              () => building.delete(key),
            );
          }
        }
        text = await pending;
      }
      res.type("application/json").send(text);
    } catch (err) {
      if (err instanceof PatentNotRegisteredError) throw new ApiError(404, "NOT_FOUND", err.message, { number: req.params.number });
      if (err instanceof NodeCallError) throw new ApiError(503, "CHAIN_UNAVAILABLE", "the chain node does not answer", { reason: err.message });
      if (err instanceof CertificateBuildError) throw new ApiError(503, "CHAIN_UNAVAILABLE", err.message);
      throw err;
    }
  });
  return router;
}
