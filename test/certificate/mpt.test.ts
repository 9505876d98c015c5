import { expect } from "chai";
import { encodeRlp, getBytes, keccak256 } from "ethers";
import { ProofError, verifyProof } from "../../server/certificate/mpt";

/** A leaf's hex-prefix path: flag 2 (leaf) or 3 (leaf, odd length). */
function leafPath(nibbles: number[]): string {
  const odd = nibbles.length % 2 === 1;
  const all = odd ? [3, ...nibbles] : [2, 0, ...nibbles];
  const bytes: number[] = [];
  for (let i = 0; i < all.length; i += 2) bytes.push((all[i]! << 4) | all[i + 1]!);
  return `0x${Buffer.from(bytes).toString("hex")}`;
}

function extensionPath(nibbles: number[]): string {
  const odd = nibbles.length % 2 === 1;
  const all = odd ? [1, ...nibbles] : [0, 0, ...nibbles];
  const bytes: number[] = [];
  for (let i = 0; i < all.length; i += 2) bytes.push((all[i]! << 4) | all[i + 1]!);
  return `0x${Buffer.from(bytes).toString("hex")}`;
}

describe("certificate MPT verifier", () => {
  describe("verifyProof", () => {
    // A root branch with two short leaves embedded in it (each under 32 bytes): keys 0x10 and 0x20.
    const children: (string | string[])[] = Array.from({ length: 17 }, () => "0x");
    children[1] = [leafPath([0]), "0x05"];
    children[2] = [leafPath([0]), "0x07"];
    const branch = encodeRlp(children);
    const root = keccak256(branch);

    it("reads a value from a leaf embedded in its branch", () => {
      expect(verifyProof(root, getBytes("0x10"), [branch])).to.equal("0x05");
      expect(verifyProof(root, getBytes("0x20"), [branch])).to.equal("0x07");
    });

    it("proves absence at an empty branch child and at a leaf whose path departs", () => {
      expect(verifyProof(root, getBytes("0x30"), [branch])).to.equal(null);
      expect(verifyProof(root, getBytes("0x11"), [branch])).to.equal(null);
    });

    it("follows an extension node to a hashed branch", () => {
      const long = "0x" + "ab".repeat(40); // a value long enough that the leaf is referenced by hash
      const inner: (string | string[])[] = Array.from({ length: 17 }, () => "0x");
      inner[4] = [leafPath([5]), long];
      const innerNode = encodeRlp(inner);
      const leafNode = encodeRlp([leafPath([5]), long]);
      inner[4] = keccak256(leafNode);
      const hashedInner = encodeRlp(inner);
      const extension = encodeRlp([extensionPath([1, 2]), keccak256(hashedInner)]);
      expect(innerNode).to.not.equal(hashedInner);
      expect(verifyProof(keccak256(extension), getBytes("0x1245"), [extension, hashedInner, leafNode])).to.equal(long);
      expect(verifyProof(keccak256(extension), getBytes("0x1345"), [extension])).to.equal(null);
    });

    it("throws on a node that does not hash to its reference, a missing node or trailing nodes", () => {
      expect(() => verifyProof(keccak256("0x01"), getBytes("0x10"), [branch])).to.throw(ProofError, /does not hash/);
      expect(() => verifyProof(root, getBytes("0x10"), [])).to.throw(ProofError, /missing/);
      expect(() => verifyProof(root, getBytes("0x10"), [branch, branch])).to.throw(ProofError, /after the end/);
    });
  });
});
