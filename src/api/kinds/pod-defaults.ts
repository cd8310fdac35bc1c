/** Kubernetes v1 defaulting of PodSpec (pkg/apis/core/v1/defaults.go), for pods and pod templates. */
import type { PodSpec, Container, Volume } from './pod-spec.js';

type Probe = NonNullable<Container['livenessProbe']>;
type Handler = { httpGet?: { path?: string; scheme?: string } };
type FieldRefHolder = { fieldRef?: { apiVersion?: string }; resourceFieldRef?: { divisor?: string | number } };

const comp = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const host = '[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?';
const imageRe = new RegExp(`^(?:${host}(?:\\.${host})*(?::[0-9]+)?/)?${comp}(?:/${comp})*` +
  '(?::([\\w][\\w.-]{0,127}))?(@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$');

/** The tag kubelet would pull (`latest` when neither tag nor digest is given); undefined when the reference does not parse. */
export function imageTag(image: string): string | undefined {
  const m = imageRe.exec(image);
  if (!m) return undefined;
  if (m[1]) return m[1];
  return m[2] ? '' : 'latest';
}

function defaultHandler(h: Handler | undefined): void {
  if (!h?.httpGet) return;
  h.httpGet.path ||= '/';
  h.httpGet.scheme ||= 'HTTP';
}

function defaultProbe(p: Probe | undefined): void {
  if (!p) return;
  defaultHandler(p);
  p.timeoutSeconds ||= 1;
  p.periodSeconds ||= 10;
  p.successThreshold ||= 1;
  p.failureThreshold ||= 3;
}

function defaultFieldRefs(x: FieldRefHolder | undefined): void {
  if (!x) return;
  if (x.fieldRef) x.fieldRef.apiVersion ||= 'v1';
  if (x.resourceFieldRef && x.resourceFieldRef.divisor === undefined) x.resourceFieldRef.divisor = '0';
}

/** SetDefaults_Container plus the defaults of its ports, probes, lifecycle hooks and env sources. */
export function defaultContainer(c: Container): void {
  if (!c.imagePullPolicy) c.imagePullPolicy = imageTag(c.image ?? '') === 'latest' ? 'Always' : 'IfNotPresent';
  c.terminationMessagePath ||= '/dev/termination-log';
  c.terminationMessagePolicy ||= 'File';
  c.resources ??= {};
  for (const p of c.ports ?? []) p.protocol ||= 'TCP';
  for (const e of c.env ?? []) defaultFieldRefs(e.valueFrom);
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  defaultHandler(c.lifecycle?.postStart);
  defaultHandler(c.lifecycle?.preStop);
}

/** SetDefaults_Volume and the volume source defaults (modes 0644, hostPath type "", token lifetime 3600). */
export function defaultVolume(v: Volume): void {
  const sources = Object.keys(v).filter((k) => k !== 'name' && (v as Record<string, unknown>)[k] !== undefined);
  if (sources.length === 0) v.emptyDir = {};
  if (v.hostPath && v.hostPath.type === undefined) v.hostPath.type = '';
  if (v.secret) v.secret.defaultMode ??= 420;
  if (v.configMap) v.configMap.defaultMode ??= 420;
  if (v.downwardAPI) {
    v.downwardAPI.defaultMode ??= 420;
    for (const i of v.downwardAPI.items ?? []) defaultFieldRefs(i);
  }
  if (v.projected) {
    v.projected.defaultMode ??= 420;
    for (const s of v.projected.sources ?? []) {
      if (s.serviceAccountToken) s.serviceAccountToken.expirationSeconds ??= 3600;
      for (const i of s.downwardAPI?.items ?? []) defaultFieldRefs(i);
    }
  }
}

/** Options of `defaultPodSpec`: `pod` adds the defaults Kubernetes applies to Pods only, not to templates. */
export interface PodDefaultOptions { pod?: boolean }

function hostNetworkPorts(cs: Container[] | undefined): void {
  for (const c of cs ?? []) for (const p of c.ports ?? []) if (!p.hostPort) p.hostPort = p.containerPort;
}

function requestsFromLimits(cs: Container[] | undefined): void {
  for (const c of cs ?? []) {
    const lim = c.resources?.limits;
    if (!lim || !c.resources) continue;
    const req = (c.resources.requests ??= {});
    for (const [k, v] of Object.entries(lim)) if (!(k in req)) req[k] = v;
  }
}

/**
 * Applies SetDefaults_PodSpec (and, with `{ pod: true }`, SetDefaults_Pod) in place: restartPolicy
 * Always, dnsPolicy ClusterFirst, securityContext {}, terminationGracePeriodSeconds 30,
 * schedulerName default-scheduler, container and volume defaults; pods also get
 * enableServiceLinks true and requests copied from limits.
 */
export function defaultPodSpec(spec: PodSpec, opts: PodDefaultOptions = {}): PodSpec {
  spec.dnsPolicy ||= 'ClusterFirst';
  spec.restartPolicy ||= 'Always';
  if (spec.hostNetwork) { hostNetworkPorts(spec.containers); hostNetworkPorts(spec.initContainers); }
  spec.securityContext ??= {};
  spec.terminationGracePeriodSeconds ??= 30;
  spec.schedulerName ||= 'default-scheduler';
  for (const c of spec.containers ?? []) defaultContainer(c);
  for (const c of spec.initContainers ?? []) defaultContainer(c);
  for (const c of spec.ephemeralContainers ?? []) defaultContainer(c as Container);
  for (const v of spec.volumes ?? []) defaultVolume(v);
  if (opts.pod) {
    requestsFromLimits(spec.containers);
    requestsFromLimits(spec.initContainers);
    spec.enableServiceLinks ??= true;
  }
  return spec;
}
