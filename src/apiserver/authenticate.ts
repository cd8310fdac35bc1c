/**
 * Who a request is: the admin client certificate (its CN is the user, each O a group), the admin
 * bearer token, or a service-account token checked against the objects it names (the service
 * account, and the pod or secret it is bound to, must still exist with the same uid). A request
 * without credentials is anonymous; one with bad credentials is refused (401).
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { timingSafeEqual } from 'node:crypto';
import type { KObject } from '../api/meta.js';
import type { Store } from '../store/types.js';
import type { ClientCertAuthenticator } from './authn.js';
import type { ServiceAccountTokens, TokenClaims } from './tokens.js';
import { AUTHENTICATED, MASTERS, serviceAccountGroups, serviceAccountUsername, type UserInfo } from './authz/user.js';

/** The outcome: a user, no credentials at all, or credentials that did not verify. */
export type AuthResult = { user: UserInfo } | { anonymous: true } | { invalid: string };

/** The identity the admin bearer token stands for (the kubeconfig's user). */
export const ADMIN_USER: UserInfo = { username: 'kubernetes-admin', groups: [MASTERS, AUTHENTICATED] };

/** The user a client certificate names: CN the username, every O a group (x509 CommonNameUserConversion). */
export function certificateUser(subject: string): UserInfo {
  const lines = subject.split('\n');
  const cn = lines.find((l) => l.startsWith('CN='))?.slice(3) ?? '';
  const groups = lines.filter((l) => l.startsWith('O=')).flatMap((l) => l.slice(2).split('+'));
  return { username: cn, groups: [...groups, AUTHENTICATED] };
}

/** Authenticates requests against the cluster's credentials. */
export class RequestAuthenticator {
  constructor(private readonly opts: { certs: ClientCertAuthenticator; adminToken: string; tokens: ServiceAccountTokens; store: Store }) {}

  /** The request's identity. */
  authenticate(req: IncomingMessage): AuthResult {
    const sock = req.socket as TLSSocket;
    if (this.opts.certs.authenticated(sock)) {
      const cert = sock.getPeerX509Certificate?.();
      if (cert) return { user: certificateUser(cert.subject) };
    }
    const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    if (!m) return req.headers.authorization ? { invalid: 'unsupported authorization scheme' } : { anonymous: true };
    const token = m[1]!.trim();
    const a = Buffer.from(token); const b = Buffer.from(this.opts.adminToken);
    if (a.length === b.length && timingSafeEqual(a, b)) return { user: ADMIN_USER };
    return this.serviceAccount(token);
  }

  /** A service-account token's user, after checking that what it names still exists. */
  serviceAccount(token: string, now = Date.now(), audiences?: string[]): AuthResult {
    const v = this.opts.tokens.verify(token, now, audiences);
    if ('error' in v) return { invalid: v.error };
    const k = v.claims['kubernetes.io'];
    const sa = this.get('serviceaccounts', k.namespace, k.serviceaccount.name);
    if (!sa) return { invalid: `service account ${k.namespace}/${k.serviceaccount.name} has been deleted` };
    if (sa.metadata.uid !== k.serviceaccount.uid) return { invalid: `service account UID (${sa.metadata.uid}) does not match claim (${k.serviceaccount.uid})` };
    for (const [what, ref] of [['pods', k.pod], ['secrets', k.secret]] as const) {
      if (!ref) continue;
      const o = this.get(what, k.namespace, ref.name);
      if (!o || o.metadata.uid !== ref.uid) return { invalid: `${what} ${k.namespace}/${ref.name} has been deleted` };
      const del = o.metadata.deletionTimestamp;
      if (del && Date.parse(del) < now) return { invalid: `${what} ${k.namespace}/${ref.name} is being deleted` };
    }
    return { user: serviceAccountUser(v.claims) };
  }

  /** The TokenReview status for a token (and the audiences it must be meant for). */
  review(token: string, audiences: string[] | undefined): Record<string, unknown> {
    const aud = audiences?.length ? audiences : this.opts.tokens.apiAudiences;
    const a = Buffer.from(token); const b = Buffer.from(this.opts.adminToken);
    const r = a.length === b.length && timingSafeEqual(a, b) && !audiences?.length ? { user: ADMIN_USER } : this.serviceAccount(token, Date.now(), aud);
    if (!('user' in r)) return { user: {}, error: '[invalid bearer token, ' + ('invalid' in r ? r.invalid : 'no token') + ']' };
    const u = r.user;
    return { authenticated: true, user: { username: u.username, ...(u.uid ? { uid: u.uid } : {}), groups: u.groups, ...(u.extra ? { extra: u.extra } : {}) }, audiences: aud };
  }

  private get(plural: string, ns: string, name: string): KObject | undefined {
    return this.opts.store.get(`/core/${plural}/${ns}/${name}`);
  }
}

function serviceAccountUser(c: TokenClaims): UserInfo {
  const k = c['kubernetes.io'];
  const extra: Record<string, string[]> = { 'authentication.kubernetes.io/credential-id': [`JTI=${c.jti}`] };
  if (k.pod) { extra['authentication.kubernetes.io/pod-name'] = [k.pod.name]; extra['authentication.kubernetes.io/pod-uid'] = [k.pod.uid]; }
  return { username: serviceAccountUsername(k.namespace, k.serviceaccount.name), uid: k.serviceaccount.uid, groups: serviceAccountGroups(k.namespace), extra };
}
