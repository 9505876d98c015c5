import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import type { Express } from "express";
import request from "supertest";
import { createApp } from "../../server/api/app";
import { demoWallet } from "../../server/chain/accounts";
import { chinaDayOf, isoOfDay, makeCnipaNumber } from "../../server/chain/cnipa";
import type { Deployments } from "../../server/chain/deployments";
import { loadConfig } from "../../server/config";
import { createContext } from "../../server/context";
import { createLedgerClient } from "../../server/client";
import { createQueries, type Indexer } from "../../server/indexer";
import { runCli } from "../../scripts/cli/program";
import type { CliDeps } from "../../scripts/cli/context";
import { contractAddresses, deployLedger, type LedgerContracts } from "../../scripts/deploy";
import type { AnvilNode } from "../indexer/helpers/anvil";
import { startHardhatNode } from "../indexer/helpers/hardhat-node";
import { indexerFor, providerFor, silentLogger, tempStore, type TempStore } from "../indexer/helpers/ledger";
import { TEST_ENV } from "../server/helpers";

/**
 * The end-to-end story, through the CLI against a fresh local chain (`hardhat node` over JSON-RPC, the ledger deployed) with a
 * gateway indexing it; after each step the gateway's API answers are checked:
 *   Sichuan University's inventory is imported from CSV by the registrar; the venues open; scu lists one patent for sale
 *   through the Chongqing venue; Chengdu Rongxin buys it through the Chengdu venue and the registrar
 *   registers the transfer; Bank of Chengdu takes a pledge on a second patent, registered; an exclusive
 *   licence of a third patent is granted and a conflicting one refused with the decoded error; a royalty
 *   is paid; the pledged patent's certificate is fetched from the gateway and verified offline against the
 *   node's block hash, then a copy with one field changed is refused.
 */

interface Run {
  code: number;
  out: string[];
  err: string[];
}

const address = (name: string) => demoWallet(name).address;
/** Addresses as the gateway answers them (lower case). */
const lower = (name: string) => address(name).toLowerCase();

