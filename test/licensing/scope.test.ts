import { expect } from "chai";
import { FIELD_CLASSES, TERRITORIES, scopeMask } from "../../server/chain/licensing";

describe("licence scope vocabularies (server/chain/licensing.ts)", () => {
  it("fit in 64 bits and name each class once", () => {
    for (const vocabulary of [FIELD_CLASSES, TERRITORIES]) {
      expect(vocabulary.length).to.be.at.most(64);
      expect(new Set(vocabulary).size).to.equal(vocabulary.length);
    }
    expect(FIELD_CLASSES).to.have.length(50);
    expect(TERRITORIES).to.have.length(38);
  });

  it("builds masks from names, so overlap is a non-zero AND", () => {
    expect(scopeMask(TERRITORIES, ["11"])).to.equal(1n);
    expect(scopeMask(TERRITORIES, ["50", "51"])).to.equal((1n << 21n) | (1n << 22n));
    expect(scopeMask(FIELD_CLASSES, ["C13", "C43"])).to.equal((1n << 19n) | (1n << 49n));
    expect(scopeMask(TERRITORIES, ["51"]) & scopeMask(TERRITORIES, ["50", "51"])).to.not.equal(0n);
  });

  it("throws on an unknown name", () => {
    expect(() => scopeMask(TERRITORIES, ["99"])).to.throw('unknown scope name "99"');
  });
});
