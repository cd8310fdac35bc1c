// Acceptance (issue 9, 2): the seed tutorials' NetworkPolicies with real Deployments, toolbox pods
// and curl. Seeds 000 (allow-web-to-api) and 001 (db-network-policy) are applied verbatim
// (fixtures/seeds); seed 002 only names its examples, written as the tutorials write them
// (fixtures/netpol). A dropped connection looks as on Linux: curl --connect-timeout 1 exits 28.
// Each tutorial has its own namespace, and the tutorials run side by side (most of the time is
// spent waiting for timeouts).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Knet, repoRoot, runCommand, until, type Run } from './harness.js';
import { deployment, httpEcho, ingress, kubectlOk, service } from './ingress-fixtures.js';
import { assertDropped, programStderr } from './netpol-fixtures.js';

const fixtures = join(repoRoot, 'test', 'e2e', 'fixtures');
const seed = (name: string) => join(fixtures, 'seeds', `${name}.yaml`);
const manifest = (name: string) => join(fixtures, 'netpol', `${name}.yaml`);

/** A container (YAML list item) of the given image, args and container ports. */
const container = (name: string, image: string, args: string[] = [], ports: number[] = []): string =>
  `      - name: ${name}\n        image: ${image}\n${args.length ? `        args: ${JSON.stringify(args)}\n` : ''}${ports.map((p, i) => `${i ? '' : '        ports:\n'}        - containerPort: ${p}\n`).join('')}`;
/** A toolbox container that sleeps (netshoot: curl, nslookup). */
const toolbox = (name = 'toolbox') => container(name, 'nicolaka/netshoot', ['sleep', '3600']);
const netexec = (port: number) => container('netexec', 'registry.k8s.io/e2e-test-images/agnhost:2.53', ['netexec', `--http-port=${port}`]);
const postgres = container('postgres', 'postgres:16', [], [5432]);

