import { keccak256, toUtf8Bytes } from "ethers";
import { dayOf, parseCnipaNumber } from "../chain/cnipa";
import { scenarioMask, type ScenarioKey } from "../chain/scenarios";
import type { InventoryStruct, PatentRegistrationStruct } from "../../typechain-types/contracts/registry/PatentRegistry";
import { modesMask, type ModeName } from "./names";

/** The survey fields of a patent as the client library takes them (names rather than bitmasks). */
export interface InventoryInput {
  readiness: number; // technology readiness level 1-9
  willing: boolean;
  modes: ModeName[];
  selfScore: number; // 0-100, 0 = not evaluated
  unitScore: number;
  scenarios: ScenarioKey[];
}

/** A patent to register. The kind and check digit come from the cited number. */
export interface PatentInput {
  number: string; // cited, e.g. "ZL202110234567.5"
  holder: string; // address
  title: string;
  ipc: string[]; // full IPC codes, main classification first
  filingDate: string; // YYYY-MM-DD (China Standard Time)
  grantDate: string;
  inventory: InventoryInput;
  /** Hash of the off-chain dossier; when absent, the keccak256 of the record's canonical JSON. */
  dossierHash?: string;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** JSON with object keys sorted at every level and no whitespace. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value));
}

/**
 * The default dossier hash: keccak256 of the canonical JSON of the record without `dossierHash`
 * (number as cited, holder as a lowercase address, dates ISO, modes and scenarios as names). Anyone can
 * recompute it from the same CSV row.
 */
export function defaultDossierHash(input: PatentInput): string {
  const { dossierHash: _ignored, ...record } = input;
  return keccak256(toUtf8Bytes(canonicalJson({ ...record, holder: record.holder.toLowerCase() })));
}

export function toInventoryStruct(inv: InventoryInput): InventoryStruct {
  return {
    readiness: inv.readiness,
    willing: inv.willing,
    modes: modesMask(inv.modes),
    selfScore: inv.selfScore,
    unitScore: inv.unitScore,
    scenarioTags: scenarioMask(...inv.scenarios),
  };
}

/** The registry's struct for a patent input. Throws CnipaNumberError on a bad number. */
export function toRegistration(input: PatentInput): PatentRegistrationStruct {
  const cited = parseCnipaNumber(input.number);
  return {
    number: cited.number,
    holder: input.holder,
    facts: {
      checkDigit: cited.checkDigit,
      kind: cited.kind,
      filingDay: dayOf(input.filingDate),
      grantDay: dayOf(input.grantDate),
      dossierHash: input.dossierHash ?? defaultDossierHash(input),
    },
    title: input.title,
    ipc: input.ipc,
    inventory: toInventoryStruct(input.inventory),
  };
}
