import { ethers } from "hardhat";
import { reset, time } from "@nomicfoundation/hardhat-network-helpers";
import { AbiCoder, ParamType, concat, keccak256 } from "ethers";
import { deployFixture } from "../helpers/fixtures";
import { Roles } from "../../server/chain/roles";
import { checkDigitOf, chinaDayOf } from "../../server/chain/cnipa";
import { TestLockModule__factory } from "../../typechain-types";
import type { PatentRegistry } from "../../typechain-types";
import type { PatentRegistrationStruct } from "../../typechain-types/contracts/registry/PatentRegistry";

/** Noon in China on 15 January 2030: every registry test starts on this day, far from midnight. */
export const FIXED_NOW = Date.UTC(2030, 0, 15, 4, 0, 0) / 1000;
export const TODAY = chinaDayOf(FIXED_NOW);

/** The first second (unix) of a China Standard Time calendar day. */
export function cstMidnight(day: number): number {
  return day * 86_400 - 8 * 3600;
}

/**
 * The ledger deployed on a fresh chain with the clock set to FIXED_NOW. Tests travel in time, and a
 * fixture loaded for the first time runs on the chain as the last test left it: so it starts from a reset
 * chain (which also drops the snapshots of other fixtures; they are simply rebuilt when next loaded).
 */
export async function registryFixture() {
  await reset();
  const f = await deployFixture();
  await time.increaseTo(FIXED_NOW);
  return f;
}

/** The ledger with two test lock modules holding LOCK_LISTED (1) and LOCK_PLEDGED (2). */
export async function moduleFixture() {
  const f = await registryFixture();
  const registryAddress = await f.registry.getAddress();
  const moduleA = await new TestLockModule__factory(f.admin).deploy(registryAddress);
  const moduleB = await new TestLockModule__factory(f.admin).deploy(registryAddress);
  const unprivileged = await new TestLockModule__factory(f.admin).deploy(registryAddress);
  for (const m of [moduleA, moduleB]) {
    await f.accessManager.connect(f.admin).grantRole(Roles.MODULE, await m.getAddress(), 0);
  }
  await f.registry.connect(f.admin).setLockModule(1, await moduleA.getAddress());
  await f.registry.connect(f.admin).setLockModule(2, await moduleB.getAddress());
  return { ...f, moduleA, moduleB, unprivileged };
}

/** The same record under another application number (check digit recomputed). */
export function withNumber(record: PatentRegistrationStruct, digits: string): PatentRegistrationStruct {
  return { ...record, number: BigInt(digits), facts: { ...record.facts, checkDigit: checkDigitOf(digits.padStart(digits.length > 8 ? 12 : 8, "0")) } };
}

let registrationType: ParamType | undefined;

/** keccak256(abi.encode(record)), as the registry computes a record's leaf. */
export function recordHash(registry: PatentRegistry, record: PatentRegistrationStruct): string {
  registrationType ??= registry.interface.getFunction("register").inputs[0];
  if (!registrationType) throw new Error("register has no input");
  return keccak256(AbiCoder.defaultAbiCoder().encode([registrationType], [record]));
}

/** Merkle root with sorted-pair keccak256; an odd node is carried up unchanged. */
export function merkleRoot(leaves: readonly string[]): string {
  let level = [...leaves];
  if (level.length === 0) throw new Error("no leaves");
  while (level.length > 1) {
    const next: string[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) {
      const a = level[i]!;
      const b = level[i + 1]!;
      next.push(keccak256(BigInt(a) < BigInt(b) ? concat([a, b]) : concat([b, a])));
    }
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return level[0]!;
}

/** A struct as the nested array the event matchers compare against. */
export function factsTuple(record: PatentRegistrationStruct) {
  const f = record.facts;
  return [f.checkDigit, f.kind, f.filingDay, f.grantDay, f.dossierHash];
}

export function inventoryTuple(inv: PatentRegistrationStruct["inventory"]) {
  return [inv.readiness, inv.willing, inv.modes, inv.selfScore, inv.unitScore, inv.scenarioTags];
}

export const ZERO_HASH = ethers.ZeroHash;
