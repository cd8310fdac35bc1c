/** The REST handler for /api and /apis resource paths: verbs, subresources, content negotiation. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors, StatusError } from '../../api/errors.js';
import type { KObject } from '../../api/meta.js';
import type { Registry } from '../../api/registry.js';
import { apiVersionOf, type ResourceDef } from '../../api/resource.js';
import type { Store } from '../../store/types.js';
import { getObject, listObjects, matcher, parseResourceVersion } from '../storage/read.js';
import { asObject, createObject, structural, updateObject, type WriteHooks, type WriteOptions } from '../storage/write.js';
import { patchObject, patchTypeOf, unsupportedPatchType } from '../storage/patch.js';
import { deleteCollection, deleteObject } from '../storage/delete.js';
import { readDeleteOptions } from './delete-options.js';
import { decodeBody, queryBool, queryInt, readBody, type RequestInfo } from './request.js';
import { checkKeySegments } from './target.js';
import { sendJSON } from './response.js';
import { toTable, wantsTable, type IncludeObject } from './table.js';
import { serveWatch } from './watch.js';
import { parseTimeoutSeconds } from './watch-timeout.js';
import { getScale, patchScale, updateScale } from './scale.js';
import { handleConverted } from './converted.js';
import { requestUser } from '../authz/request-user.js';
import { admitConnect } from '../storage/connect.js';

/** Everything a resource request needs. */
export interface ResourceContext {
  store: Store;
  registry: Registry;
  hooks: WriteHooks;
  /** Extra warnings per kind (e.g. the Endpoints deprecation). */
  warningsFor?(def: ResourceDef): string[];
  /** Handlers of connect subresources (log, exec, attach, portforward, …), by name. */
  connect?: Record<string, (def: ResourceDef, ns: string, name: string, req: IncomingMessage, res: ServerResponse, q: URLSearchParams) => void | Promise<void>>;
  /** Answers a create-only kind (the access reviews): the computed object, never stored. */
  review?(def: ResourceDef, body: KObject, ns: string, req: IncomingMessage): KObject;
}

function notFoundResource(): StatusError {
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', details: {}, code: 404 });
}

function writeOptions(q: URLSearchParams, sub: string | undefined, req: IncomingMessage): WriteOptions {
  const dry = q.getAll('dryRun');
  if (dry.some((d) => d !== 'All')) throw errors.badRequest(`Invalid dryRun value: ${dry.join(',')}`);
  const fv = q.get('fieldValidation') ?? undefined;
  if (fv && !['Strict', 'Warn', 'Ignore'].includes(fv)) {
    throw errors.badRequest(`fieldValidation parameter unsupported: ${fv}; valid values are ("Ignore", "Warn", "Strict")`);
  }
  return { dryRun: dry.length > 0, fieldManager: q.get('fieldManager') ?? undefined, fieldValidation: fv as WriteOptions['fieldValidation'], force: queryBool(q, 'force'), subresource: sub, user: requestUser(req) };
}

