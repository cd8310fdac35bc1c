/**
 * What the NetworkPolicy end-to-end tests share: upstream's e2e netpol model (namespaces x, y, z;
 * pods a, b, c serving ports 80 and 81 per protocol with agnhost; one Service per pod), its truth
 * tables and `agnhost connect` probes (kubernetes/kubernetes test/e2e/network/netpol/{model,
 * reachability,truthtable,probe,test_helper}.go), policy helpers and what a dropped curl prints.
 */
import assert from 'node:assert/strict';
import type { Knet, Run } from './harness.js';
import { kubectlOk } from './ingress-fixtures.js';
import { mapLimit } from '../../src/analysis/probe.js';

/** A protocol the model serves. */
export type Protocol = 'TCP' | 'UDP' | 'SCTP';

/** An n×n table of booleans over `ns/pod` names; unset cells print `?` (upstream's TruthTable). */
export class TruthTable {
  private readonly cells = new Map<string, boolean>();
  constructor(readonly items: readonly string[], fill?: boolean) {
    if (fill !== undefined) for (const f of items) for (const t of items) this.set(f, t, fill);
  }
  set(from: string, to: string, value: boolean): void {
    assert.ok(this.items.includes(from) && this.items.includes(to), `${from} -> ${to} is not in the table`);
    this.cells.set(`${from}>${to}`, value);
  }
  get(from: string, to: string): boolean | undefined { return this.cells.get(`${from}>${to}`); }
  /** The e2e PrettyPrint form: a `-` header of destinations, tab-separated; `.` true, `X` false. */
  prettyPrint(): string {
    const mark = (v: boolean | undefined): string => (v === undefined ? '?' : v ? '.' : 'X');
    return [['-', ...this.items], ...this.items.map((f) => [f, ...this.items.map((t) => mark(this.get(f, t)))])].map((r) => r.join('\t')).join('\n');
  }
}

/** Selects pods by namespace and/or name; an absent field matches every pod (upstream's Peer). */
export interface Peer { ns?: string; pod?: string }

const matches = (p: Peer, item: string): boolean => {
  const [ns, pod] = item.split('/');
  return (p.ns === undefined || p.ns === ns) && (p.pod === undefined || p.pod === pod);
};

/** Expected and observed connectivity between the pods of one scenario (upstream's Reachability). */
export class Reachability {
  readonly expected: TruthTable;
  readonly observed: TruthTable;
  /** What each probe's program printed on stderr, by `from>to`. */
  readonly messages = new Map<string, string>();
  /** Starts from all-true expectations (NewReachability(pods, true)). */
  constructor(readonly pods: readonly string[]) {
    this.expected = new TruthTable(pods, true);
    this.observed = new TruthTable(pods);
  }
  expect(from: string, to: string, connected: boolean): this { this.expected.set(from, to, connected); return this; }
  expectPeer(from: Peer, to: Peer, connected: boolean): this {
    for (const f of this.pods) for (const t of this.pods) if (matches(from, f) && matches(to, t)) this.expected.set(f, t, connected);
    return this;
  }
  expectAllIngress(pod: string, connected: boolean): this { for (const f of this.pods) this.expected.set(f, pod, connected); return this; }
  expectAllEgress(pod: string, connected: boolean): this { for (const t of this.pods) this.expected.set(pod, t, connected); return this; }
  /** The cells off the diagonal (loopback is ignored, kubernetes#95879). */
  pairs(): [string, string][] { return this.pods.flatMap((f) => this.pods.filter((t) => t !== f).map((t) => [f, t] as [string, string])); }
  /** Counts and the comparison table (`.` same, `X` different, `?` ignored). */
  summary(): { correct: number; wrong: [string, string][]; ignored: number; comparison: TruthTable } {
    const comparison = new TruthTable(this.pods);
    const wrong: [string, string][] = [];
    for (const [f, t] of this.pairs()) {
      const same = this.expected.get(f, t) === this.observed.get(f, t);
      comparison.set(f, t, same);
      if (!same) wrong.push([f, t]);
    }
    return { correct: this.pairs().length - wrong.length, wrong, ignored: this.pods.length, comparison };
  }
}

/** One probe of a truth table: destination port and protocol, and how the destination is named. */
export interface TestCase { port: number; protocol: Protocol; reachability: Reachability; target?: 'clusterIP' | 'dnsName' }

