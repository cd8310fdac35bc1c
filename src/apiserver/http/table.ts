/** meta.k8s.io/v1 Table responses built from a definition's printer. */
import type { KObject } from '../../api/meta.js';
import type { ResourceDef } from '../../api/resource.js';

/** includeObject=None|Metadata|Object. */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** Whether an Accept header asks for a Table. */
export function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((p) => /as=Table/.test(p) && /g=meta\.k8s\.io/.test(p));
}

function rowObject(o: KObject, include: IncludeObject): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return o;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
}

/** A Table of objects; `listMeta` carries resourceVersion/continue. */
export function toTable(def: ResourceDef, items: KObject[], include: IncludeObject, listMeta: Record<string, unknown>, now = new Date()): unknown {
  return {
    kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: listMeta,
    columnDefinitions: def.columns,
    rows: items.map((o) => {
      const obj = rowObject(o, include);
      return { cells: def.row(o, now), ...(obj ? { object: obj } : {}) };
    }),
  };
}
