/**
 * tar over the container's files (tar-stream): create, extract and list, `-f -`/file, `-C`, `-v`, `-z`,
 * `-O`, directories recursively — what `kubectl cp` runs (`tar cf - SRC`, `tar -xmf - -C DIR`), with
 * GNU tar's or busybox's messages. The memory filesystem keeps no modes or times: members get 0644
 * (0755 for directories and programs) and the current time.
 */
import { posix } from 'node:path';
import { promisify } from 'node:util';
import { gunzip as gunzipCb } from 'node:zlib';
import tarStream from 'tar-stream';
import type { FileSystem, Program, ProcessContext } from '../types.js';
import { parseTarArgs, type TarOptions } from './tar-args.js';
import { readBounded, resolvePath, type Userland } from './tool-input.js';
import { writeOut } from './pacing.js';
import { isDirPath } from './builtins.js';
import { create, MAX_ARCHIVE_BYTES } from './tar-create.js';

const gunzip = promisify(gunzipCb);

/** GNU's long listing (`-rw-r--r-- root/root   5 2025-01-01 00:00 name`) or busybox's (seconds, `%9u` size). */
export function longListing(h: tarStream.Header, ul: Userland): string {
  const mode = h.mode ?? 0o644;
  const bits = ['r', 'w', 'x'];
  let s = h.type === 'directory' ? 'd' : h.type === 'symlink' ? 'l' : '-';
  for (let i = 8; i >= 0; i--) s += mode & (1 << i) ? bits[(8 - i) % 3] : '-';
  const ug = `${h.uname || h.uid || 0}/${h.gname || h.gid || 0}`;
  const size = String(h.size ?? 0);
  const t = (h.mtime ?? new Date(0)).toISOString();
  if (ul === 'busybox') return `${s} ${ug} ${size.padStart(9)} ${t.slice(0, 10)} ${t.slice(11, 19)} ${h.name}`;
  return `${s} ${ug} ${' '.repeat(Math.max(0, 18 - ug.length - size.length))}${size} ${t.slice(0, 10)} ${t.slice(11, 16)} ${h.name}`;
}

async function extract(ctx: ProcessContext, o: TarOptions, ul: Userland, base: string): Promise<number> {
  let input = o.file === '-' ? await readBounded(ctx.stdin, ctx.signal, MAX_ARCHIVE_BYTES) : ctx.fs.read(resolvePath(ctx, o.file));
  if (input === undefined) {
    ctx.stderr.write(o.file === '-' ? 'tar: short read\n' : ul === 'busybox' ? `tar: can't open '${o.file}': No such file or directory\n` : `tar: ${o.file}: Cannot open: No such file or directory\ntar: Error is not recoverable: exiting now\n`);
    return ul === 'busybox' ? 1 : 2;
  }
  if (input.length === 0) return 0; // an empty input is an empty archive to both tars (GNU: after a warning-free EOF)
  if (o.gzip || (input[0] === 0x1f && input[1] === 0x8b)) {
    try { input = await gunzip(input, { maxOutputLength: MAX_ARCHIVE_BYTES }); } catch { ctx.stderr.write(ul === 'busybox' ? 'tar: invalid magic\n' : 'gzip: stdin: not in gzip format\ntar: Child returned status 1\ntar: Error is not recoverable: exiting now\n'); return ul === 'busybox' ? 1 : 2; }
  }
  const ex = tarStream.extract();
  ex.end(input);
  const fs = ctx.fs as FileSystem & { mkdir?: (p: string) => void };
  const filters = o.names.map((n) => n.replace(/\/+$/, ''));
  const seen = new Set<string>();
  try {
    for await (const entry of ex) {
      const h = entry.header;
      const name = h.name.replace(/^\/+/, '');
      const clean = posix.normalize(name).replace(/^(\.\.\/)+/, '').replace(/\/+$/, '');
      const wanted = !filters.length || filters.some((f) => clean === f || clean.startsWith(`${f}/`));
      if (wanted) seen.add(filters.find((f) => clean === f || clean.startsWith(`${f}/`)) ?? '');
      const chunks: Buffer[] = [];
      for await (const c of entry) chunks.push(c as Buffer);
      if (!wanted) continue;
      if (o.mode === 't') { ctx.stdout.write(`${o.verbose ? longListing(h, ul) : h.name}\n`); continue; }
      if (o.verbose) (o.toStdout ? ctx.stderr : ctx.stdout).write(`${h.name}\n`);
      const target = posix.join(base, clean);
      if (h.type === 'directory') { if (fs.mkdir) fs.mkdir(target); else if (!fs.list(target)) fs.write(`${target}/.keep`, ''); }
      else if (h.type === 'file' || h.type === 'contiguous-file' || !h.type) {
        if (o.toStdout) await writeOut(ctx.stdout, Buffer.concat(chunks), ctx.signal); else fs.write(target, Buffer.concat(chunks));
      }
    }
  } catch {
    ctx.stderr.write(ul === 'busybox' ? 'tar: invalid tar magic\n' : 'tar: This does not look like a tar archive\ntar: Exiting with failure status due to previous errors\n');
    return ul === 'busybox' ? 1 : 2;
  }
  const missing = filters.filter((f) => !seen.has(f));
  if (!missing.length) return 0;
  for (const m of missing) ctx.stderr.write(ul === 'busybox' ? `tar: ${m}: not found in archive\n` : `tar: ${m}: Not found in archive\n`);
  if (ul === 'busybox') return 1;
  ctx.stderr.write('tar: Exiting with failure status due to previous errors\n');
  return 2;
}

/** The `tar` program of a userland. */
export function tarProgram(ul: Userland): Program {
  return async (ctx) => {
    const o = parseTarArgs(ctx.argv.slice(1), ul);
    if ('error' in o) { ctx.stderr.write(o.error); return o.code; }
    const base = o.dir === undefined ? ctx.cwd || '/' : resolvePath(ctx, o.dir);
    if (!isDirPath(ctx.fs, base)) {
      ctx.stderr.write(ul === 'busybox' ? `tar: can't change directory to '${o.dir ?? base}': No such file or directory\n` : `tar: ${o.dir ?? base}: Cannot open: No such file or directory\ntar: Error is not recoverable: exiting now\n`);
      return ul === 'busybox' ? 1 : 2;
    }
    if (o.mode === 'c' && o.file === '-' && ctx.tty) {
      ctx.stderr.write(ul === 'busybox' ? 'tar: refusing to write archive to a terminal\n' : 'tar: Refusing to write archive contents to terminal (missing -f option?)\ntar: Error is not recoverable: exiting now\n');
      return ul === 'busybox' ? 1 : 2;
    }
    return o.mode === 'c' ? create(ctx, o, ul, base) : extract(ctx, o, ul, base);
  };
}
