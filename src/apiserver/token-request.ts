/**
 * The `serviceaccounts/token` subresource (TokenRequest, authentication.k8s.io/v1): `kubectl create
 * token` posts one and gets a signed token for the service account, optionally bound to a pod or a
 * secret, valid 10 minutes to 2^32 seconds (1 hour by default), for the API audiences by default.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors, field, StatusError, type FieldError } from '../api/errors.js';
import type { KObject } from '../api/meta.js';
import type { ResourceDef } from '../api/resource.js';
import type { Store } from '../store/types.js';
import { decodeBody, readBody } from './http/request.js';
import { sendJSON } from './http/response.js';
import type { BoundRef, ServiceAccountTokens } from './tokens.js';

import { checkStructure, pruneUnknown, typeErrorMessage } from '../api/structural.js';
import { TokenRequestSchema, type TokenRequestSpec } from './token-request-schema.js';

const KIND = 'TokenRequest';
/** The lifetime ServiceAccount admission puts in projected volumes (token.WarnOnlyBoundTokenExpirationSeconds). */
const WARN_ONLY_SECONDS = 3607;
/** The extended lifetime of such tokens: one year. */
const EXTENDED_SECONDS = 365 * 24 * 3600;
const GROUP = 'authentication.k8s.io';

/** ValidateTokenRequest: the duration bounds. */
export function validateTokenRequest(spec: TokenRequestSpec): FieldError[] {
  const s = spec.expirationSeconds ?? 3600;
  if (!Number.isSafeInteger(s)) return [field.invalid('spec.expirationSeconds', s, 'must be an integer number of seconds')];
  if (s < 600) return [field.invalid('spec.expirationSeconds', s, 'may not specify a duration less than 10 minutes')];
  if (s > 2 ** 32) return [field.invalid('spec.expirationSeconds', s, 'may not specify a duration larger than 2^32 seconds')];
  return [];
}

function conflict(msg: string): StatusError {
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: msg, reason: 'Conflict', code: 409 });
}

/** Mints the token a TokenRequest asks for (used by the subresource and the kubelet's projected volumes). */
export function mintToken(store: Store, tokens: ServiceAccountTokens, ns: string, name: string, spec: TokenRequestSpec, nowMs = Date.now()): { token: string; exp: number } {
  const sa = store.get(`/core/serviceaccounts/${ns}/${name}`);
  if (!sa) throw errors.notFound('serviceaccounts', name);
  const errs = validateTokenRequest(spec);
  if (errs.length) throw errors.invalid(KIND, name, errs, GROUP);
  let pod: BoundRef | undefined; let secret: BoundRef | undefined;
  const ref = spec.boundObjectRef;
  if (ref) {
    const plural = ref.kind === 'Pod' ? 'pods' : ref.kind === 'Secret' ? 'secrets' : undefined;
    if (!plural || (ref.apiVersion ?? 'v1') !== 'v1') throw errors.badRequest(`cannot bind token for object of kind ${ref.kind ?? ''}`);
    const o: KObject | undefined = store.get(`/core/${plural}/${ns}/${ref.name ?? ''}`);
    if (!o) throw errors.notFound(plural, ref.name ?? '');
    // pkg/registry/core/serviceaccount/storage/token.go: a pod-bound token is for the pod's own service account.
    if (plural === 'pods' && ((o.spec as { serviceAccountName?: string } | undefined)?.serviceAccountName || 'default') !== name) {
      throw errors.badRequest(`cannot bind token for serviceaccount ${JSON.stringify(name)} to pod running with different serviceaccount name.`);
    }
    if (ref.uid && ref.uid !== o.metadata.uid) {
      throw conflict(`the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`);
    }
    const b = { name: o.metadata.name!, uid: o.metadata.uid! };
    if (plural === 'pods') pod = b; else secret = b;
  }
  // A pod's projected token asks for 3607 s: kube-apiserver (--service-account-extend-token-expiration)
  // issues it for a year with `warnafter` at the requested time, so pods keep working between refreshes.
  const requested = spec.expirationSeconds ?? 3600;
  const extend = pod !== undefined && requested === WARN_ONLY_SECONDS;
  return tokens.issue({
    namespace: ns, serviceAccount: { name, uid: sa.metadata.uid! }, pod, secret, audiences: spec.audiences,
    expirationSeconds: extend ? EXTENDED_SECONDS : requested, warnAfterSeconds: extend ? requested : undefined,
  }, nowMs);
}

/** The connect handler for `token` on service accounts. */
export function tokenRequestHandler(store: Store, tokens: ServiceAccountTokens) {
  return async (def: ResourceDef, ns: string, name: string, req: IncomingMessage, res: ServerResponse, q: URLSearchParams): Promise<void> => {
    if (def.kind !== 'ServiceAccount') throw errors.notFound(def.plural, name);
    if (req.method !== 'POST') throw errors.methodNotAllowed('the server does not allow this method on the requested resource');
    const body = (decodeBody(await readBody(req), req.headers['content-type'], false, KIND) ?? {}) as { spec?: TokenRequestSpec; metadata?: Record<string, unknown> };
    // Decoded as Go does: a wrong type (expirationSeconds "1h", 1.5) is a 400, unknown fields are dropped.
    const report = checkStructure(body, TokenRequestSchema);
    if (report.typeErrors.length) throw errors.badRequest(typeErrorMessage(KIND, `${GROUP}/v1`, report.typeErrors));
    pruneUnknown(body, TokenRequestSchema);
    const spec: TokenRequestSpec = { ...(body.spec ?? {}) };
    spec.expirationSeconds ??= 3600;
    const { token, exp } = mintToken(store, tokens, ns, name, spec);
    const dry = q.getAll('dryRun').length > 0;
    sendJSON(res, 201, {
      kind: KIND, apiVersion: `${GROUP}/v1`,
      metadata: { name, namespace: ns, creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z') },
      spec: { audiences: spec.audiences?.length ? spec.audiences : tokens.apiAudiences, expirationSeconds: spec.expirationSeconds, boundObjectRef: spec.boundObjectRef ?? null },
      status: { token: dry ? '' : token, expirationTimestamp: new Date(exp * 1000).toISOString().replace(/\.\d+Z$/, 'Z') },
    });
  };
}

/** The kubelet's token source: a TokenRequest for the pod's service account, bound to the pod. */
export function podTokenSource(store: Store, tokens: ServiceAccountTokens) {
  return (pod: KObject, src: { audience?: string; expirationSeconds?: number }): string => {
    const ns = pod.metadata.namespace ?? 'default';
    const sa = (pod.spec as { serviceAccountName?: string } | undefined)?.serviceAccountName || 'default';
    const ref = { kind: 'Pod', apiVersion: 'v1', name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' };
    const spec = { audiences: src.audience ? [src.audience] : undefined, expirationSeconds: src.expirationSeconds ?? 3600, boundObjectRef: ref };
    try { return mintToken(store, tokens, ns, sa, spec).token; } catch (e) {
      throw new Error(e instanceof StatusError ? e.status.message : (e as Error).message);
    }
  };
}
