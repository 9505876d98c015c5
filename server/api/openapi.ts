import { z } from "zod";
import { BlockRef, type Operation } from "./endpoint";
import { ERROR_CODES, type ErrorCode } from "./errors";

/**
 * The OpenAPI 3.1 document, generated from the zod schemas the routes validate with (zod 4's own
 * `z.toJSONSchema`, JSON Schema 2020-12, which is OpenAPI 3.1's schema dialect). Schemas that carry a
 * `meta({ id })` become shared components; every other schema is inlined where it is used.
 */

type JsonSchema = { [key: string]: unknown };

export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]).describe(
        Object.entries(ERROR_CODES)
          .map(([code, meaning]) => `${code}: ${meaning}`)
          .join("\n"),
      ),
      message: z.string().describe("for people; may change"),
      details: z.unknown().describe("machine-readable context: for 400, a list of { path, message }"),
    }),
  })
  .meta({ id: "ErrorBody", description: "The one error shape of the API." });

const STATUS_TEXT: Record<number, string> = {
  400: "Bad request",
  404: "Not found",
  409: "Conflict with the index state",
  413: "Payload too large",
  429: "Too many requests",
  503: "Service unavailable",
};

/** Moves `$defs` of a generated schema into `components` and points `$ref`s there. */
function hoist(schema: JsonSchema, components: Record<string, JsonSchema>): JsonSchema {
  const defs = (schema.$defs ?? {}) as Record<string, JsonSchema>;
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (node === null || typeof node !== "object") return node;
    const out: JsonSchema = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === "$schema" || key === "$defs") continue;
      if (key === "$ref" && typeof value === "string" && value.startsWith("#/$defs/")) {
        out.$ref = `#/components/schemas/${value.slice("#/$defs/".length)}`;
      } else out[key] = rewrite(value);
    }
    return out;
  };
  for (const [id, def] of Object.entries(defs)) components[id] = rewrite(def) as JsonSchema;
  return rewrite(schema) as JsonSchema;
}

function toSchema(schema: z.ZodType, io: "input" | "output", components: Record<string, JsonSchema>): JsonSchema {
  const generated = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any", reused: "inline" }) as JsonSchema;
  return hoist(generated, components);
}

function parametersOf(schema: z.ZodObject | undefined, where: "path" | "query", components: Record<string, JsonSchema>): JsonSchema[] {
  if (!schema) return [];
  const json = toSchema(schema, "input", components);
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: where === "path" || required.has(name),
      ...(typeof description === "string" ? { description } : {}),
      schema: rest,
    };
  });
}

export interface OpenApiInfo {
  title: string;
  version: string;
  description: string;
}

export function buildOpenApiDocument(operations: Operation[], info: OpenApiInfo): JsonSchema {
  const components: Record<string, JsonSchema> = {};
  const errorRef = (() => {
    toSchema(ErrorBodySchema, "output", components);
    return { $ref: "#/components/schemas/ErrorBody" };
  })();
  toSchema(BlockRef, "output", components);
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const op of operations) {
    let ok = toSchema(op.response, "output", components);
    if (op.indexed === "read") {
      ok = { allOf: [{ type: "object", properties: { block: { $ref: "#/components/schemas/BlockRef" } }, required: ["block"] }, ok] };
    }
    const responses: Record<string, JsonSchema> = {
      [op.status]: {
        description: op.status === 201 ? "Created" : "OK",
        content: {
          "application/json": { schema: ok },
          ...Object.fromEntries(op.alsoProduces.map((type) => [type, { schema: { type: "string" } }])),
        },
      },
    };
    const errors: Partial<Record<number, ErrorCode[]>> = { 400: ["BAD_REQUEST"], 429: ["RATE_LIMITED"], ...op.errors };
    if (op.indexed !== "none") {
      errors[409] = [...new Set([...(errors[409] ?? []), "INDEX_BEHIND" as const])];
      errors[503] = [...new Set([...(errors[503] ?? []), "INDEX_UNAVAILABLE" as const])];
    }
    for (const [status, codes] of Object.entries(errors)) {
      responses[status] = {
        description: `${STATUS_TEXT[Number(status)] ?? "Error"}: ${(codes ?? []).join(", ")}`,
        content: { "application/json": { schema: errorRef } },
      };
    }
    paths[op.path] ??= {};
    paths[op.path]![op.method] = {
      operationId: op.operationId,
      tags: [op.tag],
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      parameters: [...parametersOf(op.params, "path", components), ...parametersOf(op.query, "query", components)],
      ...(op.body ? { requestBody: { required: true, content: { "application/json": { schema: toSchema(op.body, "input", components) } } } } : {}),
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info,
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    tags: [...new Set(operations.map((o) => o.tag))].map((name) => ({ name })),
    paths,
    components: { schemas: Object.fromEntries(Object.entries(components).sort(([a], [b]) => (a < b ? -1 : 1))) },
  };
}

