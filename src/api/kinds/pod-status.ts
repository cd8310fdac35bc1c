/** The core/v1 PodStatus schema: phase, conditions, IPs and per-container states. */
import { Obj, Opt, Str, Int32, Int64, Bool, List, MapOf, Quantity, Time, Type, type Static } from '../schema.js';
import { ResourceRequirements } from './pod-spec-container.js';
import { mergeList, atomic } from './pod-spec-common.js';

const C = 'io.k8s.api.core.v1.';
const ips = (id: string, what: string) => Obj(C + id, `One ${what} address.`, { ip: Str('The IP address.') });

export const PodCondition = Obj(C + 'PodCondition', 'One aspect of the current state of a pod.', {
  type: Str('Condition type, such as Ready or PodScheduled.'),
  observedGeneration: Opt(Int64('Pod generation the condition was set for.')),
  status: Str('True, False or Unknown.'),
  lastProbeTime: Opt(Time),
  lastTransitionTime: Opt(Time),
  reason: Opt(Str('Machine-readable reason of the last transition.')),
  message: Opt(Str('Human-readable details.')),
});

export const ContainerState = Obj(C + 'ContainerState', 'Exactly one of waiting, running or terminated.', {
  waiting: Opt(Obj(C + 'ContainerStateWaiting', 'The container is not running yet.', {
    reason: Opt(Str('Why it is waiting, such as ContainerCreating.')), message: Opt(Str('Details.')),
  })),
  running: Opt(Obj(C + 'ContainerStateRunning', 'The container is running.', { startedAt: Opt(Time) })),
  terminated: Opt(Obj(C + 'ContainerStateTerminated', 'The container has exited.', {
    exitCode: Int32('Exit status of the last run.'),
    signal: Opt(Int32('Signal that ended it.')),
    reason: Opt(Str('Why it ended, such as Completed or Error.')),
    message: Opt(Str('Details.')),
    startedAt: Opt(Time),
    finishedAt: Opt(Time),
    containerID: Opt(Str('Runtime id of the container.')),
  })),
});

export const ContainerStatus = Obj(C + 'ContainerStatus', 'Observed state of one container.', {
  name: Str('Container name.'),
  state: Opt(ContainerState),
  lastState: Opt(ContainerState),
  ready: Bool('Whether the readiness probe passes.'),
  restartCount: Int32('Number of restarts.'),
  image: Str('Image the container runs.'),
  imageID: Str('Resolved image id.'),
  containerID: Opt(Str('Runtime id of the container.')),
  started: Opt(Bool('Whether the startup probe passed.')),
  allocatedResources: Opt(MapOf(Quantity, 'Resources allocated to the container.')),
  resources: Opt(ResourceRequirements),
  volumeMounts: Opt(List(Obj(C + 'VolumeMountStatus', 'State of one mount.', {
    name: Str('Volume name.'), mountPath: Str('Mount path.'), readOnly: Opt(Bool('Read-only.')), recursiveReadOnly: Opt(Str('Effective recursive read-only mode.')),
  }), 'Mounts in effect.', mergeList('mountPath'))),
  user: Opt(Obj(C + 'ContainerUser', 'Identity of the first process.', {
    linux: Opt(Obj(C + 'LinuxContainerUser', 'Linux user and groups.', {
      uid: Int64('User id.'), gid: Int64('Group id.'),
      supplementalGroups: Opt(List(Type.Integer({ format: 'int64' }), 'Extra groups.', atomic)),
    })),
  })),
  allocatedResourcesStatus: Opt(List(Obj(C + 'ResourceStatus', 'Health of allocated devices.', {
    name: Str('Resource name.'),
    resources: Opt(List(Obj(C + 'ResourceHealth', 'Health of one device.', { resourceID: Str('Device id.'), health: Opt(Str('Healthy, Unhealthy or Unknown.')) }), 'Devices.', mergeList('resourceID'))),
  }), 'Device health by resource.', mergeList('name'))),
  stopSignal: Opt(Str('Effective stop signal.')),
});

const statuses = (d: string) => Opt(List(ContainerStatus, d, atomic));

export const PodStatusSchema = Obj(C + 'PodStatus', 'The observed state of a pod.', {
  observedGeneration: Opt(Int64('Pod generation the kubelet last acted on.')),
  phase: Opt(Str('Pending, Running, Succeeded, Failed or Unknown.')),
  conditions: Opt(List(PodCondition, 'Current conditions.', mergeList('type'))),
  message: Opt(Str('Human-readable detail about the phase.')),
  reason: Opt(Str('Short reason, such as Evicted.')),
  nominatedNodeName: Opt(Str('Node the pod may run on after preemption.')),
  hostIP: Opt(Str('Primary IP of the node.')),
  hostIPs: Opt(List(ips('HostIP', 'node'), 'IPs of the node.', { 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-patch-merge-key': 'ip', 'x-kubernetes-list-type': 'atomic' })),
  podIP: Opt(Str('Primary IP of the pod.')),
  podIPs: Opt(List(ips('PodIP', 'pod'), 'IPs of the pod, one per family.', mergeList('ip'))),
  startTime: Opt(Time),
  initContainerStatuses: statuses('States of the init containers.'),
  containerStatuses: statuses('States of the app containers.'),
  qosClass: Opt(Str('Guaranteed, Burstable or BestEffort.')),
  ephemeralContainerStatuses: statuses('States of the ephemeral containers.'),
  resize: Opt(Str('Deprecated in-place resize state.')),
  resourceClaimStatuses: Opt(List(Obj(C + 'PodResourceClaimStatus', 'Generated claim for a pod resource claim.', {
    name: Str('Entry in spec.resourceClaims.'), resourceClaimName: Opt(Str('Generated claim name.')),
  }), 'Generated resource claims.', mergeList('name'))),
  extendedResourceClaimStatus: Opt(Obj(C + 'PodExtendedResourceClaimStatus', 'Claim created for extended resources.', {
    requestMappings: List(Obj(C + 'ContainerExtendedResourceRequest', 'Maps a container resource to a claim request.', {
      containerName: Str('Container name.'), resourceName: Str('Extended resource name.'), requestName: Str('Request in the claim.'),
    }), 'Request mappings.', atomic),
    resourceClaimName: Str('Claim name.'),
  })),
  allocatedResources: Opt(MapOf(Quantity, 'Pod-level resources allocated.')),
  resources: Opt(ResourceRequirements),
});
export type PodStatus = Static<typeof PodStatusSchema>;
export type ContainerStatus = Static<typeof ContainerStatus>;
