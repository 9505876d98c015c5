import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { AlreadyRunningError, stopLeftovers } from "../../scripts/leftovers";

function idle(args: string[] = [], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)", ...args], {
    env: { ...process.env, ...env },
    stdio: "ignore",
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
}

describe("leftovers", () => {
  let dir: string;
  let file: string;
  const spawned: ChildProcess[] = [];

  before(function () {
    if (!existsSync("/proc")) this.skip(); // pids are only signalled when /proc can verify them
  });

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "tianfu-leftovers-"));
    file = path.join(dir, "start.pids.json");
  });

  afterEach(async () => {
    for (const child of spawned.splice(0)) {
      child.kill("SIGKILL");
      await exited(child);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  describe("stopLeftovers", () => {
    it("stops a child whose start script is gone, and removes the pid file", async () => {
      const owner = idle(["scripts/start.ts"]);
      const chain = idle([], { DATA_DIR: dir });
      spawned.push(owner, chain);
      owner.kill("SIGKILL");
      await exited(owner);
      writeFileSync(
        file,
        JSON.stringify({ chain: { pid: chain.pid, signal: "SIGTERM", marker: `DATA_DIR=${dir}\0`, owner: owner.pid } }),
      );
      expect(await stopLeftovers(file, 5000)).to.deep.equal([`chain (pid ${chain.pid})`]);
      await exited(chain);
      expect(chain.signalCode).to.equal("SIGTERM");
      expect(existsSync(file)).to.equal(false);
    });

    it("leaves alone a pid that no longer runs the recorded process", async () => {
      const other = idle();
      spawned.push(other);
      writeFileSync(
        file,
        JSON.stringify({ chain: { pid: other.pid, signal: "SIGTERM", marker: `DATA_DIR=${dir}\0`, owner: 2 ** 22 + 1 } }),
      );
      expect(await stopLeftovers(file, 1000)).to.deep.equal([]);
      expect(other.exitCode).to.equal(null);
      expect(other.signalCode).to.equal(null);
    });

    it("throws AlreadyRunningError while the recording start script still runs", async () => {
      const owner = idle(["scripts/start.ts"]);
      const chain = idle([], { DATA_DIR: dir });
      spawned.push(owner, chain);
      writeFileSync(
        file,
        JSON.stringify({ chain: { pid: chain.pid, signal: "SIGTERM", marker: `DATA_DIR=${dir}\0`, owner: owner.pid } }),
      );
      try {
        await stopLeftovers(file, 1000);
        expect.fail("stopLeftovers did not refuse");
      } catch (err) {
        expect(err).to.be.instanceOf(AlreadyRunningError);
        expect((err as Error).message).to.equal(`npm start is already running with this DATA_DIR (pid ${owner.pid})`);
      }
      expect(chain.signalCode).to.equal(null);
      expect(existsSync(file)).to.equal(true);
    });
  });
});
