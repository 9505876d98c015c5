import type { PatentEntity } from "../indexer";
import { normaliseIpc, normaliseIpcPrefix } from "../store/keys";
import { normaliseIndustryCode, type Concordance } from "../api/concordance";
import { interestsFor } from "../api/routes/match";
import type { WebhookFilter } from "./store";

/** The industry codes an entry of a webhook filter stands for, or undefined when it is unknown. */
export function industriesOf(concordance: Concordance, entry: string): string[] | undefined {
  const priority = concordance.data.priorityIndustries.find((p) => p.id === entry.toLowerCase());
  if (priority) return priority.industries;
  const code = normaliseIndustryCode(entry);
  return code === undefined ? undefined : [code];
}

/**
 * A predicate over patents: true when one of the patent's IPC codes starts with one of the filter's IPC
 * prefixes or with a prefix the concordance gives for one of its industries (as /v1/match and the SSE
 * feed). An empty filter matches every patent.
 */
export function compileFilter(concordance: Concordance, filter: WebhookFilter): (patent: PatentEntity) => boolean {
  if (filter.industries.length === 0 && filter.ipc.length === 0) return () => true;
  const industries = filter.industries.flatMap((entry) => industriesOf(concordance, entry) ?? []);
  const prefixes = [
    ...filter.ipc.map(normaliseIpcPrefix),
    ...(industries.length > 0 ? interestsFor(concordance, industries, undefined).map((i) => i.key) : []),
  ];
  return (patent) => patent.ipc.some((code) => prefixes.some((p) => normaliseIpc(code).startsWith(p)));
}
