/**
 * htpasswd files as nginx's `auth_basic_user_file` reads them (`user:hash` per line, `#` comments):
 * `$apr1$` (Apache MD5), bcrypt `$2a$`/`$2b$`/`$2y$`, `{SHA}`, `{SSHA}` and `{PLAIN}`. A line or hash
 * that cannot be read never matches.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
import bcrypt from 'bcryptjs';

// apache-md5 is CommonJS whose bundled .d.ts declares an ES default export it does not have.
const aprMd5 = createRequire(import.meta.url)('apache-md5') as (password: string, salt?: string) => string;

/** The users of an htpasswd text and their hashes (the first line of a user counts, as nginx). */
export function parseHtpasswd(text: string): Map<string, string> {
  const users = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const user = line.slice(0, colon);
    if (!users.has(user)) users.set(user, line.slice(colon + 1));
  }
  return users;
}

function same(a: Buffer | string, b: Buffer | string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const sha1 = (...parts: Buffer[]) => createHash('sha1').update(Buffer.concat(parts)).digest();

const APR1 = /^\$apr1\$[^$]{1,8}\$[./0-9A-Za-z]{22}$/;
const BCRYPT = /^\$2[aby]\$\d\d\$[./0-9A-Za-z]{53}$/;

/** Whether knet can check passwords against this hash (apr1, bcrypt, {SHA}, {SSHA}, {PLAIN}). */
export function readableHash(hash: string): boolean {
  return APR1.test(hash) || BCRYPT.test(hash) || /^\{(SHA|SSHA|PLAIN)\}/.test(hash);
}

/** The 1-based numbers of the lines no password can ever match: no `user:`, or a hash knet cannot read. */
export function unreadableLines(text: string): number[] {
  const bad: number[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const colon = line.indexOf(':');
    if (colon <= 0 || !readableHash(line.slice(colon + 1))) bad.push(i + 1);
  });
  return bad;
}

/** Whether `password` matches one htpasswd hash; bcrypt is compared asynchronously so slow hashes yield the loop. */
export async function verifyHash(hash: string, password: string): Promise<boolean> {
  if (hash.startsWith('$apr1$')) {
    if (!APR1.test(hash)) return false;
    return same(aprMd5(password, hash), hash);
  }
  if (BCRYPT.test(hash)) {
    try { return await bcrypt.compare(password, hash); } catch { return false; }
  }
  if (hash.startsWith('{SHA}')) return same(sha1(Buffer.from(password)).toString('base64'), hash.slice(5));
  if (hash.startsWith('{SSHA}')) {
    const raw = Buffer.from(hash.slice(6), 'base64');
    if (raw.length <= 20) return false;
    return same(sha1(Buffer.from(password), raw.subarray(20)), raw.subarray(0, 20));
  }
  if (hash.startsWith('{PLAIN}')) return same(password, hash.slice(7));
  return false;
}

/** A verifier over htpasswd entries: unknown users and unreadable hashes never match. */
export function htpasswdVerifier(users: ReadonlyMap<string, string>): (user: string, password: string) => Promise<boolean> {
  return async (user, password) => {
    const hash = users.get(user);
    return hash === undefined ? false : verifyHash(hash, password);
  };
}
