// Acceptance: every manifest of the seed tutorials (/work/shared/seeds, extracted verbatim into
// fixtures/seeds/<seed>-<n>.yaml) applies cleanly, each in its own namespace, and `kubectl get svc -A`
// lists the Services as a real cluster would. ClusterIP and automatic nodePort allocation come in a
// later issue, so those columns accept both what is set today and what allocation will print.
// Seeds 000 and 001 ask for nodePort 30080, which also listens on 127.0.0.1 (nothing here checks it there):
// run-tests: binds host ports 30080
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Knet, repoRoot, squash } from './harness.js';

const dir = join(repoRoot, 'test', 'e2e', 'fixtures', 'seeds');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'))
  .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
const nsOf = (file: string) => `seed-${file.replace(/\.yaml$/, '')}`;

/** What `kubectl apply` prints for each object of a file: `<resource>[.<group>]/<name> created`. */
function createdLines(file: string): string {
  return parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((d) => {
    const o = d.toJS() as { apiVersion: string; kind: string; metadata: { name: string } };
    const group = o.apiVersion.includes('/') ? `.${o.apiVersion.split('/')[0]}` : '';
    return `${o.kind.toLowerCase()}${group}/${o.metadata.name} created`;
  }).join('\n');
}

const IP = '10\\.(9[6-9]|10[0-9]|11[01])\\.\\d+\\.\\d+'; // allocated from the service CIDR 10.96.0.0/12
const NP = ':3\\d{4}'; // LoadBalancer Services get a node port
const LB = 'LB'; // and an address from the cluster's loopback pool (see lbPattern)
/** Expected `get svc -A` rows (NAMESPACE NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S)) as patterns. */
const services: [string, string, string, string, string, string][] = [
  ['000-1', 'app-service', 'ClusterIP', IP, '<none>', '80/TCP'],
  ['000-2', 'app-nodeport', 'NodePort', IP, '<none>', '80:30080/TCP'],
  ['000-3', 'app-lb', 'LoadBalancer', IP, LB, `80${NP}/TCP`],
  ['001-1', 'nginx-service', 'ClusterIP', IP, '<none>', '80/TCP'],
  ['001-2', 'nginx-nodeport', 'NodePort', IP, '<none>', '80:30080/TCP'],
  ['001-3', 'nginx-lb', 'LoadBalancer', IP, LB, `80${NP}/TCP`],
  ['001-4', 'external-service', 'ExternalName', '<none>', 'api\\.example\\.com', '<none>'],
  ['001-5', 'multi-port-service', 'ClusterIP', IP, '<none>', '80/TCP,443/TCP'],
  ['001-6', 'external-db', 'ClusterIP', IP, '<none>', '5432/TCP'],
  ['001-7', 'nginx-sticky', 'ClusterIP', IP, '<none>', '80/TCP'],
  ['001-8', 'postgres-headless', 'ClusterIP', 'None', '<none>', '5432/TCP'],
  ['001-9', 'nginx-service', 'LoadBalancer', IP, LB, `80${NP}/TCP`],
  ['001-16', 'web-service', 'LoadBalancer', IP, LB, `80${NP}/TCP`],
  ['003-1', 'nginx', 'ClusterIP', IP, '<none>', '80/TCP'],
];

// seed 000 and seed 001 both ask for nodePort 30080; once node ports are allocated, the second is refused.
const portTaken = 'The Service "nginx-nodeport" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated';

for (const version of ['default', '1.33']) {
  describe(`seed manifests with kubectl ${version}`, () => {
    const knet = new Knet();
    const k = (args: string[], input?: string) => knet.kubectl(args, { version, input });
    const refused = new Set<string>();
    before(async () => {
      await knet.start();
      const nss = files.map((f) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${nsOf(f)}\n`).join('---\n');
      const r = await k(['apply', '-f', '-'], nss);
      assert.equal(r.code, 0, r.stderr);
    });
    after(() => knet.cleanup());

    it('the fixtures hold every seed manifest', () => {
      assert.deepEqual(files.map((f) => f.replace(/-\d+\.yaml$/, '')).filter((s, i, a) => a.indexOf(s) === i), ['000', '001', '003']);
      assert.equal(files.length, 23);
    });

    for (const file of files) {
      it(`kubectl apply -n ${nsOf(file)} -f ${file}`, async () => {
        const r = await k(['apply', '-n', nsOf(file), '-f', join(dir, file)]);
        if (file === '001-2.yaml' && r.code !== 0) {
          assert.equal(r.stderr.trim(), portTaken);
          refused.add(file);
          return;
        }
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stdout.trim(), createdLines(file));
        const warnings = r.stderr.trim().split('\n').filter(Boolean);
        const allowed = ['Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice'];
        for (const w of warnings) assert.ok(allowed.includes(w), `unexpected stderr: ${w}`);
      });
    }

    it('kubectl get svc -A lists every Service with its type, external IP and ports', async () => {
      const r = await k(['get', 'svc', '-A']);
      assert.equal(r.code, 0, r.stderr);
      const lines = squash(r.stdout).split('\n');
      assert.equal(lines[0], 'NAMESPACE NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE');
      const rows = lines.slice(1).filter((l) => l.startsWith('seed-'));
      const want = services.filter(([f]) => !refused.has(`${f}.yaml`));
      assert.equal(rows.length, want.length, r.stdout);
      const lbPattern = `127\\.240\\.${knet.hostNetwork.index}\\.\\d+`; // the pool of the cluster's host network block
      for (const [f, name, type, ip, ext, ports] of want) {
        const re = new RegExp(`^${nsOf(`${f}.yaml`)} ${name} ${type} ${ip} ${ext === LB ? lbPattern : ext} ${ports} \\d+s$`);
        assert.ok(rows.some((row) => re.test(row)), `no row ${re} in:\n${r.stdout}`);
      }
      // Nothing but the seeds' Services and the cluster's own, as on a kubeadm cluster.
      const own = lines.slice(1).filter((x) => !x.startsWith('seed-'));
      assert.equal(own.length, 2, r.stdout);
      assert.match(own[0]!, /^default kubernetes ClusterIP 10\.96\.0\.1 <none> 443\/TCP \d+s$/);
      assert.match(own[1]!, /^kube-system kube-dns ClusterIP 10\.96\.0\.10 <none> 53\/UDP,53\/TCP,9153\/TCP \d+s$/);
    });

    it('kubectl get svc in one namespace prints the same columns without NAMESPACE', async () => {
      const r = await k(['get', 'svc', '-n', 'seed-001-8']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(squash(r.stdout), /^NAME TYPE CLUSTER-IP EXTERNAL-IP PORT\(S\) AGE\npostgres-headless ClusterIP None <none> 5432\/TCP \d+s$/);
    });
  });
}
