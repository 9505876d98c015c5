import { formatCnipaNumber } from "../../chain/cnipa";
import { LegalStatus, PatentKind, TransferStatus } from "../../chain/roles";
import type { StoreWrite } from "../../store/db";
import { keys } from "../../store/keys";
import { expiryDayOf } from "../expiry";
import { defineHandler, type EventHandler, type LedgerEvent } from "../types";
import { must, point, timeline, ZERO_ADDRESS, type ChainPoint } from "./common";

export { HandlerStateError, type ChainPoint, type TimelineEntry } from "./common";

/**
 * The read model of PatentRegistry: patents, transfers, market evaluations, record commitments, lock
 * modules, the per-patent timeline and the owner, IPC and status indexes. One pure handler per event.
 */

export type InventoryJson = {
  readiness: number;
  willing: boolean;
  modes: number;
  selfScore: number;
  unitScore: number;
  scenarioTags: number;
};

export type PatentEntity = {
  id: string;
  number: string;
  owner: string;
  holder: string;
  kind: string;
  status: string;
  statusCode: number;
  filingDay: number;
  grantDay: number;
  expiryDay: number;
  checkDigit: number;
  dossierHash: string;
  title: string;
  ipc: string[];
  inventory: InventoryJson;
  commitment: string;
  recordHash: string;
  locks: number;
  lockBits: number[];
  pendingTransfer: string | null;
  registered: ChainPoint;
  updated: ChainPoint;
};

export type TransferEntity = {
  id: string;
  patentId: string;
  from: string;
  to: string;
  contractHash: string;
  status: string;
  initiator: string | null;
  agreedDay: number | null;
  cnipaReference: string | null;
  registrationDay: number | null;
  refusalReason: string | null;
  cancelledBy: string | null;
  proposed: ChainPoint;
  updated: ChainPoint;
};

export type EvaluationEntity = {
  id: string;
  patentId: string;
  evaluator: string;
  interest: number;
  improvementNeed: number;
  cooperationWillingness: number;
  reportHash: string;
  recorded: ChainPoint;
};

// ---------------------------------------------------------------- event argument shapes (abi.ts output)

type PatentRegisteredArgs = {
  patentId: string;
  holder: string;
  commitment: string;
  recordHash: string;
  facts: { checkDigit: number; kind: number; filingDay: number; grantDay: number; dossierHash: string };
  title: string;
  ipc: string[];
  inventory: InventoryJson;
};
type RecordsCommittedArgs = { commitment: string; root: string; count: string };
type LegalStatusChangedArgs = { patentId: string; previous: number; status: number; reason: string };
type InventoryUpdatedArgs = { patentId: string; by: string; inventory: InventoryJson };
type MarketEvaluatedArgs = {
  evaluationId: string;
  patentId: string;
  evaluator: string;
  interest: number;
  improvementNeed: number;
  cooperationWillingness: number;
  reportHash: string;
};
type TransferProposedArgs = { transferId: string; patentId: string; from: string; to: string; contractHash: string };
type TransferAgreedArgs = { transferId: string; patentId: string; to: string; initiator: string; agreedDay: number };
type TransferRegisteredArgs = {
  transferId: string;
  patentId: string;
  to: string;
  from: string;
  cnipaReference: string;
  registrationDay: number;
};
type TransferRefusedArgs = { transferId: string; patentId: string; reason: string };
type TransferCancelledArgs = { transferId: string; patentId: string; by: string };
type LockArgs = { patentId: string; lockBit: number; module: string };
type LockModuleSetArgs = { lockBit: number; module: string };
type Erc721TransferArgs = { from: string; to: string; tokenId: string };

// ---------------------------------------------------------------- helpers

function bitsOf(mask: number): number[] {
  const out: number[] = [];
  for (let bit = 0; mask >> bit !== 0; bit++) if ((mask >> bit) & 1) out.push(bit);
  return out;
}

const kindName = (k: number): string => PatentKind[k] ?? `Unknown(${k})`;
const statusName = (s: number): string => LegalStatus[s] ?? `Unknown(${s})`;
const transferStatusName = (s: TransferStatus): string => TransferStatus[s];

