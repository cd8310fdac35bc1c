/** An in-memory filesystem for containers, optionally layered over a pod-wide parent. */
import type { FileSystem } from './types.js';

/** Normalizes a path: absolute, no `.`/`..`/empty segments, no trailing slash (except `/`). */
export function normalizePath(path: string, cwd = '/'): string {
  const parts: string[] = [];
  const full = path.startsWith('/') ? path : `${cwd}/${path}`;
  for (const seg of full.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return '/' + parts.join('/');
}

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** A FileSystem held in memory; reads fall through to `parent` unless the path was written or removed here. */
export class MemoryFileSystem implements FileSystem {
  private readonly files = new Map<string, Buffer>();
  private readonly dirs = new Set<string>(['/']);
  private readonly removed = new Set<string>();

  constructor(files: Record<string, string | Buffer> = {}, private readonly parent?: FileSystem) {
    for (const [p, data] of Object.entries(files)) this.write(p, data);
  }

  read(path: string): Buffer | undefined {
    const p = normalizePath(path);
    const own = this.files.get(p);
    if (own) return own;
    if (this.hidden(p)) return undefined;
    return this.parent?.read(p);
  }

  write(path: string, data: Buffer | string): void {
    const p = normalizePath(path);
    this.mkdir(parentOf(p));
    this.files.set(p, typeof data === 'string' ? Buffer.from(data) : data);
    this.removed.delete(p);
  }

  /** Creates a directory and its parents. */
  mkdir(path: string): void {
    for (let p = normalizePath(path); ; p = parentOf(p)) {
      this.dirs.add(p);
      this.removed.delete(p);
      if (p === '/') break;
    }
  }

  list(dir: string): string[] | undefined {
    const d = normalizePath(dir);
    if (!this.isDir(d)) return undefined;
    const names = new Set<string>(this.hidden(d) ? [] : this.parent?.list(d) ?? []);
    for (const n of [...names]) if (this.removed.has(join(d, n))) names.delete(n);
    const prefix = d === '/' ? '/' : d + '/';
    for (const p of [...this.files.keys(), ...this.dirs]) {
      if (p !== d && p.startsWith(prefix)) {
        const name = p.slice(prefix.length).split('/')[0];
        if (name) names.add(name);
      }
    }
    return [...names].sort();
  }

  exists(path: string): boolean {
    const p = normalizePath(path);
    return this.read(p) !== undefined || this.isDir(p);
  }

  remove(path: string): boolean {
    const p = normalizePath(path);
    if (!this.exists(p) || p === '/') return false;
    const prefix = p + '/';
    for (const k of [...this.files.keys()]) if (k === p || k.startsWith(prefix)) this.files.delete(k);
    for (const k of [...this.dirs]) if (k === p || k.startsWith(prefix)) this.dirs.delete(k);
    if (this.parent?.exists(p)) this.removed.add(p);
    return true;
  }

  private isDir(p: string): boolean {
    if (this.dirs.has(p)) return true;
    if (this.hidden(p)) return false;
    return !!this.parent && this.parent.read(p) === undefined && this.parent.list(p) !== undefined;
  }

  private hidden(p: string): boolean {
    for (let q = p; ; q = parentOf(q)) {
      if (this.removed.has(q)) return true;
      if (q === '/') return false;
    }
  }
}

function join(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}
