/** Node (v1, cluster-scoped): schema, validation, printer (printNode) and field selectors. */
import { Obj, Opt, Str, Int32, Int64, Bool, List, MapOf, Quantity, Time, Free, Type, type Static } from '../schema.js';
import { kindProps, type KObject } from '../meta.js';
import type { ResourceDef } from '../resource.js';
import { field, type FieldError } from '../errors.js';
import { age, ageColumn, col, nameColumn } from '../printers/util.js';
import { isQualifiedName } from '../validation/names.js';
import { mergeList, atomic } from './pod-spec-common.js';
import { dnsSubdomain } from './pod-validation-util.js';

const C = 'io.k8s.api.core.v1.';
const resources = (d: string) => Opt(MapOf(Quantity, d));

export const Taint = Obj(C + 'Taint', 'Repels pods that do not tolerate it.', {
  key: Str('Taint key.'),
  value: Opt(Str('Taint value.')),
  effect: Str('NoSchedule, PreferNoSchedule or NoExecute.'),
  timeAdded: Opt(Time),
});

export const NodeSpecSchema = Obj(C + 'NodeSpec', 'Desired configuration of a node.', {
  podCIDR: Opt(Str('Pod IP range of the node.')),
  podCIDRs: Opt(List(Type.String(), 'Pod IP ranges, at most one per family.', { 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-list-type': 'set' })),
  providerID: Opt(Str('Cloud provider id of the node.')),
  unschedulable: Opt(Bool('Keep new pods off the node.')),
  taints: Opt(List(Taint, 'Taints of the node.', atomic)),
  configSource: Opt(Free('Deprecated dynamic kubelet configuration source.', C + 'NodeConfigSource')),
  externalID: Opt(Str('Deprecated.')),
});

export const NodeStatusSchema = Obj(C + 'NodeStatus', 'Observed state of a node.', {
  capacity: resources('Total resources of the node.'),
  allocatable: resources('Resources available to pods.'),
  phase: Opt(Str('Deprecated lifecycle phase.')),
  conditions: Opt(List(Obj(C + 'NodeCondition', 'One aspect of the node state.', {
    type: Str('Condition type, such as Ready.'),
    status: Str('True, False or Unknown.'),
    lastHeartbeatTime: Opt(Time),
    lastTransitionTime: Opt(Time),
    reason: Opt(Str('Reason of the last transition.')),
    message: Opt(Str('Details.')),
  }), 'Current conditions.', mergeList('type'))),
  addresses: Opt(List(Obj(C + 'NodeAddress', 'One address of the node.', {
    type: Str('Hostname, InternalIP, ExternalIP, InternalDNS or ExternalDNS.'),
    address: Str('The address.'),
  }), 'Addresses of the node.', mergeList('type'))),
  daemonEndpoints: Opt(Obj(C + 'NodeDaemonEndpoints', 'Ports of daemons on the node.', {
    kubeletEndpoint: Opt(Obj(C + 'DaemonEndpoint', 'A daemon port.', { Port: Int32('Port number.') })),
  })),
  nodeInfo: Opt(Obj(C + 'NodeSystemInfo', 'Identity and versions of the node software.', {
    machineID: Str('Machine id.'), systemUUID: Str('System UUID.'), bootID: Str('Boot id.'),
    kernelVersion: Str('Kernel version.'), osImage: Str('OS image.'),
    containerRuntimeVersion: Str('Container runtime and version.'), kubeletVersion: Str('Kubelet version.'),
    kubeProxyVersion: Str('Deprecated kube-proxy version.'), operatingSystem: Str('Operating system.'),
    architecture: Str('CPU architecture.'),
    swap: Opt(Obj(C + 'NodeSwapStatus', 'Swap memory of the node.', { capacity: Opt(Int64('Swap bytes.')) })),
  })),
  images: Opt(List(Obj(C + 'ContainerImage', 'An image present on the node.', {
    names: Opt(List(Type.String(), 'Names of the image.', atomic)), sizeBytes: Opt(Int64('Size in bytes.')),
  }), 'Images on the node.', atomic)),
  volumesInUse: Opt(List(Type.String(), 'Volumes in use.', atomic)),
  volumesAttached: Opt(List(Obj(C + 'AttachedVolume', 'A volume attached to the node.', {
    name: Str('Volume name.'), devicePath: Str('Device path.'),
  }), 'Volumes attached.', atomic)),
  config: Opt(Free('Deprecated dynamic configuration status.', C + 'NodeConfigStatus')),
  runtimeHandlers: Opt(List(Obj(C + 'NodeRuntimeHandler', 'A runtime handler.', {
    name: Opt(Str('Handler name.')),
    features: Opt(Obj(C + 'NodeRuntimeHandlerFeatures', 'Handler features.', {
      recursiveReadOnlyMounts: Opt(Bool('Supports recursive read-only mounts.')), userNamespaces: Opt(Bool('Supports user namespaces.')),
    })),
  }), 'Runtime handlers.', atomic)),
  features: Opt(Obj(C + 'NodeFeatures', 'Features the node supports.', { supplementalGroupsPolicy: Opt(Bool('Supports supplementalGroupsPolicy.')) })),
  declaredFeatures: Opt(List(Type.String(), 'Features declared by the node.', atomic)),
});

export const NodeSchema = Obj(C + 'Node', 'A worker machine that runs pods.', kindProps({
  spec: Opt(NodeSpecSchema),
  status: Opt(NodeStatusSchema),
}), { 'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'Node' }] });
export type Node = Static<typeof NodeSchema> & KObject;

function validateNode(n: Node): FieldError[] {
  const errs: FieldError[] = [];
  const cidrs = n.spec?.podCIDRs ?? [];
  cidrs.forEach((c, i) => {
    if (!/^[0-9a-fA-F:.]+\/\d{1,3}$/.test(c)) errs.push(field.invalid(`spec.podCIDRs[${i}]`, c, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
  });
  if (cidrs.length > 2) errs.push(field.invalid('spec.podCIDRs', cidrs, 'may specify no more than one CIDR for each IP family'));
  (n.spec?.taints ?? []).forEach((t, i) => {
    errs.push(...isQualifiedName(t.key ?? '').map((m) => field.invalid(`spec.taints[${i}].key`, t.key, m)));
    if (!t.effect) errs.push(field.required(`spec.taints[${i}].effect`, ''));
    else if (!['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(t.effect)) {
      errs.push(field.notSupported(`spec.taints[${i}].effect`, t.effect, ['NoSchedule', 'PreferNoSchedule', 'NoExecute']));
    }
  });
  return errs;
}

/** The Status column: Ready/NotReady/Unknown plus SchedulingDisabled. */
export function nodeStatus(n: Node): string {
  const ready = (n.status?.conditions ?? []).find((c) => c.type === 'Ready');
  const s = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (n.spec?.unschedulable) s.push('SchedulingDisabled');
  return s.join(',');
}

/** The Roles column: node-role.kubernetes.io/<role> and kubernetes.io/role labels, sorted, or `<none>`. */
export function nodeRoles(n: Node): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(n.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) { const r = k.slice('node-role.kubernetes.io/'.length); if (r) roles.add(r); }
    else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return roles.size ? [...roles].sort().join(',') : '<none>';
}

const addr = (n: Node, type: string) => n.status?.addresses?.find((a) => a.type === type)?.address ?? '<none>';
const unk = (s: string | undefined) => s || '<unknown>';

export const nodeDef: ResourceDef<Node> = {
  group: '', version: 'v1', kind: 'Node', plural: 'nodes', singular: 'node',
  namespaced: false, shortNames: ['no'], categories: [],
  schema: NodeSchema, statusSubresource: true, generation: false, otherSubresources: ['proxy'],
  default: (n) => {
    if (n.status?.capacity && !n.status.allocatable) n.status.allocatable = { ...n.status.capacity };
  },
  prepareForCreate: () => { /* nodes may set status on create */ },
  validate: (n) => validateNode(n),
  validateUpdate: (n, old) => {
    const errs: FieldError[] = [];
    const seen = new Set<string>();
    (n.status?.addresses ?? []).forEach((a, i) => {
      const k = `${a.type}/${a.address}`;
      if (seen.has(k)) errs.push(field.duplicate(`status.addresses[${i}]`, a));
      seen.add(k);
    });
    const oldC = old.spec?.podCIDRs ?? [];
    const newC = n.spec?.podCIDRs ?? [];
    if (oldC.length && (oldC.length !== newC.length || oldC.some((c, i) => c !== newC[i]))) {
      errs.push(field.forbidden('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid'));
    }
    if (old.spec?.providerID && old.spec.providerID !== n.spec?.providerID) {
      errs.push(field.forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
    }
    return errs;
  },
  columns: [
    nameColumn,
    col('Status', 'string', 'The status of the node'),
    col('Roles', 'string', 'The roles of the node'),
    ageColumn,
    col('Version', 'string', 'Kubelet version reported by the node.'),
    col('Internal-IP', 'string', 'First internal address of the node.', 1),
    col('External-IP', 'string', 'First external address of the node.', 1),
    col('OS-Image', 'string', 'Operating system image reported by the node.', 1),
    col('Kernel-Version', 'string', 'Kernel version reported by the node.', 1),
    col('Container-Runtime', 'string', 'Container runtime and version reported by the node.', 1),
  ],
  row: (n, now) => [
    n.metadata.name ?? '', nodeStatus(n), nodeRoles(n), age(n.metadata.creationTimestamp, now), n.status?.nodeInfo?.kubeletVersion ?? '',
    addr(n, 'InternalIP'), addr(n, 'ExternalIP'), unk(n.status?.nodeInfo?.osImage), unk(n.status?.nodeInfo?.kernelVersion),
    unk(n.status?.nodeInfo?.containerRuntimeVersion),
  ],
  fieldSelectors: {
    'spec.unschedulable': (n) => String(n.spec?.unschedulable ?? false),
  },
  nameValidation: 'subdomain',
};

/** Node name checks (ValidateNodeName is a DNS-1123 subdomain), exported for pod binding. */
export const validateNodeName = (name: string, path: string): FieldError[] => dnsSubdomain(name, path);
