/**
 * The table of served resources: lookups by group/version/resource, by kind, and by the names
 * kubectl accepts. The built-in definitions live in src/api/kinds/index.ts; custom resources
 * (src/apiextensions) are added and removed at runtime, per cluster.
 */
import type { ResourceDef } from './resource.js';
import { apiVersionOf } from './resource.js';

/** Resolves resource definitions by URL segments or kind. */
export class Registry {
  private readonly byPath = new Map<string, ResourceDef>();
  private readonly byKind = new Map<string, ResourceDef>();
  private all: ResourceDef[] = [];
  private rev = 0;

  constructor(defs: ResourceDef[]) {
    this.add(defs);
  }

  /** Every served definition (a fresh array after each change; do not mutate). */
  get defs(): ResourceDef[] { return this.all; }

  /** Grows with every add/remove, so caches of derived documents (OpenAPI) know when to rebuild. */
  get revision(): number { return this.rev; }

  /** Serves more definitions (a definition at an already served path replaces it). */
  add(defs: ResourceDef[]): void {
    if (defs.length === 0) return;
    const paths = new Set(defs.map((d) => `${d.group}/${d.version}/${d.plural}`));
    this.all = [...this.all.filter((d) => !paths.has(`${d.group}/${d.version}/${d.plural}`)), ...defs];
    this.reindex();
  }

  /** Stops serving the definitions for which `pred` holds. */
  remove(pred: (d: ResourceDef) => boolean): void {
    const next = this.all.filter((d) => !pred(d));
    if (next.length === this.all.length) return;
    this.all = next;
    this.reindex();
  }

  private reindex(): void {
    this.rev++;
    this.byPath.clear();
    this.byKind.clear();
    for (const d of this.all) {
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

  /** Groups with their versions, in serving order (core first; versions by `versionPriority` when set). */
  groups(): { group: string; versions: string[] }[] {
    const out: { group: string; versions: string[]; prio: number[] }[] = [];
    for (const d of this.all) {
      let g = out.find((x) => x.group === d.group);
      if (!g) out.push((g = { group: d.group, versions: [], prio: [] }));
      if (!g.versions.includes(d.version)) { g.versions.push(d.version); g.prio.push(d.versionPriority ?? 0); }
    }
    return out.map((g) => {
      const order = g.versions.map((v, i) => ({ v, p: g.prio[i] ?? 0, i })).sort((a, b) => b.p - a.p || a.i - b.i);
      return { group: g.group, versions: order.map((x) => x.v) };
    });
  }

  /** Definitions of one group/version. */
  inGroupVersion(group: string, version: string): ResourceDef[] {
    return this.all.filter((d) => d.group === group && d.version === version);
  }
}

/** The store key of an object or (with name undefined) of a collection prefix. */
export function storeKey(def: Pick<ResourceDef, 'group' | 'plural'>, namespace: string | undefined, name?: string): string {
  const base = `/${def.group || 'core'}/${def.plural}/`;
  if (namespace === undefined) return base;
  return name === undefined ? `${base}${namespace}/` : `${base}${namespace}/${name}`;
}
