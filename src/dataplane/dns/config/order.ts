/**
 * CoreDNS's plugin order (its plugin.cfg, CoreDNS 1.11): a server block's plugins run in this order
 * whatever their order in the Corefile. Directives not listed are unknown to CoreDNS.
 */
export const PLUGIN_ORDER: readonly string[] = [
  'root', 'metadata', 'geoip', 'cancel', 'tls', 'timeouts', 'multisocket', 'reload', 'nsid', 'bufsize', 'bind', 'debug',
  'trace', 'ready', 'health', 'pprof', 'prometheus', 'errors', 'log', 'dnstap', 'local', 'dns64', 'acl', 'any', 'chaos',
  'loadbalance', 'tsig', 'cache', 'rewrite', 'header', 'dnssec', 'autopath', 'minimal', 'template', 'transfer', 'hosts',
  'route53', 'azure', 'clouddns', 'k8s_external', 'kubernetes', 'file', 'auto', 'secondary', 'etcd', 'loop', 'forward',
  'grpc', 'erratic', 'whoami', 'on', 'sign', 'view',
];

const RANK = new Map(PLUGIN_ORDER.map((p, i) => [p, i]));

/** A directive's position in the order (undefined: not a CoreDNS plugin). */
export function pluginRank(name: string): number | undefined {
  return RANK.get(name);
}