describe("end-to-end story: CLI -> chain -> indexer -> API", function () {
  let node: AnvilNode;
  let ledger: LedgerContracts;
  let deployments: Deployments;
  let deploymentsFile: string;
  let dir: string;
  let store: TempStore;
  let indexer: Indexer;
  let app: Express;
  const provider = () => providerFor(node.url);
  const providers: ReturnType<typeof providerFor>[] = [];

  // Three patents of Sichuan University, 2019 filings granted in 2021.
  const sale = makeCnipaNumber(2019, 1, 61_001);
  const pledged = makeCnipaNumber(2019, 1, 61_002);
  const licensed = makeCnipaNumber(2019, 1, 61_003);

  /** Runs the CLI in-process against the node, signing as `--as`, as `tianfu` would over JSON-RPC. */
  async function tianfu(...argv: string[]): Promise<Run> {
    const out: string[] = [];
    const err: string[] = [];
    const deps: CliDeps = {
      out: (s) => out.push(s),
      err: (s) => err.push(s),
      env: {},
      connect: async (opts) => {
        const p = provider();
        providers.push(p);
        return createLedgerClient({ runner: opts.as ? demoWallet(opts.as).connect(p) : p, deployments });
      },
    };
    return { code: await runCli([...argv, "--rpc", node.url, "--deployments", deploymentsFile], deps), out, err };
  }

  /** Runs the CLI, expects success and indexes the chain's new blocks. */
  async function step(...argv: string[]): Promise<string[]> {
    const run = await tianfu(...argv);
    expect(run.err, argv.join(" ")).to.deep.equal([]);
    expect(run.code, argv.join(" ")).to.equal(0);
    await indexer.syncToHead();
    return run.out;
  }

  const api = (p: string) => request(app).get(p).expect(200);
  const dossier = async (cited: string) => (await api(`/v1/patents/${cited}`)).body;
  const encumbrances = async (cited: string) => (await api(`/v1/financing/patents/${cited}/encumbrances`)).body;
  const timelineEvents = async (cited: string) =>
    ((await api(`/v1/patents/${cited}/timeline?limit=200`)).body.items as { contract: string; event: string }[]).map((e) => `${e.contract}.${e.event}`);

  before(async function () {
    node = await startHardhatNode();
    const p = provider();
    providers.push(p);
    const signer = (name: string) => demoWallet(name).connect(p);
    const startBlock = await p.getBlockNumber();
    ledger = await deployLedger(signer("admin"), {
      registrars: [address("registrar")],
      venues: [address("chengdu"), address("chongqing")],
      banks: [address("bankA")],
      appraisers: [address("appraiser")],
      evaluators: [address("evaluator")],
    });
    deployments = {
      chainId: Number((await p.getNetwork()).chainId),
      deploymentBlock: startBlock + 1,
      deployedAt: "e2e",
      contracts: await contractAddresses(ledger),
    };
    dir = mkdtempSync(path.join(tmpdir(), "tianfu-e2e-"));
    deploymentsFile = path.join(dir, "deployments.json");
    writeFileSync(deploymentsFile, JSON.stringify(deployments, null, 2));
    // The enterprises hold demo yuan (dCNY), minted by the admin (the demo token's own step, not a ledger act).
    for (const who of ["rongxin", "yuzhi"]) await (await ledger.token.connect(signer("admin")).mint(address(who), 100_000_000n)).wait();

    store = await tempStore();
    indexer = indexerFor(node.url, store.store, deployments);
    await indexer.syncToHead();
    const ctx = createContext(loadConfig({ CHAIN_RPC_URL: node.url, ...TEST_ENV }), { logger: silentLogger, provider: p, deployments });
    ctx.index = { indexer, queries: createQueries(store.store), store: store.store };
    app = createApp(ctx);
  });

  after(async () => {
    for (const p of providers) p.destroy();
    await store?.close();
    await node?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("1. the registrar imports Sichuan University's inventory from CSV", async () => {
    const csv = path.join(dir, "scu-inventory.csv");
    writeFileSync(
      csv,
      [
        "number,title,ipc,filing_date,grant_date,holder,readiness,willing,modes,self_score,unit_score,scenarios,dossier_hash",
        `${sale},一种锂离子电池高镍三元正极材料及其制备方法,H01M 4/525;H01M 10/0525,2019-03-12,2021-06-18,scu,6,yes,transfer|licence,82,78,newEnergy,`,
        `${pledged},一种治疗骨质疏松症的中药组合物及其制备方法,A61K 36/9066;A61P 19/10,2019-10-30,2022-03-04,scu,4,yes,licence,70,65,biomedicine,`,
        `${licensed},一种高速列车受电弓主动控制方法,B60L 5/28,2019-05-21,2021-09-15,scu,7,yes,transfer|licence,80,85,railTransit,`,
      ].join("\n"),
    );
    const run = await tianfu("import", csv, "--as", "registrar");
    expect(run.code, run.err.join("\n")).to.equal(0);
    expect(run.err).to.deep.equal(["3 good row(s), 0 bad row(s)"]);
    await indexer.syncToHead();
    const owned = (await api(`/v1/patents?owner=${address("scu")}`)).body.items as { number: string; owner: string }[];
    expect(owned.map((x) => x.number).sort()).to.deep.equal([sale, pledged, licensed].sort());
    const d = await dossier(sale);
    expect(d.patent).to.deep.include({ number: sale, owner: lower("scu"), status: "Valid" });
    expect(d).to.deep.include({ inForce: true, pendingTransfer: null, transfers: [] });
  });

  let listingId = "";

  it("2. the Chengdu and Chongqing venues open; the Chongqing venue lists a patent for sale", async () => {
    await step("venue", "open", "成都知识产权交易中心", "--fee", "2%", "--as", "chengdu");
    await step("venue", "open", "重庆知识产权交易中心", "--fee", "150", "--as", "chongqing");
    expect((await tianfu("venue", "show", "chongqing")).out[0]).to.match(/重庆知识产权交易中心 {2}fee 150 bps$/);
    const out = await step("exchange", "list", sale, "--kind", "sale", "--venue", "chongqing", "--price", "500000", "--as", "scu");
    listingId = /^listing #(\d+)/.exec(out[0]!)![1]!;
    expect((await dossier(sale)).patent.locks).to.not.equal(0);
    expect((await encumbrances(sale)).locks.map((l: { name: string }) => l.name)).to.deep.equal(["LISTED"]);
  });

  it("3. a Chengdu enterprise buys it through the Chengdu venue and the registrar registers the transfer", async () => {
    await step("exchange", "buy", listingId, "--venue", "chengdu", "--as", "rongxin");
    const pending = await dossier(sale);
    expect(pending.pendingTransfer).to.deep.include({ from: lower("scu"), to: lower("rongxin") });
    const settled = await step("exchange", "settle", listingId, "--reference", "ZR2026510001", "--as", "registrar");
    expect(settled[0]).to.match(/transfer #1 registered/);
    const d = await dossier(sale);
    expect(d.patent.owner).to.equal(lower("rongxin"));
    expect(d.pendingTransfer).to.equal(null);
    expect(d.transfers).to.have.length(1);
    expect(d.transfers[0]).to.deep.include({ from: lower("scu"), to: lower("rongxin"), status: "Registered", cnipaReference: "ZR2026510001" });
    expect(d.implementation).to.deep.include({ transfer: true, any: true });
    expect((await encumbrances(sale)).locks).to.deep.equal([]);
  });

  it("4. Bank of Chengdu takes a pledge on another patent and it is registered", async () => {
    const today = chinaDayOf((await provider().getBlock("latest"))!.timestamp);
    const proposed = await step("pledge", "propose", "--pledgee", "bankA", "--patents", pledged, "--amount", "2,000,000", "--term-end", isoOfDay(today + 365), "--loan-ref", "成银知贷[2026]第0001号", "--as", "bankA");
    expect(proposed[0]).to.match(/^pledge #1/);
    await step("pledge", "consent", "1", "--as", "scu");
    await step("pledge", "register", "1", "--reference", "Y2026510000001", "--as", "registrar");
    const e = await encumbrances(pledged);
    expect(e.patent).to.deep.include({ owner: lower("scu"), status: "Valid", inForce: true });
    expect(e.locks.map((l: { name: string }) => l.name)).to.deep.equal(["PLEDGED"]);
    expect(e.pledgeBlockers.join(" ")).to.match(/pledged/i);
    expect((await dossier(pledged)).implementation).to.deep.include({ pledge: true });
  });

  it("5. an exclusive licence is granted and a conflicting licence is refused with the decoded error", async () => {
    const until = isoOfDay(chinaDayOf((await provider().getBlock("latest"))!.timestamp) + 365);
    const granted = await step("licence", "grant", licensed, "--to", "yuzhi", "--kind", "exclusive", "--fields", "C37", "--territories", "51,50", "--until", until, "--royalty", "3%", "--as", "scu");
    expect(granted[0]).to.match(/^licence #1 \(exclusive\)/);
    const refused = await tianfu("licence", "grant", licensed, "--to", "rongxin", "--kind", "non-exclusive", "--fields", "all", "--territories", "china", "--until", until, "--lump-sum", "1000", "--as", "scu");
    expect(refused.code).to.equal(1);
    expect(refused.err[0]).to.match(/^error: LicensingConflict\(licenceId=1, kind=Exclusive\(0\), /);
    expect(refused.err[1]).to.match(/^hint: an exclusive or sole licence may not overlap another/);
    await indexer.syncToHead();
    expect(await timelineEvents(licensed)).to.include("Licensing.LicenceGranted");
    expect((await dossier(licensed)).implementation).to.deep.include({ licence: true });
  });

  it("6. the licensee reports revenue and pays the royalty", async () => {
    await step("royalty", "report", "1", "--revenue", "100000", "--report-hash", `0x${"ab".repeat(32)}`, "--as", "yuzhi");
    const paid = await step("royalty", "pay", "1", "--as", "yuzhi");
    expect(paid.join("\n")).to.match(/paid 3000\.00 dCNY of royalties on licence #1/);
    expect(await ledger.token.balanceOf(address("scu"))).to.be.greaterThan(0n);
    expect(await timelineEvents(licensed)).to.include.members(["Royalties.RevenueReported", "Royalties.RoyaltyPaid"]);
  });

  it("7. a certificate of the pledged patent is verified offline against the node's block hash; a tampered copy is refused", async () => {
    const res = await request(app).get(`/v1/financing/patents/${pledged}/certificate`).expect(200);
    const file = path.join(dir, "certificate.json");
    writeFileSync(file, res.text);
    const certificate = JSON.parse(res.text) as { block: { number: number } };
    // The bank's own node: the block hash comes from it, not from the gateway.
    const blockHash = (await provider().getBlock(certificate.block.number))!.hash!;
    const verified = await tianfu("verify-certificate", file, "--block-hash", blockHash, "--patent", pledged);
    expect(verified.err).to.deep.equal([]);
    expect(verified.code).to.equal(0);
    expect(verified.out[0]).to.match(new RegExp(`^certificate verified at block ${certificate.block.number} ${blockHash}`));
    expect(verified.out.join("\n")).to.include(address("bankA"));

    const text = readFileSync(file, "utf8");
    const tamperedFile = path.join(dir, "certificate-tampered.json");
    const tampered = text.replace(/"securedAmount":\s*"?(\d+)"?/, (m, n: string) => m.replace(n, String(BigInt(n) * 10n)));
    expect(tampered).to.not.equal(text);
    writeFileSync(tamperedFile, tampered);
    const refused = await tianfu("verify-certificate", tamperedFile, "--block-hash", blockHash, "--patent", pledged);
    expect(refused.code).to.equal(1);
    expect(refused.err[0]).to.match(/^certificate REJECTED \(FACTS_MISMATCH\): facts\.pledges\.latest\.securedAmount/);
  });
});
