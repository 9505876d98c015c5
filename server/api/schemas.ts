import { z } from "zod";
import { CnipaNumberError, formatCnipaNumber, isoOfDay, parseCnipaNumber } from "../chain/cnipa";
import { LegalStatus, LockBits, Modes, PatentKind } from "../chain/roles";
import { scenarioKeys } from "../chain/scenarios";
import type { EvaluationEntity, PatentEntity, TimelineEntry, TransferEntity } from "../indexer";
import type { CodedIssueParams } from "./endpoint";

/** Shared schemas of the API: the patent number parameter, paging, and the answer shapes of the read model. */

// ---------------------------------------------------------------- parameters

const BARE_NUMBER = /^(?:ZL|CN)?(\d{8}|\d{12})$/i;

/**
 * A CNIPA number in a path: "ZL202110234567.8", "202110234567.8", "2021102345678" or the bare application
 * number "202110234567" (no check digit to verify). A wrong check digit is a 400 INVALID_PATENT_NUMBER.
 */
export const PatentNumberParam = z.string().transform((input, ctx) => {
  const text = input.trim();
  const bare = BARE_NUMBER.exec(text);
  try {
    const parsed = bare ? parseCnipaNumber(formatCnipaNumber(BigInt(bare[1]!))) : parseCnipaNumber(text);
    return { id: parsed.number.toString(), number: formatCnipaNumber(parsed.number) };
  } catch (err) {
    const params: CodedIssueParams = { apiCode: "INVALID_PATENT_NUMBER" };
    ctx.addIssue({ code: "custom", message: err instanceof CnipaNumberError ? err.message : `invalid CNIPA number "${input}"`, params });
    return z.NEVER;
  }
});

export const NumberParams = z.object({
  number: z
    .string()
    .describe('CNIPA number: "ZL202110234567.8", "202110234567.8" or the application number "202110234567"')
    .pipe(PatentNumberParam),
});

/** An IPC prefix as a query parameter: "H", "H01", "H01M", "H01M 10", "H01M 10/05". */
export const IPC_PREFIX = /^[A-H](\d{2}([A-Z](\s*\d{1,4}(\/\d{0,6})?)?)?)?$/i;

export const MAX_PAGE = 200;

export const PageQuery = z.object({
  cursor: z
    .string()
    .max(512, "cursor: too long")
    .regex(/^[A-Za-z0-9_-]+$/, "cursor: base64url")
    .optional()
    .describe("`next` of the previous page"),
  limit: z
    .string()
    .regex(/^\d{1,4}$/, "limit: decimal digits")
    .transform(Number)
    .pipe(z.number().int().min(1, "limit: at least 1").max(MAX_PAGE, `limit: at most ${MAX_PAGE}`))
    .optional()
    .describe(`items per page, 1-${MAX_PAGE} (default 50)`),
});

export const booleanParam = (what: string) =>
  z.enum(["true", "false"], { error: `${what}: true or false` }).transform((v) => v === "true");

// ---------------------------------------------------------------- answers

export const ChainPointSchema = z
  .object({ block: z.number().int(), logIndex: z.number().int(), txHash: z.string() })
  .meta({ id: "ChainPoint", description: "Where a fact was recorded: block, log index, transaction." });

const statusNames = Object.keys(LegalStatus).filter((k) => Number.isNaN(Number(k)));
const kindNames = Object.keys(PatentKind).filter((k) => Number.isNaN(Number(k)));
const lockNames = Object.keys(LockBits);
const modeNames = Object.keys(Modes);

export const STATUS_NAMES = statusNames as [string, ...string[]];
export const KIND_NAMES = kindNames as [string, ...string[]];
export const MODE_NAMES = modeNames.map((m) => m.toLowerCase()) as [string, ...string[]];

