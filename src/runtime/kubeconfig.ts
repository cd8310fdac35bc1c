/** Writing knet's credentials into a kubeconfig: a file of its own, or merged into the user's (as kind does). */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { homedir } from 'node:os';
import { parse, stringify } from 'yaml';
import type { Pki } from '../apiserver/pki.js';

interface Named<T> { name: string; [k: string]: unknown; cluster?: T; user?: T; context?: T }
interface KubeConfig {
  apiVersion?: string; kind?: string; preferences?: unknown;
  clusters?: Named<unknown>[]; users?: Named<unknown>[]; contexts?: Named<unknown>[];
  'current-context'?: string;
  [k: string]: unknown;
}

/** The kubeconfig file kubectl would use: first entry of $KUBECONFIG, else ~/.kube/config. */
export function defaultKubeconfigPath(): string {
  const env = process.env['KUBECONFIG'];
  if (env) return env.split(':').filter(Boolean)[0] ?? join(homedir(), '.kube', 'config');
  return join(homedir(), '.kube', 'config');
}

function b64(s: string): string {
  return Buffer.from(s).toString('base64');
}

function upsert(list: Named<unknown>[], item: Named<unknown>): Named<unknown>[] {
  const i = list.findIndex((x) => x.name === item.name);
  if (i >= 0) list[i] = item; else list.push(item);
  return list;
}

function atomicWrite(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.knet-${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, path);
}

function load(path: string): KubeConfig {
  if (!existsSync(path)) return {};
  const text = readFileSync(path, 'utf8');
  const v = text.trim() ? parse(text) as KubeConfig | null : null;
  if (v !== null && (typeof v !== 'object' || Array.isArray(v))) throw new Error(`${path} is not a kubeconfig (not a YAML map)`);
  return v ?? {};
}

/**
 * Adds (or replaces) cluster, user and context `name` in the kubeconfig at `path` and makes the
 * context current; other entries are kept. Returns the context that was current before, if another.
 */
export function writeKubeconfig(path: string, name: string, server: string, pki: Pki): string | undefined {
  const cfg = load(path);
  const previous = cfg['current-context'];
  cfg.apiVersion ??= 'v1';
  cfg.kind ??= 'Config';
  cfg.preferences ??= {};
  cfg.clusters = upsert(cfg.clusters ?? [], { name, cluster: { 'certificate-authority-data': b64(pki.caCert), server } });
  cfg.users = upsert(cfg.users ?? [], { name, user: { 'client-certificate-data': b64(pki.adminCert), 'client-key-data': b64(pki.adminKey) } });
  cfg.contexts = upsert(cfg.contexts ?? [], { name, context: { cluster: name, user: name } });
  cfg['current-context'] = name;
  atomicWrite(path, stringify(cfg));
  return previous && previous !== name ? previous : undefined;
}

/**
 * Removes cluster, user and context `name` (used by `knet down` for merged kubeconfigs). When `name`
 * was current, `previous` becomes current again if it still exists (as `kind delete cluster` leaves
 * the user where they were), else none is.
 */
export function removeFromKubeconfig(path: string, name: string, previous?: string): void {
  if (!existsSync(path)) return;
  const cfg = load(path);
  cfg.clusters = (cfg.clusters ?? []).filter((x) => x.name !== name);
  cfg.users = (cfg.users ?? []).filter((x) => x.name !== name);
  cfg.contexts = (cfg.contexts ?? []).filter((x) => x.name !== name);
  if (cfg['current-context'] === name) cfg['current-context'] = previous && cfg.contexts.some((c) => c.name === previous) ? previous : '';
  atomicWrite(path, stringify(cfg));
}
