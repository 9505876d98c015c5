import { FeeMethod, LicenceKind, LicenceStatus } from "../../server/chain/licensing";

/** A small model of the licensing rules (contracts/licensing), for the property-based test. */

export const MAX_ACTIVE = 32;
export const MAX_SUBS = 16;

export interface MLicence {
  id: number;
  kind: LicenceKind;
  licensee: string;
  status: LicenceStatus;
  fields: bigint;
  territories: bigint;
  start: number;
  end: number;
  parentId: number;
  sublicensable: boolean;
  method: FeeMethod;
  bps: bigint;
  amount: bigint;
  owed: bigint;
  feePaid: boolean;
}

export interface MState {
  today: number;
  licences: MLicence[]; // index id - 1
  active: number[];
  subs: Map<number, number[]>;
  position: Map<number, number>;
  open: { declared: boolean; royalty: boolean };
  shares: { inventorsBps: bigint; ttoBps: bigint } | null;
}

/** An expected outcome: success, or a custom error with its arguments (stringified). */
export type Outcome = { ok: true } | { ok: false; error: string; args: (string | number | bigint | boolean)[] };

export const OK: Outcome = { ok: true };
export const fail = (error: string, ...args: (string | number | bigint | boolean)[]): Outcome => ({ ok: false, error, args });

export function newState(today: number): MState {
  return { today, licences: [], active: [], subs: new Map(), position: new Map(), open: { declared: false, royalty: false }, shares: null };
}

export function clone(s: MState): MState {
  return structuredClone(s);
}

export function get(s: MState, id: number): MLicence {
  const l = s.licences[id - 1];
  if (!l) throw new Error(`model has no licence ${id}`);
  return l;
}

const strong = (k: LicenceKind) => k === LicenceKind.Exclusive || k === LicenceKind.Sole;

export function overlaps(a: Pick<MLicence, "fields" | "territories" | "start" | "end">, b: Pick<MLicence, "fields" | "territories" | "start" | "end">): boolean {
  return a.start < b.end && b.start < a.end && (a.fields & b.fields) !== 0n && (a.territories & b.territories) !== 0n;
}

function push(s: MState, list: number[], id: number) {
  list.push(id);
  s.position.set(id, list.length);
}

function remove(s: MState, list: number[], id: number) {
  const index = (s.position.get(id) ?? 0) - 1;
  const last = list.length - 1;
  if (index !== last) {
    const moved = list[last]!;
    list[index] = moved;
    s.position.set(moved, index + 1);
  }
  list.pop();
  s.position.delete(id);
}

export function close(s: MState, id: number, status: LicenceStatus) {
  const l = get(s, id);
  l.status = status;
  if (l.kind === LicenceKind.Sublicence) {
    remove(s, s.subs.get(l.parentId)!, id);
    return;
  }
  remove(s, s.active, id);
  const subs = s.subs.get(id) ?? [];
  while (subs.length > 0) {
    const sub = subs.pop()!;
    get(s, sub).status = LicenceStatus.Revoked;
    s.position.delete(sub);
  }
}

/** The contract's `_admit`: prune ended licences, refuse a conflict, then the cap. */
export function admit(s: MState, patentId: bigint, kind: LicenceKind, scope: Pick<MLicence, "fields" | "territories" | "start" | "end">): Outcome {
  let i = 0;
  while (i < s.active.length) {
    const id = s.active[i]!;
    const l = get(s, id);
    if (s.today >= l.end) {
      close(s, id, LicenceStatus.Expired);
      continue;
    }
    if ((strong(kind) || strong(l.kind)) && overlaps(scope, l)) {
      return fail("LicensingConflict", id, l.kind, l.start, l.end, l.fields, l.territories);
    }
    i++;
  }
  if (s.active.length >= MAX_ACTIVE) return fail("LicensingTooManyActiveLicences", patentId, MAX_ACTIVE);
  return OK;
}

export function store(s: MState, l: Omit<MLicence, "id" | "status" | "owed" | "feePaid">): MLicence {
  const stored: MLicence = { ...l, id: s.licences.length + 1, status: LicenceStatus.Active, owed: 0n, feePaid: false };
  s.licences.push(stored);
  if (l.kind === LicenceKind.Sublicence) {
    if (!s.subs.has(l.parentId)) s.subs.set(l.parentId, []);
    push(s, s.subs.get(l.parentId)!, stored.id);
  } else {
    push(s, s.active, stored.id);
  }
  return stored;
}

/** Licences in force today (status Active and not past their end). */
export function inForce(s: MState): MLicence[] {
  return s.licences.filter((l) => l.status === LicenceStatus.Active && s.today < l.end);
}

/** The first rule the property checks: no two licences in force overlap where one is exclusive or sole
 * (a sublicence and its own parent share the parent's rights and are exempt). */
export function conflictingPair(licences: MLicence[]): [MLicence, MLicence] | undefined {
  for (let i = 0; i < licences.length; i++) {
    for (let j = i + 1; j < licences.length; j++) {
      const a = licences[i]!;
      const b = licences[j]!;
      if (a.parentId === b.id || b.parentId === a.id) continue;
      if ((strong(a.kind) || strong(b.kind)) && overlaps(a, b)) return [a, b];
    }
  }
  return undefined;
}

export function isStrong(kind: LicenceKind): boolean {
  return strong(kind);
}

/** The split of `amount` between unit, inventors and office (the unit takes the remainder). */
export function split(s: MState, l: MLicence, amount: bigint): { unit: bigint; inventors: bigint; tto: bigint } {
  if (l.kind === LicenceKind.Sublicence || !s.shares) return { unit: amount, inventors: 0n, tto: 0n };
  const inventors = (amount * s.shares.inventorsBps) / 10_000n;
  const tto = (amount * s.shares.ttoBps) / 10_000n;
  return { unit: amount - inventors - tto, inventors, tto };
}
