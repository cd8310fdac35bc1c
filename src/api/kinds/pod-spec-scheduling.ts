/** Pod-level core/v1 schemas: affinity, tolerations, spreading, DNS, host aliases, pod security context. */
import { Obj, Opt, Str, Int32, Int64, Bool, List, Type } from '../schema.js';
import { LabelSelector } from '../meta.js';
import { SELinuxOptions, WindowsSecurityContextOptions, SeccompProfile, AppArmorProfile } from './pod-spec-container.js';
import { atomic } from './pod-spec-common.js';

const C = 'io.k8s.api.core.v1.';
const strList = (d: string) => Opt(List(Type.String(), d, atomic));

export const NodeSelectorRequirement = Obj(C + 'NodeSelectorRequirement', 'A node label or field requirement.', {
  key: Str('Label or field key.'),
  operator: Str('In, NotIn, Exists, DoesNotExist, Gt or Lt.'),
  values: strList('Values to compare with.'),
});

export const NodeSelectorTerm = Obj(C + 'NodeSelectorTerm', 'Requirements that must all hold; an empty term matches nothing.', {
  matchExpressions: Opt(List(NodeSelectorRequirement, 'Requirements on node labels.', atomic)),
  matchFields: Opt(List(NodeSelectorRequirement, 'Requirements on node fields.', atomic)),
}, { 'x-kubernetes-map-type': 'atomic' });

export const NodeSelector = Obj(C + 'NodeSelector', 'Terms of which at least one must match.', {
  nodeSelectorTerms: List(NodeSelectorTerm, 'The terms, ORed.', atomic),
}, { 'x-kubernetes-map-type': 'atomic' });

export const PodAffinityTerm = Obj(C + 'PodAffinityTerm', 'Pods that must (or must not) share a topology domain.', {
  labelSelector: Opt(LabelSelector),
  namespaces: strList('Namespaces to look for pods in; the pod namespace when empty.'),
  topologyKey: Str('Node label whose value defines the domain.'),
  namespaceSelector: Opt(LabelSelector),
  matchLabelKeys: strList('Pod label keys whose values are added to the selector.'),
  mismatchLabelKeys: strList('Pod label keys whose values are excluded by the selector.'),
});

const weighted = Obj(C + 'WeightedPodAffinityTerm', 'A preferred pod affinity term with a weight.', {
  weight: Int32('Weight from 1 to 100.'),
  podAffinityTerm: PodAffinityTerm,
});

const podAffinity = (id: string, what: string) => Obj(C + id, `Pod ${what} scheduling rules.`, {
  requiredDuringSchedulingIgnoredDuringExecution: Opt(List(PodAffinityTerm, 'Hard requirements.', atomic)),
  preferredDuringSchedulingIgnoredDuringExecution: Opt(List(weighted, 'Soft preferences.', atomic)),
});

export const Affinity = Obj(C + 'Affinity', 'Node and pod affinity rules.', {
  nodeAffinity: Opt(Obj(C + 'NodeAffinity', 'Node affinity scheduling rules.', {
    requiredDuringSchedulingIgnoredDuringExecution: Opt(NodeSelector),
    preferredDuringSchedulingIgnoredDuringExecution: Opt(List(Obj(C + 'PreferredSchedulingTerm', 'A weighted node preference.', {
      weight: Int32('Weight from 1 to 100.'),
      preference: NodeSelectorTerm,
    }), 'Soft preferences.', atomic)),
  })),
  podAffinity: Opt(podAffinity('PodAffinity', 'affinity')),
  podAntiAffinity: Opt(podAffinity('PodAntiAffinity', 'anti-affinity')),
});

export const Toleration = Obj(C + 'Toleration', 'Lets the pod schedule onto nodes with a matching taint.', {
  key: Opt(Str('Taint key; empty with operator Exists matches every taint.')),
  operator: Opt(Str('Exists or Equal; defaults to Equal.')),
  value: Opt(Str('Taint value to match.')),
  effect: Opt(Str('NoSchedule, PreferNoSchedule or NoExecute; empty matches all.')),
  tolerationSeconds: Opt(Int64('How long a NoExecute taint is tolerated.')),
});

export const TopologySpreadConstraint = Obj(C + 'TopologySpreadConstraint', 'How to spread matching pods across topology domains.', {
  maxSkew: Int32('Largest allowed difference in matching pods between domains.'),
  topologyKey: Str('Node label that defines the domains.'),
  whenUnsatisfiable: Str('DoNotSchedule or ScheduleAnyway.'),
  labelSelector: Opt(LabelSelector),
  minDomains: Opt(Int32('Minimum number of eligible domains.')),
  nodeAffinityPolicy: Opt(Str('Honor or Ignore.')),
  nodeTaintsPolicy: Opt(Str('Honor or Ignore.')),
  matchLabelKeys: strList('Pod label keys added to the selector.'),
});

export const PodDNSConfig = Obj(C + 'PodDNSConfig', 'Extra DNS settings merged into the generated resolv.conf.', {
  nameservers: strList('DNS server IP addresses.'),
  searches: strList('Search domains.'),
  options: Opt(List(Obj(C + 'PodDNSConfigOption', 'A resolver option.', {
    name: Opt(Str('Option name.')), value: Opt(Str('Option value.')),
  }), 'Resolver options.', atomic)),
});

export const HostAlias = Obj(C + 'HostAlias', 'An /etc/hosts entry added to the pod.', {
  ip: Str('IP address.'),
  hostnames: strList('Host names for the address.'),
});

export const PodSecurityContext = Obj(C + 'PodSecurityContext', 'Security settings applied to every container of the pod.', {
  seLinuxOptions: Opt(SELinuxOptions),
  windowsOptions: Opt(WindowsSecurityContextOptions),
  runAsUser: Opt(Int64('UID to run containers as.')),
  runAsGroup: Opt(Int64('GID to run containers as.')),
  runAsNonRoot: Opt(Bool('Refuse to start containers as root.')),
  supplementalGroups: Opt(List(Type.Integer({ format: 'int64' }), 'Extra groups for the first process.', atomic)),
  supplementalGroupsPolicy: Opt(Str('Merge or Strict.')),
  fsGroup: Opt(Int64('Group that owns mounted volumes.')),
  sysctls: Opt(List(Obj(C + 'Sysctl', 'A kernel parameter.', { name: Str('Parameter name.'), value: Str('Parameter value.') }), 'Namespaced sysctls.', atomic)),
  fsGroupChangePolicy: Opt(Str('OnRootMismatch or Always.')),
  seccompProfile: Opt(SeccompProfile),
  appArmorProfile: Opt(AppArmorProfile),
  seLinuxChangePolicy: Opt(Str('MountOption or Recursive.')),
});

export const PodReadinessGate = Obj(C + 'PodReadinessGate', 'An extra condition that must be true for readiness.', {
  conditionType: Str('Condition type in the pod status.'),
});

export const PodSchedulingGate = Obj(C + 'PodSchedulingGate', 'Holds the pod back from scheduling while present.', {
  name: Str('Gate name.'),
});

export const PodResourceClaim = Obj(C + 'PodResourceClaim', 'A dynamic resource claim the pod uses.', {
  name: Str('Name used by containers to refer to the claim.'),
  resourceClaimName: Opt(Str('Existing ResourceClaim to use.')),
  resourceClaimTemplateName: Opt(Str('ResourceClaimTemplate to create a claim from.')),
});

export const PodOS = Obj(C + 'PodOS', 'The operating system the pod needs.', {
  name: Str('linux or windows.'),
});
