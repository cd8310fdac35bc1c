/**
 * What admission that may call out (webhooks) learns about a request: k8s.io/apiserver's
 * admission.Attributes, built by the write pipeline for create, update and delete.
 */
import type { KObject } from '../../api/meta.js';
import type { ResourceDef } from '../../api/resource.js';

/** The requesting user, as authentication saw it (authentication/v1 UserInfo). */
export interface UserInfo { username: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> }

/** The identity of requests made over HTTPS with the kubeconfig's admin credentials. */
export const ADMIN_USER: UserInfo = { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };

/** The identity of in-process writers by field manager (controllers, the node agent, the API server itself). */
export function inProcessUser(manager: string): UserInfo {
  if (manager === 'kube-apiserver') return { username: 'system:apiserver', groups: ['system:authenticated', 'system:masters'] };
  if (manager === 'kubelet') return { username: 'system:node', groups: ['system:authenticated', 'system:nodes'] };
  if (manager === 'service-controller') return { username: 'system:kube-controller-manager', groups: ['system:authenticated'] };
  if (manager.startsWith('kube-')) return { username: `system:${manager}`, groups: ['system:authenticated'] };
  return { username: `system:serviceaccount:kube-system:${manager}`, groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'] };
}

/** One admission request. Webhooks may replace `object` (mutating) and add warnings. */
export interface AdmissionAttributes {
  def: ResourceDef;
  operation: 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
  /** The object after the change; absent for DELETE. */
  object?: KObject;
  /** The stored object; absent for CREATE. */
  oldObject?: KObject;
  /** The request's namespace ('' for cluster-scoped) and name ('' for generateName creates). */
  namespace: string;
  name: string;
  subresource: string;
  dryRun: boolean;
  /** CreateOptions, UpdateOptions or DeleteOptions (meta.k8s.io/v1), as sent to webhooks. */
  options: Record<string, unknown>;
  user: UserInfo;
  /** Warnings for the client (webhooks' `response.warnings`). */
  warnings: string[];
  /** Applies defaults to `object` in place; mutating admission calls it before sending the object out. */
  prepare?: () => void;
}

/** The admission attributes of a create or update (options as CreateOptions/UpdateOptions). */
export function writeAttributes(def: ResourceDef, op: 'CREATE' | 'UPDATE', obj: KObject, old: KObject | undefined,
  opts: { dryRun?: boolean; fieldManager?: string; fieldValidation?: string; subresource?: string; user?: UserInfo }): AdmissionAttributes {
  return {
    def, operation: op, object: obj, oldObject: old, namespace: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '',
    subresource: opts.subresource ?? '', dryRun: !!opts.dryRun, user: opts.user ?? inProcessUser(opts.fieldManager ?? 'kube-apiserver'), warnings: [],
    options: writeOptionsObject(op === 'CREATE' ? 'CreateOptions' : 'UpdateOptions', opts),
  };
}

/** The options object of a write as AdmissionReview carries it. */
function writeOptionsObject(kind: 'CreateOptions' | 'UpdateOptions', opts: { dryRun?: boolean; fieldManager?: string; fieldValidation?: string }): Record<string, unknown> {
  return {
    kind, apiVersion: 'meta.k8s.io/v1',
    ...(opts.dryRun ? { dryRun: ['All'] } : {}),
    ...(opts.fieldManager ? { fieldManager: opts.fieldManager } : {}),
    ...(opts.fieldValidation ? { fieldValidation: opts.fieldValidation } : {}),
  };
}
