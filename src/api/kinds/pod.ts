/** Pod (v1): defaults, validation, create/update strategy, printer and field selectors. */
import type { ResourceDef } from '../resource.js';
import type { FieldError } from '../errors.js';
import { PodSchema, type Pod } from './pod-types.js';
import type { PodSpec } from './pod-spec.js';
import { defaultPodSpec } from './pod-defaults.js';
import { validatePodSpec } from './pod-validation.js';
import { validatePodSpecUpdate } from './pod-update.js';
import { podQOSClass } from './pod-qos.js';
import { admitPodSpec } from './pod-admission.js';
import { podColumns, printPod } from './pod-printer.js';

export { PodSchema, type Pod } from './pod-types.js';
export { printPod, podColumns } from './pod-printer.js';

const emptySpec = (): PodSpec => ({ containers: [] });

/** Pod defaulting: SetDefaults_PodSpec plus the pod-only defaults. */
export function defaultPod(pod: Pod): void {
  pod.spec = defaultPodSpec(pod.spec ?? emptySpec(), { pod: true });
}

/** The scheduling-gated condition PrepareForCreate adds when schedulingGates are present. */
function schedulingGated(pod: Pod): void {
  if (!pod.spec?.schedulingGates?.length || !pod.status) return;
  pod.status.conditions = [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' }];
}

export const podDef: ResourceDef<Pod> = {
  group: '', version: 'v1', kind: 'Pod', plural: 'pods', singular: 'pod',
  namespaced: true, shortNames: ['po'], categories: ['all'],
  schema: PodSchema, statusSubresource: true,
  otherSubresources: ['log', 'exec', 'attach', 'portforward', 'proxy', 'binding', 'eviction'],
  // Since 1.33 pods carry metadata.generation (1 on create, bumped on spec changes).
  generation: true,
  default: defaultPod,
  validate: (pod): FieldError[] => validatePodSpec(pod.spec ?? emptySpec(), 'spec'),
  validateUpdate: (pod, old) => validatePodSpecUpdate(pod.spec ?? emptySpec(), old.spec ?? emptySpec()),
  prepareForCreate: (pod) => {
    defaultPod(pod);
    admitPodSpec(pod.spec!);
    pod.status = { phase: 'Pending', qosClass: podQOSClass(pod.spec) };
    schedulingGated(pod);
    pod.metadata.generation = 1;
  },
  deletionGracePeriod: (pod, requested) => {
    let period = requested ?? pod.spec?.terminationGracePeriodSeconds ?? 0;
    if (!pod.spec?.nodeName) period = 0;
    if (pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded') period = 0;
    return period < 0 ? 1 : period;
  },
  columns: podColumns,
  row: printPod,
  fieldSelectors: {
    'spec.nodeName': (p) => p.spec?.nodeName ?? '',
    'spec.restartPolicy': (p) => p.spec?.restartPolicy ?? '',
    'spec.schedulerName': (p) => p.spec?.schedulerName ?? '',
    'spec.serviceAccountName': (p) => p.spec?.serviceAccountName ?? '',
    'spec.hostNetwork': (p) => String(p.spec?.hostNetwork ?? false),
    'status.phase': (p) => p.status?.phase ?? '',
    'status.podIP': (p) => p.status?.podIPs?.[0]?.ip ?? '',
    'status.nominatedNodeName': (p) => p.status?.nominatedNodeName ?? '',
  },
  nameValidation: 'subdomain',
};
