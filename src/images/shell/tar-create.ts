/**
 * `tar c`: walks the named files with the event loop getting turns, refuses an archive over the size
 * limit before writing a byte, and streams the packed (optionally gzipped) archive to stdout while
 * waiting for a slow reader, so only a bounded window of the archive is in memory at a time.
 */
import { posix } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import tarStream from 'tar-stream';
import type { FileSystem, ProcessContext } from '../types.js';
import type { TarOptions } from './tar-args.js';
import { resolvePath, type Userland } from './tool-input.js';
import { Slicer, writeOut } from './pacing.js';
import { isDirPath } from './builtins.js';

/** The largest archive tar creates or extracts (the memory filesystem holds it all). */
export const MAX_ARCHIVE_BYTES = 64 * 1024 * 1024;
/** How far packing may run ahead of the reader. */
const WINDOW_BYTES = 1024 * 1024;

/** One member to archive. */
interface Member { name: string; path: string; dir: boolean; size: number }

/** Bytes a member takes in a ustar archive: a header block plus its data padded to 512. */
function blocks(size: number): number { return 512 + Math.ceil(size / 512) * 512; }

/** Lists the members under each name, depth first as GNU tar does; false when a name does not exist. */
async function collect(fs: FileSystem, base: string, name: string, out: Member[], slicer: Slicer): Promise<boolean> {
  const stack = [name];
  let first = true;
  while (stack.length) {
    await slicer.tick();
    const n = stack.pop() ?? '';
    const path = posix.resolve(base, n);
    const stripped = n.replace(/^\/+/, '') || '.';
    const data = fs.read(path);
    if (data !== undefined) { out.push({ name: stripped, path, dir: false, size: data.length }); first = false; continue; }
    const kids = fs.list(path);
    if (kids === undefined && !isDirPath(fs, path)) { if (first) return false; continue; }
    first = false;
    out.push({ name: stripped.endsWith('/') ? stripped : `${stripped}/`, path, dir: true, size: 0 });
    for (const k of [...(kids ?? [])].reverse()) stack.push(`${stripped.replace(/\/$/, '')}/${k}`);
  }
  return true;
}

/** Where the archive goes: stdout (waiting for the reader) or a file, collected up to the limit. */
function sink(ctx: ProcessContext, o: TarOptions, chunks: Buffer[]): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (o.file !== '-') { chunks.push(chunk); cb(); return; }
      writeOut(ctx.stdout, chunk, ctx.signal).then((ok) => cb(ok ? null : new Error('reader gone')), cb);
    },
  });
}

/** Creates an archive of `o.names` (relative to `base`); the exit code. */
export async function create(ctx: ProcessContext, o: TarOptions, ul: Userland, base: string): Promise<number> {
  const members: Member[] = [];
  const slicer = new Slicer();
  let failed = false;
  if (o.names.some((n) => n.startsWith('/'))) ctx.stderr.write(ul === 'busybox' ? "tar: removing leading '/' from member names\n" : "tar: Removing leading `/' from member names\n");
  for (const n of o.names) {
    if (await collect(ctx.fs, base, n, members, slicer)) continue;
    failed = true;
    ctx.stderr.write(ul === 'busybox' ? `tar: ${n}: No such file or directory\n` : `tar: ${n}: Cannot stat: No such file or directory\n`);
  }
  const total = members.reduce((sum, m) => sum + blocks(m.size), 1024);
  if (total > MAX_ARCHIVE_BYTES) {
    // GNU tar reports EFBIG as "Cannot write: File too large"; the limit is knet's.
    ctx.stderr.write(ul === 'busybox' ? `tar: write: File too large (archive of ${total} bytes exceeds the ${MAX_ARCHIVE_BYTES}-byte limit)\n` : `tar: ${o.file}: Cannot write: File too large (archive of ${total} bytes exceeds the ${MAX_ARCHIVE_BYTES}-byte limit)\ntar: Error is not recoverable: exiting now\n`);
    return ul === 'busybox' ? 1 : 2;
  }
  const pack = tarStream.pack();
  let produced = 0;
  let consumed = 0;
  let wake: (() => void) | undefined;
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const c of pack) { consumed += (c as Buffer).length; wake?.(); yield c as Buffer; }
  }
  const chunks: Buffer[] = [];
  const done = o.gzip ? pipeline(counted(), createGzip(), sink(ctx, o, chunks)) : pipeline(counted(), sink(ctx, o, chunks));
  let stopped = false;
  done.catch(() => { stopped = true; wake?.(); });
  const mtime = new Date();
  const verbose = o.file === '-' ? ctx.stderr : ctx.stdout;
  for (const m of members) {
    while (produced - consumed > WINDOW_BYTES && !stopped && !ctx.signal.aborted) await new Promise<void>((r) => { wake = r; });
    wake = undefined;
    if (stopped || ctx.signal.aborted) break;
    await slicer.tick();
    const data = m.dir ? Buffer.alloc(0) : ctx.fs.read(m.path) ?? Buffer.alloc(0);
    const exec = data.subarray(0, 2).toString() === '#!';
    pack.entry({ name: m.name, type: m.dir ? 'directory' : 'file', mode: m.dir || exec ? 0o755 : 0o644, mtime, uid: 0, gid: 0, uname: 'root', gname: 'root', size: data.length }, data);
    produced += blocks(data.length);
    if (o.verbose) verbose.write(`${m.name}\n`);
  }
  if (stopped || ctx.signal.aborted) { pack.destroy(); await done.catch(() => undefined); return 1; }
  pack.finalize();
  try { await done; } catch { return 1; }
  if (o.file !== '-') ctx.fs.write(resolvePath(ctx, o.file), Buffer.concat(chunks));
  if (!failed) return 0;
  if (ul === 'busybox') { ctx.stderr.write('tar: error exit delayed from previous errors\n'); return 1; }
  ctx.stderr.write('tar: Exiting with failure status due to previous errors\n');
  return 2;
}
