/**
 * The template plugin's text templates: the Go-template subset Corefiles use (`{{ .Name }}`,
 * `{{ .Zone }}`, `{{ .Class }}`, `{{ .Type }}`, `{{ .Remote }}`, `{{ index .Match 1 }}`,
 * `{{ .Group.name }}`, `{{ index .Group "name" }}`), and parsing the rendered zone-file record.
 */
import { isIP } from 'node:net';
import type { Answer } from 'dns-packet';

/** What a template sees. */
export interface TemplateData {
  Name: string;
  Zone: string;
  Class: string;
  Type: string;
  Remote: string;
  Match: string[];
  Group: Record<string, string>;
}

/** A compiled template: renders data to text. */
export type Render = (data: TemplateData) => string;

const EXPR: [RegExp, (m: RegExpExecArray, d: TemplateData) => string][] = [
  [/^\.(Name|Zone|Class|Type|Remote)$/, (m, d) => d[m[1] as 'Name']],
  [/^index \.Match (\d+)$/, (m, d) => d.Match[Number(m[1])] ?? ''],
  [/^\.Group\.(\w+)$/, (m, d) => d.Group[m[1]!] ?? ''],
  [/^index \.Group "(\w+)"$/, (m, d) => d.Group[m[1]!] ?? ''],
];

/** Compiles a template; throws Go's error text for what it does not know. */
export function compileTemplate(text: string, what: string): Render {
  const parts: (string | ((d: TemplateData) => string))[] = [];
  let rest = text;
  for (;;) {
    const i = rest.indexOf('{{');
    if (i < 0) { parts.push(rest); break; }
    const j = rest.indexOf('}}', i);
    if (j < 0) throw new Error(`template: ${what}:1: unclosed action`);
    parts.push(rest.slice(0, i));
    const expr = rest.slice(i + 2, j).trim();
    const hit = EXPR.map(([re, f]) => [re.exec(expr), f] as const).find(([m]) => m);
    if (!hit) throw new Error(`template: ${what}:1: function or field not supported by knet: "${expr}"`);
    const [m, f] = hit;
    parts.push((d) => f(m!, d));
    rest = rest.slice(j + 2);
  }
  return (d) => parts.map((p) => (typeof p === 'string' ? p : p(d))).join('');
}

/** Splits zone-file rdata into words, keeping quoted strings together. */
function words(s: string): string[] {
  return [...s.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

const strip = (n: string): string => n.replace(/\.$/, '');

/** Parses one zone-file record (`name [ttl] [IN] TYPE rdata`), as miekg/dns.NewRR does for the types templates use. */
export function parseRecord(text: string): Answer {
  const w = words(text.trim());
  const name = w.shift();
  if (!name) throw new Error(`dns: empty record`);
  let ttl = 3600;
  if (w[0] && /^\d+$/.test(w[0])) ttl = Number(w.shift());
  if (w[0] && /^(IN|CH|HS|ANY)$/i.test(w[0])) w.shift();
  if (w[0] && /^\d+$/.test(w[0])) ttl = Number(w.shift());
  const type = (w.shift() ?? '').toUpperCase();
  const bad = (): Error => new Error(`dns: bad ${type || 'record'} in "${text}"`);
  const base = { name: strip(name), ttl };
  switch (type) {
    case 'A': case 'AAAA':
      if (!w[0] || isIP(w[0]) !== (type === 'A' ? 4 : 6)) throw bad();
      return { ...base, type, data: w[0] };
    case 'CNAME': case 'PTR': case 'NS': case 'DNAME':
      if (!w[0]) throw bad();
      return { ...base, type, data: strip(w[0]) } as Answer;
    case 'TXT':
      if (!w.length) throw bad();
      return { ...base, type, data: w };
    case 'MX':
      if (w.length !== 2 || !/^\d+$/.test(w[0]!)) throw bad();
      return { ...base, type, data: { preference: Number(w[0]), exchange: strip(w[1]!) } };
    case 'SRV':
      if (w.length !== 4 || !w.slice(0, 3).every((x) => /^\d+$/.test(x))) throw bad();
      return { ...base, type, data: { priority: Number(w[0]), weight: Number(w[1]), port: Number(w[2]), target: strip(w[3]!) } };
    case 'SOA': {
      if (w.length !== 7 || !w.slice(2).every((x) => /^\d+$/.test(x))) throw bad();
      const [refresh, retry, expire, minimum] = w.slice(3).map(Number);
      return { ...base, type, data: { mname: strip(w[0]!), rname: strip(w[1]!), serial: Number(w[2]), refresh, retry, expire, minimum } };
    }
    default: throw new Error(`dns: unknown or unsupported RR type ${type || '""'} in "${text}"`);
  }
}
