/**
 * Handler cost: applies synthetic events of every contract to an in-memory state (no RPC, no LevelDB,
 * no decoding) and prints events per second of wall and of CPU time (the machine may be shared) and wall
 * microseconds per event by event name. Usage: tsx bench/handlers.ts [--events N]
 */
import { Command } from "commander";
import { DEFAULT_HANDLERS } from "../server/indexer/handlers";
import type { EventArgs, LedgerEvent, StateView } from "../server/indexer/types";
import type { Json } from "../server/store/codec";

const A = (n: number) => `0x${n.toString(16).padStart(40, "0")}`;
const H = `0x${"ab".repeat(32)}`;

/** One story per round: a patent, a licence with a royalty paid, a two-patent pledge registered and released, a valuation. */
function story(i: number): [string, string, EventArgs][] {
  const p1 = String(201910000000 + 2 * i);
  const p2 = String(201910000001 + 2 * i);
  const id = String(i + 1);
  const facts = { checkDigit: 1, kind: 0, filingDay: 17_000, grantDay: 18_000, dossierHash: H };
  const inventory = { readiness: 6, willing: true, modes: 7, selfScore: 80, unitScore: 75, scenarioTags: 5 };
  const registered = (p: string): [string, string, EventArgs] => [
    "PatentRegistry",
    "PatentRegistered",
    { patentId: p, holder: A(1), commitment: p, recordHash: H, facts, title: "一种方法", ipc: ["H01M 4/525"], inventory },
  ];
  const split = { unit: A(1), unitAmount: "900", inventors: A(2), inventorsAmount: "60", tto: A(3), ttoAmount: "40" };
  return [
    registered(p1),
    registered(p2),
    [
      "Licensing",
      "LicenceGranted",
      {
        licenceId: id,
        patentId: p1,
        licensee: A(4),
        grantor: A(1),
        kind: 2,
        sublicensable: false,
        scope: { fields: "3", territories: "1", startDay: 20_000, endDay: 21_000 },
        fee: { method: 1, trigger: 0, royaltyBps: 300, triggerDay: 0, amount: "0" },
        token: A(9),
        contractHash: H,
        proceedsTo: A(0),
      },
    ],
    ["Royalties", "RevenueReported", { licenceId: id, patentId: p1, licensee: A(4), revenue: "100000", due: "3000", owed: "3000", reportHash: H }],
    ["Royalties", "RoyaltyPaid", { licenceId: id, patentId: p1, payer: A(4), payment: "1", fee: false, token: A(9), amount: "1000", split }],
    ["Pledges", "PledgeProposed", { pledgeId: id, pledgee: A(5), proposer: A(5), securedAmount: "100", currency: "0x434e59", termEndDay: 21_000, contractHash: H, loanReference: "L" }],
    ["Pledges", "PatentPledged", { pledgeId: id, patentId: p1, pledgor: A(1) }],
    ["Pledges", "PatentPledged", { pledgeId: id, patentId: p2, pledgor: A(1) }],
    ["Pledges", "PledgeConsented", { pledgeId: id, party: A(5), consentsMissing: 1 }],
    ["Pledges", "PledgeConsented", { pledgeId: id, party: A(1), consentsMissing: 0 }],
    ["Pledges", "PledgeAgreed", { pledgeId: id, agreedDay: 20_000 }],
    ["Pledges", "PledgeRegistered", { pledgeId: id, registrar: A(6), cnipaReference: "R", registrationDay: 20_000 }],
    ["Pledges", "PledgeReleased", { pledgeId: id, pledgee: A(5) }],
    ["Valuations", "ValuationRecorded", { patentId: p1, index: "0", appraiser: A(7), amount: "5", currency: "0x434e59", method: 0, valuationDay: 20_000, reportHash: H }],
  ];
}

function main(): void {
  const opts = new Command().option("--events <n>", "events to apply", "100000").parse().opts<{ events: string }>();
  const target = Number(opts.events);
  const state = new Map<string, Json>();
  const view: StateView = { get: <T extends Json>(key: string) => state.get(key) as T | undefined };
  const time = new Map<string, { n: number; ns: bigint }>();
  let applied = 0;
  const started = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  for (let i = 0; applied < target; i++) {
    for (const [contract, event, args] of story(i)) {
      const e: LedgerEvent = { contract, address: A(99), event, args, blockNumber: i + 1, blockHash: H, txHash: H, logIndex: applied % 1000 };
      const handler = DEFAULT_HANDLERS[contract]![event]!;
      const t0 = process.hrtime.bigint();
      handler.reads(e);
      for (const w of handler.apply(e, view)) {
        if (w.value === null) state.delete(w.key);
        else state.set(w.key, w.value);
      }
      const t = time.get(event) ?? { n: 0, ns: 0n };
      time.set(event, { n: t.n + 1, ns: t.ns + (process.hrtime.bigint() - t0) });
      applied++;
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const perEvent = Object.fromEntries([...time].map(([event, t]) => [event, Number((Number(t.ns) / t.n / 1000).toFixed(2))]));
  console.log(JSON.stringify({ bench: "handlers", events: applied, seconds: Number(seconds.toFixed(3)), eventsPerSecond: Math.round(applied / seconds), cpuSeconds: Number(cpuSeconds.toFixed(3)), eventsPerCpuSecond: Math.round(applied / cpuSeconds), wallMicrosecondsPerEvent: perEvent }));
}

main();
