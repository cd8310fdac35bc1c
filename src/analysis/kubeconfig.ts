/**
 * Reading a kubeconfig the way kubectl does (client-go's clientcmd loading rules): `--kubeconfig`
 * alone, else every file of $KUBECONFIG merged (the first file to name a cluster, user or context,
 * or to set current-context, wins; missing files are skipped), else ~/.kube/config. Relative file
 * references resolve against the file that holds them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { SnapshotError } from './snapshot.js';

type Entry = Record<string, unknown>;
interface Named { name: string; value: Entry; dir: string }

/** An exec credential plugin as a kubeconfig user names it. */
export interface ExecPlugin {
  command: string; args: string[]; env: { name: string; value: string }[]; apiVersion: string;
  provideClusterInfo: boolean;
}

/** Where and how to reach the API server of one kubeconfig context. */
export interface ClusterAccess {
  context: string;
  cluster: string;
  user: string;
  /** The context's namespace, if it sets one. */
  namespace?: string;
  server: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  token?: string;
  username?: string;
  password?: string;
  exec?: ExecPlugin;
  insecureSkipTLSVerify: boolean;
  tlsServerName?: string;
}

/** Which kubeconfig and context to use; `env` and `home` default to the process's. */
export interface KubeconfigOptions {
  kubeconfig?: string;
  context?: string;
  env?: NodeJS.ProcessEnv;
  home?: string;
}

function load(path: string): Entry {
  let v: unknown;
  try {
    const text = readFileSync(path, 'utf8');
    v = text.trim() ? parse(text) : {};
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new SnapshotError(`error loading config file "${path}": ${err.code ? err.message : err.message.split('\n')[0]}`);
  }
  if (v === null || v === undefined) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new SnapshotError(`error loading config file "${path}": not a kubeconfig (not a YAML map)`);
  return v as Entry;
}

/** The kubeconfig files kubectl would read, in precedence order (the explicit one must exist). */
export function kubeconfigFiles(opts: KubeconfigOptions): string[] {
  if (opts.kubeconfig) {
    if (!existsSync(opts.kubeconfig)) throw new SnapshotError(`stat ${opts.kubeconfig}: no such file or directory`);
    return [resolve(opts.kubeconfig)];
  }
  const env = (opts.env ?? process.env)['KUBECONFIG'];
  const paths = env ? env.split(delimiter).filter(Boolean) : [join(opts.home ?? homedir(), '.kube', 'config')];
  return [...new Set(paths.map((p) => resolve(p)))].filter((p) => existsSync(p));
}

function entries(cfg: Entry, list: string, field: string, dir: string, into: Map<string, Named>): void {
  const items = cfg[list];
  if (!Array.isArray(items)) return;
  for (const it of items as Entry[]) {
    const name = typeof it?.['name'] === 'string' ? it['name'] : undefined;
    const value = it?.[field];
    if (name !== undefined && !into.has(name)) into.set(name, { name, value: value && typeof value === 'object' ? value as Entry : {}, dir });
  }
}

const str = (e: Entry, k: string): string | undefined => (typeof e[k] === 'string' && e[k] !== '' ? e[k] as string : undefined);

/** Reads a file a kubeconfig names (relative to the kubeconfig's folder). */
function readRef(file: string, what: string, dir: string): Buffer {
  const path = isAbsolute(file) ? file : join(dir, file);
  try { return readFileSync(path); } catch (err) {
    throw new SnapshotError(`unable to read ${what} ${path}: ${(err as Error).message}`);
  }
}

function bytes(e: Entry, dataKey: string, fileKey: string, dir: string): Buffer | undefined {
  const data = str(e, dataKey);
  if (data) return Buffer.from(data, 'base64');
  const file = str(e, fileKey);
  return file ? readRef(file, fileKey, dir) : undefined;
}

