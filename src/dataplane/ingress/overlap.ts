/**
 * ingress-nginx's admission check for a host and path another Ingress already serves
 * (IN:internal/ingress/controller/controller.go checkOverlap): a rule without host counts as `_`,
 * a path without value as `/`; two Ingresses overlap unless exactly one of them is a canary.
 */
import type { Ingress } from '../../api/kinds/ingress.js';
import { PREFIX } from './annotations/index.js';

const keyOf = (i: Ingress): string => `${i.metadata.namespace ?? ''}/${i.metadata.name ?? ''}`;

/** undefined: no canary annotation; otherwise its boolean value. */
function canary(i: Ingress): boolean | undefined {
  const v = i.metadata.annotations?.[`${PREFIX}canary`];
  return v === undefined ? undefined : v === 'true';
}

function hostPaths(i: Ingress): [string, string][] {
  return (i.spec?.rules ?? []).flatMap((r) => (r.http?.paths ?? []).filter((p) => p.backend?.service).map((p) => [r.host || '_', p.path || '/'] as [string, string]));
}

/** The overlap error for an Ingress about to be written, given the Ingresses served now. */
export function overlapError(ing: Ingress, served: readonly Ingress[]): string | undefined {
  const own = keyOf(ing);
  const mine = canary(ing);
  for (const [host, path] of hostPaths(ing)) {
    for (const other of served) {
      if (keyOf(other) === own) continue;
      if (!hostPaths(other).some(([h, p]) => h === host && p === path)) continue;
      const theirs = canary(other);
      if ((mine === true && theirs === true) || (mine === undefined && theirs === undefined)) {
        return `host "${host}" and path "${path}" is already defined in ingress ${keyOf(other)}`;
      }
    }
  }
  return undefined;
}
