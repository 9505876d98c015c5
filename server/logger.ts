import { pino, type Logger } from "pino";
import type { LogLevel } from "./config";

export type { Logger };

/** The gateway's logger: JSON lines on stdout (pino). */
export function createLogger(level: LogLevel, name = "gateway"): Logger {
  return pino({ name, level });
}