/** A model pod: `ns/name`, its IP and its Service's ClusterIP. */
export interface ModelPod { ns: string; name: string; ip: string; serviceIP: string }

const AGNHOST = 'registry.k8s.io/e2e-test-images/agnhost:2.53';

/** A container as model.go's Container.Spec builds it: serve-hostname for TCP/UDP, porter for SCTP. */
function container(port: number, protocol: Protocol): object {
  const p = protocol.toLowerCase();
  return {
    name: `cont-${port}-${p}`, image: AGNHOST, imagePullPolicy: 'IfNotPresent', securityContext: {},
    command: protocol === 'SCTP' ? ['/agnhost', 'porter'] : ['/agnhost', 'serve-hostname', `--${p}`, '--http=false', '--port', String(port)],
    env: protocol === 'SCTP' ? [{ name: `SERVE_SCTP_PORT_${port}`, value: 'foo' }] : [],
    ports: [{ containerPort: port, name: `serve-${port}-${p}`, protocol }],
  };
}

/** The model's objects: namespaces x, y, z; pods a, b, c (label pod=<name>) and Services s-<ns>-<pod>. */
export function modelObjects(namespaces: string[], pods: string[], ports: number[], protocols: Protocol[]): object[] {
  const combos = ports.flatMap((port) => protocols.map((protocol) => [port, protocol] as const));
  return namespaces.flatMap((ns) => [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
    ...pods.flatMap((pod) => [
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: pod, namespace: ns, labels: { pod } },
        spec: { terminationGracePeriodSeconds: 0, containers: combos.map(([port, protocol]) => container(port, protocol)) } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: `s-${ns}-${pod}`, namespace: ns },
        spec: { selector: { pod }, ports: combos.map(([port, protocol]) => ({ name: `service-port-${protocol.toLowerCase()}-${port}`, protocol, port })) } },
    ]),
  ]);
}

/** The model running in a cluster, probed as upstream probes it. */
export class NetpolModel {
  readonly pods = new Map<string, ModelPod>();
  /** Probes at once (upstream runs 3 workers; every probe here is its own kubectl process). */
  concurrency = 9;
  constructor(private readonly knet: Knet, readonly namespaces = ['x', 'y', 'z'], readonly podNames = ['a', 'b', 'c'],
    readonly ports = [80, 81], readonly protocols: Protocol[] = ['TCP', 'UDP', 'SCTP']) {}

