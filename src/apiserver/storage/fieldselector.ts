/** Field selectors (`?fieldSelector=metadata.name=web,status.phase!=Running`): parsing and matching. */
import { errors } from '../../api/errors.js';
import type { KObject } from '../../api/meta.js';
import type { ResourceDef } from '../../api/resource.js';

/** One parsed requirement. */
export interface FieldRequirement { field: string; op: '=' | '!='; value: string }

/** fields.splitTerms: commas split terms unless backslash-escaped (the escape stays in the term). */
function splitTerms(s: string): string[] {
  const out: string[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < s.length; i++) {
    if (escaped) escaped = false;
    else if (s[i] === '\\') escaped = true;
    else if (s[i] === ',') { out.push(s.slice(start, i)); start = i + 1; }
  }
  out.push(s.slice(start));
  return out;
}

/** fields.UnescapeValue: `\\`, `\,` and `\=` are escapes; any other escape, or a bare `,` or `=`, is refused. */
function unescapeValue(v: string): string {
  let out = '';
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    if (c === '\\') {
      const n = v[i + 1];
      if (n === undefined || !'\\,='.includes(n)) throw errors.badRequest(`invalid field selector: invalid escape sequence: \\${n ?? ''}`);
      out += n;
      i++;
    } else if (c === ',' || c === '=') {
      // Go prints the rune with %v: its code point.
      throw errors.badRequest(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else out += c;
  }
  return out;
}

/**
 * Parses a selector string as k8s.io/apimachinery/pkg/fields.ParseSelector does: each term splits at
 * its first operator (`!=`, `==`, `=` tried in that order at each position), the value is unescaped
 * strictly (`metadata.name===x` leaves `=x`, an unescaped `=`: refused). Errors are 400s with its texts.
 */
export function parseFieldSelector(s: string): FieldRequirement[] {
  const out: FieldRequirement[] = [];
  for (const term of splitTerms(s).sort()) {
    if (term === '') continue;
    const m = /^(.*?)(!=|==|=)(.*)$/s.exec(term);
    if (!m) throw errors.badRequest(`invalid selector: '${s}'; can't understand '${term}'`);
    out.push({ field: m[1]!, op: m[2] === '!=' ? '!=' : '=', value: unescapeValue(m[3]!) });
  }
  return out;
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
