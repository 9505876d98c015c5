import { expect } from "chai";
import fc from "fast-check";
import { canonicalJson } from "../../server/store/codec";
import { fcParams } from "../helpers/properties";
import { BLOCK_WIDTH, ID_WIDTH, idOfIndexKey, idsOfKeyTail, KeyError, keys, normaliseIpc, normaliseIpcPrefix } from "../../server/store/keys";

describe("store keys", () => {
  describe("timeline", () => {
    it("sorts by patent, then block, then log index, like the chain", () => {
      const point = fc.record({
        patent: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        block: fc.integer({ min: 0, max: 10 ** BLOCK_WIDTH - 1 }),
        log: fc.integer({ min: 0, max: 999_999 }),
      });
      fc.assert(
        fc.property(point, point, (a, b) => {
          const ka = keys.timeline(a.patent, a.block, a.log);
          const kb = keys.timeline(b.patent, b.block, b.log);
          const byChain = a.patent !== b.patent ? (a.patent < b.patent ? -1 : 1) : a.block - b.block || a.log - b.log;
          const byKey = ka < kb ? -1 : ka > kb ? 1 : 0;
          return Math.sign(byChain) === byKey;
        }),
        fcParams(),
      );
    });

    it("has a fixed width", () => {
      fc.assert(
        fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.nat({ max: 10 ** 12 - 1 }), fc.nat({ max: 999_999 }), (p, b, l) => {
          return keys.timeline(p, b, l).length === "tl/".length + ID_WIDTH + 1 + BLOCK_WIDTH + 1 + 6;
        }),
        fcParams(),
      );
    });
  });

  describe("blocks", () => {
    it("sorts block records numerically", () => {
      fc.assert(fc.property(fc.nat({ max: 10 ** 12 - 1 }), fc.nat({ max: 10 ** 12 - 1 }), (a, b) => Math.sign(a - b) === Math.sign(keys.block(a).localeCompare(keys.block(b)))), fcParams());
    });

    it("throws KeyError when a number is wider than its field or negative", () => {
      expect(() => keys.block(10 ** 12)).to.throw(KeyError, /wider than 12 digits/);
      expect(() => keys.block(-1)).to.throw(KeyError, /non-negative integer/);
      expect(() => keys.patent(2n ** 70n)).to.throw(KeyError);
    });
  });

  describe("secondary indexes", () => {
    it("lower-cases owners and recovers the patent id from the key", () => {
      const key = keys.byOwner("0xABCDEF0123456789abcdef0123456789ABCDEF01", 202110234567n);
      expect(key).to.equal("ix/owner/abcdef0123456789abcdef0123456789abcdef01/00000000202110234567");
      expect(idOfIndexKey(key)).to.equal("202110234567");
      expect(key.startsWith(keys.byOwnerPrefix("0xabcdef0123456789abcdef0123456789abcdef01"))).to.equal(true);
    });

    it("rejects a malformed owner address", () => {
      expect(() => keys.byOwner("0x1234", 1)).to.throw(KeyError, /not an address/);
    });

    it("normalises IPC symbols to WIPO's fixed-width form", () => {
      expect(normaliseIpc("H01M 10/052")).to.equal("H01M0010052000");
      expect(normaliseIpc("h01m  4/525")).to.equal("H01M0004525000");
      expect(normaliseIpc("G06F 16/27")).to.equal("G06F0016270000");
      expect(normaliseIpc("G06Q")).to.equal("G06Q");
    });

    it("builds IPC prefixes that match exactly the codes below them", () => {
      const codes = ["H01M 10/052", "H01M 10/0525", "H01M 4/525", "H01M 100/00", "H01L 21/00", "G06F 16/27"];
      const below = (prefix: string) => codes.filter((c) => keys.byIpc(c, 1).startsWith(keys.byIpcPrefix(prefix)));
      expect(below("H01M")).to.deep.equal(["H01M 10/052", "H01M 10/0525", "H01M 4/525", "H01M 100/00"]);
      expect(below("H01M 10")).to.deep.equal(["H01M 10/052", "H01M 10/0525"]);
      expect(below("H01M 10/05")).to.deep.equal(["H01M 10/052", "H01M 10/0525"]);
      expect(below("H01M 10/0525")).to.deep.equal(["H01M 10/0525"]);
      expect(below("H01")).to.deep.equal(["H01M 10/052", "H01M 10/0525", "H01M 4/525", "H01M 100/00", "H01L 21/00"]);
      expect(normaliseIpcPrefix("h01m 10/")).to.equal("H01M0010");
    });

    it("sorts IPC keys in classification order (main group numerically)", () => {
      const sorted = ["H01M 100/00", "H01M 4/525", "H01M 10/052"].map((c) => keys.byIpc(c, 1)).sort();
      expect(sorted).to.deep.equal(["H01M 4/525", "H01M 10/052", "H01M 100/00"].map((c) => keys.byIpc(c, 1)));
    });

    it("sorts statuses by enum value", () => {
      expect(keys.byStatus(3, 7) > keys.byStatus(0, 9)).to.equal(true);
    });
  });
});

