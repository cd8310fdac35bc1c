/**
 * `auth-type: basic` (ingress-notes §5.3): missing or wrong credentials → 401 with
 * `WWW-Authenticate: Basic realm="…"`; an unusable secret denies the location (503); the accepted
 * user is logged as `$remote_user` and `Authorization` is not passed upstream.
 */
import type { Exchange } from './exchange.js';
import { sendPage } from './respond.js';

/** The user and password of a `Basic` Authorization header. */
export function basicCredentials(header: string | undefined): { user: string; password: string } | undefined {
  if (!header || header.length < 7 || header.slice(0, 6).toLowerCase() !== 'basic ') return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Checks basic authentication; resolves true when it answered (401/503). */
export async function basicAuth(ex: Exchange): Promise<boolean> {
  const auth = ex.location?.config.auth;
  if (!auth) return false;
  if (auth.denied !== undefined) {
    sendPage(ex, 503);
    return true;
  }
  const cred = basicCredentials(ex.req.headers.authorization);
  if (cred) ex.remoteUser = cred.user || '-';
  let ok = false;
  if (cred) {
    try { ok = await auth.verify(cred.user, cred.password); } catch { ok = false; }
  }
  if (ok) return false;
  sendPage(ex, 401, { headers: ['WWW-Authenticate', `Basic realm="${auth.realm}"`] });
  return true;
}
