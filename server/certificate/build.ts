import { getAddress, toBeHex } from "ethers";
import { parseCnipaNumber } from "../chain/cnipa";
import { headerFromRpcBlock } from "./header";
import { readFacts, type SlotReader } from "./facts";
import { field, LAYOUT, LOCK_PLEDGED } from "./layout";
import { CERTIFICATE_FORMAT, CONTRACT_ROLES, type AccountProof, type Certificate, type ContractRole } from "./format";
import { verifyCertificate } from "./verify";

/** The JSON-RPC surface the builder needs: `send` of ethers' JsonRpcProvider and of Hardhat's provider. */
export interface RpcSender {
  send(method: string, params: unknown[]): Promise<unknown>;
}

export interface CertificateContracts {
  registry: string;
  /** Licensing and Valuations: their sections are left out when absent. Pledges is found from the registry. */
  licensing?: string | undefined;
  valuations?: string | undefined;
}

export interface BuildOptions {
  /** A CNIPA number as cited ("ZL202110234567.5") or the application number (token id). */
  patent: string | bigint;
  contracts: CertificateContracts;
  /** Block number; default the node's latest block. */
  block?: number | undefined;
}

export class CertificateBuildError extends Error {
  override name = "CertificateBuildError";
}

interface RpcProof {
  address: string;
  nonce: string;
  balance: string;
  codeHash: string;
  storageHash: string;
  accountProof: string[];
  storageProof: { key: string; value: string; proof: string[] }[];
}

const quantity = (hex: string): string => `0x${BigInt(hex).toString(16)}`;
const lowerHex = (hex: string): string => hex.toLowerCase();
const slotHex = (slot: bigint): string => toBeHex(slot, 32);

/**
 * Builds a certificate for a patent at a block: reads the facts through `eth_getStorageAt`, recording each
 * slot, then asks `eth_getProof` for those slots of each contract, and checks the result with the
 * standalone verifier before answering it (a node that changed its mind between calls fails here).
 */
export async function buildCertificate(rpc: RpcSender, options: BuildOptions): Promise<Certificate> {
  const patentId = typeof options.patent === "bigint" ? options.patent : parseCnipaNumber(options.patent).number;
  const tag = options.block === undefined ? "latest" : `0x${options.block.toString(16)}`;
  const block = (await rpc.send("eth_getBlockByNumber", [tag, false])) as Record<string, unknown> | null;
  if (!block || typeof block.hash !== "string") throw new CertificateBuildError(`the node has no block ${options.block ?? "latest"}`);
  const header = headerFromRpcBlock(block);
  const number = Number(BigInt(header.number ?? "0x0"));
  const at = `0x${number.toString(16)}`;

  const addresses: Partial<Record<ContractRole, string>> = { registry: getAddress(options.contracts.registry) };
  if (options.contracts.licensing) addresses.licensing = getAddress(options.contracts.licensing);
  if (options.contracts.valuations) addresses.valuations = getAddress(options.contracts.valuations);
  const storageAt = async (address: string, slot: bigint): Promise<bigint> =>
    BigInt((await rpc.send("eth_getStorageAt", [address, slotHex(slot), at])) as string);
  // Pledges is the module the registry names for the PLEDGED bit (the facts read that slot again, proven).
  const pledgeHolder = await storageAt(addresses.registry!, LAYOUT.PatentRegistry.lockModules + LOCK_PLEDGED);
  const pledgeModule = field(pledgeHolder, LAYOUT.PatentRegistry.lockHolder.module, 20);
  if (pledgeModule !== 0n) addresses.pledges = getAddress(toBeHex(pledgeModule, 20));

  const slots: Record<ContractRole, bigint[]> = { registry: [], pledges: [], licensing: [], valuations: [] };
  const reader: SlotReader = {
    async read(role, slot) {
      const address = addresses[role];
      if (address === undefined) throw new CertificateBuildError(`no ${role} contract to read`);
      if (!slots[role].includes(slot)) slots[role].push(slot);
      return storageAt(address, slot);
    },
  };
  const facts = await readFacts(reader, {
    patentId,
    timestamp: Number(BigInt(header.timestamp ?? "0x0")),
    registry: addresses.registry!,
    licensing: addresses.licensing ?? null,
    valuations: addresses.valuations ?? null,
  });

  const proofs: Partial<Record<ContractRole, AccountProof>> = {};
  await Promise.all(
    CONTRACT_ROLES.map(async (role) => {
      const address = addresses[role];
      if (address === undefined) return;
      // Reads ran concurrently: sort the slots so that a certificate does not depend on answer order.
      slots[role].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const raw = (await rpc.send("eth_getProof", [address, slots[role].map(slotHex), at])) as RpcProof;
      proofs[role] = {
        address,
        nonce: quantity(raw.nonce),
        balance: quantity(raw.balance),
        codeHash: lowerHex(raw.codeHash),
        storageHash: lowerHex(raw.storageHash),
        accountProof: raw.accountProof.map(lowerHex),
        storage: raw.storageProof.map((s, i) => ({
          // Nodes echo the key as asked, padded or not: the certificate names the slot read.
          slot: slotHex(slots[role][i]!),
          value: quantity(s.value),
          proof: s.proof.map(lowerHex),
        })),
      };
    }),
  );
  if (!proofs.registry) throw new CertificateBuildError("no registry proof");
  const certificate: Certificate = {
    format: CERTIFICATE_FORMAT,
    block: { number, hash: lowerHex(block.hash), header },
    facts,
    proofs: {
      registry: proofs.registry,
      ...(proofs.pledges ? { pledges: proofs.pledges } : {}),
      ...(proofs.licensing ? { licensing: proofs.licensing } : {}),
      ...(proofs.valuations ? { valuations: proofs.valuations } : {}),
    },
  };
  const check = await verifyCertificate(certificate, {
    blockHash: certificate.block.hash,
    contracts: {
      registry: addresses.registry!,
      ...(addresses.licensing ? { licensing: addresses.licensing } : {}),
      ...(addresses.valuations ? { valuations: addresses.valuations } : {}),
    },
  });
  if (!check.ok) throw new CertificateBuildError(`the node's proofs do not verify (${check.code}): ${check.reason}`);
  return certificate;
}
