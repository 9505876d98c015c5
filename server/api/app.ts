import express, { type Express } from "express";
import { rateLimit } from "express-rate-limit";
import helmet from "helmet";
import { pinoHttp } from "pino-http";
import type { AppContext } from "../context";
import { createApiRouter, type ApiRouter } from "./endpoint";
import { createDashboardRouter } from "./dashboard";
import { ApiError, errorHandler, notFound } from "./errors";
import { createMetrics } from "./metrics";
import { buildOpenApiDocument, renderDocsPage } from "./openapi";
import { registerDigest } from "./routes/digest";
import { registerHealth } from "./routes/health";
import { createAuditRouter } from "./routes/audit";
import { createExchangeRouter } from "./routes/exchange";
import { createFinancingRouter } from "./routes/financing";
import { createMarketRouter } from "./routes/market";
import { createStatsRouter } from "./routes/stats";
import { CERTIFICATE_OPERATION, CERTIFICATE_PATH, createCertificateRouter } from "./routes/certificate";
import { createWebhookRouter } from "./routes/webhooks";

/** Largest JSON body the API accepts. */
export const BODY_LIMIT = "100kb";

export const API_INFO = {
  title: "Tianfu IP Ledger gateway",
  version: "1",
  description:
    "Read API over the ledger's index: patents, their history and the programme's indicators. Every indexed answer carries " +
    "`block` (number and hash) it was true at; `minBlock` waits briefly for the index. Errors are " +
    '`{ "error": { "code", "message", "details" } }`. Lists are cursor-paginated: pass `next` back as `cursor`.',
};

/** The routers of the API, one per audience, in mount order (the OpenAPI document lists them so). */
export function createRouters(ctx: AppContext): ApiRouter[] {
  const gateway = createApiRouter(ctx, "gateway");
  registerHealth(gateway, ctx);
  registerDigest(gateway, ctx);
  return [gateway, createExchangeRouter(ctx), createMarketRouter(ctx), createFinancingRouter(ctx), createAuditRouter(ctx), createStatsRouter(ctx), createWebhookRouter(ctx)];
}

/** The gateway's HTTP application, without `listen` (tests drive it with supertest). */
export function createApp(ctx: AppContext): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("query parser", "simple");
  app.use(helmet());
  app.use(
    pinoHttp({
      logger: ctx.logger,
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? "error" : res.statusCode >= 400 ? "info" : "debug"),
    }),
  );
  const metrics = createMetrics(ctx);
  app.use(metrics.middleware);
  if (ctx.config.rateLimitPerMinute > 0) {
    app.use(
      rateLimit({
        windowMs: 60_000,
        limit: ctx.config.rateLimitPerMinute,
        standardHeaders: "draft-8",
        legacyHeaders: false,
        handler: (_req, _res, next, options) => {
          next(new ApiError(429, "RATE_LIMITED", "too many requests: retry later", { limitPerMinute: options.limit }));
        },
      }),
    );
  }
  app.use(express.json({ limit: BODY_LIMIT }));

  const routers = createRouters(ctx);
  const v1 = express.Router();
  for (const r of routers) v1.use(r.router);
  // The certificate route (server/certificate) is a plain router: its answer is the canonical certificate file.
  v1.use(createCertificateRouter(ctx));
  app.use("/v1", v1);

  let document: ReturnType<typeof buildOpenApiDocument> | undefined;
  const openApi = () => {
    if (!document) {
      document = buildOpenApiDocument(routers.flatMap((r) => r.operations), API_INFO);
      (document.paths as Record<string, unknown>)[CERTIFICATE_PATH] = CERTIFICATE_OPERATION;
    }
    return document;
  };
  app.get("/openapi.json", (_req, res) => {
    res.json(openApi());
  });
  let page: string | undefined;
  app.get("/docs", (_req, res) => {
    res.type("html").send((page ??= renderDocsPage(openApi())));
  });
  app.get("/metrics", async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  // ---- dashboard (issue 7; server/api/dashboard.ts): the web bundle at `/`, with its own Content-Security-Policy ----
  app.use(createDashboardRouter());
  // ---- end dashboard ----

  app.use(notFound);
  app.use(errorHandler(ctx.logger));
  return app;
}
