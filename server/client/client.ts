import type {
  ContractRunner,
  ContractTransactionReceipt,
  ContractTransactionResponse,
  Provider,
  Signer,
} from "ethers";
import { LedgerAccessManager__factory, PatentRegistry__factory } from "../../typechain-types";
import type { LedgerAccessManager, PatentRegistry } from "../../typechain-types";
import { chinaDayOf, dayOf, formatCnipaNumber, isoOfDay, parseCnipaNumber } from "../chain/cnipa";
import type { Deployments } from "../chain/deployments";
import { scenarioKeys, type ScenarioKey } from "../chain/scenarios";
import { decodeRevert, decodeRevertData, findRevertData, LedgerError, withRevertDecoding } from "./errors";
import {
  KIND_NAMES,
  lockNames,
  modeNames,
  STATUS_NAMES,
  statusOfName,
  TRANSFER_STATUS_NAMES,
  type KindName,
  type ModeName,
  type SettableStatusName,
  type StatusName,
  type TransferStatusName,
} from "./names";
import { toInventoryStruct, toRegistration, type InventoryInput, type PatentInput } from "./records";
import { rightsClient } from "./rights";

export interface LedgerClientOptions {
  /** A Signer for writes and reads, or a Provider for reads only. */
  runner: Signer | Provider;
  deployments: Deployments;
}

/** What a write returns once its transaction is mined. */
export interface TxResult {
  hash: string;
  blockNumber: number;
  gasUsed: bigint;
}

export interface TransferView {
  id: bigint;
  patent: string; // cited number
  status: TransferStatusName;
  agreedDate: string | null;
  from: string;
  to: string;
  initiator: string | null; // module that agreed it on the parties' behalf
  contractHash: string;
}

export interface InventoryView {
  readiness: number;
  willing: boolean;
  modes: ModeName[];
  selfScore: number;
  unitScore: number;
  scenarios: ScenarioKey[];
}

/** The registered record, read from the registry's events (the chain stores only what its rules read). */
export interface PatentRecordView {
  title: string;
  ipc: string[];
  dossierHash: string;
  recordHash: string;
  inventory: InventoryView;
  registeredBlock: number;
  registeredTx: string;
}

export interface PatentView {
  number: string; // cited
  id: bigint; // token id (application number)
  owner: string;
  kind: KindName;
  status: StatusName; // derived: `expired` once the term has run
  storedStatus: StatusName;
  filingDate: string;
  grantDate: string;
  expiryDate: string; // the first day no longer in force
  locks: string[];
  pendingTransfer: TransferView | null;
  record: PatentRecordView | null;
}

export class LedgerClientError extends Error {
  override name = "LedgerClientError";
}

const ZERO = "0x0000000000000000000000000000000000000000";

function isSigner(runner: ContractRunner): runner is Signer {
  return typeof (runner as Partial<Signer>).getAddress === "function" && typeof (runner as Partial<Signer>).signTransaction === "function";
}

function inventoryView(inv: { readiness: bigint; willing: boolean; modes: bigint; selfScore: bigint; unitScore: bigint; scenarioTags: bigint }): InventoryView {
  return {
    readiness: Number(inv.readiness),
    willing: inv.willing,
    modes: modeNames(Number(inv.modes)),
    selfScore: Number(inv.selfScore),
    unitScore: Number(inv.unitScore),
    scenarios: scenarioKeys(Number(inv.scenarioTags)),
  };
}

/** A patent id from a cited number ("ZL202110234567.5") or a bare application number. */
export function patentIdOf(number: string | bigint): bigint {
  if (typeof number === "bigint") return number;
  if (/^\d{8}$|^\d{12}$/.test(number.trim())) return BigInt(number.trim());
  return parseCnipaNumber(number).number;
}

/**
 * Waits for a sent transaction. A receipt with status 0 carries no reason: the call is replayed on the
 * parent block's state to recover the custom error, thrown as a LedgerError.
 */
export async function confirm(tx: ContractTransactionResponse, provider: Provider): Promise<ContractTransactionReceipt> {
  let receipt: ContractTransactionReceipt | null;
  try {
    receipt = await tx.wait();
  } catch (err) {
    const data = findRevertData(err);
    if (data !== undefined) throw decodeRevertData(data);
    const failed = (err as { receipt?: { blockNumber: number } | null }).receipt;
    if (!failed) throw decodeRevert(err);
    try {
      await provider.call({ to: tx.to, from: tx.from, data: tx.data, value: tx.value, blockTag: failed.blockNumber - 1 });
    } catch (replayed) {
      throw decodeRevert(replayed);
    }
    throw decodeRevertData("0x");
  }
  if (!receipt) throw new LedgerClientError(`transaction ${tx.hash} was dropped`);
  return receipt;
}

