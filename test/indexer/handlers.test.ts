import { createHash } from "node:crypto";
import { expect } from "chai";
import fc from "fast-check";
import { AbiCoder, ethers, Interface } from "ethers";
import { AbiDecodeError, compileDecoder } from "../../server/indexer/abidecode";
import { LegalStatus, PatentKind } from "../../server/chain/roles";
import { dayOf } from "../../server/chain/cnipa";
import { createLogDecoder } from "../../server/indexer/abi";
import { blockDigest, ZERO_DIGEST } from "../../server/indexer/apply";
import { addYears, expiryDayOf } from "../../server/indexer/expiry";
import { DEFAULT_ABIS } from "../../server/indexer/handlers";
import { HandlerStateError, registryHandlers, type PatentEntity, type TransferEntity } from "../../server/indexer/handlers/registry";
import type { EventArgs, LedgerEvent } from "../../server/indexer/types";
import type { Json } from "../../server/store/codec";
import type { StoreWrite } from "../../server/store/db";
import { keys } from "../../server/store/keys";
import { fcParams } from "../helpers/properties";
import { runHandler } from "./helpers/handlers";

const ZERO = ethers.ZeroAddress;
const SCU = "0x" + "11".repeat(20);
const BUYER = "0x" + "22".repeat(20);
const REGISTRY = "0x" + "99".repeat(20);
const ID = "201910000001";

let logIndex = 0;
function ev(event: string, args: EventArgs, block = 10): LedgerEvent {
  return { contract: "PatentRegistry", address: REGISTRY, event, args, blockNumber: block, blockHash: "0x" + "ab".repeat(32), txHash: "0x" + "cd".repeat(32), logIndex: logIndex++ };
}

/** Runs one registry handler against a map of state (helpers/handlers.ts: declared reads only); returns its writes. */
const run = (e: LedgerEvent, state: Map<string, Json> = new Map()): StoreWrite[] => runHandler(registryHandlers[e.event]!, e, state);

const inventory = { readiness: 6, willing: true, modes: 7, selfScore: 80, unitScore: 75, scenarioTags: 5 };
const registered = (holder = SCU, ipc = ["H01M 4/525", "H01M 10/0525"]) =>
  ev("PatentRegistered", {
    patentId: ID,
    holder,
    commitment: ID,
    recordHash: "0x" + "01".repeat(32),
    facts: { checkDigit: 8, kind: PatentKind.Invention, filingDay: dayOf("2019-03-15"), grantDay: dayOf("2021-06-30"), dossierHash: "0x" + "02".repeat(32) },
    title: "一种锂离子电池正极材料",
    ipc,
    inventory,
  });

function registeredState(): Map<string, Json> {
  const state = new Map<string, Json>();
  run(registered(), state);
  return state;
}

const patentIn = (state: Map<string, Json>) => state.get(keys.patent(ID)) as PatentEntity;

