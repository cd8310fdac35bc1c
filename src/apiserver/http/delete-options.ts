/** metav1.DeleteOptions from a request (body and query) into the storage's options: only its real fields. */
import type { IncomingMessage } from 'node:http';
import { errors } from '../../api/errors.js';
import { requestUser } from '../authz/request-user.js';
import type { DeleteOptions } from '../storage/delete.js';
import { decodeBody, queryInt, readBody } from './request.js';

const POLICIES = ['Foreground', 'Background', 'Orphan'];

/**
 * The storage's DeleteOptions from a wire DeleteOptions object and the query (query parameters win);
 * fields DeleteOptions does not have (a client-sent `user`, say) are dropped, and the user is the request's.
 */
export function parseDeleteOptions(body: unknown, q: URLSearchParams, req: IncomingMessage): DeleteOptions {
  const b = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  const pp = q.get('propagationPolicy') ?? b.propagationPolicy;
  if (pp !== undefined && pp !== null && !POLICIES.includes(pp as string)) {
    throw errors.invalid('DeleteOptions', '', [{ type: 'FieldValueNotSupported', field: 'propagationPolicy', value: String(pp), supported: POLICIES }]);
  }
  const gp = queryInt(q, 'gracePeriodSeconds') ?? (typeof b.gracePeriodSeconds === 'number' ? b.gracePeriodSeconds : undefined);
  const pre = b.preconditions && typeof b.preconditions === 'object' ? b.preconditions as Record<string, unknown> : undefined;
  const preconditions = pre ? {
    ...(typeof pre.uid === 'string' ? { uid: pre.uid } : {}),
    ...(typeof pre.resourceVersion === 'string' ? { resourceVersion: pre.resourceVersion } : {}),
  } : undefined;
  const dryRun = q.getAll('dryRun').length > 0 || (Array.isArray(b.dryRun) && b.dryRun.length > 0);
  return {
    ...(pp ? { propagationPolicy: pp as DeleteOptions['propagationPolicy'] } : {}),
    ...(gp !== undefined ? { gracePeriodSeconds: gp } : {}),
    ...(preconditions ? { preconditions } : {}),
    ...(typeof b.orphanDependents === 'boolean' ? { orphanDependents: b.orphanDependents } : {}),
    dryRun, user: requestUser(req),
  };
}

/** Reads a DELETE request's options (its optional DeleteOptions body and the query). */
export async function readDeleteOptions(req: IncomingMessage, q: URLSearchParams): Promise<DeleteOptions> {
  const buf = await readBody(req);
  const body = buf.length > 0 ? decodeBody(buf, req.headers['content-type'] ?? 'application/json') : undefined;
  return parseDeleteOptions(body, q, req);
}
