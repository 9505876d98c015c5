import { network } from "hardhat";
import { namedSigners } from "../helpers/fixtures";
import type { RpcSender } from "../../server/certificate/build";
import { writeStory, type Story } from "./story";
import { ethers } from "hardhat";

/** The story on the in-process Hardhat network (for loadFixture). */
export async function hardhatStory(): Promise<Story> {
  const s = await namedSigners();
  return writeStory(
    {
      admin: s.admin,
      registrar: s.registrar,
      bankA: s.bankA,
      appraiser: s.appraiser,
      scu: s.uniA,
      uestc: s.uniB,
      rongxin: s.companyA,
      yuzhi: s.companyB,
    },
    ethers.provider,
  );
}

/** Hardhat's in-process EIP-1193 provider as the builder's RPC. */
export const hardhatRpc: RpcSender = {
  send: (method, params) => network.provider.send(method, params),
};