  /** Creates every namespace, pod and Service, waits until the pods are Ready and records the addresses. */
  async create(): Promise<void> {
    const objects = modelObjects(this.namespaces, this.podNames, this.ports, this.protocols);
    await kubectlOk(this.knet, ['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
    for (const ns of this.namespaces) await kubectlOk(this.knet, ['wait', '--for=condition=Ready', 'pod', '--all', '-n', ns, '--timeout=60s']);
    const pods = await kubectlOk(this.knet, ['get', 'pods', '-A', '-l', 'pod', '-o', 'jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name} {.status.podIP}{"\\n"}{end}']);
    const svcs = await kubectlOk(this.knet, ['get', 'svc', '-A', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.spec.clusterIP}{"\\n"}{end}']);
    const svcIP = new Map(svcs.stdout.trim().split('\n').map((l) => l.split(' ') as [string, string]));
    for (const line of pods.stdout.trim().split('\n')) {
      const [id = '', ip = ''] = line.split(' ');
      const [ns = '', name = ''] = id.split('/');
      if (!this.namespaces.includes(ns)) continue;
      this.pods.set(id, { ns, name, ip, serviceIP: svcIP.get(`s-${ns}-${name}`) ?? '' });
    }
  }

  pod(id: string): ModelPod {
    const p = this.pods.get(id);
    assert.ok(p, `no model pod ${id}`);
    return p;
  }

  /** The kubectl arguments of one probe: `exec <pod> -c <first container> -- /agnhost connect <addr>:<port> --timeout=1s --protocol=…`. */
  probeArgs(from: string, to: string, tc: TestCase): string[] {
    const src = this.pod(from), dst = this.pod(to);
    const addr = tc.target === 'dnsName' ? `s-${dst.ns}-${dst.name}.${dst.ns}.svc.cluster.local` : dst.serviceIP;
    const first = `cont-${this.ports[0]}-${(this.protocols[0] ?? 'TCP').toLowerCase()}`;
    return ['exec', src.name, '-n', src.ns, '-c', first, '--', '/agnhost', 'connect', `${addr}:${tc.port}`, '--timeout=1s', `--protocol=${tc.protocol.toLowerCase()}`];
  }

  /** Probes every cell but the diagonal into the observed table; exit 0 = connected. */
  async probeAll(tc: TestCase): Promise<void> {
    const r = tc.reachability;
    await mapLimit(r.pairs(), this.concurrency, async ([f, t]) => {
      const run: Run = await this.knet.kubectl(this.probeArgs(f, t, tc), { timeoutMs: 30_000 });
      // A probe that did not run (kubectl or the exec failed) is no observation: never count it as blocked.
      if (run.code !== 0 && !/command terminated with exit code \d+/.test(run.stderr)) throw new Error(`probe ${f} -> ${t} did not run: ${run.stderr}`);
      r.observed.set(f, t, run.code === 0);
      r.messages.set(`${f}>${t}`, programStderr(run));
    });
  }

  /** Probes; probes once more if any cell is wrong (ValidateOrFail); fails with upstream's report. */
  async validateOrFail(tc: TestCase): Promise<void> {
    for (let attempt = 0; attempt < 2; attempt++) {
      await this.probeAll(tc);
      if (tc.reachability.summary().wrong.length === 0) return;
    }
    const r = tc.reachability;
    const { correct, wrong, comparison } = r.summary();
    const lines = wrong.flatMap(([f, t]) => [
      `Validation of ${f} -> ${t} FAILED !!!`,
      `Expected ${r.expected.get(f, t) ? 'allowed pod connection was instead BLOCKED' : 'blocked pod connection was instead ALLOWED'} --- run 'kubectl ${this.probeArgs(f, t, tc).join(' ')}' (stderr: ${JSON.stringify(r.messages.get(`${f}>${t}`) ?? '')})`,
    ]);
    assert.fail([`${tc.protocol}/${tc.port}:`, ...lines, `reachability: correct:${correct}, incorrect:${wrong.length}, result=false`, '',
      `expected:\n\n${r.expected.prettyPrint()}\n`, `observed:\n\n${r.observed.prettyPrint()}\n`, `comparison:\n\n${comparison.prettyPrint()}\n`].join('\n'));
  }
}

/** A selector of the namespace named `name` through its default label (upstream's namespaceLabelKey). */
export const nsNamed = (name: string): object => ({ matchLabels: { 'kubernetes.io/metadata.name': name } });

/**
 * A NetworkPolicy as upstream's GenNetworkPolicy with SetSpecIngressRules/SetSpecEgressRules builds it:
 * `policyTypes` names each direction given, even with no rules (a direction with no rules denies).
 */
export function netpol(ns: string, name: string, podSelector: object, rules: { ingress?: object[]; egress?: object[] }): object {
  const policyTypes = [...(rules.ingress ? ['Ingress'] : []), ...(rules.egress ? ['Egress'] : [])];
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec: { podSelector, ...rules, policyTypes } };
}

/** Creates (or with `update`, replaces: a whole new spec) the given objects with kubectl. */
export async function createPolicy(knet: Knet, policy: object, update = false): Promise<void> {
  await kubectlOk(knet, [update ? 'replace' : 'create', '-f', '-'], JSON.stringify(policy));
}

/** Deletes every NetworkPolicy in the cluster. */
export async function deleteAllPolicies(knet: Knet): Promise<void> {
  await kubectlOk(knet, ['delete', 'networkpolicy', '--all', '--all-namespaces']);
}

/** What the program run by `kubectl exec` printed on stderr (without kubectl's `command terminated with exit code N`). */
export function programStderr(r: Run): string {
  return r.stderr.replace(/command terminated with exit code \d+\s*$/, '').trim();
}

/** What curl prints when its connection attempt is dropped until `--connect-timeout` (curl 8 and curl 7 wordings). */
export const CURL_CONNECT_TIMEOUT = /^curl: \(28\) (Failed to connect to \S+ port \d+ after \d+ ms: Timeout was reached|Connection timed out after \d+ milliseconds)$/m;

/** Asserts that a curl run was dropped: exit 28 with curl's connect-timeout message. */
export function assertDropped(r: Run, what: string): void {
  assert.equal(r.code, 28, `${what}: expected curl to time out (exit 28), got exit ${r.code}: ${r.stdout}${r.stderr}`);
  assert.match(r.stderr, CURL_CONNECT_TIMEOUT, what);
}
