import { AbiCoder, Interface, type InterfaceAbi, type ParamType } from "ethers";
import type { Json } from "../store/codec";
import type { RpcLog } from "../rpc/client";
import { compileDecoder } from "./abidecode";
import type { EventArgs, LedgerEvent } from "./types";

/**
 * Precomputed decoding layouts, one per (contract, topic0). The data section is read by a decoder
 * compiled once per event (abidecode.ts; ethers' AbiCoder with precomputed types for unsupported
 * types), topics by cheap conversions; Interface.parseLog is never called per log.
 */

type Convert = (value: unknown) => Json;

function converterOf(type: ParamType): Convert {
  if (type.baseType === "tuple") {
    const parts = (type.components ?? []).map((c) => [c.name, converterOf(c)] as const);
    return (value) => {
      const tuple = value as unknown[];
      const out: { [name: string]: Json } = {};
      parts.forEach(([name, convert], i) => {
        out[name] = convert(tuple[i]);
      });
      return out;
    };
  }
  if (type.baseType === "array") {
    const child = converterOf(type.arrayChildren as ParamType);
    return (value) => Array.from(value as unknown[], child);
  }
  const intMatch = /^u?int(\d*)$/.exec(type.type);
  if (intMatch) {
    const bits = Number(intMatch[1] || 256);
    return bits <= 48 ? (value) => Number(value as bigint) : (value) => (value as bigint).toString();
  }
  if (type.type === "address") return (value) => (value as string).toLowerCase();
  return (value) => value as Json;
}

/** Indexed value types straight from the 32-byte topic, without the ABI coder. */
function topicConverterOf(type: ParamType): (topic: string) => Json {
  const intMatch = /^uint(\d*)$/.exec(type.type);
  if (intMatch) {
    const bits = Number(intMatch[1] || 256);
    return bits <= 48 ? (t) => Number(BigInt(t)) : (t) => BigInt(t).toString();
  }
  if (type.type === "address") return (t) => `0x${t.slice(26).toLowerCase()}`;
  if (type.type === "bool") return (t) => BigInt(t) !== 0n;
  if (type.type === "bytes32") return (t) => t.toLowerCase();
  if (type.isTuple() || type.isArray() || type.type === "string" || type.type === "bytes") return (t) => t.toLowerCase(); // hashed
  const coder = AbiCoder.defaultAbiCoder();
  const convert = converterOf(type);
  return (t) => convert(coder.decode([type], t)[0]);
}

interface EventLayout {
  contract: string;
  event: string;
  indexed: { name: string; convert: (topic: string) => Json }[];
  dataNames: string[];
  /** Decodes the data section into converted values, in parameter order. */
  decodeData: (data: string) => Json[];
}

/** The compiled decoder when every type is supported, else ethers' AbiCoder with the precomputed types. */
function dataDecoderOf(params: ParamType[]): (data: string) => Json[] {
  const compiled = compileDecoder(params);
  if (compiled) return compiled;
  const coder = AbiCoder.defaultAbiCoder();
  const converters = params.map(converterOf);
  return (data) => {
    const values = coder.decode(params, data);
    return converters.map((convert, i) => convert(values[i]));
  };
}

export interface LogDecoder {
  /** Addresses (lowercase) whose logs the indexer fetches. */
  readonly addresses: string[];
  /** The event, or undefined for a log with no layout (an event nobody handles). */
  decode(log: RpcLog): LedgerEvent | undefined;
}

export interface WatchedContract {
  name: string;
  address: string;
  abi: InterfaceAbi;
  /** Only these events get layouts; others are skipped. */
  events: readonly string[];
}

export function createLogDecoder(contracts: WatchedContract[]): LogDecoder {
  const byAddress = new Map<string, Map<string, EventLayout>>();
  for (const c of contracts) {
    const iface = new Interface(c.abi);
    const layouts = new Map<string, EventLayout>();
    for (const name of c.events) {
      const fragment = iface.getEvent(name);
      if (!fragment) throw new Error(`${c.name} has no event ${name}`);
      const indexed = fragment.inputs.filter((p) => p.indexed);
      const data = fragment.inputs.filter((p) => !p.indexed);
      layouts.set(fragment.topicHash.toLowerCase(), {
        contract: c.name,
        event: fragment.name,
        indexed: indexed.map((p) => ({ name: p.name, convert: topicConverterOf(p) })),
        dataNames: data.map((p) => p.name),
        decodeData: dataDecoderOf(data),
      });
    }
    byAddress.set(c.address.toLowerCase(), layouts);
  }

  return {
    addresses: [...byAddress.keys()],
    decode(log) {
      const layouts = byAddress.get(log.address);
      const topic0 = log.topics[0];
      if (!layouts || topic0 === undefined) return undefined;
      const layout = layouts.get(topic0.toLowerCase());
      if (!layout || log.topics.length !== layout.indexed.length + 1) return undefined;
      const args: EventArgs = {};
      layout.indexed.forEach((p, i) => {
        args[p.name] = p.convert(log.topics[i + 1]!);
      });
      if (layout.dataNames.length > 0) {
        const values = layout.decodeData(log.data);
        layout.dataNames.forEach((name, i) => {
          args[name] = values[i]!;
        });
      }
      return {
        contract: layout.contract,
        address: log.address,
        event: layout.event,
        args,
        blockNumber: log.blockNumber,
        blockHash: log.blockHash,
        txHash: log.transactionHash,
        logIndex: log.logIndex,
      };
    },
  };
}
