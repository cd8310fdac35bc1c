/**
 * The durable store backend: every object is held in memory (StoreCore) and written through to
 * lmdb in the data directory, with the current RV in the same transaction. A write updates the
 * in-memory state when issued (so later preconditions and reads see it), but is acknowledged and
 * published to watchers only once lmdb has committed (and, by default, flushed) it, in RV order.
 * One lmdb transaction is in flight at a time; the writes staged meanwhile go together in the next
 * one (group commit). When a commit fails (a full disk: ENOSPC), its writes and every write staged
 * after them are rejected with a StoreWriteError and undone in memory, so memory and disk agree
 * and reads keep answering; the next write tries again, and succeeds once there is space.
 *
 * A full disk is refused before lmdb sees it: a commit needs its estimated size plus a reserve
 * free on the store's filesystem. lmdb-js 3.5's failed page write formats its message into a
 * 100-byte buffer that the text can overrun (dependencies/lmdb/libraries/liblmdb/mdb.c,
 * "Attempting to write page at position …"), which corrupted the heap in one ENOSPC in three here.
 *
 * Test hook: with `faultFile` (from the environment variable KNET_TEST_STORE_FULL_FILE, see
 * index.ts), every commit fails as on a full disk while that file exists.
 */
import { existsSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { open as openLmdb, type Database } from 'lmdb';
import type { KObject } from '../api/meta.js';
import { StoreCore, type StoreOptions } from './core.js';
import { lockDataDir } from './lock.js';
import { PRIVATE_FILE_MODE, tightenTree } from '../runtime/private-files.js';
import { StoreWriteError, type StoreEvent } from './types.js';
import { CoreBackedStore } from './base.js';

/** The lmdb key holding the current resourceVersion (object keys all start with a slash). */
const RV_KEY = '#rv';

/** Free space the store leaves on its filesystem: a commit that would go below it is refused. */
export const STORE_SPACE_RESERVE = 8 << 20;
/** Above this much free space, commits are not measured. */
const PLENTY = 256 << 20;
/** What one write may add to the file besides its value: the B-tree pages it copies. */
const PAGES_PER_WRITE = 16 << 10;

/** Options of the durable backend. */
export interface DurableOptions extends StoreOptions {
  /** Wait for the OS to flush each commit to disk before acknowledging (default true). With false,
   * acknowledged writes survive a process kill but not a machine crash. */
  fsync?: boolean;
  /** Test only: while this file exists, every commit fails as on a full disk (ENOSPC). */
  faultFile?: string;
  /** Where the store reports a failing commit and its recovery (default: stderr). */
  log?: (line: string) => void;
}

interface Pending {
  e: StoreEvent;
  resolve: (o: KObject) => void;
  reject: (err: Error) => void;
}

function errMsg(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** lmdb-js rejects each write of a failed transaction with a generic error whose `commitError` promise carries the cause. */
async function commitCause(err: unknown): Promise<unknown> {
  const detail = (err as { commitError?: Promise<unknown> } | undefined)?.commitError;
  if (!detail || typeof detail.then !== 'function') return err;
  return detail.then(() => err, (cause: unknown) => cause);
}

/** A Store persisted with lmdb in a directory; see the module comment for the write protocol. */
export class DurableStore extends CoreBackedStore {
  private queued: Pending[] = [];
  private committing = false;
  private scheduled = false;
  private failing = false;
  private idle: (() => void)[] = [];
  private closed = false;

  private constructor(
    core: StoreCore,
    private readonly db: Database<KObject | number, string>,
    private readonly unlock: () => void,
    private readonly dir: string,
    private readonly opts: DurableOptions,
  ) {
    super(core);
  }

  /** Opens (creating if needed, owner-only) the store in dir, loading every object and the current RV. */
  static async open(dir: string, opts: DurableOptions = {}): Promise<DurableStore> {
    const unlock = lockDataDir(dir);
    let db: Database<KObject | number, string> | undefined;
    try {
      // lmdb-js hands permissionsMode to mdb_env_open (its default is 0664): Secrets live in data.mdb.
      // eventTurnBatching off: commits are grouped here, and lmdb-js's own per-turn promise is left unhandled when a commit fails.
      const options: Parameters<typeof openLmdb>[0] & { permissionsMode: number } = { path: dir, noSubdir: false, encoding: 'msgpack', permissionsMode: PRIVATE_FILE_MODE, eventTurnBatching: false };
      db = openLmdb<KObject | number, string>(options);
      tightenTree(dir, ['data.mdb', 'lock.mdb', 'knet.lock']); // what an older version or a wide umask left open to others
      const rv = db.get(RV_KEY);
      const core = new StoreCore(opts, typeof rv === 'number' ? rv : 0);
      for (const { key, value } of db.getRange()) {
        if (typeof key === 'string' && key.startsWith('/') && typeof value === 'object') core.load(key, value);
      }
      return new DurableStore(core, db, unlock, dir, opts);
    } catch (err) {
      await db?.close().catch(() => undefined);
      unlock();
      throw new Error(`cannot open the store in ${dir}: ${errMsg(err)}`);
    }
  }

  /** Waits for outstanding writes, stops watchers, closes lmdb and unlocks the directory. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.committing || this.scheduled || this.queued.length) await new Promise<void>((r) => this.idle.push(r));
    this.core.stopAll();
    await this.db.close();
    this.unlock();
  }

  /** Stages a write and queues it for the next commit; settles once that commit ends. */
  protected write(stage: () => StoreEvent): Promise<KObject> {
    if (this.closed) return Promise.reject(new Error('store is closed'));
    let e: StoreEvent;
    try {
      e = stage();
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise<KObject>((resolve, reject) => {
      this.queued.push({ e, resolve, reject });
      this.schedule();
    });
  }

  /** Starts the next commit at the end of this event-loop turn, unless one is in flight. */
  private schedule(): void {
    if (this.committing || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.commitQueued();
    });
  }

  /** Hands every queued write to lmdb as one transaction. */
  private commitQueued(): void {
    const batch = this.queued;
    this.queued = [];
    if (batch.length === 0) {
      for (const r of this.idle.splice(0)) r();
      return;
    }
    this.committing = true;
    const finish = (ok: boolean, err?: unknown) => {
      this.committing = false;
      if (ok) this.committed(batch); else this.failed(batch, err);
      this.schedule();
    };
    const { db } = this;
    const quiet = (p: unknown) => { if (p instanceof Promise) p.catch(() => undefined); };
    void this.refusal(batch).then((refused) => {
      if (refused) { finish(false, refused); return; }
      db.batch(() => {
        for (const { e } of batch) quiet(e.type === 'DELETED' ? db.remove(e.key) : db.put(e.key, e.object));
        quiet(db.put(RV_KEY, batch[batch.length - 1]!.e.rv));
      })
        .then(() => ((this.opts.fsync ?? true) ? db.flushed : undefined))
        .then(() => finish(true), (err: unknown) => commitCause(err).then((cause) => finish(false, cause)));
    });
  }

  /** Why a commit must not be tried (a full disk, or the test hook), or undefined. */
  private async refusal(batch: Pending[]): Promise<Error | undefined> {
    const full = (why: string) => Object.assign(new Error(`No space left on device (${why})`), { code: 28 });
    if (this.opts.faultFile && existsSync(this.opts.faultFile)) return full('simulated');
    let free: number;
    try {
      const st = await statfs(this.dir);
      free = st.bavail * st.bsize;
    } catch {
      return undefined; // cannot tell: let lmdb try
    }
    if (free >= PLENTY) return undefined;
    let need = STORE_SPACE_RESERVE;
    for (const { e } of batch) need += PAGES_PER_WRITE + (e.type === 'DELETED' ? 0 : JSON.stringify(e.object).length);
    const mib = (n: number) => `${(n / (1 << 20)).toFixed(1)} MiB`;
    return free < need ? full(`${mib(free)} free of the ${mib(need)} a commit needs with the store's reserve`) : undefined;
  }

  /** Publishes and acknowledges a committed transaction's writes, in RV order. */
  private committed(batch: Pending[]): void {
    if (this.failing) {
      this.failing = false;
      this.say(`store: writes to ${this.dir} succeed again`);
    }
    for (const p of batch) {
      this.core.publish(p.e);
      p.resolve(p.e.object);
    }
  }

  /** A commit failed: its writes and all staged after them are undone in memory and rejected. */
  private failed(batch: Pending[], cause: unknown): void {
    const all = [...batch, ...this.queued];
    this.queued = [];
    this.core.unstage(all.map((p) => p.e));
    const err = new StoreWriteError(`store: the write was not kept: ${errMsg(cause)}; data directory ${this.dir}`);
    if (!this.failing) {
      this.failing = true;
      this.say(`store: commit failed (${errMsg(cause)}); writes fail until it succeeds again, reads go on`);
    }
    for (const p of all) p.reject(err);
  }

  private say(line: string): void {
    (this.opts.log ?? ((l: string) => console.error(l)))(line);
  }
}
