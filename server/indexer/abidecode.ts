import type { ParamType } from "ethers";
import type { Json } from "../store/codec";

/**
 * A compiled ABI decoder for event data: the layout of each parameter is worked out once, then a log
 * is decoded by reading words straight out of one Buffer. It supports what ledger events use: uintN,
 * address, bool, bytesN, string, bytes, dynamic arrays and tuples; `compileDecoder` returns undefined
 * for anything else (the caller falls back to ethers' AbiCoder). Output matches abi.ts's conventions:
 * uint up to 48 bits as numbers, wider as decimal strings, addresses lower-case.
 */

export class AbiDecodeError extends Error {
  override name = "AbiDecodeError";
}

interface Node {
  dynamic: boolean;
  /** Bytes the value takes in its parent's head when static. */
  size: number;
  /** Decodes the value whose encoding starts at `pos` (for dynamic types: where the offset points). */
  read(buf: Buffer, pos: number): Json;
}

function check(buf: Buffer, end: number): void {
  if (end > buf.length) throw new AbiDecodeError(`data too short: need ${end} bytes, have ${buf.length}`);
}

function readLength(buf: Buffer, pos: number): number {
  check(buf, pos + 32);
  for (let i = pos; i < pos + 24; i++) if (buf[i] !== 0) throw new AbiDecodeError(`length or offset out of range at ${pos}`);
  return buf.readUIntBE(pos + 26, 6);
}

function compile(type: ParamType): Node | undefined {
  if (type.baseType === "tuple") {
    const parts = (type.components ?? []).map((c) => ({ name: c.name, node: compile(c) }));
    if (parts.some((p) => p.node === undefined)) return undefined;
    const nodes = parts as { name: string; node: Node }[];
    const dynamic = nodes.some((p) => p.node.dynamic);
    const heads: number[] = [];
    let size = 0;
    for (const p of nodes) {
      heads.push(size);
      size += p.node.dynamic ? 32 : p.node.size;
    }
    return {
      dynamic,
      size,
      read(buf, start) {
        const out: { [name: string]: Json } = {};
        for (let i = 0; i < nodes.length; i++) {
          const { name, node } = nodes[i]!;
          const head = start + heads[i]!;
          out[name] = node.dynamic ? node.read(buf, start + readLength(buf, head)) : node.read(buf, head);
        }
        return out;
      },
    };
  }
  if (type.baseType === "array") {
    if (type.arrayLength !== -1) return undefined; // fixed-size arrays: not used by ledger events
    const child = compile(type.arrayChildren as ParamType);
    if (!child) return undefined;
    return {
      dynamic: true,
      size: 32,
      read(buf, pos) {
        const length = readLength(buf, pos);
        const start = pos + 32;
        const out: Json[] = new Array(length);
        for (let i = 0; i < length; i++) {
          out[i] = child.dynamic ? child.read(buf, start + readLength(buf, start + 32 * i)) : child.read(buf, start + child.size * i);
        }
        return out;
      },
    };
  }
  const t = type.type;
  const uint = /^uint(\d*)$/.exec(t);
  if (uint) {
    const bits = Number(uint[1] || 256);
    if (bits <= 48) {
      return {
        dynamic: false,
        size: 32,
        read(buf, pos) {
          check(buf, pos + 32);
          return buf.readUIntBE(pos + 26, 6);
        },
      };
    }
    return {
      dynamic: false,
      size: 32,
      read(buf, pos) {
        check(buf, pos + 32);
        return BigInt(`0x${buf.toString("hex", pos, pos + 32)}`).toString();
      },
    };
  }
  if (t === "address") {
    return {
      dynamic: false,
      size: 32,
      read(buf, pos) {
        check(buf, pos + 32);
        return `0x${buf.toString("hex", pos + 12, pos + 32)}`;
      },
    };
  }
  if (t === "bool") {
    return {
      dynamic: false,
      size: 32,
      read(buf, pos) {
        check(buf, pos + 32);
        return buf[pos + 31] !== 0;
      },
    };
  }
  const fixedBytes = /^bytes(\d+)$/.exec(t);
  if (fixedBytes) {
    const n = Number(fixedBytes[1]);
    return {
      dynamic: false,
      size: 32,
      read(buf, pos) {
        check(buf, pos + 32);
        return `0x${buf.toString("hex", pos, pos + n)}`;
      },
    };
  }
  if (t === "string" || t === "bytes") {
    const asString = t === "string";
    return {
      dynamic: true,
      size: 32,
      read(buf, pos) {
        const length = readLength(buf, pos);
        check(buf, pos + 32 + length);
        return asString ? buf.toString("utf8", pos + 32, pos + 32 + length) : `0x${buf.toString("hex", pos + 32, pos + 32 + length)}`;
      },
    };
  }
  return undefined;
}

/** A decoder of the data section for these (non-indexed) parameters, or undefined if a type is unsupported. */
export function compileDecoder(params: readonly ParamType[]): ((data: string) => Json[]) | undefined {
  const nodes = params.map(compile);
  if (nodes.some((n) => n === undefined)) return undefined;
  const list = nodes as Node[];
  const heads: number[] = [];
  let size = 0;
  for (const n of list) {
    heads.push(size);
    size += n.dynamic ? 32 : n.size;
  }
  return (data) => {
    const buf = Buffer.from(data.startsWith("0x") ? data.slice(2) : data, "hex");
    const out: Json[] = new Array(list.length);
    for (let i = 0; i < list.length; i++) {
      const node = list[i]!;
      const head = heads[i]!;
      out[i] = node.dynamic ? node.read(buf, readLength(buf, head)) : node.read(buf, head);
    }
    return out;
  };
}
