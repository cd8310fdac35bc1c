/** `knet status`: whether a cluster runs for a data dir, and where. */
import { defaultDataDir, readRunInfo } from '../runtime/state.js';
import { formatNodeIPs } from '../runtime/host-network.js';
import { describeDescriptors } from '../runtime/nofile.js';

/** Prints the status; exit code 0 when running, 1 when not. */
export function status(flags: { dataDir?: string }): number {
  const dataDir = flags.dataDir ?? defaultDataDir();
  const info = readRunInfo(dataDir);
  if (!info) {
    console.log(`knet is not running (data dir ${dataDir})`);
    return 1;
  }
  console.log(`knet is running: ${info.server}`);
  console.log(`  pid:        ${info.pid}`);
  console.log(`  data dir:   ${dataDir}${info.ephemeral ? ' (ephemeral store)' : ''}`);
  console.log(`  kubeconfig: ${info.kubeconfig} (context ${info.context})`);
  console.log(`  API:        ${info.server}`);
  if (info.dnsPort) console.log(`  DNS:        127.0.0.1:${info.dnsPort} (dig @127.0.0.1 -p ${info.dnsPort} kubernetes.default.svc.cluster.local)`);
  if (info.network) console.log(`  addresses:  pods ${info.network.podCIDR}, Services ${info.network.serviceCIDR} (virtual: reachable from pods, not from the host)`);
  if (info.hostNetwork) {
    console.log(`  host block: ${info.hostNetwork.index}`);
    console.log(`  node IPs:   ${formatNodeIPs(info.hostNetwork.nodeIPs)}`);
    console.log(`  LB pool:    ${info.hostNetwork.loadBalancerPool}`);
  }
  console.log(`  since:      ${info.startedAt}`);
  console.log(`  open files: ${describeDescriptors(info.pid)}`);
  return 0;
}
