/**
 * Host network blocks: the loopback addresses one cluster uses on this machine, so that clusters
 * run side by side. Block N has node IPs 127.1.N.1, 127.1.N.2, … and the load balancer pool
 * 127.240.N.0/24; block 0 is what a lone knet always used. A durable cluster records its block in
 * the data dir so it keeps its addresses across restarts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writePrivateFile } from './private-files.js';
import { nodeIP } from '../node/registrar.js';
import { loadBalancerPool } from '../controllers/loadbalancer/controller.js';

/** How many blocks there are (the third octet of the addresses): 0 … HOST_NETWORK_BLOCKS - 1. */
export const HOST_NETWORK_BLOCKS = 256;

/** The addresses of one block for a cluster of some nodes. */
export interface HostNetwork {
  index: number;
  nodeIPs: string[];
  loadBalancerPool: string;
}

/** The addresses of block `index` for `nodes` nodes. */
export function hostNetwork(index: number, nodes: number): HostNetwork {
  return { index, nodeIPs: Array.from({ length: nodes }, (_, i) => nodeIP(i, index)), loadBalancerPool: loadBalancerPool(index) };
}

/** The node IPs as a short list (`127.1.0.1, 127.1.0.2`, or `127.1.0.1 … 127.1.0.9 (9 nodes)`). */
export function formatNodeIPs(ips: string[]): string {
  return ips.length <= 4 ? ips.join(', ') : `${ips[0]} … ${ips[ips.length - 1]} (${ips.length} nodes)`;
}

/** One line for people: `block 1: node IPs 127.1.1.1, 127.1.1.2; load balancer pool 127.240.1.0/24`. */
export function describeHostNetwork(h: HostNetwork): string {
  return `block ${h.index}: node IP${h.nodeIPs.length === 1 ? '' : 's'} ${formatNodeIPs(h.nodeIPs)}; load balancer pool ${h.loadBalancerPool}`;
}

/** The file in a data dir that records its block. */
export function hostNetworkFile(dataDir: string): string {
  return join(dataDir, 'host-network.json');
}

/** True for a valid block index. */
export function isHostNetworkIndex(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n < HOST_NETWORK_BLOCKS;
}

/** The block a data dir recorded, or undefined (none yet, or unreadable: then a block is chosen anew). */
export function readHostNetworkIndex(dataDir: string): number | undefined {
  try {
    const index = (JSON.parse(readFileSync(hostNetworkFile(dataDir), 'utf8')) as { index?: unknown }).index;
    return isHostNetworkIndex(index) ? index : undefined;
  } catch {
    return undefined;
  }
}

/** Records the block of a data dir. */
export function recordHostNetworkIndex(dataDir: string, index: number): void {
  writePrivateFile(hostNetworkFile(dataDir), JSON.stringify({ index }) + '\n');
}
