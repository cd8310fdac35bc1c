/**
 * Requests to a version served over another version's storage (ResourceDef.storedAs, e.g.
 * autoscaling/v1 HorizontalPodAutoscalers stored as v2): bodies are converted to the stored
 * version before the generic write path and every object is converted back on the way out.
 * get, list (tables too), create, update, patch (JSON, merge and strategic merge, on the served form) and
 * delete (with its options) are served, lists with selectors and pages; server-side apply and watch are not.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors } from '../../api/errors.js';
import type { KObject } from '../../api/meta.js';
import { apiVersionOf, type ResourceDef } from '../../api/resource.js';
import { getObject, listObjects } from '../storage/read.js';
import { asObject, createObject, updateObject, type WriteOptions } from '../storage/write.js';
import { deleteObject } from '../storage/delete.js';
import { patchObject, patchTypeOf, unsupportedPatchType } from '../storage/patch.js';
import { readDeleteOptions } from './delete-options.js';
import { decodeBody, queryInt, readBody, type RequestInfo } from './request.js';
import { sendJSON } from './response.js';
import { toTable, wantsTable } from './table.js';
import type { ResourceContext } from './resources.js';

/** Serves one request for `def` (which has storedAs) with write options already parsed. */
export async function handleConverted(ctx: ResourceContext, def: ResourceDef, info: RequestInfo, req: IncomingMessage, res: ServerResponse, q: URLSearchParams, opts: WriteOptions): Promise<void> {
  const conv = def.storedAs!;
  const stored = conv.def;
  const ns = def.namespaced ? info.namespace ?? '' : '';
  const out = (o: KObject) => conv.fromStored(o);
  const method = req.method ?? 'GET';
  const table = wantsTable(req.headers.accept);
  if (info.subresource && info.subresource !== 'status') throw errors.notFound(def.plural, info.name ?? '');
  const readIn = async () => conv.toStored(asObject(def, decodeBody(await readBody(req), req.headers['content-type'], false, def.kind) ?? {}));
  if (method === 'GET' && info.name) {
    const o = getObject(ctx.store, stored, ns, info.name);
    return sendJSON(res, 200, table ? toTable(stored, [o], 'Metadata', { resourceVersion: o.metadata.resourceVersion }) : out(o));
  }
  if (method === 'GET') {
    const r = listObjects(ctx.store, stored, info.namespace, {
      labelSelector: q.get('labelSelector') ?? undefined, fieldSelector: q.get('fieldSelector') ?? undefined,
      limit: queryInt(q, 'limit'), continue: q.get('continue') ?? undefined,
    });
    const meta = { resourceVersion: String(r.rv), ...(r.continue ? { continue: r.continue } : {}) };
    return sendJSON(res, 200, table ? toTable(stored, r.items, 'Metadata', meta) : { kind: `${def.kind}List`, apiVersion: apiVersionOf(def), metadata: meta, items: r.items.map(out) });
  }
  if (method === 'POST' && !info.name) {
    const r = await createObject(ctx.store, stored, ns, await readIn(), { ...opts, subresource: undefined }, ctx.hooks);
    return sendJSON(res, 201, out(r.object), r.warnings);
  }
  if (method === 'PUT' && info.name) {
    const old = getObject(ctx.store, stored, ns, info.name);
    const r = await updateObject(ctx.store, stored, old, await readIn(), opts, false, ctx.hooks);
    return sendJSON(res, 200, out(r.object), r.warnings);
  }
  if (method === 'PATCH' && info.name) {
    const type = patchTypeOf(req.headers['content-type'] ?? '');
    if (!type || type === 'apply') throw unsupportedPatchType(false, false);
    const patch = decodeBody(await readBody(req), req.headers['content-type'], true);
    const r = await patchObject(ctx.store, stored, ns, info.name, type, patch, opts, ctx.hooks, { def, toStored: conv.toStored, fromStored: conv.fromStored });
    return sendJSON(res, 200, out(r.object), r.warnings);
  }
  if (method === 'DELETE' && info.name) {
    const r = await deleteObject(ctx.store, stored, ns, info.name, await readDeleteOptions(req, q), ctx.hooks);
    return sendJSON(res, 200, r.deleted ? { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: info.name, group: def.group, kind: def.plural, uid: r.object.metadata.uid } } : out(r.object));
  }
  throw errors.methodNotAllowed('the server does not allow this method on the requested resource');
}
