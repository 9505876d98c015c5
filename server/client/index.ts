export * from "./client";
export * from "./errors";
export * from "./names";
export * from "./records";
export * from "./import";
export * from "./inventory";
export * from "./ipc";
export * from "./exchange";
