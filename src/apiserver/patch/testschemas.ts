/** Small hand-made schemas (Deployment/Service-like) shared by the patch engine tests. */
import { Obj, Opt, Str, Int32, List, StrMap, IntOrString, Type, MapOf } from '../../api/schema.js';
import { ObjectMeta, kindProps } from '../../api/meta.js';

const EnvVar = Obj('test.EnvVar', 'An environment variable.', { name: Str('Name.'), value: Opt(Str('Value.')) });
const ContainerPort = Obj('test.ContainerPort', 'A container port.', {
  name: Opt(Str('Name.')),
  containerPort: Int32('Port.'),
  protocol: Opt(Str('Protocol.', { default: 'TCP' })),
});
const Container = Obj('test.Container', 'A container.', {
  name: Str('Name.'),
  image: Opt(Str('Image.')),
  args: Opt(List(Type.String(), 'Arguments.', { 'x-kubernetes-list-type': 'atomic' })),
  env: Opt(List(EnvVar, 'Env.', { 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] })),
  ports: Opt(List(ContainerPort, 'Ports.', {
    'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-patch-merge-key': 'containerPort',
    'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['containerPort', 'protocol'],
  })),
});
const Volume = Obj('test.Volume', 'A volume.', {
  name: Str('Name.'),
  emptyDir: Opt(Obj(undefined, 'Empty dir.', { medium: Opt(Str('Medium.')) })),
  configMap: Opt(Obj(undefined, 'Config map.', { name: Opt(Str('Name.')) })),
});
const PodSpec = Obj('test.PodSpec', 'Pod spec.', {
  containers: List(Container, 'Containers.', { 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] }),
  volumes: Opt(List(Volume, 'Volumes.', { 'x-kubernetes-patch-strategy': 'merge,retainKeys', 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] })),
  nodeSelector: Opt(StrMap('Node selector.', { 'x-kubernetes-map-type': 'atomic' })),
  tolerations: Opt(List(Obj(undefined, 'Toleration.', { key: Opt(Str('Key.')) }), 'Tolerations.', { 'x-kubernetes-list-type': 'atomic' })),
});
const Strategy = Obj('test.DeploymentStrategy', 'Strategy.', {
  type: Opt(Str('Type.')),
  rollingUpdate: Opt(Obj(undefined, 'Rolling update.', { maxSurge: Opt(IntOrString), maxUnavailable: Opt(IntOrString) })),
});
const Selector = Obj('test.LabelSelector', 'Selector.', { matchLabels: Opt(StrMap('Labels.')) }, { 'x-kubernetes-map-type': 'atomic' });

/** A Deployment-like kind. */
export const Deployment = Obj('test.Deployment', 'A deployment.', kindProps({
  spec: Opt(Obj('test.DeploymentSpec', 'Spec.', {
    replicas: Opt(Int32('Replicas.')),
    selector: Opt(Selector),
    strategy: Opt({ ...Strategy, 'x-kubernetes-patch-strategy': 'retainKeys' }),
    template: Opt(Obj('test.PodTemplateSpec', 'Template.', { metadata: Opt(ObjectMeta), spec: Opt(PodSpec) })),
  })),
}));

const ServicePort = Obj('test.ServicePort', 'A service port.', {
  name: Opt(Str('Name.')),
  protocol: Opt(Str('Protocol.', { default: 'TCP' })),
  port: Int32('Port.'),
  targetPort: Opt(IntOrString),
});

/** A Service-like kind. */
export const Service = Obj('test.Service', 'A service.', kindProps({
  spec: Opt(Obj('test.ServiceSpec', 'Spec.', {
    type: Opt(Str('Type.')),
    ports: Opt(List(ServicePort, 'Ports.', {
      'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-patch-merge-key': 'port',
      'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['port', 'protocol'],
    })),
    selector: Opt(StrMap('Selector.', { 'x-kubernetes-map-type': 'atomic' })),
    externalIPs: Opt(List(Type.String(), 'External IPs.', { 'x-kubernetes-list-type': 'atomic' })),
    ipFamilies: Opt(List(Type.String(), 'Families.', { 'x-kubernetes-list-type': 'set' })),
  })),
  data: Opt(MapOf(Obj(undefined, 'Entry.', { a: Opt(Str('A.')), b: Opt(Str('B.')) }), 'Test map of structs.')),
}));

/** The generic list used by upstream's SMP ordering test vectors. */
export const MergeItem = Obj('test.MergeItem', 'Upstream test item.', {
  name: Opt(Str('Name.')),
  value: Opt(Str('Value.')),
  other: Opt(Str('Other.')),
  mergingList: Opt(List(Type.Any(), 'List merged by name.', { 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-patch-merge-key': 'name' })),
  mergingIntList: Opt(List(Type.Integer(), 'Ints merged.', { 'x-kubernetes-patch-strategy': 'merge' })),
});
