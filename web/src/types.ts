/**
 * Answer shapes of the gateway's API as the dashboard reads them (the OpenAPI document at /openapi.json is
 * the reference). Shapes of modules that may not be deployed yet (market, financing, audit) are read
 * defensively: see the pages.
 */

export interface BlockRef {
  number: number;
  hash: string | null;
}

export interface ChainPoint {
  block: number;
  logIndex: number;
  txHash: string;
}

export interface Patent {
  id: string;
  number: string;
  owner: string;
  holder: string;
  kind: string;
  status: string;
  statusCode: number;
  filingDate: string;
  grantDate: string;
  expiryDate: string;
  title: string;
  ipc: string[];
  inventory: {
    readiness: number;
    willing: boolean;
    modes: number;
    modeNames: string[];
    selfScore: number;
    unitScore: number;
    scenarios: string[];
  };
  locks: number;
  lockNames: string[];
  pendingTransfer: string | null;
  registered: ChainPoint;
  updated: ChainPoint;
}

export interface PatentPage {
  block: BlockRef;
  items: Patent[];
  next: string | null;
  scan?: { driver: string; examined: number; limit: number; complete: boolean };
}

export interface Transfer {
  id: string;
  from: string;
  to: string;
  status: string;
  cnipaReference: string | null;
  registrationDay: number | null;
  refusalReason: string | null;
  proposed: ChainPoint;
  updated: ChainPoint;
}

export interface Evaluation {
  id: string;
  evaluator: string;
  interest: number;
  improvementNeed: number;
  cooperationWillingness: number;
  recorded: ChainPoint;
}

export interface Dossier {
  block: BlockRef;
  patent: Patent;
  inForce: boolean;
  implementation: { transfer: boolean; licence: boolean; pledge: boolean; equity: boolean; any: boolean };
  dormant: boolean;
  pendingTransfer: Transfer | null;
  transfers: Transfer[];
  evaluations: Evaluation[];
}

export interface TimelineEntry {
  contract: string;
  event: string;
  args: Record<string, unknown>;
  block: number;
  logIndex: number;
  txHash: string;
}

export interface TimelinePage {
  block: BlockRef;
  items: TimelineEntry[];
  next: string | null;
}

export interface Rate {
  registered: number;
  implemented: number;
  rate: number;
}

export interface Stats {
  block: BlockRef;
  asOfDate: string;
  patents: { registered: number; byStatus: Record<string, number>; byKind: Record<string, number> };
  implementation: Rate & { byRecord: Record<string, number> };
  byOwner: (Rate & { owner: string })[];
  owners: number;
  byIpcSection: (Rate & { section: string })[];
  byGrantYear: (Rate & { year: number })[];
  dormant: { count: number; rule: string };
  notCovered: string[];
}

export interface Health {
  chainId: number;
  head: { number: number; hash: string };
  indexed: { number: number; hash: string | null } | null;
  lag: number | null;
  contracts: Record<string, string>;
}

/** A page of items of a module whose shape the dashboard reads generically. */
export interface GenericPage {
  block?: BlockRef;
  items?: Record<string, unknown>[];
  next?: string | null;
}
