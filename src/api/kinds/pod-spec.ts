/**
 * PodSpec and PodTemplateSpec (core/v1) with their strategic-merge and list-map extensions.
 * The member types live in pod-spec-*.ts; defaults and validation in pod-defaults.ts and pod-validation.ts.
 */
import { Obj, Opt, Str, Int32, Int64, Bool, List, StrMap, MapOf, Quantity, type Static } from '../schema.js';
import { ObjectMeta } from '../meta.js';
import { LocalObjectReference, mergeList, atomic } from './pod-spec-common.js';
import { ContainerSchema, EphemeralContainerSchema, ResourceRequirements } from './pod-spec-container.js';
import { VolumeSchema } from './pod-spec-volume.js';
import {
  Affinity, Toleration, TopologySpreadConstraint, PodDNSConfig, HostAlias, PodSecurityContext,
  PodReadinessGate, PodSchedulingGate, PodResourceClaim, PodOS,
} from './pod-spec-scheduling.js';

export { ContainerSchema, type Container } from './pod-spec-container.js';
export { VolumeSchema, type Volume } from './pod-spec-volume.js';

const C = 'io.k8s.api.core.v1.';

export const PodSpecSchema = Obj(C + 'PodSpec', 'The desired state of a pod: its containers, volumes and scheduling constraints.', {
  volumes: Opt(List(VolumeSchema, 'Volumes the containers may mount.', mergeList('name', ['name'], { 'x-kubernetes-patch-strategy': 'merge,retainKeys' }))),
  initContainers: Opt(List(ContainerSchema, 'Containers run in order before the app containers.', mergeList('name'))),
  containers: List(ContainerSchema, 'The app containers; at least one.', mergeList('name')),
  ephemeralContainers: Opt(List(EphemeralContainerSchema, 'Debugging containers added at run time.', mergeList('name'))),
  restartPolicy: Opt(Str('Always, OnFailure or Never; defaults to Always.')),
  terminationGracePeriodSeconds: Opt(Int64('Seconds allowed for graceful shutdown; defaults to 30.')),
  activeDeadlineSeconds: Opt(Int64('Seconds the pod may run before it is failed.')),
  dnsPolicy: Opt(Str('ClusterFirst, ClusterFirstWithHostNet, Default or None.')),
  nodeSelector: Opt(StrMap('Node labels the pod must be scheduled onto.', { 'x-kubernetes-map-type': 'atomic' })),
  serviceAccountName: Opt(Str('Service account the pod runs as.')),
  serviceAccount: Opt(Str('Deprecated alias of serviceAccountName.')),
  automountServiceAccountToken: Opt(Bool('Whether to mount an API token.')),
  nodeName: Opt(Str('Node the pod is bound to.')),
  hostNetwork: Opt(Bool('Use the node network namespace.')),
  hostPID: Opt(Bool('Use the node PID namespace.')),
  hostIPC: Opt(Bool('Use the node IPC namespace.')),
  shareProcessNamespace: Opt(Bool('Share one PID namespace among the containers.')),
  securityContext: Opt(PodSecurityContext),
  imagePullSecrets: Opt(List(LocalObjectReference, 'Secrets used to pull images.', mergeList('name'))),
  hostname: Opt(Str('Host name of the pod; defaults to the pod name.')),
  subdomain: Opt(Str('Subdomain for a fully qualified host name.')),
  affinity: Opt(Affinity),
  schedulerName: Opt(Str('Scheduler that places the pod; defaults to default-scheduler.')),
  tolerations: Opt(List(Toleration, 'Taints the pod tolerates.', atomic)),
  hostAliases: Opt(List(HostAlias, 'Extra /etc/hosts entries.', mergeList('ip'))),
  priorityClassName: Opt(Str('Name of the PriorityClass.')),
  priority: Opt(Int32('Resolved priority value.')),
  dnsConfig: Opt(PodDNSConfig),
  readinessGates: Opt(List(PodReadinessGate, 'Extra conditions needed for readiness.', atomic)),
  runtimeClassName: Opt(Str('RuntimeClass to run the pod with.')),
  enableServiceLinks: Opt(Bool('Inject Service environment variables; defaults to true.')),
  preemptionPolicy: Opt(Str('PreemptLowerPriority or Never.')),
  overhead: Opt(MapOf(Quantity, 'Resource overhead of the runtime class.')),
  topologySpreadConstraints: Opt(List(TopologySpreadConstraint, 'How to spread pods across domains.',
    mergeList('topologyKey', ['topologyKey', 'whenUnsatisfiable']))),
  setHostnameAsFQDN: Opt(Bool('Use the fully qualified name as host name.')),
  os: Opt(PodOS),
  hostUsers: Opt(Bool('Use the host user namespace; false enables user namespaces.')),
  schedulingGates: Opt(List(PodSchedulingGate, 'Gates that block scheduling while present.', mergeList('name'))),
  resourceClaims: Opt(List(PodResourceClaim, 'Dynamic resource claims.', mergeList('name', ['name'], { 'x-kubernetes-patch-strategy': 'merge,retainKeys' }))),
  resources: Opt(ResourceRequirements),
  hostnameOverride: Opt(Str('Explicit host name for the pod.')),
});
export type PodSpec = Static<typeof PodSpecSchema>;

export const PodTemplateSpecSchema = Obj(C + 'PodTemplateSpec', 'Metadata and spec of pods created from a template.', {
  metadata: Opt(ObjectMeta),
  spec: Opt(PodSpecSchema),
});
export type PodTemplateSpec = Static<typeof PodTemplateSpecSchema>;
