/** The in-memory contents of one cluster's PersistentVolumes, by volume uid (the kubelet mounts them, the volume controller drops them). */
import { MemoryFileSystem } from '../../images/fs.js';
import type { FileSystem } from '../../images/types.js';

/** Per-cluster volume data: each PersistentVolume's files live here while the volume object exists. */
export class VolumeStore {
  private readonly data = new Map<string, MemoryFileSystem>();

  /** The filesystem of a volume, created empty on first use. */
  mount(uid: string): FileSystem {
    let fs = this.data.get(uid);
    if (!fs) this.data.set(uid, (fs = new MemoryFileSystem()));
    return fs;
  }

  /** Drops a volume's data (its PersistentVolume is gone). */
  release(uid: string): void {
    this.data.delete(uid);
  }

  /** Whether a volume holds data. */
  has(uid: string): boolean {
    return this.data.has(uid);
  }
}
