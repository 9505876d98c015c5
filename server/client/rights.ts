import { rightsBase, type RightsCore } from "./rights-base";
import { licensingMethods } from "./rights-licensing";
import { financingMethods } from "./rights-financing";
import { equityMethods } from "./rights-equity";

export { RightsClientError, type Approval, type RightsCore, type TokenInfo } from "./rights-base";
export * from "./rights-licensing";
export * from "./rights-financing";
export * from "./rights-equity";

/**
 * The client library's writes and reads of the rights contracts: licences and open licences (Licensing),
 * royalties (Royalties), pledges (Pledges), valuations (Valuations), equity deals and warrants (EquityDeals).
 * Spread into the ledger client by `createLedgerClient`. Amounts are taken in fen (yuan x 100) and converted
 * exactly to the settlement token's units; payments approve the paying contract when the allowance is short.
 */
export function rightsClient(core: RightsCore) {
  const b = rightsBase(core);
  return {
    /** Typed handles of the rights contracts (each throws when the deployments file does not name it). */
    rights: {
      licensing: b.licensing,
      royalties: b.royalties,
      pledges: b.pledges,
      valuations: b.valuations,
      equityDeals: b.equityDeals,
      defaultToken: b.defaultToken,
    },
    tokenInfo: b.tokenInfo,
    ensureAllowance: b.ensureAllowance,
    ...licensingMethods(b),
    ...financingMethods(b),
    ...equityMethods(b),
  };
}

export type RightsClient = ReturnType<typeof rightsClient>;
