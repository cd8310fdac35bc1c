/**
 * The compiled service-proxy state: one frozen `ServicePort` per Service port with its endpoints
 * sorted into the categories the proxy chooses from (what kube-proxy's rules encode).
 */
import type { Protocol } from '../../net/types.js';

/** One endpoint of a Service port as read from an EndpointSlice. */
export interface Endpoint {
  /** `ip:port`, the identity of the endpoint. */
  readonly addr: string;
  readonly ip: string;
  readonly port: number;
  readonly nodeName?: string;
  readonly zone?: string;
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
  /** Topology hints written by the EndpointSlice controller, when present. */
  readonly forZones?: readonly string[];
  readonly forNodes?: readonly string[];
}

/** Where traffic is spread: prefer the client's node or zone (trafficDistribution), or anywhere. */
export type Distribution = 'PreferSameNode' | 'PreferSameZone' | undefined;

/** One port of one Service, compiled. */
export interface ServicePort {
  /** `namespace/name:portName` (portName may be empty). */
  readonly key: string;
  /** `namespace/name`. */
  readonly service: string;
  readonly portName: string;
  readonly protocol: Protocol;
  readonly type: string;
  readonly clusterIPs: readonly string[];
  readonly port: number;
  readonly nodePort?: number;
  readonly loadBalancerIPs: readonly string[];
  /** ClientIP affinity timeout in seconds; 0 when there is no affinity. */
  readonly affinitySeconds: number;
  readonly internalLocal: boolean;
  readonly externalLocal: boolean;
  /** The Service's healthCheckNodePort (LoadBalancer with externalTrafficPolicy Local), served on every node. */
  readonly healthCheckNodePort?: number;
  readonly distribution: Distribution;
  /** Every endpoint, sorted by address. */
  readonly endpoints: readonly Endpoint[];
  /** Ready endpoints. */
  readonly ready: readonly Endpoint[];
  /** Serving and terminating endpoints (the fallback when nothing is ready). */
  readonly fallback: readonly Endpoint[];
}

/** An emulated node as the proxy knows it. */
export interface ProxyNode { readonly name: string; readonly ip: string; readonly zone?: string }

/** The key of a (ip, port, protocol) triple in the table's indexes. */
export function vipKey(ip: string, port: number, protocol: string): string {
  return `${ip}:${port}/${protocol}`;
}

/** The key of a NodePort in the table's index. */
export function nodePortKey(port: number, protocol: string): string {
  return `${port}/${protocol}`;
}
