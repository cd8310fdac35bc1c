/** netcat in busybox and OpenBSD flavours: -z -v -w -u -l -p, piping stdin and the connection. */
import type { ProcessContext, Program } from '../types.js';
import { NetError, type Conn } from '../../net/types.js';
import { resolveHost } from './resolver.js';
import { sleep } from '../shell/streams.js';

const SERVICES: Record<number, string> = { 22: 'ssh', 25: 'smtp', 53: 'domain', 80: 'http', 443: 'https', 3306: 'mysql', 5432: 'postgresql', 6379: 'redis', 8080: 'http-alt' };

/** Copies stdin to the connection and the connection to stdout until either side ends (or -w idles out). */
function pump(ctx: ProcessContext, conn: Conn, idleMs?: number): Promise<number> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const bump = (): void => { if (idleMs) { if (timer) clearTimeout(timer); timer = setTimeout(() => done(0), idleMs); } };
    const done = (code: number): void => { if (timer) clearTimeout(timer); ctx.signal.removeEventListener('abort', onAbort); ctx.stdin?.off('data', onIn); conn.destroy(); resolve(code); };
    const onAbort = (): void => done(130);
    const onIn = (d: Buffer): void => { conn.write(d); bump(); };
    conn.on('data', (d: Buffer) => { ctx.stdout.write(d); bump(); });
    conn.on('end', () => done(0));
    conn.on('error', () => done(1));
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    if (ctx.stdin) { ctx.stdin.on('data', onIn); ctx.stdin.once('end', () => { conn.end(); bump(); }); ctx.stdin.resume(); }
    bump();
  });
}

/** Builds nc; `openbsd` selects the OpenBSD wording (netshoot, Debian's netcat-openbsd). */
export function ncProgram(flavour: 'busybox' | 'openbsd'): Program {
  return async (ctx) => {
    let zero = false; let verbose = false; let udp = false; let listen = false; let waitMs: number | undefined; let lport: number | undefined;
    const pos: string[] = [];
    const a = ctx.argv.slice(1);
    for (let i = 0; i < a.length; i++) {
      const x = a[i]!;
      if (/^-[a-zA-Z]+$/.test(x)) {
        for (const [j, f] of [...x.slice(1)].entries()) {
          if (f === 'z') zero = true; else if (f === 'v') verbose = true; else if (f === 'u') udp = true; else if (f === 'l') listen = true;
          else if (f === 'w' || f === 'p' || f === 'q' || f === 's' || f === 'i') {
            const v = x.slice(j + 2) || a[++i] || '';
            if (f === 'w') waitMs = Number(v) * 1000; if (f === 'p') lport = Number(v);
            break;
          }
        }
      } else pos.push(x);
    }
    if (listen) {
      const port = lport ?? Number(pos[pos.length - 1]);
      if (udp) {
        const l = ctx.net.listenUdp(port, (d) => { ctx.stdout.write(d); });
        await new Promise((r) => ctx.signal.addEventListener('abort', r, { once: true }));
        l.close();
        return 0;
      }
      if (verbose) ctx.stderr.write(flavour === 'busybox' ? `listening on [::]:${port} ...\n` : `Listening on 0.0.0.0 ${port}\n`);
      const conn = await new Promise<Conn | null>((resolve) => {
        const l = ctx.net.listen(port, (c) => { l.close(); resolve(c); });
        ctx.signal.addEventListener('abort', () => { l.close(); resolve(null); }, { once: true });
      });
      if (!conn) return 130;
      if (verbose) ctx.stderr.write(flavour === 'busybox' ? `connect to [${conn.local.ip}]:${port} from [${conn.remote.ip}]:${conn.remote.port} ([${conn.remote.ip}]:${conn.remote.port})\n` : `Connection received on ${conn.remote.ip} ${conn.remote.port}\n`);
      return pump(ctx, conn);
    }
    const host = pos[0];
    const ports = (pos[1] ?? '').split('-').map(Number);
    if (!host || !ports[0]) { ctx.stderr.write(flavour === 'busybox' ? 'BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: nc [OPTIONS] HOST PORT  - connect\nnc [OPTIONS] -l -p PORT [HOST] [PORT]  - listen\n' : 'usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]\n'); return 1; }
    const r = await resolveHost({ fs: ctx.fs, net: ctx.net, signal: ctx.signal }, host);
    if (!r.ok) { ctx.stderr.write(flavour === 'busybox' ? `nc: bad address '${host}'\n` : `nc: getaddrinfo for host "${host}" port ${ports[0]}: Name does not resolve\n`); return 1; }
    const ip = r.addrs[0]!;
    if (udp) {
      const sock = ctx.net.udp();
      sock.onMessage((d) => ctx.stdout.write(d));
      if (zero) { if (verbose) ctx.stderr.write(flavour === 'busybox' ? `${host} (${ip}:${ports[0]}) open\n` : `Connection to ${host} ${ports[0]} port [udp/*] succeeded!\n`); sock.close(); return 0; }
      ctx.stdin?.on('data', (d: Buffer) => sock.send(d, { ip, port: ports[0]! }));
      await Promise.race([new Promise((res) => ctx.stdin?.once('end', res) ?? res(null)), new Promise((res) => ctx.signal.addEventListener('abort', res, { once: true }))]);
      await sleep(waitMs ?? 1000, ctx.signal);
      sock.close();
      return 0;
    }
    let code = 0;
    for (let port = ports[0]!; port <= (ports[1] ?? ports[0]!); port++) {
      let conn: Conn;
      try { conn = await ctx.net.connect({ ip, port }, { timeoutMs: waitMs || undefined, signal: ctx.signal }); } catch (e) {
        if (e instanceof NetError && e.code === 'EINTR') return 130;
        const why = e instanceof NetError && e.code === 'ETIMEDOUT' ? (flavour === 'busybox' ? 'Connection timed out' : 'Operation timed out') : 'Connection refused';
        if (flavour === 'busybox') { if (verbose || !zero) ctx.stderr.write(`nc: ${host} (${ip}:${port}): ${why}\n`); }
        else if (verbose) ctx.stderr.write(`nc: connect to ${host} port ${port} (tcp) failed: ${why}\n`);
        code = 1;
        continue;
      }
      if (zero) {
        if (verbose) ctx.stderr.write(flavour === 'busybox' ? `${host} (${ip}:${port}) open\n` : `Connection to ${host} ${port} port [tcp/${SERVICES[port] ?? '*'}] succeeded!\n`);
        conn.destroy();
        code = 0;
        continue;
      }
      if (verbose && flavour === 'openbsd') ctx.stderr.write(`Connection to ${host} ${port} port [tcp/${SERVICES[port] ?? '*'}] succeeded!\n`);
      return pump(ctx, conn, waitMs);
    }
    return code;
  };
}
