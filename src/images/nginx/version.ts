/** nginx versions: which release a tag means, and the files that release ships. */
import { ERR50X_2012, ERR50X_2021, INDEX_2012, INDEX_2021, INDEX_2026, RELEASES } from './pages.js';

type V = [number, number, number];

function parse(v: string): V {
  const [a = 0, b = 0, c = 0] = v.split('.').map(Number);
  return [a, b, c];
}

function cmp(a: V, b: V): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

function latest(filter: (v: V) => boolean): string {
  const vs = Object.keys(RELEASES).map(parse).filter(filter).sort(cmp);
  return (vs[vs.length - 1] ?? [1, 27, 3]).join('.');
}

/** The newest mainline (odd minor) release. */
export const MAINLINE = latest((v) => v[1] % 2 === 1);
/** The newest stable (even minor) release. */
export const STABLE = latest((v) => v[1] % 2 === 0);

/** The nginx version an image tag runs (`1.27` → newest 1.27.x, `stable-alpine` → newest stable, none → mainline). */
export function nginxVersion(tag?: string): string {
  if (!tag) return MAINLINE;
  const full = /^(\d+)\.(\d+)\.(\d+)/.exec(tag);
  if (full) return `${full[1]}.${full[2]}.${full[3]}`;
  const minor = /^(\d+)\.(\d+)/.exec(tag);
  if (minor) {
    const m = Number(minor[2]);
    const found = latest((v) => v[0] === Number(minor[1]) && v[1] === m);
    return found.startsWith(`${minor[1]}.${m}.`) ? found : `${minor[1]}.${m}.0`;
  }
  return tag.includes('stable') ? STABLE : MAINLINE;
}

/** The stock html files of a version, with their modification time (the release time). */
export function nginxHtml(version: string): { index: string; err50x: string; mtime: number } {
  const v = parse(version);
  const dark = cmp(v, [1, 21, 2]) >= 0;
  const index = cmp(v, [1, 29, 6]) >= 0 && !(v[1] === 28) ? INDEX_2026 : dark ? INDEX_2021 : INDEX_2012;
  return { index, err50x: dark ? ERR50X_2021 : ERR50X_2012, mtime: RELEASES[version] ?? 1732636500 };
}

/** The compiler line nginx prints at startup for the image's base system. */
export function builtBy(version: string, alpine: boolean): string {
  const trixie = cmp(parse(version), [1, 29, 1]) >= 0;
  if (alpine) return trixie ? 'gcc 14.2.0 (Alpine 14.2.0) ' : 'gcc 13.2.1 20240309 (Alpine 13.2.1_git20240309) ';
  return trixie ? 'gcc 14.2.0 (Debian 14.2.0-19) ' : 'gcc 12.2.0 (Debian 12.2.0-14) ';
}
