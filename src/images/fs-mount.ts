/** A container filesystem with volumes mounted at directories: paths under a mount point read and write the volume's filesystem. */
import { normalizePath } from './fs.js';
import type { FileSystem } from './types.js';

/** One mounted volume. */
export interface Mount { path: string; fs: FileSystem; readOnly?: boolean }

/** Routes each path to the innermost mount holding it, else to the root filesystem. */
export class MountedFileSystem implements FileSystem {
  private readonly mounts: Mount[];

  constructor(private readonly root: FileSystem & { mkdir?(p: string): void }, mounts: Mount[]) {
    this.mounts = mounts.map((m) => ({ ...m, path: normalizePath(m.path) })).sort((a, b) => b.path.length - a.path.length);
    for (const m of this.mounts) root.mkdir?.(m.path);
  }

  private route(path: string): { fs: FileSystem & { mkdir?(p: string): void }; path: string; mount?: Mount } {
    const p = normalizePath(path);
    for (const m of this.mounts) {
      if (p === m.path) return { fs: m.fs, path: '/', mount: m };
      if (p.startsWith(m.path + '/')) return { fs: m.fs, path: p.slice(m.path.length), mount: m };
    }
    return { fs: this.root, path: p };
  }

  read(path: string): Buffer | undefined {
    const r = this.route(path);
    return r.fs.read(r.path);
  }

  write(path: string, data: Buffer | string): void {
    const r = this.route(path);
    if (r.mount?.readOnly) throw Object.assign(new Error(`${path}: Read-only file system`), { code: 'EROFS' });
    r.fs.write(r.path, data);
  }

  /** Creates a directory (and its parents) on the filesystem holding it. */
  mkdir(path: string): void {
    const r = this.route(path);
    if (r.mount?.readOnly) throw Object.assign(new Error(`${path}: Read-only file system`), { code: 'EROFS' });
    if (r.fs.mkdir) r.fs.mkdir(r.path);
    else if (r.path !== '/') r.fs.write(r.path + '/.keep', '');
  }

  list(dir: string): string[] | undefined {
    const r = this.route(dir);
    if (r.mount) return r.fs.list(r.path) ?? [];
    return r.fs.list(r.path);
  }

  exists(path: string): boolean {
    const r = this.route(path);
    return r.path === '/' && r.mount ? true : r.fs.exists(r.path);
  }

  remove(path: string): boolean {
    const r = this.route(path);
    if (r.mount && r.path === '/') return false; // a mount point stays (EBUSY)
    if (r.mount?.readOnly) return false;
    return r.fs.remove(r.path);
  }
}
