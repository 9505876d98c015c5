import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { deployFixture, patentRecord } from "../helpers/fixtures";
import { Roles } from "../../server/chain/roles";
import { FeeMethod, FeeTrigger, LicenceKind } from "../../server/chain/licensing";
import type { LicenceGrantStruct, OpenLicenceTermsStruct } from "../../typechain-types/contracts/licensing/Licensing";

export const DAY = 86_400;
export const TOKENS = 100_000_000n; // 1,000,000.00 yuan in fen

/** Today's China Standard Time day on the chain. */
export async function chainToday(): Promise<number> {
  const block = await ethers.provider.getBlock("latest");
  if (!block) throw new Error("no latest block");
  return Math.floor((block.timestamp + 8 * 3600) / DAY);
}

/** The ledger with two patents of uniA (one near expiry), a module account (broker, as the exchange),
 * and funded licensees who approved the royalties contract. */
export async function licensingFixture() {
  // Noon China time tomorrow: tests that compare days never cross a midnight by the seconds their blocks add.
  const now = await time.latest();
  await time.increaseTo(Math.floor((now + 8 * 3600) / DAY) * DAY + DAY + 4 * 3600);
  const f = await deployFixture();
  const record = patentRecord(f.uniA.address, 1);
  const old = patentRecord(f.uniA.address, 7, { year: 2007 }); // expires 2027-03-15
  await f.registry.connect(f.registrar).registerBatch([record, old]);
  await f.accessManager.connect(f.admin).grantRole(Roles.MODULE, f.broker.address, 0);
  const royaltiesAddress = await f.royalties.getAddress();
  for (const payer of [f.companyA, f.companyB, f.stranger, f.uniB]) {
    await f.token.connect(f.admin).mint(payer.address, TOKENS);
    await f.token.connect(payer).approve(royaltiesAddress, ethers.MaxUint256);
  }
  const patentId = BigInt(record.number);
  const oldPatentId = BigInt(old.number);
  return {
    ...f,
    patentId,
    oldPatentId,
    today: await chainToday(),
    expiry: Number(await f.registry.expiryDay(patentId)),
    tokenAddress: await f.token.getAddress(),
  };
}

export type LicensingFixture = Awaited<ReturnType<typeof licensingFixture>>;

export interface GrantOptions {
  kind?: LicenceKind;
  sublicensable?: boolean;
  fields?: bigint;
  territories?: bigint;
  start?: number;
  end?: number;
  method?: FeeMethod;
  amount?: bigint;
  royaltyBps?: number;
  trigger?: FeeTrigger;
  triggerDay?: number;
  token?: string;
  contractHash?: string;
}

/** Licence terms: by default non-exclusive, field 1 and territory 1, from today for a year, lump sum 1,000.00. */
export function licenceTerms(licensee: string, token: string, today: number, o: GrantOptions = {}): LicenceGrantStruct {
  return {
    licensee,
    kind: o.kind ?? LicenceKind.NonExclusive,
    sublicensable: o.sublicensable ?? false,
    scope: {
      fields: o.fields ?? 1n,
      territories: o.territories ?? 1n,
      startDay: o.start ?? today,
      endDay: o.end ?? today + 365,
    },
    fee: {
      method: o.method ?? FeeMethod.LumpSum,
      trigger: o.trigger ?? FeeTrigger.None,
      royaltyBps: o.royaltyBps ?? 0,
      triggerDay: o.triggerDay ?? 0,
      amount: o.amount ?? (o.method === undefined || o.method === FeeMethod.LumpSum ? 100_000n : 0n),
    },
    token: o.token ?? token,
    contractHash: o.contractHash ?? ethers.id(`licence-contract-${licensee}-${o.kind ?? 2}`),
  };
}

export function openTerms(token: string, o: Partial<OpenLicenceTermsStruct> = {}): OpenLicenceTermsStruct {
  return {
    method: o.method ?? FeeMethod.LumpSum,
    royaltyBps: o.royaltyBps ?? 0,
    termDays: o.termDays ?? 365,
    amount: o.amount ?? 50_000n,
    token: o.token ?? token,
  };
}

/** The id of the next licence to be granted. */
export async function nextLicenceId(f: LicensingFixture): Promise<bigint> {
  return (await f.licensing.licenceCount()) + 1n;
}