function execPlugin(e: Entry | undefined, dir: string): ExecPlugin | undefined {
  const command = e && str(e, 'command');
  if (!e || !command) return undefined;
  const env = Array.isArray(e['env']) ? (e['env'] as Entry[]).map((x) => ({ name: String(x['name'] ?? ''), value: String(x['value'] ?? '') })) : [];
  const cmd = command.includes('/') && !isAbsolute(command) ? join(dir, command) : command;
  return {
    command: cmd, args: Array.isArray(e['args']) ? (e['args'] as unknown[]).map(String) : [], env,
    apiVersion: str(e, 'apiVersion') ?? 'client.authentication.k8s.io/v1', provideClusterInfo: e['provideClusterInfo'] === true,
  };
}

/** Resolves the context (`opts.context`, else current-context) of the kubeconfig into the API server's address and credentials. */
export function resolveClusterAccess(opts: KubeconfigOptions): ClusterAccess {
  const files = kubeconfigFiles(opts);
  if (files.length === 0) {
    const where = (opts.env ?? process.env)['KUBECONFIG'] ? `$KUBECONFIG (${(opts.env ?? process.env)['KUBECONFIG']})` : join(opts.home ?? homedir(), '.kube', 'config');
    throw new SnapshotError(`no kubeconfig found at ${where}; pass --kubeconfig FILE`);
  }
  const clusters = new Map<string, Named>(), users = new Map<string, Named>(), contexts = new Map<string, Named>();
  let current: string | undefined;
  for (const f of files) {
    const cfg = load(f), dir = dirname(f);
    entries(cfg, 'clusters', 'cluster', dir, clusters);
    entries(cfg, 'users', 'user', dir, users);
    entries(cfg, 'contexts', 'context', dir, contexts);
    current ??= str(cfg, 'current-context');
  }
  const name = opts.context || current;
  if (!name) throw new SnapshotError(`no context chosen: current-context is not set in ${files.join(', ')}; pass --context NAME`);
  const ctx = contexts.get(name);
  if (!ctx) throw new SnapshotError(`context was not found for specified context: ${name}`);
  const clusterName = str(ctx.value, 'cluster') ?? '';
  const cl = clusters.get(clusterName);
  if (!cl) throw new SnapshotError(`cluster "${clusterName}" of context "${name}" was not found in the kubeconfig`);
  const server = str(cl.value, 'server');
  if (!server) throw new SnapshotError(`cluster "${clusterName}" of context "${name}" has no server defined`);
  const userName = str(ctx.value, 'user') ?? '';
  const u = users.get(userName);
  if (userName && !u) throw new SnapshotError(`user "${userName}" of context "${name}" was not found in the kubeconfig`);
  const ue = u?.value ?? {}, udir = u?.dir ?? cl.dir;
  const tokenFile = str(ue, 'tokenFile');
  let token = str(ue, 'token') ?? (tokenFile ? readRef(tokenFile, 'tokenFile', udir).toString('utf8').trim() : undefined);
  const provider = ue['auth-provider'] as Entry | undefined;
  if (!token && provider) {
    const idToken = (provider['config'] as Entry | undefined)?.['id-token'];
    if (typeof idToken !== 'string') throw new SnapshotError(`user "${userName}": auth-provider "${String(provider['name'])}" is not supported; use an exec credential plugin`);
    token = idToken;
  }
  return {
    context: name, cluster: clusterName, user: userName, namespace: str(ctx.value, 'namespace'), server,
    ca: bytes(cl.value, 'certificate-authority-data', 'certificate-authority', cl.dir),
    cert: bytes(ue, 'client-certificate-data', 'client-certificate', udir),
    key: bytes(ue, 'client-key-data', 'client-key', udir),
    token, username: str(ue, 'username'), password: str(ue, 'password'),
    exec: execPlugin(ue['exec'] as Entry | undefined, udir),
    insecureSkipTLSVerify: cl.value['insecure-skip-tls-verify'] === true,
    tlsServerName: str(cl.value, 'tls-server-name'),
  };
}
