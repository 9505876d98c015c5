import { expect } from "chai";
import fc from "fast-check";
import { canonicalJson, canonicalJsonSlow, CodecError, type Json } from "../../server/store/codec";

const json: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constant(null),
    fc.boolean(),
    fc.maxSafeInteger(),
    fc.string({ unit: "grapheme" }),
    fc.array(tie("value"), { maxLength: 5 }),
    fc.dictionary(fc.oneof(fc.string(), fc.constantFrom("a", "b", "10", "2", "owner", "id")), tie("value"), { maxKeys: 6 }),
  ),
})).value;

describe("codec", () => {
  describe("canonicalJson", () => {
    it("writes the same bytes as the reference implementation for any JSON value", () => {
      fc.assert(
        fc.property(json, (v) => {
          expect(canonicalJson(v)).to.equal(canonicalJsonSlow(v));
        }),
        { numRuns: 2000 },
      );
    });

    it("sorts the keys of every nested object and leaves out undefined fields", () => {
      const value = { b: [{ z: 1, a: "x" }], a: { d: true, c: null, u: undefined } } as unknown as Json;
      expect(canonicalJson(value)).to.equal('{"a":{"c":null,"d":true},"b":[{"a":"x","z":1}]}');
    });

    it("reverts with CodecError when a number is not a safe integer", () => {
      expect(() => canonicalJson({ a: [1.5] })).to.throw(CodecError);
      expect(() => canonicalJson({ a: 2 ** 53 })).to.throw(CodecError);
    });

    it("reverts with CodecError when an array holds undefined or a value is not JSON", () => {
      expect(() => canonicalJson([undefined] as unknown as Json)).to.throw(CodecError);
      expect(() => canonicalJson({ a: new Date(0) } as unknown as Json)).to.throw(CodecError);
    });
  });
});
