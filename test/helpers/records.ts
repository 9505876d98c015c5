import { ethers } from "ethers";
import { dayOf, makeCnipaNumber, parseCnipaNumber } from "../../server/chain/cnipa";
import { PatentKind } from "../../server/chain/roles";
import type { PatentRegistrationStruct } from "../../typechain-types/contracts/registry/PatentRegistry";

/**
 * Patent registrations for tests. Kept free of the Hardhat runtime so that tests against external
 * nodes (test/indexer/) and the benches share it with the in-process fixtures.
 */

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
