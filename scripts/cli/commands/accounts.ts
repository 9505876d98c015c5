import type { Command } from "commander";
import { DEMO_ACCOUNTS, demoWallet } from "../../../server/chain/accounts";
import { toJson, type CliContext } from "../context";

/** `accounts`: the named demo accounts of the local ledger and their addresses. */
export function accountsCommand(program: Command, ctx: CliContext): void {
  program
    .command("accounts")
    .description("list the named demo accounts (development mnemonic: local chains only)")
    .option("--json", "print JSON")
    .action((opts: { json?: boolean }) => {
      const rows = DEMO_ACCOUNTS.map((a) => ({ name: a.name, address: demoWallet(a.name).address, role: a.role, label: a.label, labelEn: a.labelEn }));
      if (opts.json) {
        ctx.deps.out(toJson(rows));
        return;
      }
      const width = Math.max(...rows.map((r) => r.name.length));
      for (const r of rows) ctx.deps.out(`${r.name.padEnd(width)}  ${r.address}  ${r.role.padEnd(10)}  ${r.label} (${r.labelEn})`);
    });
}
