/** The in-memory store backend (`--ephemeral`): nothing survives the process. */
import type { KObject } from '../api/meta.js';
import { StoreCore, type StoreOptions } from './core.js';
import type { StoreEvent } from './types.js';
import { CoreBackedStore } from './base.js';

/** A Store held entirely in memory; writes are acknowledged and published immediately. */
export class MemoryStore extends CoreBackedStore {
  private closed = false;

  constructor(opts: StoreOptions = {}) {
    super(new StoreCore(opts));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.core.stopAll();
  }

  protected async write(stage: () => StoreEvent): Promise<KObject> {
    if (this.closed) throw new Error('store is closed');
    const e = stage();
    this.core.publish(e);
    return e.object;
  }
}
