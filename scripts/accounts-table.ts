/** Prints the named demo accounts as a Markdown table (pasted into README.md): `npx tsx scripts/accounts-table.ts`. */
import { DEMO_ACCOUNTS, demoWallet } from "../server/chain/accounts";

console.log("| # | name | address | role | 名称 | label |");
console.log("| --- | --- | --- | --- | --- | --- |");
for (const a of DEMO_ACCOUNTS) {
  console.log(`| ${a.index} | \`${a.name}\` | \`${demoWallet(a.name).address}\` | ${a.role} | ${a.label} | ${a.labelEn} |`);
}
