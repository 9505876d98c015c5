export * from "./client";
export * from "./errors";
export * from "./names";
export * from "./records";
