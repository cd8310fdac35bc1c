/**
 * STAND-IN for helper "routes" (dropped at merge): the contract's startIngressRoutes with a table
 * holding only the catch-all server, and served() choosing Ingresses by class (ingress-notes §1.3).
 */
import type { ClusterView } from '../../client/view.js';
import type { Ingress } from '../../api/kinds/ingress.js';
import type { KObject } from '../../api/meta.js';
import { ANNOTATION_INGRESS_CLASS } from '../../api/wellknown.js';
import type { Certificate, RouteSource, RouteTable } from './model.js';
import { defaultGlobalConfig, defaultLocationConfig } from './defaults.js';

/** Options of the routes (the contract in CONTRACTS.md §1). */
export interface IngressRoutesOptions {
  view: ClusterView;
  controllerClass: string;
  ingressClass: string;
  watchWithoutClass: boolean;
  configMap?: string;
  defaultCertificate: Certificate;
  log(severity: 'I' | 'W' | 'E', message: string, kv?: Record<string, string>): void;
  event(obj: KObject, type: 'Normal' | 'Warning', reason: string, message: string): void;
}

/** The live routes of one controller configuration. */
export interface IngressRoutes extends RouteSource {
  served(): readonly Ingress[];
  synced(): Promise<void>;
  stop(): void;
}

/** Starts the (stand-in) routes. */
export function startIngressRoutes(o: IngressRoutesOptions): IngressRoutes {
  let generation = 0;
  const table = (): RouteTable => ({
    servers: new Map(), wildcards: new Map(), defaultCertificate: o.defaultCertificate, global: defaultGlobalConfig(), generation: ++generation,
    catchAll: { host: '_', regexMode: false, locations: [{ match: { kind: 'prefix', path: '/' }, path: '/', pathType: 'Prefix', ingress: { namespace: '', name: '' }, config: defaultLocationConfig() }] },
  });
  let current = table();
  const subs = new Set<(t: RouteTable) => void>();
  const serves = (ing: Ingress): boolean => {
    const cls = ing.spec?.ingressClassName;
    if (cls) return o.view.ingressClasses.get('', cls)?.spec?.controller === o.controllerClass;
    const ann = ing.metadata.annotations?.[ANNOTATION_INGRESS_CLASS];
    return ann ? ann === o.ingressClass : o.watchWithoutClass;
  };
  const changed = (): void => { current = table(); for (const s of subs) s(current); };
  const unsubs = [o.view.ingresses.subscribe({ add: changed, update: changed, delete: changed }), o.view.ingressClasses.subscribe({ add: changed, update: changed, delete: changed })];
  return {
    current: () => current,
    subscribe: (f) => { subs.add(f); return () => subs.delete(f); },
    served: () => o.view.ingresses.list().filter(serves)
      .sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '')),
    synced: () => Promise.resolve(),
    stop: () => { for (const u of unsubs) u(); subs.clear(); },
  };
}
