import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * The start script records the pids of its children, so that a start after a hard kill (SIGKILL, power
 * loss of the terminal) stops a chain or gateway the previous run left behind instead of failing on a
 * busy port. A pid is only signalled when /proc shows it is still the process recorded (its command line
 * or environment contains `marker`), never a reused pid.
 */
interface Recorded {
  pid: number;
  signal: NodeJS.Signals;
  marker: string;
  /** Pid of the start script that started it. */
  owner: number;
}

type PidFile = Record<string, Recorded>;

/** Command-line mark of the start script, to tell it from another process that reused its pid. */
const START_MARKER = "scripts/start.ts";

function read(file: string): PidFile {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as PidFile;
  } catch {
    return {};
  }
}

function write(file: string, content: PidFile): void {
  if (Object.keys(content).length === 0) {
    rmSync(file, { force: true });
    return;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, `${JSON.stringify(content, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

export function recordChild(file: string, name: string, entry: Omit<Recorded, "owner">): void {
  write(file, { ...read(file), [name]: { ...entry, owner: process.pid } });
}

export function forgetChild(file: string, name: string): void {
  const content = read(file);
  delete content[name];
  write(file, content);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** True only if /proc confirms the pid runs a process marked so (command line or environment). */
function runs(pid: number, marker: string): boolean {
  for (const part of ["cmdline", "environ"]) {
    try {
      if (readFileSync(`/proc/${pid}/${part}`, "latin1").includes(marker)) return true;
    } catch {
      return false; // no /proc (not Linux) or not ours: never signal an unverified pid
    }
  }
  return false;
}

export class AlreadyRunningError extends Error {
  override name = "AlreadyRunningError";
}

/**
 * Stops the children a previous, hard-killed start left running; returns their names. Throws
 * AlreadyRunningError if the start that recorded them is still running.
 */
export async function stopLeftovers(file: string, timeoutMs: number): Promise<string[]> {
  if (!existsSync(file)) return [];
  const entries = Object.entries(read(file));
  for (const [, entry] of entries) {
    if (entry.owner !== process.pid && alive(entry.owner) && (runs(entry.owner, START_MARKER) || !existsSync("/proc"))) {
      throw new AlreadyRunningError(`npm start is already running with this DATA_DIR (pid ${entry.owner})`);
    }
  }
  const stopped: string[] = [];
  for (const [name, entry] of entries) {
    if (!alive(entry.pid) || !runs(entry.pid, entry.marker)) continue;
    process.kill(entry.pid, entry.signal);
    const deadline = Date.now() + timeoutMs;
    while (alive(entry.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (alive(entry.pid)) process.kill(entry.pid, "SIGKILL");
    stopped.push(`${name} (pid ${entry.pid})`);
  }
  rmSync(file, { force: true });
  return stopped;
}
