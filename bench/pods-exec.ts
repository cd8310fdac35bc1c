/**
 * Exec round trips for the pods benchmark: a minimal `v5.channel.k8s.io` WebSocket client (what
 * kubectl 1.30+ speaks) against a `knet up` child, and timed `kubectl exec` runs for comparison.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { WebSocket } from 'ws';

interface Kubeconfig {
  clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
  users: { user: { 'client-certificate-data': string; 'client-key-data': string } }[];
}

/** One finished exec: what it printed on stdout, its Status (channel 3) and how long it took. */
export interface ExecResult { stdout: string; status: { status?: string; message?: string }; ms: number }

/** A WebSocket exec client for the cluster of a kubeconfig written by `knet up --kubeconfig`. */
export class ExecClient {
  private readonly base: string;
  private readonly tls: { ca: Buffer; cert: Buffer; key: Buffer };

  constructor(kubeconfigPath: string) {
    const kc = parse(readFileSync(kubeconfigPath, 'utf8')) as Kubeconfig;
    const b64 = (s: string) => Buffer.from(s, 'base64');
    const url = new URL(kc.clusters[0]!.cluster.server);
    if (url.hostname !== '127.0.0.1') throw new Error(`refusing to benchmark a non-loopback server ${url.host}`);
    this.base = `wss://${url.host}`;
    const user = kc.users[0]!.user;
    this.tls = { ca: b64(kc.clusters[0]!.cluster['certificate-authority-data']), cert: b64(user['client-certificate-data']), key: b64(user['client-key-data']) };
  }

  /** Runs a command in a pod over one WebSocket; resolves when the server closes it. */
  exec(ns: string, pod: string, command: string[]): Promise<ExecResult> {
    const q = command.map((c) => `command=${encodeURIComponent(c)}`).join('&');
    const url = `${this.base}/api/v1/namespaces/${ns}/pods/${pod}/exec?${q}&stdout=true&stderr=true`;
    const t0 = performance.now();
    return new Promise((ok, fail) => {
      const ws = new WebSocket(url, ['v5.channel.k8s.io'], { ...this.tls, perMessageDeflate: false });
      let stdout = '';
      let status: ExecResult['status'] = {};
      ws.on('message', (raw: Buffer) => {
        if (raw[0] === 1) stdout += raw.subarray(1).toString();
        else if (raw[0] === 3) status = JSON.parse(raw.subarray(1).toString()) as ExecResult['status'];
      });
      ws.on('unexpected-response', (_req, res) => fail(new Error(`exec upgrade: HTTP ${res.statusCode}`)));
      ws.on('error', fail);
      ws.on('close', () => ok({ stdout, status, ms: performance.now() - t0 }));
    });
  }
}

/** Times `kubectl exec <pod> -- <command>` runs (kubectl start-up, discovery, GET pod, then the stream). */
export function kubectlExecTimes(kubeconfig: string, env: NodeJS.ProcessEnv, pod: string, command: string[], runs: number): number[] | string {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync('kubectl', ['--kubeconfig', kubeconfig, 'exec', pod, '--', ...command], { env, encoding: 'utf8', timeout: 30_000 });
    if (r.error) return `kubectl not runnable: ${r.error.message}`;
    if (r.status !== 0) return `kubectl exec exited ${r.status}: ${(r.stderr || r.stdout).trim().slice(0, 200)}`;
    out.push(performance.now() - t0);
  }
  return out;
}
