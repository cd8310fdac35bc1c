/**
 * Whether a process still runs: the one check the data dir lock, the run file, the host network
 * claim and `knet down` share, so they never disagree about the same pid.
 */
import { existsSync, readFileSync } from 'node:fs';

/**
 * The state letter of a process from `/proc/<pid>/stat` (`R`, `S`, `Z`...), `null` when Linux
 * says there is no such process, or `undefined` when this platform has no /proc to ask.
 */
export function processState(pid: number): string | null | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' && existsSync('/proc/self/stat') ? null : undefined;
  }
  // "pid (comm) S ...": comm may itself hold spaces and parentheses, so read after the last ')'.
  return stat.charAt(stat.lastIndexOf(')') + 2) || undefined;
}

/**
 * Whether a process exists and has not exited. A zombie (state Z, killed or exited but not yet
 * reaped by its parent) or a dead task (X) counts as gone: it holds no files, sockets or locks
 * and can never run again. A process of another user (EPERM) counts as running.
 */
export function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false; // kill(0) and kill(-n) would signal process groups
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const state = processState(pid);
  if (state === null) return false; // exited between the signal and the read
  return state !== 'Z' && state !== 'X' && state !== 'x';
}
