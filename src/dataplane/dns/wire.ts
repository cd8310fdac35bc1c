/**
 * DNS wire format (via dns-packet): parsing queries with the checks a server owes (drop responses
 * and runts, FORMERR for undecodable or multi-question queries, NOTIMP for other opcodes, BADVERS
 * for EDNS versions above 0) and encoding replies with EDNS0 and UDP truncation (TC bit).
 */
import dnsPacket from 'dns-packet';
import type { Answer, Packet, Question } from 'dns-packet';
import type { DnsReply, Rcode } from './types.js';

/** A query the chain can answer. */
export interface ParsedQuery {
  id: number;
  rd: boolean;
  question: Question;
  /** Advertised EDNS0 UDP size, when the query carried an OPT record. */
  edns?: number;
}

/** The outcome of parsing: a query, a ready reply (errors), or nothing (drop). */
export type ParseResult = { query: ParsedQuery } | { reply: Buffer } | { drop: true };

const RCODES: Record<Rcode, number> = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 };
const QR = 0x8000, AA = 0x0400, TC = 0x0200, RD = 0x0100, RA = 0x0080;
/** Largest UDP reply we send (a datagram's payload limit). */
const MAX_UDP = 65_000;

/** A header-only error reply echoing id, opcode and RD. */
export function headerReply(query: Buffer, rcode: Rcode): Buffer {
  const b = Buffer.alloc(12);
  b.writeUInt16BE(query.readUInt16BE(0), 0);
  const flags = query.readUInt16BE(2);
  b.writeUInt16BE(QR | (flags & 0x7800) | (flags & RD) | RCODES[rcode], 2);
  return b;
}

/** Parses a wire-format query. */
export function parseQuery(buf: Buffer): ParseResult {
  if (buf.length < 12) return { drop: true };
  const flags = buf.readUInt16BE(2);
  if (flags & QR) return { drop: true };
  if ((flags & 0x7800) !== 0) return { reply: headerReply(buf, 'NOTIMP') };
  let p: dnsPacket.DecodedPacket;
  try {
    p = dnsPacket.decode(buf);
  } catch {
    return { reply: headerReply(buf, 'FORMERR') };
  }
  const q = p.questions?.[0];
  const opts = (p.additionals ?? []).filter((a) => a.type === 'OPT');
  if (!q || (p.questions?.length ?? 0) !== 1 || opts.length > 1 || typeof q.name !== 'string') return { reply: headerReply(buf, 'FORMERR') };
  const query: ParsedQuery = { id: p.id ?? 0, rd: (flags & RD) !== 0, question: { name: q.name, type: q.type, class: q.class ?? 'IN' } };
  const opt = opts[0] as (Answer & { udpPayloadSize?: number; ednsVersion?: number }) | undefined;
  if (opt) {
    query.edns = opt.udpPayloadSize ?? 512;
    if ((opt.ednsVersion ?? 0) > 0) return { reply: encodeReply(query, { rcode: 'NOERROR', answers: [] }, 'udp', 1) };
  }
  return { query };
}

function packet(q: ParsedQuery, r: DnsReply, truncated: boolean, extended: number): Packet {
  const flags = (r.authoritative ? AA : 0) | (q.rd ? RD : 0) | RA | (truncated ? TC : 0) | RCODES[r.rcode];
  const additionals: Answer[] = truncated ? [] : [...(r.additionals ?? [])];
  if (q.edns !== undefined) additionals.push({ type: 'OPT', name: '.', udpPayloadSize: Math.max(512, Math.min(q.edns, 4096)), extendedRcode: extended, ednsVersion: 0, flags: 0, options: [] } as unknown as Answer);
  return {
    id: q.id, type: 'response', flags, questions: [q.question],
    answers: truncated ? [] : r.answers, authorities: truncated ? [] : (r.authorities ?? []), additionals,
  };
}

/** The UDP size limit for a query: its EDNS0 size (at least 512), else 512. */
export function udpLimit(q: ParsedQuery): number {
  return q.edns === undefined ? 512 : Math.min(MAX_UDP, Math.max(512, q.edns));
}

/** Encodes a reply; over UDP a reply larger than the client's limit becomes an empty one with TC set. */
export function encodeReply(q: ParsedQuery, r: DnsReply, transport: 'udp' | 'tcp', extendedRcode = 0): Buffer {
  const full = dnsPacket.encode(packet(q, r, false, extendedRcode));
  const limit = transport === 'udp' ? udpLimit(q) : 65_535;
  if (full.length <= limit) return full;
  return dnsPacket.encode(packet(q, r, true, extendedRcode));
}
