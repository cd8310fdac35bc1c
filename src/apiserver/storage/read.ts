/** Reads: get, list (selectors, limit/continue) and watch over the store, with Kubernetes semantics. */
import { errors, field, formatFieldError } from '../../api/errors.js';
import type { KObject } from '../../api/meta.js';
import type { ResourceDef } from '../../api/resource.js';
import { storeKey } from '../../api/registry.js';
import { parseLabelSelectorString, requirementsMatch, type Requirement } from '../../api/labels.js';
import { ExpiredError, type Store, type WatchHandle } from '../../store/types.js';
import { fieldMatcher, parseFieldSelector } from './fieldselector.js';

/** Selection options shared by list and watch. */
export interface SelectOptions {
  labelSelector?: string;
  fieldSelector?: string;
}

/** List options. */
export interface ListOptions extends SelectOptions {
  limit?: number;
  continue?: string;
  /** Checked as kube-apiserver parses it; a list is always served at the latest version. */
  resourceVersion?: string;
}

const MAX_UINT64 = 18446744073709551615n;

/**
 * A request's resourceVersion as APIObjectVersioner.ParseResourceVersion reads it (strconv.ParseUint,
 * base 10: no sign, exponent or NaN); a bad one is refused as the storage's list does
 * (etcd3 store GetList: `invalid resource version: resourceVersion: Invalid value: …`, 400).
 */
export function parseResourceVersion(rv: string | undefined): number {
  if (!rv || rv === '0') return 0;
  const syntax = /^\d+$/.test(rv);
  if (syntax && BigInt(rv) <= MAX_UINT64) return Number(rv);
  const why = `strconv.ParseUint: parsing ${JSON.stringify(rv)}: ${syntax ? 'value out of range' : 'invalid syntax'}`;
  throw errors.badRequest(`invalid resource version: ${formatFieldError(field.invalid('resourceVersion', rv, why))}`);
}

/** A list result: items plus the RV it is consistent at and an optional continue token. */
export interface ListResult {
  items: KObject[];
  rv: number;
  continue?: string;
  remainingItemCount?: number;
}

/** One event delivered to a watch consumer. */
export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KObject;
}

/** Builds the combined label+field predicate for a definition (throws 400 on bad selectors). */
export function matcher(def: ResourceDef, opts: SelectOptions): (o: KObject) => boolean {
  let labels: Requirement[] | undefined;
  try {
    labels = opts.labelSelector ? parseLabelSelectorString(opts.labelSelector) : undefined;
  } catch (e) {
    throw errors.badRequest(`unable to parse requirement: ${e instanceof Error ? e.message : String(e)}`);
  }
  const fields = fieldMatcher(def, parseFieldSelector(opts.fieldSelector ?? ''));
  return (o) => (!labels || requirementsMatch(labels, o.metadata.labels ?? {})) && fields(o);
}

/** Reads one object or throws 404. */
export function getObject(store: Store, def: ResourceDef, ns: string, name: string): KObject {
  const o = store.get(storeKey(def, ns, name));
  if (!o) throw errors.notFound(def.plural, name, def.group);
  return def.convert ? def.convert(o) : o;
}

interface ContinueToken { rv: number; start: string }

function decodeContinue(tok: string): ContinueToken {
  try {
    const v = JSON.parse(Buffer.from(tok, 'base64url').toString('utf8')) as ContinueToken;
    if (typeof v.rv === 'number' && typeof v.start === 'string') return v;
  } catch { /* fall through */ }
  throw errors.badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
}

/** Lists a collection (ns undefined: all namespaces). */
export function listObjects(store: Store, def: ResourceDef, ns: string | undefined, opts: ListOptions): ListResult {
  const match = matcher(def, opts);
  parseResourceVersion(opts.resourceVersion);
  const { items, rv } = store.list(storeKey(def, def.namespaced ? ns : ''));
  let start = 0;
  let listRV = rv;
  if (opts.continue) {
    const tok = decodeContinue(opts.continue);
    listRV = tok.rv;
    start = items.findIndex((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}` > tok.start);
    if (start < 0) start = items.length;
  }
  const out: KObject[] = [];
  const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
  let i = start;
  for (; i < items.length && out.length < limit; i++) {
    const o = items[i]!;
    if (match(o)) out.push(def.convert ? def.convert(o) : o);
  }
  const result: ListResult = { items: out, rv: listRV };
  const rest = items.slice(i).filter(match).length;
  if (rest > 0 && out.length > 0) {
    const last = out[out.length - 1]!;
    result.continue = Buffer.from(JSON.stringify({ rv: listRV, start: `${last.metadata.namespace ?? ''}/${last.metadata.name}` })).toString('base64url');
    if (!opts.labelSelector && !opts.fieldSelector) result.remainingItemCount = rest;
  }
  return result;
}

/**
 * Watches a collection. Without resourceVersion (or "0") it first sends ADDED for every current
 * match; with one, it replays later changes. Objects leaving the selection arrive as DELETED,
 * objects entering it as ADDED. Throws ExpiredError (→ 410) for compacted versions.
 */
export function watchObjects(store: Store, def: ResourceDef, ns: string | undefined, opts: SelectOptions & { resourceVersion?: string },
  emit: (e: WatchEvent) => void): WatchHandle {
  const match = matcher(def, opts);
  const convert = def.convert;
  const onEvent = convert ? (e: WatchEvent) => emit({ type: e.type, object: convert(e.object) }) : emit;
  const prefix = storeKey(def, def.namespaced ? ns : '');
  let from: number;
  const rvOpt = opts.resourceVersion;
  if (!rvOpt || rvOpt === '0') {
    const { items, rv } = store.list(prefix);
    for (const o of items) if (match(o)) onEvent({ type: 'ADDED', object: o });
    from = rv;
  } else {
    from = parseResourceVersion(rvOpt);
    if (from > store.currentRV()) from = store.currentRV();
  }
  return store.watch(prefix, from, (e) => {
    const now = match(e.object);
    const before = e.prevObject ? match(e.prevObject) : false;
    if (e.type === 'ADDED') { if (now) onEvent({ type: 'ADDED', object: e.object }); return; }
    if (e.type === 'DELETED') { if (before || now) onEvent({ type: 'DELETED', object: e.object }); return; }
    if (now && before) onEvent({ type: 'MODIFIED', object: e.object });
    else if (now) onEvent({ type: 'ADDED', object: e.object });
    else if (before) onEvent({ type: 'DELETED', object: e.object });
  });
}

export { ExpiredError };
