/**
 * The admission decisions of `agnhost webhook`, per path, with the behaviour (labels, container
 * names, patches and messages) of upstream's test/images/agnhost/webhook handlers.
 */
import type { KObject } from '../../api/meta.js';
import { sleep, untilAborted } from '../util/proc.js';
import type { Review, ReviewAnswer } from '../util/admission.js';

type Admit = (r: Review) => Promise<ReviewAnswer | undefined>;

const status = (s: Omit<NonNullable<ReviewAnswer['status']>, 'metadata'>): NonNullable<ReviewAnswer['status']> => ({ metadata: {}, ...s });
const patched = (ops: unknown[]): ReviewAnswer => ({ allowed: true, patch: Buffer.from(JSON.stringify(ops)).toString('base64'), patchType: 'JSONPatch' });
/** toV1AdmissionResponse(err). */
const failed = (message: string): ReviewAnswer => ({ allowed: false, status: status({ message }) });

function isResource(r: Review, resource: string): boolean {
  const gvr = r.request?.resource;
  return (gvr?.group ?? '') === '' && gvr?.version === 'v1' && gvr.resource === resource;
}

type Container = { name?: string; image?: string };
const containersOf = (o: KObject | null | undefined, field: 'containers' | 'initContainers'): Container[] =>
  ((o?.spec as Record<string, Container[] | undefined> | undefined)?.[field]) ?? [];

/** The handlers by path; `sidecarImage` is --sidecar-image, `signal` ends a request that waits forever. */
export function admitters(sidecarImage: string, signal: AbortSignal): Record<string, Admit> {
  return {
    '/always-allow-delay-5s': async () => {
      await sleep(5000, signal).catch(() => undefined);
      return { allowed: true, status: status({ message: 'this webhook allows all requests' }) };
    },
    '/always-deny': async () => ({ allowed: false, status: status({ message: 'this webhook denies all requests' }) }),
    '/add-label': async (r) => {
      const labels = r.request?.object?.metadata?.labels ?? {};
      if (Object.keys(labels).length === 0) return patched([{ op: 'add', path: '/metadata/labels', value: { 'added-label': 'yes' } }]);
      if (!('added-label' in labels)) return patched([{ op: 'add', path: '/metadata/labels/added-label', value: 'yes' }]);
      if (labels['added-label'] !== 'yes') return patched([{ op: 'replace', path: '/metadata/labels/added-label', value: 'yes' }]);
      return { allowed: true };
    },
    '/pods': async (r) => {
      if (!isResource(r, 'pods')) return failed('expect resource to be { v1 pods}');
      const pod = r.request?.object;
      let msg = '';
      let allowed = true;
      const label = pod?.metadata?.labels?.['webhook-e2e-test'];
      if (label === 'webhook-disallow') { allowed = false; msg += 'the pod contains unwanted label; '; }
      if (label === 'wait-forever') { await untilAborted(signal); return undefined; }
      for (const c of containersOf(pod, 'containers')) if ((c.name ?? '').includes('webhook-disallow')) { allowed = false; msg += 'the pod contains unwanted container name; '; }
      return allowed ? { allowed } : { allowed, status: status({ message: msg.trim() }) };
    },
    '/pods/attach': async (r) => {
      if (r.request?.name !== 'to-be-attached-pod') return { allowed: true };
      if (!isResource(r, 'pods')) return failed('expect resource to be { v1 pods}');
      if (r.request.subResource !== 'attach') return failed(`expect subresource to be attach, got ${r.request.subResource ?? ''}`);
      const o = (r.request.object ?? {}) as { stdin?: boolean; container?: string };
      if (!o.stdin || o.container !== 'container1') return { allowed: true };
      return { allowed: false, status: status({ message: "attaching to pod 'to-be-attached-pod' is not allowed" }) };
    },
    '/mutating-pods': async (r) => {
      if (!isResource(r, 'pods')) return undefined;
      const pod = r.request?.object;
      if (pod?.metadata?.name !== 'webhook-to-be-mutated' || containersOf(pod, 'initContainers').some((c) => c.name === 'webhook-added-init-container')) return { allowed: true };
      return patched([{ op: 'add', path: '/spec/initContainers', value: [{ image: 'webhook-added-image', name: 'webhook-added-init-container', resources: {} }] }]);
    },
    '/mutating-pods-sidecar': async (r) => {
      if (!sidecarImage) return { allowed: false, status: status({ status: 'Failure', message: 'No image specified by the sidecar-image parameter', code: 500 }) };
      if (!isResource(r, 'pods')) return undefined;
      if (containersOf(r.request?.object, 'containers').some((c) => c.name === 'webhook-added-sidecar')) return { allowed: true };
      return patched([{ op: 'add', path: '/spec/containers/-', value: { image: sidecarImage, name: 'webhook-added-sidecar', resources: {} } }]);
    },
    '/configmaps': async (r) => {
      if (!isResource(r, 'configmaps')) return undefined;
      const op = r.request?.operation;
      const cm = op === 'DELETE' ? r.request?.oldObject : r.request?.object;
      const v = ((cm?.data ?? {}) as Record<string, string>)['webhook-e2e-test'];
      if (v === 'webhook-disallow' && (op === 'CREATE' || op === 'UPDATE')) return { allowed: false, status: status({ reason: 'the configmap contains unwanted key and value' }) };
      if (v === 'webhook-nondeletable' && op === 'DELETE') return { allowed: false, status: status({ reason: 'the configmap cannot be deleted because it contains unwanted key and value' }) };
      return { allowed: true };
    },
    '/mutating-configmaps': async (r) => {
      if (!isResource(r, 'configmaps')) return undefined;
      const data = (r.request?.object?.data ?? {}) as Record<string, string>;
      let ops: unknown[] | undefined;
      if (data['mutation-start'] === 'yes') ops = [{ op: 'add', path: '/data/mutation-stage-1', value: 'yes' }];
      if (data['mutation-stage-1'] === 'yes') ops = [{ op: 'add', path: '/data/mutation-stage-2', value: 'yes' }];
      return ops ? patched(ops) : { allowed: true };
    },
  };
}
