/**
 * Which Ingresses this controller serves (`IN:internal/ingress/controller/store/store.go`
 * `GetIngressClass`, notes §1.3): `spec.ingressClassName` naming an IngressClass of our controller;
 * else the `kubernetes.io/ingress.class` annotation equal to `--ingress-class`; else only with
 * `--watch-ingress-without-class`.
 */
import type { Ingress } from '../../api/kinds/ingress.js';
import type { IngressClass } from '../../api/kinds/ingressclass.js';
import { ANNOTATION_INGRESS_CLASS } from '../../api/wellknown.js';

/** The class options of the controller. */
export interface ClassOptions {
  controllerClass: string;
  ingressClass: string;
  watchWithoutClass: boolean;
}

/** The class an Ingress is served under, or why it is ignored (ingress-nginx's error text). */
export type ClassVerdict = { served: true; className: string } | { served: false; error: string };

/** Decides whether the controller serves `ing`; `classes` looks an IngressClass up by name. */
export function classVerdict(ing: Ingress, classes: (name: string) => IngressClass | undefined, o: ClassOptions): ClassVerdict {
  const name = ing.spec?.ingressClassName;
  if (name) {
    // ingress-nginx's IngressClass lister only holds classes of its own controller.
    const ic = classes(name);
    if (!ic || ic.spec?.controller !== o.controllerClass) return { served: false, error: `no object matching key "${name}" in local store` };
    return { served: true, className: name };
  }
  const annotation = ing.metadata.annotations?.[ANNOTATION_INGRESS_CLASS];
  if (annotation !== undefined) {
    if (annotation !== o.ingressClass) return { served: false, error: 'ingress class annotation is not equal to the expected by Ingress Controller' };
    return { served: true, className: annotation };
  }
  if (o.watchWithoutClass) return { served: true, className: '_' };
  return { served: false, error: 'ingress does not contain a valid IngressClass' };
}

/** ingress-nginx's processing order: oldest creationTimestamp first; equal ones by `namespace/name` descending. */
export function compareIngresses(a: Ingress, b: Ingress): number {
  const sa = a.metadata.creationTimestamp ?? '';
  const sb = b.metadata.creationTimestamp ?? '';
  if (sa !== sb) {
    // RFC 3339 UTC stamps of one format order as strings; parse only when formats differ.
    if (sa.length === sb.length && sa.endsWith('Z') && sb.endsWith('Z')) return sa < sb ? -1 : 1;
    const d = (Date.parse(sa) || 0) - (Date.parse(sb) || 0);
    if (d) return d;
  }
  const ka = `${a.metadata.namespace ?? ''}/${a.metadata.name}`;
  const kb = `${b.metadata.namespace ?? ''}/${b.metadata.name}`;
  return ka < kb ? 1 : ka > kb ? -1 : 0;
}
