import { expect } from "chai";
import { ethers, Interface } from "ethers";
import { createLogDecoder } from "../../server/indexer/abi";
import { compileDecoder } from "../../server/indexer/abidecode";
import { DEFAULT_ABIS, DEFAULT_HANDLERS } from "../../server/indexer/handlers";
import type { DealEntity, WarrantEntity } from "../../server/indexer/handlers/equity";
import type { BenefitSharesEntity, LicenceEntity, OpenLicenceEntity, RoyaltyPaymentEntity } from "../../server/indexer/handlers/licensing";
import { PledgeStatus } from "../../server/indexer/handlers/enums";
import type { ActConsentEntity, PledgeEntity, ProceedsEntity } from "../../server/indexer/handlers/pledges";
import type { ValuationEntity } from "../../server/indexer/handlers/valuations";
import type { EventArgs, LedgerEvent } from "../../server/indexer/types";
import type { Json } from "../../server/store/codec";
import { keys } from "../../server/store/keys";
import { at, keysWith, run, runAll } from "./helpers/handlers";
import { IEquityDeals__factory, ILicensing__factory, IPledges__factory, IRoyalties__factory, IValuations__factory } from "../../typechain-types";

const ZERO = ethers.ZeroAddress;
const SCU = "0x" + "11".repeat(20);
const RONGXIN = "0x" + "22".repeat(20);
const YUZHI = "0x" + "33".repeat(20);
const BANK = "0x" + "44".repeat(20);
const INVENTORS = "0x" + "55".repeat(20);
const TTO = "0x" + "66".repeat(20);
const REGISTRAR = "0x" + "77".repeat(20);
const TOKEN = "0x" + "88".repeat(20);
const AUCTION = "0x" + "99".repeat(20);
const P1 = "201910000001";
const P2 = "201910000002";
const CNY = "0x434e59";
const H = (n: number) => "0x" + n.toString(16).padStart(2, "0").repeat(32);

let logIndex = 0;
let block = 10;
function ev(contract: string, event: string, args: EventArgs): LedgerEvent {
  return { contract, address: "0x" + "aa".repeat(20), event, args, blockNumber: block, blockHash: H(0xab), txHash: H(0xcd), logIndex: logIndex++ };
}


const scope = { fields: "18446744073709551615", territories: "3", startDay: 20_000, endDay: 21_000 };
const lumpSum = { method: 0, trigger: 0, royaltyBps: 0, triggerDay: 0, amount: "500000" };
const royalty = { method: 1, trigger: 0, royaltyBps: 300, triggerDay: 0, amount: "0" };
const granted = (licenceId: string, licensee: string, kind: number, fee = lumpSum, grantor = SCU, patentId = P1) =>
  ev("Licensing", "LicenceGranted", {
    licenceId,
    patentId,
    licensee,
    grantor,
    kind,
    sublicensable: kind === 0,
    scope,
    fee,
    token: TOKEN,
    contractHash: H(1),
    proceedsTo: ZERO,
  });

