/**
 * The durable store backend: every object is held in memory (StoreCore) and written through to
 * lmdb in the data directory, with the current RV in the same transaction. A write updates the
 * in-memory state when issued (so later preconditions and reads see it), but is acknowledged and
 * published to watchers only once lmdb has committed (and, by default, flushed) it, in RV order.
 * Writes issued in the same tick share one lmdb transaction (group commit).
 */
import { open as openLmdb, type Database } from 'lmdb';
import type { KObject } from '../api/meta.js';
import { StoreCore, type StoreOptions } from './core.js';
import { lockDataDir } from './lock.js';
import { PRIVATE_FILE_MODE, tightenTree } from '../runtime/private-files.js';
import type { StoreEvent } from './types.js';
import { CoreBackedStore } from './base.js';

/** The lmdb key holding the current resourceVersion (object keys all start with a slash). */
const RV_KEY = '#rv';

/** Options of the durable backend. */
export interface DurableOptions extends StoreOptions {
  /** Wait for the OS to flush each commit to disk before acknowledging (default true). With false,
   * acknowledged writes survive a process kill but not a machine crash. */
  fsync?: boolean;
}

interface Pending {
  e: StoreEvent;
  done: boolean;
  resolve: (o: KObject) => void;
  reject: (err: Error) => void;
}

function errMsg(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A Store persisted with lmdb in a directory; see the module comment for the write protocol. */
export class DurableStore extends CoreBackedStore {
  private pending: Pending[] = [];
  private readonly inflight = new Set<Promise<KObject>>();
  private failure: Error | undefined;
  private closed = false;

  private constructor(
    core: StoreCore,
    private readonly db: Database<KObject | number, string>,
    private readonly unlock: () => void,
    private readonly fsync: boolean,
  ) {
    super(core);
  }

  /** Opens (creating if needed, owner-only) the store in dir, loading every object and the current RV. */
  static async open(dir: string, opts: DurableOptions = {}): Promise<DurableStore> {
    const unlock = lockDataDir(dir);
    let db: Database<KObject | number, string> | undefined;
    try {
      // lmdb-js hands permissionsMode to mdb_env_open (its default is 0664): Secrets live in data.mdb.
      const options: Parameters<typeof openLmdb>[0] & { permissionsMode: number } = { path: dir, noSubdir: false, encoding: 'msgpack', permissionsMode: PRIVATE_FILE_MODE };
      db = openLmdb<KObject | number, string>(options);
      tightenTree(dir, ['data.mdb', 'lock.mdb', 'knet.lock']); // what an older version or a wide umask left open to others
      const rv = db.get(RV_KEY);
      const core = new StoreCore(opts, typeof rv === 'number' ? rv : 0);
      for (const { key, value } of db.getRange()) {
        if (typeof key === 'string' && key.startsWith('/') && typeof value === 'object') core.load(key, value);
      }
      return new DurableStore(core, db, unlock, opts.fsync ?? true);
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
    await Promise.allSettled([...this.inflight]);
    this.core.stopAll();
    await this.db.close();
    this.unlock();
  }

  /** Stages a write, hands it to lmdb and settles it (in RV order) once committed. */
  protected write(stage: () => StoreEvent): Promise<KObject> {
    if (this.closed) return Promise.reject(new Error('store is closed'));
    if (this.failure) return Promise.reject(this.failure);
    let e: StoreEvent;
    try {
      e = stage();
    } catch (err) {
      return Promise.reject(err);
    }
    const { db } = this;
    const committed = db.batch(() => {
      if (e.type === 'DELETED') void db.remove(e.key);
      else void db.put(e.key, e.object);
      void db.put(RV_KEY, e.rv);
    });
    const ack = new Promise<KObject>((resolve, reject) => {
      const entry: Pending = { e, done: false, resolve, reject };
      this.pending.push(entry);
      committed
        .then(() => (this.fsync ? db.flushed : undefined))
        .then(() => {
          entry.done = true;
          this.drain();
        }, (err: unknown) => this.fail(err));
    });
    this.inflight.add(ack);
    const forget = (): void => void this.inflight.delete(ack);
    ack.then(forget, forget);
    return ack;
  }

  /** Publishes and acknowledges the committed writes at the head of the queue, in RV order. */
  private drain(): void {
    let n = 0;
    while (n < this.pending.length && (this.pending[n] as Pending).done) n++;
    if (n === 0) return;
    const ready = this.pending.slice(0, n);
    this.pending = this.pending.slice(n);
    for (const p of ready) {
      this.core.publish(p.e);
      p.resolve(p.e.object);
    }
  }

  /** A commit failed: memory and disk may now differ, so every pending and later write fails. */
  private fail(err: unknown): void {
    this.failure ??= new Error(`store write failed; restart to recover from the data directory: ${errMsg(err)}`);
    const all = this.pending;
    this.pending = [];
    for (const p of all) p.reject(this.failure);
  }
}
