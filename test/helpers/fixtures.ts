import { ethers } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { demoAccount } from "../../server/chain/accounts";
import { deployLedger } from "../../scripts/deploy";
import { PatentKind } from "../../server/chain/roles";
import { dayOf, makeCnipaNumber, parseCnipaNumber } from "../../server/chain/cnipa";
import type { PatentRegistrationStruct } from "../../typechain-types/contracts/registry/PatentRegistry";

/** Hardhat signers named as the demo accounts (server/chain/accounts.ts); the same mnemonic and order. */
export async function namedSigners() {
  const signers = await ethers.getSigners();
  const at = (name: string): HardhatEthersSigner => {
    const signer = signers[demoAccount(name).index];
    if (!signer) throw new Error(`hardhat network has no signer for ${name}`);
    return signer;
  };
  return {
    admin: at("admin"),
    registrar: at("registrar"),
    chengdu: at("chengdu"),
    chongqing: at("chongqing"),
    bankA: at("bankA"),
    bankB: at("bankB"),
    appraiser: at("appraiser"),
    evaluator: at("evaluator"),
    uniA: at("scu"),
    uniB: at("uestc"),
    companyA: at("rongxin"),
    companyB: at("yuzhi"),
    broker: at("broker"),
    stranger: at("stranger"),
  };
}

export async function deployFixture() {
  const s = await namedSigners();
  const ledger = await deployLedger(s.admin, {
    registrars: [s.registrar.address],
    venues: [s.chengdu.address, s.chongqing.address],
    banks: [s.bankA.address, s.bankB.address],
    appraisers: [s.appraiser.address],
    evaluators: [s.evaluator.address],
  });
  return { ...s, ...ledger };
}

const KIND_DIGIT = { [PatentKind.Invention]: 1, [PatentKind.UtilityModel]: 2, [PatentKind.Design]: 3 } as const;

/** A valid registration for serial `serial` of year `year`, owned by `holder`. */
export function patentRecord(
  holder: string,
  serial: number,
  opts: { year?: number; kind?: PatentKind; filing?: string; grant?: string; title?: string; ipc?: string[] } = {},
): PatentRegistrationStruct {
  const year = opts.year ?? 2019;
  const kind = opts.kind ?? PatentKind.Invention;
  const cited = parseCnipaNumber(makeCnipaNumber(year, KIND_DIGIT[kind], serial));
  return {
    number: cited.number,
    holder,
    facts: {
      checkDigit: cited.checkDigit,
      kind,
      filingDay: dayOf(opts.filing ?? `${year}-03-15`),
      grantDay: dayOf(opts.grant ?? `${year + 2}-06-30`),
      dossierHash: ethers.id(`dossier-${cited.digits}`),
    },
    title: opts.title ?? "一种锂离子电池正极材料及其制备方法",
    ipc: opts.ipc ?? ["H01M 4/525", "H01M 10/0525"],
    inventory: { readiness: 6, willing: true, modes: 7, selfScore: 80, unitScore: 75, scenarioTags: 5 },
  };
}