function includeObject(q: URLSearchParams): IncludeObject {
  const v = q.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

/** Handles one resource request; throws StatusError for the caller to send. */
export async function handleResource(ctx: ResourceContext, info: RequestInfo, req: IncomingMessage, res: ServerResponse, q: URLSearchParams): Promise<void> {
  const def = ctx.registry.lookup(info.group, info.version, info.resource ?? '');
  if (!def) throw notFoundResource();
  const ns = def.namespaced ? info.namespace : '';
  if (def.namespaced && info.name !== undefined && !ns) throw notFoundResource();
  const sub = info.subresource;
  const warnings = [...(def.deprecationWarning ? [def.deprecationWarning] : []), ...(ctx.warningsFor?.(def) ?? [])];
  const method = req.method ?? 'GET';
  checkKeySegments(def, info, method);
  if (sub && !['status', 'scale', 'finalize'].includes(sub)) {
    const h = ctx.connect?.[sub];
    if (!h || !(def.otherSubresources ?? []).includes(sub) || !info.name) throw notFoundResource();
    await admitConnect(ctx.hooks, def, ns!, info.name, sub, q, requestUser(req));
    await h(def, ns!, info.name, req, res, q);
    return;
  }
  if (sub === 'scale' && !def.scale) throw notFoundResource();
  if (sub === 'status' && !def.statusSubresource) throw notFoundResource();
  if (sub === 'finalize' && def.kind !== 'Namespace') throw notFoundResource();
  const table = wantsTable(req.headers.accept);
  if (def.verbs?.length === 1 && def.verbs[0] === 'create' && ctx.review) {
    if (method !== 'POST' || info.name || sub) throw errors.methodNotAllowed('the server does not allow this method on the requested resource');
    const body = asObject(def, decodeBody(await readBody(req), req.headers['content-type'], false, def.kind) ?? {});
    const w = structural(def, body, writeOptions(q, undefined, req).fieldValidation);
    return sendJSON(res, 201, ctx.review(def, body, ns ?? '', req), [...warnings, ...w]);
  }
  if (def.storedAs) return handleConverted(ctx, def, info, req, res, q, writeOptions(q, sub, req));

  if (method === 'GET') {
    if (info.name) {
      const o = getObject(ctx.store, def, ns!, info.name);
      if (sub === 'scale') return sendJSON(res, 200, getScale(def, o), warnings);
      if (table) return sendJSON(res, 200, toTable(def, [o], includeObject(q), { resourceVersion: o.metadata.resourceVersion }), warnings);
      return sendJSON(res, 200, o, warnings);
    }
    const sel = { labelSelector: q.get('labelSelector') ?? undefined, fieldSelector: q.get('fieldSelector') ?? undefined };
    const timeoutSeconds = parseTimeoutSeconds(q.get('timeoutSeconds'));
    if (queryBool(q, 'watch')) {
      // Bad selectors and versions are refused before the stream starts, with a Status as for a list.
      matcher(def, sel);
      parseResourceVersion(q.get('resourceVersion') ?? undefined);
      return serveWatch(ctx.store, def, info.namespace, {
        ...sel, resourceVersion: q.get('resourceVersion') ?? undefined, timeoutSeconds,
        allowBookmarks: queryBool(q, 'allowWatchBookmarks'), sendInitialEvents: queryBool(q, 'sendInitialEvents'),
        table: table ? includeObject(q) : undefined,
      }, req, res);
    }
    const r = listObjects(ctx.store, def, info.namespace, { ...sel, limit: queryInt(q, 'limit'), continue: q.get('continue') ?? undefined, resourceVersion: q.get('resourceVersion') ?? undefined });
    const meta = { resourceVersion: String(r.rv), ...(r.continue ? { continue: r.continue } : {}), ...(r.remainingItemCount ? { remainingItemCount: r.remainingItemCount } : {}) };
    if (table) return sendJSON(res, 200, toTable(def, r.items, includeObject(q), meta), warnings);
    return sendJSON(res, 200, { kind: `${def.kind}List`, apiVersion: apiVersionOf(def), metadata: meta, items: r.items }, warnings);
  }

  if (method === 'POST') {
    if (info.name) throw errors.methodNotAllowed(`the server does not allow this method on the requested resource`);
    if (def.namespaced && !ns) throw notFoundResource();
    const opts = writeOptions(q, undefined, req);
    const body = asObject(def, decodeBody(await readBody(req), req.headers['content-type'], false, def.kind) ?? {});
    const w = structural(def, body, opts.fieldValidation);
    const r = await createObject(ctx.store, def, ns!, body, opts, ctx.hooks);
    return sendJSON(res, 201, r.object, [...warnings, ...w, ...r.warnings]);
  }

  if (method === 'PUT') {
    if (!info.name) throw errors.methodNotAllowed('the server does not allow this method on the requested resource');
    const opts = writeOptions(q, sub, req);
    const raw = decodeBody(await readBody(req), req.headers['content-type'], false, def.kind) ?? {};
    const old = getObject(ctx.store, def, ns!, info.name);
    if (sub === 'scale') return sendJSON(res, 200, getScale(def, await updateScale(ctx.store, def, old, raw, opts, ctx.hooks)), warnings);
    const body = asObject(def, raw);
    const w = structural(def, body, opts.fieldValidation);
    const r = await updateObject(ctx.store, def, old, body, opts, false, ctx.hooks);
    return sendJSON(res, 200, r.object, [...warnings, ...w, ...r.warnings]);
  }

  if (method === 'PATCH') {
    if (!info.name) throw errors.methodNotAllowed('the server does not allow this method on the requested resource');
    const type = patchTypeOf(req.headers['content-type'] ?? '');
    if (!type || (type === 'strategic' && def.custom)) throw unsupportedPatchType(!!def.custom);
    const opts = writeOptions(q, sub, req);
    const patch = decodeBody(await readBody(req), req.headers['content-type'], true);
    if (sub === 'scale') {
      const old = getObject(ctx.store, def, ns!, info.name);
      return sendJSON(res, 200, getScale(def, await patchScale(ctx.store, def, old, type, patch, opts, ctx.hooks)), warnings);
    }
    const r = await patchObject(ctx.store, def, ns!, info.name, type, patch, opts, ctx.hooks);
    return sendJSON(res, r.created ? 201 : 200, r.object, [...warnings, ...r.warnings]);
  }

  if (method === 'DELETE') {
    const dopts = await readDeleteOptions(req, q);
    if (!info.name) {
      const sel = { labelSelector: q.get('labelSelector') ?? undefined, fieldSelector: q.get('fieldSelector') ?? undefined };
      const items = await deleteCollection(ctx.store, def, info.namespace, sel, dopts, ctx.hooks);
      return sendJSON(res, 200, { kind: `${def.kind}List`, apiVersion: apiVersionOf(def), metadata: { resourceVersion: String(ctx.store.currentRV()) }, items }, warnings);
    }
    const r = await deleteObject(ctx.store, def, ns!, info.name, dopts, ctx.hooks);
    const w = [...warnings, ...(r.warnings ?? [])];
    if (r.deleted && def.kind !== 'Pod' && def.kind !== 'Namespace') {
      return sendJSON(res, 200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: info.name, ...(def.group ? { group: def.group } : {}), kind: def.plural, uid: r.object.metadata.uid } }, w);
    }
    return sendJSON(res, 200, r.object, w);
  }
  throw errors.methodNotAllowed(`the server does not allow this method on the requested resource`);
}
