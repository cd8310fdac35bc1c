/**
 * Basic authentication (`IN:internal/ingress/annotations/auth/main.go`, notes §5.3): auth-type,
 * auth-secret (same namespace only), auth-secret-type (auth-file / auth-map), auth-realm. An unusable
 * Secret denies the location (503) with an `AnnotationParsingFailed` Warning event.
 */
import type { Secret } from '../../../api/kinds/secret.js';
import type { AuthConfig } from '../model.js';
import { htpasswdVerifier, parseHtpasswd, readableHash, unreadableLines } from './htpasswd.js';
import type { AnnotationParser } from './types.js';

const SECRET_REF = /^([a-z0-9][-a-z0-9]*\/)?[a-z0-9][-a-z0-9.]*$/;
const REALM = /^[^"\\\r\n]*$/;

const decode = (v: string | undefined): string | undefined => (v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8'));

/** The htpasswd entries of a Secret, or the reason it cannot be used. */
function usersOf(secret: Secret, key: string, type: string): Map<string, string> | string {
  const data = secret.data ?? {};
  if (type === 'auth-map') {
    const users = new Map<string, string>();
    for (const [user, hash] of Object.entries(data)) users.set(user, decode(hash)!.trim());
    return users.size ? users : `the secret ${key} does not contain any user`;
  }
  const file = decode(data.auth);
  if (file === undefined) return `the secret ${key} does not contain a key with value auth`;
  return parseHtpasswd(file);
}

/** auth-type, auth-secret, auth-secret-type, auth-realm. */
export const auth: AnnotationParser = ({ a, namespace, secret, warn, log, config }, out) => {
  const type = a.matching('auth-type', /^(basic|digest)$/);
  const ref = a.matching('auth-secret', SECRET_REF);
  const secretType = a.matching('auth-secret-type', /^(auth-file|auth-map)$/) ?? 'auth-file';
  const realm = a.matching('auth-realm', REALM) ?? '';
  if (!type) return;
  const deny = (reason: string): void => {
    warn('AnnotationParsingFailed', `Error parsing annotations: ${reason}`);
    out.location.auth = { realm, verify: () => Promise.resolve(false), denied: reason };
  };
  if (type === 'digest') return deny('auth-type digest is not supported by knet');
  if (!ref) return deny('error reading secret name from annotation: annotation auth-secret is missing');
  const [ns, name] = ref.includes('/') ? ref.split('/') as [string, string] : [namespace, ref];
  if (ns !== namespace && !config.allowCrossNamespaceResources) return deny('cross namespace usage of secrets is not allowed');
  const key = `${ns}/${name}`;
  const s = secret(ns, name);
  if (!s) return deny(`unexpected error reading secret ${key}: secret "${name}" not found`);
  const users = usersOf(s, key, secretType);
  if (typeof users === 'string') return deny(users);
  const bad = secretType === 'auth-file' ? unreadableLines(decode(s.data?.auth) ?? '') : [...users].filter(([, h]) => !readableHash(h)).map(([u]) => u);
  if (bad.length) {
    // nginx reads such a file and never lets those users in; say why, once per Ingress version.
    const msg = `the secret ${key} has htpasswd ${secretType === 'auth-file' ? 'lines' : 'users'} that can never match (${bad.join(', ')}): expected user:hash with an apr1, bcrypt, {SHA}, {SSHA} or {PLAIN} hash`;
    log('W', msg);
    warn('InvalidAuthSecret', msg);
  }
  const cfg: AuthConfig = { realm, verify: htpasswdVerifier(users) };
  out.location.auth = cfg;
};
