/**
 * Exec credential plugins (client.authentication.k8s.io ExecCredential), as cloud kubeconfigs use
 * them (`aws eks get-token`, `gke-gcloud-auth-plugin`, `kubelogin`): run the command
 * non-interactively and take the token or client certificate from its JSON output.
 */
import { spawn } from 'node:child_process';
import type { ClusterAccess, ExecPlugin } from './kubeconfig.js';
import { SnapshotError } from './snapshot.js';

/** What a plugin returned: a bearer token, or a client certificate and key (PEM). */
export interface ExecResult { token?: string; cert?: Buffer; key?: Buffer }

function run(plugin: ExecPlugin, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(plugin.command, plugin.args, { env, stdio: ['ignore', 'pipe', 'inherit'], timeout: timeoutMs });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', (e: NodeJS.ErrnoException) => {
      reject(new SnapshotError(e.code === 'ENOENT' ? `exec: executable ${plugin.command} not found (the kubeconfig's credential plugin)` : `exec: ${plugin.command}: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      if (code === 0) resolvePromise(out);
      else reject(new SnapshotError(`exec: credential plugin ${plugin.command} ${signal ? `was killed (${signal})` : `exited with status ${code}`}`));
    });
  });
}

/** Runs the user's exec plugin and returns its credential. */
export async function execCredential(access: ClusterAccess, plugin: ExecPlugin, timeoutMs = 60_000): Promise<ExecResult> {
  const spec: Record<string, unknown> = { interactive: false };
  if (plugin.provideClusterInfo) {
    spec['cluster'] = {
      server: access.server, 'tls-server-name': access.tlsServerName, 'insecure-skip-tls-verify': access.insecureSkipTLSVerify,
      'certificate-authority-data': access.ca?.toString('base64'),
    };
  }
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const e of plugin.env) env[e.name] = e.value;
  env['KUBERNETES_EXEC_INFO'] = JSON.stringify({ apiVersion: plugin.apiVersion, kind: 'ExecCredential', spec });
  const out = await run(plugin, env, timeoutMs);
  let cred: { kind?: string; status?: { token?: string; clientCertificateData?: string; clientKeyData?: string } };
  try { cred = JSON.parse(out) as typeof cred; } catch {
    throw new SnapshotError(`exec: credential plugin ${plugin.command} did not print an ExecCredential (JSON)`);
  }
  const s = cred.status ?? {};
  if (s.token) return { token: s.token };
  if (s.clientCertificateData && s.clientKeyData) return { cert: Buffer.from(s.clientCertificateData), key: Buffer.from(s.clientKeyData) };
  throw new SnapshotError(`exec: credential plugin ${plugin.command} returned neither a token nor a client certificate`);
}
