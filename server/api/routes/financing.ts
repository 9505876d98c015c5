import { z } from "zod";
import type { AppContext } from "../../context";
import { isoOfDay } from "../../chain/cnipa";
import { LegalStatus, LockBits } from "../../chain/roles";
import { keys } from "../../store/keys";
import { createApiRouter, type ApiRouter } from "../endpoint";
import { ApiError } from "../errors";
import { NumberParams, TransferSchema, transferView } from "../schemas";
import { readerOf } from "./exchange";

/**
 * The banks' router. For now what the registry index knows: the encumbrance view of a patent from its
 * owner, legal status, expiry, lock bits (with the module holding each) and pending transfer. Pledges,
 * consents, licences and valuations join it with the financing index.
 */

const LockSchema = z.object({
  bit: z.number().int(),
  name: z.string().describe(`one of ${Object.keys(LockBits).join(", ")}`),
  module: z.string().nullable().describe("the contract the admin named for this lock bit"),
});

export const EncumbrancesSchema = z
  .object({
    patent: z.object({
      id: z.string(),
      number: z.string(),
      owner: z.string(),
      status: z.string(),
      statusCode: z.number().int(),
      expiryDay: z.number().int(),
      expiryDate: z.string(),
      inForce: z.boolean().describe("valid and before its expiry day (gateway clock, China Standard Time)"),
    }),
    locks: z.array(LockSchema).describe("lock bits set on the patent"),
    pendingTransfer: TransferSchema.nullable(),
    pledgeBlockers: z
      .array(z.string())
      .describe(
        "facts of the registry index that bar a new pledge (not in force, a status other than Valid, a pending transfer, already pledged, " +
          "under disposal); empty when none. The pledge module's own rules (e.g. the debt term against the expiry) apply on top",
      ),
  })
  .meta({ id: "Encumbrances" });

const lockName = (bit: number): string => Object.entries(LockBits).find(([, b]) => b === bit)?.[0] ?? `BIT_${bit}`;

export function registerFinancing(api: ApiRouter, ctx: AppContext): void {
  const reader = readerOf(ctx);
  api.get({
    path: "/financing/patents/{number}/encumbrances",
    operationId: "getEncumbrances",
    summary: "What a bank must know before lending against a patent (registry facts)",
    description:
      "Owner, legal status, expiry, locks with the module holding each, the pending transfer, and the registry facts that bar a new pledge. " +
      "Pledges, consents, licences and valuations join this view with the financing index.",
    params: NumberParams,
    response: EncumbrancesSchema,
    errors: { 400: ["BAD_REQUEST", "INVALID_PATENT_NUMBER"], 404: ["PATENT_NOT_FOUND"] },
    indexed: "read",
    async handler({ params }) {
      const { queries, store } = ctx.index!;
      const p = await queries.getPatent(params.number.id);
      if (!p) throw new ApiError(404, "PATENT_NOT_FOUND", `${params.number.number} is not registered on the ledger`, { number: params.number.number });
      const modules = await store.getMany<{ module: string }>(p.lockBits.map((bit) => keys.lockModule(bit)));
      const pending = p.pendingTransfer !== null ? await queries.getTransfer(p.pendingTransfer) : undefined;
      const inForce = p.statusCode === LegalStatus.Valid && reader().today() < p.expiryDay;
      const blockers: string[] = [];
      if (p.statusCode !== LegalStatus.Valid) blockers.push(`legal status is ${p.status}`);
      else if (!inForce) blockers.push(`expired on ${isoOfDay(p.expiryDay)}`);
      if (p.pendingTransfer !== null) blockers.push(`transfer ${p.pendingTransfer} is pending`);
      if (p.lockBits.includes(LockBits.PLEDGED)) blockers.push("already pledged");
      if (p.lockBits.includes(LockBits.DISPOSAL)) blockers.push("under a pledge disposal");
      return {
        patent: {
          id: p.id,
          number: p.number,
          owner: p.owner,
          status: p.status,
          statusCode: p.statusCode,
          expiryDay: p.expiryDay,
          expiryDate: isoOfDay(p.expiryDay),
          inForce,
        },
        locks: p.lockBits.map((bit, i) => ({ bit, name: lockName(bit), module: modules[i]?.module ?? null })),
        pendingTransfer: pending ? transferView(pending) : null,
        pledgeBlockers: blockers,
      };
    },
  });
}

export function createFinancingRouter(ctx: AppContext): ApiRouter {
  const api = createApiRouter(ctx, "financing");
  registerFinancing(api, ctx);
  return api;
}
