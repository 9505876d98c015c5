/**
 * Answer shapes of the gateway's API as the dashboard reads them. Shapes of modules that may not be
 * deployed yet (market, financing, licences) are read defensively: see the pages.
 */
import type { z } from "zod";
import type { BlockRef as BlockRefT } from "../../server/api/endpoint";
import type { TransferHistorySchema } from "../../server/api/routes/audit";
import type { DossierSchema, PatentPageSchema, TimelinePageSchema } from "../../server/api/routes/exchange";
import type { HealthSchema } from "../../server/api/routes/health";
import type { StatsSchema } from "../../server/api/routes/stats";
import type { EvaluationSchema, PatentSchema, TimelineEntrySchema, TransferSchema } from "../../server/api/schemas";

/** Type-only imports of the API's own zod schemas: tsc -p web fails when an answer shape changes under the pages. */

export type BlockRef = BlockRefT;
/** Indexed answers carry the block they were true at (added by the endpoint framework). */
type Stamped<T> = T & { block: BlockRef };

export type Patent = z.output<typeof PatentSchema>;
export type Transfer = z.output<typeof TransferSchema>;
export type Evaluation = z.output<typeof EvaluationSchema>;
export type TimelineEntry = z.output<typeof TimelineEntrySchema>;
export type PatentPage = Stamped<z.output<typeof PatentPageSchema>>;
export type Dossier = Stamped<z.output<typeof DossierSchema>>;
export type TimelinePage = Stamped<z.output<typeof TimelinePageSchema>>;
export type TransferHistory = Stamped<z.output<typeof TransferHistorySchema>>;
export type Stats = z.output<typeof StatsSchema>;
export type Health = z.output<typeof HealthSchema>;

export interface Rate {
  registered: number;
  implemented: number;
  rate: number;
}

/** A page of items of a module whose shape the dashboard reads generically. */
export interface GenericPage {
  block?: BlockRef;
  items?: Record<string, unknown>[];
  next?: string | null;
}
