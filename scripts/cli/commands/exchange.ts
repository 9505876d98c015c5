import { readFileSync, writeFileSync } from "node:fs";
import type { Command } from "commander";
import { ZeroHash } from "ethers";
import { dayOf } from "../../../server/chain/cnipa";
import { FIELD_CLASSES, TERRITORIES, scopeMask } from "../../../server/chain/licensing";
import {
  createExchangeClient,
  type LedgerClient,
  type LicenceKindName,
  type ListingView,
  type SignedOfferFile,
} from "../../../server/client";
import { CliUsageError, parseBytes32, parseId, resolveAccount, toJson, txLine, type CliContext, type GlobalOptions } from "../context";
import { accountLabel } from "./patents";

/** A price in yuan with at most two decimals ("1200000", "80000.50") as fen (dCNY has 2 decimals). */
export function parsePrice(text: string, what = "--price"): bigint {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!m) throw new CliUsageError(`${what} "${text}" is not an amount in yuan with at most two decimals`);
  const fen = BigInt(m[1]!) * 100n + BigInt((m[2] ?? "").padEnd(2, "0"));
  if (fen === 0n) throw new CliUsageError(`${what} must be above zero`);
  return fen;
}

export function formatPrice(fen: bigint): string {
  return `${fen / 100n}.${(fen % 100n).toString().padStart(2, "0")}`;
}

function checkDate(text: string, what: string): string {
  try {
    dayOf(text);
  } catch (err) {
    throw new CliUsageError(`${what}: ${(err as Error).message}`);
  }
  return text;
}

function names(text: string, vocabulary: readonly string[], what: string): bigint {
  try {
    return scopeMask(vocabulary, text.split(",").map((s) => s.trim()).filter((s) => s !== ""));
  } catch (err) {
    throw new CliUsageError(`${what}: ${(err as Error).message}`);
  }
}

export function formatListing(l: ListingView): string[] {
  return [
    `listing #${l.listingId}  ${l.patent}  ${l.kind}  ${l.status}`,
    `  seller      ${l.seller}${accountLabel(l.seller)}`,
    `  venue       ${l.venue}${accountLabel(l.venue)}`,
    ...(l.broker ? [`  broker      ${l.broker}${accountLabel(l.broker)}`] : []),
    `  price       ${formatPrice(l.price)} (token ${l.token})`,
    `  expires     ${new Date(Number(l.expiresAt) * 1000).toISOString()}`,
    `  contract    ${l.contractHash}`,
  ];
}

interface ListOptions {
  kind: string;
  venue: string;
  broker?: string;
  price: string;
  token?: string;
  days: string;
  licenceKind: string;
  fields?: string;
  territories?: string;
  start?: string;
  end?: string;
  sublicensable?: boolean;
  contractHash: string;
}

