import { expect } from "chai";
import fc from "fast-check";
import { canonicalJson } from "../../server/store/codec";
import { fcParams } from "../helpers/properties";
import { BLOCK_WIDTH, ID_WIDTH, idOfIndexKey, KeyError, keys, normaliseIpc, normaliseIpcPrefix } from "../../server/store/keys";

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
