/**
 * Reading manifests as `kubectl apply -f PATH -R` does: a file (whatever its extension), or every
 * .yaml/.yml/.json file under a folder in lexical order; multi-document YAML; `kind: List` (and
 * other `*List` kinds) expanded into their items. Each object remembers where it was written
 * (`file:line:col`) so that errors can point at it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseAllDocuments, isMap, isSeq, type Document, type Node as YamlNode } from 'yaml';
import { SnapshotError } from './snapshot.js';

/** One object of a manifest file and where it starts. */
export interface Manifest {
  obj: Record<string, unknown>;
  /** `file:line:col` of the object's first line. */
  where: string;
}

const EXTENSIONS = /\.(ya?ml|json)$/i;

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (EXTENSIONS.test(name)) out.push(p);
  }
}

/** The files `path` names: itself, or the manifest files under it. */
export function manifestFiles(path: string): string[] {
  let st;
  try { st = statSync(path); } catch { throw new SnapshotError(`the path "${path}" does not exist`); }
  if (!st.isDirectory()) return [path];
  const out: string[] = [];
  walk(path, out);
  return out;
}

/** The message of a YAML error without its position and excerpt (the caller prints `file:line:col:`). */
function yamlMessage(m: string): string {
  return m.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

function expand(file: string, lc: LineCounter, node: YamlNode | null | undefined, value: unknown, out: Manifest[]): void {
  const pos = lc.linePos(node?.range?.[0] ?? 0);
  const where = `${file}:${pos.line}:${pos.col}`;
  if (value === null || value === undefined) return;
  if (typeof value !== 'object' || Array.isArray(value) || !isMap(node)) {
    throw new SnapshotError(`${where}: expected a Kubernetes object (a map with apiVersion and kind), found ${Array.isArray(value) ? 'a list' : typeof value}`);
  }
  const obj = value as Record<string, unknown>;
  const missing = ['apiVersion', 'kind'].filter((k) => typeof obj[k] !== 'string' || obj[k] === '');
  if (missing.length) throw new SnapshotError(`${where}: ${missing.map((k) => `${k} not set`).join(', ')}`);
  if ((obj['kind'] as string).endsWith('List') && Array.isArray(obj['items'])) {
    const items = node.get('items', true);
    (obj['items'] as unknown[]).forEach((it, i) => expand(file, lc, isSeq(items) ? items.items[i] as YamlNode : node, it, out));
    return;
  }
  out.push({ obj, where });
}

/** Parses one file's text into its objects; broken YAML is an error naming `file:line:col`. */
export function parseManifests(file: string, text: string): Manifest[] {
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc, prettyErrors: true }) as Document[] | { empty: true };
  if (!Array.isArray(docs)) return [];
  const out: Manifest[] = [];
  for (const doc of docs) {
    const err = doc.errors[0];
    if (err) {
      const pos = err.linePos?.[0] ?? lc.linePos(err.pos[0]);
      throw new SnapshotError(`${file}:${pos.line}:${pos.col}: ${yamlMessage(err.message)}`);
    }
    expand(file, lc, doc.contents as YamlNode | null, doc.toJS({ maxAliasCount: 100 }), out);
  }
  return out;
}

/** Every object in the files `path` names, in file then document order; `files` counts the files read. */
export function readManifests(path: string): { manifests: Manifest[]; files: number } {
  const files = manifestFiles(path);
  const manifests: Manifest[] = [];
  for (const f of files) {
    let text: string;
    try { text = readFileSync(f, 'utf8'); } catch (e) {
      throw new SnapshotError(`${f}: ${(e as Error).message}`);
    }
    manifests.push(...parseManifests(f, text));
  }
  return { manifests, files: files.length };
}
