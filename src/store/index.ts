/** Opens the configured store backend. */
import { DEFAULT_HISTORY_SIZE } from './core.js';
import { DurableStore } from './durable.js';
import { MemoryStore } from './memory.js';
import type { Store } from './types.js';

export { DurableStore } from './durable.js';
export { MemoryStore } from './memory.js';
export { ExpiredError, StoreConflictError, StoreWriteError } from './types.js';
export type { Store, StoreEvent, WatchHandle } from './types.js';

/** Where and how to keep objects: in memory (`ephemeral`) or durably in `dir`. */
export interface OpenStoreOptions {
  dir?: string;
  ephemeral: boolean;
  historySize?: number;
}

/**
 * The test hook of the durable store: while the file this environment variable names exists, every
 * commit fails as on a full disk (ENOSPC). For fault tests only (test/e2e/faults.test.ts).
 */
export const STORE_FULL_FILE_ENV = 'KNET_TEST_STORE_FULL_FILE';

/** Opens a MemoryStore when ephemeral, else a DurableStore in dir (required then). */
export async function openStore(opts: OpenStoreOptions, env: NodeJS.ProcessEnv = process.env): Promise<Store> {
  const historySize = opts.historySize ?? DEFAULT_HISTORY_SIZE;
  if (opts.ephemeral) return new MemoryStore({ historySize });
  if (!opts.dir) throw new Error('a data directory is required unless the store is ephemeral');
  const faultFile = env[STORE_FULL_FILE_ENV];
  return DurableStore.open(opts.dir, { historySize, ...(faultFile ? { faultFile } : {}) });
}