// ---------------------------------------------------------------- the browsable reference (/docs)

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

function schemaSummary(schema: unknown): string {
  if (schema === null || typeof schema !== "object") return "";
  const s = schema as JsonSchema;
  if (typeof s.$ref === "string") return s.$ref.split("/").pop()!;
  if (Array.isArray(s.enum)) return (s.enum as unknown[]).map(String).join(" | ");
  const parts = [String(s.type ?? (Array.isArray(s.anyOf) ? "one of" : ""))];
  if (typeof s.pattern === "string") parts.push(`/${s.pattern}/`);
  if (s.default !== undefined) parts.push(`default ${JSON.stringify(s.default)}`);
  if (s.maximum !== undefined && Number(s.maximum) < Number.MAX_SAFE_INTEGER) parts.push(`≤ ${String(s.maximum)}`);
  return parts.filter(Boolean).join(", ");
}

/** A self-contained HTML page (no script, no CDN) listing every operation, its parameters and schemas. */
export function renderDocsPage(doc: JsonSchema): string {
  const info = doc.info as OpenApiInfo;
  const paths = doc.paths as Record<string, Record<string, JsonSchema>>;
  const components = (doc.components as { schemas: Record<string, JsonSchema> }).schemas;
  const byTag = new Map<string, string[]>();
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const params = (op.parameters as JsonSchema[]).map(
        (p) =>
          `<tr><td><code>${escapeHtml(String(p.name))}</code></td><td>${escapeHtml(String(p.in))}${p.required ? ", required" : ""}</td>` +
          `<td><code>${escapeHtml(schemaSummary(p.schema))}</code></td><td>${escapeHtml(String(p.description ?? ""))}</td></tr>`,
      );
      const responses = Object.entries(op.responses as Record<string, JsonSchema>).map(
        ([status, r]) => `<li><b>${escapeHtml(status)}</b> ${escapeHtml(String(r.description))}</li>`,
      );
      const answers = op.responses as Record<string, { content: Record<string, { schema: unknown }> }>;
      const ok = (answers["200"] ?? answers["201"])!.content["application/json"]!.schema;
      const html =
        `<section id="${escapeHtml(String(op.operationId))}"><h3><span class="m">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3>` +
        `<p><b>${escapeHtml(String(op.summary))}</b></p>${op.description ? `<p>${escapeHtml(String(op.description))}</p>` : ""}` +
        (params.length ? `<table><tr><th>parameter</th><th>in</th><th>schema</th><th>meaning</th></tr>${params.join("")}</table>` : "") +
        `<ul>${responses.join("")}</ul><details><summary>200 answer schema</summary><pre>${escapeHtml(JSON.stringify(ok, null, 2))}</pre></details></section>`;
      const tag = ((op.tags as string[]) ?? ["other"])[0]!;
      byTag.set(tag, [...(byTag.get(tag) ?? []), html]);
    }
  }
  const sections = [...byTag].map(([tag, ops]) => `<h2>${escapeHtml(tag)}</h2>${ops.join("")}`).join("");
  const schemas = Object.entries(components)
    .map(([id, s]) => `<details id="schema-${escapeHtml(id)}"><summary><code>${escapeHtml(id)}</code></summary><pre>${escapeHtml(JSON.stringify(s, null, 2))}</pre></details>`)
    .join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(info.title)} — API reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#222}
h2{border-bottom:2px solid #b22;margin-top:2.5rem}section{border:1px solid #ddd;border-radius:6px;padding:.5rem 1rem;margin:1rem 0}
.m{background:#2a6;color:#fff;border-radius:4px;padding:0 .4rem;font-size:.85em}table{border-collapse:collapse;width:100%}
td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left;vertical-align:top}pre{background:#f6f6f6;padding:.5rem;overflow:auto;font-size:.85em}</style>
</head><body><h1>${escapeHtml(info.title)} <small>${escapeHtml(info.version)}</small></h1><p>${escapeHtml(info.description)}</p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Metrics: <a href="/metrics">/metrics</a>.</p>
${sections}<h2>Schemas</h2>${schemas}</body></html>`;
}
