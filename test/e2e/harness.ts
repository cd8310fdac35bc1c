/**
 * End-to-end harness: starts a real `knet up` process (ephemeral, on a free port, with its own
 * kubeconfig) and runs the real kubectl binaries against it with a fresh --cache-dir.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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

/** Result of one command. */
export interface Run { code: number; stdout: string; stderr: string }

/** A running knet for a test. */
export class Knet {
  readonly dir: string;
  readonly kubeconfig: string;
  port = 0;
  private proc?: ChildProcess;
  output = '';

  /** With opts.dir, reuses that directory (data dir and kubeconfig) of an earlier Knet. */
  constructor(readonly args: string[] = [], opts: { dir?: string } = {}) {
    this.dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'knet-e2e-'));
    this.kubeconfig = join(this.dir, 'kubeconfig');
  }

  /** Starts `knet up` and waits for the ready line. */
  async start(): Promise<this> {
    const args = [mainJs, 'up', '--api-port', '0', '--data-dir', join(this.dir, 'data'), '--kubeconfig', this.kubeconfig, ...this.args];
    if (!this.args.includes('--durable')) args.push('--ephemeral');
    const proc = spawn(process.execPath, args.filter((a) => a !== '--durable'), { stdio: ['ignore', 'pipe', 'pipe'] });
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
    return this;
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
    p.stdin.end(opts.input ?? '');
  });
}

/** Collapses runs of spaces (table columns) so assertions do not depend on widths. */
export function squash(s: string): string {
  return s.split('\n').map((l) => l.replace(/\s+/g, ' ').trim()).filter(Boolean).join('\n');
}

/** The node binary path. */
export const nodeBin = process.execPath;
/** The compiled CLI entry. */
export const knetMain = mainJs;
