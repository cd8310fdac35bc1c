/**
 * What kube-apiserver's default admission plugins add to a new pod: ServiceAccount (service account
 * and the kube-api-access projected volume), Priority and DefaultTolerationSeconds.
 */
import { randomInt } from 'node:crypto';
import type { PodSpec, Container } from './pod-spec.js';

const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const TOKEN_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';

/** A 5-character suffix like utilrand.String(5). */
export function randSuffix(n = 5): string {
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}

function addMount(cs: Container[] | undefined, name: string): void {
  for (const c of cs ?? []) {
    if ((c.volumeMounts ?? []).some((m) => m.mountPath === TOKEN_PATH)) continue;
    (c.volumeMounts ??= []).push({ mountPath: TOKEN_PATH, name, readOnly: true });
  }
}

/** The ServiceAccount plugin: default service account and, unless disabled, the API access volume and mounts. */
function serviceAccount(spec: PodSpec): void {
  spec.serviceAccountName ||= spec.serviceAccount || 'default';
  spec.serviceAccount = spec.serviceAccountName;
  if (spec.automountServiceAccountToken === false) return;
  if ((spec.volumes ?? []).some((v) => v.name.startsWith('kube-api-access-'))) return;
  const name = `kube-api-access-${randSuffix()}`;
  (spec.volumes ??= []).push({
    name,
    projected: {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { items: [{ key: 'ca.crt', path: 'ca.crt' }], name: 'kube-root-ca.crt' } },
        { downwardAPI: { items: [{ fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' }, path: 'namespace' }] } },
      ],
    },
  });
  addMount(spec.containers, name);
  addMount(spec.initContainers, name);
}

function defaultTolerations(spec: PodSpec): void {
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    const ts = spec.tolerations ?? [];
    const has = ts.some((t) => (t.key === key || (!t.key && t.operator === 'Exists')) && (!t.effect || t.effect === 'NoExecute'));
    if (!has) (spec.tolerations ??= []).push({ effect: 'NoExecute', key, operator: 'Exists', tolerationSeconds: 300 });
  }
}

/** Applies the default admission mutations to a pod spec being created (not to pod templates). */
export function admitPodSpec(spec: PodSpec): void {
  serviceAccount(spec);
  spec.priority ??= 0;
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
  defaultTolerations(spec);
}
