/** Registers the emulated nodes: kind-like names, Ready conditions, capacity and a loopback address each. */
import { release } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { KObject } from '../api/meta.js';
import type { Client } from '../client/client.js';
import { KUBE_VERSION } from '../apiserver/http/discovery.js';
import { rfc3339 } from '../apiserver/storage/meta.js';
import { knetVersion } from '../runtime/self.js';
import { LABEL_ARCH, LABEL_EXCLUDE_FROM_EXTERNAL_LB, LABEL_HOSTNAME, LABEL_NODE_ROLE_CONTROL_PLANE, LABEL_OS } from '../api/wellknown.js';

/** The name of node i (0-based) in a cluster called `cluster`: control-plane, worker, worker2, … */
export function nodeName(cluster: string, i: number): string {
  return i === 0 ? `${cluster}-control-plane` : `${cluster}-worker${i === 1 ? '' : i}`;
}

/** The loopback INTERNAL-IP of node i in host network block `block` (0: 127.1.0.1, 127.1.0.2, …). */
export function nodeIP(i: number, block = 0): string {
  return `127.1.${block}.${i + 1}`;
}

/** The pod CIDR of node i. */
export function podCIDR(i: number): string {
  return `10.244.${i}.0/24`;
}

/** Creates (or refreshes) the Node objects for `count` nodes, addressed from host network block `block`. */
export async function registerNodes(client: Client, cluster: string, count: number, block = 0): Promise<void> {
  const now = rfc3339(new Date());
  for (let i = 0; i < count; i++) {
    const name = nodeName(cluster, i);
    const labels: Record<string, string> = {
      'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', [LABEL_ARCH]: 'amd64',
      [LABEL_HOSTNAME]: name, [LABEL_OS]: 'linux',
      ...(i === 0 ? { [LABEL_NODE_ROLE_CONTROL_PLANE]: '', [LABEL_EXCLUDE_FROM_EXTERNAL_LB]: '' } : {}),
    };
    const existing = client.get({ resource: 'nodes' }, '', name);
    const node: KObject = existing ?? await client.create({ resource: 'nodes' }, {
      metadata: { name, labels, annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' } },
      spec: {
        podCIDR: podCIDR(i), podCIDRs: [podCIDR(i)], providerID: `knet://${name}`,
        // kind taints its control plane only when there are workers, so workloads land on them.
        ...(i === 0 && count > 1 ? { taints: [{ key: LABEL_NODE_ROLE_CONTROL_PLANE, effect: 'NoSchedule' }] } : {}),
      },
    });
    const cond = (type: string, status: string, reason: string, message: string) =>
      ({ type, status, lastHeartbeatTime: now, lastTransitionTime: now, reason, message });
    const capacity = { cpu: '2', 'ephemeral-storage': '100Gi', 'hugepages-2Mi': '0', memory: '8Gi', pods: '110' };
    node.status = {
      capacity, allocatable: capacity,
      conditions: [
        cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      addresses: [{ type: 'InternalIP', address: nodeIP(i, block) }, { type: 'Hostname', address: name }],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: randomUUID().replace(/-/g, ''), systemUUID: randomUUID(), bootID: randomUUID(),
        kernelVersion: release(), osImage: 'knet virtual node', containerRuntimeVersion: `knet://${knetVersion()}`,
        kubeletVersion: KUBE_VERSION.gitVersion, kubeProxyVersion: '', operatingSystem: 'linux', architecture: 'amd64',
      },
    };
    await client.update({ resource: 'nodes' }, node, 'status');
  }
}
