/** Services for the network benchmarks: `svc-<i>` at ClusterIP `vip(i)`, port 80, with one EndpointSlice to SERVER_IP:8080 on knet-worker. */
import type { Client } from '../src/client/client.js';

/** The address of the benchmarks' server pod stack. */
export const SERVER_IP = '10.244.200.2';
/** The EndpointSlice resource. */
export const SLICES = { resource: 'endpointslices', group: 'discovery.k8s.io' };

/** The ClusterIP of Service i. */
export const vip = (i: number): string => `10.100.${i >> 8}.${i & 255}`;

/** Creates Service i and its slice (endpoint ready or not). */
export async function createService(c: Client, i: number, ready = true, type = 'ClusterIP', nodePort?: number): Promise<void> {
  const name = `svc-${i}`;
  await c.create({ resource: 'services' }, { metadata: { name, namespace: 'default' }, spec: { type, clusterIP: vip(i), ports: [{ port: 80, targetPort: 8080, ...(nodePort ? { nodePort } : {}) }] } });
  await c.create(SLICES, {
    metadata: { name: `${name}-x`, namespace: 'default', labels: { 'kubernetes.io/service-name': name } }, addressType: 'IPv4',
    endpoints: [{ addresses: [SERVER_IP], nodeName: 'knet-worker', conditions: { ready } }], ports: [{ name: '', port: 8080, protocol: 'TCP' }],
  });
}
