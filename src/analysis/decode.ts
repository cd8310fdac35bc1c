/**
 * Turning manifest objects into the API objects a cluster would store: the schema's type checks
 * and pruning, defaulting, metadata validation, NetworkPolicy validation (errors name the file,
 * line and Kubernetes field path), and one representative pod per workload.
 */
import type { ResourceDef } from '../api/resource.js';
import type { KObject } from '../api/meta.js';
import { formatFieldError, type FieldError } from '../api/errors.js';
import { applySchemaDefaults, checkStructure, pruneNulls, pruneUnknown, typeErrorMessage } from '../api/structural.js';
import { validateObjectMeta } from '../apiserver/storage/meta.js';
import { namespaceDef } from '../api/kinds/namespace.js';
import { podDef, type Pod } from '../api/kinds/pod.js';
import { serviceDef } from '../api/kinds/service.js';
import { nodeDef } from '../api/kinds/node.js';
import { endpointSliceDef } from '../api/kinds/endpointslice.js';
import { networkPolicyDef } from '../api/kinds/networkpolicy.js';
import { deploymentDef } from '../api/kinds/deployment.js';
import { replicaSetDef } from '../api/kinds/replicaset.js';
import { PodTemplateSpecSchema, type PodTemplateSpec } from '../api/kinds/pod-spec.js';
import type { Manifest } from './manifests.js';
import { SnapshotError } from './snapshot.js';

/** Kinds stored as they are, by `apiVersion/kind`. */
const STORED: Record<string, ResourceDef> = Object.fromEntries(
  [namespaceDef, podDef, serviceDef, nodeDef, endpointSliceDef, networkPolicyDef].map((d) => [`${d.group ? `${d.group}/` : ''}${d.version}/${d.kind}`, d as unknown as ResourceDef]));

/** Workload kinds: where their pod template lives, and whether their replica count can be zero. */
const WORKLOADS: Record<string, { def?: ResourceDef; template: string[] }> = {
  'apps/v1/Deployment': { def: deploymentDef as unknown as ResourceDef, template: ['spec', 'template'] },
  'apps/v1/ReplicaSet': { def: replicaSetDef as unknown as ResourceDef, template: ['spec', 'template'] },
  'apps/v1/StatefulSet': { template: ['spec', 'template'] },
  'apps/v1/DaemonSet': { template: ['spec', 'template'] },
  'v1/ReplicationController': { template: ['spec', 'template'] },
  'batch/v1/Job': { template: ['spec', 'template'] },
  'batch/v1/CronJob': { template: ['spec', 'jobTemplate', 'spec', 'template'] },
};

/** The kinds analysis reads, whatever version a manifest names (a known kind in another version is an error, not ignored). */
export const KNOWN_KINDS: ReadonlySet<string> = new Set([...Object.keys(STORED), ...Object.keys(WORKLOADS)].map((k) => k.slice(k.lastIndexOf('/') + 1)));

/** The apiVersion analysis reads for a known kind. */
export function servedVersion(kind: string): string | undefined {
  const k = [...Object.keys(STORED), ...Object.keys(WORKLOADS)].find((x) => x.endsWith(`/${kind}`));
  return k?.slice(0, k.lastIndexOf('/'));
}

/** A decoded object and where it came from. */
export interface Decoded { obj: KObject; where: string }

/** A pod standing for a workload: the workload (`deployment/web`) and where it was written. */
export interface WorkloadPod extends Decoded { obj: Pod; workload: string }

/** kubectl's rendering of a 422: `The Kind "name" is invalid: <error>` (several as `* ` lines). */
function invalidMessage(kind: string, name: string, errs: FieldError[]): string {
  const msgs = errs.map(formatFieldError);
  return `The ${kind} "${name}" is invalid: ${msgs.length === 1 ? msgs[0] : `\n${msgs.map((m) => `* ${m}`).join('\n')}`}`;
}

