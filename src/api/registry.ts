/**
 * The table of served resources: lookups by group/version/resource, by kind, and by the names
 * kubectl accepts. The list of definitions itself lives in src/api/kinds/index.ts.
 */
import type { ResourceDef } from './resource.js';
import { apiVersionOf } from './resource.js';

/** Resolves resource definitions by URL segments or kind. */
export class Registry {
  private readonly byPath = new Map<string, ResourceDef>();
  private readonly byKind = new Map<string, ResourceDef>();

  constructor(readonly defs: ResourceDef[]) {
    for (const d of defs) {
      this.byPath.set(`${d.group}/${d.version}/${d.plural}`, d);
      this.byKind.set(`${apiVersionOf(d)}/${d.kind}`, d);
    }
  }

  /** The definition served at /api(s)/<group>/<version>/<plural>. */
  lookup(group: string, version: string, plural: string): ResourceDef | undefined {
    return this.byPath.get(`${group}/${version}/${plural}`);
  }

  /** The definition of `apiVersion`+`kind`, as written in manifests. */
  forKind(apiVersion: string, kind: string): ResourceDef | undefined {
    return this.byKind.get(`${apiVersion}/${kind}`);
  }

  /** Groups with their versions, in serving order (core first). */
  groups(): { group: string; versions: string[] }[] {
    const out: { group: string; versions: string[] }[] = [];
    for (const d of this.defs) {
      let g = out.find((x) => x.group === d.group);
      if (!g) out.push((g = { group: d.group, versions: [] }));
      if (!g.versions.includes(d.version)) g.versions.push(d.version);
    }
    return out;
  }

  /** Definitions of one group/version. */
  inGroupVersion(group: string, version: string): ResourceDef[] {
    return this.defs.filter((d) => d.group === group && d.version === version);
  }
}

/** The store key of an object or (with name undefined) of a collection prefix. */
export function storeKey(def: Pick<ResourceDef, 'group' | 'plural'>, namespace: string | undefined, name?: string): string {
  const base = `/${def.group || 'core'}/${def.plural}/`;
  if (namespace === undefined) return base;
  return name === undefined ? `${base}${namespace}/` : `${base}${namespace}/${name}`;
}
