import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "an 0x-prefixed 20-byte address");

/**
 * The deployments file: where the ledger's contracts live on a chain. Written by the deploy script,
 * read by the gateway and the CLI. Contract names are the Solidity contract names.
 */
export const DeploymentsSchema = z.object({
  chainId: z.number().int().positive(),
  deploymentBlock: z.number().int().nonnegative(),
  deployedAt: z.string(),
  contracts: z.record(z.string(), address).refine((c) => "PatentRegistry" in c && "LedgerAccessManager" in c, {
    message: "must name at least LedgerAccessManager and PatentRegistry",
  }),
});

export type Deployments = z.infer<typeof DeploymentsSchema>;

export class DeploymentsError extends Error {
  override name = "DeploymentsError";
}

export function readDeployments(file: string): Deployments {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new DeploymentsError(`cannot read deployments file ${file}: ${(err as Error).message}`);
  }
  const parsed = DeploymentsSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new DeploymentsError(`invalid deployments file ${file}: ${issues}`);
  }
  return parsed.data;
}

/** Writes atomically (temp file then rename) so a reader never sees half a file. */
export function writeDeployments(file: string, deployments: Deployments): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(deployments, null, 2)}\n`);
  renameSync(tmp, file);
}
