import express, { type Express } from "express";
import type { AppContext } from "../context";
import { errorHandler, notFound } from "./errors";
import { createHealthRouter } from "./routes/health";
import { createDigestRouter } from "./routes/digest";
import { createCertificateRouter } from "./routes/certificate";

/** Largest JSON body the API accepts. */
export const BODY_LIMIT = "100kb";

/** The gateway's HTTP application, without `listen` (tests drive it with supertest). */
export function createApp(ctx: AppContext): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("query parser", "simple");
  app.use(express.json({ limit: BODY_LIMIT }));
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      ctx.logger.debug({ method: req.method, path: req.path, status: res.statusCode, ms }, "request");
    });
    next();
  });

  // One router per audience under /v1 (exchange, financing, audit, stats land with their issues).
  const v1 = express.Router();
  v1.use(createHealthRouter(ctx));
  v1.use(createDigestRouter(ctx));
  v1.use(createCertificateRouter(ctx));
  app.use("/v1", v1);

  app.use(notFound);
  app.use(errorHandler(ctx.logger));
  return app;
}
