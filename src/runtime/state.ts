/** The data dir and the run file that lets `knet down` and `knet status` find a running cluster. */
import { existsSync, readFileSync, rmSync, accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { alive } from './liveness.js';
import { ensurePrivateDir, tightenTree, writePrivateFile } from './private-files.js';

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
  /** The host port of the cluster DNS server (absent in run files of older versions). */
  dnsPort?: number;
  /** The virtual address blocks of pods and Services (absent in run files of older versions). */
  network?: { podCIDR: string; serviceCIDR: string };
  /** The kubeconfig's current context before `up` made its own current; `down` restores it. */
  previousContext?: string;
  /** The host network block the cluster holds (absent in run files of older versions). */
  hostNetwork?: { index: number; nodeIPs: string[]; loadBalancerPool: string };
}

/** The default per-user state folder: $XDG_STATE_HOME/knet or ~/.local/state/knet. */
export function defaultDataDir(): string {
  const xdg = process.env['XDG_STATE_HOME'];
  return resolve(xdg ? join(xdg, 'knet') : join(homedir(), '.local', 'state', 'knet'));
}

/** What knet keeps in a data dir: the store, the PKI, the run file, the log of `--detach`, the host network block. */
const DATA_DIR_ENTRIES = ['store', 'pki', 'knet.run.json', 'knet.log', 'host-network.json'];

/**
 * Creates the data dir (owner-only, 0700) and checks it is writable, then tightens what an older
 * version or a wide umask left open to other users: the data dir and knet's folders in it to 0700,
 * knet's files to 0600 (other files in it are the user's and left alone). Returns the paths whose
 * mode changed; throws an Error saying how to fix a data dir it cannot use.
 */
export function prepareDataDir(dir: string): string[] {
  try {
    const changed = tightenTree(dir, DATA_DIR_ENTRIES);
    ensurePrivateDir(dir);
    accessSync(dir, constants.W_OK);
    return changed;
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

/** The run info of a live cluster in dir, or undefined (the file of a dead one is removed; an unreadable one is left alone). */
export function readRunInfo(dir: string): RunInfo | undefined {
  const f = runFile(dir);
  if (!existsSync(f)) return undefined;
  let info: RunInfo;
  try {
    info = JSON.parse(readFileSync(f, 'utf8')) as RunInfo;
  } catch {
    return undefined; // not a run file knet wrote (it writes atomically); the next up replaces it
  }
  if (alive(info.pid)) return info;
  rmSync(f, { force: true });
  return undefined;
}

/** Records the running cluster (owner-only: it names the kubeconfig and the API endpoint). */
export function writeRunInfo(dir: string, info: RunInfo): void {
  writePrivateFile(runFile(dir), JSON.stringify(info, null, 2) + '\n');
}

/** Removes the run file if it belongs to this process. */
export function clearRunInfo(dir: string, pid = process.pid): void {
  const f = runFile(dir);
  try {
    const info = JSON.parse(readFileSync(f, 'utf8')) as RunInfo;
    if (info.pid === pid) rmSync(f, { force: true });
  } catch { /* nothing to clear */ }
}