describe('the seed tutorials\' NetworkPolicies, enforced', { concurrency: true }, () => {
  const knet = new Knet(['--ingress', '--nodes', '2', '--log-policy']);
  const k = (args: string[], input?: string) => kubectlOk(knet, args, input);
  const exec = (ns: string, target: string, ...cmd: string[]): Promise<Run> => knet.kubectl(['exec', '-n', ns, target, '--', ...cmd], { timeoutMs: 40_000 });
  const curl = (ns: string, target: string, url: string) => exec(ns, target, 'curl', '-sS', '--connect-timeout', '1', url);
  const ok = async (ns: string, target: string, url: string, body: RegExp) => {
    const r = await curl(ns, target, url);
    assert.equal(r.code, 0, `${target} -> ${url}: ${r.stderr}`);
    assert.match(r.stdout, body, `${target} -> ${url}`);
  };
  const dropped = async (ns: string, target: string, url: string) => assertDropped(await curl(ns, target, url), `${ns}/${target} -> ${url}`);
  const setUp = async (ns: string, yaml: string[]) => {
    await k(['create', 'namespace', ns]);
    await k(['apply', '-n', ns, '-f', '-'], yaml.join('---\n'));
    await k(['wait', '--for=condition=Available', 'deployment', '--all', '-n', ns, '--timeout=60s']);
  };
  const jsonpath = async (args: string[], path: string) => (await k([...args, '-o', `jsonpath=${path}`])).stdout;

  before(async () => { await knet.start(); });
  after(async () => { await knet.cleanup(); });

  describe('seed 000: allow-web-to-api', { concurrency: 1 }, () => {
    const ns = 'tut-000';
    before(async () => setUp(ns, [httpEcho('api', 'api', 3000), service('api', 'api', [[80, 3000]]), deployment('web', 1, toolbox()), deployment('other', 1, toolbox())]));

    it('before any policy, web and other both reach api', async () => {
      await ok(ns, 'deploy/web', 'http://api', /^api$/m);
      await ok(ns, 'deploy/other', 'http://api', /^api$/m);
    });

    it('allow-web-to-api (verbatim) lets web in on the pod port 3000 and drops every other client: curl (28)', async () => {
      await k(['apply', '-n', ns, '-f', seed('000-5')]);
      const apiIP = await jsonpath(['get', 'pods', '-n', ns, '-l', 'app=api'], '{.items[0].status.podIP}');
      await ok(ns, 'deploy/web', 'http://api', /^api$/m); // Service port 80 → targetPort 3000: the policy names 3000
      await ok(ns, 'deploy/web', `http://${apiIP}:3000`, /^api$/m);
      await dropped(ns, 'deploy/other', 'http://api');
      await dropped(ns, 'deploy/other', `http://${apiIP}:3000`);
      // knet up --log-policy: one line per dropped flow, naming both ends, the Service dialled and the deciding policy.
      const other = await jsonpath(['get', 'pods', '-n', ns, '-l', 'app=other'], '{.items[0].metadata.name}');
      const api = await jsonpath(['get', 'pods', '-n', ns, '-l', 'app=api'], '{.items[0].metadata.name}');
      const line = new RegExp(`^ • network-policy: dropped TCP [\\d.]+:\\d+ \\(${ns}/${other}\\) -> ${apiIP.replace(/\./g, '\\.')}:3000 \\(${ns}/${api}\\) via [\\d.]+:80: .*ingress of ${ns}/${api}: dropped: selected by ${ns}/allow-web-to-api \\(Ingress\\), no rule allows this source$`, 'm');
      assert.match(knet.output, line);
    });
  });

  describe('seed 001: db-network-policy', { concurrency: 1 }, () => {
    const ns = 'tut-001';
    before(async () => {
      // A debugging sidecar shares the database pod's network: its connections are the database's egress.
      const database = deployment('database', 1, postgres + toolbox('debug'));
      await setUp(ns, [database, service('database', 'database', [[5432, 5432]]), deployment('backend', 1, toolbox()), deployment('frontend', 1, toolbox())]);
      await setUp('monitoring', [httpEcho('metrics', 'metrics', 5000), service('metrics', 'metrics', [[5000, 5000]])]);
    });

    it('db-network-policy (verbatim): only app=backend reaches the database, on 5432', async () => {
      await k(['apply', '-n', ns, '-f', seed('001-14')]);
      await ok(ns, 'deploy/backend', 'http://database:5432', /postgres/);
      await dropped(ns, 'deploy/frontend', 'http://database:5432');
    });

    it('its egress names namespaces labelled name=monitoring: dropped until the namespace carries that label', async () => {
      const metrics = `http://${await jsonpath(['get', 'svc', '-n', 'monitoring', 'metrics'], '{.spec.clusterIP}')}:5000`;
      const db = ['-c', 'debug', 'deploy/database'];
      assertDropped(await knet.kubectl(['exec', '-n', ns, ...db, '--', 'curl', '-sS', '--connect-timeout', '1', metrics], { timeoutMs: 40_000 }), 'database -> metrics');
      await k(['label', 'namespace', 'monitoring', 'name=monitoring']);
      const r = await knet.kubectl(['exec', '-n', ns, ...db, '--', 'curl', '-sS', '--connect-timeout', '1', metrics], { timeoutMs: 40_000 });
      assert.deepEqual([r.code, r.stdout], [0, 'metrics\n'], r.stderr);
    });
  });

  describe('seed 002: Default Deny All Traffic, DNS, Allow Specific Traffic, Database Network Policy', { concurrency: 1 }, () => {
    const ns = 'tut-002';
    let backendURL = '';
    before(async () => {
      await setUp(ns, [deployment('frontend', 1, toolbox()), deployment('backend', 1, netexec(8080)), service('backend', 'backend', [[8080, 8080]]),
        deployment('postgres', 1, postgres), service('postgres', 'postgres', [[5432, 5432]])]);
      backendURL = `http://${await jsonpath(['get', 'svc', '-n', ns, 'backend'], '{.spec.clusterIP}')}:8080/hostname`;
    });

    it('before any policy, frontend reaches backend by name, and the API server through the kubernetes Service', async () => {
      await ok(ns, 'deploy/frontend', 'http://backend:8080/hostname', /^backend-/);
      const api = await exec(ns, 'deploy/frontend', 'nc', '-zv', '-w', '1', '10.96.0.1', '443');
      assert.equal(api.code, 0, api.stderr);
      assert.match(api.stdout + api.stderr, /Connection to 10\.96\.0\.1 443 port \[tcp\/https\] succeeded!/);
    });

    it('Default Deny All Traffic: the connection is dropped, and so is DNS: nslookup times out, curl cannot resolve the name', async () => {
      await k(['apply', '-n', ns, '-f', manifest('002-default-deny-all')]);
      const [byIP, lookup, byName] = await Promise.all([curl(ns, 'deploy/frontend', backendURL), exec(ns, 'deploy/frontend', 'nslookup', 'backend'),
        exec(ns, 'deploy/frontend', 'curl', '-sS', 'http://backend:8080/hostname')]);
      assertDropped(byIP, 'frontend -> backend ClusterIP');
      assert.equal(lookup.code, 1, lookup.stdout);
      // netshoot's nslookup is BIND 9.18+ (Alpine bind-tools): one line per timed-out try, then the verdict
      // (older BIND and busybox print `;; connection timed out; no servers could be reached`).
      assert.match(lookup.stdout, /^;; communications error to 10\.96\.0\.10#53: timed out\n(?:.*\n)*;; no servers could be reached$/m);
      assert.deepEqual([byName.code, programStderr(byName)], [6, 'curl: (6) Could not resolve host: backend']);
      // The API server is an address outside the pod network: a default-deny egress cuts it off too.
      const api = await exec(ns, 'deploy/frontend', 'nc', '-zv', '-w', '1', '10.96.0.1', '443');
      assert.equal(api.code, 1, `frontend -> the kubernetes Service: ${api.stdout}${api.stderr}`);
      assert.doesNotMatch(api.stdout + api.stderr, /succeeded|refused/);
    });

    it('allow-dns (UDP and TCP 53 to the kube-dns pods) brings names back; the connection itself stays dropped', async () => {
      await k(['apply', '-n', ns, '-f', manifest('allow-dns')]);
      const ip = backendURL.slice(7).split(':')[0] ?? '';
      const lookup = await exec(ns, 'deploy/frontend', 'nslookup', 'backend');
      assert.equal(lookup.code, 0, lookup.stdout);
      assert.match(lookup.stdout, new RegExp(`^Name:\\tbackend\\.${ns}\\.svc\\.cluster\\.local\\nAddress: ${ip.replace(/\./g, '\\.')}$`, 'm'));
      await dropped(ns, 'deploy/frontend', 'http://backend:8080/hostname');
    });

    it('Allow Specific Traffic: frontend → backend on 8080 needs the backend\'s ingress rule and the frontend\'s egress rule', async () => {
      await k(['apply', '-n', ns, '-f', manifest('002-allow-frontend-to-backend')]);
      await dropped(ns, 'deploy/frontend', 'http://backend:8080/hostname');
      await k(['apply', '-n', ns, '-f', manifest('002-allow-frontend-egress')]);
      await ok(ns, 'deploy/frontend', 'http://backend:8080/hostname', /^backend-/);
    });

    it('Database Network Policy: backend reaches postgres on 5432, frontend does not', async () => {
      await k(['apply', '-n', ns, '-f', manifest('002-database-network-policy')]);
      await ok(ns, 'deploy/backend', 'http://postgres:5432', /postgres/);
      const pg = await jsonpath(['get', 'pods', '-n', ns, '-l', 'app=postgres'], '{.items[0].status.podIP}');
      await dropped(ns, 'deploy/frontend', `http://${pg}:5432`);
    });
  });

  describe('IP Block Rules: NodePorts from the host, externalTrafficPolicy Local versus Cluster', { concurrency: 1 }, () => {
    const ns = 'tut-ipblock';
    const nodeIP = (i: number) => `127.1.${knet.hostNetwork.index}.${i + 1}`;
    let local = '';
    let cluster = '';
    /** curl from the host, from the given client address (only ever to loopback addresses). */
    const hostCurl = (from: string, url: string) => runCommand('curl', ['-sS', '-m', '2', '--interface', from, url], { timeoutMs: 10_000 });
    before(async () => {
      const np = (name: string, policy: string) => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  type: NodePort
  externalTrafficPolicy: ${policy}
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 8080
`;
      // One web pod, on the worker: Local serves on the worker's address, Cluster also on the control plane's.
      const web = deployment('web', 1, netexec(8080)).replace('    spec:\n      containers:', '    spec:\n      nodeSelector:\n        kubernetes.io/hostname: knet-worker\n      containers:');
      await setUp(ns, [web, np('web-local', 'Local'), np('web-cluster', 'Cluster')]);
      local = `http://${nodeIP(1)}:${await jsonpath(['get', 'svc', '-n', ns, 'web-local'], '{.spec.ports[0].nodePort}')}/clientip`;
      cluster = `http://${nodeIP(0)}:${await jsonpath(['get', 'svc', '-n', ns, 'web-cluster'], '{.spec.ports[0].nodePort}')}/clientip`;
      await until('the NodePorts to serve', async () => ((await hostCurl('127.0.0.1', local)).code === 0 && (await hostCurl('127.0.0.1', cluster)).code === 0) || undefined);
    });

    it('before any policy, Local shows the client\'s address and Cluster the receiving node\'s', async () => {
      assert.match((await hostCurl('127.0.0.9', local)).stdout, /^127\.0\.0\.9:\d+$/);
      assert.match((await hostCurl('127.0.0.1', cluster)).stdout, new RegExp(`^${nodeIP(0).replace(/\./g, '\\.')}:\\d+$`));
    });

    it('ipBlock 127.0.0.0/24 except 127.0.0.9/32 under Local: 127.0.0.1 gets in, 127.0.0.9 is dropped', async () => {
      await k(['apply', '-n', ns, '-f', manifest('002-ip-block-rules')]);
      const r = await hostCurl('127.0.0.1', local);
      assert.match(r.stdout, /^127\.0\.0\.1:\d+$/, r.stderr);
      const d = await hostCurl('127.0.0.9', local);
      assert.equal(d.code, 28, `127.0.0.9 is in the except range: ${d.stdout}${d.stderr}`);
      assert.match(d.stderr, /^curl: \(28\) /m);
    });

    it('under Cluster the source is the control plane\'s address, outside the block: dropped until the block admits that node', async () => {
      const d = await hostCurl('127.0.0.1', cluster);
      assert.equal(d.code, 28, `${d.stdout}${d.stderr}`);
      await k(['patch', 'networkpolicy', 'ip-block-rules', '-n', ns, '--type=json', '-p',
        JSON.stringify([{ op: 'add', path: '/spec/ingress/0/from/-', value: { ipBlock: { cidr: `${nodeIP(0)}/32` } } }])]);
      const r = await hostCurl('127.0.0.9', cluster);
      assert.match(r.stdout, new RegExp(`^${nodeIP(0).replace(/\./g, '\\.')}:\\d+$`), r.stderr);
    });
  });

  describe('the Ingress controller and a default-deny backend', { concurrency: 1 }, () => {
    const ns = 'tut-ingress';
    const get = async () => {
      const t0 = Date.now();
      const r = await runCommand('curl', ['-sS', '-m', '20', '-w', '\n%{http_code}', '-H', 'Host: shop.example.com', `http://127.0.0.1:${knet.ingressPorts.http}/`], { timeoutMs: 30_000 });
      const i = r.stdout.lastIndexOf('\n');
      return { code: r.stdout.slice(i + 1), body: r.stdout.slice(0, i), ms: Date.now() - t0, stderr: r.stderr };
    };
    before(async () => {
      await setUp(ns, [httpEcho('shop', 'shop', 5678), service('shop', 'shop', [[80, 5678]]), ingress('shop', [['shop.example.com', '/', 'Prefix', 'shop', 80]])]);
      // Denied before the controller ever connects, so no pooled keep-alive connection predates the policy.
      await k(['apply', '-n', ns, '-f', manifest('default-deny-ingress')]);
      await until('the Ingress to be served', async () => (await jsonpath(['get', 'ingress', '-n', ns, 'shop'], '{.status.loadBalancer.ingress[0].ip}')) || undefined);
    });

    it('the backend\'s default-deny drops the controller\'s connection: after proxy-connect-timeout (5 s) ingress-nginx answers 504', async () => {
      const r = await get();
      assert.equal(r.code, '504', `${r.body}${r.stderr}`);
      assert.match(r.body, /<title>504 Gateway Time-out<\/title>/);
      assert.ok(r.ms >= 4500, `answered after ${r.ms} ms: a dropped connect waits the timeout (a refused one would give 502 at once)`);
    });

    it('a namespaceSelector on kubernetes.io/metadata.name: ingress-nginx lets the controller in', async () => {
      await k(['apply', '-n', ns, '-f', manifest('allow-ingress-nginx')]);
      const r = await get();
      assert.deepEqual([r.code, r.body], ['200', 'shop\n'], r.stderr);
    });
  });
});
