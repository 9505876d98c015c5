import type { Features } from "./api";
import type { Health } from "./types";

/** What a page gets: where to draw, its route, and what the gateway offers. */
export interface PageContext {
  root: HTMLElement;
  /** Path segments after the page name, e.g. ["ZL202110234567.8"] for #/patent/ZL202110234567.8. */
  segments: string[];
  /** Query of the hash route (#/exchange?ipc=H01). */
  params: URLSearchParams;
  features: Features;
  health: Health | null;
  /** Aborted when the user leaves the page. */
  signal: AbortSignal;
  /** Moves to another hash route (pushes history). */
  go(hash: string): void;
}

/** Draws into ctx.root; may return a cleanup run when the user leaves the page. */
export type Page = (ctx: PageContext) => Promise<void | (() => void)>;

/** A hash route: "#/name/seg1?query". */
export function routeHash(name: string, segments: string[] = [], query: Record<string, string | undefined> = {}): string {
  const path = [name, ...segments.map(encodeURIComponent)].join("/");
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== "") params.set(k, v);
  const qs = params.toString();
  return `#/${path}${qs ? `?${qs}` : ""}`;
}

export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === "AbortError";
}
