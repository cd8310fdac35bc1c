/** The shell and core tools every built-in image gets, plus helpers to list an image's binaries. */
import type { Program } from '../types.js';
import { shellProgram } from './program.js';
import { coreTools } from './tools.js';
import { tarProgram } from './tar.js';

/** `test` and `[` as programs (kubectl cp runs `test -d DEST`): the shell's builtin, run by a shell. */
const testPrograms: Record<string, Program> = Object.fromEntries(['test', '['].map((name) => [name, async (ctx) => ctx.spawn(
  ['sh', '-c', `${name} "$@"`, name, ...ctx.argv.slice(1)],
  { stdin: ctx.stdin, stdout: ctx.stdout, stderr: ctx.stderr, env: ctx.env, cwd: ctx.cwd, signal: ctx.signal },
)] as [string, Program]));

export { shellProgram } from './program.js';
export type { Flavour } from './exec.js';
export { coreTools, type Userland } from './tools.js';

/** Core tools with GNU wording plus `sh` (dash) and `bash`, as Debian-based images (nginx, httpd) have them. */
export const baseTools: Record<string, Program> = {
  ...coreTools('gnu'),
  ...testPrograms,
  tar: tarProgram('gnu'),
  sh: shellProgram('dash'),
  bash: shellProgram('bash'),
};

/** Busybox's applets: ash as `sh`, busybox wording. */
export const busyboxTools: Record<string, Program> = {
  ...coreTools('busybox'),
  ...testPrograms,
  tar: tarProgram('busybox'),
  sh: shellProgram('ash'),
  ash: shellProgram('ash'),
};

/** Files standing for the programs on PATH (`/bin/<name>`), so the shell can tell installed from missing. */
export function binFiles(names: Iterable<string>, dir = '/bin'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) out[`${dir}/${n}`] = '#!knet-builtin\n';
  return out;
}
