/**
 * Field sets of server-side apply: a trie of path elements encoded as in FieldsV1
 * (`f:name`, `k:{"port":80,"protocol":"TCP"}`, `v:"x"`, `i:0`), with set algebra,
 * FieldsV1 (de)serialisation and the `.spec.ports[port=80,protocol="TCP"]` path text.
 */

/** One encoded path element, e.g. `f:spec`. */
export type PathKey = string;
/** A path from the object root. */
export type Path = PathKey[];

function rankOf(k: PathKey): number {
  return { f: 0, k: 1, v: 2, i: 3 }[k[0] ?? 'f'] ?? 4;
}

function typeRank(v: unknown): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number') return 1;
  if (typeof v === 'string') return 2;
  if (typeof v === 'boolean') return 3;
  return Array.isArray(v) ? 4 : 5;
}

/** Orders JSON values like structured-merge-diff's value.Compare. */
export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 1) return (a as number) - (b as number);
  if (ra === 2) return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
  if (ra === 3) return Number(a) - Number(b);
  if (ra === 4) {
    const x = a as unknown[];
    const y = b as unknown[];
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      const c = compareValues(x[i], y[i]);
      if (c) return c;
    }
    return x.length - y.length;
  }
  if (ra === 5) return compareFieldLists(a as Record<string, unknown>, b as Record<string, unknown>);
  return 0;
}

function compareFieldLists(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  for (let i = 0; ; i++) {
    const x = ka[i];
    const y = kb[i];
    if (x === undefined || y === undefined) return x === undefined ? (y === undefined ? 0 : -1) : 1;
    if (x !== y) return x < y ? -1 : 1;
    const c = compareValues(a[x], b[y]);
    if (c) return c;
  }
}

/** Orders encoded path elements like PathElement.Compare (fields, keys, values, indexes). */
export function comparePathKeys(a: PathKey, b: PathKey): number {
  const r = rankOf(a) - rankOf(b);
  if (r) return r;
  const x = a.slice(2);
  const y = b.slice(2);
  if (a[0] === 'f') return x < y ? -1 : x > y ? 1 : 0;
  if (a[0] === 'i') return Number(x) - Number(y);
  return compareValues(JSON.parse(x), JSON.parse(y));
}

/** Encodes a list-map key (its fields sorted by name) as a `k:` element. */
export function keyElement(fields: Record<string, unknown>): PathKey {
  const sorted: Record<string, unknown> = {};
  for (const k of Object.keys(fields).sort()) sorted[k] = fields[k];
  return 'k:' + JSON.stringify(sorted);
}

/** Renders a path as structured-merge-diff prints it, e.g. `.spec.ports[port=80,protocol="TCP"].name`. */
export function pathString(path: Path): string {
  return path.map((k) => {
    const body = k.slice(2);
    if (k.startsWith('f:')) return '.' + body;
    if (k.startsWith('i:')) return `[${body}]`;
    if (k.startsWith('v:')) return `[=${body}]`;
    const o = JSON.parse(body) as Record<string, unknown>;
    return '[' + Object.keys(o).map((n) => `${n}=${JSON.stringify(o[n])}`).join(',') + ']';
  }).join('');
}

/** A set of field paths stored as a trie; a node is a member when its own path is in the set. */
export class FieldSet {
  member = false;
  readonly children = new Map<PathKey, FieldSet>();

  /** Adds `path` to the set. */
  insert(path: Path): this {
    const [k, ...rest] = path;
    if (k === undefined) return this;
    let c = this.children.get(k);
    if (!c) { c = new FieldSet(); this.children.set(k, c); }
    if (rest.length) c.insert(rest); else c.member = true;
    return this;
  }

  /** The node at `path`, if any. */
  node(path: Path): FieldSet | undefined {
    const [k, ...rest] = path;
    if (k === undefined) return this;
    return this.children.get(k)?.node(rest);
  }

  /** True when `path` itself is in the set. */
  has(path: Path): boolean {
    return this.node(path)?.member === true;
  }

  /** True when nothing is in the set. */
  empty(): boolean {
    for (const c of this.children.values()) if (c.member || !c.empty()) return false;
    return true;
  }

  /** A deep copy. */
  clone(): FieldSet {
    return new FieldSet().unionInPlace(this);
  }

  private unionInPlace(o: FieldSet): this {
    this.member ||= o.member;
    for (const [k, c] of o.children) {
      let mine = this.children.get(k);
      if (!mine) { mine = new FieldSet(); this.children.set(k, mine); }
      mine.unionInPlace(c);
    }
    return this;
  }

  /** Paths in this set or in `o`. */
  union(o: FieldSet): FieldSet {
    return this.clone().unionInPlace(o);
  }

  /** Paths in this set that are not in `o`. */
  difference(o: FieldSet): FieldSet {
    const out = new FieldSet();
    out.member = this.member && !o.member;
    for (const [k, c] of this.children) {
      const oc = o.children.get(k);
      const d = oc ? c.difference(oc) : c.clone();
      if (d.member || d.children.size) out.children.set(k, d);
    }
    return out;
  }

  /** Paths in both sets. */
  intersection(o: FieldSet): FieldSet {
    const out = new FieldSet();
    out.member = this.member && o.member;
    for (const [k, c] of this.children) {
      const oc = o.children.get(k);
      if (!oc) continue;
      const d = c.intersection(oc);
      if (d.member || d.children.size) out.children.set(k, d);
    }
    return out;
  }

  /** All member paths, in structured-merge-diff iteration order (members first, then children). */
  paths(prefix: Path = []): Path[] {
    const keys = [...this.children.keys()].sort(comparePathKeys);
    const out: Path[] = [];
    for (const k of keys) if (this.children.get(k)?.member) out.push([...prefix, k]);
    for (const k of keys) {
      const c = this.children.get(k);
      if (c?.children.size) out.push(...c.paths([...prefix, k]));
    }
    return out;
  }

  /** The FieldsV1 JSON form (`.` marks a member that also has children). */
  toFieldsV1(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (this.member && this.children.size) out['.'] = {};
    for (const k of [...this.children.keys()].sort(comparePathKeys)) {
      const c = this.children.get(k);
      if (c && (c.member || !c.empty())) out[k] = c.toFieldsV1();
    }
    return out;
  }

  /** Parses the FieldsV1 JSON form. */
  static fromFieldsV1(v: unknown, isRoot = true): FieldSet {
    const s = new FieldSet();
    const o = typeof v === 'object' && v !== null && !Array.isArray(v) ? v as Record<string, unknown> : {};
    const keys = Object.keys(o);
    if (!isRoot && (keys.length === 0 || '.' in o)) s.member = true;
    for (const k of keys) if (k !== '.') s.children.set(k, FieldSet.fromFieldsV1(o[k], false));
    return s;
  }

  /** Builds a set from paths. */
  static of(...paths: Path[]): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }
}
