import { expect } from "chai";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createRpcClient, RpcResponseError, RpcTransportError } from "../../server/rpc/client";
import { freePort } from "./helpers/anvil";

type Handler = (body: unknown, req: IncomingMessage, res: ServerResponse) => void;

async function serve(handler: Handler): Promise<{ url: string; server: Server }> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    handler(JSON.parse(Buffer.concat(chunks).toString("utf8")), req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`, server };
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};

describe("JSON-RPC client", () => {
  const servers: Server[] = [];
  after(() =>
    servers.forEach((s) => {
      s.closeAllConnections();
      s.close();
    }),
  );
  const start = async (h: Handler) => {
    const s = await serve(h);
    servers.push(s.server);
    return s.url;
  };

  describe("call", () => {
    it("throws RpcResponseError with the node's code and message", async () => {
      const url = await start((body, _req, res) => json(res, 200, { jsonrpc: "2.0", id: (body as { id: number }).id, error: { code: -32005, message: "query returned more than 10000 results" } }));
      const err = await createRpcClient({ url }).call("eth_getLogs", [{}]).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(RpcResponseError);
      expect(err).to.include({ code: -32005, method: "eth_getLogs" });
    });

    it("retries a 503 with backoff and then succeeds", async () => {
      let calls = 0;
      const url = await start((body, _req, res) => {
        calls += 1;
        if (calls < 3) return json(res, 503, {});
        json(res, 200, { jsonrpc: "2.0", id: (body as { id: number }).id, result: "0x10" });
      });
      expect(await createRpcClient({ url, retries: 3, backoffMs: 5 }).blockNumber()).to.equal(16);
      expect(calls).to.equal(3);
    });

    it("throws RpcTransportError when the node cannot be reached after the retries", async () => {
      const url = `http://127.0.0.1:${await freePort()}`;
      const err = await createRpcClient({ url, retries: 2, backoffMs: 5 }).chainId().catch((e: unknown) => e);
      expect(err).to.be.instanceOf(RpcTransportError);
    });

    it("throws RpcTransportError on a timeout", async () => {
      const url = await start(() => undefined); // never answers
      const err = await createRpcClient({ url, retries: 0, timeoutMs: 100 }).chainId().catch((e: unknown) => e);
      expect(err).to.be.instanceOf(RpcTransportError);
      expect((err as Error).message).to.match(/no answer within 100 ms/);
    });
  });

  describe("batch", () => {
    it("returns results in call order whatever order the node answers in", async () => {
      const url = await start((body, _req, res) => {
        const calls = body as { id: number; params: [string, boolean] }[];
        json(
          res,
          200,
          calls.reverse().map((c) => ({ jsonrpc: "2.0", id: c.id, result: { number: c.params[0], hash: `0x${"0".repeat(63)}${Number(c.params[0]) % 10}`, parentHash: "0x" + "0".repeat(64) } })),
        );
      });
      const headers = await createRpcClient({ url }).headers([1, 2, 3]);
      expect(headers.map((h) => h?.number)).to.deep.equal([1, 2, 3]);
    });

    it("maps a missing block to undefined", async () => {
      const url = await start((body, _req, res) => json(res, 200, (body as { id: number }[]).map((c) => ({ jsonrpc: "2.0", id: c.id, result: null }))));
      expect(await createRpcClient({ url }).headers([7, 8])).to.deep.equal([undefined, undefined]);
    });
  });
});
