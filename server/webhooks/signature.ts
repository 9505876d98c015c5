import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Delivery signatures: `X-Tianfu-Signature: sha256=<hex>`, the HMAC-SHA256 of the exact request body
 * bytes with the webhook's secret (given once, in the answer to its registration). Receivers recompute
 * it over the raw body before parsing and compare in constant time (verifySignature does both).
 */

export const SIGNATURE_HEADER = "x-tianfu-signature";
export const DELIVERY_HEADER = "x-tianfu-delivery";
export const EVENT_HEADER = "x-tianfu-event";
export const ATTEMPT_HEADER = "x-tianfu-attempt";

export function newSecret(): string {
  return `whsec_${randomBytes(32).toString("hex")}`;
}

export function signBody(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** True when `header` is the signature of `body` with `secret`. */
export function verifySignature(secret: string, body: string | Buffer, header: string | undefined): boolean {
  if (header === undefined) return false;
  const expected = Buffer.from(signBody(secret, body));
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