function structural(obj: unknown, schema: ResourceDef['schema'], kind: string, apiVersion: string, where: string): void {
  pruneNulls(obj, schema);
  const { typeErrors } = checkStructure(obj, schema);
  if (typeErrors.length) throw new SnapshotError(`${where}: ${typeErrorMessage(kind, apiVersion, typeErrors)}`);
  pruneUnknown(obj, schema);
}

function meta(o: KObject, namespaced: boolean, where: string): void {
  if (!o.metadata || typeof o.metadata !== 'object') o.metadata = {};
  if (!o.metadata.name) throw new SnapshotError(`${where}: ${o.kind as string} has no metadata.name (knet gives offline objects no generated names)`);
  if (namespaced) o.metadata.namespace ||= 'default';
  else delete o.metadata.namespace;
}

/** Decodes one stored kind as the API server would (undefined for kinds that are not stored). */
export function decodeStored(m: Manifest): Decoded | undefined {
  const apiVersion = m.obj['apiVersion'] as string, kind = m.obj['kind'] as string;
  const def = STORED[`${apiVersion}/${kind}`];
  if (!def) return undefined;
  const o = structuredClone(m.obj) as KObject;
  structural(o, def.schema, kind, apiVersion, m.where);
  meta(o, def.namespaced, m.where);
  applySchemaDefaults(o, def.schema);
  def.default?.(o);
  const errs = validateObjectMeta(def, o.metadata);
  if (def === (networkPolicyDef as unknown)) errs.push(...def.validate!(o, { operation: 'create' }));
  if (errs.length) throw new SnapshotError(`${m.where}: ${invalidMessage(kind, o.metadata.name!, errs)}`);
  return { obj: o, where: m.where };
}

function dig(o: unknown, path: string[]): unknown {
  let v = o;
  for (const k of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

/**
 * The representative pod of a workload manifest (undefined for other kinds; null for workloads
 * scaled to zero, which have no pods): named like the workload (StatefulSets: `<name>-0`), with
 * the template's labels and containers, plus the labels the controllers add (Job, StatefulSet).
 */
export function decodeWorkload(m: Manifest): WorkloadPod | null | undefined {
  const apiVersion = m.obj['apiVersion'] as string, kind = m.obj['kind'] as string;
  const w = WORKLOADS[`${apiVersion}/${kind}`];
  if (!w) return undefined;
  const o = structuredClone(m.obj) as KObject;
  meta(o, true, m.where);
  if (w.def) {
    structural(o, w.def.schema, kind, apiVersion, m.where);
    applySchemaDefaults(o, w.def.schema);
    w.def.default?.(o);
  }
  if (dig(o, ['spec', 'replicas']) === 0) return null;
  const tpl = dig(o, w.template);
  const at = `${w.template.join('.')}`;
  if (!tpl || typeof tpl !== 'object') throw new SnapshotError(`${m.where}: The ${kind} "${o.metadata.name!}" is invalid: ${at}: Required value`);
  structural(tpl, PodTemplateSpecSchema, kind, apiVersion, m.where);
  const t = tpl as PodTemplateSpec;
  const name = o.metadata.name!, ns = o.metadata.namespace!;
  const labels: Record<string, string> = { ...(t.metadata?.labels ?? {}) };
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels }, spec: structuredClone(t.spec) } as Pod;
  if (t.metadata?.annotations) pod.metadata.annotations = { ...t.metadata.annotations };
  if (kind === 'Job') Object.assign(labels, { 'batch.kubernetes.io/job-name': name, 'job-name': name });
  if (kind === 'StatefulSet') {
    pod.metadata.name = `${name}-0`;
    Object.assign(labels, { 'statefulset.kubernetes.io/pod-name': `${name}-0`, 'apps.kubernetes.io/pod-index': '0' });
    const spec = (pod.spec ??= { containers: [] } as never);
    spec.hostname = `${name}-0`;
    const svc = dig(o, ['spec', 'serviceName']);
    if (typeof svc === 'string' && svc) spec.subdomain = svc;
  }
  podDef.default!(pod);
  return { obj: pod, where: m.where, workload: `${kind.toLowerCase()}/${name}` };
}
