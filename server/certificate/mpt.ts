import { decodeRlp, getBytes, hexlify, keccak256, type RlpStructuredData } from "ethers";

/**
 * A Merkle Patricia trie proof verifier (Ethereum Yellow Paper, appendix D), enough for `eth_getProof`:
 * the state trie (key keccak256(address)) and a contract's storage trie (key keccak256(slot)).
 *
 * It walks the proof from the root: each node referenced by hash must hash to that reference, an embedded
 * node (shorter than 32 bytes) is read in place, branch, extension and leaf nodes consume the key's nibbles.
 * It answers the leaf's value, or null when the proof shows that the key is absent (an empty branch child,
 * or an extension or leaf whose path departs from the key). Any other shape is an error: unused trailing
 * nodes, a node that does not hash to its reference, a malformed node.
 */
export class ProofError extends Error {
  override name = "ProofError";
}

type Node = RlpStructuredData;

function nibblesOf(bytes: Uint8Array): number[] {
  const out: number[] = [];
  for (const b of bytes) out.push(b >> 4, b & 0x0f);
  return out;
}

/** Hex-prefix decoding of a leaf or extension path: [nibbles, isLeaf]. */
function decodePath(encoded: string): [number[], boolean] {
  const nibbles = nibblesOf(getBytes(encoded));
  if (nibbles.length === 0) throw new ProofError("a node has an empty path");
  const flag = nibbles[0]!;
  if (flag > 3) throw new ProofError(`a node's path has an unknown flag ${flag}`);
  const odd = (flag & 1) === 1;
  if (!odd && nibbles[1] !== 0) throw new ProofError("an even node path has a non-zero padding nibble");
  return [nibbles.slice(odd ? 1 : 2), flag >= 2];
}

function startsWith(key: number[], at: number, path: number[]): boolean {
  if (key.length - at < path.length) return false;
  for (let i = 0; i < path.length; i++) if (key[at + i] !== path[i]) return false;
  return true;
}

function asString(node: Node, what: string): string {
  if (typeof node !== "string") throw new ProofError(`${what} is a list where bytes are expected`);
  return node;
}

/**
 * Verifies `proof` (RLP nodes, root first) for `key` (the trie key bytes, already hashed) against `root`.
 * Answers the value stored at the key (RLP bytes as hex) or null if the proof shows the key absent.
 */
export function verifyProof(root: string, key: Uint8Array, proof: readonly string[]): string | null {
  const path = nibblesOf(key);
  let at = 0; // nibbles consumed
  let used = 0; // proof nodes consumed
  // The next node: a hash reference (to be read from the proof) or an embedded node.
  let next: { hash: string } | { node: Node } = { hash: root.toLowerCase() };
  for (;;) {
    let node: Node;
    if ("hash" in next) {
      if (used >= proof.length) throw new ProofError(`the proof ends at node ${used}; node ${next.hash} is missing`);
      const encoded = proof[used]!;
      if (keccak256(encoded) !== next.hash) {
        throw new ProofError(`proof node ${used} does not hash to ${next.hash}`);
      }
      used++;
      node = decodeRlp(encoded);
    } else {
      node = next.node;
    }
    if (!Array.isArray(node)) throw new ProofError(`proof node ${used - 1} is not a list`);
    let child: Node | undefined;
    if (node.length === 17) {
      if (at === path.length) return finish(asString(node[16]!, "a branch value"));
      child = node[path[at]!]!;
      at++;
      if (typeof child === "string" && child === "0x") return finish(null);
    } else if (node.length === 2) {
      const [nodePath, isLeaf] = decodePath(asString(node[0]!, "a node path"));
      if (isLeaf) {
        const matches = at + nodePath.length === path.length && startsWith(path, at, nodePath);
        return finish(matches ? asString(node[1]!, "a leaf value") : null);
      }
      if (!startsWith(path, at, nodePath)) return finish(null);
      at += nodePath.length;
      child = node[1]!;
    } else {
      throw new ProofError(`a trie node has ${node.length} items (expected 2 or 17)`);
    }
    // A child is a 32-byte hash reference, or a node shorter than 32 bytes embedded as a list.
    if (typeof child === "string") {
      if (getBytes(child).length !== 32) throw new ProofError("a child reference is not a 32-byte hash");
      next = { hash: child.toLowerCase() };
    } else {
      next = { node: child };
    }
  }

  function finish(value: string | null): string | null {
    if (used !== proof.length) throw new ProofError(`the proof has ${proof.length - used} node(s) after the end of the path`);
    if (value !== null && getBytes(value).length === 0) return null;
    return value === null ? null : hexlify(value);
  }
}

/** The account fields in the state trie's leaf: rlp([nonce, balance, storageRoot, codeHash]). */
export interface AccountState {
  nonce: bigint;
  balance: bigint;
  storageRoot: string;
  codeHash: string;
}

function rlpQuantity(data: Node, what: string): bigint {
  const hex = asString(data, what);
  const bytes = getBytes(hex);
  if (bytes.length > 0 && bytes[0] === 0) throw new ProofError(`${what} has a leading zero byte`);
  return bytes.length === 0 ? 0n : BigInt(hex);
}

/** Verifies an account proof against a state root; throws unless the account exists. */
export function verifyAccountProof(stateRoot: string, address: string, proof: readonly string[]): AccountState {
  const value = verifyProof(stateRoot, getBytes(keccak256(address)), proof);
  if (value === null) throw new ProofError(`the proof shows that account ${address} does not exist`);
  const fields = decodeRlp(value);
  if (!Array.isArray(fields) || fields.length !== 4) throw new ProofError("the account leaf is not [nonce, balance, storageRoot, codeHash]");
  const storageRoot = asString(fields[2]!, "the storage root");
  const codeHash = asString(fields[3]!, "the code hash");
  if (getBytes(storageRoot).length !== 32 || getBytes(codeHash).length !== 32) throw new ProofError("the account's roots are not 32 bytes");
  return {
    nonce: rlpQuantity(fields[0]!, "the account nonce"),
    balance: rlpQuantity(fields[1]!, "the account balance"),
    storageRoot: storageRoot.toLowerCase(),
    codeHash: codeHash.toLowerCase(),
  };
}

/** Verifies a storage proof against an account's storage root and answers the slot's value (0 if absent). */
export function verifyStorageProof(storageRoot: string, slot: bigint, proof: readonly string[]): bigint {
  const key = getBytes(keccak256(`0x${slot.toString(16).padStart(64, "0")}`));
  const value = verifyProof(storageRoot, key, proof);
  if (value === null) return 0n;
  // A standard trie deletes a slot set to zero, but Anvil keeps a leaf holding rlp("") for slots it has
  // touched; its state root commits to that leaf, which proves the value zero just as well.
  return rlpQuantity(decodeRlp(value), "a storage value");
}