describe("Rights handlers", () => {
  describe("coverage", () => {
    /**
     * Events that carry nothing the read model keeps: ERC-721 approvals, AccessManaged's authority change and
     * EIP-712's domain change (the Exchange's domain is fixed at deployment; OpenZeppelin's EIP712 declares it).
     */
    const NOT_INDEXED = new Set(["Approval", "ApprovalForAll", "AuthorityUpdated", "EIP712DomainChanged"]);

    it("handles every event of every watched contract, each with a compiled decoder", () => {
      for (const [name, abi] of Object.entries(DEFAULT_ABIS)) {
        const iface = new Interface(abi);
        iface.forEachEvent((event) => {
          if (NOT_INDEXED.has(event.name)) return;
          expect(DEFAULT_HANDLERS[name]![event.name], `${name}.${event.name}`).to.not.equal(undefined);
          expect(compileDecoder(event.inputs.filter((p) => !p.indexed)), `${name}.${event.name}`).to.not.equal(undefined);
        });
        for (const handled of Object.keys(DEFAULT_HANDLERS[name]!)) expect(iface.getEvent(handled), `${name}.${handled}`).to.not.equal(null);
      }
    });

    it("handles every event the rights contracts' interfaces declare", () => {
      const interfaces = {
        Licensing: ILicensing__factory.abi,
        Royalties: IRoyalties__factory.abi,
        Pledges: IPledges__factory.abi,
        Valuations: IValuations__factory.abi,
        EquityDeals: IEquityDeals__factory.abi,
      };
      for (const [name, abi] of Object.entries(interfaces)) {
        const declared: string[] = [];
        new Interface(abi).forEachEvent((event) => declared.push(event.name));
        expect(Object.keys(DEFAULT_HANDLERS[name]!).sort(), name).to.deep.equal(declared.sort());
      }
    });
  });

  describe("log decoding", () => {
    const contracts = ["Licensing", "Royalties", "Pledges", "EquityDeals"].map((name, i) => ({
      name,
      address: "0x" + String(i + 1).repeat(40),
      abi: DEFAULT_ABIS[name]!,
      events: Object.keys(DEFAULT_HANDLERS[name]!),
    }));
    const decoder = createLogDecoder(contracts);
    const decode = (name: string, event: string, values: unknown[]) => {
      const c = contracts.find((x) => x.name === name)!;
      const encoded = new Interface(c.abi).encodeEventLog(event, values);
      return decoder.decode({ address: c.address, topics: encoded.topics, data: encoded.data, blockNumber: 1, blockHash: H(1), transactionHash: H(2), logIndex: 0 })!;
    };

    it("decodes LicenceGranted's scope and fee structs with uint64 masks as decimal strings", () => {
      const e = decode("Licensing", "LicenceGranted", [7n, BigInt(P1), RONGXIN, SCU, 2, false, [2n ** 64n - 1n, 3n, 20_000, 21_000], [1, 0, 300, 0, 0n], TOKEN, H(1), ZERO]);
      expect(e.args).to.deep.equal({
        licenceId: "7",
        patentId: P1,
        licensee: RONGXIN,
        grantor: SCU,
        kind: 2,
        sublicensable: false,
        scope,
        fee: royalty,
        token: TOKEN,
        contractHash: H(1),
        proceedsTo: ZERO,
      });
    });

    it("decodes RoyaltyPaid's split, PledgeProposed's bytes3 and string, WarrantGranted and DisposalStarted's uint64", () => {
      const split = [SCU, 900n, INVENTORS, 60n, TTO, 40n];
      expect(decode("Royalties", "RoyaltyPaid", [7n, BigInt(P1), RONGXIN, 1n, false, TOKEN, 1000n, split]).args.split).to.deep.equal({
        unit: SCU,
        unitAmount: "900",
        inventors: INVENTORS,
        inventorsAmount: "60",
        tto: TTO,
        ttoAmount: "40",
      });
      expect(decode("Pledges", "PledgeProposed", [1n, BANK, SCU, 10n ** 8n, CNY, 21_000, H(3), "贷-2026-01"]).args).to.include({
        currency: CNY,
        loanReference: "贷-2026-01",
        securedAmount: "100000000",
        termEndDay: 21_000,
      });
      expect(decode("Pledges", "DisposalStarted", [1n, BigInt(P1), 5n, AUCTION, TOKEN, 10n, 1_900_000_000n]).args).to.include({ endTime: "1900000000", auctionId: "5" });
      expect(decode("EquityDeals", "WarrantGranted", [1n, 2n, SCU, RONGXIN, 1000n, 150n, CNY, 20_000, 20_500, true, "A 轮融资"]).args).to.include({
        triggerRequired: true,
        trigger: "A 轮融资",
        windowEnd: 20_500,
      });
    });
  });

  describe("Licensing", () => {
    it("indexes a licence by licensee, by patent and in force, with its sublicence, filing and timeline", () => {
      const state = new Map<string, Json>();
      const parent = granted("1", RONGXIN, 0);
      const sub = granted("2", YUZHI, 3, lumpSum, RONGXIN);
      const writes = runAll(state, parent, sub, ev("Licensing", "SublicenceGranted", { licenceId: "2", parentId: "1", sublicensee: YUZHI }));
      expect(writes.slice(0, 5).map((w) => w.key)).to.deep.equal([
        keys.licence("1"),
        keys.licencesOfLicensee(RONGXIN, "1"),
        keys.licencesOfPatent(P1, "1"),
        keys.activeLicencesOfPatent(P1, "1"),
        keys.timeline(P1, block, parent.logIndex),
      ]);
      expect(at<LicenceEntity>(state, keys.licence("2"))).to.include({ parentId: "1", kind: "Sublicence", status: "Active", grantor: RONGXIN, open: false });
      expect(keysWith(state, keys.sublicencesPrefix("1"))).to.deep.equal([keys.sublicences("1", "2")]);
      run(ev("Licensing", "LicenceFiled", { licenceId: "1", patentId: P1, filingRef: "备案-2026-1", filedDay: 20_010, late: false }), state);
      expect(at<LicenceEntity>(state, keys.licence("1")).filing).to.include({ reference: "备案-2026-1", filedDay: 20_010, late: false });
    });

    it("ends a parent and revokes its sublicence: final states kept, off the in-force index", () => {
      const state = new Map<string, Json>();
      runAll(state, granted("1", RONGXIN, 0), granted("2", YUZHI, 3, lumpSum, RONGXIN), ev("Licensing", "SublicenceGranted", { licenceId: "2", parentId: "1", sublicensee: YUZHI }));
      runAll(
        state,
        ev("Licensing", "SublicenceRevoked", { licenceId: "2", parentId: "1", patentId: P1, day: 20_100 }),
        ev("Licensing", "LicenceTerminated", { licenceId: "1", patentId: P1, by: SCU, reason: "违约", day: 20_100 }),
      );
      expect(at<LicenceEntity>(state, keys.licence("1"))).to.deep.include({ status: "Terminated", statusCode: 2, ended: { day: 20_100, by: SCU, reason: "违约" } });
      expect(at<LicenceEntity>(state, keys.licence("2"))).to.deep.include({ status: "Revoked", ended: { day: 20_100, by: null, reason: null } });
      expect(keysWith(state, keys.activeLicencesOfPatentPrefix(P1))).to.deep.equal([]);
      expect(keysWith(state, keys.licencesOfPatentPrefix(P1))).to.have.length(2);
      expect(keysWith(state, keys.timelinePrefix(P1))).to.have.length(5);
    });

    it("keeps the open-licence declaration, its takers and its history; the open index follows it", () => {
      const state = new Map<string, Json>();
      const terms = { method: 1, royaltyBps: 200, termDays: 365, amount: "0", token: TOKEN };
      runAll(
        state,
        ev("Licensing", "OpenLicenceDeclared", { patentId: P1, owner: SCU, terms }),
        granted("3", YUZHI, 2, royalty),
        ev("Licensing", "OpenLicenceTaken", { licenceId: "3", patentId: P1, licensee: YUZHI }),
      );
      expect(at<OpenLicenceEntity>(state, keys.openLicence(P1))).to.deep.include({ declared: true, taken: 1, owner: SCU, withdrawnAt: null });
      expect(at<LicenceEntity>(state, keys.licence("3")).open).to.equal(true);
      expect(keysWith(state, keys.openLicensedPrefix())).to.deep.equal([keys.openLicensed(P1)]);
      run(ev("Licensing", "OpenLicenceWithdrawn", { patentId: P1, owner: SCU }), state);
      expect(at<OpenLicenceEntity>(state, keys.openLicence(P1))).to.include({ declared: false, taken: 1 });
      expect(keysWith(state, keys.openLicensedPrefix())).to.deep.equal([]);
      expect(keysWith(state, keys.openLicenceHistoryPrefix(P1)).map((k) => (state.get(k) as { event: string }).event)).to.deep.equal([
        "OpenLicenceDeclared",
        "OpenLicenceWithdrawn",
      ]);
    });

    it("throws HandlerStateError for an event on a licence it never saw", () => {
      const state = new Map<string, Json>();
      expect(() => run(ev("Licensing", "LicenceExpired", { licenceId: "9", patentId: P1, endDay: 1, day: 2 }), state)).to.throw(/lic\/00000000000000000009 is not indexed/);
    });
  });

  describe("Royalties", () => {
    it("keeps revenue reports, payments with their three-way split and the licence account", () => {
      const state = new Map<string, Json>();
      runAll(
        state,
        ev("Royalties", "SharesDeclared", { patentId: P1, owner: SCU, shares: { unitBps: 9000, inventorsBps: 600, ttoBps: 400, inventors: INVENTORS, tto: TTO } }),
        granted("1", RONGXIN, 2, royalty),
        ev("Royalties", "RevenueReported", { licenceId: "1", patentId: P1, licensee: RONGXIN, revenue: "100000", due: "3000", owed: "3000", reportHash: H(4) }),
      );
      const split = { unit: SCU, unitAmount: "1800", inventors: INVENTORS, inventorsAmount: "120", tto: TTO, ttoAmount: "80" };
      const paid = ev("Royalties", "RoyaltyPaid", { licenceId: "1", patentId: P1, payer: RONGXIN, payment: "1", fee: false, token: TOKEN, amount: "2000", split });
      run(paid, state);
      expect(at<BenefitSharesEntity>(state, keys.benefitShares(P1))).to.include({ owner: SCU, inventorsBps: 600 });
      expect(at<LicenceEntity>(state, keys.licence("1")).account).to.deep.equal({
        revenue: "100000",
        owed: "1000",
        paid: "2000",
        payments: 1,
        feePaid: false,
        feeDueDay: null,
        launchedDay: null,
      });
      expect(at<RoyaltyPaymentEntity>(state, keys.royaltyPayment("1", "1"))).to.deep.include({ amount: "2000", split, fee: false });
      expect(keysWith(state, keys.royaltiesOfPatentPrefix(P1))).to.deep.equal([keys.royaltiesOfPatent(P1, "1", "1")]);
      expect(keysWith(state, keys.revenueReportsOfLicencePrefix("1"))).to.have.length(1);
    });

    it("marks a use-first-pay-later fee due on launch and paid by a fee payment", () => {
      const state = new Map<string, Json>();
      const deferred = { method: 2, trigger: 3, royaltyBps: 0, triggerDay: 0, amount: "800" };
      const split = { unit: SCU, unitAmount: "800", inventors: ZERO, inventorsAmount: "0", tto: ZERO, ttoAmount: "0" };
      runAll(
        state,
        granted("1", RONGXIN, 2, deferred),
        ev("Royalties", "ProductLaunched", { licenceId: "1", patentId: P1, day: 20_200, evidenceHash: H(5) }),
        ev("Royalties", "FeeFellDue", { licenceId: "1", patentId: P1, trigger: 3, day: 20_200, amount: "800" }),
        ev("Royalties", "RoyaltyPaid", { licenceId: "1", patentId: P1, payer: RONGXIN, payment: "1", fee: true, token: TOKEN, amount: "800", split }),
      );
      expect(at<LicenceEntity>(state, keys.licence("1")).account).to.deep.include({ launchedDay: 20_200, feeDueDay: 20_200, feePaid: true, owed: "0", paid: "800" });
    });
  });

  describe("Pledges", () => {
    const proposed = () =>
      ev("Pledges", "PledgeProposed", { pledgeId: "1", pledgee: BANK, proposer: SCU, securedAmount: "1000000", currency: CNY, termEndDay: 21_000, contractHash: H(6), loanReference: "LN-1" });
    const portfolio = (state: Map<string, Json>) =>
      runAll(
        state,
        proposed(),
        ev("Pledges", "PatentPledged", { pledgeId: "1", patentId: P1, pledgor: SCU }),
        ev("Pledges", "PatentPledged", { pledgeId: "1", patentId: P2, pledgor: SCU }),
        ev("Pledges", "PledgeConsented", { pledgeId: "1", party: SCU, consentsMissing: 1 }),
        ev("Pledges", "PledgeConsented", { pledgeId: "1", party: BANK, consentsMissing: 0 }),
        ev("Pledges", "PledgeAgreed", { pledgeId: "1", agreedDay: 20_300 }),
        ev("Pledges", "PledgeRegistered", { pledgeId: "1", registrar: REGISTRAR, cnipaReference: "质押-1", registrationDay: 20_301 }),
      );
    const pledgeIn = (state: Map<string, Json>) => at<PledgeEntity>(state, keys.pledge("1"));

    it("follows a portfolio pledge to registration, moving its status index and naming each pledgor once", () => {
      const state = new Map<string, Json>();
      portfolio(state);
      const p = pledgeIn(state);
      expect(p).to.deep.include({ status: "Registered", currency: "CNY", consentsMissing: 0, agreedDay: 20_300, pledgors: [SCU] });
      expect(p.consents.map((c) => c.party)).to.deep.equal([SCU, BANK]);
      expect(p.patents.map((x) => [x.patentId, x.status])).to.deep.equal([
        [P1, "Pledged"],
        [P2, "Pledged"],
      ]);
      expect(keysWith(state, "ix/pl-status/")).to.deep.equal([keys.pledgesByStatus(PledgeStatus.Registered, "1")]);
      expect(keysWith(state, keys.pledgesByPledgeePrefix(BANK))).to.deep.equal([keys.pledgesByPledgee(BANK, "1")]);
      expect(keysWith(state, keys.pledgesByPledgorPrefix(SCU))).to.deep.equal([keys.pledgesByPledgor(SCU, "1")]);
      expect(keysWith(state, keys.pledgesOfPatentPrefix(P2))).to.deep.equal([keys.pledgesOfPatent(P2, "1")]);
      // PatentPledged, two consents, agreed and registered on each patent's timeline.
      expect(keysWith(state, keys.timelinePrefix(P1))).to.have.length(5);
      expect(keysWith(state, keys.timelinePrefix(P2))).to.have.length(5);
    });

    it("uses the consent for any counterparty when none names it; the consented transfer takes the patent out", () => {
      const state = new Map<string, Json>();
      portfolio(state);
      runAll(
        state,
        ev("Pledges", "ActConsented", { pledgeId: "1", patentId: P1, counterparty: ZERO, act: 0, route: 1 }),
        ev("Pledges", "ActConsentUsed", { pledgeId: "1", patentId: P1, counterparty: RONGXIN, act: 0, initiator: SCU, proceedsTo: "0x" + "ee".repeat(20) }),
        ev("Pledges", "PatentLeftPledge", { pledgeId: "1", patentId: P1, to: RONGXIN }),
        ev("Pledges", "ProceedsEscrowed", { pledgeId: "1", patentId: P1, token: TOKEN, pledgor: SCU, from: RONGXIN, amount: "5000" }),
      );
      const consent = at<ActConsentEntity>(state, keys.actConsent("1", P1, 0, ZERO));
      expect(consent).to.deep.include({ state: "Used", act: "Transfer", route: "Escrow" });
      expect(consent.used).to.include({ counterparty: RONGXIN, initiator: SCU });
      expect(pledgeIn(state).patents[0]).to.include({ status: "Left", leftTo: RONGXIN });
      run(ev("Pledges", "PledgeReleased", { pledgeId: "1", pledgee: BANK }), state);
      run(ev("Pledges", "ProceedsPaid", { pledgeId: "1", token: TOKEN, to: SCU, amount: "5000", toPledgee: false }), state);
      const p = pledgeIn(state);
      expect(p.status).to.equal("Released");
      expect(p.patents.map((x) => x.status)).to.deep.equal(["Left", "Released"]);
      expect(p.recovered).to.equal("0");
      expect(keysWith(state, keys.pledgeProceedsPrefix("1")).map((k) => at<ProceedsEntity>(state, k).kind)).to.deep.equal(["Escrowed", "Paid"]);
      expect(keysWith(state, "ix/pl-status/")).to.deep.equal([keys.pledgesByStatus(PledgeStatus.Released, "1")]);
    });

    it("revokes a named consent", () => {
      const state = new Map<string, Json>();
      portfolio(state);
      runAll(
        state,
        ev("Pledges", "ActConsented", { pledgeId: "1", patentId: P2, counterparty: YUZHI, act: 1, route: 0 }),
        ev("Pledges", "ActConsentRevoked", { pledgeId: "1", patentId: P2, counterparty: YUZHI, act: 1 }),
      );
      expect(at<ActConsentEntity>(state, keys.actConsent("1", P2, 1, YUZHI))).to.include({ state: "Revoked", act: "Licence", route: "EarlyRepayment" });
    });

    it("disposes of a defaulted pledge: Disposing, a failed auction, Sold, Disposed, then Enforced", () => {
      const state = new Map<string, Json>();
      portfolio(state);
      const start = (auctionId: string) =>
        ev("Pledges", "DisposalStarted", { pledgeId: "1", patentId: P1, auctionId, module: AUCTION, token: TOKEN, reserve: "1000", endTime: "1900000000" });
      runAll(
        state,
        ev("Pledges", "PledgeDefaulted", { pledgeId: "1", pledgee: BANK }),
        start("1"),
        ev("Pledges", "DisposalFailed", { pledgeId: "1", patentId: P1, auctionId: "1" }),
      );
      expect(pledgeIn(state).patents[0]!.status).to.equal("Pledged");
      expect(pledgeIn(state).patents[0]!.disposal!.failed).to.not.equal(null);
      runAll(
        state,
        start("2"),
        ev("Pledges", "PatentLeftPledge", { pledgeId: "1", patentId: P1, to: YUZHI }),
        ev("Pledges", "ProceedsPaid", { pledgeId: "1", token: TOKEN, to: BANK, amount: "1200", toPledgee: true }),
        ev("Pledges", "DisposalSettled", { pledgeId: "1", patentId: P1, buyer: YUZHI, auctionId: "2", proceeds: "1200", toPledgee: "1200", toPledgor: "0" }),
      );
      expect(pledgeIn(state).patents[0]).to.deep.include({ status: "Disposed", leftTo: YUZHI });
      expect(pledgeIn(state).patents[0]!.disposal).to.deep.include({ auctionId: "2", failed: null });
      expect(pledgeIn(state).recovered).to.equal("1200");
      run(ev("Pledges", "PledgeEnforced", { pledgeId: "1", recovered: "1200", securedAmount: "1000000" }), state);
      expect(pledgeIn(state).status).to.equal("Enforced");
      expect(keysWith(state, "ix/pl-status/")).to.deep.equal([keys.pledgesByStatus(PledgeStatus.Enforced, "1")]);
    });
  });

  describe("Valuations", () => {
    it("keys valuations by patent then index, with the currency as text", () => {
      const state = new Map<string, Json>();
      run(ev("Valuations", "ValuationRecorded", { patentId: P1, index: "0", appraiser: BANK, amount: "3000000", currency: CNY, method: 2, valuationDay: 20_000, reportHash: H(7) }), state);
      expect(at<ValuationEntity>(state, keys.valuation(P1, "0"))).to.include({ currency: "CNY", method: "Income", amount: "3000000" });
      expect(keysWith(state, keys.timelinePrefix(P1))).to.have.length(1);
    });
  });

  describe("EquityDeals", () => {
    it("follows a deal to execution with its patents, shares, transfers, indexes and a warrant on the timelines", () => {
      const state = new Map<string, Json>();
      runAll(
        state,
        ev("EquityDeals", "DealProposed", {
          dealId: "1",
          owner: SCU,
          company: RONGXIN,
          valuation: "5000000",
          currency: CNY,
          form: 0,
          equity: "100000",
          valuationReportHash: H(8),
          contractHash: H(9),
          companyRegistration: "91510100MA6C",
        }),
        ev("EquityDeals", "DealPatentAdded", { dealId: "1", patentId: P1 }),
        ev("EquityDeals", "DealPatentAdded", { dealId: "1", patentId: P2 }),
        ev("EquityDeals", "BenefitShareRecorded", { dealId: "1", beneficiary: INVENTORS, role: 0, bps: 7000 }),
        ev("EquityDeals", "DealAccepted", { dealId: "1", company: RONGXIN }),
        ev("EquityDeals", "DealTransferAgreed", { dealId: "1", patentId: P1, transferId: "4" }),
        ev("EquityDeals", "DealTransferAgreed", { dealId: "1", patentId: P2, transferId: "5" }),
        ev("EquityDeals", "DealTransferRegistered", { dealId: "1", patentId: P1, transferId: "4" }),
        ev("EquityDeals", "DealTransferRegistered", { dealId: "1", patentId: P2, transferId: "5" }),
        ev("EquityDeals", "DealExecuted", { dealId: "1", company: RONGXIN, executedDay: 20_400 }),
        ev("EquityDeals", "WarrantGranted", {
          warrantId: "1",
          dealId: "1",
          holder: INVENTORS,
          company: RONGXIN,
          shares: "1000",
          strike: "150",
          currency: CNY,
          windowStart: 20_400,
          windowEnd: 21_000,
          triggerRequired: true,
          trigger: "A 轮融资",
        }),
        ev("EquityDeals", "WarrantTriggered", { warrantId: "1", company: RONGXIN, day: 20_500 }),
        ev("EquityDeals", "WarrantExercised", { warrantId: "1", holder: INVENTORS, shares: "1000", day: 20_501 }),
      );
      const d = at<DealEntity>(state, keys.deal("1"));
      expect(d).to.deep.include({ status: "Executed", executedDay: 20_400, currency: "CNY", form: "Shares" });
      expect(d.patents).to.deep.equal([
        { patentId: P1, transferId: "4", transfer: "Registered" },
        { patentId: P2, transferId: "5", transfer: "Registered" },
      ]);
      expect(d.benefitShares).to.deep.equal([{ beneficiary: INVENTORS, role: "Inventor", roleCode: 0, bps: 7000 }]);
      expect(at<WarrantEntity>(state, keys.warrant("1"))).to.deep.include({ status: "Exercised", exercisedDay: 20_501, triggerMetDay: 20_500, patentIds: [P1, P2] });
      expect(keysWith(state, keys.dealsByCompanyPrefix(RONGXIN))).to.deep.equal([keys.dealsByCompany(RONGXIN, "1")]);
      expect(keysWith(state, keys.dealsByContributorPrefix(SCU))).to.deep.equal([keys.dealsByContributor(SCU, "1")]);
      expect(keysWith(state, keys.dealsOfPatentPrefix(P2))).to.deep.equal([keys.dealsOfPatent(P2, "1")]);
      expect(keysWith(state, keys.warrantsByHolderPrefix(INVENTORS))).to.have.length(1);
      // P1: added, share, accepted, its transfer agreed and registered, executed, three warrant events.
      expect(keysWith(state, keys.timelinePrefix(P1))).to.have.length(9);
    });

    it("marks the refused transfer and the deal failed", () => {
      const state = new Map<string, Json>();
      runAll(
        state,
        ev("EquityDeals", "DealProposed", {
          dealId: "2",
          owner: SCU,
          company: RONGXIN,
          valuation: "1",
          currency: CNY,
          form: 1,
          equity: "500",
          valuationReportHash: H(8),
          contractHash: H(9),
          companyRegistration: "X",
        }),
        ev("EquityDeals", "DealPatentAdded", { dealId: "2", patentId: P1 }),
        ev("EquityDeals", "DealAccepted", { dealId: "2", company: RONGXIN }),
        ev("EquityDeals", "DealTransferAgreed", { dealId: "2", patentId: P1, transferId: "6" }),
        ev("EquityDeals", "DealFailed", { dealId: "2", patentId: P1, transferId: "6" }),
      );
      expect(at<DealEntity>(state, keys.deal("2"))).to.deep.include({ status: "Failed", form: "BasisPoints", patents: [{ patentId: P1, transferId: "6", transfer: "Refused" }] });
    });
  });

  it("keeps the timeline in chain order across blocks and contracts", () => {
    const state = new Map<string, Json>();
    block = 11;
    run(granted("1", RONGXIN, 2), state);
    block = 12;
    run(ev("Valuations", "ValuationRecorded", { patentId: P1, index: "0", appraiser: BANK, amount: "1", currency: CNY, method: 0, valuationDay: 1, reportHash: H(7) }), state);
    const entries = keysWith(state, keys.timelinePrefix(P1)).map((k) => state.get(k) as { block: number; event: string });
    expect(entries.map((x) => [x.block, x.event])).to.deep.equal([
      [11, "LicenceGranted"],
      [12, "ValuationRecorded"],
    ]);
  });
});
