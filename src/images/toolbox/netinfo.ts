/** ping (ICMP is not modelled: a reachability probe with small fake round-trip times), `ip addr` and ifconfig. */
import type { ProcessContext, Program } from '../types.js';
import { NetError } from '../../net/types.js';
import { resolveHost } from './resolver.js';
import { sleep } from '../shell/streams.js';

/** Whether an address answers on the network (a stack owns it; services and unknown IPs do not answer ICMP). */
async function reachable(ctx: ProcessContext, ip: string): Promise<boolean> {
  if (ip.startsWith('127.') || ctx.net.ips.includes(ip)) return true;
  try { (await ctx.net.connect({ ip, port: 9 }, { timeoutMs: 30 })).destroy(); return true; } catch (e) {
    return e instanceof NetError && e.code === 'ECONNREFUSED';
  }
}

/** ping in busybox or iputils wording. */
export function pingProgram(flavour: 'busybox' | 'iputils'): Program {
  return async (ctx) => {
    let count = Infinity; let intervalMs = 1000; let deadlineMs: number | undefined;
    const pos: string[] = [];
    const a = ctx.argv.slice(1);
    for (let i = 0; i < a.length; i++) {
      const x = a[i]!;
      if (x === '-c') count = Number(a[++i]); else if (x.startsWith('-c')) count = Number(x.slice(2));
      else if (x === '-i') intervalMs = Number(a[++i]) * 1000;
      else if (x === '-w' || x === '-W') deadlineMs = Number(a[++i]) * 1000;
      else if (!x.startsWith('-')) pos.push(x);
    }
    const host = pos[0];
    if (!host) { ctx.stderr.write(flavour === 'busybox' ? 'BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: ping [OPTIONS] HOST\n' : 'ping: usage error: Destination address required\n'); return flavour === 'busybox' ? 1 : 2; }
    const r = await resolveHost({ fs: ctx.fs, net: ctx.net, signal: ctx.signal }, host);
    if (!r.ok) { ctx.stderr.write(flavour === 'busybox' ? `ping: bad address '${host}'\n` : `ping: ${host}: Name or service not known\n`); return flavour === 'busybox' ? 1 : 2; }
    const ip = r.addrs[0]!;
    const up = await reachable(ctx, ip);
    ctx.stdout.write(flavour === 'busybox' ? `PING ${host} (${ip}): 56 data bytes\n` : `PING ${host} (${ip}) 56(84) bytes of data.\n`);
    const times: number[] = [];
    let sent = 0;
    const start = Date.now();
    while (sent < count && !ctx.signal.aborted && (deadlineMs === undefined || Date.now() - start < deadlineMs)) {
      if (up) {
        const t = 0.04 + Math.random() * 0.06;
        times.push(t);
        ctx.stdout.write(flavour === 'busybox' ? `64 bytes from ${ip}: seq=${sent} ttl=64 time=${t.toFixed(3)} ms\n` : `64 bytes from ${ip}: icmp_seq=${sent + 1} ttl=64 time=${t.toFixed(3)} ms\n`);
      }
      sent++;
      if (sent < count && !(await sleep(intervalMs, ctx.signal))) break;
    }
    const got = times.length;
    const loss = sent ? Math.round(((sent - got) / sent) * 100) : 0;
    if (flavour === 'busybox') {
      ctx.stdout.write(`\n--- ${host} ping statistics ---\n${sent} packets transmitted, ${got} packets received, ${loss}% packet loss\n`);
      if (got) ctx.stdout.write(`round-trip min/avg/max = ${Math.min(...times).toFixed(3)}/${(times.reduce((x, y) => x + y, 0) / got).toFixed(3)}/${Math.max(...times).toFixed(3)} ms\n`);
    } else {
      ctx.stdout.write(`\n--- ${host} ping statistics ---\n${sent} packets transmitted, ${got} received, ${loss}% packet loss, time ${Math.max(0, (sent - 1) * intervalMs)}ms\n`);
      if (got) ctx.stdout.write(`rtt min/avg/max/mdev = ${Math.min(...times).toFixed(3)}/${(times.reduce((x, y) => x + y, 0) / got).toFixed(3)}/${Math.max(...times).toFixed(3)}/0.010 ms\n`);
    }
    return got ? 0 : 1;
  };
}

function mac(ip: string): string {
  const p = ip.split('.').map((x) => Number(x).toString(16).padStart(2, '0'));
  return `0a:58:${p.join(':')}`;
}

/** `ip addr` / `ip a` / `ip route` (enough for the usual look at eth0). */
export const ip: Program = async (ctx) => {
  const sub = ctx.argv[1] ?? '';
  const podIp = ctx.pod.ip;
  const prefix = podIp.split('.').slice(0, 3).join('.');
  if ('route'.startsWith(sub) && sub.startsWith('r')) {
    ctx.stdout.write(`default via ${prefix}.1 dev eth0 \n${prefix}.0/24 dev eth0 scope link  src ${podIp} \n`);
    return 0;
  }
  if (!sub || !('address'.startsWith(sub) || 'link'.startsWith(sub))) {
    ctx.stderr.write(`Object "${sub}" is unknown, try "ip help".\n`);
    return 1;
  }
  ctx.stdout.write(`1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN qlen 1000\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n`);
  if (sub.startsWith('a')) ctx.stdout.write('    inet 127.0.0.1/8 scope host lo\n       valid_lft forever preferred_lft forever\n');
  ctx.stdout.write(`2: eth0@if${(Number(podIp.split('.')[3]) || 0) + 2}: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1500 qdisc noqueue state UP \n    link/ether ${mac(podIp)} brd ff:ff:ff:ff:ff:ff\n`);
  if (sub.startsWith('a')) ctx.stdout.write(`    inet ${podIp}/24 brd ${prefix}.255 scope global eth0\n       valid_lft forever preferred_lft forever\n`);
  return 0;
};

/** busybox ifconfig. */
export const ifconfig: Program = async (ctx) => {
  const podIp = ctx.pod.ip;
  const prefix = podIp.split('.').slice(0, 3).join('.');
  ctx.stdout.write(`eth0      Link encap:Ethernet  HWaddr ${mac(podIp).toUpperCase()}  \n          inet addr:${podIp}  Bcast:${prefix}.255  Mask:255.255.255.0\n          UP BROADCAST RUNNING MULTICAST  MTU:1500  Metric:1\n\n`);
  ctx.stdout.write('lo        Link encap:Local Loopback  \n          inet addr:127.0.0.1  Mask:255.0.0.0\n          UP LOOPBACK RUNNING  MTU:65536  Metric:1\n\n');
  return 0;
};
