import { createServer, type Server } from "node:http";
import type { Socket } from "node:net";

/** An HTTP proxy in front of the node that can be switched off (connections are cut). */
export interface RpcProxy {
  url: string;
  setDown(down: boolean): void;
  close(): Promise<void>;
}

/** `latencyMs` delays every answer (to stretch a backfill over time). */
export async function startProxy(target: string, latencyMs = 0): Promise<RpcProxy> {
  let down = false;
  const sockets = new Set<Socket>();
  const server: Server = createServer(async (req, res) => {
    if (down) {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
    try {
      const answer = await fetch(target, { method: "POST", headers: { "content-type": "application/json" }, body: Buffer.concat(chunks) });
      res.writeHead(answer.status, { "content-type": "application/json" });
      res.end(Buffer.from(await answer.arrayBuffer()));
    } catch {
      req.socket.destroy();
    }
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    setDown(value) {
      down = value;
      if (value) for (const s of sockets) s.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

