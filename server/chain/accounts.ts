import { HDNodeWallet, Mnemonic } from "ethers";

/**
 * The named demo accounts of the local ledger, derived from the development mnemonic that Hardhat
 * and Anvil both use (m/44'/60'/0'/0/i). Never use them on a real chain: the keys are public.
 */
export const DEV_MNEMONIC = "test test test test test test test test test test test junk";

export interface DemoAccount {
  index: number;
  name: string;
  role: "admin" | "registrar" | "venue" | "bank" | "appraiser" | "evaluator" | "university" | "company" | "broker";
  label: string; // Chinese name
  labelEn: string;
  city: "Chengdu" | "Chongqing" | "Mianyang" | "Sichuan";
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { index: 0, name: "admin", role: "admin", label: "账本管理员", labelEn: "Ledger administrator", city: "Sichuan" },
  { index: 1, name: "registrar", role: "registrar", label: "四川省知识产权服务促进中心", labelEn: "Sichuan IP Service Centre (registrar)", city: "Chengdu" },
  { index: 2, name: "chengdu", role: "venue", label: "成都知识产权交易中心", labelEn: "Chengdu IP Exchange", city: "Chengdu" },
  { index: 3, name: "chongqing", role: "venue", label: "重庆知识产权交易中心", labelEn: "Chongqing IP Exchange", city: "Chongqing" },
  { index: 4, name: "bankA", role: "bank", label: "成都银行", labelEn: "Bank of Chengdu", city: "Chengdu" },
  { index: 5, name: "bankB", role: "bank", label: "重庆银行", labelEn: "Bank of Chongqing", city: "Chongqing" },
  { index: 6, name: "appraiser", role: "appraiser", label: "天府资产评估有限公司", labelEn: "Tianfu Asset Appraisal Co.", city: "Chengdu" },
  { index: 7, name: "evaluator", role: "evaluator", label: "川渝专精特新企业专家组", labelEn: "Sichuan-Chongqing enterprise expert panel", city: "Chengdu" },
  { index: 8, name: "scu", role: "university", label: "四川大学", labelEn: "Sichuan University", city: "Chengdu" },
  { index: 9, name: "uestc", role: "university", label: "电子科技大学", labelEn: "University of Electronic Science and Technology of China", city: "Chengdu" },
  { index: 10, name: "swjtu", role: "university", label: "西南交通大学", labelEn: "Southwest Jiaotong University", city: "Chengdu" },
  { index: 11, name: "cqu", role: "university", label: "重庆大学", labelEn: "Chongqing University", city: "Chongqing" },
  { index: 12, name: "cioc", role: "university", label: "中国科学院成都有机化学研究所", labelEn: "CAS Chengdu Institute of Organic Chemistry", city: "Chengdu" },
  { index: 13, name: "swust", role: "university", label: "西南科技大学", labelEn: "Southwest University of Science and Technology", city: "Mianyang" },
  { index: 14, name: "rongxin", role: "company", label: "成都蓉芯微电子有限公司", labelEn: "Chengdu Rongxin Microelectronics Co.", city: "Chengdu" },
  { index: 15, name: "yuzhi", role: "company", label: "重庆渝智装备制造股份有限公司", labelEn: "Chongqing Yuzhi Equipment Manufacturing Co.", city: "Chongqing" },
  { index: 16, name: "tianfubio", role: "company", label: "天府生物医药科技有限公司", labelEn: "Tianfu Biopharma Co.", city: "Chengdu" },
  { index: 17, name: "broker", role: "broker", label: "技术经理人 李明", labelEn: "Technology manager Li Ming", city: "Chengdu" },
  { index: 18, name: "investor", role: "company", label: "川渝科创投资基金", labelEn: "Sichuan-Chongqing Sci-Tech Investment Fund", city: "Chongqing" },
  { index: 19, name: "stranger", role: "company", label: "未授权账户", labelEn: "Unauthorised account (tests)", city: "Sichuan" },
] as const;

export type DemoAccountName = (typeof DEMO_ACCOUNTS)[number]["name"];

export function demoAccount(name: string): DemoAccount {
  const account = DEMO_ACCOUNTS.find((a) => a.name === name);
  if (!account) {
    throw new Error(`unknown demo account "${name}"; known: ${DEMO_ACCOUNTS.map((a) => a.name).join(", ")}`);
  }
  return account;
}

/** The wallet of a named demo account (not connected to a provider). */
export function demoWallet(name: string): HDNodeWallet {
  const { index } = demoAccount(name);
  return HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(DEV_MNEMONIC), `m/44'/60'/0'/0/${index}`);
}