/** `exchange list|show|buy|offer|sign-offer|accept|cancel|settle|withdraw`: the unified exchange. */
export function exchangeCommand(program: Command, ctx: CliContext): void {
  const ex = program.command("exchange").description("the unified Sichuan–Chongqing exchange: listings, offers, settlement");
  const globals = (command: Command) => command.optsWithGlobals<GlobalOptions>();
  const clients = async (command: Command, signer = true) => {
    const base: LedgerClient = await ctx.client(globals(command), { signer });
    return { base, exchange: createExchangeClient(base) };
  };
  const tokenOf = (base: LedgerClient, token?: string): string => {
    const t = token ?? base.deployments.contracts.DemoSettlementToken;
    if (!t) throw new CliUsageError("--token is needed: the deployments file names no DemoSettlementToken");
    return resolveAccount(t);
  };

  ex.command("list")
    .description("the owner lists a patent for sale or a licence through a venue (open on every venue)")
    .argument("<number>", "CNIPA number")
    .requiredOption("--kind <sale|licence>", "what is offered")
    .requiredOption("--venue <account>", "the listing venue (chengdu, chongqing or an address)")
    .requiredOption("--price <yuan>", "price in yuan (dCNY, two decimals)")
    .option("--broker <account>", "a broker accredited by the venue")
    .option("--token <address>", "settlement token (default: the demo dCNY)")
    .option("--days <n>", "days until the listing expires", "30")
    .option("--licence-kind <kind>", "exclusive, sole or non-exclusive", "non-exclusive")
    .option("--fields <list>", "fields of use, e.g. C37,I (docs/licensing.md)")
    .option("--territories <list>", "GB/T 2260 codes or regions, e.g. 51,50")
    .option("--start <YYYY-MM-DD>", "licence start")
    .option("--end <YYYY-MM-DD>", "licence end (exclusive)")
    .option("--sublicensable", "the licensee may grant sublicences")
    .option("--contract-hash <0x...>", "hash of the sale or licence contract", ZeroHash)
    .action(async (number: string, o: ListOptions, command: Command) => {
      if (o.kind !== "sale" && o.kind !== "licence") throw new CliUsageError(`--kind "${o.kind}" is neither sale nor licence`);
      if (!/^\d+$/.test(o.days) || Number(o.days) === 0) throw new CliUsageError(`--days "${o.days}" is not a positive whole number`);
      const price = parsePrice(o.price);
      const contractHash = parseBytes32(o.contractHash, "--contract-hash");
      let licence;
      if (o.kind === "licence") {
        if (!["exclusive", "sole", "non-exclusive"].includes(o.licenceKind)) {
          throw new CliUsageError(`--licence-kind "${o.licenceKind}" is not exclusive, sole or non-exclusive`);
        }
        if (!o.fields || !o.territories || !o.start || !o.end) {
          throw new CliUsageError("a licence listing needs --fields, --territories, --start and --end");
        }
        licence = {
          kind: o.licenceKind as LicenceKindName,
          sublicensable: o.sublicensable ?? false,
          fields: names(o.fields, FIELD_CLASSES, "--fields"),
          territories: names(o.territories, TERRITORIES, "--territories"),
          startDate: checkDate(o.start, "--start"),
          endDate: checkDate(o.end, "--end"),
        };
      }
      const { base, exchange } = await clients(command);
      const block = await base.runner.provider?.getBlock("latest");
      if (!block) throw new CliUsageError("the node returned no latest block");
      const r = await exchange.list({
        number,
        kind: o.kind,
        venue: resolveAccount(o.venue),
        ...(o.broker ? { broker: resolveAccount(o.broker) } : {}),
        token: tokenOf(base, o.token),
        price,
        expiresAt: BigInt(block.timestamp + Number(o.days) * 86_400),
        ...(licence ? { licence } : {}),
        contractHash,
      });
      ctx.deps.out(`listing #${r.listingId} of ${number} (${o.kind}, ${formatPrice(price)}): ${txLine(r)}`);
    });

  ex.command("show")
    .description("show a listing")
    .argument("<listingId>", "listing id")
    .option("--json", "print JSON")
    .action(async (id: string, opts: { json?: boolean }, command: Command) => {
      const { exchange } = await clients(command, false);
      const view = await exchange.getListing(parseId(id, "listing id"));
      if (opts.json) ctx.deps.out(toJson({ ...view, listing: undefined }));
      else for (const line of formatListing(view)) ctx.deps.out(line);
    });

  ex.command("buy")
    .description("buy at the listed price through your venue (approves the exchange if needed)")
    .argument("<listingId>", "listing id")
    .requiredOption("--venue <account>", "the buyer's venue")
    .option("--broker <account>", "a broker accredited by the buyer's venue")
    .action(async (id: string, o: { venue: string; broker?: string }, command: Command) => {
      const listingId = parseId(id, "listing id");
      const { exchange } = await clients(command);
      const r = await exchange.buy(listingId, resolveAccount(o.venue), o.broker ? resolveAccount(o.broker) : undefined);
      ctx.deps.out(`listing #${listingId} bought: ${txLine(r)}`);
    });

  ex.command("offer")
    .description("make an on-chain offer; the price is escrowed by the exchange")
    .argument("<listingId>", "listing id")
    .requiredOption("--venue <account>", "the buyer's venue")
    .requiredOption("--price <yuan>", "offered price in yuan")
    .option("--broker <account>", "a broker accredited by the buyer's venue")
    .action(async (id: string, o: { venue: string; price: string; broker?: string }, command: Command) => {
      const listingId = parseId(id, "listing id");
      const price = parsePrice(o.price);
      const { exchange } = await clients(command);
      const r = await exchange.makeOffer(listingId, resolveAccount(o.venue), price, o.broker ? resolveAccount(o.broker) : undefined);
      ctx.deps.out(`offer #${r.offerId} on listing #${listingId} (${formatPrice(price)} escrowed): ${txLine(r)}`);
    });

  ex.command("sign-offer")
    .description("sign an offer off-chain (EIP-712; no gas) for the seller to accept; approves the exchange")
    .argument("<listingId>", "listing id")
    .requiredOption("--venue <account>", "the buyer's venue")
    .requiredOption("--price <yuan>", "offered price in yuan")
    .option("--broker <account>", "a broker accredited by the buyer's venue")
    .option("--nonce <n>", "nonce (default: the next unused)")
    .option("--valid-days <n>", "days until the signature's deadline", "7")
    .option("--out <file>", "write the signed offer to this JSON file (default: print it)")
    .action(async (id: string, o: { venue: string; price: string; broker?: string; nonce?: string; validDays: string; out?: string }, command: Command) => {
      const listingId = parseId(id, "listing id");
      const price = parsePrice(o.price);
      if (o.nonce !== undefined && !/^\d+$/.test(o.nonce)) throw new CliUsageError(`--nonce "${o.nonce}" is not a whole number`);
      if (!/^\d+$/.test(o.validDays) || Number(o.validDays) === 0) throw new CliUsageError(`--valid-days "${o.validDays}" is not a positive whole number`);
      const { exchange } = await clients(command);
      const signed = await exchange.signOffer(listingId, resolveAccount(o.venue), price, {
        ...(o.broker ? { broker: resolveAccount(o.broker) } : {}),
        ...(o.nonce !== undefined ? { nonce: BigInt(o.nonce) } : {}),
        validSeconds: Number(o.validDays) * 86_400,
      });
      if (o.out) {
        writeFileSync(o.out, `${toJson(signed)}\n`);
        ctx.deps.out(`signed offer (nonce ${signed.offer.nonce}) on listing #${listingId} written to ${o.out}`);
      } else ctx.deps.out(toJson(signed));
    });

  ex.command("accept")
    .description("the seller accepts an on-chain offer (--offer) or a signed offer (--signed file); settles")
    .argument("<listingId>", "listing id")
    .option("--offer <id>", "an on-chain offer id")
    .option("--signed <file>", "a signed offer file from sign-offer")
    .action(async (id: string, o: { offer?: string; signed?: string }, command: Command) => {
      const listingId = parseId(id, "listing id");
      if ((o.offer === undefined) === (o.signed === undefined)) throw new CliUsageError("give exactly one of --offer and --signed");
      let signed: SignedOfferFile | undefined;
      if (o.signed !== undefined) signed = readSignedOffer(o.signed, listingId);
      const { exchange } = await clients(command);
      const r = signed
        ? await exchange.acceptSignedOffer(signed)
        : await exchange.acceptOffer(listingId, parseId(o.offer!, "offer id"));
      ctx.deps.out(`listing #${listingId} settled: ${txLine(r)}`);
    });

  ex.command("cancel")
    .description("cancel a listing (seller or listing venue), an on-chain offer (--offer) or a signed offer's nonce (--nonce)")
    .argument("[listingId]", "listing id")
    .option("--offer <id>", "withdraw this on-chain offer (buyer); the escrow is credited back")
    .option("--nonce <n>", "cancel the signed offer with this nonce (buyer)")
    .action(async (id: string | undefined, o: { offer?: string; nonce?: string }, command: Command) => {
      const given = [id, o.offer, o.nonce].filter((v) => v !== undefined).length;
      if (given !== 1) throw new CliUsageError("give exactly one of <listingId>, --offer and --nonce");
      if (o.nonce !== undefined && !/^\d+$/.test(o.nonce)) throw new CliUsageError(`--nonce "${o.nonce}" is not a whole number`);
      const { exchange } = await clients(command);
      if (id !== undefined) {
        const listingId = parseId(id, "listing id");
        ctx.deps.out(`listing #${listingId} cancelled: ${txLine(await exchange.cancel(listingId))}`);
      } else if (o.offer !== undefined) {
        const offerId = parseId(o.offer, "offer id");
        ctx.deps.out(`offer #${offerId} cancelled, escrow credited: ${txLine(await exchange.cancelOffer(offerId))}`);
      } else {
        ctx.deps.out(`signed offer nonce ${o.nonce} cancelled: ${txLine(await exchange.cancelSignedOffer(BigInt(o.nonce!)))}`);
      }
    });

  ex.command("settle")
    .description("record CNIPA's outcome of a patent sale awaiting registration: pays out, or refunds (registrar)")
    .argument("<listingId>", "listing id")
    .option("--reference <text>", "CNIPA registration reference (registers the transfer; pays out)")
    .option("--date <YYYY-MM-DD>", "registration date (default: today in China)")
    .option("--refuse <reason>", "CNIPA refused registration (refunds the buyer)")
    .action(async (id: string, o: { reference?: string; date?: string; refuse?: string }, command: Command) => {
      const listingId = parseId(id, "listing id");
      if ((o.reference === undefined) === (o.refuse === undefined)) throw new CliUsageError("give exactly one of --reference and --refuse");
      if (o.date !== undefined) checkDate(o.date, "--date");
      const { base, exchange } = await clients(command);
      const transferId = await exchange.saleTransferOf(listingId);
      if (transferId === null) throw new CliUsageError(`listing #${listingId} has no patent sale awaiting registration`);
      if (o.reference !== undefined) {
        const r = await base.registerTransfer(transferId, o.reference, o.date);
        ctx.deps.out(`listing #${listingId}: transfer #${transferId} registered, proceeds credited: ${txLine(r)}`);
      } else {
        const r = await base.refuseTransfer(transferId, o.refuse!);
        ctx.deps.out(`listing #${listingId}: transfer #${transferId} refused, buyer refunded: ${txLine(r)}`);
      }
    });

  ex.command("withdraw")
    .description("withdraw your balance (proceeds, fees, refunds) from the exchange")
    .option("--token <address>", "settlement token (default: the demo dCNY)")
    .action(async (o: { token?: string }, command: Command) => {
      const { base, exchange } = await clients(command);
      const r = await exchange.withdraw(tokenOf(base, o.token));
      ctx.deps.out(`withdrew ${formatPrice(r.amount)}: ${txLine(r)}`);
    });
}

function readSignedOffer(file: string, listingId: bigint): SignedOfferFile {
  let raw: { offer?: Record<string, string>; signature?: string };
  try {
    raw = JSON.parse(readFileSync(file, "utf8")) as typeof raw;
  } catch (err) {
    throw new CliUsageError(`cannot read ${file}: ${(err as Error).message}`);
  }
  const o = raw.offer;
  if (!o || typeof raw.signature !== "string") throw new CliUsageError(`${file} is not a signed offer (offer, signature)`);
  const offer = {
    listingId: BigInt(o.listingId ?? "0"),
    buyer: String(o.buyer),
    buyerVenue: String(o.buyerVenue),
    broker: String(o.broker),
    price: BigInt(o.price ?? "0"),
    token: String(o.token),
    nonce: BigInt(o.nonce ?? "0"),
    deadline: BigInt(o.deadline ?? "0"),
  };
  if (offer.listingId !== listingId) throw new CliUsageError(`${file} is an offer on listing #${offer.listingId}, not #${listingId}`);
  return { offer, signature: raw.signature };
}
