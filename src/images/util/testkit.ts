/** Test helpers: a process context on a virtual network, and raw HTTP/TCP/UDP clients. */
import { PassThrough } from 'node:stream';
import type { Addr, NetStack } from '../../net/types.js';
import { MemoryFileSystem } from '../fs.js';
import type { ClusterServices, ImageDef, PodInfo, ProcessContext } from '../types.js';

/** A running program under test. */
export interface Running { ctx: ProcessContext; done: Promise<number>; out(): string; err(): string; stop(reason?: string): Promise<number> }

/** Runs argv from an image on a stack with captured stdio. */
export function run(image: ImageDef, argv: string[], net: NetStack, opts: { pod?: Partial<PodInfo>; env?: Record<string, string>; ports?: ProcessContext['ports']; cluster?: ClusterServices } = {}): Running {
  const ac = new AbortController();
  const stdout = new PassThrough(), stderr = new PassThrough();
  let out = '', err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const pod: PodInfo = {
    namespace: 'default', name: 'web-0', uid: 'u1', ip: net.ips.find((i) => i !== '127.0.0.1') ?? '10.244.0.5', nodeName: 'knet-worker',
    nodeIP: '127.0.10.1', hostname: 'web-0', containerName: 'main', image: image.repositories[0] ?? 'x', labels: {}, ...opts.pod,
  };
  const fs = new MemoryFileSystem(image.files ?? {});
  const ctx: ProcessContext = {
    argv, env: { ...image.env, ...opts.env }, cwd: '/', stdin: null, stdout, stderr, signal: ac.signal, pod, net, fs, cluster: opts.cluster ?? {},
    ...(opts.ports ? { ports: opts.ports } : {}),
    spawn: async (a, io) => {
      const prog = image.programs[(a[0] ?? '').split('/').pop() ?? ''];
      if (!prog) return 127;
      return prog({ ...ctx, argv: a, stdin: io.stdin, stdout: io.stdout, stderr: io.stderr });
    },
  };
  const name = (argv[0] ?? '').split('/').pop() ?? '';
  const prog = image.programs[name];
  if (!prog) throw new Error(`no program ${name}`);
  const done = prog(ctx);
  return { ctx, done, out: () => out, err: () => err, stop: (reason = 'SIGTERM') => { ac.abort(reason); return done; } };
}

/** Sends raw bytes over TCP and collects everything until the peer closes or `idleMs` passes quietly. */
export async function rawTcp(net: NetStack, to: Addr, data: string | Buffer, idleMs = 100): Promise<string> {
  const conn = await net.connect(to);
  return new Promise((resolve) => {
    let buf = '';
    let t = setTimeout(() => { conn.destroy(); resolve(buf); }, idleMs);
    conn.on('data', (d: Buffer) => { buf += d.toString(); clearTimeout(t); t = setTimeout(() => { conn.destroy(); resolve(buf); }, idleMs); });
    conn.on('end', () => { clearTimeout(t); conn.end(); resolve(buf); });
    conn.on('error', () => { clearTimeout(t); resolve(buf); });
    if (data.length) conn.write(data);
  });
}

/** A curl-like GET: HTTP/1.1 with Host, User-Agent and Accept, then closes; returns the raw response. */
export function curl(net: NetStack, ip: string, port: number, path = '/', extra = ''): Promise<string> {
  return rawTcp(net, { ip, port }, `GET ${path} HTTP/1.1\r\nHost: ${ip}${port === 80 ? '' : ':' + port}\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n${extra}\r\n`);
}

/** Splits a raw HTTP response into status line, headers (in order) and body. */
export function parseResponse(raw: string): { status: string; headers: [string, string][]; body: string } {
  const i = raw.indexOf('\r\n\r\n');
  const [status = '', ...lines] = raw.slice(0, i).split('\r\n');
  return { status, headers: lines.map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]), body: raw.slice(i + 4) };
}

/** Sends one UDP datagram and waits for one answer (undefined after `ms`). */
export function udpAsk(net: NetStack, to: Addr, data: string, ms = 200): Promise<string | undefined> {
  const s = net.udp(0);
  return new Promise((resolve) => {
    const t = setTimeout(() => { s.close(); resolve(undefined); }, ms);
    s.onMessage((d) => { clearTimeout(t); s.close(); resolve(d.toString()); });
    s.send(Buffer.from(data), to);
  });
}

/** Waits until `cond` holds (polling), failing after `ms`. */
export async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}
