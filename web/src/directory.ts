import { lang } from "./i18n";

/**
 * Names for addresses. The demo ledger's accounts (server/chain/accounts.ts) are derived from the public
 * development mnemonic: the build computes their addresses and injects them here. They name addresses
 * only on the local demo chain (chain id 31337); elsewhere an address is shown as it is.
 */
export interface DirectoryEntry {
  name: string;
  role: string;
  label: string;
  labelEn: string;
  city: string;
}

declare const __DEMO_DIRECTORY__: Record<string, DirectoryEntry>;

const DEMO_CHAIN_ID = 31337;
let active: Record<string, DirectoryEntry> = {};

export function useDirectoryFor(chainId: number): void {
  active = chainId === DEMO_CHAIN_ID ? __DEMO_DIRECTORY__ : {};
}

export function entryOf(address: string): DirectoryEntry | undefined {
  return active[address.toLowerCase()];
}

export function shortAddress(address: string): string {
  return address.length > 14 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;
}

/** A readable name: the directory's label in the current language, else the shortened address. */
export function nameOf(address: string): string {
  const entry = entryOf(address);
  if (!entry) return shortAddress(address);
  return lang() === "en" ? entry.labelEn : entry.label;
}
