import { expect } from "chai";
import { createQueries, type Queries } from "../../server/indexer/queries";
import { PledgeStatus } from "../../server/indexer/handlers/enums";
import { startAnvil, type AnvilNode } from "./helpers/anvil";
import { deployOn, dumpStore, indexerFor, runRightsStory, runScenario, STORY, tempStore, today, type DeployedLedger, type TempStore } from "./helpers/ledger";

describe("Indexer read model of the rights contracts (Anvil)", () => {
  let node: AnvilNode;
  let ledger: DeployedLedger;
  let a: TempStore;
  let q: Queries;
  let scu: string, uestc: string, rongxin: string, yuzhi: string, bank: string, appraiser: string;

  before(async function () {
    this.timeout(120_000);
    node = await startAnvil();
    ledger = await deployOn(node.url);
    await runScenario(ledger);
    await runRightsStory(ledger);
    const p = ledger.parties;
    [scu, uestc, rongxin, yuzhi, bank, appraiser] = (await Promise.all([p.scu, p.uestc, p.rongxin, p.yuzhi, p.bank, p.appraiser].map((s) => s.getAddress()))).map((x) =>
      x.toLowerCase(),
    ) as [string, string, string, string, string, string];
    a = await tempStore();
    await indexerFor(node.url, a.store, ledger.deployments, { reorgWindow: 4, initialRange: 5 }).syncToHead();
    q = createQueries(a.store);
  });

  after(async () => {
    await a?.close();
    await node?.stop();
  });

  describe("licences", () => {
    it("keeps the terminated licence with its filing, scope, fee terms and the account Royalties keeps", async () => {
      const l = (await q.getLicence(1))!;
      expect(l).to.deep.include({
        patentId: STORY.licensed.toString(),
        licensee: rongxin,
        grantor: scu,
        kind: "Exclusive",
        status: "Terminated",
        sublicensable: true,
        open: false,
        parentId: null,
      });
      expect(l.ended).to.include({ by: scu, reason: "被许可人违约" });
      expect(l.filing).to.include({ reference: "备案-2026-0001", late: false });
      expect(l.scope).to.include({ fields: "11", territories: (1n << 22n).toString() });
      expect(l.fee).to.include({ methodName: "RunningRoyalty", royaltyBps: 300 });
      const onChain = await ledger.royalties.account(1);
      expect(l.account).to.include({
        revenue: onChain.revenue.toString(),
        owed: onChain.owed.toString(),
        paid: onChain.paid.toString(),
        payments: Number(onChain.payments),
      });
      expect(l.account.owed).to.equal("10000");
      const chainLicence = await ledger.licensing.licence(1);
      expect(l.statusCode).to.equal(Number(chainLicence.status));
      expect(l.scope.startDay).to.equal(Number(chainLicence.scope.startDay));
    });

    it("revokes the sublicence with its parent and indexes it under the parent, the patent and the licensee", async () => {
      expect((await q.sublicencesOf(1)).items.map((l) => [l.id, l.status, l.kind, l.parentId, l.grantor])).to.deep.equal([["2", "Revoked", "Sublicence", "1", rongxin]]);
      expect((await q.licencesOfPatent(STORY.licensed)).items.map((l) => l.id)).to.deep.equal(["1", "2"]);
      expect((await q.licencesOfPatent(STORY.licensed, { active: true })).items).to.deep.equal([]);
      expect((await q.licencesOfLicensee(yuzhi)).items.map((l) => l.id)).to.deep.equal(["2", "3"]);
      const first = await q.licencesOfLicensee(yuzhi, { limit: 1 });
      const second = await q.licencesOfLicensee(yuzhi, { limit: 1, after: first.next });
      expect([first.items[0]!.id, second.items[0]!.id, second.next]).to.deep.equal(["2", "3", null]);
    });

    it("keeps the withdrawn open licence, its taker and history; the licence taken is open, in force and its fee paid", async () => {
      const open = (await q.getOpenLicence(STORY.open))!;
      expect(open).to.deep.include({ declared: false, taken: 1, owner: scu });
      expect(open.terms).to.include({ methodName: "LumpSum", amount: "5000", termDays: 365 });
      expect((await q.openLicenceHistory(STORY.open)).items.map((h) => h.event)).to.deep.equal(["OpenLicenceDeclared", "OpenLicenceWithdrawn"]);
      expect((await q.openLicences()).items).to.deep.equal([]);
      const l = (await q.getLicence(3))!;
      expect(l).to.deep.include({ open: true, status: "Active", kind: "NonExclusive", licensee: yuzhi });
      expect(l.account).to.include({ feePaid: true, paid: "5000", payments: 1 });
      expect((await q.licencesOfPatent(STORY.open, { active: true })).items.map((x) => x.id)).to.deep.equal(["3"]);
    });
  });

  describe("royalties", () => {
    it("splits the royalty between the owner unit, the inventors and the transfer office", async () => {
      const { items } = await q.royaltyPaymentsOfPatent(STORY.licensed);
      expect(items).to.have.length(1);
      expect(items[0]).to.deep.include({ licenceId: "1", payment: "1", payer: rongxin, fee: false, amount: "20000" });
      expect(items[0]!.split).to.deep.equal({
        unit: scu,
        unitAmount: "18000",
        inventors: STORY.inventors,
        inventorsAmount: "1200",
        tto: STORY.tto,
        ttoAmount: "800",
      });
      expect((await q.royaltyPaymentsOfLicence(1)).items).to.deep.equal(items);
      expect((await q.revenueReportsOfLicence(1)).items.map((r) => [r.revenue, r.due, r.owedAfter])).to.deep.equal([["1000000", "30000", "30000"]]);
      expect(await q.getBenefitShares(STORY.licensed)).to.deep.include({ inForce: true });
      // The open licence's lump-sum fee was collected by Royalties, split with no shares declared.
      expect((await q.royaltyPaymentsOfPatent(STORY.open)).items.map((x) => [x.fee, x.amount, x.split.unitAmount])).to.deep.equal([[true, "5000", "5000"]]);
    });
  });

  describe("pledges", () => {
    it("follows the pledge through consent, registration, a consented sale and release", async () => {
      const p = (await q.getPledge(1))!;
      expect(p).to.deep.include({ pledgee: bank, proposer: bank, status: "Released", currency: "CNY", loanReference: "成银贷-2026-001", pledgors: [scu], consentsMissing: 0 });
      expect(p.consents.map((c) => c.party)).to.deep.equal([bank, scu]);
      expect(p.registration).to.include({ cnipaReference: "质押登记-2026-001" });
      expect(p.patents.map((x) => [x.patentId, x.status, x.leftTo])).to.deep.equal([
        [STORY.pledgedSold.toString(), "Left", rongxin],
        [STORY.pledgedKept.toString(), "Released", null],
      ]);
      expect(p.statusCode).to.equal(Number((await ledger.pledges.pledge(1)).status));
      const consents = (await q.actConsentsOfPledge(1)).items;
      expect(consents.map((c) => [c.act, c.counterparty, c.route, c.state])).to.deep.equal([["Transfer", rongxin, "EarlyRepayment", "Used"]]);
      expect(consents[0]!.used).to.include({ initiator: scu, proceedsTo: bank });
    });

    it("indexes the pledge by pledgee, pledgor, status and patent", async () => {
      const ids = (page: { items: { id: string }[] }) => page.items.map((x) => x.id);
      expect(ids(await q.pledgesByPledgee(bank))).to.deep.equal(["1"]);
      expect(ids(await q.pledgesByPledgor(scu))).to.deep.equal(["1"]);
      expect(ids(await q.pledgesByPledgor(uestc))).to.deep.equal([]);
      expect(ids(await q.pledgesByStatus("Released"))).to.deep.equal(["1"]);
      expect(ids(await q.pledgesByStatus(PledgeStatus.Registered))).to.deep.equal([]);
      expect(ids(await q.pledgesOfPatent(STORY.pledgedKept))).to.deep.equal(["1"]);
      await q.pledgesByStatus(0).then(
        () => expect.fail("expected a QueryError"),
        (err: Error) => expect(err.message).to.match(/unknown pledge status/),
      );
    });

    it("answers the encumbrances of a patent: released pledges and ended licences are not in force", async () => {
      const kept = (await q.encumbrancesOfPatent(STORY.pledgedKept))!;
      expect(kept.pledges).to.deep.equal([]);
      expect(kept.patent.locks).to.equal(0);
      const open = (await q.encumbrancesOfPatent(STORY.open))!;
      expect(open.licences.map((l) => l.id)).to.deep.equal(["3"]);
      expect(open.openLicence).to.equal(null);
      expect((await q.getPatent(STORY.pledgedSold))!.owner).to.equal(rongxin);
    });
  });

  describe("valuations and equity", () => {
    it("keeps the valuation by patent with the latest first to hand", async () => {
      const v = (await q.latestValuation(STORY.licensed))!;
      expect(v).to.include({ appraiser, amount: "300000000", currency: "CNY", method: "Income", index: "0" });
      expect((await q.valuationsOfPatent(STORY.licensed)).items).to.deep.equal([v]);
    });

    it("follows the equity deal to execution with the warrant exercised, indexed by company, contributor and patent", async () => {
      const d = (await q.getDeal(1))!;
      expect(d).to.deep.include({ owner: uestc, company: rongxin, status: "Executed", form: "Shares", equity: "100000", companyRegistration: "91510100MA61234567" });
      expect(d.patents).to.have.length(1);
      expect(d.patents[0]).to.include({ patentId: STORY.contributed.toString(), transfer: "Registered" });
      expect(d.benefitShares).to.deep.equal([{ beneficiary: STORY.inventors, role: "Inventor", roleCode: 0, bps: 5000 }]);
      expect(d.statusCode).to.equal(Number((await ledger.equityDeals.deal(1)).status));
      expect((await q.dealsByCompany(rongxin)).items.map((x) => x.id)).to.deep.equal(["1"]);
      expect((await q.dealsByContributor(uestc)).items.map((x) => x.id)).to.deep.equal(["1"]);
      expect((await q.dealsOfPatent(STORY.contributed)).items.map((x) => x.id)).to.deep.equal(["1"]);
      const w = (await q.warrantsOfDeal(1)).items;
      expect(w.map((x) => [x.holder, x.status, x.shares])).to.deep.equal([[uestc, "Exercised", "1000"]]);
      expect((await q.warrantsByHolder(uestc)).items).to.deep.equal(w);
      expect((await q.getPatent(STORY.contributed))!.owner).to.equal(rongxin);
    });
  });

  describe("timeline", () => {
    it("puts every contract's events about a patent on its timeline in chain order", async () => {
      const { items } = await q.timeline(STORY.licensed, { limit: 500 });
      const order = items.map((e) => e.block * 1e6 + e.logIndex);
      expect(order).to.deep.equal([...order].sort((x, y) => x - y));
      expect(items.map((e) => `${e.contract}.${e.event}`)).to.include.members([
        "PatentRegistry.PatentRegistered",
        "Licensing.LicenceGranted",
        "Licensing.LicenceFiled",
        "Licensing.SublicenceGranted",
        "Royalties.SharesDeclared",
        "Royalties.RevenueReported",
        "Royalties.RoyaltyPaid",
        "Valuations.ValuationRecorded",
        "Licensing.SublicenceRevoked",
        "Licensing.LicenceTerminated",
      ]);
      const sold = (await q.timeline(STORY.pledgedSold, { limit: 500 })).items.filter((e) => e.contract === "Pledges").map((e) => e.event);
      expect(sold).to.deep.equal([
        "PatentPledged",
        "PledgeConsented",
        "PledgeConsented",
        "PledgeAgreed",
        "PledgeRegistered",
        "ActConsented",
        "ActConsentUsed",
        "PatentLeftPledge",
        "PledgeReleased",
      ]);
    });
  });

  describe("determinism", () => {
    it("rebuilds a byte-identical index (and digest) from scratch with other range sizes", async () => {
      const b = await tempStore();
      try {
        await indexerFor(node.url, b.store, ledger.deployments, { reorgWindow: 4, initialRange: 1000 }).syncToHead();
        expect(await createQueries(b.store).getDigest()).to.deep.equal(await q.getDigest());
        expect(await dumpStore(b.store)).to.deep.equal(await dumpStore(a.store));
      } finally {
        await b.close();
      }
    });
  });

  describe("reorgs", () => {
    it("rolls back the rights facts of a dropped branch (licence ended, pledge, valuation) and equals a clean rebuild", async function () {
      this.timeout(120_000);
      const { licensing, pledges, valuations, parties: p } = ledger;
      const indexer = indexerFor(node.url, a.store, ledger.deployments, { reorgWindow: 4 });
      await indexer.syncToHead();
      const snapshot = await node.rpc<string>("evm_snapshot");
      const day = await today(ledger.provider);
      await (await licensing.connect(p.scu).terminate(3, "撤回开放许可")).wait();
      await (
        await pledges.connect(p.bank).proposePledge(
          { pledgee: bank, securedAmount: 5_000n, currency: STORY.currency, termEndDay: day + 400, contractHash: STORY.currency.padEnd(66, "0"), loanReference: "LN-2" },
          [{ patentId: STORY.pledgedKept, pledgor: scu }],
        )
      ).wait();
      await (await valuations.connect(p.appraiser).recordValuation(STORY.licensed, 1n, STORY.currency, 0, day, STORY.currency.padEnd(66, "1"))).wait();
      await indexer.syncToHead();
      expect((await q.getLicence(3))!.status).to.equal("Terminated");
      expect(await q.getPledge(2)).to.not.equal(undefined);

      await node.rpc("evm_revert", [snapshot]);
      for (let i = 0; i < 4; i++) {
        await (await valuations.connect(p.appraiser).recordValuation(STORY.open, BigInt(1000 + i), STORY.currency, 1, day, STORY.currency.padEnd(66, "2"))).wait();
      }
      await indexer.syncToHead();
      expect(indexer.status().lastReorg).to.include({ depth: 3 });
      expect((await q.getLicence(3))!.status).to.equal("Active");
      expect((await q.licencesOfPatent(STORY.open, { active: true })).items.map((l) => l.id)).to.deep.equal(["3"]);
      expect(await q.getPledge(2)).to.equal(undefined);
      expect((await q.pledgesByPledgor(scu)).items.map((x) => x.id)).to.deep.equal(["1"]);
      expect((await q.valuationsOfPatent(STORY.licensed)).items).to.have.length(1);
      expect((await q.valuationsOfPatent(STORY.open)).items).to.have.length(4);
      const clean = await tempStore();
      try {
        await indexerFor(node.url, clean.store, ledger.deployments, { reorgWindow: 4 }).syncToHead();
        expect(await createQueries(clean.store).getDigest()).to.deep.equal(await q.getDigest());
        expect(await dumpStore(clean.store)).to.deep.equal(await dumpStore(a.store));
      } finally {
        await clean.close();
      }
    });
  });
});
