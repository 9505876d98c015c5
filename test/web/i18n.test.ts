import { expect } from "chai";
import { en } from "../../web/src/i18n/en";
import { zhCN } from "../../web/src/i18n/zh-CN";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("dashboard dictionaries", () => {
  it("have the same keys in Chinese and English", () => {
    expect(Object.keys(en).sort()).to.deep.equal(Object.keys(zhCN).sort());
  });

  it("have a non-empty message for every key, with the same placeholders in both languages", () => {
    for (const key of Object.keys(zhCN) as (keyof typeof zhCN)[]) {
      expect(zhCN[key].trim(), key).to.not.equal("");
      expect(en[key].trim(), key).to.not.equal("");
      expect(placeholders(en[key]), key).to.deep.equal(placeholders(zhCN[key]));
    }
  });
});