describe("rights keys", () => {
  const id = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
  const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => `0x${Buffer.from(b).toString("hex")}`);
  const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const cmp = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

  it("sorts each party index by party, then entity id, numerically", () => {
    const builders = [keys.licencesOfLicensee, keys.pledgesByPledgee, keys.pledgesByPledgor, keys.dealsByCompany, keys.dealsByContributor, keys.warrantsByHolder];
    fc.assert(
      fc.property(address, id, id, fc.nat({ max: builders.length - 1 }), (party, a, b, i) => {
        const build = builders[i]!;
        const ka = build(party, a);
        return order(ka, build(party, b)) === cmp(a, b) && ka.startsWith(`ix/`) && idOfIndexKey(ka) === a.toString();
      }),
    );
  });

  it("sorts each per-patent index by patent, then entity id", () => {
    const builders = [keys.licencesOfPatent, keys.activeLicencesOfPatent, keys.pledgesOfPatent, keys.dealsOfPatent, keys.valuation];
    fc.assert(
      fc.property(id, id, id, id, fc.nat({ max: builders.length - 1 }), (p, q, a, b, i) => {
        const build = builders[i]!;
        const expected = p !== q ? cmp(p, q) : cmp(a, b);
        return order(build(p, a), build(q, b)) === expected;
      }),
    );
  });

  it("keys pledges by status with two-digit statuses, and royalty payments by patent, licence and payment", () => {
    expect(keys.pledgesByStatus(3, 7)).to.equal("ix/pl-status/03/00000000000000000007");
    expect(keys.pledgesByStatusPrefix(3)).to.equal("ix/pl-status/03/");
    const k = keys.royaltiesOfPatent("201910000001", 12, 3);
    expect(idsOfKeyTail(k, 2)).to.deep.equal(["12", "3"]);
    expect(k.startsWith(keys.royaltiesOfPatentPrefix("201910000001"))).to.equal(true);
    expect(idsOfKeyTail(keys.royaltiesOfPatent(1, 0, 10), 2)).to.deep.equal(["0", "10"]);
  });

  it("keys act consents by pledge, patent, two-digit act and lower-case counterparty", () => {
    expect(keys.actConsent(1, "201910000001", 5, "0x" + "AB".repeat(20))).to.equal(`plc/00000000000000000001/00000000201910000001/05/${"ab".repeat(20)}`);
    expect(() => keys.actConsent(1, 1, 100, "0x" + "ab".repeat(20))).to.throw(KeyError, /act/);
    expect(() => keys.pledgesByPledgee("bank", 1)).to.throw(KeyError, /not an address/);
  });

  it("orders revenue reports, proceeds and open-licence history in chain order", () => {
    expect(order(keys.revenueReport(1, 9, 5), keys.revenueReport(1, 10, 0))).to.equal(-1);
    expect(order(keys.pledgeProceeds(1, 10, 2), keys.pledgeProceeds(1, 10, 11))).to.equal(-1);
    expect(order(keys.openLicenceHistory(1, 100, 0), keys.openLicenceHistory(1, 99, 999))).to.equal(1);
  });

  it("keeps entity key spaces apart from each other and from the registry's", () => {
    const samples = [
      keys.patent(1),
      keys.transfer(1),
      keys.evaluation(1),
      keys.commitment(1),
      keys.licence(1),
      keys.openLicence(1),
      keys.openLicenceHistory(1, 1, 1),
      keys.royaltyPayment(1, 1),
      keys.revenueReport(1, 1, 1),
      keys.benefitShares(1),
      keys.pledge(1),
      keys.actConsent(1, 1, 1, "0x" + "00".repeat(20)),
      keys.pledgeProceeds(1, 1, 1),
      keys.valuation(1, 1),
      keys.deal(1),
      keys.warrant(1),
      keys.setting("Licensing", "royalties"),
    ];
    const spaces = samples.map((k) => k.slice(0, k.indexOf("/") + 1));
    expect(new Set(spaces).size).to.equal(samples.length);
  });
});

describe("canonical JSON", () => {
  it("sorts object keys at every depth and drops undefined", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: true, y: null }], c: "x" } })).to.equal('{"a":{"c":"x","d":[2,{"y":null,"z":true}]},"b":1}');
  });

  it("gives the same text for objects built in any order", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.oneof(fc.integer(), fc.string(), fc.boolean())), (d) => {
        const reversed = Object.fromEntries(Object.entries(d).reverse());
        return canonicalJson(d) === canonicalJson(reversed);
      }),
      fcParams(),
    );
  });

  it("refuses numbers that are not safe integers", () => {
    expect(() => canonicalJson(1.5)).to.throw(/safe integers/);
    expect(() => canonicalJson(2 ** 60)).to.throw(/safe integers/);
  });
});