describe("PatentRegistry handlers", () => {
  describe("PatentRegistered", () => {
    it("creates the patent with its expiry and indexes owner, each IPC code, status and timeline", () => {
      const state = new Map<string, Json>();
      const writes = run(registered(), state);
      expect(writes.map((w) => w.key)).to.deep.equal([
        keys.patent(ID),
        keys.byOwner(SCU, ID),
        keys.byIpc("H01M 4/525", ID),
        keys.byIpc("H01M 10/0525", ID),
        keys.byStatus(LegalStatus.Valid, ID),
        keys.timeline(ID, 10, logIndex - 1),
      ]);
      const p = patentIn(state);
      expect(p).to.include({ id: ID, owner: SCU, holder: SCU, kind: "Invention", status: "Valid", locks: 0, pendingTransfer: null });
      expect(p.expiryDay).to.equal(dayOf("2039-03-15"));
    });

    it("indexes a code listed twice once", () => {
      const state = new Map<string, Json>();
      const writes = run(registered(SCU, ["H01M 4/525", "H01M  4/525"]), state);
      expect(writes.filter((w) => w.key.startsWith("ix/ipc/"))).to.have.length(1);
    });
  });

  describe("LegalStatusChanged", () => {
    it("moves the patent between status indexes", () => {
      const state = registeredState();
      run(ev("LegalStatusChanged", { patentId: ID, previous: 0, status: LegalStatus.Frozen, reason: "财产保全" }), state);
      expect(patentIn(state)).to.include({ status: "Frozen", statusCode: LegalStatus.Frozen });
      expect(state.has(keys.byStatus(LegalStatus.Valid, ID))).to.equal(false);
      expect(state.has(keys.byStatus(LegalStatus.Frozen, ID))).to.equal(true);
    });

    it("throws HandlerStateError for a patent that is not indexed", () => {
      expect(() => run(ev("LegalStatusChanged", { patentId: ID, previous: 0, status: 1, reason: "x" }))).to.throw(HandlerStateError, /is not indexed/);
    });
  });

  describe("InventoryUpdated", () => {
    it("replaces the inventory", () => {
      const state = registeredState();
      const next = { ...inventory, readiness: 9 };
      run(ev("InventoryUpdated", { patentId: ID, by: SCU, inventory: next }), state);
      expect(patentIn(state).inventory).to.deep.equal(next);
    });
  });

  describe("MarketEvaluated", () => {
    it("records the evaluation and its per-patent index", () => {
      const state = registeredState();
      run(ev("MarketEvaluated", { evaluationId: "1", patentId: ID, evaluator: BUYER, interest: 80, improvementNeed: 10, cooperationWillingness: 70, reportHash: "0x" + "03".repeat(32) }), state);
      expect(state.get(keys.evaluation(1))).to.include({ patentId: ID, interest: 80 });
      expect(state.has(keys.evaluationsOfPatent(ID, 1))).to.equal(true);
    });
  });

  describe("transfers", () => {
    function proposed(): Map<string, Json> {
      const state = registeredState();
      run(ev("PatentLocked", { patentId: ID, lockBit: 0, module: REGISTRY }), state);
      run(ev("TransferProposed", { transferId: "1", patentId: ID, from: SCU, to: BUYER, contractHash: "0x" + "04".repeat(32) }), state);
      return state;
    }

    it("TransferProposed opens the transfer and marks it pending on the patent", () => {
      const state = proposed();
      expect(state.get(keys.transfer(1))).to.include({ status: "Proposed", from: SCU, to: BUYER, initiator: null });
      expect(patentIn(state)).to.include({ pendingTransfer: "1", locks: 1 });
      expect(patentIn(state).lockBits).to.deep.equal([0]);
    });

    it("TransferAgreed records the day and a module initiator", () => {
      const state = proposed();
      run(ev("TransferAgreed", { transferId: "1", patentId: ID, to: BUYER, initiator: BUYER, agreedDay: 20_000 }), state);
      expect(state.get(keys.transfer(1))).to.include({ status: "Agreed", agreedDay: 20_000, initiator: BUYER });
    });

    it("TransferRegistered with the ERC-721 Transfer moves the owner index and clears the pending transfer", () => {
      const state = proposed();
      run(ev("TransferAgreed", { transferId: "1", patentId: ID, to: BUYER, initiator: ZERO, agreedDay: 20_000 }), state);
      run(ev("PatentUnlocked", { patentId: ID, lockBit: 0, module: REGISTRY }), state);
      run(ev("Transfer", { from: SCU, to: BUYER, tokenId: ID }), state);
      run(ev("TransferRegistered", { transferId: "1", patentId: ID, to: BUYER, from: SCU, cnipaReference: "REF-1", registrationDay: 20_001 }), state);
      expect(patentIn(state)).to.include({ owner: BUYER, holder: SCU, pendingTransfer: null, locks: 0 });
      expect(state.has(keys.byOwner(SCU, ID))).to.equal(false);
      expect(state.has(keys.byOwner(BUYER, ID))).to.equal(true);
      expect(state.get(keys.transfer(1)) as TransferEntity).to.include({ status: "Registered", cnipaReference: "REF-1", registrationDay: 20_001, initiator: null });
    });

    it("TransferRefused and TransferCancelled keep the final state and free the patent", () => {
      const refused = proposed();
      run(ev("TransferRefused", { transferId: "1", patentId: ID, reason: "材料不全" }), refused);
      expect(refused.get(keys.transfer(1))).to.include({ status: "Refused", refusalReason: "材料不全" });
      expect(patentIn(refused).pendingTransfer).to.equal(null);
      const cancelled = proposed();
      run(ev("TransferCancelled", { transferId: "1", patentId: ID, by: BUYER }), cancelled);
      expect(cancelled.get(keys.transfer(1))).to.include({ status: "Cancelled", cancelledBy: BUYER });
      expect(patentIn(cancelled).owner).to.equal(SCU);
    });
  });

  describe("Transfer (ERC-721)", () => {
    it("only records the mint on the timeline (PatentRegistered follows it)", () => {
      const writes = run(ev("Transfer", { from: ZERO, to: SCU, tokenId: ID }));
      expect(writes.map((w) => w.key)).to.deep.equal([keys.timeline(ID, 10, logIndex - 1)]);
    });
  });

  describe("locks", () => {
    it("keeps the bitmask and the list of bits", () => {
      const state = registeredState();
      run(ev("PatentLocked", { patentId: ID, lockBit: 2, module: BUYER }), state);
      run(ev("PatentLocked", { patentId: ID, lockBit: 1, module: BUYER }), state);
      run(ev("PatentUnlocked", { patentId: ID, lockBit: 2, module: BUYER }), state);
      expect(patentIn(state)).to.include({ locks: 2 });
      expect(patentIn(state).lockBits).to.deep.equal([1]);
    });

    it("LockModuleSet names the module of a bit", () => {
      const state = new Map<string, Json>();
      run(ev("LockModuleSet", { lockBit: 2, module: BUYER }), state);
      expect(state.get(keys.lockModule(2))).to.include({ lockBit: 2, module: BUYER });
    });
  });

  describe("RecordsCommitted", () => {
    it("stores the commitment root", () => {
      const state = new Map<string, Json>();
      run(ev("RecordsCommitted", { commitment: ID, root: "0x" + "05".repeat(32), count: "2" }), state);
      expect(state.get(keys.commitment(ID))).to.include({ root: "0x" + "05".repeat(32), count: "2" });
    });
  });
});

