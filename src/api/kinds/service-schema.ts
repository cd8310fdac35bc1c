/** Schemas of the core/v1 Service kind: ServiceSpec, ServicePort, ServiceStatus and friends. */
import { Obj, Opt, Str, Int32, Bool, List, StrMap, Enum, IntOrString, Type, type Static } from '../schema.js';
import { Condition, kindProps, type KObject } from '../meta.js';

const C = 'io.k8s.api.core.v1.';

export const ServicePortSchema = Obj(C + 'ServicePort', 'One port a Service exposes and where it forwards traffic.', {
  name: Opt(Str('Port name, a DNS label; required and unique when the Service has several ports.')),
  protocol: Opt(Enum('IP protocol of the port; TCP by default.', ['SCTP', 'TCP', 'UDP'])),
  appProtocol: Opt(Str('Application protocol hint, such as http or kubernetes.io/h2c.')),
  port: Int32('Port number the Service listens on.'),
  targetPort: Opt(IntOrString),
  nodePort: Opt(Int32('Port opened on every node for NodePort and LoadBalancer Services; allocated when unset.')),
});

export const ClientIPConfigSchema = Obj(C + 'ClientIPConfig', 'Settings of ClientIP session affinity.', {
  timeoutSeconds: Opt(Int32('How long a client sticks to one backend, 1 to 86400 seconds; 10800 by default.')),
});

export const SessionAffinityConfigSchema = Obj(C + 'SessionAffinityConfig', 'Settings of session affinity.', {
  clientIP: Opt(ClientIPConfigSchema),
});

export const ServiceSpecSchema = Obj(C + 'ServiceSpec', 'The desired behaviour of a Service.', {
  ports: Opt(List(ServicePortSchema, 'Ports the Service exposes.', {
    'x-kubernetes-patch-merge-key': 'port', 'x-kubernetes-patch-strategy': 'merge',
    'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['port', 'protocol'],
  })),
  selector: Opt(StrMap('Labels of the pods that receive the traffic; without it, endpoints are managed by hand.', { 'x-kubernetes-map-type': 'atomic' })),
  clusterIP: Opt(Str('Virtual IP of the Service, allocated when empty; "None" makes it headless.')),
  clusterIPs: Opt(List(Type.String(), 'Virtual IPs of the Service, one per IP family; the first equals clusterIP.', { 'x-kubernetes-list-type': 'atomic' })),
  type: Opt(Enum('How the Service is exposed.', ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'])),
  externalIPs: Opt(List(Type.String(), 'Extra IPs at which nodes accept traffic for this Service.', { 'x-kubernetes-list-type': 'atomic' })),
  sessionAffinity: Opt(Enum('Client affinity: None or ClientIP.', ['ClientIP', 'None'])),
  loadBalancerIP: Opt(Str('Deprecated request for a specific load-balancer IP.')),
  loadBalancerSourceRanges: Opt(List(Type.String(), 'Client CIDRs allowed through the load balancer.', { 'x-kubernetes-list-type': 'atomic' })),
  externalName: Opt(Str('DNS name returned as a CNAME for ExternalName Services.')),
  externalTrafficPolicy: Opt(Enum('Whether external traffic goes to node-local endpoints only (Local) or cluster-wide (Cluster).', ['Cluster', 'Local'])),
  healthCheckNodePort: Opt(Int32('Node port serving health checks for LoadBalancer Services with the Local policy.')),
  publishNotReadyAddresses: Opt(Bool('Publish endpoints of pods that are not ready.')),
  sessionAffinityConfig: Opt(SessionAffinityConfigSchema),
  ipFamilies: Opt(List(Type.String(), 'IP families (IPv4, IPv6) of the Service, in order.', { 'x-kubernetes-list-type': 'atomic' })),
  ipFamilyPolicy: Opt(Enum('Single or dual stack behaviour.', ['PreferDualStack', 'RequireDualStack', 'SingleStack'])),
  allocateLoadBalancerNodePorts: Opt(Bool('Whether LoadBalancer Services get node ports; true by default.')),
  loadBalancerClass: Opt(Str('The load-balancer implementation this Service belongs to.')),
  internalTrafficPolicy: Opt(Enum('Whether in-cluster traffic goes to node-local endpoints only (Local) or cluster-wide (Cluster).', ['Cluster', 'Local'])),
  trafficDistribution: Opt(Str('Preference for how traffic is spread over endpoints, such as PreferClose.')),
});

export const PortStatusSchema = Obj(C + 'PortStatus', 'The state of one load-balancer port.', {
  port: Int32('Port number.'),
  protocol: Str('Port protocol.'),
  error: Opt(Str('Problem with the port, in CamelCase, if any.')),
});

export const LoadBalancerIngressSchema = Obj(C + 'LoadBalancerIngress', 'One address at which the load balancer accepts traffic.', {
  ip: Opt(Str('IP address of the ingress point.')),
  hostname: Opt(Str('DNS name of the ingress point.')),
  ipMode: Opt(Enum('How traffic reaches the address: VIP or Proxy.', ['Proxy', 'VIP'])),
  ports: Opt(List(PortStatusSchema, 'Per-port status.', { 'x-kubernetes-list-type': 'atomic' })),
});

export const LoadBalancerStatusSchema = Obj(C + 'LoadBalancerStatus', 'The state of a load balancer.', {
  ingress: Opt(List(LoadBalancerIngressSchema, 'Ingress points of the load balancer.', { 'x-kubernetes-list-type': 'atomic' })),
});

export const ServiceStatusSchema = Obj(C + 'ServiceStatus', 'The observed state of a Service.', {
  loadBalancer: Opt(LoadBalancerStatusSchema),
  conditions: Opt(List(Condition, 'Current conditions of the Service.', {
    'x-kubernetes-patch-merge-key': 'type', 'x-kubernetes-patch-strategy': 'merge',
    'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'],
  })),
});

export const ServiceSchema = Obj(C + 'Service', 'A named network endpoint for a set of pods, with a stable virtual IP and DNS name.', kindProps({
  spec: Opt(ServiceSpecSchema),
  status: Opt(ServiceStatusSchema),
}), { 'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'Service' }] });

/** A v1 Service object. */
export type Service = Static<typeof ServiceSchema> & KObject;
/** The spec of a Service. */
export type ServiceSpec = Static<typeof ServiceSpecSchema>;
/** One Service port. */
export type ServicePort = Static<typeof ServicePortSchema>;
