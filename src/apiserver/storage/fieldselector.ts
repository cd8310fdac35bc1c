/** Field selectors (`?fieldSelector=metadata.name=web,status.phase!=Running`): parsing and matching. */
import { errors } from '../../api/errors.js';
import type { KObject } from '../../api/meta.js';
import type { ResourceDef } from '../../api/resource.js';

/** One parsed requirement. */
export interface FieldRequirement { field: string; op: '=' | '!='; value: string }

function splitUnescaped(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) { cur += c + s[i + 1]!; i++; continue; }
    if (c === sep) { out.push(cur); cur = ''; continue; }
    cur += c;
  }
  out.push(cur);
  return out;
}

function unescape(v: string): string {
  return v.replace(/\\(.)/g, '$1');
}

/** Parses a selector string; throws a 400 StatusError on bad syntax. */
export function parseFieldSelector(s: string): FieldRequirement[] {
  if (!s.trim()) return [];
  return splitUnescaped(s, ',').map((term) => {
    const m = /^(.*?)(!=|==|=)(.*)$/s.exec(term);
    if (!m) throw errors.badRequest(`invalid field selector: "${term}": field selector must be in the form key=value, key==value or key!=value`);
    return { field: m[1]!.trim(), op: m[2] === '!=' ? '!=' : '=', value: unescape(m[3]!.trim()) };
  });
}

/** Builds a matcher for a definition; unknown fields are a 400 as on a real server. */
export function fieldMatcher(def: ResourceDef, reqs: FieldRequirement[]): (o: KObject) => boolean {
  if (reqs.length === 0) return () => true;
  const getters = reqs.map((r) => {
    let get: ((o: KObject) => string | undefined) | undefined;
    if (r.field === 'metadata.name') get = (o) => o.metadata.name;
    else if (r.field === 'metadata.namespace') get = (o) => o.metadata.namespace ?? '';
    else get = def.fieldSelectors?.[r.field] as ((o: KObject) => string | undefined) | undefined;
    if (!get) throw errors.badRequest(`field label not supported: ${r.field}`);
    return { r, get };
  });
  return (o) => getters.every(({ r, get }) => ((get(o) ?? '') === r.value) === (r.op === '='));
}