describe("expiry", () => {
  it("follows the contract's terms: invention 20, utility 10, design 15 from 2021-06-01 else 10", () => {
    expect(expiryDayOf(PatentKind.Invention, dayOf("2019-03-15"))).to.equal(dayOf("2039-03-15"));
    expect(expiryDayOf(PatentKind.UtilityModel, dayOf("2019-03-15"))).to.equal(dayOf("2029-03-15"));
    expect(expiryDayOf(PatentKind.Design, dayOf("2021-06-01"))).to.equal(dayOf("2036-06-01"));
    expect(expiryDayOf(PatentKind.Design, dayOf("2021-05-31"))).to.equal(dayOf("2031-05-31"));
  });

  it("maps 29 February to 1 March in common years", () => {
    expect(addYears(dayOf("2020-02-29"), 10)).to.equal(dayOf("2030-03-01"));
    expect(addYears(dayOf("2020-02-29"), 20)).to.equal(dayOf("2040-02-29"));
  });
});

describe("log decoding", () => {
  const iface = new Interface(DEFAULT_ABIS.PatentRegistry!);
  const decoder = createLogDecoder([{ name: "PatentRegistry", address: REGISTRY, abi: DEFAULT_ABIS.PatentRegistry!, events: Object.keys(registryHandlers) }]);
  const asLog = (encoded: { data: string; topics: string[] }) => ({
    address: REGISTRY,
    topics: encoded.topics,
    data: encoded.data,
    blockNumber: 5,
    blockHash: "0x" + "ab".repeat(32),
    transactionHash: "0x" + "cd".repeat(32),
    logIndex: 3,
  });

  it("decodes PatentRegistered with nested tuples and arrays as parseLog would", () => {
    const facts = [8, 0, 17970, 18808, "0x" + "02".repeat(32)];
    const inv = [6, true, 7, 80, 75, 5];
    const encoded = iface.encodeEventLog("PatentRegistered", [201910000001n, SCU, 201910000001n, "0x" + "01".repeat(32), facts, "标题", ["H01M 4/525"], inv]);
    const e = decoder.decode(asLog(encoded))!;
    expect(e.event).to.equal("PatentRegistered");
    expect(e.args).to.deep.equal({
      patentId: ID,
      holder: SCU,
      commitment: ID,
      recordHash: "0x" + "01".repeat(32),
      facts: { checkDigit: 8, kind: 0, filingDay: 17970, grantDay: 18808, dossierHash: "0x" + "02".repeat(32) },
      title: "标题",
      ipc: ["H01M 4/525"],
      inventory: { readiness: 6, willing: true, modes: 7, selfScore: 80, unitScore: 75, scenarioTags: 5 },
    });
  });

  it("decodes the ERC-721 Transfer from its three topics", () => {
    const encoded = iface.encodeEventLog("Transfer", [SCU, BUYER, 201910000001n]);
    expect(decoder.decode(asLog(encoded))!.args).to.deep.equal({ from: SCU, to: BUYER, tokenId: ID });
  });

  it("skips logs of other addresses and unhandled events", () => {
    const encoded = iface.encodeEventLog("Approval", [SCU, BUYER, 1n]);
    expect(decoder.decode(asLog(encoded))).to.equal(undefined);
    expect(decoder.decode({ ...asLog(iface.encodeEventLog("Transfer", [SCU, BUYER, 1n])), address: "0x" + "77".repeat(20) })).to.equal(undefined);
  });
});

