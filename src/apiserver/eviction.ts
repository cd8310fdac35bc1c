/**
 * The pods/eviction subresource (pkg/registry/core/pod/storage/eviction.go): deletes a pod unless
 * that would violate its PodDisruptionBudget, in which case it answers 429 as kube-apiserver does;
 * an admitted eviction spends one allowed disruption and is recorded in status.disruptedPods.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors, StatusError } from '../api/errors.js';
import type { Registry } from '../api/registry.js';
import type { ResourceDef } from '../api/resource.js';
import type { KObject } from '../api/meta.js';
import type { Pod } from '../api/kinds/pod.js';
import type { PodDisruptionBudget } from '../api/kinds/pdb.js';
import { podsOfBudget } from '../controllers/disruption/status.js';
import { isPodReady } from '../controllers/util/pods.js';
import type { Store } from '../store/types.js';
import { decodeBody, readBody } from './http/request.js';
import { sendJSON } from './http/response.js';
import { getObject, listObjects } from './storage/read.js';
import { updateObject, type WriteHooks } from './storage/write.js';
import { deleteObject } from './storage/delete.js';
import { parseDeleteOptions } from './http/delete-options.js';
import { rfc3339 } from './storage/meta.js';

const VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget.";

/** 429 TooManyRequests with a DisruptionBudget cause (errors.NewTooManyRequests plus the cause). */
function tooManyRequests(cause: string): StatusError {
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: VIOLATION, reason: 'TooManyRequests',
    details: { causes: [{ reason: 'DisruptionBudget', message: cause }] }, code: 429 });
}

/** Whether the budget can be ignored: the pod is not running (Succeeded, Failed, Pending) or already being deleted (canIgnorePDB). */
function canIgnoreBudget(pod: Pod): boolean {
  return !!pod.metadata.deletionTimestamp || ['Succeeded', 'Failed', 'Pending'].includes(pod.status?.phase ?? 'Pending');
}

/** Checks and spends the pod's budget (a dry run only checks, as checkAndDecrement); throws the 429 when it has no disruption to give. */
async function spendBudget(store: Store, def: ResourceDef, hooks: WriteHooks, pod: Pod, dryRun: boolean): Promise<void> {
  const ns = pod.metadata.namespace ?? '';
  const budgets = (listObjects(store, def, ns, {}).items as PodDisruptionBudget[]).filter((b) => podsOfBudget(b, [pod]).length);
  if (!budgets.length) return;
  if (budgets.length > 1) throw errors.internal('This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
  const pdb = budgets[0]!;
  const st = pdb.status;
  if (!isPodReady(pod)) {
    // An unhealthy pod may go when the budget is met anyway (IfHealthyBudget) or always (AlwaysAllow).
    if (pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow' || ((st?.currentHealthy ?? 0) >= (st?.desiredHealthy ?? 0) && (st?.desiredHealthy ?? 0) > 0)) return;
  }
  if ((st?.observedGeneration ?? 0) < (pdb.metadata.generation ?? 0)) throw tooManyRequests(`The disruption budget ${pdb.metadata.name} is still being processed by the server.`);
  if ((st?.disruptionsAllowed ?? 0) <= 0) {
    throw tooManyRequests(`The disruption budget ${pdb.metadata.name} needs ${st?.desiredHealthy ?? 0} healthy pods and has ${st?.currentHealthy ?? 0} currently`);
  }
  if (dryRun) return;
  const next = structuredClone(pdb) as PodDisruptionBudget;
  next.status = { ...st!, disruptionsAllowed: st!.disruptionsAllowed - 1, disruptedPods: { ...st!.disruptedPods, [pod.metadata.name!]: rfc3339(new Date()) } };
  await updateObject(store, def, pdb, next as KObject, { subresource: 'status' }, false, hooks);
}

/** The `eviction` connect handler for `ResourceContext.connect`. */
export function evictionHandler(deps: { store: Store; registry: Registry; hooks: WriteHooks }) {
  return async (def: ResourceDef, ns: string, name: string, req: IncomingMessage, res: ServerResponse, q: URLSearchParams): Promise<void> => {
    if (def.kind !== 'Pod') throw errors.notFound(def.plural, name);
    if ((req.method ?? 'POST') !== 'POST') throw errors.methodNotAllowed('the server does not allow this method on the requested resource');
    const body = (decodeBody(await readBody(req), req.headers['content-type'] || 'application/json') ?? {}) as { metadata?: { name?: string }; deleteOptions?: unknown };
    if (body.metadata?.name !== undefined && body.metadata.name !== name) throw errors.badRequest('name in URL does not match name in Eviction object');
    // Only DeleteOptions' own fields count (a client cannot choose the admission user); the query's dryRun applies too (propagateDryRun).
    const opts = parseDeleteOptions(body.deleteOptions, q, req);
    const pod = getObject(deps.store, def, ns, name) as Pod;
    const pdbDef = deps.registry.lookup('policy', 'v1', 'poddisruptionbudgets');
    for (let attempt = 0; !canIgnoreBudget(pod) && pdbDef; attempt++) {
      try { await spendBudget(deps.store, pdbDef, deps.hooks, pod, !!opts.dryRun); break; } catch (e) {
        if ((e as { code?: number }).code !== 409 || attempt >= 4) throw e;
      }
    }
    await deleteObject(deps.store, def, ns, name, { ...opts, preconditions: { uid: pod.metadata.uid, ...opts.preconditions } }, deps.hooks);
    sendJSON(res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
  };
}
