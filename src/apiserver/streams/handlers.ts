/** Non-upgrade handling of the pod streaming subresources, for `ResourceContext.connect`. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors } from '../../api/errors.js';
import type { Registry } from '../../api/registry.js';
import type { ResourceDef } from '../../api/resource.js';
import type { Store } from '../../store/types.js';
import type { PodStreamBackend } from './backend.js';
import { serveLogs } from './logs.js';
import { checkPod } from './checks.js';
import { sessionRequest } from './upgrade.js';

/** A connect handler as `ResourceContext.connect` takes it. */
export type ConnectHandler = (def: ResourceDef, ns: string, name: string, req: IncomingMessage, res: ServerResponse, q: URLSearchParams) => void | Promise<void>;

/** The connect handlers for pods: `log` streams; exec/attach/portforward without an upgrade are refused with 400. */
export function streamHandlers(backend: PodStreamBackend, deps: { store: Store; registry: Registry }): Record<string, ConnectHandler> {
  const full = { backend, ...deps };
  const needsUpgrade = (kind: 'exec' | 'attach' | 'portforward'): ConnectHandler => (def, ns, name, req, _res, q) => {
    if (def.kind !== 'Pod') throw errors.notFound(def.plural, name);
    if (kind !== 'portforward') {
      const r = sessionRequest(kind, ns, name, q);
      checkPod(deps.store, deps.registry, ns, name, r.container, { needContainer: true, needHost: true });
    } else {
      checkPod(deps.store, deps.registry, ns, name, undefined, { needContainer: false, needHost: true });
    }
    req.resume();
    throw errors.badRequest('Upgrade request required');
  };
  return {
    log: (def, ns, name, req, res, q) => {
      if (def.kind !== 'Pod') throw errors.notFound(def.plural, name);
      if ((req.method ?? 'GET') !== 'GET') throw errors.methodNotAllowed('the server does not allow this method on the requested resource');
      return serveLogs(full, ns, name, req, res, q);
    },
    exec: needsUpgrade('exec'),
    attach: needsUpgrade('attach'),
    portforward: needsUpgrade('portforward'),
  };
}
