/**
 * Asking an upstream DNS server directly: a real UDP socket for loopback servers (the only real
 * sockets knet opens), the serving pod's virtual stack for servers on the cluster network. Falls
 * back to TCP when the answer is truncated (loopback). Never hangs: each try has a timeout.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket from 'dns-packet';
import type { Answer } from 'dns-packet';
import type { NetStack } from '../../../../net/types.js';
import type { DnsReply, Rcode } from '../../types.js';

/** An upstream server address. */
export interface Upstream { ip: string; port: number }

const RCODE_NAMES: Rcode[] = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];

/** Whether an address is on the host's loopback (where knet may open real sockets). */
export function isLoopback(ip: string): boolean {
  return ip.startsWith('127.') || ip === '::1';
}

function encode(name: string, type: string): { id: number; buf: Buffer } {
  const id = Math.floor(Math.random() * 65536);
  const buf = dnsPacket.encode({ id, type: 'query', flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type: type as 'A', class: 'IN' }] });
  return { id, buf };
}

/** Turns an upstream's reply message into a reply (owner names of the question echo the asked case). */
export function toReply(msg: Buffer, asked: string): DnsReply & { truncated: boolean } {
  const p = dnsPacket.decode(msg);
  const fix = (rrs: Answer[] | undefined): Answer[] => (rrs ?? []).filter((a) => a.type !== 'OPT').map((a) => (a.name.toLowerCase() === asked.toLowerCase() ? { ...a, name: asked } : a));
  const rcode = RCODE_NAMES[(p.flags ?? 0) & 0xf] ?? 'SERVFAIL';
  return { rcode, answers: fix(p.answers), authorities: fix(p.authorities), additionals: fix(p.additionals), cacheable: false, truncated: ((p.flags ?? 0) & dnsPacket.TRUNCATED_RESPONSE) !== 0 };
}

function overRealUdp(u: Upstream, q: { id: number; buf: Buffer }, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sock = dgram.createSocket(net.isIPv6(u.ip) ? 'udp6' : 'udp4');
    const done = (e?: Error, b?: Buffer): void => { clearTimeout(t); sock.close(); if (e) reject(e); else resolve(b!); };
    const t = setTimeout(() => done(new Error(`read udp ${u.ip}:${u.port}: i/o timeout`)), timeoutMs);
    sock.on('error', (e) => done(e));
    sock.on('message', (m) => { if (m.length >= 2 && m.readUInt16BE(0) === q.id) done(undefined, m); });
    sock.send(q.buf, u.port, u.ip);
  });
}

function overRealTcp(u: Upstream, q: { id: number; buf: Buffer }, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: u.ip, port: u.port });
    let buf = Buffer.alloc(0);
    const done = (e?: Error, b?: Buffer): void => { clearTimeout(t); s.destroy(); if (e) reject(e); else resolve(b!); };
    const t = setTimeout(() => done(new Error(`read tcp ${u.ip}:${u.port}: i/o timeout`)), timeoutMs);
    s.on('error', (e) => done(e));
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length > 65_537) done(new Error('reply too large'));
      else if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) done(undefined, buf.subarray(2, 2 + buf.readUInt16BE(0)));
    });
    const len = Buffer.alloc(2);
    len.writeUInt16BE(q.buf.length);
    s.write(Buffer.concat([len, q.buf]));
  });
}

function overStack(stack: NetStack, u: Upstream, q: { id: number; buf: Buffer }, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sock = stack.udp(0);
    const done = (e?: Error, b?: Buffer): void => { clearTimeout(t); sock.close(); if (e) reject(e); else resolve(b!); };
    const t = setTimeout(() => done(new Error(`read udp ${u.ip}:${u.port}: i/o timeout`)), timeoutMs);
    sock.onError?.((e) => done(new Error(`read udp ${u.ip}:${u.port}: ${e.code === 'ECONNREFUSED' ? 'connection refused' : e.message}`)));
    sock.onMessage((m) => { if (m.length >= 2 && m.readUInt16BE(0) === q.id) done(undefined, m); });
    sock.send(q.buf, u);
  });
}

/** Asks one upstream for name/type; rejects on timeout or a socket error. */
export async function exchange(u: Upstream, name: string, type: string, timeoutMs: number, stack?: NetStack): Promise<DnsReply> {
  const q = encode(name, type);
  if (isLoopback(u.ip)) {
    const r = toReply(await overRealUdp(u, q, timeoutMs), name);
    return r.truncated ? toReply(await overRealTcp(u, q, timeoutMs), name) : r;
  }
  if (!stack) throw new Error(`dial udp ${u.ip}:${u.port}: no pod network to reach it from`);
  return toReply(await overStack(stack, u, q, timeoutMs), name);
}
