/**
 * End-to-end harness: starts a real `knet up` process (ephemeral, on a free port, with its own
 * kubeconfig) and runs the real kubectl binaries against it with a fresh --cache-dir.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type AddressInfo } from 'node:net';
import { once } from 'node:events';
import { runFile, type RunInfo } from '../../src/runtime/state.js';
import { knetCommand } from '../../src/runtime/self.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The repository root (dist/test/e2e → ../../..). */
export const repoRoot = resolve(here, '..', '..', '..');
const mainJs = join(repoRoot, 'dist', 'src', 'cli', 'main.js');

/** Path of a kubectl binary: 'default' is the one on PATH, '1.27' etc. the versioned ones beside it. */
export function kubectlPath(version: string = 'default'): string {
  const onPath = execFileSync('bash', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).trim();
  if (version === 'default') return onPath;
  const p = join(dirname(realpathSync(onPath)), `kubectl.${version}`);
  if (!existsSync(p)) throw new Error(`kubectl ${version} not found at ${p}`);
  return p;
}

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  const srv = createServer().listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

/** Result of one command. */
export interface Run { code: number; stdout: string; stderr: string }

/** A running knet for a test. */
export class Knet {
  readonly dir: string;
  readonly kubeconfig: string;
  port = 0;
  private proc?: ChildProcess;
  private forwards: ChildProcess[] = [];
  output = '';
  /** The host network block the cluster holds (its node IPs and load balancer pool), from its run file. */
  hostNetwork: NonNullable<RunInfo['hostNetwork']> = { index: -1, nodeIPs: [], loadBalancerPool: '' };

  /** The open-files limit (ulimit -n) the process runs under, when a test sets one. */
  private readonly nofile?: number;