describe("block digest", () => {
  const hash = "0x" + "ab".repeat(32);
  const writes = [
    { key: "p/1", value: '{"a":1}' },
    { key: "ix/x", value: null },
  ];

  it("chains on the previous digest, the block number, its hash and the ordered changes", () => {
    const d = blockDigest(ZERO_DIGEST, 7, hash, writes);
    expect(d).to.match(/^0x[0-9a-f]{64}$/);
    expect(blockDigest(ZERO_DIGEST, 7, hash, writes)).to.equal(d);
    expect(blockDigest(d, 7, hash, writes)).to.not.equal(d);
    expect(blockDigest(ZERO_DIGEST, 8, hash, writes)).to.not.equal(d);
    expect(blockDigest(ZERO_DIGEST, 7, "0x" + "ac".repeat(32), writes)).to.not.equal(d);
    expect(blockDigest(ZERO_DIGEST, 7, hash, [...writes].reverse())).to.not.equal(d);
    expect(blockDigest(ZERO_DIGEST, 7, hash, [{ key: "p/1", value: "" }])).to.not.equal(blockDigest(ZERO_DIGEST, 7, hash, [{ key: "p/1", value: null }]));
  });

  it("hashes the changes as its definition says for any keys and values (UTF-8, deletes, values past the scratch buffer)", () => {
    const u32 = (n: number) => {
      const b = Buffer.alloc(4);
      b.writeUInt32BE(n);
      return b;
    };
    const reference = (previous: string, number: number, blockHash: string, ws: { key: string; value: string | null }[]): string => {
      const parts: Buffer[] = [];
      for (const w of ws) {
        const key = Buffer.from(w.key, "utf8");
        parts.push(u32(key.length), key);
        if (w.value === null) parts.push(u32(0xffffffff));
        else {
          const value = Buffer.from(w.value, "utf8");
          parts.push(u32(value.length), value);
        }
      }
      const n = Buffer.alloc(8);
      n.writeBigUInt64BE(BigInt(number));
      const changes = createHash("sha256").update(Buffer.concat(parts)).digest();
      return ethers.keccak256(Buffer.concat([Buffer.from(previous.slice(2), "hex"), n, Buffer.from(blockHash.slice(2), "hex"), changes]));
    };
    const write = fc.record({ key: fc.string({ unit: "grapheme", maxLength: 40 }), value: fc.option(fc.string({ unit: "binary", maxLength: 200 }), { nil: null }) });
    fc.assert(
      fc.property(fc.array(write, { maxLength: 30 }), (ws) => {
        expect(blockDigest(ZERO_DIGEST, 9, hash, ws)).to.equal(reference(ZERO_DIGEST, 9, hash, ws));
      }),
      fcParams(300),
    );
    const big = [{ key: "p/big", value: "专".repeat(400_000) }, { key: "p/after", value: "x".repeat(900_000) }, { key: "d", value: null }];
    expect(blockDigest(ZERO_DIGEST, 9, hash, big)).to.equal(reference(ZERO_DIGEST, 9, hash, big));
  });
});

