/** GET pods/{name}/log: validation of PodLogOptions and a chunked text/plain stream from the backend. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import { StatusError, errors } from '../../api/errors.js';
import type { Registry } from '../../api/registry.js';
import type { Store } from '../../store/types.js';
import { queryBool } from '../http/request.js';
import { sendError } from '../http/response.js';
import type { LogOptions, PodStreamBackend } from './backend.js';
import { checkPod } from './checks.js';

function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw errors.badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  return Number(v);
}

/** Parses and validates the log query like PodLogOptions validation (422 on bad values). */
export function logOptions(q: URLSearchParams): LogOptions {
  const o: LogOptions = {
    container: q.get('container') || undefined, follow: queryBool(q, 'follow'), previous: queryBool(q, 'previous'),
    tailLines: intParam(q, 'tailLines'), sinceSeconds: intParam(q, 'sinceSeconds'), sinceTime: q.get('sinceTime') || undefined,
    timestamps: queryBool(q, 'timestamps'), limitBytes: intParam(q, 'limitBytes'),
  };
  const errs: { type: 'FieldValueInvalid' | 'FieldValueForbidden'; field: string; value?: unknown; detail: string }[] = [];
  if (o.tailLines !== undefined && o.tailLines < 0) errs.push({ type: 'FieldValueInvalid', field: 'tailLines', value: o.tailLines, detail: 'must be greater than or equal to 0' });
  if (o.limitBytes !== undefined && o.limitBytes < 1) errs.push({ type: 'FieldValueInvalid', field: 'limitBytes', value: o.limitBytes, detail: 'must be greater than 0' });
  if (o.sinceSeconds !== undefined && o.sinceTime !== undefined) errs.push({ type: 'FieldValueForbidden', field: '', detail: 'at most one of `sinceTime` or `sinceSeconds` may be specified' });
  if (o.sinceSeconds !== undefined && o.sinceSeconds < 1) errs.push({ type: 'FieldValueInvalid', field: 'sinceSeconds', value: o.sinceSeconds, detail: 'must be greater than 0' });
  if (o.sinceTime !== undefined && Number.isNaN(Date.parse(o.sinceTime))) throw errors.badRequest(`parsing time ${JSON.stringify(o.sinceTime)} as "2006-01-02T15:04:05Z07:00": cannot parse`);
  if (errs.length) throw errors.invalid('PodLogOptions', '', errs);
  return o;
}

/** Serves a log request: 200 text/plain, streamed; `follow` keeps it open until the client leaves. */
export async function serveLogs(deps: { backend: PodStreamBackend; store: Store; registry: Registry }, ns: string, name: string, req: IncomingMessage, res: ServerResponse, q: URLSearchParams): Promise<void> {
  const opts = logOptions(q);
  const target = checkPod(deps.store, deps.registry, ns, name, opts.container, { needContainer: true, needHost: false });
  opts.container = target.container;
  const headers = { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' };
  if (!target.scheduled) { res.writeHead(200, headers); res.end(); return; }
  const abort = new AbortController();
  res.on('close', () => abort.abort());
  const out = new PassThrough();
  const result: { failed?: unknown } = {};
  let p: Promise<void>;
  try { p = deps.backend.logs(ns, name, opts, out, abort.signal); } catch (e) { p = Promise.reject(e); }
  const done = p.then(() => undefined, (e: unknown) => { result.failed = e ?? new Error('log stream failed'); });
  await new Promise<void>((r) => setImmediate(r));
  if (result.failed !== undefined) { sendError(res, result.failed); return; }
  res.writeHead(200, headers);
  res.flushHeaders();
  out.pipe(res);
  await done;
  const late: unknown = (result as { failed?: unknown }).failed;
  if (late !== undefined && !(late instanceof StatusError)) console.error('knet: log stream failed:', late);
  if (!out.writableEnded) out.end();
  void req;
}
