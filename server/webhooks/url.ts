import { lookup as dnsLookup } from "node:dns";
import { BlockList, isIP, type LookupFunction } from "node:net";

/**
 * Webhook URLs and the SSRF guard. A URL must be absolute http(s), at most MAX_URL_LENGTH characters,
 * without credentials or fragment. Unless WEBHOOK_ALLOW_PRIVATE is on, the gateway refuses to call
 * loopback, private (RFC 1918, RFC 4193), carrier-grade NAT, link-local (cloud metadata), benchmark,
 * multicast and unspecified addresses: literal addresses and `localhost` names are refused at
 * registration (400 WEBHOOK_URL_NOT_ALLOWED); host names are checked again on every delivery against the
 * addresses DNS gives for the connection itself (guardedLookup), so a name that later resolves to a
 * private address is refused too (no DNS-rebinding window).
 */

export const MAX_URL_LENGTH = 2048;

export class WebhookUrlError extends Error {
  override name = "WebhookUrlError";
  constructor(
    readonly code: "INVALID_WEBHOOK_URL" | "WEBHOOK_URL_NOT_ALLOWED",
    message: string,
  ) {
    super(message);
  }
}

const PRIVATE = new BlockList();
for (const [net, bits] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  PRIVATE.addSubnet(net, bits, "ipv4");
}
for (const [net, bits] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  PRIVATE.addSubnet(net, bits, "ipv6");
}

/** True for an address the guard refuses (IPv4-mapped IPv6 addresses are checked as IPv4). */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, "");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped) return PRIVATE.check(mapped[1]!, "ipv4");
  const family = isIP(bare);
  if (family === 4) return PRIVATE.check(bare, "ipv4");
  if (family === 6) return PRIVATE.check(bare, "ipv6");
  return false;
}

const isLocalName = (host: string): boolean => host === "localhost" || host.endsWith(".localhost");

/** Parses and checks a webhook URL; throws WebhookUrlError with the API's code. */
export function checkWebhookUrl(text: string, allowPrivate: boolean): URL {
  if (text.length > MAX_URL_LENGTH) throw new WebhookUrlError("INVALID_WEBHOOK_URL", `url: at most ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new WebhookUrlError("INVALID_WEBHOOK_URL", "url: not an absolute URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new WebhookUrlError("INVALID_WEBHOOK_URL", `url: http or https only, not ${url.protocol.replace(/:$/, "")}`);
  }
  if (url.username !== "" || url.password !== "") throw new WebhookUrlError("INVALID_WEBHOOK_URL", "url: no credentials in the URL");
  if (url.hash !== "") throw new WebhookUrlError("INVALID_WEBHOOK_URL", "url: no fragment");
  if (!allowPrivate) {
    const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
    if (isLocalName(host) || isPrivateAddress(host)) {
      throw new WebhookUrlError("WEBHOOK_URL_NOT_ALLOWED", `url: ${host} is a loopback, private or link-local address (WEBHOOK_ALLOW_PRIVATE is off)`);
    }
  }
  return url;
}

/** dns.lookup that fails the connection when any address of the name is private. */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, options, (err, address, family) => {
    if (err) {
      callback(err, address, family);
      return;
    }
    const all = Array.isArray(address) ? address.map((a) => a.address) : [address];
    const refused = all.find(isPrivateAddress);
    if (refused !== undefined) {
      const error: NodeJS.ErrnoException = new Error(`${hostname} resolves to ${refused}, a private address (WEBHOOK_ALLOW_PRIVATE is off)`);
      error.code = "EWEBHOOKPRIVATE";
      callback(error, address, family);
      return;
    }
    callback(null, address, family);
  });
};
