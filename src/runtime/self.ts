/** How to name knet in messages: `knet` when it is on PATH, else the path to this checkout's `bin/knet`. */
import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout (or installed package) root: dist/src/runtime/self.js → three folders up. */
const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function executable(path: string): boolean {
  try { accessSync(path, constants.X_OK); return true; } catch { return false; }
}

/**
 * The command a user types to run knet: `knet` when a `knet` is on `PATH` (e.g. after `npm link`),
 * else this checkout's `bin/knet` relative to `cwd` when it is below it, else its absolute path.
 */
export function knetCommand(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd(), root = packageRoot): string {
  for (const d of (env['PATH'] ?? '').split(delimiter)) if (d && isAbsolute(d) && executable(join(d, 'knet'))) return 'knet';
  const bin = join(root, 'bin', 'knet');
  const rel = relative(cwd, bin);
  if (!rel || rel.startsWith('..') || isAbsolute(rel)) return bin;
  const path = rel.split(sep).join('/');
  return path.includes('/') ? path : `./${path}`; // a shell runs a bare name from PATH only
}

/** knet's version, from its package.json. */
export function knetVersion(root = packageRoot): string {
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
}
