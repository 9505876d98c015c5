import { get, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import request from "supertest";
import { formatCnipaNumber } from "../../server/chain/cnipa";
import { record, runScenario, SCENARIO } from "../indexer/helpers/ledger";
import { errorOf, indexedGateway, type IndexedGateway } from "./helpers";

interface SseEvent {
  event: string;
  id?: string;
  data: { type?: string; block?: unknown; patent?: { number: string; status: string; ipc: string[] }; previous?: unknown };
}

/** An open event stream: the events received so far, and a wait for the next ones. */
interface Stream {
  events: SseEvent[];
  until(predicate: (events: SseEvent[]) => boolean, ms?: number): Promise<void>;
  close(): void;
}

function openStream(base: string, path: string): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = get(`${base}${path}`, (res: IncomingMessage) => {
      if (res.statusCode !== 200) {
        reject(new Error(`status ${res.statusCode}`));
        return;
      }
      const events: SseEvent[] = [];
      let buffer = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = Object.fromEntries(
            block
              .split("\n")
              .filter((l) => !l.startsWith(":"))
              .map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 2)]),
          );
          if (fields.event) events.push({ event: fields.event, id: fields.id, data: JSON.parse(fields.data ?? "null") });
        }
      });
      resolve({
        events,
        async until(predicate, ms = 5000) {
          const deadline = Date.now() + ms;
          while (!predicate(events)) {
            if (Date.now() > deadline) throw new Error(`timed out; events: ${JSON.stringify(events.map((e) => e.event))}`);
            await new Promise((r) => setTimeout(r, 20));
          }
        },
        close: () => req.destroy(),
      });
    });
    req.on("error", reject);
  });
}

describe("GET /v1/events/stream", () => {
  let g: IndexedGateway;
  let server: Server;
  let base: string;

  before(async () => {
    g = await indexedGateway(runScenario);
    server = g.app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    await g?.close();
  });

  it("sends ready, then new patents and status changes as the indexer applies blocks, filtered by IPC", async () => {
    const all = await openStream(base, "/v1/events/stream");
    const computing = await openStream(base, "/v1/events/stream?ipc=G06F");
    try {
      await all.until((e) => e.length >= 1);
      expect(all.events[0]!.event).to.equal("ready");
      const { registry, parties } = g.ledger;
      const scu = await parties.scu.getAddress();
      await new Promise((r) => setTimeout(r, 300)); // the hub's first poll sets its starting block
      await (await registry.connect(parties.registrar).registerBatch([record(scu, 500, { ipc: ["G06F 16/27"] }), record(scu, 501)])).wait();
      await (await registry.connect(parties.registrar).setLegalStatus(SCENARIO.refused, 1, "未缴年费")).wait();
      await g.sync();
      await all.until((e) => e.filter((x) => x.event.startsWith("patent.")).length >= 3);
      const patents = all.events.filter((x) => x.event.startsWith("patent."));
      expect(patents.map((e) => [e.event, e.data.patent!.number])).to.deep.equal([
        ["patent.registered", formatCnipaNumber(record(scu, 500).number as bigint)],
        ["patent.registered", formatCnipaNumber(record(scu, 501).number as bigint)],
        ["patent.status", formatCnipaNumber(SCENARIO.refused)],
      ]);
      expect(patents[2]!.data.previous).to.deep.include({ status: "Valid" });
      expect(patents[2]!.data.patent!.status).to.equal("Lapsed");
      expect(patents[0]!.id).to.match(/^\d+:\d+$/);
      await computing.until((e) => e.some((x) => x.event === "patent.status"));
      expect(computing.events.filter((x) => x.event.startsWith("patent.")).map((e) => e.data.patent!.ipc[0])).to.deep.equal(["G06F 16/27", "G06F 16/27"]);
    } finally {
      all.close();
      computing.close();
    }
  });

  it("filters by industry through the concordance", async () => {
    const batteries = await openStream(base, "/v1/events/stream?industry=C384");
    try {
      await batteries.until((e) => e.length >= 1);
      await new Promise((r) => setTimeout(r, 300));
      const { registry, parties } = g.ledger;
      const uestc = await parties.uestc.getAddress();
      await (await registry.connect(parties.registrar).registerBatch([record(uestc, 600, { ipc: ["G06N 3/08"] }), record(uestc, 601, { ipc: ["H01M 10/0525"] })])).wait();
      await g.sync();
      await batteries.until((e) => e.some((x) => x.event === "patent.registered"));
      await new Promise((r) => setTimeout(r, 300));
      expect(batteries.events.filter((x) => x.event === "patent.registered").map((e) => e.data.patent!.ipc[0])).to.deep.equal(["H01M 10/0525"]);
    } finally {
      batteries.close();
    }
  });

  it("answers 400 for an unknown industry or a bad IPC prefix, before streaming", async () => {
    expect(errorOf(await request(g.app).get("/v1/events/stream?industry=nowhere").expect(400)).code).to.equal("BAD_REQUEST");
    expect(errorOf(await request(g.app).get("/v1/events/stream?ipc=Q1").expect(400)).code).to.equal("BAD_REQUEST");
  });
});
