import { ethers } from "hardhat";
import type { ContractTransactionResponse } from "ethers";
import type { GasModule, GasRow } from "./types";
import { deployLedger } from "../../scripts/deploy";
import { FeeMethod, FeeTrigger, LicenceKind } from "../../server/chain/licensing";
import { dayOf, makeCnipaNumber, parseCnipaNumber } from "../../server/chain/cnipa";
import { PatentKind } from "../../server/chain/roles";
import type { LicenceGrantStruct } from "../../typechain-types/contracts/licensing/Licensing";

const AREA = "licensing";

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<bigint> {
  const receipt = await (await tx).wait();
  if (!receipt) throw new Error("no receipt");
  return receipt.gasUsed;
}

function today(timestamp: number): number {
  return Math.floor((timestamp + 8 * 3600) / 86_400);
}

/** Exact gas of the licensing operations on a fresh in-process Hardhat ledger. */
export const measure: GasModule = async () => {
  const signers = await ethers.getSigners();
  const [admin, registrar, owner, inventors, tto, ...licensees] = signers;
  if (!admin || !registrar || !owner || !inventors || !tto || licensees.length < 3) throw new Error("not enough signers");
  const { registry, token, licensing, royalties } = await deployLedger(admin, {
    registrars: [registrar.address],
    venues: [],
    banks: [],
    appraisers: [],
    evaluators: [],
  });
  const patents = [1, 2, 3].map((serial) => {
    const cited = parseCnipaNumber(makeCnipaNumber(2019, 1, serial));
    return {
      number: cited.number,
      holder: owner.address,
      facts: {
        checkDigit: cited.checkDigit,
        kind: PatentKind.Invention,
        filingDay: dayOf("2019-03-15"),
        grantDay: dayOf("2021-06-30"),
        dossierHash: ethers.id(`dossier-${cited.digits}`),
      },
      title: "一种锂离子电池正极材料及其制备方法",
      ipc: ["H01M 4/525"],
      inventory: { readiness: 6, willing: true, modes: 7, selfScore: 80, unitScore: 75, scenarioTags: 5 },
    };
  });
  await (await registry.connect(registrar).registerBatch(patents)).wait();
  const [quiet, busy, open] = patents.map((p) => BigInt(p.number)) as [bigint, bigint, bigint];
  const tokenAddress = await token.getAddress();
  const royaltiesAddress = await royalties.getAddress();
  for (const l of licensees.slice(0, 3)) {
    await (await token.connect(admin).mint(l.address, 100_000_000n)).wait();
    await (await token.connect(l).approve(royaltiesAddress, ethers.MaxUint256)).wait();
  }
  const [licensee, taker, payer] = licensees as [typeof admin, typeof admin, typeof admin];
  const block = await ethers.provider.getBlock("latest");
  const day = today(block!.timestamp);
  const terms = (o: Partial<LicenceGrantStruct> & { fields?: bigint; royalty?: boolean } = {}): LicenceGrantStruct => ({
    licensee: o.licensee ?? licensee.address,
    kind: o.kind ?? LicenceKind.NonExclusive,
    sublicensable: false,
    scope: { fields: o.fields ?? 1n, territories: 1n, startDay: day, endDay: day + 365 },
    fee: o.royalty
      ? { method: FeeMethod.RunningRoyalty, trigger: FeeTrigger.None, royaltyBps: 500, triggerDay: 0, amount: 0n }
      : { method: FeeMethod.LumpSum, trigger: FeeTrigger.None, royaltyBps: 0, triggerDay: 0, amount: 100_000n },
    token: tokenAddress,
    contractHash: ethers.id("licence contract"),
  });
  const shares = { unitBps: 5000, inventorsBps: 3000, ttoBps: 2000, inventors: inventors.address, tto: tto.address };
  for (const p of [quiet, busy, open]) await (await royalties.connect(owner).declareShares(p, shares)).wait();

  const rows: GasRow[] = [];
  rows.push({
    area: AREA,
    operation: "grant licence",
    gas: await gasOf(licensing.connect(owner).grant(quiet, terms())),
    note: "non-exclusive, lump sum, 0 active licences on the patent",
  });
  for (let i = 0; i < 20; i++) await (await licensing.connect(owner).grant(busy, terms({ fields: 1n }))).wait();
  rows.push({
    area: AREA,
    operation: "grant licence",
    gas: await gasOf(licensing.connect(owner).grant(busy, terms({ fields: 1n }))),
    note: "non-exclusive, lump sum, 20 active licences on the patent",
  });
  rows.push({
    area: AREA,
    operation: "grant licence",
    gas: await gasOf(licensing.connect(owner).grant(busy, terms({ kind: LicenceKind.Exclusive, fields: 2n }))),
    note: "exclusive (other field), 21 active licences checked for conflict",
  });
  await (
    await licensing
      .connect(owner)
      .declareOpenLicence(open, { method: FeeMethod.LumpSum, royaltyBps: 0, termDays: 365, amount: 50_000n, token: tokenAddress })
  ).wait();
  rows.push({
    area: AREA,
    operation: "take open licence",
    gas: await gasOf(licensing.connect(taker).takeOpenLicence(open, 50_000n)),
    note: "lump sum 500.00 paid and split three ways",
  });

  const royaltyId = (await licensing.licenceCount()) + 1n;
  await (await licensing.connect(owner).grant(quiet, terms({ licensee: payer.address, fields: 4n, royalty: true }))).wait();
  rows.push({
    area: AREA,
    operation: "report revenue",
    gas: await gasOf(royalties.connect(payer).reportRevenue(royaltyId, 10_000_000n, ethers.id("2026Q3"))),
    note: "running royalty 5 %, first report",
  });
  rows.push({
    area: AREA,
    operation: "pay royalty",
    gas: await gasOf(royalties.connect(payer).payRoyalty(royaltyId, 100_000n)),
    note: "three-way split (unit, inventors, office); recipients already hold the token",
  });
  return rows;
};
