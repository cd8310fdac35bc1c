/** An exclusive lock on a data directory: a pid file that a dead owner's successor may take over. */
import { accessSync, constants, readFileSync, realpathSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { alive } from '../runtime/liveness.js';
import { ensurePrivateDir, writePrivateFile } from '../runtime/private-files.js';

const LOCK_FILE = 'knet.lock';
const heldHere = new Set<string>();

function errMsg(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function readOwner(lockPath: string): number {
  try {
    return Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
  } catch {
    return Number.NaN;
  }
}

/**
 * Creates dir if needed (owner-only), checks it is writable and locks it; returns the function that
 * unlocks it. A lock whose owner has exited, or is a zombie awaiting its parent, is taken over.
 */
export function lockDataDir(dir: string): () => void {
  try {
    ensurePrivateDir(dir);
    accessSync(dir, constants.W_OK);
  } catch (err) {
    throw new Error(`data directory ${dir} is not usable (cannot create or write it): ${errMsg(err)}`);
  }
  const real = realpathSync(dir);
  if (heldHere.has(real)) throw new Error(`data directory ${dir} is already open in this process`);
  const lockPath = join(real, LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    try {
      writePrivateFile(lockPath, `${process.pid}\n`, 'create');
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) {
        throw new Error(`data directory ${dir} could not be locked (${lockPath}): ${errMsg(err)}`);
      }
    }
    const owner = readOwner(lockPath);
    if (Number.isInteger(owner) && owner !== process.pid && alive(owner)) {
      throw new Error(`data directory ${dir} is locked by another running process (pid ${owner}); stop it or choose another data directory`);
    }
    try {
      unlinkSync(lockPath); // stale: its owner is gone (or was an earlier process with our pid)
    } catch {
      // someone else removed it; retry
    }
  }
  heldHere.add(real);
  return () => {
    heldHere.delete(real);
    try {
      if (readFileSync(lockPath, 'utf8').trim() === String(process.pid)) unlinkSync(lockPath);
    } catch {
      // already gone
    }
  };
}
