import { existsSync } from "node:fs";
import path from "node:path";
import express, { Router } from "express";
import { ApiError } from "./errors";

/**
 * The web dashboard (web/, built into dist/web by `npm run build`) served at `/`. Its pages get their own
 * Content-Security-Policy, stricter than the API's default: scripts, styles, images and connections from
 * this origin only (the bundle fetches /v1/*, /openapi.json and the event stream), no inline script or
 * style, no plugins, no framing. No upgrade-insecure-requests: the gateway serves plain HTTP on loopback
 * or a LAN address.
 */
export const DASHBOARD_DIR = path.resolve(__dirname, "..", "..", "dist", "web");

export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** Hashed bundle files never change: cache them for a year; the page itself is revalidated. */
const IMMUTABLE = "public, max-age=31536000, immutable";

export function createDashboardRouter(dir: string = DASHBOARD_DIR): Router {
  const router = Router();
  const serveStatic = express.static(dir, {
    index: "index.html",
    redirect: false,
    fallthrough: true,
    setHeaders(res, file) {
      res.setHeader("Content-Security-Policy", DASHBOARD_CSP);
      const relative = path.relative(dir, file).split(path.sep).join("/");
      res.setHeader("Cache-Control", relative.startsWith("assets/") ? IMMUTABLE : "no-cache");
    },
  });
  router.use((req, res, next) => {
    // Only the page, its assets and its icon; /v1, /openapi.json, /docs and /metrics stay the API's.
    if (req.path !== "/" && req.path !== "/index.html" && req.path !== "/favicon.svg" && !req.path.startsWith("/assets/")) {
      next();
      return;
    }
    if (req.path === "/" && !existsSync(path.join(dir, "index.html"))) {
      next(new ApiError(404, "NOT_FOUND", "the dashboard is not built: run `npm run build`", { dir }));
      return;
    }
    serveStatic(req, res, next);
  });
  return router;
}
