/** Name resolution for built-in programs as glibc/Go do it: /etc/hosts, then DNS over the pod's UDP per /etc/resolv.conf. */
import { isIP } from 'node:net';
import type { ProcessContext } from '../types.js';

/** A resolved address, or the Go-style error text (`lookup x on 10.96.0.10:53: no such host`). */
export type Lookup = { ip: string } | { error: string };

interface ResolvConf { nameservers: string[]; search: string[]; ndots: number; timeoutMs: number }

/** Parses /etc/resolv.conf text. */
export function parseResolvConf(text: string): ResolvConf {
  const rc: ResolvConf = { nameservers: [], search: [], ndots: 1, timeoutMs: 5000 };
  for (const line of text.split('\n')) {
    const [k, ...rest] = line.trim().split(/\s+/);
    if (k === 'nameserver' && rest[0]) rc.nameservers.push(rest[0]);
    else if (k === 'search' || k === 'domain') rc.search = rest;
    else if (k === 'options') {
      for (const o of rest) {
        const [n, v] = o.split(':');
        if (n === 'ndots' && v) rc.ndots = Math.min(15, Number(v));
        if (n === 'timeout' && v) rc.timeoutMs = Number(v) * 1000;
      }
    }
  }
  return rc;
}

function fromHosts(text: string, name: string): string | undefined {
  for (const line of text.split('\n')) {
    const [ip, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
    if (ip && isIP(ip) === 4 && names.some((n) => n.toLowerCase() === name.toLowerCase())) return ip;
  }
  return undefined;
}

function encodeQuery(id: number, name: string): Buffer {
  const parts = name.replace(/\.$/, '').split('.').filter(Boolean);
  const q = Buffer.concat([...parts.map((p) => Buffer.concat([Buffer.from([p.length]), Buffer.from(p)])), Buffer.from([0, 0, 1, 0, 1])]);
  const h = Buffer.alloc(12);
  h.writeUInt16BE(id, 0); h.writeUInt16BE(0x0100, 2); h.writeUInt16BE(1, 4);
  return Buffer.concat([h, q]);
}

function skipName(b: Buffer, off: number): number {
  while (off < b.length) {
    const len = b[off] ?? 0;
    if (len === 0) return off + 1;
    if ((len & 0xc0) === 0xc0) return off + 2;
    off += len + 1;
  }
  return off;
}

/** Decodes a DNS answer: rcode and the A records. */
export function decodeAnswer(b: Buffer): { id: number; rcode: number; ips: string[] } {
  const id = b.readUInt16BE(0);
  const rcode = b.readUInt16BE(2) & 0xf;
  const qd = b.readUInt16BE(4), an = b.readUInt16BE(6);
  let off = 12;
  for (let i = 0; i < qd; i++) off = skipName(b, off) + 4;
  const ips: string[] = [];
  for (let i = 0; i < an && off < b.length; i++) {
    off = skipName(b, off);
    const type = b.readUInt16BE(off), len = b.readUInt16BE(off + 8);
    if (type === 1 && len === 4) ips.push([...b.subarray(off + 10, off + 14)].join('.'));
    off += 10 + len;
  }
  return { id, rcode, ips };
}

function query(ctx: ProcessContext, server: string, name: string, timeoutMs: number): Promise<{ rcode: number; ips: string[] } | 'timeout'> {
  const sock = ctx.net.udp(0);
  const id = Math.floor(Math.random() * 65535);
  return new Promise((resolve) => {
    const t = setTimeout(() => { sock.close(); resolve('timeout'); }, timeoutMs);
    sock.onMessage((data) => {
      try {
        const a = decodeAnswer(data);
        if (a.id !== id) return;
        clearTimeout(t); sock.close(); resolve(a);
      } catch { /* malformed: keep waiting */ }
    });
    sock.send(encodeQuery(id, name), { ip: server, port: 53 });
  });
}

/** Resolves a host name to an IPv4 address the way a Go program in the pod would. */
export async function lookupHost(ctx: ProcessContext, host: string, timeoutMs?: number): Promise<Lookup> {
  if (isIP(host)) return { ip: host };
  const hosts = fromHosts(ctx.fs.read('/etc/hosts')?.toString() ?? '', host);
  if (hosts) return { ip: hosts };
  const rc = parseResolvConf(ctx.fs.read('/etc/resolv.conf')?.toString() ?? '');
  const server = rc.nameservers[0];
  if (!server) return { error: `lookup ${host}: no such host` };
  const absolute = host.endsWith('.');
  const dots = host.split('.').length - 1;
  const names = absolute ? [host] : [
    ...(dots >= rc.ndots ? [host] : []), ...rc.search.map((s) => `${host}.${s}`), ...(dots < rc.ndots ? [host] : []),
  ];
  for (const n of names) {
    const r = await query(ctx, server, n, timeoutMs ?? rc.timeoutMs);
    if (r === 'timeout') return { error: `lookup ${host} on ${server}:53: read udp ${ctx.pod.ip}:${40000 + Math.floor(Math.random() * 20000)}->${server}:53: i/o timeout` };
    if (r.ips[0]) return { ip: r.ips[0] };
  }
  return { error: `lookup ${host} on ${server}:53: no such host` };
}