export function createLedgerClient({ runner, deployments }: LedgerClientOptions) {
  const registryAddress = deployments.contracts.PatentRegistry!;
  const managerAddress = deployments.contracts.LedgerAccessManager!;
  const registry: PatentRegistry = PatentRegistry__factory.connect(registryAddress, runner);
  const accessManager: LedgerAccessManager = LedgerAccessManager__factory.connect(managerAddress, runner);
  const provider: Provider | null = isSigner(runner) ? runner.provider : (runner as Provider);

  function needSigner(): Signer {
    if (!isSigner(runner)) throw new LedgerClientError("this action signs a transaction: connect the client with a signer");
    return runner;
  }

  function needProvider(): Provider {
    if (!provider) throw new LedgerClientError("the client's signer has no provider");
    return provider;
  }

  /** Sends a transaction and waits for it; any revert (estimate, send or receipt) becomes a LedgerError. */
  async function send(build: () => Promise<ContractTransactionResponse>): Promise<ContractTransactionReceipt> {
    needSigner();
    return confirm(await withRevertDecoding(build), needProvider());
  }

  const result = (r: ContractTransactionReceipt): TxResult => ({ hash: r.hash, blockNumber: r.blockNumber, gasUsed: r.gasUsed });

  function eventArg<T>(receipt: ContractTransactionReceipt, eventName: string, arg: string): T {
    for (const log of receipt.logs) {
      if (log.address.toLowerCase() !== registryAddress.toLowerCase()) continue;
      const parsed = registry.interface.parseLog(log);
      if (parsed?.name === eventName) return parsed.args.getValue(arg) as T;
    }
    throw new LedgerClientError(`transaction ${receipt.hash} emitted no ${eventName}`);
  }

  async function transferView(id: bigint): Promise<TransferView> {
    const t = await withRevertDecoding(() => registry.transferRecord(id));
    return {
      id,
      patent: formatCnipaNumber(t.patentId),
      status: TRANSFER_STATUS_NAMES[Number(t.status) as keyof typeof TRANSFER_STATUS_NAMES],
      agreedDate: t.agreedDay === 0n ? null : isoOfDay(Number(t.agreedDay)),
      from: t.from,
      to: t.to,
      initiator: t.initiator === ZERO ? null : t.initiator,
      contractHash: t.contractHash,
    };
  }

  async function patentRecord(id: bigint): Promise<PatentRecordView | null> {
    const from = deployments.deploymentBlock;
    const [registered, updates] = await Promise.all([
      registry.queryFilter(registry.filters.PatentRegistered(id), from),
      registry.queryFilter(registry.filters.InventoryUpdated(id), from),
    ]);
    const reg = registered.at(-1);
    if (!reg) return null;
    const latest = updates.at(-1);
    return {
      title: reg.args.title,
      ipc: [...reg.args.ipc],
      dossierHash: reg.args.facts.dossierHash,
      recordHash: reg.args.recordHash,
      inventory: inventoryView(latest ? latest.args.inventory : reg.args.inventory),
      registeredBlock: reg.blockNumber,
      registeredTx: reg.transactionHash,
    };
  }

  /** Today's date in China (calendar day) by the chain's latest block. */
  async function chainToday(): Promise<number> {
    const block = await needProvider().getBlock("latest");
    if (!block) throw new LedgerClientError("the node returned no latest block");
    return chinaDayOf(block.timestamp);
  }

  return {
    ...rightsClient({ deployments, runner, registry, send, needSigner, needProvider, chainToday, patentIdOf }),
    registry,
    accessManager,
    deployments,
    runner,

    /** The address that signs, or null for a read-only client. */
    async signerAddress(): Promise<string | null> {
      return isSigner(runner) ? runner.getAddress() : null;
    },

    chainToday,

    // ------------------------------------------------------------ registrar

    async registerPatent(input: PatentInput): Promise<TxResult> {
      const record = toRegistration(input);
      return result(await send(() => registry.connect(needSigner()).register(record)));
    },

    /** Registers up to 200 patents in one transaction (all or nothing). */
    async registerBatch(inputs: PatentInput[]): Promise<TxResult> {
      const records = inputs.map(toRegistration);
      return result(await send(() => registry.connect(needSigner()).registerBatch(records)));
    },

    async setLegalStatus(number: string, status: SettableStatusName, reason: string): Promise<TxResult> {
      const id = patentIdOf(number);
      return result(await send(() => registry.connect(needSigner()).setLegalStatus(id, statusOfName(status), reason)));
    },

    /** Registers an agreed transfer with CNIPA's reference and registration date (default: today in China). */
    async registerTransfer(transferId: bigint, cnipaReference: string, registrationDate?: string): Promise<TxResult> {
      const day = registrationDate ? dayOf(registrationDate) : await chainToday();
      return result(await send(() => registry.connect(needSigner()).registerTransfer(transferId, cnipaReference, day)));
    },

    async refuseTransfer(transferId: bigint, reason: string): Promise<TxResult> {
      return result(await send(() => registry.connect(needSigner()).refuseTransfer(transferId, reason)));
    },

    // ------------------------------------------------------------ holders and evaluators

    async updateInventory(number: string, inventory: InventoryInput): Promise<TxResult> {
      const id = patentIdOf(number);
      return result(await send(() => registry.connect(needSigner()).updateInventory(id, toInventoryStruct(inventory))));
    },

    async recordMarketEvaluation(
      number: string,
      evaluation: { interest: number; improvementNeed: number; cooperationWillingness: number; reportHash: string },
    ): Promise<TxResult & { evaluationId: bigint }> {
      const id = patentIdOf(number);
      const receipt = await send(() =>
        registry
          .connect(needSigner())
          .recordMarketEvaluation(id, evaluation.interest, evaluation.improvementNeed, evaluation.cooperationWillingness, evaluation.reportHash),
      );
      return { ...result(receipt), evaluationId: eventArg<bigint>(receipt, "MarketEvaluated", "evaluationId") };
    },

    /** The owner signs a transfer to `to`; returns the transfer id. */
    async proposeTransfer(number: string, to: string, contractHash: string): Promise<TxResult & { transferId: bigint }> {
      const id = patentIdOf(number);
      const receipt = await send(() => registry.connect(needSigner()).proposeTransfer(id, to, contractHash));
      return { ...result(receipt), transferId: eventArg<bigint>(receipt, "TransferProposed", "transferId") };
    },

    async acceptTransfer(transferId: bigint): Promise<TxResult> {
      return result(await send(() => registry.connect(needSigner()).acceptTransfer(transferId)));
    },

    async cancelTransfer(transferId: bigint): Promise<TxResult> {
      return result(await send(() => registry.connect(needSigner()).cancelTransfer(transferId)));
    },

    // ------------------------------------------------------------ reads

    /** The on-chain state of a patent; `record` (title, IPC, inventory) comes from the registry's events. */
    async getPatent(number: string, opts: { withRecord?: boolean } = {}): Promise<PatentView> {
      const id = patentIdOf(number);
      const p = await withRevertDecoding(() => registry.patent(id));
      const [status, expiry, pendingId, record] = await Promise.all([
        registry.legalStatus(id),
        registry.expiryDay(id),
        registry.pendingTransfer(id),
        opts.withRecord === false ? Promise.resolve(null) : patentRecord(id),
      ]);
      return {
        number: formatCnipaNumber(id),
        id,
        owner: p.owner,
        kind: KIND_NAMES[Number(p.kind) as keyof typeof KIND_NAMES],
        status: STATUS_NAMES[Number(status) as keyof typeof STATUS_NAMES],
        storedStatus: STATUS_NAMES[Number(p.status) as keyof typeof STATUS_NAMES],
        filingDate: isoOfDay(Number(p.filingDay)),
        grantDate: isoOfDay(Number(p.grantDay)),
        expiryDate: isoOfDay(Number(expiry)),
        locks: lockNames(Number(p.locks)),
        pendingTransfer: pendingId === 0n ? null : await transferView(pendingId),
        record,
      };
    },

    async getTransfer(transferId: bigint): Promise<TransferView> {
      return transferView(transferId);
    },

    /** Which of the given patent ids are registered (one read per id, batched by the provider). */
    async registeredAmong(ids: readonly bigint[]): Promise<Set<bigint>> {
      const found = new Set<bigint>();
      await Promise.all(
        ids.map(async (id) => {
          try {
            await registry.patent(id);
            found.add(id);
          } catch (err) {
            const decoded = decodeRevert(err);
            if (decoded instanceof LedgerError && decoded.errorName === "PatentRegistryUnknownPatent") return;
            throw decoded;
          }
        }),
      );
      return found;
    },
  };
}

export type LedgerClient = ReturnType<typeof createLedgerClient>;
