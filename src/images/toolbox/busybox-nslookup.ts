/**
 * busybox's nslookup by version: up to 1.28 the small applet over the C library (getaddrinfo with
 * the search list and ndots, then a reverse lookup of every address: `Address 1: IP NAME`); from
 * 1.29 the rewritten one (its own queries, search list only for names without a dot). The version
 * comes from the pod's image tag (`busybox:1.28`, `busybox:1.28.4-glibc`); no tag or `latest` is new.
 */
import type { ProcessContext, Program } from '../types.js';
import { parseImageRef } from '../ref.js';
import { dctx, rdata, reverseName, type Ans } from './bind.js';
import { nslookupProgram } from './nslookup.js';
import { candidates, hostsLookup, query, readResolvConf, type ResolvConf } from './resolver.js';

/** Whether the pod's image is a busybox release with the small nslookup (before 1.29.0). */
export function oldBusybox(image: string): boolean {
  const { repository, tag } = parseImageRef(image);
  const m = /^(\d+)\.(\d+)/.exec(tag ?? '');
  return repository === 'busybox' && !!m && (Number(m[1]) < 1 || (Number(m[1]) === 1 && Number(m[2]) < 29));
}

/** getaddrinfo's IPv4 answer for a name: the search list per ndots, as the C library resolves. */
async function addresses(ctx: ProcessContext, name: string, conf: ResolvConf): Promise<string[] | undefined> {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return [name];
  const fromHosts = hostsLookup(ctx.fs, name);
  if (fromHosts) return [fromHosts];
  for (const n of candidates(name, conf)) {
    const r = await query(dctx(ctx), conf.nameservers[0]!, n, 'A', conf.timeoutMs);
    if (r.timedOut) return undefined;
    const ips = (r.answers as Ans[]).filter((a) => a.type === 'A').map(rdata);
    if (r.rcode === 'NOERROR' && ips.length) return ips;
  }
  return undefined;
}

/** The name an address maps back to (the C library's getnameinfo: /etc/hosts, then PTR), if any. */
async function reverse(ctx: ProcessContext, ip: string, conf: ResolvConf): Promise<string | undefined> {
  for (const line of (ctx.fs.read('/etc/hosts')?.toString() ?? '').split('\n')) {
    const [addr, first] = line.replace(/#.*/, '').trim().split(/\s+/);
    if (addr === ip && first) return first;
  }
  const r = await query(dctx(ctx), conf.nameservers[0]!, reverseName(ip)!, 'PTR', conf.timeoutMs);
  const ptr = (r.answers as Ans[]).find((a) => a.type === 'PTR');
  return ptr ? rdata(ptr).replace(/\.$/, '') : undefined;
}

/** One block of busybox 1.28's output (`%-10s %s`, then `Address N: IP [NAME]`); false when the name does not resolve. */
async function printHost(ctx: ProcessContext, name: string, header: string, conf: ResolvConf): Promise<boolean> {
  const ips = await addresses(ctx, name, conf);
  if (!ips) {
    ctx.stderr.write(`nslookup: can't resolve '${name}'\n`);
    return false;
  }
  let out = `${header.padEnd(10)} ${name}\n`;
  let i = 0;
  for (const ip of ips) {
    const back = await reverse(ctx, ip, conf);
    out += `Address ${++i}: ${ip}${back ? ` ${back}` : ''}\n`;
  }
  ctx.stdout.write(`${out}\n`);
  return true;
}

/** busybox 1.28's nslookup: `nslookup HOST [DNS_SERVER]`. */
const smallNslookup: Program = async (ctx) => {
  const [name, server] = ctx.argv.slice(1).filter((a) => !a.startsWith('-'));
  if (!name) {
    ctx.stderr.write('BusyBox v1.28.4 (2018-05-22 17:00:17 UTC) multi-call binary.\n\nUsage: nslookup [HOST] [SERVER]\n\nQuery the nameserver for the IP address of the given HOST\noptionally using a specified DNS server\n');
    return 1;
  }
  const conf = readResolvConf(ctx.fs);
  if (server) conf.nameservers.unshift(server);
  await printHost(ctx, conf.nameservers[0]!, 'Server:', conf);
  return (await printHost(ctx, name, 'Name:', conf)) ? 0 : 1;
};

const newNslookup = nslookupProgram(false);

/** busybox's nslookup, old or new by the pod's image tag. */
export const busyboxNslookup: Program = (ctx) => (oldBusybox(ctx.pod.image) ? smallNslookup(ctx) : newNslookup(ctx));
