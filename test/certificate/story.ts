import { ethers, type Provider, type Signer } from "ethers";
import { chinaDayOf, formatCnipaNumber } from "../../server/chain/cnipa";
import { FeeMethod, FeeTrigger, LicenceKind } from "../../server/chain/licensing";
import { PatentKind } from "../../server/chain/roles";
import { deployLedger, type LedgerContracts } from "../../scripts/deploy";
import { patentRecord } from "../helpers/fixtures";
import type { CertificateContracts } from "../../server/certificate/build";

/** The parties of the certificate story, by demo account name. */
export interface StoryParties {
  admin: Signer;
  registrar: Signer;
  bankA: Signer;
  appraiser: Signer;
  scu: Signer;
  uestc: Signer;
  rongxin: Signer;
  yuzhi: Signer;
}

/** Patents of the story and what a bank should read about each. */
export interface Story {
  ledger: LedgerContracts;
  contracts: Required<CertificateContracts>;
  /** Pledged (registered) to bankA, valued twice. */
  pledged: string;
  /** A sole licence (field 2) and a non-exclusive one (field 4) to rongxin and yuzhi. */
  licensed: string;
  /** An open-licence declaration. */
  open: string;
  /** A design filed in 2010: expired (ten-year term). */
  expired: string;
  /** A pledge proposed by the bank, not yet consented: pending, and the patent frozen by a court. */
  pending: string;
}

const CNY = ethers.hexlify(ethers.toUtf8Bytes("CNY"));

async function send(tx: Promise<{ wait(): Promise<unknown> }>): Promise<void> {
  await (await tx).wait();
}

/** Deploys the ledger and writes the story; runs on the in-process Hardhat network, a Hardhat node or Anvil. */
export async function writeStory(p: StoryParties, provider: Provider): Promise<Story> {
  const addr = async (s: Signer) => s.getAddress();
  const ledger = await deployLedger(p.admin, {
    registrars: [await addr(p.registrar)],
    venues: [],
    banks: [await addr(p.bankA)],
    appraisers: [await addr(p.appraiser)],
    evaluators: [],
  });
  const { registry, pledges, licensing, valuations, token } = ledger;
  const scu = await addr(p.scu);
  const uestc = await addr(p.uestc);
  const records = [
    patentRecord(scu, 101),
    patentRecord(scu, 102),
    patentRecord(uestc, 103),
    patentRecord(uestc, 104, { year: 2010, kind: PatentKind.Design, filing: "2010-05-04", grant: "2011-01-20" }),
    patentRecord(uestc, 105),
  ];
  await send(registry.connect(p.registrar).registerBatch(records));
  const [pledged, licensed, open, expired, pending] = records.map((r) => BigInt(r.number));
  const block = await provider.getBlock("latest");
  const today = chinaDayOf(block!.timestamp);
  const tokenAddress = await token.getAddress();
  const bank = await addr(p.bankA);

  const terms = (id: string) => ({
    pledgee: bank,
    securedAmount: 5_000_000n,
    currency: CNY,
    termEndDay: today + 365,
    contractHash: ethers.id(`pledge-contract-${id}`),
    loanReference: `CDB-2026-${id}`,
  });
  await send(pledges.connect(p.bankA).proposePledge(terms("0001"), [{ patentId: pledged!, pledgor: scu }]));
  await send(pledges.connect(p.scu).consentPledge(1));
  await send(pledges.connect(p.registrar).registerPledge(1, "Y2026510000001", today));
  await send(pledges.connect(p.bankA).proposePledge(terms("0002"), [{ patentId: pending!, pledgor: uestc }]));
  await send(registry.connect(p.registrar).setLegalStatus(pending!, 4, "（2026）川01执保123号"));

  const method = 2; // Income
  await send(valuations.connect(p.appraiser).recordValuation(pledged!, 80_000_000n, CNY, 1, today - 30, ethers.id("appraisal-1")));
  await send(valuations.connect(p.appraiser).recordValuation(pledged!, 95_000_000n, CNY, method, today - 1, ethers.id("appraisal-2")));

  const grant = (licensee: string, kind: LicenceKind, fields: bigint) => ({
    licensee,
    kind,
    sublicensable: false,
    scope: { fields, territories: 1n << 22n, startDay: today, endDay: today + 730 },
    fee: { method: FeeMethod.LumpSum, trigger: FeeTrigger.None, royaltyBps: 0, triggerDay: 0, amount: 100_000n },
    token: tokenAddress,
    contractHash: ethers.id(`licence-${licensee}-${kind}`),
  });
  await send(licensing.connect(p.scu).grant(licensed!, grant(await addr(p.rongxin), LicenceKind.Sole, 1n << 2n)));
  await send(licensing.connect(p.scu).grant(licensed!, grant(await addr(p.yuzhi), LicenceKind.NonExclusive, 1n << 4n)));
  await send(
    licensing.connect(p.uestc).declareOpenLicence(open!, { method: FeeMethod.RunningRoyalty, royaltyBps: 300, termDays: 365, amount: 0n, token: tokenAddress }),
  );

  return {
    ledger,
    contracts: {
      registry: await registry.getAddress(),
      licensing: await licensing.getAddress(),
      valuations: await valuations.getAddress(),
    },
    pledged: formatCnipaNumber(pledged!),
    licensed: formatCnipaNumber(licensed!),
    open: formatCnipaNumber(open!),
    expired: formatCnipaNumber(expired!),
    pending: formatCnipaNumber(pending!),
  };
}
