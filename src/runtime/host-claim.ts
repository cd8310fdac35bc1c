/**
 * Claiming a host network block for a running cluster. The claim is a TCP listener that the
 * cluster holds on its block's first node IP (127.1.N.1, port 10248, the kubelet's healthz port)
 * for as long as it runs: the kernel hands each address and port to one process only and takes
 * it back when the process dies, so two knets never get the same block — whichever user runs
 * them, and with no stale lock to clean up after a crash. Beside it, a holder file in a
 * machine-wide folder (one per network namespace, since each has its own loopback) says which
 * knet holds the block, for error messages.
 */
import net from 'node:net';
import { chmodSync, lstatSync, mkdirSync, readFileSync, readlinkSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeIP } from '../node/registrar.js';
import { alive } from './liveness.js';
import { HOST_NETWORK_BLOCKS, hostNetwork, formatNodeIPs } from './host-network.js';
import { knetCommand } from './self.js';

/** The port a running knet holds on its block's first node IP. */
export const BLOCK_MARKER_PORT = 10248;

/** Who holds a block. */
export interface BlockHolder {
  pid: number;
  dataDir: string;
  startedAt: string;
}

/** A block this process holds until `release()` (or until it exits). */
export interface HostNetworkClaim {
  readonly index: number;
  /** Set when the preferred (recorded) block was taken by another process. */
  readonly displaced?: { index: number; holder?: BlockHolder };
  release(): Promise<void>;
}

/** How to claim a block. */
export interface ClaimOptions {
  /** The data dir of the cluster (written into the holder file). */
  dataDir: string;
  /** This block or an error (`--host-network-index`). */
  pinned?: number;
  /** Tried first (the block recorded in the data dir); when taken, the lowest free block is used. */
  preferred?: number;
  /** Folder of holder files (default: a machine-wide folder in /tmp, per network namespace). */
  holdersDir?: string;
  /** Marker port (default BLOCK_MARKER_PORT; tests use their own). */
  markerPort?: number;
}

/** The machine-wide folder of holder files for this process's network namespace. */
export function defaultHoldersDir(): string {
  const base = join(process.platform === 'win32' ? tmpdir() : '/tmp', 'knet-host-network');
  let ns = 'default';
  try { ns = readlinkSync('/proc/self/ns/net').replace(/[^0-9]/g, '') || ns; } catch { /* no /proc: one namespace */ }
  return join(base, `net-${ns}`);
}

/** Creates the holders folder; false when it is not a plain folder (e.g. a planted symlink): then no holder files. */
function ensureShared(dir: string): boolean {
  for (const d of [join(dir, '..'), dir]) {
    try {
      mkdirSync(d);
    } catch { /* there already (or not creatable: checked next) */ }
    try {
      const st = lstatSync(d); // never follows a planted symlink
      if (!st.isDirectory()) return false;
      // Every user's knets write here; the sticky bit keeps their files theirs. Only the owner may set it.
      if (st.uid === process.getuid?.()) chmodSync(d, 0o1777);
    } catch {
      return false;
    }
  }
  return true;
}

function readHolder(file: string | undefined): BlockHolder | undefined {
  if (!file) return undefined;
  try {
    const h = JSON.parse(readFileSync(file, 'utf8')) as BlockHolder;
    return Number.isInteger(h.pid) && h.pid !== process.pid && alive(h.pid) ? h : undefined;
  } catch {
    return undefined;
  }
}

function writeHolder(file: string | undefined, h: BlockHolder): void {
  if (!file) return;
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify(h) + '\n', { mode: 0o644, flag: 'wx' }); // never through a planted file or link
    renameSync(tmp, file);
  } catch {
    rmSync(tmp, { force: true }); // a stale file of another user: the listener is what counts
  }
}

function listen(ip: string, port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer((s) => s.destroy());
    srv.once('error', reject);
    srv.listen({ host: ip, port, exclusive: true }, () => { srv.off('error', reject); srv.on('error', () => undefined); resolve(srv); });
  });
}

type Attempt = { claim: HostNetworkClaim } | { busy: BlockHolder | undefined };

async function attempt(index: number, opts: ClaimOptions, dir: string | undefined): Promise<Attempt> {
  const file = dir === undefined ? undefined : join(dir, `${index}.json`);
  let server: net.Server | undefined;
  try {
    server = await listen(nodeIP(0, index), opts.markerPort ?? BLOCK_MARKER_PORT);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') return { busy: readHolder(file) };
    // This machine cannot listen there (e.g. only 127.0.0.1 on loopback): holder files alone decide.
    const h = readHolder(file);
    if (h) return { busy: h };
  }
  writeHolder(file, { pid: process.pid, dataDir: opts.dataDir, startedAt: new Date().toISOString() });
  const release = async (): Promise<void> => {
    const s = server;
    if (s) await new Promise((r) => s.close(r));
    try {
      if (file && (JSON.parse(readFileSync(file, 'utf8')) as BlockHolder).pid === process.pid) rmSync(file, { force: true });
    } catch { /* gone already */ }
  };
  return { claim: { index, release } };
}

/** Why a block cannot be used, with the fix. */
export function busyMessage(index: number, holder: BlockHolder | undefined, markerPort = BLOCK_MARKER_PORT): string {
  const h = hostNetwork(index, 2);
  const what = `host network block ${index} (node IPs ${formatNodeIPs(h.nodeIPs)}, …; load balancer pool ${h.loadBalancerPool})`;
  const who = holder
    ? `is in use by another knet (pid ${holder.pid}, data dir ${holder.dataDir}); stop it with ${knetCommand()} down --data-dir ${holder.dataDir}, or`
    : `is in use: another process listens on ${nodeIP(0, index)}:${markerPort}; stop it, or`;
  return `${what} ${who} choose another block with --host-network-index N (0-${HOST_NETWORK_BLOCKS - 1}), or leave the flag out to use a free one`;
}

/** Claims the pinned block, or the preferred one, or the lowest free one; throws an Error saying how to fix it. */
export async function claimHostNetwork(opts: ClaimOptions): Promise<HostNetworkClaim> {
  const folder = opts.holdersDir ?? defaultHoldersDir();
  const dir = ensureShared(folder) ? folder : undefined;
  if (opts.pinned !== undefined) {
    const a = await attempt(opts.pinned, opts, dir);
    if ('claim' in a) return a.claim;
    throw new Error(busyMessage(opts.pinned, a.busy, opts.markerPort));
  }
  let displaced: HostNetworkClaim['displaced'];
  const order = [...(opts.preferred === undefined ? [] : [opts.preferred]), ...Array.from({ length: HOST_NETWORK_BLOCKS }, (_, i) => i)];
  for (const index of new Set(order)) {
    const a = await attempt(index, opts, dir);
    if ('claim' in a) return displaced ? { ...a.claim, displaced } : a.claim;
    if (index === opts.preferred) displaced = { index, holder: a.busy };
  }
  throw new Error(`no free host network block: all ${HOST_NETWORK_BLOCKS} are in use (each running knet holds 127.1.N.1:${opts.markerPort ?? BLOCK_MARKER_PORT}); stop a cluster with ${knetCommand()} down --data-dir DIR`);
}
