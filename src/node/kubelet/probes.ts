/** Container probes (readiness, liveness, startup) run for real: HTTP GET, TCP connect or exec. */
import type { NetStack } from '../../net/types.js';
import { KUBE_VERSION } from '../../apiserver/http/discovery.js';

/** The probe part of a container spec. */
export interface ProbeSpec {
  httpGet?: { path?: string; port: number | string; host?: string; scheme?: string; httpHeaders?: { name: string; value: string }[] };
  tcpSocket?: { port: number | string; host?: string };
  exec?: { command?: string[] };
  grpc?: { port: number; service?: string };
  initialDelaySeconds?: number;
  timeoutSeconds?: number;
  periodSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
}

/** What a probe needs from its container. */
export interface ProbeTarget {
  /** The node's stack: probes come from the node, as the kubelet's do. */
  from: NetStack;
  podIP: string;
  namedPort(name: string): number | undefined;
  exec(command: string[], timeoutMs: number): Promise<{ code: number; output: string }>;
}

/** One probe outcome with kube's failure message. */
export interface ProbeResult { ok: boolean; message: string }

function portOf(p: number | string, t: ProbeTarget): number | undefined {
  return typeof p === 'number' ? p : /^\d+$/.test(p) ? Number(p) : t.namedPort(p);
}

async function httpProbe(h: NonNullable<ProbeSpec['httpGet']>, t: ProbeTarget, timeoutMs: number): Promise<ProbeResult> {
  const port = portOf(h.port, t);
  const host = h.host || t.podIP;
  const url = `http://${host}:${port}${h.path ?? '/'}`;
  if (port === undefined) return { ok: false, message: `Get "${url}": invalid port` };
  let conn;
  try {
    conn = await t.from.connect({ ip: host, port }, { timeoutMs });
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why = code === 'ECONNREFUSED' ? `dial tcp ${host}:${port}: connect: connection refused` : 'context deadline exceeded (Client.Timeout exceeded while awaiting headers)';
    return { ok: false, message: `Get "${url}": ${why}` };
  }
  const headers = [`GET ${h.path ?? '/'} HTTP/1.1`, `Host: ${host}:${port}`, `User-Agent: kube-probe/${KUBE_VERSION.major}.${KUBE_VERSION.minor}`, 'Accept: */*', 'Connection: close',
    ...(h.httpHeaders ?? []).map((x) => `${x.name}: ${x.value}`)];
  return new Promise((resolve) => {
    let buf = '';
    const timer = setTimeout(() => { conn.destroy(); resolve({ ok: false, message: `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)` }); }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(buf);
      const code = m ? Number(m[1]) : 0;
      conn.destroy();
      if (code >= 200 && code < 400) resolve({ ok: true, message: '' });
      else resolve({ ok: false, message: code ? `HTTP probe failed with statuscode: ${code}` : `Get "${url}": EOF` });
    };
    conn.on('data', (d: Buffer) => { buf += d.toString('latin1'); if (/\r\n/.test(buf)) finish(); });
    conn.on('end', finish);
    conn.on('error', finish);
    conn.write(headers.join('\r\n') + '\r\n\r\n');
  });
}

/** Runs a probe once. */
export async function runProbe(p: ProbeSpec, t: ProbeTarget): Promise<ProbeResult> {
  const timeoutMs = (p.timeoutSeconds ?? 1) * 1000;
  if (p.httpGet) return httpProbe(p.httpGet, t, timeoutMs);
  if (p.tcpSocket) {
    const port = portOf(p.tcpSocket.port, t);
    const host = p.tcpSocket.host || t.podIP;
    try {
      const c = await t.from.connect({ ip: host, port: port ?? 0 }, { timeoutMs });
      c.destroy();
      return { ok: true, message: '' };
    } catch {
      return { ok: false, message: `dial tcp ${host}:${port}: connect: connection refused` };
    }
  }
  if (p.exec) {
    const r = await t.exec(p.exec.command ?? [], timeoutMs);
    if (r.code === 0) return { ok: true, message: '' };
    return { ok: false, message: r.output.trim() ? r.output : `command "${(p.exec.command ?? []).join(' ')}" exited with ${r.code}` };
  }
  return { ok: false, message: 'unsupported probe handler' };
}

/** Runs a probe on its schedule and reports threshold crossings. */
export class Prober {
  private timer?: NodeJS.Timeout;
  private successes = 0;
  private failures = 0;
  private stopped = false;
  /** The current verdict (undefined until the thresholds decide). */
  state: boolean | undefined;

  constructor(private readonly spec: ProbeSpec, private readonly target: ProbeTarget,
    private readonly onChange: (ok: boolean, message: string) => void, initial: boolean | undefined = undefined) {
    this.state = initial;
  }

  /** Starts probing after initialDelaySeconds. */
  start(): void {
    this.schedule((this.spec.initialDelaySeconds ?? 0) * 1000);
  }

  /** Stops probing. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    const r = await runProbe(this.spec, this.target);
    if (this.stopped) return;
    if (r.ok) { this.successes++; this.failures = 0; } else { this.failures++; this.successes = 0; }
    if (r.ok && this.successes >= (this.spec.successThreshold ?? 1) && this.state !== true) { this.state = true; this.onChange(true, ''); }
    if (!r.ok && this.failures >= (this.spec.failureThreshold ?? 3)) {
      if (this.state !== false) { this.state = false; }
      this.onChange(false, r.message);
      this.failures = 0;
    }
    this.schedule((this.spec.periodSeconds ?? 10) * 1000);
  }
}
