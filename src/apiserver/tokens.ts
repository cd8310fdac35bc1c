/**
 * Service-account tokens: JWTs signed (ES256) with a per-cluster key kept in `<data-dir>/pki/sa.key`
 * (0600), carrying the claims kube-apiserver's TokenRequest issues (iss, sub, aud, exp, iat, nbf, jti
 * and `kubernetes.io` with the namespace, the service account and the bound pod or secret), and
 * their verification (signature, issuer, audience, time).
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDir, writePrivateFile } from '../runtime/private-files.js';

/** The issuer (and default API audience) of knet's tokens, as kube-apiserver's default. */
export const ISSUER = 'https://kubernetes.default.svc.cluster.local';

/** An object a token is bound to. */
export interface BoundRef { name: string; uid: string }

/** The `kubernetes.io` private claims. */
export interface KubernetesClaims {
  namespace: string;
  serviceaccount: BoundRef;
  pod?: BoundRef;
  secret?: BoundRef;
  node?: BoundRef;
  warnafter?: number;
}

/** A token's claims. */
export interface TokenClaims {
  aud: string[]; exp: number; iat: number; nbf: number; iss: string; jti: string; sub: string;
  'kubernetes.io': KubernetesClaims;
}

/** What to issue a token for. */
export interface TokenSpec {
  namespace: string;
  serviceAccount: BoundRef;
  pod?: BoundRef;
  secret?: BoundRef;
  audiences?: string[];
  expirationSeconds: number;
  /** Seconds after which a use of the (extended) token is worth a warning. */
  warnAfterSeconds?: number;
}

const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

/** Signs and verifies service-account tokens with one key. */
export class ServiceAccountTokens {
  private readonly key: KeyObject;
  private readonly pub: KeyObject;
  /** The key id: base64url SHA-256 of the public key's DER (as kube-apiserver derives `kid`). */
  readonly kid: string;

  constructor(privateKeyPem: string, readonly apiAudiences: string[] = [ISSUER]) {
    this.key = createPrivateKey(privateKeyPem);
    this.pub = createPublicKey(this.key);
    this.kid = createHash('sha256').update(this.pub.export({ type: 'spki', format: 'der' })).digest('base64url');
  }

  /** Loads `<dir>/pki/sa.key`, creating it (0600) on first use; with no dir, a key in memory. */
  static load(dir: string | undefined): ServiceAccountTokens {
    const path = dir ? join(dir, 'pki', 'sa.key') : undefined;
    if (path && existsSync(path)) return new ServiceAccountTokens(readFileSync(path, 'utf8'));
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    if (dir && path) { ensurePrivateDir(join(dir, 'pki')); writePrivateFile(path, pem); }
    return new ServiceAccountTokens(pem);
  }

  /** Issues a token; returns it with its expiry (seconds since the epoch). */
  issue(spec: TokenSpec, nowMs = Date.now()): { token: string; exp: number } {
    const now = Math.floor(nowMs / 1000);
    const k: KubernetesClaims = { namespace: spec.namespace, serviceaccount: spec.serviceAccount };
    if (spec.pod) k.pod = spec.pod;
    if (spec.secret) k.secret = spec.secret;
    if (spec.warnAfterSeconds) k.warnafter = now + spec.warnAfterSeconds;
    const claims: TokenClaims = {
      aud: spec.audiences?.length ? spec.audiences : this.apiAudiences, exp: now + spec.expirationSeconds, iat: now, iss: ISSUER,
      jti: randomUUID(), 'kubernetes.io': k, nbf: now, sub: `system:serviceaccount:${spec.namespace}:${spec.serviceAccount.name}`,
    };
    const head = `${b64({ alg: 'ES256', kid: this.kid })}.${b64(claims)}`;
    const sig = sign('sha256', Buffer.from(head), { key: this.key, dsaEncoding: 'ieee-p1363' });
    return { token: `${head}.${sig.toString('base64url')}`, exp: claims.exp };
  }

  /** The claims of a token this key signed for one of the audiences (the API's by default) and valid now; a reason otherwise. */
  verify(token: string, nowMs = Date.now(), audiences: string[] = this.apiAudiences): { claims: TokenClaims } | { error: string } {
    const parts = token.split('.');
    if (parts.length !== 3) return { error: 'not a JWT' };
    let head: { alg?: string }; let claims: TokenClaims;
    try {
      head = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString()) as { alg?: string };
      claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString()) as TokenClaims;
    } catch { return { error: 'malformed token' }; }
    if (head.alg !== 'ES256') return { error: 'unexpected signing algorithm' };
    const ok = verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), { key: this.pub, dsaEncoding: 'ieee-p1363' }, Buffer.from(parts[2]!, 'base64url'));
    if (!ok) return { error: 'invalid signature' };
    if (claims.iss !== ISSUER) return { error: 'token issuer not accepted' };
    const now = Math.floor(nowMs / 1000);
    if (typeof claims.exp !== 'number' || now > claims.exp) return { error: 'token has expired' };
    if (typeof claims.nbf === 'number' && now < claims.nbf - 60) return { error: 'token used before issued' };
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!aud.some((a) => audiences.includes(a))) return { error: 'token audiences is invalid' };
    const k = claims['kubernetes.io'];
    if (!k?.namespace || !k.serviceaccount?.name) return { error: 'token lacks the service account claims' };
    return { claims };
  }
}
