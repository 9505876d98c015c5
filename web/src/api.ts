/**
 * The dashboard's HTTP client: same-origin GETs on the gateway's API, typed answers, and the API's error
 * body `{ error: { code, message, details } }` turned into an ApiFailure. `features` reads /openapi.json once
 * so pages only call the paths this gateway serves (no 404 noise for modules not deployed yet).
 */

export class ApiFailure extends Error {
  override name = "ApiFailure";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
  ) {
    super(message);
  }
}

export type Query = Record<string, string | number | boolean | undefined | null>;

/** `path` with its query string; empty and undefined values are left out. */
export function url(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === "") continue;
    params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

interface ErrorBody {
  error?: { code?: string; message?: string; details?: unknown };
}

export async function getJson<T>(path: string, query: Query = {}, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url(path, query), { headers: { accept: "application/json" }, signal });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new ApiFailure(0, "NETWORK", err instanceof Error ? err.message : String(err));
  }
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    throw new ApiFailure(res.status, "NOT_JSON", `${path}: the answer is not JSON (HTTP ${res.status})`);
  }
  if (!res.ok) {
    const e = (body as ErrorBody | null)?.error;
    throw new ApiFailure(res.status, e?.code ?? `HTTP_${res.status}`, e?.message ?? res.statusText, e?.details ?? null);
  }
  return body as T;
}

// ---------------------------------------------------------------- what this gateway serves

interface OpenApiMedia {
  [mediaType: string]: unknown;
}
interface OpenApiOperation {
  parameters?: { name: string; in: string }[];
  responses?: Record<string, { content?: OpenApiMedia }>;
}
interface OpenApiDocument {
  paths?: Record<string, Record<string, OpenApiOperation>>;
}

export interface Features {
  /** The gateway serves GET on this OpenAPI path (e.g. "/v1/listings", "/v1/patents/{number}"). */
  has(path: string): boolean;
  /** The GET on `path` takes this query parameter. */
  hasQuery(path: string, name: string): boolean;
  /** A GET path without path parameters that answers text/event-stream (the live feed), if any. */
  eventStream(): string | undefined;
}

export function featuresOf(doc: OpenApiDocument | null): Features {
  const gets = new Map<string, OpenApiOperation>();
  for (const [path, item] of Object.entries(doc?.paths ?? {})) {
    if (item.get) gets.set(path, item.get);
  }
  return {
    has: (path) => gets.has(path),
    hasQuery: (path, name) => (gets.get(path)?.parameters ?? []).some((p) => p.in === "query" && p.name === name),
    eventStream() {
      for (const [path, op] of gets) {
        if (path.includes("{")) continue;
        const content = op.responses?.["200"]?.content ?? {};
        if ("text/event-stream" in content) return path;
      }
      return undefined;
    },
  };
}

export async function loadFeatures(): Promise<Features> {
  try {
    return featuresOf(await getJson<OpenApiDocument>("/openapi.json"));
  } catch {
    return featuresOf(null);
  }
}
