import { Router, type Request, type Response } from "express";
import { z } from "zod";
import type { AppContext } from "../context";
import { chinaDayOf } from "../chain/cnipa";
import { ApiError, type ErrorCode } from "./errors";
import { createResponseCache, type CachedAnswer, type ResponseCache } from "./response-cache";

/**
 * The API's one way to declare a route: zod schemas for path parameters, query and answer, plus the
 * handler. The same declaration drives validation (400 with every problem listed), the block stamp and
 * `minBlock` wait of indexed answers, and the OpenAPI document (openapi.ts reads `operations`).
 */

/** The indexed block an answer was true at. `hash` is null only before the first block is indexed. */
export const BlockRef = z
  .object({
    number: z.number().int().describe("the indexed block number"),
    hash: z.string().nullable().describe("its hash"),
  })
  .meta({ id: "BlockRef", description: "The indexed block the answer was true at." });
export type BlockRef = z.infer<typeof BlockRef>;

/** Decimal digits as a whole number (query strings carry text). */
export const digits = (what: string, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .regex(/^\d{1,16}$/, `${what}: decimal digits`)
    .transform(Number)
    .pipe(z.number().int().max(max, `${what}: at most ${max}`));

export const MinBlockQuery = z.object({
  minBlock: digits("minBlock")
    .optional()
    .describe("answer only once the index has reached this block: waits briefly, else 409 INDEX_BEHIND"),
});

type ObjectSchema = z.ZodObject;
type EmptyObject = z.ZodObject<Record<never, z.ZodType>>;

export interface EndpointSpec<P extends ObjectSchema, Q extends ObjectSchema, R extends z.ZodType, B extends ObjectSchema = EmptyObject> {
  /** OpenAPI path relative to the router's mount point, `{name}` for parameters. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  params?: P;
  query?: Q;
  /** The JSON request body (POST only); validated like the query, 400 with every problem listed. */
  body?: B;
  /** The status of a successful answer (default 200; 201 for a creation). */
  status?: number;
  /** The 200 answer (without `block`, which indexed answers get added). */
  response: R;
  /** Other statuses the endpoint answers, with the error codes they carry (for the document). */
  errors?: Partial<Record<number, ErrorCode[]>>;
  /**
   * "read": the answer comes from the index and carries the block it was read at (checked unchanged
   * across the read); "self": the handler's answer carries its own `block`; "none": no index needed.
   */
  indexed: "read" | "self" | "none";
  /** Other media types of the 200 answer (e.g. text/csv), for the document. */
  alsoProduces?: string[];
  handler: (input: { params: z.output<P>; query: z.output<Q>; body: z.output<B>; req: Request; res: Response }) => Promise<z.input<R> | undefined>;
}

export type Method = "get" | "post" | "delete";

export interface Operation {
  method: Method;
  /** Full OpenAPI path, e.g. /v1/patents/{number}. */
  path: string;
  tag: string;
  operationId: string;
  summary: string;
  description?: string;
  params?: ObjectSchema;
  query?: ObjectSchema;
  body?: ObjectSchema;
  /** The status of a successful answer. */
  status: number;
  response: z.ZodType;
  errors: Partial<Record<number, ErrorCode[]>>;
  indexed: "read" | "self" | "none";
  alsoProduces: string[];
}

export interface ApiRouter {
  router: Router;
  operations: Operation[];
  get<P extends ObjectSchema = EmptyObject, Q extends ObjectSchema = EmptyObject, R extends z.ZodType = z.ZodType>(
    spec: EndpointSpec<P, Q, R>,
  ): void;
  /** A write: the body is validated with `spec.body`. */
  post<P extends ObjectSchema = EmptyObject, Q extends ObjectSchema = EmptyObject, R extends z.ZodType = z.ZodType, B extends ObjectSchema = EmptyObject>(
    spec: EndpointSpec<P, Q, R, B>,
  ): void;
  delete<P extends ObjectSchema = EmptyObject, Q extends ObjectSchema = EmptyObject, R extends z.ZodType = z.ZodType>(
    spec: EndpointSpec<P, Q, R>,
  ): void;
}

/** One problem of a request, as listed in a 400's details. */
export interface Problem {
  path: string;
  message: string;
}

/** An issue raised by a schema may carry the API error code to answer with (e.g. INVALID_PATENT_NUMBER). */
export interface CodedIssueParams {
  apiCode: ErrorCode;
}

function problemsOf(error: z.ZodError, where: string): { code: ErrorCode; problems: Problem[] } {
  let code: ErrorCode = "BAD_REQUEST";
  const problems = error.issues.map((issue) => {
    const params = (issue as { params?: Partial<CodedIssueParams> }).params;
    if (params?.apiCode) code = params.apiCode;
    const path = issue.path.map(String).join(".");
    return { path: path === "" ? where : path, message: issue.message };
  });
  return { code, problems };
}

const WHAT = { params: "path parameter", query: "query", body: "request body" } as const;

function validate<S extends ObjectSchema>(schema: S | undefined, value: unknown, where: "params" | "query" | "body"): z.output<S> {
  const parsed = (schema ?? z.strictObject({})).safeParse(value ?? {});
  if (parsed.success) return parsed.data as z.output<S>;
  const { code, problems } = problemsOf(parsed.error, where);
  const message = code === "BAD_REQUEST" ? `invalid ${WHAT[where]}` : problems[0]!.message;
  throw new ApiError(400, code, message, problems);
}

const expressPath = (path: string): string => path.replace(/\{(\w+)\}/g, ":$1");

/** The indexed block as stored (the cursor), or a 503 when the gateway has no index. */
export async function indexedBlock(ctx: AppContext): Promise<BlockRef> {
  if (!ctx.index) throw new ApiError(503, "INDEX_UNAVAILABLE", "this gateway runs without an index");
  const cursor = await ctx.index.queries.indexedBlock();
  return cursor ? { number: cursor.number, hash: cursor.hash } : { number: Math.max(0, ctx.deployments.deploymentBlock - 1), hash: null };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the index reaches `minBlock` (at most config.minBlockWaitMs), else 409 INDEX_BEHIND. */
export async function awaitBlock(ctx: AppContext, minBlock: number): Promise<BlockRef> {
  const deadline = Date.now() + ctx.config.minBlockWaitMs;
  for (;;) {
    const at = await indexedBlock(ctx);
    if (at.number >= minBlock) return at;
    if (Date.now() >= deadline) {
      throw new ApiError(409, "INDEX_BEHIND", `the index is at block ${at.number}, behind minBlock ${minBlock}`, {
        minBlock,
        indexed: at,
        waitedMs: ctx.config.minBlockWaitMs,
      });
    }
    await sleep(Math.min(25, Math.max(1, deadline - Date.now())));
  }
}

/** Reads tried while the indexer keeps moving the cursor underneath before the last one is answered. */
const CONSISTENT_READ_TRIES = 3;

/** One response cache per gateway (context), shared by its routers. */
const responseCaches = new WeakMap<AppContext, ResponseCache>();

/** The cache of serialised indexed answers of this gateway (server/api/response-cache.ts). */
export function responseCacheOf(ctx: AppContext): ResponseCache {
  let cache = responseCaches.get(ctx);
  if (!cache) responseCaches.set(ctx, (cache = createResponseCache()));
  return cache;
}

/**
 * The cache key of a request: its URL (path and query) and the calendar day (China Standard Time), since some
 * answers depend on the day as well as on the index (a patent in force, dormant: server/api/read.ts `today`).
 */
const cacheKey = (req: Request): string => `${chinaDayOf(Math.floor(Date.now() / 1000))} ${req.originalUrl}`;

type EtagFn = (body: Buffer | string, encoding?: string) => string;

/** The bytes and ETag express's `res.json` would send for `value` (JSON.stringify, the app's ETag function). */
function serialise(req: Request, value: unknown): CachedAnswer {
  const body = Buffer.from(JSON.stringify(value), "utf8");
  const etagFn = req.app.get("etag fn") as EtagFn | undefined;
  return { body, etag: etagFn ? etagFn(body) : "", bytes: body.length + 64 };
}

/** Sends a serialised JSON answer as `res.json` would (same headers; 304 when If-None-Match matches). */
function sendSerialised(res: Response, status: number, answer: CachedAnswer): void {
  res.status(status);
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  if (answer.etag !== "") res.setHeader("ETag", answer.etag);
  res.send(answer.body);
}

/** A router for one audience; every route declared through `get` is validated and documented. */
export function createApiRouter(ctx: AppContext, tag: string, mount = "/v1"): ApiRouter {
  const router = Router();
  const operations: Operation[] = [];
  // The spec's generic types are checked where `get`, `post` and `delete` are called.
  type AnySpec = EndpointSpec<ObjectSchema, ObjectSchema, z.ZodType, ObjectSchema>;

  const cache = responseCacheOf(ctx);

  function route(method: Method, spec: AnySpec): void {
    const query = spec.indexed === "none" ? spec.query : (spec.query ?? z.object({})).extend(MinBlockQuery.shape);
    const strictQuery = query ? z.strictObject(query.shape) : undefined;
    const status = spec.status ?? 200;
    operations.push({
      method,
      path: `${mount}${spec.path}`,
      tag,
      operationId: spec.operationId,
      summary: spec.summary,
      description: spec.description,
      params: spec.params,
      query: strictQuery,
      body: spec.body,
      status,
      response: spec.response,
      errors: spec.errors ?? {},
      indexed: spec.indexed,
      alsoProduces: spec.alsoProduces ?? [],
    });
    // GET answers read from the index are cached per store version (see response-cache.ts).
    const cacheable = method === "get" && spec.indexed === "read" && status === 200;
    router[method](expressPath(spec.path), async (req, res) => {
      // A cached answer was read at this very state of the index, from this very URL (so it passed validation,
      // and its block, the current one, satisfied any minBlock), on this very day: it is what a fresh read would answer.
      const store = ctx.index?.store;
      if (cacheable && store) {
        const version = store.version();
        const hit = version % 2 === 0 ? cache.get(version, cacheKey(req)) : undefined;
        if (hit) {
          sendSerialised(res, status, hit);
          return;
        }
      }
      const params = validate(spec.params, req.params, "params");
      const parsedQuery = validate(strictQuery, req.query, "query") as z.output<ObjectSchema> & { minBlock?: number };
      // Without a JSON content type express.json leaves no body: it is validated as an empty one.
      const body = method === "post" ? validate(spec.body, req.body, "body") : {};
      const input = { params, query: parsedQuery, body, req, res };
      const send = (answer: unknown) => {
        if (answer !== undefined && !res.headersSent) res.status(status).json(answer);
      };
      if (spec.indexed === "none") {
        send(await spec.handler(input));
        return;
      }
      if (parsedQuery.minBlock !== undefined) await awaitBlock(ctx, parsedQuery.minBlock);
      else await indexedBlock(ctx);
      if (spec.indexed === "self") {
        send(await spec.handler(input));
        return;
      }
      // The answer is true at `block` if the cursor did not move while it was read.
      let block = await indexedBlock(ctx);
      for (let attempt = 1; ; attempt++) {
        // Odd while a write is under way (Store.version): such a read is answered but not cached.
        const versionBefore = store?.version() ?? 1;
        const keyBefore = cacheable ? cacheKey(req) : "";
        const answer = await spec.handler(input);
        const after = await indexedBlock(ctx);
        const stable = after.number === block.number && after.hash === block.hash;
        if (stable || attempt >= CONSISTENT_READ_TRIES || res.headersSent) {
          if (answer === undefined || res.headersSent) return;
          const full = { block: after, ...(answer as object) };
          if (!cacheable || !store) {
            send(full);
            return;
          }
          const serialised = serialise(req, full);
          // Kept only if read while the store was unwritten, and within one day (the key names the day).
          const unwritten = stable && versionBefore % 2 === 0 && store.version() === versionBefore;
          if (unwritten && cacheKey(req) === keyBefore) cache.set(versionBefore, keyBefore, serialised);
          sendSerialised(res, status, serialised);
          return;
        }
        block = after;
      }
    });
  }

  return {
    router,
    operations,
    get: (spec) => route("get", spec as unknown as AnySpec),
    post: (spec) => route("post", spec as unknown as AnySpec),
    delete: (spec) => route("delete", spec as unknown as AnySpec),
  };
}
