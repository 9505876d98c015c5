import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";
import { loadFixture, mine } from "@nomicfoundation/hardhat-network-helpers";
import { buildCertificate, CertificateBuildError } from "../../server/certificate/build";
import { PatentNotRegisteredError } from "../../server/certificate/facts";
import { serialiseCertificate, type Certificate } from "../../server/certificate/format";
import { HEADER_FIELDS } from "../../server/certificate/header";
import { field, LAYOUT, LOCK_PLEDGED } from "../../server/certificate/layout";
import { verifyCertificate, verifyCertificateText, type TrustedContracts, type VerifyFailure, type VerifyResult } from "../../server/certificate/verify";
import { namedSigners } from "../helpers/fixtures";
import { copy, getAt, leafPaths, plausiblyAltered, setAt } from "./tamper";
import { hardhatRpc, hardhatStory } from "./helpers";
import { writeStory } from "./story";

type Json = Parameters<typeof leafPaths>[0];

async function certified() {
  const story = await hardhatStory();
  const build = (patent: string) => buildCertificate(hardhatRpc, { patent, contracts: story.contracts });
  const pledged = await build(story.pledged);
  const licensed = await build(story.licensed);
  const open = await build(story.open);
  const expired = await build(story.expired);
  const pending = await build(story.pending);
  return { story, pledged, licensed, open, expired, pending };
}

type Fixture = Awaited<ReturnType<typeof certified>>;

function verify(f: Fixture, cert: unknown, over: { blockHash?: string; patent?: string; contracts?: Partial<TrustedContracts> } = {}) {
  const c = cert as Certificate;
  return verifyCertificate(cert, {
    blockHash: over.blockHash ?? c.block.hash,
    contracts: { ...f.story.contracts, ...over.contracts },
    patent: over.patent,
  });
}

function expectFailure(result: VerifyResult, code: VerifyFailure, reason?: RegExp): void {
  if (result.ok) expect.fail(`verified, expected ${code}`);
  expect(result.code, result.reason).to.equal(code);
  if (reason) expect(result.reason).to.match(reason);
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  return expect.fail("expected a rejection");
}

/** Flips the last hex digit of a hex string. */
const flip = (hex: string): string => `${hex.slice(0, -1)}${hex.endsWith("0") ? "1" : "0"}`;

