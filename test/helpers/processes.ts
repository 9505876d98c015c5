import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";

/** A TCP port free on the loopback interface right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Processes whose environment carries our DATA_DIR (start script, Anvil, gateway). Linux only. */
export function processesOf(dataDir: string): number[] {
  if (!existsSync("/proc")) return [];
  const marker = `DATA_DIR=${dataDir}\0`;
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, "latin1").includes(marker)) pids.push(Number(entry));
    } catch {
      // gone or not ours
    }
  }
  return pids;
}
