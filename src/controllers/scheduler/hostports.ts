/**
 * The scheduler's NodePorts filter (kube-scheduler's `nodeports` plugin): a pod asking for a
 * hostPort fits a node only if no pod already there holds the same protocol and port on an
 * overlapping host IP (`0.0.0.0`, the default, overlaps every IP).
 */
import type { Pod } from '../../api/kinds/pod.js';

/** kube-scheduler's reason, as `describe pod` shows it in FailedScheduling. */
export const REASON_PORTS = "node(s) didn't have free ports for the requested pod ports";

/** One wanted host port. */
export interface HostPort { protocol: string; port: number; ip: string }

/** The host ports a pod asks for (init containers' too, as upstream), empty for most pods. */
export function hostPortsOf(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    for (const p of c.ports ?? []) {
      if (p.hostPort) out.push({ protocol: p.protocol ?? 'TCP', port: p.hostPort, ip: p.hostIP || '0.0.0.0' });
    }
  }
  return out;
}

const overlaps = (a: HostPort, b: HostPort): boolean =>
  a.protocol === b.protocol && a.port === b.port && (a.ip === b.ip || a.ip === '0.0.0.0' || b.ip === '0.0.0.0');

/** Whether `want` conflicts with any port held on the node. */
export function portsConflict(want: readonly HostPort[], held: Iterable<readonly HostPort[]>): boolean {
  if (!want.length) return false;
  for (const ports of held) for (const h of ports) if (want.some((w) => overlaps(w, h))) return true;
  return false;
}
