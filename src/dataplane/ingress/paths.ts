/**
 * Ingress paths → nginx locations as ingress-nginx writes them (`IN:internal/ingress/controller/location.go`,
 * template `buildLocation`, notes §2.3): pathType translation, strict path validation, regex locations
 * (case-insensitive, anchored at the start only, linear-time via re2js) and their order.
 */
import { RE2JS } from 're2js';
import type { Ingress } from '../../api/kinds/ingress.js';
import type { PathMatch } from './model.js';

/** ingress-nginx's `(?i)^/[[:alnum:]._\-/]*$` for Exact and Prefix paths under `strict-validate-path-type`. */
const STRICT_PATH = /^\/[A-Za-z0-9._\-/]*$/;

/** The error refusing an Ingress whose Exact/Prefix paths are not plain paths, or undefined. */
export function invalidPaths(ing: Ingress): string | undefined {
  for (const rule of ing.spec?.rules ?? []) {
    for (const p of rule.http?.paths ?? []) {
      if (p.pathType === 'ImplementationSpecific') continue;
      const path = p.path ?? '/';
      if (!STRICT_PATH.test(path)) return `ingress contains invalid paths: path ${path} cannot be used with pathType ${p.pathType}`;
    }
  }
  return undefined;
}

/** A location's match before regex mode: what one Ingress path becomes (Prefix `/foo` is two locations). */
export function plainMatches(path: string, pathType: string, exactPaths: ReadonlySet<string>): PathMatch[] {
  if (pathType === 'Exact') return [{ kind: 'exact', path }];
  if (pathType !== 'Prefix' || path === '/' || path.endsWith('/')) return [{ kind: 'prefix', path }];
  // Prefix /foo → "/foo/" plus "= /foo", unless an Exact /foo already exists on the host.
  return exactPaths.has(path) ? [{ kind: 'prefix', path: path + '/' }] : [{ kind: 'prefix', path: path + '/' }, { kind: 'exact', path }];
}

/** Compiles nginx's `location ~* "^<path>"`; undefined when re2js refuses the expression. */
export function regexMatch(path: string): PathMatch | undefined {
  let re: RE2JS;
  try {
    re = RE2JS.compile('^' + path, RE2JS.CASE_INSENSITIVE);
  } catch {
    return undefined;
  }
  return {
    kind: 'regex',
    path,
    test(uri) {
      const m = re.matcher(uri);
      if (!m.lookingAt()) return undefined;
      const groups: string[] = [];
      for (let i = 0; i <= m.groupCount(); i++) groups.push(m.group(i) ?? '');
      return groups;
    },
  };
}

/** Orders locations as ingress-nginx does before writing nginx.conf: path descending, then (stably) length descending. */
export function sortLocations<T extends { match: PathMatch }>(locations: T[]): T[] {
  locations.sort((a, b) => (a.match.path > b.match.path ? -1 : a.match.path < b.match.path ? 1 : 0));
  return locations.sort((a, b) => b.match.path.length - a.match.path.length);
}
