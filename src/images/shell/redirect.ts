/** Redirections: files in the container's filesystem, /dev/null, fd duplication and here-documents. */
import type { Readable, Writable } from 'node:stream';
import type { IO, Shell } from './exec.js';
import type { Redir } from './parse.js';
import { expandHeredoc, expandString } from './expand.js';
import { Collector, fromString, nullSink } from './streams.js';

/** Applies redirections; returns the new streams and a finisher that writes files, or an exit status on error. */
export async function applyRedirs(sh: Shell, redirs: Redir[], io: IO): Promise<{ io: IO; finish: () => void } | number> {
  if (!redirs.length) return { io, finish: () => undefined };
  const fds: (Readable | Writable | null)[] = [io.stdin, io.stdout, io.stderr];
  const finishers: (() => void)[] = [];
  const env = sh.expEnv(io);
  for (const r of redirs) {
    if (r.heredoc) {
      fds[r.fd] = fromString(r.heredoc.quoted ? r.heredoc.body : await expandHeredoc(r.heredoc.body, env));
      continue;
    }
    const target = await expandString(r.target, env);
    if (r.op === '>&' || r.op === '<&') {
      if (target === '-') fds[r.fd] = r.op === '>&' ? nullSink() : null;
      else if (/^\d+$/.test(target)) fds[r.fd] = fds[Number(target)] ?? null;
      else if (r.op === '>&') { fds[1] = writer(sh, target, false, finishers); fds[2] = fds[1]; }
      continue;
    }
    if (r.op === '<') {
      if (target === '/dev/null') { fds[r.fd] = fromString(''); continue; }
      const data = sh.ctx.fs.read(sh.path(target));
      if (!data) {
        if (sh.flavour === 'ash') sh.err(io, `can't open '${target}': No such file or directory`);
        else if (sh.flavour === 'dash') sh.err(io, `cannot open ${target}: No such file`);
        else sh.err(io, `${target}: No such file or directory`);
        return 1;
      }
      fds[r.fd] = fromString(data);
      continue;
    }
    fds[r.fd] = writer(sh, target, r.op === '>>', finishers);
  }
  return {
    io: { stdin: (fds[0] as Readable | null) ?? null, stdout: (fds[1] as Writable) ?? nullSink(), stderr: (fds[2] as Writable) ?? nullSink(), signal: io.signal },
    finish: () => { for (const f of finishers) f(); },
  };
}

function writer(sh: Shell, target: string, append: boolean, finishers: (() => void)[]): Writable {
  if (target === '/dev/null') return nullSink();
  const path = sh.path(target);
  const prefix = append ? sh.ctx.fs.read(path) ?? Buffer.alloc(0) : Buffer.alloc(0);
  sh.ctx.fs.write(path, prefix);
  const c = new Collector();
  let last = 0;
  const flush = (): void => {
    const b = c.buffer();
    if (b.length !== last) { last = b.length; sh.ctx.fs.write(path, Buffer.concat([prefix, b])); }
  };
  c.on('finish', flush);
  const orig = c.write.bind(c);
  c.write = ((chunk: Buffer | string, ...rest: unknown[]) => {
    const r = (orig as (...a: unknown[]) => boolean)(chunk, ...rest);
    flush();
    return r;
  }) as typeof c.write;
  finishers.push(flush);
  return c;
}
