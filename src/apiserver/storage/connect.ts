/**
 * Admission of CONNECT requests (pods/exec, pods/attach, pods/portforward): the options object the
 * request carries in its query (PodExecOptions, PodAttachOptions, PodPortForwardOptions) goes to
 * mutating then validating admission as the object (it has no metadata: object selectors never
 * match it), as kube-apiserver's connect handler sends it.
 */
import type { KObject } from '../../api/meta.js';
import type { ResourceDef } from '../../api/resource.js';
import type { AdmissionAttributes, UserInfo } from './attributes.js';
import type { WriteHooks } from './write.js';

const OPTION_KINDS: Record<string, string> = { exec: 'PodExecOptions', attach: 'PodAttachOptions', portforward: 'PodPortForwardOptions' };

/** The options object of a connect request, as Go would encode it (false booleans omitted). */
export function connectOptions(sub: string, q: URLSearchParams): Record<string, unknown> | undefined {
  const kind = OPTION_KINDS[sub];
  if (!kind) return undefined;
  const o: Record<string, unknown> = { kind, apiVersion: 'v1' };
  if (sub === 'portforward') {
    const ports = q.getAll('ports').flatMap((p) => p.split(',')).map(Number).filter((n) => Number.isInteger(n));
    if (ports.length) o.ports = ports;
    return o;
  }
  for (const b of ['stdin', 'stdout', 'stderr', 'tty']) if (['true', '1'].includes(q.get(b) ?? '')) o[b] = true;
  const container = q.get('container');
  if (container) o.container = container;
  if (sub === 'exec') o.command = q.getAll('command');
  return o;
}

/** Runs CONNECT admission as the request's user; rejects with the StatusError a webhook's refusal or failure becomes. */
export async function admitConnect(hooks: WriteHooks, def: ResourceDef, ns: string, name: string, sub: string, q: URLSearchParams, user: UserInfo): Promise<void> {
  const object = connectOptions(sub, q);
  if (!object || (!hooks.mutate && !hooks.validate)) return;
  const a: AdmissionAttributes = {
    def, operation: 'CONNECT', object: object as KObject, namespace: ns, name, subresource: sub, dryRun: false,
    options: {}, user, warnings: [],
  };
  const m = hooks.mutate?.(a);
  if (m) await m;
  const v = hooks.validate?.(a);
  if (v) await v;
}