describe("certificate", () => {
  describe("buildCertificate", () => {
    it("states the owner, kind, status, locks, dates and the latest pledge and valuation of a pledged patent", async () => {
      const f = await loadFixture(certified);
      const { patent, pledges, valuations } = f.pledged.facts;
      const s = await namedSigners();
      expect(patent).to.deep.include({
        number: f.story.pledged,
        owner: s.uniA.address,
        kind: "Invention",
        recordedStatus: "Valid",
        legalStatus: "Valid",
        locks: ["PLEDGED"],
        filingDate: "2019-03-15",
        grantDate: "2021-06-30",
        expiryDate: "2039-03-15",
      });
      expect(pledges?.contract).to.equal(await f.story.ledger.pledges.getAddress());
      expect(pledges?.latest).to.deep.include({
        pledgeId: "1",
        status: "Registered",
        encumbers: true,
        pledgee: s.bankA.address,
        pledgor: s.uniA.address,
        patentStatus: "Pledged",
        securedAmount: "5000000",
        currency: "CNY",
        consentsMissing: 0,
      });
      expect(valuations).to.deep.include({ count: 2 });
      expect(valuations?.latest).to.deep.include({ index: 1, amount: "95000000", currency: "CNY", method: "Income", appraiser: s.appraiser.address });
    });

    it("reads the Pledges contract from the registry's lock-holder slot, whose upper bytes count the pledged patents", async () => {
      const f = await loadFixture(certified);
      const registry = await f.story.ledger.registry.getAddress();
      const word = BigInt(await ethers.provider.getStorage(registry, LAYOUT.PatentRegistry.lockModules + LOCK_PLEDGED));
      expect(field(word, LAYOUT.PatentRegistry.lockHolder.count, 12)).to.equal(2n); // the registered and the pending pledge
      expect(await f.story.ledger.registry.lockCount(LOCK_PLEDGED)).to.equal(2n);
      expect(f.pledged.facts.pledges?.contract).to.equal(await f.story.ledger.pledges.getAddress());
      expect((await verify(f, f.pledged)).ok).to.equal(true);
    });

    it("lists every active licence and flags the sole one", async () => {
      const f = await loadFixture(certified);
      const s = await namedSigners();
      const licensing = f.licensed.facts.licensing!;
      expect(licensing.active.map((l) => [l.licenceId, l.kind, l.licensee, l.status, l.inForce, l.fields])).to.deep.equal([
        ["1", "Sole", s.companyA.address, "Active", true, "0x0000000000000004"],
        ["2", "NonExclusive", s.companyB.address, "Active", true, "0x0000000000000010"],
      ]);
      expect(licensing.exclusiveOrSole).to.equal(true);
      expect(licensing.openLicence).to.deep.equal({ declared: false, terms: null });
      expect(f.licensed.facts.pledges?.latest).to.equal(null);
    });

    it("states an open-licence declaration with its terms", async () => {
      const f = await loadFixture(certified);
      expect(f.open.facts.licensing?.openLicence).to.deep.equal({
        declared: true,
        terms: { method: "RunningRoyalty", royaltyBps: 300, termDays: 365, amount: "0", token: await f.story.ledger.token.getAddress() },
      });
    });

    it("states Expired from the expiry date on, and a pending pledge on a frozen patent", async () => {
      const f = await loadFixture(certified);
      expect(f.expired.facts.patent).to.deep.include({ kind: "Design", recordedStatus: "Valid", legalStatus: "Expired", expiryDate: "2020-05-04" });
      expect(f.pending.facts.patent).to.deep.include({ recordedStatus: "Frozen", legalStatus: "Frozen", locks: ["PLEDGED"] });
      expect(f.pending.facts.pledges?.latest).to.deep.include({ status: "Proposed", encumbers: true, consentsMissing: 1, registrationDate: null });
    });

    it("answers the certificate at an earlier block when asked", async () => {
      const f = await loadFixture(certified);
      const cert = await buildCertificate(hardhatRpc, { patent: f.story.pledged, contracts: f.story.contracts, block: f.pledged.block.number - 10 });
      expect(cert.block.number).to.equal(f.pledged.block.number - 10);
      expect((await verify(f, cert)).ok).to.equal(true);
    });

    it("refuses a patent that is not registered", async () => {
      const f = await loadFixture(certified);
      const err = await rejection(buildCertificate(hardhatRpc, { patent: "ZL202110234567.5", contracts: f.story.contracts }));
      expect(err).to.be.instanceOf(PatentNotRegisteredError);
      expect(err.message).to.match(/not registered/);
    });

    it("reports a node whose proofs do not match the storage it answered", async () => {
      const f = await loadFixture(certified);
      const lying = {
        send: async (method: string, params: unknown[]) => {
          const answer = await hardhatRpc.send(method, params);
          if (method !== "eth_getProof") return answer;
          const proof = answer as { storageProof: { value: string }[] };
          proof.storageProof[0]!.value = `0x${(BigInt(proof.storageProof[0]!.value) ^ 1n).toString(16)}`;
          return proof;
        },
      };
      const err = await rejection(buildCertificate(lying, { patent: f.story.pledged, contracts: f.story.contracts }));
      expect(err).to.be.instanceOf(CertificateBuildError);
      expect(err.message).to.match(/STORAGE_PROOF/);
    });
  });

  describe("verifyCertificate", () => {
    it("verifies every certificate of the story against its block hash", async () => {
      const f = await loadFixture(certified);
      for (const cert of [f.pledged, f.licensed, f.open, f.expired, f.pending]) {
        const result = await verify(f, cert, { patent: cert.facts.patent.number });
        expect(result.ok, result.ok ? "" : result.reason).to.equal(true);
        if (result.ok) expect(result.facts).to.deep.equal(cert.facts);
      }
    });

    it("fails with WRONG_BLOCK against another block's hash", async () => {
      const f = await loadFixture(certified);
      const parent = f.pledged.block.header.parentHash!;
      expectFailure(await verify(f, f.pledged, { blockHash: parent }), "WRONG_BLOCK", /not for the block/);
    });

    it("fails with WRONG_BLOCK for a certificate of an older block, still genuine", async () => {
      const f = await loadFixture(certified);
      await mine(3);
      const head = await ethers.provider.getBlock("latest");
      expectFailure(await verify(f, f.pledged, { blockHash: head!.hash! }), "WRONG_BLOCK");
    });

    it("fails with HEADER_MISMATCH when any header field is altered", async () => {
      const f = await loadFixture(certified);
      const present = HEADER_FIELDS.map(([name]) => name).filter((n) => f.pledged.block.header[n] !== undefined);
      expect(present).to.include.members(["baseFeePerGas", "withdrawalsRoot", "parentBeaconBlockRoot"]);
      for (const name of present) {
        const cert = copy(f.pledged);
        const value = cert.block.header[name]!;
        cert.block.header[name] = name === "extraData" && value === "0x" ? "0x01" : /^0x0$/.test(value) ? "0x1" : flip(value);
        expectFailure(await verify(f, cert), "HEADER_MISMATCH");
      }
    });

    it("fails when a fork's header field is dropped or the stated hash or number altered", async () => {
      const f = await loadFixture(certified);
      const last = HEADER_FIELDS.map(([n]) => n).filter((n) => f.pledged.block.header[n] !== undefined).pop()!;
      const dropped = copy(f.pledged);
      delete dropped.block.header[last];
      expectFailure(await verify(f, dropped), "HEADER_MISMATCH");
      const hash = copy(f.pledged);
      hash.block.hash = flip(hash.block.hash);
      expectFailure(await verify(f, hash, { blockHash: f.pledged.block.hash }), "HEADER_MISMATCH");
      const number = copy(f.pledged);
      number.block.number += 1;
      expectFailure(await verify(f, number), "HEADER_MISMATCH");
    });

    it("fails with FACTS_MISMATCH when any stated fact is altered", async () => {
      const f = await loadFixture(certified);
      for (const source of [f.pledged, f.licensed, f.open, f.pending]) {
        const paths = leafPaths(source.facts as unknown as Json);
        for (const path of paths) {
          const cert = copy(source);
          const facts = cert.facts as unknown as Json;
          setAt(facts, path, plausiblyAltered(getAt(facts, path)));
          const result = await verify(f, cert);
          expect(result.ok, `facts.${path.join(".")} altered and still verified`).to.equal(false);
          if (!result.ok) {
            const expected = path.join(".") === "patent.number" ? "MISSING_PROOF" : "FACTS_MISMATCH";
            const allowed = [expected, "MALFORMED"];
            expect(allowed, `facts.${path.join(".")}: ${result.code} ${result.reason}`).to.include(result.code);
          }
        }
      }
    });

    it("fails with FACTS_MISMATCH when a licence is left out or a pledge hidden", async () => {
      const f = await loadFixture(certified);
      const fewer = copy(f.licensed);
      fewer.facts.licensing!.active.shift();
      expectFailure(await verify(f, fewer), "FACTS_MISMATCH", /lists 1 item\(s\), the proven storage 2/);
      const hidden = copy(f.pledged);
      hidden.facts.pledges!.latest = null;
      expectFailure(await verify(f, hidden), "FACTS_MISMATCH", /facts\.pledges\.latest/);
    });

    it("fails with ACCOUNT_PROOF when an account proof node or a stated account field is altered", async () => {
      const f = await loadFixture(certified);
      for (const role of ["registry", "pledges", "licensing", "valuations"] as const) {
        const node = copy(f.pledged);
        const proof = node.proofs[role]!;
        proof.accountProof[proof.accountProof.length - 1] = flip(proof.accountProof[proof.accountProof.length - 1]!);
        expectFailure(await verify(f, node), "ACCOUNT_PROOF", /does not hash/);
        for (const key of ["nonce", "balance", "codeHash", "storageHash"] as const) {
          const field = copy(f.pledged);
          field.proofs[role]![key] = key === "nonce" || key === "balance" ? `0x${(BigInt(field.proofs[role]![key]) + 1n).toString(16)}` : flip(field.proofs[role]![key]);
          expectFailure(await verify(f, field), "ACCOUNT_PROOF", new RegExp(key === "storageHash" ? "storageRoot" : key));
        }
        const truncated = copy(f.pledged);
        truncated.proofs[role]!.accountProof.pop();
        expectFailure(await verify(f, truncated), "ACCOUNT_PROOF", /missing/);
        const extended = copy(f.pledged);
        extended.proofs[role]!.accountProof.push(extended.proofs[role]!.accountProof[0]!);
        expectFailure(await verify(f, extended), "ACCOUNT_PROOF", /after the end/);
      }
    });

    it("fails with STORAGE_PROOF when a storage proof node, slot or value is altered", async () => {
      const f = await loadFixture(certified);
      const cert = f.pledged;
      for (const role of ["registry", "pledges", "licensing", "valuations"] as const) {
        for (let i = 0; i < cert.proofs[role]!.storage.length; i++) {
          const node = copy(cert);
          const entry = node.proofs[role]!.storage[i]!;
          entry.proof[0] = flip(entry.proof[0]!);
          expectFailure(await verify(f, node), "STORAGE_PROOF", /does not hash/);
          const value = copy(cert);
          const v = value.proofs[role]!.storage[i]!;
          v.value = `0x${(BigInt(v.value) + 1n).toString(16)}`;
          expectFailure(await verify(f, value), "STORAGE_PROOF");
          const slot = copy(cert);
          const s = slot.proofs[role]!.storage[i]!;
          s.slot = flip(s.slot);
          const result = await verify(f, slot);
          expect(result.ok).to.equal(false);
          // Another slot's path departs from the proof (a proof of absence at best): the value no longer matches,
          // the slot read is missing, or the altered slot is one already proven.
          if (!result.ok) expect(["STORAGE_PROOF", "MISSING_PROOF", "MALFORMED"]).to.include(result.code);
        }
      }
    });

    it("fails with MISSING_PROOF when a slot's proof or a contract's proof is left out", async () => {
      const f = await loadFixture(certified);
      for (const role of ["registry", "pledges", "licensing", "valuations"] as const) {
        for (let i = 0; i < f.pledged.proofs[role]!.storage.length; i++) {
          const cert = copy(f.pledged);
          cert.proofs[role]!.storage.splice(i, 1);
          expectFailure(await verify(f, cert), "MISSING_PROOF", /no storage proof for/);
        }
      }
      for (const role of ["pledges", "licensing", "valuations"] as const) {
        const cert = copy(f.pledged);
        delete cert.proofs[role];
        expectFailure(await verify(f, cert), "MISSING_PROOF", /no proof for the/);
      }
    });

    it("fails with UNUSED_PROOF when a genuine proof of a slot no fact needs is added", async () => {
      const f = await loadFixture(certified);
      const cert = copy(f.pledged);
      // The licensed patent's registry slot, proven at the same block.
      const own = new Set(cert.proofs.registry.storage.map((s) => s.slot));
      cert.proofs.registry.storage.push(f.licensed.proofs.registry.storage.find((s) => !own.has(s.slot))!);
      expectFailure(await verify(f, cert), "UNUSED_PROOF");
      const uncovered = copy(f.pledged);
      uncovered.facts.valuations = null;
      expectFailure(await verify(f, uncovered, { contracts: { valuations: undefined } }), "WRONG_CONTRACT", /no trusted Valuations/);
    });

    it("fails with WRONG_CONTRACT for a genuine certificate of another deployment's registry", async () => {
      const f = await loadFixture(certified);
      const s = await namedSigners();
      // The same story on a second ledger: its certificate is genuine for its own contracts.
      const other = await writeStory(
        { admin: s.admin, registrar: s.registrar, bankA: s.bankA, appraiser: s.appraiser, scu: s.uniA, uestc: s.uniB, rongxin: s.companyA, yuzhi: s.companyB },
        ethers.provider,
      );
      const foreign = await buildCertificate(hardhatRpc, { patent: other.pledged, contracts: other.contracts });
      expect((await verifyCertificate(foreign, { blockHash: foreign.block.hash, contracts: other.contracts })).ok).to.equal(true);
      expectFailure(await verify(f, foreign), "WRONG_CONTRACT", /not for the trusted PatentRegistry/);
      expectFailure(await verify(f, foreign, { contracts: { registry: other.contracts.registry } }), "WRONG_CONTRACT", /Licensing/);
    });

    it("fails with WRONG_CONTRACT when a proof names another address or Pledges is not the registry's module", async () => {
      const f = await loadFixture(certified);
      const moved = copy(f.pledged);
      moved.proofs.licensing!.address = moved.proofs.valuations!.address;
      expectFailure(await verify(f, moved), "WRONG_CONTRACT");
      const pledges = copy(f.pledged);
      pledges.proofs.pledges!.address = f.story.contracts.valuations;
      const result = await verify(f, pledges);
      expect(result.ok).to.equal(false);
      if (!result.ok) expect(["ACCOUNT_PROOF", "WRONG_CONTRACT"]).to.include(result.code);
      expectFailure(await verify(f, f.pledged, { contracts: { pledges: f.story.contracts.valuations } }), "WRONG_CONTRACT", /PLEDGED lock/);
    });

    it("fails with WRONG_PATENT for a certificate about another patent than the one asked", async () => {
      const f = await loadFixture(certified);
      expectFailure(await verify(f, f.licensed, { patent: f.story.pledged }), "WRONG_PATENT");
    });

    it("fails with MALFORMED on an unknown field, a missing field or a non-canonical spelling", async () => {
      const f = await loadFixture(certified);
      const extra = copy(f.pledged) as unknown as Record<string, unknown>;
      extra.note = "trust me";
      expectFailure(await verify(f, extra), "MALFORMED");
      const missing = copy(f.pledged) as unknown as { facts: Record<string, unknown> };
      delete missing.facts.valuations;
      expectFailure(await verify(f, missing), "MALFORMED");
      const upper = copy(f.pledged);
      upper.block.header.stateRoot = upper.block.header.stateRoot!.toUpperCase().replace("0X", "0x");
      expectFailure(await verify(f, upper), "MALFORMED");
      const lower = copy(f.pledged);
      lower.proofs.registry.address = lower.proofs.registry.address.toLowerCase();
      expectFailure(await verify(f, lower), "MALFORMED", /checksummed/);
    });

    it("fails whatever leaf of the certificate (header, facts, proofs) is given another plausible value (property)", async () => {
      const f = await loadFixture(certified);
      const sources = [f.pledged, f.licensed, f.open];
      const paths = sources.map((c) => leafPaths(c as unknown as Json));
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: sources.length - 1 }), fc.nat(), async (which, pick) => {
          const all = paths[which]!;
          const path = all[pick % all.length]!;
          const cert = copy(sources[which]!) as unknown as Json;
          setAt(cert, path, plausiblyAltered(getAt(cert, path)));
          const result = await verify(f, cert);
          return !result.ok;
        }),
        { numRuns: 500 },
      );
    });
  });

  describe("verifyCertificateText", () => {
    it("verifies the canonical file and refuses a re-formatted one", async () => {
      const f = await loadFixture(certified);
      const text = serialiseCertificate(f.pledged);
      const options = { blockHash: f.pledged.block.hash, contracts: f.story.contracts };
      expect((await verifyCertificateText(text, options)).ok).to.equal(true);
      expectFailure(await verifyCertificateText(JSON.stringify(f.pledged), options), "NOT_CANONICAL");
    });

    it("fails whatever single byte of the file is changed (property)", async () => {
      const f = await loadFixture(certified);
      const bytes = Buffer.from(serialiseCertificate(f.pledged), "utf8");
      const options = { blockHash: f.pledged.block.hash, contracts: f.story.contracts };
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 }), async (at, delta) => {
          const tampered = Buffer.from(bytes);
          tampered[at] = (tampered[at]! + delta) % 256;
          const result = await verifyCertificateText(tampered, options);
          return !result.ok;
        }),
        { numRuns: 1000 },
      );
    });
  });
});