/** A handler that updates one patent and records the event on its timeline. */
function patentUpdate<A extends { patentId: string }>(
  change: (patent: PatentEntity, e: LedgerEvent<A>) => { patent: PatentEntity; extra?: StoreWrite[] },
): EventHandler {
  return defineHandler<A>({
    reads: (e) => [keys.patent(e.args.patentId)],
    apply(e, state) {
      const before = must<PatentEntity>(state, keys.patent(e.args.patentId), e);
      const { patent, extra = [] } = change(before, e);
      return [{ key: keys.patent(e.args.patentId), value: { ...patent, updated: point(e) } }, ...extra, timeline(e, e.args.patentId)];
    },
  });
}

/** A handler that updates one transfer (and possibly its patent) and records the event on the timeline. */
function transferUpdate<A extends { transferId: string; patentId: string }>(
  change: (t: TransferEntity, e: LedgerEvent<A>) => TransferEntity,
  clearsPending: boolean,
): EventHandler {
  return defineHandler<A>({
    reads: (e) => [keys.transfer(e.args.transferId), keys.patent(e.args.patentId)],
    apply(e, state) {
      const before = must<TransferEntity>(state, keys.transfer(e.args.transferId), e);
      const writes: StoreWrite[] = [{ key: keys.transfer(e.args.transferId), value: { ...change(before, e), updated: point(e) } }];
      if (clearsPending) {
        const patent = must<PatentEntity>(state, keys.patent(e.args.patentId), e);
        if (patent.pendingTransfer === e.args.transferId) {
          writes.push({ key: keys.patent(e.args.patentId), value: { ...patent, pendingTransfer: null, updated: point(e) } });
        }
      }
      writes.push(timeline(e, e.args.patentId));
      return writes;
    },
  });
}

// ---------------------------------------------------------------- handlers