describe("compiled ABI decoder", () => {
  const iface = new Interface(DEFAULT_ABIS.PatentRegistry!);
  const fragment = iface.getEvent("PatentRegistered")!;
  const dataParams = fragment.inputs.filter((p) => !p.indexed);
  const fast = compileDecoder(dataParams)!;
  const coder = AbiCoder.defaultAbiCoder();

  it("decodes random PatentRegistered data exactly as ethers' AbiCoder does", () => {
    const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => ethers.hexlify(b));
    fc.assert(
      fc.property(
        bytes32,
        fc.tuple(fc.nat({ max: 10 }), fc.nat({ max: 2 }), fc.nat({ max: 2 ** 32 - 1 }), fc.nat({ max: 2 ** 32 - 1 }), bytes32),
        fc.string({ unit: "binary", maxLength: 80 }),
        fc.array(fc.string({ maxLength: 16 }), { maxLength: 8 }),
        fc.tuple(fc.nat({ max: 255 }), fc.boolean(), fc.nat({ max: 255 }), fc.nat({ max: 255 }), fc.nat({ max: 255 }), fc.nat({ max: 2 ** 32 - 1 })),
        (recordHash, facts, title, ipc, inv) => {
          const data = coder.encode(dataParams, [recordHash, facts, title, ipc, inv]);
          const viaEthers = coder.decode(dataParams, data);
          const got = fast(data);
          expect(got[0]).to.equal(viaEthers[0]);
          expect(got[1]).to.deep.equal({ checkDigit: facts[0], kind: facts[1], filingDay: facts[2], grantDay: facts[3], dossierHash: facts[4] });
          expect(got[2]).to.equal(viaEthers[2]);
          expect(got[3]).to.deep.equal([...(viaEthers[3] as string[])]);
          expect(got[4]).to.deep.equal({ readiness: inv[0], willing: inv[1], modes: inv[2], selfScore: inv[3], unitScore: inv[4], scenarioTags: inv[5] });
        },
      ),
      fcParams(),
    );
  });

  it("returns wide integers as decimal strings and addresses in lower case", () => {
    const params = iface.getEvent("TransferRegistered")!.inputs.filter((p) => !p.indexed);
    const from = ethers.getAddress("0x" + "ab".repeat(20));
    const data = coder.encode(params, [from, "REF-1", 20_001]);
    expect(compileDecoder(params)!(data)).to.deep.equal([from.toLowerCase(), "REF-1", 20_001]);
    const wide = iface.getEvent("RecordsCommitted")!.inputs.filter((p) => !p.indexed);
    expect(compileDecoder(wide)!(coder.encode(wide, ["0x" + "01".repeat(32), 2n ** 200n]))).to.deep.equal(["0x" + "01".repeat(32), (2n ** 200n).toString()]);
  });

  it("throws AbiDecodeError on truncated data", () => {
    const data = coder.encode(dataParams, ["0x" + "01".repeat(32), [1, 0, 1, 2, "0x" + "02".repeat(32)], "title", ["H01M"], [1, true, 1, 1, 1, 1]]);
    expect(() => fast(data.slice(0, data.length - 64))).to.throw(AbiDecodeError);
  });
});
