/**
 * Owner-only permissions for everything knet keeps in its data dir, whatever the umask: folders
 * 0700 and files 0600, as kubeadm keeps /etc/kubernetes/pki and etcd its data dir (the store holds
 * Secrets, the pki folder the cluster's CA key).
 */
import { chmodSync, closeSync, fchmodSync, linkSync, lstatSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Mode of knet's folders. */
export const PRIVATE_DIR_MODE = 0o700;
/** Mode of knet's files. */
export const PRIVATE_FILE_MODE = 0o600;

/** Creates a folder (and missing parents) readable by its owner only; an existing one is tightened. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  tighten(dir, PRIVATE_DIR_MODE);
}

/** Opens a file for writing (`w` truncates, `wx` only creates) with mode 0600, also when it existed with a wider mode. */
export function openPrivateFile(path: string, flag: 'w' | 'wx' | 'a' = 'w'): number {
  const fd = openSync(path, flag, PRIVATE_FILE_MODE);
  try {
    fchmodSync(fd, PRIVATE_FILE_MODE); // the umask may have cleared bits of a new file; an old one kept its mode
  } catch (e) {
    closeSync(fd);
    throw e;
  }
  return fd;
}

/**
 * Writes a whole file readable by its owner only, atomically: readers see the old content or the
 * new, never a partial file. `replace` (default) replaces any old file; `create` fails with EEXIST
 * when the file exists (an exclusive lock file that is never seen empty).
 */
export function writePrivateFile(path: string, data: string, how: 'replace' | 'create' = 'replace'): void {
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openPrivateFile(tmp, 'w');
  try {
    writeSync(fd, data);
  } finally {
    closeSync(fd);
  }
  try {
    if (how === 'replace') renameSync(tmp, path);
    else linkSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/**
 * Tightens a folder and everything below it: folders to 0700, files to 0600 (symbolic links are
 * neither followed nor changed). With `only`, below the folder itself just those entries (and all
 * below them) are tightened: a data dir may sit among a user's own files. Returns the paths whose
 * mode changed.
 */
export function tightenTree(dir: string, only?: readonly string[]): string[] {
  const changed: string[] = [];
  const walk = (path: string, names?: readonly string[]): void => {
    let st;
    try { st = lstatSync(path); } catch { return; } // absent, or removed meanwhile
    if (st.isSymbolicLink()) return;
    const mode = st.isDirectory() ? PRIVATE_DIR_MODE : PRIVATE_FILE_MODE;
    if ((st.mode & 0o7777) !== mode && tighten(path, mode)) changed.push(path);
    if (st.isDirectory()) for (const name of names ?? readdirSync(path)) walk(join(path, name));
  };
  walk(dir, only);
  return changed;
}

/** chmod, tolerating files of other owners (then the owner decides; knet never wrote them). */
function tighten(path: string, mode: number): boolean {
  try {
    chmodSync(path, mode);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EPERM') return false;
    throw e;
  }
}