export const registryHandlers: Record<string, EventHandler> = {
  PatentRegistered: defineHandler<PatentRegisteredArgs>({
    reads: () => [],
    apply(e) {
      const a = e.args;
      const patent: PatentEntity = {
        id: a.patentId,
        number: formatCnipaNumber(BigInt(a.patentId)),
        owner: a.holder,
        holder: a.holder,
        kind: kindName(a.facts.kind),
        status: statusName(LegalStatus.Valid),
        statusCode: LegalStatus.Valid,
        filingDay: a.facts.filingDay,
        grantDay: a.facts.grantDay,
        expiryDay: expiryDayOf(a.facts.kind as PatentKind, a.facts.filingDay),
        checkDigit: a.facts.checkDigit,
        dossierHash: a.facts.dossierHash,
        title: a.title,
        ipc: a.ipc,
        inventory: a.inventory,
        commitment: a.commitment,
        recordHash: a.recordHash,
        locks: 0,
        lockBits: [],
        pendingTransfer: null,
        registered: point(e),
        updated: point(e),
      };
      const ipcKeys = [...new Set(a.ipc.map((code) => keys.byIpc(code, a.patentId)))];
      return [
        { key: keys.patent(a.patentId), value: patent },
        { key: keys.byOwner(a.holder, a.patentId), value: "" },
        ...ipcKeys.map((key) => ({ key, value: "" })),
        { key: keys.byStatus(LegalStatus.Valid, a.patentId), value: "" },
        timeline(e, a.patentId),
      ];
    },
  }),

  RecordsCommitted: defineHandler<RecordsCommittedArgs>({
    reads: () => [],
    apply: (e) => [
      { key: keys.commitment(e.args.commitment), value: { commitment: e.args.commitment, root: e.args.root, count: e.args.count, committed: point(e) } },
    ],
  }),

  LegalStatusChanged: patentUpdate<LegalStatusChangedArgs>((p, e) => ({
    patent: { ...p, status: statusName(e.args.status), statusCode: e.args.status },
    extra: [
      { key: keys.byStatus(p.statusCode, p.id), value: null },
      { key: keys.byStatus(e.args.status, p.id), value: "" },
    ],
  })),

  InventoryUpdated: patentUpdate<InventoryUpdatedArgs>((p, e) => ({ patent: { ...p, inventory: e.args.inventory } })),

  MarketEvaluated: defineHandler<MarketEvaluatedArgs>({
    reads: () => [],
    apply(e) {
      const a = e.args;
      const evaluation: EvaluationEntity = {
        id: a.evaluationId,
        patentId: a.patentId,
        evaluator: a.evaluator,
        interest: a.interest,
        improvementNeed: a.improvementNeed,
        cooperationWillingness: a.cooperationWillingness,
        reportHash: a.reportHash,
        recorded: point(e),
      };
      return [
        { key: keys.evaluation(a.evaluationId), value: evaluation },
        { key: keys.evaluationsOfPatent(a.patentId, a.evaluationId), value: "" },
        timeline(e, a.patentId),
      ];
    },
  }),

  TransferProposed: defineHandler<TransferProposedArgs>({
    reads: (e) => [keys.patent(e.args.patentId)],
    apply(e, state) {
      const a = e.args;
      const patent = must<PatentEntity>(state, keys.patent(a.patentId), e);
      const transfer: TransferEntity = {
        id: a.transferId,
        patentId: a.patentId,
        from: a.from,
        to: a.to,
        contractHash: a.contractHash,
        status: transferStatusName(TransferStatus.Proposed),
        initiator: null,
        agreedDay: null,
        cnipaReference: null,
        registrationDay: null,
        refusalReason: null,
        cancelledBy: null,
        proposed: point(e),
        updated: point(e),
      };
      return [
        { key: keys.transfer(a.transferId), value: transfer },
        { key: keys.transfersOfPatent(a.patentId, a.transferId), value: "" },
        { key: keys.patent(a.patentId), value: { ...patent, pendingTransfer: a.transferId, updated: point(e) } },
        timeline(e, a.patentId),
      ];
    },
  }),

  TransferAgreed: transferUpdate<TransferAgreedArgs>(
    (t, e) => ({
      ...t,
      status: transferStatusName(TransferStatus.Agreed),
      agreedDay: e.args.agreedDay,
      initiator: e.args.initiator === ZERO_ADDRESS ? null : e.args.initiator,
    }),
    false,
  ),

  TransferRegistered: transferUpdate<TransferRegisteredArgs>(
    (t, e) => ({
      ...t,
      status: transferStatusName(TransferStatus.Registered),
      cnipaReference: e.args.cnipaReference,
      registrationDay: e.args.registrationDay,
    }),
    true,
  ),

  TransferRefused: transferUpdate<TransferRefusedArgs>(
    (t, e) => ({ ...t, status: transferStatusName(TransferStatus.Refused), refusalReason: e.args.reason }),
    true,
  ),

  TransferCancelled: transferUpdate<TransferCancelledArgs>(
    (t, e) => ({ ...t, status: transferStatusName(TransferStatus.Cancelled), cancelledBy: e.args.by }),
    true,
  ),

  PatentLocked: patentUpdate<LockArgs>((p, e) => {
    const locks = p.locks | (1 << e.args.lockBit);
    return { patent: { ...p, locks, lockBits: bitsOf(locks) } };
  }),

  PatentUnlocked: patentUpdate<LockArgs>((p, e) => {
    const locks = p.locks & ~(1 << e.args.lockBit);
    return { patent: { ...p, locks, lockBits: bitsOf(locks) } };
  }),

  LockModuleSet: defineHandler<LockModuleSetArgs>({
    reads: () => [],
    apply: (e) => [{ key: keys.lockModule(e.args.lockBit), value: { lockBit: e.args.lockBit, module: e.args.module, set: point(e) } }],
  }),

  /** ERC-721 Transfer: the mint precedes PatentRegistered (which indexes the holder); later moves re-index the owner. */
  Transfer: defineHandler<Erc721TransferArgs>({
    reads: (e) => [keys.patent(e.args.tokenId)],
    apply(e, state) {
      const { from, to, tokenId } = e.args;
      const patent = state.get<PatentEntity>(keys.patent(tokenId));
      const writes: StoreWrite[] = [];
      if (patent !== undefined && from !== ZERO_ADDRESS) {
        writes.push(
          { key: keys.patent(tokenId), value: { ...patent, owner: to, updated: point(e) } },
          { key: keys.byOwner(from, tokenId), value: null },
          { key: keys.byOwner(to, tokenId), value: "" },
        );
      }
      writes.push(timeline(e, tokenId));
      return writes;
    },
  }),
};

/** The registry events the indexer decodes (every handled one). */
export const REGISTRY_EVENTS = Object.keys(registryHandlers);

