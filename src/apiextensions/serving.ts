/**
 * Keeps a cluster's registry in step with its CustomResourceDefinitions: each stored CRD's
 * served versions are served at once (on its watch event, before kubectl's next discovery), a
 * changed CRD replaces its definitions, and a deleted one stops being served.
 */
import type { Registry } from '../api/registry.js';
import { storeKey } from '../api/registry.js';
import { crdDef, type CRD } from '../api/kinds/crd.js';
import type { Store, WatchHandle } from '../store/types.js';
import { crdResourceDefs } from './resource.js';

/** The served custom resources of one cluster; stop() ends the watch (the definitions stay). */
export interface CustomResourceServing {
  stop(): void;
}

/** Whether a definition was derived from this CRD. */
function fromCRD(crd: CRD) {
  return (d: { group: string; plural: string; custom?: boolean }) => !!d.custom && d.group === crd.spec?.group && d.plural === crd.spec?.names?.plural;
}

/** Serves (or re-serves) one CRD; a CRD whose definitions cannot be built is left unserved and reported. */
function serve(registry: Registry, crd: CRD, log: (line: string) => void): void {
  registry.remove(fromCRD(crd));
  if (crd.metadata.deletionTimestamp) return;
  try {
    // A CRD never replaces a built-in resource.
    const defs = crdResourceDefs(crd).filter((d) => !registry.lookup(d.group, d.version, d.plural) || registry.lookup(d.group, d.version, d.plural)?.custom);
    registry.add(defs);
  } catch (e) {
    log(`customresourcedefinition ${crd.metadata.name ?? ''}: not served: ${(e as Error).message}`);
  }
}

/** Serves every stored CRD and follows their changes. */
export function serveCustomResources(store: Store, registry: Registry, log: (line: string) => void = () => undefined): CustomResourceServing {
  const prefix = storeKey(crdDef, '');
  const { items, rv } = store.list(prefix);
  for (const o of items) serve(registry, o as CRD, log);
  const handle: WatchHandle = store.watch(prefix, rv, (e) => {
    const crd = e.object as CRD;
    if (e.type === 'DELETED') registry.remove(fromCRD(crd));
    else serve(registry, crd, log);
  });
  return { stop: () => handle.stop() };
}
