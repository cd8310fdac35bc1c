/**
 * kube-webhook-certgen's `create` and `patch` (IN:images/kube-webhook-certgen/rootfs/cmd/create.go,
 * cmd/patch.go, pkg/k8s/k8s.go) against an API client: their log lines, sources and fatal errors.
 * A fatal error is thrown as `Fatal` (logged by the caller, exit 1, as logrus.Fatal exits).
 */
import type { ApiClient, ApiResponse } from '../util/incluster.js';
import { statusMessage } from '../util/incluster.js';
import type { Logrus } from './logrus.js';
import { generateCerts } from './certs.js';

/** A logrus.Fatal: message, source and fields; the program logs it and exits 1. */
export class Fatal extends Error {
  constructor(message: string, readonly source: string, readonly fields: Record<string, string> = {}) { super(message); }
}

/** `create`'s flags. */
export interface CreateConfig { host: string; secretName: string; namespace: string; certName: string; keyName: string }

/** `patch`'s flags. */
export interface PatchConfig {
  secretName: string; namespace: string; webhookName: string;
  patchValidating: boolean; patchMutating: boolean; patchFailurePolicy: string; apiServiceName: string;
}

const secretPath = (ns: string, name: string): string => `/api/v1/namespaces/${encodeURIComponent(ns)}/secrets/${encodeURIComponent(name)}`;
const webhookPath = (kind: 'validating' | 'mutating', name: string): string =>
  `/apis/admissionregistration.k8s.io/v1/${kind}webhookconfigurations/${encodeURIComponent(name)}`;

async function call(api: ApiClient, fatal: (err: string) => Fatal, ...args: Parameters<ApiClient['request']>): Promise<ApiResponse> {
  try { return await api.request(...args); } catch (e) { throw fatal((e as Error).message); }
}

/** The `ca` of the Secret, or undefined when it does not exist (k8s.go GetCaFromSecret). */
export async function caFromSecret(api: ApiClient, log: Logrus, secretName: string, namespace: string): Promise<Buffer | undefined> {
  log.log('debug', 'k8s/k8s.go:225', `getting secret '${secretName}' in namespace '${namespace}'`);
  const r = await call(api, (err) => new Fatal('error getting secret', 'k8s/k8s.go:232', { err }), 'GET', secretPath(namespace, secretName));
  if (r.status === 404) {
    log.log('info', 'k8s/k8s.go:229', 'no secret found', { err: statusMessage(r) });
    return undefined;
  }
  if (r.status !== 200) throw new Fatal('error getting secret', 'k8s/k8s.go:232', { err: statusMessage(r) });
  const ca = (r.body.data as Record<string, string> | undefined)?.ca;
  if (!ca) throw new Fatal("got secret, but it did not contain a 'ca' key", 'k8s/k8s.go:237');
  log.log('debug', 'k8s/k8s.go:239', 'got secret');
  return Buffer.from(ca, 'base64');
}

/** `create`: keeps an existing Secret, else makes the CA and serving certificate and stores them. */
export async function create(api: ApiClient, log: Logrus, c: CreateConfig): Promise<void> {
  if (await caFromSecret(api, log, c.secretName, c.namespace)) {
    log.log('info', 'cmd/create.go:33', 'secret already exists');
    return;
  }
  log.log('info', 'cmd/create.go:28', 'creating new secret');
  const certs = await generateCerts(c.host);
  log.log('debug', 'k8s/k8s.go:245', `saving to secret '${c.secretName}' in namespace '${c.namespace}'`);
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: c.secretName }, data: { ca: b64(certs.ca), [c.certName]: b64(certs.cert), [c.keyName]: b64(certs.key) } };
  log.log('debug', 'k8s/k8s.go:253', 'saving secret');
  const failed = (err: string): Fatal => new Fatal('failed creating secret', 'k8s/k8s.go:256', { err });
  const r = await call(api, failed, 'POST', `/api/v1/namespaces/${encodeURIComponent(c.namespace)}/secrets`, secret);
  if (r.status !== 201 && r.status !== 200) throw failed(statusMessage(r));
  log.log('debug', 'k8s/k8s.go:258', 'saved secret');
}

/** Sets every webhook's caBundle (and failurePolicy when given) of one configuration (k8s.go patchValidating/patchMutating). */
async function patchConfiguration(api: ApiClient, log: Logrus, kind: 'validating' | 'mutating', name: string, ca: Buffer, failurePolicy: string): Promise<void> {
  const getting = (err: string): Fatal => new Fatal(`failed getting ${kind} webhook`, 'cmd/patch.go:103', { err });
  const got = await call(api, getting, 'GET', webhookPath(kind, name));
  if (got.status !== 200) throw getting(statusMessage(got));
  const obj = got.body;
  for (const h of (obj.webhooks as Record<string, unknown>[] | undefined) ?? []) {
    h.clientConfig = { ...(h.clientConfig as object | undefined), caBundle: ca.toString('base64') };
    if (failurePolicy) h.failurePolicy = failurePolicy;
  }
  const patching = (err: string): Fatal => new Fatal(`failed patching ${kind} webhook`, 'cmd/patch.go:103', { err });
  const put = await call(api, patching, 'PUT', webhookPath(kind, name), obj);
  if (put.status !== 200) throw patching(statusMessage(put));
  log.log('debug', kind === 'validating' ? 'k8s/k8s.go:184' : 'k8s/k8s.go:217', `patched ${kind} hook`);
}

/** `patch`: reads the CA from the Secret and patches the webhook configurations named `webhookName`. */
export async function patch(api: ApiClient, log: Logrus, c: PatchConfig): Promise<void> {
  if (!c.patchMutating && !c.patchValidating && c.apiServiceName === '') {
    throw new Fatal('patch-validating=false, patch-mutating=false. You must patch at least one kind of webhook, otherwise this command is a no-op', 'cmd/patch.go:106');
  }
  if (!['', 'Ignore', 'Fail'].includes(c.patchFailurePolicy)) throw new Fatal(`patch-failure-policy ${c.patchFailurePolicy} is not valid`, 'cmd/patch.go:106');
  // As upstream's switch, which breaks out of case "Ignore" without setting the policy.
  const failurePolicy = c.patchFailurePolicy === 'Fail' ? 'Fail' : '';
  const ca = await caFromSecret(api, log, c.secretName, c.namespace);
  if (!ca) throw new Fatal(`no secret with '${c.secretName}' in '${c.namespace}'`, 'cmd/patch.go:106');
  if (c.apiServiceName) throw new Fatal(`patching APIService "${c.apiServiceName}": the apiregistration.k8s.io API is not served by knet`, 'cmd/patch.go:106');
  if (!c.patchMutating && !c.patchValidating) return;
  log.log('info', 'k8s/k8s.go:118', `patching webhook configurations '${c.webhookName}' mutating=${c.patchMutating}, validating=${c.patchValidating}, failurePolicy=${failurePolicy}`);
  if (c.patchValidating) await patchConfiguration(api, log, 'validating', c.webhookName, ca, failurePolicy);
  else log.log('debug', 'k8s/k8s.go:126', 'validating hook patching not required');
  if (c.patchMutating) await patchConfiguration(api, log, 'mutating', c.webhookName, ca, failurePolicy);
  else log.log('debug', 'k8s/k8s.go:135', 'mutating hook patching not required');
  log.log('info', 'k8s/k8s.go:138', 'Patched hook(s)');
}
