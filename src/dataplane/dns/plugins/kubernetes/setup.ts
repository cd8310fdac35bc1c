/**
 * The kubernetes directive: `kubernetes [ZONES...] { pods disabled|insecure|verified; ttl 0-3600;
 * fallthrough [ZONES...]; … }`. Forward zones default to the server block's; listing
 * `in-addr.arpa`/`ip6.arpa` adds reverse lookups. CoreDNS's defaults apply to what is not given
 * (ttl 5, pods disabled); connection options (endpoint, tls, kubeconfig) are accepted and unused.
 */
import { argErr, fallthrough, intArg, lineErr, normalizeZone, unknownProperty, type Fall, type Setup } from '../../config/setup.js';
import { kubernetesPlugin } from './index.js';
import type { PodsMode } from './records.js';

const ACCEPTED = new Set(['endpoint', 'tls', 'kubeconfig', 'namespaces', 'labels', 'namespace_labels', 'noendpoints', 'ignore',
  'startup_timeout', 'apiserver_qps', 'apiserver_burst', 'apiserver_max_inflight', 'multicluster', 'endpoint_pod_names']);

/** The kubernetes directive's setup. */
export const setup: Setup = (d, ctx) => {
  const zones = d.args.length ? d.args.map(normalizeZone) : ctx.zones;
  const reverse = zones.some((z) => z === '' || z.endsWith('in-addr.arpa') || z.endsWith('ip6.arpa'));
  const forward = zones.filter((z) => !z.endsWith('in-addr.arpa') && !z.endsWith('ip6.arpa'));
  if (forward.length > 1) ctx.log(`[WARNING] plugin/kubernetes: knet serves one cluster zone; using ${forward[0]}`);
  let pods: PodsMode = 'disabled', ttl = 5;
  let fall: Fall | undefined;
  for (const o of d.block) {
    switch (o.name) {
      case 'pods':
        if (o.args.length !== 1) throw argErr('kubernetes', o);
        if (o.args[0] !== 'disabled' && o.args[0] !== 'insecure' && o.args[0] !== 'verified') throw lineErr('kubernetes', o, `value '${o.args[0]}' for pod mode is invalid; supported values are 'disabled', 'insecure', 'verified'`);
        pods = o.args[0];
        break;
      case 'ttl': {
        if (o.args.length !== 1) throw argErr('kubernetes', o);
        ttl = intArg('kubernetes', o, o.args[0]!);
        if (ttl > 3600) throw lineErr('kubernetes', o, `ttl must be in range [0, 3600]: ${ttl}`);
        break;
      }
      case 'fallthrough': fall = fallthrough(o.args); break;
      default: if (!ACCEPTED.has(o.name)) throw unknownProperty('kubernetes', o);
    }
  }
  return kubernetesPlugin({ cache: ctx.cache, synced: ctx.synced, zone: forward[0] ?? 'cluster.local', ttl, pods, cidrs: ctx.cidrs, reverse, fall: fall ?? { through: () => false } });
};
