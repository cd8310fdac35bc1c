/** The proxy subresources wired to a cluster: objects read from the store, backends dialled from a node's stack. */
import type { Client } from '../../client/client.js';
import type { Endpoints } from '../../api/kinds/endpoints.js';
import type { Node } from '../../api/kinds/node.js';
import type { Pod } from '../../api/kinds/pod-types.js';
import type { Service } from '../../api/kinds/service-schema.js';
import type { NetStack } from '../../net/types.js';
import { ProxySubresources } from './handler.js';

export { ProxySubresources, withProxyUpgrades } from './handler.js';

/** Proxy subresources reading through `reader` and dialling from `from` (the control-plane node's stack). */
export function proxySubresources(reader: Client, from: NetStack): ProxySubresources {
  return new ProxySubresources({
    service: (ns, name) => reader.peek({ resource: 'services' }, ns, name) as Service | undefined,
    endpoints: (ns, name) => reader.peek({ resource: 'endpoints' }, ns, name) as Endpoints | undefined,
    pod: (ns, name) => reader.peek({ resource: 'pods' }, ns, name) as Pod | undefined,
    node: (name) => reader.peek({ resource: 'nodes' }, '', name) as Node | undefined,
    dial: (ip, port, timeoutMs) => from.connect({ ip, port }, { timeoutMs }),
  });
}
