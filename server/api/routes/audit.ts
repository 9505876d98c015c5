import { z } from "zod";
import type { AppContext } from "../../context";
import { isoOfDay } from "../../chain/cnipa";
import type { TransferEntity } from "../../indexer";
import { createApiRouter, indexedBlock, type ApiRouter } from "../endpoint";
import { ApiError } from "../errors";
import { NumberParams, TransferSchema, transferView } from "../schemas";

/**
 * The auditors' router: ownership history of a patent as JSON or CSV, each fact with its transaction,
 * block and log index. (Licensing history with royalties comes with the licence index.)
 */

const FormatQuery = z.object({
  format: z.enum(["json", "csv"], { error: "format: json or csv" }).optional().describe("json (default) or csv"),
});

export const TransferHistorySchema = z
  .object({
    patent: z.object({ id: z.string(), number: z.string(), owner: z.string(), holder: z.string() }),
    transfers: z.array(TransferSchema).describe("oldest first"),
  })
  .meta({ id: "TransferHistory" });

export const CSV_COLUMNS = [
  "transferId",
  "patentNumber",
  "from",
  "to",
  "status",
  "agreedDate",
  "registrationDate",
  "cnipaReference",
  "refusalReason",
  "cancelledBy",
  "proposedBlock",
  "proposedLogIndex",
  "proposedTx",
  "updatedBlock",
  "updatedLogIndex",
  "updatedTx",
] as const;

/** RFC 4180 field: quoted when it holds a comma, quote or line break; a leading =+-@ is prefixed with ' (spreadsheet formula injection). */
function csvField(value: string | number | null): string {
  if (value === null) return "";
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function transfersCsv(number: string, transfers: TransferEntity[]): string {
  const rows = transfers.map((t) =>
    [
      t.id,
      number,
      t.from,
      t.to,
      t.status,
      t.agreedDay === null ? null : isoOfDay(t.agreedDay),
      t.registrationDay === null ? null : isoOfDay(t.registrationDay),
      t.cnipaReference,
      t.refusalReason,
      t.cancelledBy,
      t.proposed.block,
      t.proposed.logIndex,
      t.proposed.txHash,
      t.updated.block,
      t.updated.logIndex,
      t.updated.txHash,
    ]
      .map(csvField)
      .join(","),
  );
  return `${[CSV_COLUMNS.join(","), ...rows].join("\r\n")}\r\n`;
}

export function registerAudit(api: ApiRouter, ctx: AppContext): void {
  api.get({
    path: "/audit/patents/{number}/transfers",
    operationId: "getTransferHistory",
    summary: "Ownership history of a patent (JSON or CSV)",
    description:
      "Every transfer with its state, CNIPA registration reference and the chain point (block, log index, transaction) of its proposal " +
      "and last change. CSV answers carry the block in the X-Indexed-Block and X-Indexed-Block-Hash headers.",
    params: NumberParams,
    query: FormatQuery,
    response: TransferHistorySchema,
    alsoProduces: ["text/csv"],
    errors: { 400: ["BAD_REQUEST", "INVALID_PATENT_NUMBER"], 404: ["PATENT_NOT_FOUND"] },
    indexed: "read",
    async handler({ params, query, res }) {
      const { queries } = ctx.index!;
      const patent = await queries.getPatent(params.number.id);
      if (!patent) throw new ApiError(404, "PATENT_NOT_FOUND", `${params.number.number} is not registered on the ledger`, { number: params.number.number });
      const transfers = await queries.transfersOfPatent(patent.id);
      if (query.format === "csv") {
        const block = await indexedBlock(ctx);
        res
          .status(200)
          .type("text/csv; charset=utf-8")
          .set("X-Indexed-Block", String(block.number))
          .set("X-Indexed-Block-Hash", block.hash ?? "")
          .attachment(`${patent.number}-transfers.csv`)
          .send(transfersCsv(patent.number, transfers));
        return undefined;
      }
      return {
        patent: { id: patent.id, number: patent.number, owner: patent.owner, holder: patent.holder },
        transfers: transfers.map(transferView),
      };
    },
  });
}

export function createAuditRouter(ctx: AppContext): ApiRouter {
  const api = createApiRouter(ctx, "audit");
  registerAudit(api, ctx);
  return api;
}