  /** With opts.dir, reuses that directory (data dir and kubeconfig) of an earlier Knet; opts.nofile runs it under `ulimit -n`. */
  constructor(readonly args: string[] = [], opts: { dir?: string; nofile?: number } = {}) {
    this.dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'knet-e2e-'));
    this.kubeconfig = join(this.dir, 'kubeconfig');
    this.nofile = opts.nofile;
  }

  /** The ingress addon's host ports (with the harness flag `--ingress`), free ports picked per run. */
  ingressPorts = { http: 0, https: 0 };

  /**
   * Starts `knet up` and waits for the ready line. Clusters start with `--no-ingress` unless the
   * test passes the harness flag `--ingress`: then the addon gets free host ports instead of
   * 80/443, so test files running at the same time never compete for them.
   */
  async start(): Promise<this> {
    const args = [mainJs, 'up', '--api-port', '0', '--data-dir', join(this.dir, 'data'), '--kubeconfig', this.kubeconfig, ...this.args];
    if (!this.args.includes('--durable')) args.push('--ephemeral');
    if (!this.args.includes('--ingress')) {
      if (!this.args.includes('--no-ingress')) args.push('--no-ingress');
    } else {
      const flag = (name: string) => { const i = this.args.indexOf(name); return i >= 0 ? Number(this.args[i + 1]) : undefined; };
      this.ingressPorts = { http: flag('--http-port') ?? await freePort(), https: flag('--https-port') ?? await freePort() };
      if (flag('--http-port') === undefined) args.push('--http-port', String(this.ingressPorts.http));
      if (flag('--https-port') === undefined) args.push('--https-port', String(this.ingressPorts.https));
    }
    const argv = args.filter((a) => a !== '--durable' && a !== '--ingress');
    const proc = this.nofile === undefined ? spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn('bash', ['-c', `ulimit -n ${this.nofile} && exec "$0" "$@"`, process.execPath, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    await new Promise<void>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`knet did not start:\n${this.output}`)), 30_000);
      const onData = (d: Buffer) => {
        this.output += d.toString();
        const m = /knet is ready: https:\/\/127\.0\.0\.1:(\d+)/.exec(this.output);
        if (m) { clearTimeout(timer); this.port = Number(m[1]); ok(); }
      };
      proc.stdout!.on('data', onData);
      proc.stderr!.on('data', (d: Buffer) => { this.output += d.toString(); });
      proc.on('exit', (c) => { clearTimeout(timer); fail(new Error(`knet exited with ${c}:\n${this.output}`)); });
    });
    const info = JSON.parse(readFileSync(runFile(join(this.dir, 'data')), 'utf8')) as RunInfo;
    if (!info.hostNetwork) throw new Error(`knet recorded no host network block:\n${this.output}`);
    this.hostNetwork = info.hostNetwork;
    return this;
  }

  /**
   * Starts `kubectl port-forward <target> :<remote>` (kubectl picks a free local port, so files
   * running at the same time never compete for one); resolves once it forwards, with that port.
   */
  portForward(target: string, remote: number, opts: { version?: string } = {}): Promise<{ port: number; stop(): void }> {
    const bin = kubectlPath(opts.version ?? 'default');
    const args = ['--kubeconfig', this.kubeconfig, '--cache-dir', join(this.dir, `cache-${opts.version ?? 'default'}`), 'port-forward', target, `:${remote}`];
    const p = spawn(bin, args, { env: { ...process.env, HOME: this.dir }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.forwards.push(p);
    let out = '';
    return new Promise((ok, fail) => {
      const timer = setTimeout(() => { p.kill('SIGKILL'); fail(new Error(`port-forward ${target} did not start:\n${out}`)); }, 15_000);
      const onData = (d: Buffer) => {
        out += d.toString();
        const m = /^Forwarding from 127\.0\.0\.1:(\d+) -> /m.exec(out);
        if (m) { clearTimeout(timer); ok({ port: Number(m[1]), stop: () => p.kill() }); }
      };
      p.stdout.on('data', onData);
      p.stderr.on('data', onData);
      p.on('exit', (c) => { clearTimeout(timer); fail(new Error(`port-forward ${target} exited with ${c}:\n${out}`)); });
    });
  }

  /** Runs kubectl (default or a version like '1.27') with a per-version fresh cache dir. */
  kubectl(args: string[], opts: { version?: string; input?: string; timeoutMs?: number } = {}): Promise<Run> {
    const version = opts.version ?? 'default';
    const bin = kubectlPath(version);
    const full = ['--kubeconfig', this.kubeconfig, '--cache-dir', join(this.dir, `cache-${version}`), ...args];
    return runCommand(bin, full, { input: opts.input, timeoutMs: opts.timeoutMs, env: { HOME: this.dir } });
  }

  /** Sends a signal and waits for exit; resolves with the exit code. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    const p = this.proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return p?.exitCode ?? null;
    const code = new Promise<number | null>((r) => p.once('exit', (c) => r(c)));
    p.kill(signal);
    const c = await code;
    return c;
  }

  /** Stops knet and removes the temporary directory. */
  async cleanup(): Promise<void> {
    for (const p of this.forwards) if (p.exitCode === null && p.signalCode === null) p.kill();
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Runs a command, collecting output; never throws on non-zero exit. */
export function runCommand(bin: string, args: string[], opts: { input?: string; timeoutMs?: number; env?: Record<string, string>; cwd?: string } = {}): Promise<Run> {
  return new Promise((ok) => {
    const p = spawn(bin, args, { env: { ...process.env, ...opts.env }, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    p.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => p.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    p.on('close', (code) => { clearTimeout(timer); ok({ code: code ?? -1, stdout, stderr }); });
    p.stdin.on('error', () => undefined); // a command that exits without reading its input (EPIPE)
    p.stdin.end(opts.input ?? '');
  });
}

/** Polls `f` until it yields a value (exceptions count as not yet), for at most `ms`. */
export async function until<T>(what: string, f: () => Promise<T | undefined>, ms = 20_000, pollMs = 100): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  while (Date.now() < end) {
    try { const v = await f(); if (v !== undefined) return v; } catch (e) { last = e; }
    await new Promise((r) => setTimeout(r, pollMs));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/** Collapses runs of spaces (table columns) so assertions do not depend on widths. */
export function squash(s: string): string {
  return s.split('\n').map((l) => l.replace(/\s+/g, ' ').trim()).filter(Boolean).join('\n');
}

/** The node binary path. */
export const nodeBin = process.execPath;
/** The compiled CLI entry. */
export const knetMain = mainJs;
/** How knet names itself in its messages to these tests' children (`bin/knet` from the checkout unless a knet is on PATH). */
export const knetCmd = knetCommand();
