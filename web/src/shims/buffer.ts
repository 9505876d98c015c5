/**
 * The one use of Node's `Buffer` in the code the browser bundle shares with the gateway
 * (server/certificate/facts.ts reads ISO 4217 letters with `Buffer.from(hex, "hex").toString("latin1")`).
 * esbuild injects this in place of the global in the browser bundle only (scripts/build-web.ts).
 */
export class Buffer {
  private constructor(private readonly bytes: Uint8Array) {}

  static from(text: string, encoding: "hex"): Buffer {
    if (encoding !== "hex" || text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) {
      throw new Error(`browser Buffer shim: only even-length hex input is supported (got ${encoding})`);
    }
    const bytes = new Uint8Array(text.length / 2);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
    return new Buffer(bytes);
  }

  toString(encoding: "latin1"): string {
    if (encoding !== "latin1") throw new Error(`browser Buffer shim: only latin1 output is supported (got ${encoding})`);
    return String.fromCharCode(...this.bytes);
  }
}
