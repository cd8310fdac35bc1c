/** The data dir and the run file that lets `knet down` and `knet status` find a running cluster. */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** What a running `knet up` records about itself. */
export interface RunInfo {
  pid: number;
  apiPort: number;
  server: string;
  kubeconfig: string;
  /** True when the context was merged into the user's kubeconfig (then `down` removes it). */
  merged: boolean;
  context: string;
  ephemeral: boolean;
  startedAt: string;
  /** The host network block the cluster holds (absent in run files of older versions). */
  hostNetwork?: { index: number; nodeIPs: string[]; loadBalancerPool: string };
}

/** The default per-user state folder: $XDG_STATE_HOME/knet or ~/.local/state/knet. */
export function defaultDataDir(): string {
  const xdg = process.env['XDG_STATE_HOME'];
  return resolve(xdg ? join(xdg, 'knet') : join(homedir(), '.local', 'state', 'knet'));
}

/** Creates the data dir and checks it is writable; throws an Error saying how to fix it. */
export function prepareDataDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw new Error(`cannot write to data dir ${dir} (${(e as Error).message.split(':')[0]}); choose another with --data-dir DIR or fix its permissions`);
  }
}

/** Path of the run file. */
export function runFile(dir: string): string {
  return join(dir, 'knet.run.json');
}

/** Path of the log of a detached cluster. */
export function logFile(dir: string): string {
  return join(dir, 'knet.log');
}

/** Whether a process exists and has not exited (a zombie awaiting its parent's reaping counts as gone). */
export function alive(pid: number): boolean {
  try { process.kill(pid, 0); } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (not Linux): signal 0 succeeded, so it exists
  }
}

/** The run info of a live cluster in dir, or undefined (a stale file is removed). */
export function readRunInfo(dir: string): RunInfo | undefined {
  const f = runFile(dir);
  if (!existsSync(f)) return undefined;
  try {
    const info = JSON.parse(readFileSync(f, 'utf8')) as RunInfo;
    if (alive(info.pid)) return info;
  } catch { /* unreadable: treat as stale */ }
  rmSync(f, { force: true });
  return undefined;
}

/** Records the running cluster. */
export function writeRunInfo(dir: string, info: RunInfo): void {
  writeFileSync(runFile(dir), JSON.stringify(info, null, 2) + '\n');
}

/** Removes the run file if it belongs to this process. */
export function clearRunInfo(dir: string, pid = process.pid): void {
  const f = runFile(dir);
  try {
    const info = JSON.parse(readFileSync(f, 'utf8')) as RunInfo;
    if (info.pid === pid) rmSync(f, { force: true });
  } catch { /* nothing to clear */ }
}
