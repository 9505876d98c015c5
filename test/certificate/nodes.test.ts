import { expect } from "chai";
import { JsonRpcProvider } from "ethers";
import { demoWallet } from "../../server/chain/accounts";
import { buildCertificate } from "../../server/certificate/build";
import { HEADER_FIELDS, hashHeader, headerFromRpcBlock } from "../../server/certificate/header";
import { verifyAccountProof } from "../../server/certificate/mpt";
import { verifyCertificate } from "../../server/certificate/verify";
import { startAnvil, type AnvilNode } from "../indexer/helpers/anvil";
import { startHardhatNode } from "../indexer/helpers/hardhat-node";
import { copy } from "./tamper";
import { writeStory, type StoryParties } from "./story";

function partiesOn(provider: JsonRpcProvider): StoryParties {
  const w = (name: string) => demoWallet(name).connect(provider);
  return {
    admin: w("admin"),
    registrar: w("registrar"),
    bankA: w("bankA"),
    appraiser: w("appraiser"),
    scu: w("scu"),
    uestc: w("uestc"),
    rongxin: w("rongxin"),
    yuzhi: w("yuzhi"),
  };
}

/** Builds certificates of the story's patents over JSON-RPC and verifies them against the node's block hash. */
async function certifyStoryOn(node: AnvilNode): Promise<void> {
  const provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true, cacheTimeout: -1 });
  try {
    const story = await writeStory(partiesOn(provider), provider);
    for (const patent of [story.pledged, story.licensed, story.open]) {
      const cert = await buildCertificate(provider, { patent, contracts: story.contracts });
      // The bank's own node says which block hash this number has.
      const block = await node.rpc<{ hash: string }>("eth_getBlockByNumber", [`0x${cert.block.number.toString(16)}`, false]);
      const result = await verifyCertificate(cert, { blockHash: block.hash, contracts: story.contracts, patent });
      expect(result.ok, result.ok ? "" : result.reason).to.equal(true);
      const tampered = copy(cert);
      tampered.facts.patent.owner = story.contracts.registry;
      const refused = await verifyCertificate(tampered, { blockHash: block.hash, contracts: story.contracts });
      expect(refused.ok ? "verified" : refused.code).to.equal("FACTS_MISMATCH");
    }
    const pledged = await buildCertificate(provider, { patent: story.pledged, contracts: story.contracts });
    expect(pledged.facts.pledges?.latest?.status).to.equal("Registered");
    expect(pledged.facts.valuations?.latest?.amount).to.equal("95000000");
  } finally {
    provider.destroy();
  }
}

/** Mines a block and checks its header hash and an account proof of a funded account. */
async function checkHeaderAndAccount(node: AnvilNode): Promise<string[]> {
  await node.rpc("evm_mine", []);
  const block = await node.rpc<Record<string, unknown>>("eth_getBlockByNumber", ["latest", false]);
  const header = headerFromRpcBlock(block);
  expect(hashHeader(header)).to.equal(block.hash);
  const address = demoWallet("admin").address;
  const proof = await node.rpc<{ balance: string; accountProof: string[] }>("eth_getProof", [address, [], block.number]);
  const account = verifyAccountProof(header.stateRoot!, address, proof.accountProof);
  expect(account.balance).to.equal(BigInt(proof.balance));
  return HEADER_FIELDS.map(([name]) => name).filter((n) => header[n] !== undefined);
}

describe("certificate on JSON-RPC nodes", function () {
  this.timeout(300_000);

  describe("Anvil", () => {
    const forks: [string, string | undefined][] = [
      ["berlin", undefined],
      ["london", "baseFeePerGas"],
      ["shanghai", "withdrawalsRoot"],
      ["cancun", "parentBeaconBlockRoot"],
      ["prague", "requestsHash"],
    ];
    for (const [fork, last] of forks) {
      it(`hashes ${fork} headers and verifies account proofs`, async () => {
        const node = await startAnvil(["--hardfork", fork]);
        try {
          const fields = await checkHeaderAndAccount(node);
          expect(fields[fields.length - 1]).to.equal(last ?? "nonce");
        } finally {
          await node.stop();
        }
      });
    }

    for (const fork of ["cancun", "prague", "latest"]) {
      it(`builds and verifies certificates of the story (${fork})`, async () => {
        const node = await startAnvil(fork === "latest" ? [] : ["--hardfork", fork]);
        try {
          await certifyStoryOn(node);
        } finally {
          await node.stop();
        }
      });
    }
  });

  describe("hardhat node", () => {
    it("builds and verifies certificates of the story", async () => {
      const node = await startHardhatNode();
      try {
        await checkHeaderAndAccount(node);
        await certifyStoryOn(node);
      } finally {
        await node.stop();
      }
    });
  });
});
