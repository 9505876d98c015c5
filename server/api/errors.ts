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
  | "INTERNAL";

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

function asParserError(err: unknown): HttpParserError | undefined {
  if (typeof err !== "object" || err === null || !("type" in err)) return undefined;
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
