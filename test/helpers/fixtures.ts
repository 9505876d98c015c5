import { ethers } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { demoAccount } from "../../server/chain/accounts";
import { deployLedger } from "../../scripts/deploy";

/** Hardhat signers named as the demo accounts (server/chain/accounts.ts); the same mnemonic and order. */
export async function namedSigners() {
  const signers = await ethers.getSigners();
  const at = (name: string): HardhatEthersSigner => {
    const signer = signers[demoAccount(name).index];
    if (!signer) throw new Error(`hardhat network has no signer for ${name}`);
    return signer;
  };
  return {
    admin: at("admin"),
    registrar: at("registrar"),
    chengdu: at("chengdu"),
    chongqing: at("chongqing"),
    bankA: at("bankA"),
    bankB: at("bankB"),
    appraiser: at("appraiser"),
    evaluator: at("evaluator"),
    uniA: at("scu"),
    uniB: at("uestc"),
    companyA: at("rongxin"),
    companyB: at("yuzhi"),
    broker: at("broker"),
    stranger: at("stranger"),
  };
}

export async function deployFixture() {
  const s = await namedSigners();
  const ledger = await deployLedger(s.admin, {
    registrars: [s.registrar.address],
    venues: [s.chengdu.address, s.chongqing.address],
    banks: [s.bankA.address, s.bankB.address],
    appraisers: [s.appraiser.address],
    evaluators: [s.evaluator.address],
  });
  return { ...s, ...ledger };
}

export { patentRecord } from "./records";
