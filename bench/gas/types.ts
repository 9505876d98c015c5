/** One row of the gas table: exact gas used by one transaction on the in-process Hardhat network. */
export interface GasRow {
  /** Which issue's area: registry, licensing, financing, equity, exchange. */
  area: string;
  operation: string;
  gas: bigint;
  /** Context, e.g. "per patent, 100-patent batch" or "with 20 active licences". */
  note?: string;
  /** The target, if it sets one. */
  target?: bigint;
}

/** A bench module measures one area; the runner (bench/run.ts) collects the rows. */
export type GasModule = () => Promise<GasRow[]>;