export const PatentSchema = z
  .object({
    id: z.string().describe("token id = application number"),
    number: z.string().describe('as cited, "ZL202110234567.8"'),
    owner: z.string(),
    holder: z.string().describe("the holder at registration"),
    kind: z.enum(KIND_NAMES),
    status: z.string().describe(`legal status: ${statusNames.join(", ")}`),
    statusCode: z.number().int(),
    filingDay: z.number().int().describe("calendar days since 1970-01-01 (China Standard Time)"),
    grantDay: z.number().int(),
    expiryDay: z.number().int().describe("the first day the patent is no longer in force"),
    filingDate: z.string().describe("YYYY-MM-DD"),
    grantDate: z.string(),
    expiryDate: z.string(),
    checkDigit: z.number().int(),
    dossierHash: z.string(),
    title: z.string(),
    ipc: z.array(z.string()),
    inventory: z.object({
      readiness: z.number().int().describe("technology readiness level 1-9"),
      willing: z.boolean().describe("willing to commercialise"),
      modes: z.number().int().describe("bit mask of preferred modes: 1 transfer, 2 licence, 4 equity"),
      modeNames: z.array(z.string()),
      selfScore: z.number().int(),
      unitScore: z.number().int(),
      scenarioTags: z.number().int(),
      scenarios: z.array(z.string()),
    }),
    commitment: z.string(),
    recordHash: z.string(),
    locks: z.number().int(),
    lockNames: z.array(z.string()).describe(`locks set: ${lockNames.join(", ")}`),
    pendingTransfer: z.string().nullable(),
    registered: ChainPointSchema,
    updated: ChainPointSchema,
  })
  .meta({ id: "Patent", description: "A patent as the ledger knows it." });
export type PatentView = z.infer<typeof PatentSchema>;

export function patentView(p: PatentEntity): PatentView {
  const { lockBits, inventory, ...rest } = p;
  return {
    ...rest,
    kind: p.kind,
    filingDate: isoOfDay(p.filingDay),
    grantDate: isoOfDay(p.grantDay),
    expiryDate: isoOfDay(p.expiryDay),
    inventory: {
      ...inventory,
      modeNames: modeNames.filter((m) => (inventory.modes & Modes[m as keyof typeof Modes]) !== 0).map((m) => m.toLowerCase()),
      scenarios: scenarioKeys(inventory.scenarioTags),
    },
    lockNames: lockBits.map((bit) => lockNames.find((n) => LockBits[n as keyof typeof LockBits] === bit) ?? `BIT_${bit}`),
  };
}

export const TransferSchema = z
  .object({
    id: z.string(),
    patentId: z.string(),
    from: z.string(),
    to: z.string(),
    contractHash: z.string(),
    status: z.string().describe("Proposed, Agreed, Registered, Refused or Cancelled"),
    initiator: z.string().nullable(),
    agreedDay: z.number().int().nullable(),
    cnipaReference: z.string().nullable(),
    registrationDay: z.number().int().nullable(),
    refusalReason: z.string().nullable(),
    cancelledBy: z.string().nullable(),
    proposed: ChainPointSchema,
    updated: ChainPointSchema,
  })
  .meta({ id: "Transfer", description: "A transfer of the patent right: agreed, then registered with CNIPA." });
export const transferView = (t: TransferEntity): z.infer<typeof TransferSchema> => t;

export const EvaluationSchema = z
  .object({
    id: z.string(),
    patentId: z.string(),
    evaluator: z.string(),
    interest: z.number().int(),
    improvementNeed: z.number().int(),
    cooperationWillingness: z.number().int(),
    reportHash: z.string(),
    recorded: ChainPointSchema,
  })
  .meta({ id: "MarketEvaluation", description: "A market evaluation by an enterprise expert." });
export const evaluationView = (e: EvaluationEntity): z.infer<typeof EvaluationSchema> => e;

export const TimelineEntrySchema = z
  .object({
    contract: z.string(),
    event: z.string(),
    args: z.record(z.string(), z.unknown()).describe("the event's arguments by name; integers beyond 2^53 as decimal strings"),
    block: z.number().int(),
    logIndex: z.number().int(),
    txHash: z.string(),
  })
  .meta({ id: "TimelineEntry", description: "One event about a patent, in chain order." });
export const timelineView = (e: TimelineEntry): z.infer<typeof TimelineEntrySchema> => e;

export const ImplementationSchema = z
  .object({
    transfer: z.boolean(),
    licence: z.boolean(),
    pledge: z.boolean(),
    equity: z.boolean(),
    any: z.boolean().describe("implemented: any of the four"),
  })
  .meta({
    id: "Implementation",
    description:
      "Records of implementation found on the patent's timeline: a registered ownership move, a pledge or equity lock, " +
      "licence events once the index carries them.",
  });
