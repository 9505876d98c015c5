/**
 * Certificate generation and verification time.
 *   - build: buildCertificate (eth_getBlockByNumber, eth_getStorageAt per fact slot, eth_getProof per contract,
 *     then the builder's own verification of the result), on the in-process Hardhat network and on Anvil
 *     over JSON-RPC on loopback;
 *   - verify: verifyCertificateText on the file bytes (UTF-8, JSON, schema, canonical form, header hash,
 *     account and storage proofs, facts), no node.
 * Prints the median (and min, max) of several runs per patent of the certificate story.
 * Usage: npx hardhat run bench/certificate.ts   (RUNS=30 VERIFY_RUNS=200 to change the run counts)
 */
import { performance } from "node:perf_hooks";
import { JsonRpcProvider } from "ethers";
import { ethers, network } from "hardhat";
import { demoWallet } from "../server/chain/accounts";
import { buildCertificate, type RpcSender } from "../server/certificate/build";
import { serialiseCertificate } from "../server/certificate/format";
import { verifyCertificateText } from "../server/certificate/verify";
import { namedSigners } from "../test/helpers/fixtures";
import { startAnvil } from "../test/indexer/helpers/anvil";
import { writeStory, type Story } from "../test/certificate/story";

const RUNS = Number(process.env.RUNS ?? 30);
const VERIFY_RUNS = Number(process.env.VERIFY_RUNS ?? 200);

interface Timing {
  median: number;
  min: number;
  max: number;
}

async function time(runs: number, fn: () => Promise<unknown>): Promise<Timing> {
  await fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const mid = samples.length >> 1;
  const median = samples.length % 2 ? samples[mid]! : (samples[mid - 1]! + samples[mid]!) / 2;
  return { median, min: samples[0]!, max: samples[samples.length - 1]! };
}

const ms = (t: Timing) => `${t.median.toFixed(2)} ms (min ${t.min.toFixed(2)}, max ${t.max.toFixed(2)})`;

async function measure(node: string, rpc: RpcSender, story: Story): Promise<void> {
  for (const [label, patent] of [
    ["pledged + 2 valuations", story.pledged],
    ["2 active licences", story.licensed],
    ["open licence", story.open],
  ] as const) {
    const cert = await buildCertificate(rpc, { patent, contracts: story.contracts });
    const text = serialiseCertificate(cert);
    const slots = Object.values(cert.proofs).reduce((n, p) => n + p.storage.length, 0);
    const build = await time(RUNS, () => buildCertificate(rpc, { patent, contracts: story.contracts }));
    const options = { blockHash: cert.block.hash, contracts: story.contracts };
    const bytes = Buffer.from(text, "utf8");
    const verify = await time(VERIFY_RUNS, async () => {
      const result = await verifyCertificateText(bytes, options);
      if (!result.ok) throw new Error(result.reason);
    });
    process.stdout.write(
      `${node.padEnd(8)} ${label.padEnd(24)} ${String(text.length).padStart(6)} bytes ${String(slots).padStart(3)} slots` +
        `  build ${ms(build)}  verify ${ms(verify)}\n`,
    );
  }
}

async function main(): Promise<void> {
  process.stdout.write(`certificate bench: build median of ${RUNS} runs, verify median of ${VERIFY_RUNS} runs\n`);
  const s = await namedSigners();
  const story = await writeStory(
    { admin: s.admin, registrar: s.registrar, bankA: s.bankA, appraiser: s.appraiser, scu: s.uniA, uestc: s.uniB, rongxin: s.companyA, yuzhi: s.companyB },
    ethers.provider,
  );
  await measure("hardhat", { send: (method, params) => network.provider.send(method, params) }, story);

  const anvil = await startAnvil();
  // batchStallTime 0: concurrent reads still go in one batch, without the default 10 ms wait per round trip.
  const provider = new JsonRpcProvider(anvil.url, undefined, { staticNetwork: true, cacheTimeout: -1, batchStallTime: 0 });
  try {
    const w = (name: string) => demoWallet(name).connect(provider);
    const onAnvil = await writeStory(
      { admin: w("admin"), registrar: w("registrar"), bankA: w("bankA"), appraiser: w("appraiser"), scu: w("scu"), uestc: w("uestc"), rongxin: w("rongxin"), yuzhi: w("yuzhi") },
      provider,
    );
    await measure("anvil", provider, onAnvil);
  } finally {
    provider.destroy();
    await anvil.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
