import { ethers } from "hardhat";
import type { ContractTransactionResponse } from "ethers";
import { deployLedger } from "../../scripts/deploy";
import { patentRecord } from "../../test/helpers/fixtures";
import { chinaDayOf } from "../../server/chain/cnipa";
import type { GasModule, GasRow } from "./types";

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<bigint> {
  const receipt = await (await tx).wait();
  if (!receipt) throw new Error("no receipt");
  return receipt.gasUsed;
}

/**
 * Exact gas of the financing and equity operations on the in-process Hardhat network: registering a
 * pledge (one patent and a 10-patent portfolio; propose, consent and register separately and in total),
 * releasing it, recording a valuation, and contributing a patent for equity (propose, accept, execute,
 * and the registration that completes it).
 */
export const measure: GasModule = async () => {
  const [admin, registrar, , , bank, , appraiser, , uni, , , , , , company] = await ethers.getSigners();
  if (!admin || !registrar || !bank || !appraiser || !uni || !company) throw new Error("not enough signers");
  const ledger = await deployLedger(admin, {
    registrars: [registrar.address],
    venues: [],
    banks: [bank.address],
    appraisers: [appraiser.address],
    evaluators: [],
  });
  const { registry, pledges, valuations, equityDeals } = ledger;
  const records = Array.from({ length: 12 }, (_, i) => patentRecord(uni.address, 101 + i, { year: 2020 }));
  await (await registry.connect(registrar).registerBatch(records)).wait();
  const ids = records.map((r) => BigInt(r.number));
  const latest = await ethers.provider.getBlock("latest");
  if (!latest) throw new Error("no block");
  const today = chinaDayOf(latest.timestamp);
  const terms = {
    pledgee: bank.address,
    securedAmount: 10_000_000_00n,
    currency: "0x434e59",
    termEndDay: today + 730,
    contractHash: ethers.id("bench-pledge"),
    loanReference: "BENCH-2026-0001",
  };
  const rows: GasRow[] = [];

  async function pledgeRows(patentIds: bigint[], note: string): Promise<bigint> {
    const items = patentIds.map((patentId) => ({ patentId, pledgor: uni!.address }));
    const propose = await gasOf(pledges.connect(bank!).proposePledge(terms, items));
    const pledgeId = await pledges.pledgeCount();
    const consent = await gasOf(pledges.connect(uni!).consentPledge(pledgeId));
    const register = await gasOf(pledges.connect(registrar!).registerPledge(pledgeId, `Y${pledgeId}`, today));
    rows.push(
      { area: "financing", operation: "pledge: propose (bank)", gas: propose, note },
      { area: "financing", operation: "pledge: consent (pledgor)", gas: consent, note },
      { area: "financing", operation: "pledge: register (registrar)", gas: register, note },
      { area: "financing", operation: "pledge: total to registration", gas: propose + consent + register, note },
    );
    return pledgeId;
  }

  const single = await pledgeRows([ids[0]!], "single patent");
  const portfolio = await pledgeRows(ids.slice(1, 11), "10-patent portfolio");
  rows.push(
    {
      area: "financing",
      operation: "pledge: release (pledgee)",
      gas: await gasOf(pledges.connect(bank).releasePledge(single)),
      note: "single patent",
    },
    {
      area: "financing",
      operation: "pledge: release (pledgee)",
      gas: await gasOf(pledges.connect(bank).releasePledge(portfolio)),
      note: "10-patent portfolio",
    },
  );

  const report = ethers.id("bench-report");
  rows.push(
    {
      area: "financing",
      operation: "valuation: record (appraiser)",
      gas: await gasOf(valuations.connect(appraiser).recordValuation(ids[0]!, 8_000_000_00n, "0x434e59", 2, today, report)),
      note: "first valuation of the patent",
    },
    {
      area: "financing",
      operation: "valuation: record (appraiser)",
      gas: await gasOf(valuations.connect(appraiser).recordValuation(ids[0]!, 9_000_000_00n, "0x434e59", 1, today, report)),
      note: "second valuation of the patent",
    },
  );

  const dealTerms = {
    company: company.address,
    valuation: 12_000_000_00n,
    currency: "0x434e59",
    form: 1,
    equity: 1_500n,
    valuationReportHash: report,
    contractHash: ethers.id("bench-equity"),
    companyRegistration: "91510100MA6C4XXXXX",
  };
  const shares = [
    { beneficiary: appraiser.address, role: 0, bps: 5_000 },
    { beneficiary: registrar.address, role: 1, bps: 1_000 },
  ];
  const proposeDeal = await gasOf(equityDeals.connect(uni).proposeDeal(dealTerms, [ids[11]!], shares));
  const dealId = await equityDeals.dealCount();
  const accept = await gasOf(equityDeals.connect(company).acceptDeal(dealId));
  const execute = await gasOf(equityDeals.connect(uni).executeDeal(dealId));
  const transferId = await registry.pendingTransfer(ids[11]!);
  const register = await gasOf(registry.connect(registrar).registerTransfer(transferId, "ZR-BENCH", today));
  const note = "one patent, two benefit shares";
  rows.push(
    { area: "equity", operation: "contribute: propose (owner)", gas: proposeDeal, note },
    { area: "equity", operation: "contribute: accept (company, locks)", gas: accept, note },
    { area: "equity", operation: "contribute: execute (agrees the transfer)", gas: execute, note },
    { area: "equity", operation: "contribute: transfer registered (registrar)", gas: register, note },
    { area: "equity", operation: "contribute: total agree + execute", gas: proposeDeal + accept + execute + register, note },
  );
  return rows;
};
