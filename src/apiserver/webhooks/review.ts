/**
 * The AdmissionReview contract (admission.k8s.io/v1, and v1beta1 for webhooks that only accept
 * it): the request the API server sends and the checks on what comes back, with the messages of
 * k8s.io/apiserver's webhook request package.
 */
import { randomUUID } from 'node:crypto';
import type { KObject } from '../../api/meta.js';
import type { AdmissionAttributes } from '../storage/attributes.js';

/** metav1.Status as a webhook may return it in `response.status`. */
export interface ReviewStatus { status?: string; message?: string; reason?: string; code?: number; details?: unknown; metadata?: unknown }

/** A checked AdmissionResponse. */
export interface ReviewResponse {
  uid: string;
  allowed: boolean;
  status?: ReviewStatus;
  /** The decoded JSON patch (mutating webhooks only). */
  patch?: unknown[];
  warnings: string[];
}

/** The AdmissionReview version to send: the first of the webhook's list the server speaks. */
export function reviewVersion(versions: string[] | undefined): 'v1' | 'v1beta1' | undefined {
  for (const v of versions ?? []) if (v === 'v1' || v === 'v1beta1') return v;
  return undefined;
}

/** Builds the AdmissionReview request for one call (a fresh uid each time). */
export function buildReview(a: AdmissionAttributes, version: 'v1' | 'v1beta1', object: KObject | undefined): { uid: string; body: Record<string, unknown> } {
  const uid = randomUUID();
  const gvk = { group: a.def.group, version: a.def.version, kind: a.def.kind };
  const gvr = { group: a.def.group, version: a.def.version, resource: a.def.plural };
  const request: Record<string, unknown> = {
    uid, kind: gvk, resource: gvr, ...(a.subresource ? { subResource: a.subresource } : {}),
    requestKind: gvk, requestResource: gvr, ...(a.subresource ? { requestSubResource: a.subresource } : {}),
    ...(a.name ? { name: a.name } : {}), ...(a.namespace ? { namespace: a.namespace } : {}),
    operation: a.operation,
    userInfo: a.user,
    object: object ?? null,
    oldObject: a.oldObject ?? null,
    dryRun: a.dryRun,
    options: a.operation === 'CONNECT' ? null : a.options,
  };
  return { uid, body: { kind: 'AdmissionReview', apiVersion: `admission.k8s.io/${version}`, request } };
}

/** Go's GroupVersionKind String(): `admission.k8s.io/v1, Kind=AdmissionReview`. */
function gvkString(apiVersion: unknown, kind: unknown): string {
  const av = typeof apiVersion === 'string' ? apiVersion : '';
  return `${av.includes('/') ? av : '/' + av}, Kind=${typeof kind === 'string' ? kind : ''}`;
}

/** VerifyAdmissionResponse: throws with upstream's wording when the response breaks the contract. */
export function verifyResponse(uid: string, version: 'v1' | 'v1beta1', mutating: boolean, review: unknown): ReviewResponse {
  const r = (review ?? {}) as { apiVersion?: unknown; kind?: unknown; response?: Record<string, unknown> };
  const want = `admission.k8s.io/${version}`;
  if (r.apiVersion !== want || r.kind !== 'AdmissionReview') {
    throw new Error(`expected webhook response of ${want}, Kind=AdmissionReview, got ${gvkString(r.apiVersion, r.kind)}`);
  }
  const resp = r.response;
  if (!resp || typeof resp !== 'object') throw new Error('webhook response was absent');
  if (resp.uid !== uid) throw new Error(`expected response.uid="${uid}", got "${typeof resp.uid === 'string' ? resp.uid : ''}"`);
  const patchB64 = typeof resp.patch === 'string' ? resp.patch : '';
  const patchType = resp.patchType;
  let patch: unknown[] | undefined;
  if (mutating && patchB64) {
    if (patchType === undefined || patchType === null) throw new Error('webhook returned response.patch but not response.patchType');
    if (patchType !== 'JSONPatch') throw new Error(`webhook returned invalid response.patchType of "${String(patchType)}"`);
    const decoded = JSON.parse(Buffer.from(patchB64, 'base64').toString('utf8')) as unknown;
    if (!Array.isArray(decoded)) throw new Error('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
    patch = decoded;
  } else if (!mutating) {
    if (patchB64) throw new Error('validating webhook may not return response.patch');
    if (patchType !== undefined && patchType !== null) throw new Error('validating webhook may not return response.patchType');
  }
  const warnings = Array.isArray(resp.warnings) ? resp.warnings.filter((w): w is string => typeof w === 'string') : [];
  const status = resp.status && typeof resp.status === 'object' ? resp.status as ReviewStatus : undefined;
  return { uid, allowed: resp.allowed === true, status, patch, warnings };
}
