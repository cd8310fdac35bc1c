/**
 * The DefaultIngressClass admission plugin (kubernetes/kubernetes
 * plugin/pkg/admission/network/defaultingressclass/admission.go): a new Ingress that names no
 * class gets the IngressClass marked default.
 */
import type { KObject } from '../api/meta.js';
import type { ResourceDef } from '../api/resource.js';
import { storeKey } from '../api/registry.js';
import { ANNOTATION_INGRESS_CLASS, ANNOTATION_IS_DEFAULT_INGRESS_CLASS } from '../api/wellknown.js';
import type { Store } from '../store/types.js';
import type { WriteHooks } from './storage/write.js';

const INGRESS_CLASSES = { group: 'networking.k8s.io', plural: 'ingressclasses' };

/**
 * The default class among `classes`: those annotated `is-default-class: "true"` (exactly), newest
 * creationTimestamp first, equal timestamps by name ascending; undefined when none is marked.
 */
export function pickDefaultIngressClass(classes: readonly KObject[]): KObject | undefined {
  return pickNewestDefault(classes, (c) => c.metadata.annotations?.[ANNOTATION_IS_DEFAULT_INGRESS_CLASS] === 'true');
}

/** The newest of the classes marked default (equal timestamps by name ascending), as IngressClass and StorageClass admission choose. */
export function pickNewestDefault<T extends KObject>(classes: readonly T[], isDefault: (c: T) => boolean): T | undefined {
  const time = (o: KObject) => Date.parse(o.metadata.creationTimestamp ?? '') || 0;
  return classes
    .filter(isDefault)
    .sort((a, b) => time(b) - time(a) || ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1))[0];
}

/**
 * Sets spec.ingressClassName of an Ingress being created (never on update or subresources) when
 * neither the field nor the `kubernetes.io/ingress.class` annotation key is present.
 */
export function defaultIngressClass(store: Store): WriteHooks {
  return {
    mutateCreate(def: ResourceDef, obj: KObject) {
      if (def.group !== 'networking.k8s.io' || def.plural !== 'ingresses') return undefined;
      const spec = (obj.spec ?? {}) as { ingressClassName?: string };
      if (spec.ingressClassName !== undefined) return undefined;
      if (Object.hasOwn(obj.metadata.annotations ?? {}, ANNOTATION_INGRESS_CLASS)) return undefined;
      const cls = pickDefaultIngressClass(store.list(storeKey(INGRESS_CLASSES, '')).items);
      const name = cls?.metadata.name;
      if (!name) return undefined;
      return (o) => { o.spec = { ingressClassName: name, ...(o.spec ?? {}) }; }; // the field's place in IngressSpec
    },
  };
}
