import type { ErrorRequestHandler, RequestHandler } from "express";
import type { Logger } from "../logger";

/** Stable machine-readable error codes of the API. */
export type ErrorCode =
  | "BAD_REQUEST"
  | "MALFORMED_JSON"
  | "PAYLOAD_TOO_LARGE"
  | "NOT_FOUND"
  | "CHAIN_UNAVAILABLE"
  | "INDEX_UNAVAILABLE"
  | "NOT_INDEXED"
  | "INDEX_BEHIND"
  | "INVALID_PATENT_NUMBER"
  | "INVALID_CURSOR"
  | "PATENT_NOT_FOUND"
  | "LISTING_NOT_FOUND"
  | "AUCTION_NOT_FOUND"
  | "VENUE_NOT_FOUND"
  | "PLEDGE_NOT_FOUND"
  | "RATE_LIMITED"
  | "INVALID_WEBHOOK_URL"
  | "WEBHOOK_URL_NOT_ALLOWED"
  | "WEBHOOK_NOT_FOUND"
  | "TOO_MANY_WEBHOOKS"
  | "INTERNAL";

/** Every code with its meaning (documented in the OpenAPI document's error schema). */
export const ERROR_CODES: Record<ErrorCode, string> = {
  BAD_REQUEST: "a parameter, query or body does not match the schema; details lists each problem",
  MALFORMED_JSON: "the request body is not valid JSON",
  PAYLOAD_TOO_LARGE: "the request body is larger than the limit",
  NOT_FOUND: "no route answers this method and path",
  CHAIN_UNAVAILABLE: "the chain node does not answer",
  INDEX_UNAVAILABLE: "this gateway runs without an index",
  NOT_INDEXED: "the block asked for is beyond the index",
  INDEX_BEHIND: "the index did not reach minBlock within the wait",
  INVALID_PATENT_NUMBER: "the CNIPA number is malformed or its check digit is wrong",
  INVALID_CURSOR: "the cursor is not one this query returned",
  PATENT_NOT_FOUND: "no patent with this number is registered on the ledger",
  LISTING_NOT_FOUND: "no listing with this id is indexed",
  AUCTION_NOT_FOUND: "no auction with this id is indexed",
  VENUE_NOT_FOUND: "this account has not opened as a venue",
  PLEDGE_NOT_FOUND: "no pledge with this id is recorded on the ledger",
  RATE_LIMITED: "too many requests from this client; retry after the time in the RateLimit headers",
  INVALID_WEBHOOK_URL: "the webhook url is not an absolute http or https URL of at most 2048 characters without credentials",
  WEBHOOK_URL_NOT_ALLOWED: "the webhook url names a loopback, private or link-local address and WEBHOOK_ALLOW_PRIVATE is off",
  WEBHOOK_NOT_FOUND: "no webhook with this id is registered at this gateway",
  TOO_MANY_WEBHOOKS: "the gateway holds the most webhooks it accepts; delete one first",
  INTERNAL: "an unexpected error in the gateway (logged)",
};

/** The one error body of the API: `{ "error": { "code", "message", "details" } }`. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details: unknown };
}

/** An error a handler throws (or rejects with) to answer with a given status and code. */
export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details: unknown = null,
  ) {
    super(message);
  }
}

/** Errors thrown by body-parser carry an HTTP status and a type. */
interface HttpParserError {
  status?: number;
  type?: string;
  limit?: number;
  length?: number;
}

/** Errors of body-parser and of express's router (e.g. a path parameter with a broken %-escape) carry a status. */
function asParserError(err: unknown): HttpParserError | undefined {
  if (typeof err !== "object" || err === null || !("type" in err || "status" in err)) return undefined;
  return err as HttpParserError;
}

function toApiError(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err;
  const parser = asParserError(err);
  if (parser?.type === "entity.parse.failed") {
    return new ApiError(400, "MALFORMED_JSON", "the request body is not valid JSON", {
      reason: (err as Error).message,
    });
  }
  if (parser?.type === "entity.too.large") {
    return new ApiError(413, "PAYLOAD_TOO_LARGE", "the request body is too large", {
      limit: parser.limit ?? null,
      length: parser.length ?? null,
    });
  }
  if (parser?.status !== undefined && parser.status >= 400 && parser.status < 500) {
    return new ApiError(parser.status, "BAD_REQUEST", (err as Error).message);
  }
  return undefined;
}

/** JSON 404 for any path no router answered. */
export const notFound: RequestHandler = (req, _res, next) => {
  next(new ApiError(404, "NOT_FOUND", `no route for ${req.method} ${req.path}`, { method: req.method, path: req.path }));
};

/** The single error middleware: every error leaves as the ErrorBody shape; unknown ones as 500, logged. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    let apiError = toApiError(err);
    if (!apiError) {
      logger.error({ err, method: req.method, path: req.path }, "unhandled error");
      apiError = new ApiError(500, "INTERNAL", "internal error");
    } else if (apiError.status >= 500) {
      logger.warn({ code: apiError.code, details: apiError.details, path: req.path }, apiError.message);
    }
    const body: ErrorBody = { error: { code: apiError.code, message: apiError.message, details: apiError.details } };
    res.status(apiError.status).json(body);
  };
}
