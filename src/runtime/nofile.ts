/**
 * The process's open-files limit (RLIMIT_NOFILE). Node itself raises the soft limit to the hard one
 * when it starts on POSIX systems (PlatformInit in Node's src/node.cc); where the soft limit is still
 * lower, `raiseNofile` asks util-linux's `prlimit` to raise it for this pid (Node has no setrlimit,
 * and no native module is needed for this). Linux's /proc tells the limits and the descriptors in
 * use; elsewhere they are unknown and said to be.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { ConnectionBudget, OWN_DESCRIPTORS, planDescriptors } from '../net/budget.js';

/** Soft and hard limits; Infinity stands for `unlimited`. */
export interface NofileLimits { readonly soft: number; readonly hard: number }

/** The largest soft limit asked for when the hard one is unlimited (Linux's default fs.nr_open). */
const NR_OPEN = 1 << 20;

/** The `Max open files` line of a /proc/<pid>/limits text. */
export function parseNofile(limits: string): NofileLimits | undefined {
  const m = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m.exec(limits);
  if (!m) return undefined;
  const n = (v: string): number => (v === 'unlimited' ? Infinity : Number(v));
  return { soft: n(m[1]!), hard: n(m[2]!) };
}

/** The open-files limits of a process, or undefined where /proc does not tell. */
export function nofileLimits(pid: number = process.pid): NofileLimits | undefined {
  try { return parseNofile(readFileSync(`/proc/${pid}/limits`, 'utf8')); } catch { return undefined; }
}

/** How many descriptors a process has open, or undefined where /proc does not tell. */
export function descriptorsInUse(pid: number = process.pid): number | undefined {
  try { return readdirSync(`/proc/${pid}/fd`).length; } catch { return undefined; }
}

/** What `raiseNofile` found and did. */
export interface NofileRaise {
  /** The limits after the attempt (undefined: unknown on this platform). */
  readonly limits?: NofileLimits;
  /** The soft limit before, when it was raised. */
  readonly raisedFrom?: number;
  /** Why the soft limit stays below the hard one. */
  readonly failure?: string;
}

/** Runs a command, throwing on failure (execFileSync's contract). */
export type Runner = (file: string, args: string[]) => void;

const runQuietly: Runner = (file, args) => { execFileSync(file, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 5000 }); };

/** Raises this process's soft open-files limit to the hard one (with `prlimit --pid`) when it is lower. */
export function raiseNofile(o: { pid?: number; read?: (pid: number) => NofileLimits | undefined; run?: Runner } = {}): NofileRaise {
  const pid = o.pid ?? process.pid;
  const read = o.read ?? nofileLimits;
  const before = read(pid);
  if (!before || before.soft >= before.hard) return { limits: before };
  const target = Number.isFinite(before.hard) ? before.hard : NR_OPEN;
  try {
    (o.run ?? runQuietly)('prlimit', ['--pid', String(pid), `--nofile=${target}:`]);
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: Buffer };
    const why = err.code === 'ENOENT' ? 'prlimit (util-linux) is not installed' : (err.stderr?.toString().trim() || err.message);
    return { limits: before, failure: why };
  }
  const after = read(pid) ?? before;
  return after.soft > before.soft ? { limits: after, raisedFrom: before.soft } : { limits: after, failure: 'prlimit left it unchanged' };
}

const show = (n: number): string => (Number.isFinite(n) ? String(n) : 'unlimited');

/** The start-up line about the limit. */
export function describeNofile(r: NofileRaise): string {
  if (!r.limits) return 'open files: limit unknown on this platform (no /proc)';
  const { soft, hard } = r.limits;
  if (r.raisedFrom !== undefined) return `open files: soft limit raised from ${show(r.raisedFrom)} to ${show(soft)} (hard ${show(hard)})`;
  if (r.failure) return `open files: soft limit ${show(soft)}, below the hard limit ${show(hard)} (${r.failure}); idle clients run out of descriptors sooner`;
  return `open files: limit ${show(soft)}`;
}

/** The `knet status` line about a process's descriptors. */
export function describeDescriptors(pid: number): string {
  const l = nofileLimits(pid);
  const used = descriptorsInUse(pid);
  const inUse = used === undefined ? 'unknown in use' : `${used} in use`;
  return l ? `${inUse}; limit ${show(l.soft)} soft, ${show(l.hard)} hard` : `${inUse}; limits unknown (no /proc)`;
}

/** The limit assumed where /proc does not tell (the usual default soft limit). */
const ASSUMED_LIMIT = 1024;

/** A connection budget for this process from its current limit and the descriptors it holds. */
export function processConnectionBudget(): ConnectionBudget {
  const soft = nofileLimits()?.soft ?? ASSUMED_LIMIT;
  return new ConnectionBudget(planDescriptors(Number.isFinite(soft) ? soft : NR_OPEN, descriptorsInUse() ?? OWN_DESCRIPTORS));
}
