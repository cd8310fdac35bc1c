/** Helpers shared by the table printers: ages, label maps, selectors, as kubectl's printers render them. */
import type { LabelSelector } from '../meta.js';
import type { ColumnDef } from '../resource.js';

/** Go's duration.HumanDuration (k8s.io/apimachinery/pkg/util/duration), e.g. `5m`, `3h2m`, `2d`. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) { const s = seconds % 60; return s === 0 ? `${minutes}m` : `${minutes}m${s}s`; }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) { const m = minutes % 60; return m === 0 ? `${hours}h` : `${hours}h${m}m`; }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) { const h = hours % 24; return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`; }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) { const dy = Math.floor(hours / 24) % 365; return dy === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${dy}d`; }
  return `${Math.floor(hours / 24 / 365)}y`;
}

/** The AGE cell: time since a timestamp, or `<unknown>` when absent. */
export function age(ts: string | undefined | null, now: Date): string {
  if (!ts) return '<unknown>';
  return humanDuration(now.getTime() - Date.parse(ts));
}

/** `a=b,c=d` in key order, or `<none>` (labels.FormatLabels). */
export function formatLabels(m: Record<string, string> | undefined): string {
  if (!m || Object.keys(m).length === 0) return '<none>';
  return Object.keys(m).sort().map((k) => `${k}=${m[k]}`).join(',');
}

/** metav1.FormatLabelSelector: `app=web,tier in (a,b)`, `<none>` for nil, `` … */
export function formatLabelSelector(sel: LabelSelector | undefined | null): string {
  if (!sel) return '<none>';
  const parts: string[] = [];
  for (const k of Object.keys(sel.matchLabels ?? {}).sort()) parts.push(`${k}=${sel.matchLabels![k]}`);
  for (const r of sel.matchExpressions ?? []) {
    const vals = [...(r.values ?? [])].sort();
    switch (r.operator) {
      case 'In': parts.push(`${r.key} in (${vals.join(',')})`); break;
      case 'NotIn': parts.push(`${r.key} notin (${vals.join(',')})`); break;
      case 'Exists': parts.push(r.key); break;
      case 'DoesNotExist': parts.push(`!${r.key}`); break;
      default: parts.push(`${r.key} ${r.operator} (${vals.join(',')})`);
    }
  }
  const s = parts.join(',');
  return s === '' ? '<none>' : s;
}

/** The Name column every printer starts with. */
export const nameColumn: ColumnDef = { name: 'Name', type: 'string', format: 'name', description: 'Name of the object, unique within its namespace.', priority: 0 };

/** The Age column. */
export const ageColumn: ColumnDef = { name: 'Age', type: 'string', format: '', description: 'Time since the object was created.', priority: 0 };

/** Shorthand for a column definition. */
export function col(name: string, type: ColumnDef['type'], description: string, priority: 0 | 1 = 0, format = ''): ColumnDef {
  return { name, type, format, description, priority };
}
