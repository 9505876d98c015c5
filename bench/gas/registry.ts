import { ethers } from "hardhat";
import type { ContractTransactionResponse } from "ethers";
import { deployFixture, patentRecord } from "../../test/helpers/fixtures";
import { LegalStatus } from "../../server/chain/roles";
import { chinaDayOf } from "../../server/chain/cnipa";
import type { GasModule, GasRow } from "./types";

const AREA = "registry";
const SINGLE_TARGET = 120_000n;
const PER_PATENT_TARGET = 65_000n;

async function gasOf(pending: Promise<ContractTransactionResponse>): Promise<bigint> {
  const receipt = await (await pending).wait();
  if (!receipt) throw new Error("no receipt");
  return receipt.gasUsed;
}

/**
 * PatentRegistry: registration (single and batch), the transfer steps, status, evaluation and inventory.
 * Records as the demo inventory has them: a 17-character Chinese title, two IPC codes, full inventory fields.
 */
export const measure: GasModule = async () => {
  const f = await deployFixture();
  const registrar = f.registry.connect(f.registrar);
  const rows: GasRow[] = [];
  const row = (operation: string, gas: bigint, note?: string, target?: bigint) =>
    rows.push({ area: AREA, operation, gas, ...(note ? { note } : {}), ...(target ? { target } : {}) });

  row("register", await gasOf(registrar.register(patentRecord(f.uniA.address, 1))), "holder's first patent: +17,100 for its new ERC-721 balance slot", SINGLE_TARGET);
  row("register", await gasOf(registrar.register(patentRecord(f.uniA.address, 2))), "holder already has patents", SINGLE_TARGET);

  const batch100 = Array.from({ length: 100 }, (_, i) => patentRecord(f.uniB.address, 1000 + i));
  const total100 = await gasOf(registrar.registerBatch(batch100));
  row("registerBatch", total100, "100 patents, whole call");
  row("registerBatch", total100 / 100n, "per patent, 100-patent batch (one holder)", PER_PATENT_TARGET);

  const batch200 = Array.from({ length: 200 }, (_, i) => patentRecord(f.companyB.address, 3000 + i));
  const total200 = await gasOf(registrar.registerBatch(batch200));
  row("registerBatch", total200 / 200n, "per patent, 200-patent batch (MAX_BATCH)", PER_PATENT_TARGET);

  // Refusal and cancellation first, so that the measured proposal does not pay for the ledger's first
  // transfer (the transfer counter's slot going from zero).
  const id = patentRecord(f.uniA.address, 1).number;
  const second = patentRecord(f.uniA.address, 2).number;
  const hash = ethers.id("transfer contract");
  await gasOf(f.registry.connect(f.uniA).proposeTransfer(second, f.companyA.address, hash));
  await gasOf(f.registry.connect(f.companyA).acceptTransfer(1));
  row("refuseTransfer", await gasOf(registrar.refuseTransfer(1, "contract not notarised")));
  await gasOf(f.registry.connect(f.uniA).proposeTransfer(second, f.companyA.address, hash));
  row("cancelTransfer", await gasOf(f.registry.connect(f.uniA).cancelTransfer(2)), "proposed, by the owner");

  row("proposeTransfer", await gasOf(f.registry.connect(f.uniA).proposeTransfer(id, f.companyA.address, hash)));
  row("acceptTransfer", await gasOf(f.registry.connect(f.companyA).acceptTransfer(3)));
  const block = await ethers.provider.getBlock("latest");
  if (!block) throw new Error("no block");
  const today = chinaDayOf(block.timestamp);
  row(
    "registerTransfer",
    await gasOf(registrar.registerTransfer(3, "CNIPA-ZR-2026-000001", today)),
    "buyer's first patent, no other lock, no observer",
  );

  row("setLegalStatus", await gasOf(registrar.setLegalStatus(second, LegalStatus.Lapsed, "annual fee unpaid")));
  row(
    "recordMarketEvaluation",
    await gasOf(f.registry.connect(f.evaluator).recordMarketEvaluation(id, 85, 40, 90, ethers.id("evaluation report"))),
  );
  const inventory = { readiness: 7, willing: true, modes: 3, selfScore: 85, unitScore: 80, scenarioTags: 6 };
  row("updateInventory", await gasOf(f.registry.connect(f.companyA).updateInventory(id, inventory)), "by the owner");
  return rows;
};
