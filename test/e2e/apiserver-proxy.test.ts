// End-to-end: the API server's proxy subresources and `kubectl proxy` (issue 11), "the documented way
// to reach a ClusterIP Service from a laptop": nginx, agnhost netexec and traefik/whoami behind
// ClusterIP Services, reached through `kubectl proxy` with the host's curl and a WebSocket client,
// through `kubectl get --raw`, and the Services `kubectl cluster-info` lists.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { Knet, kubectlPath, until } from './harness.js';
import { curl, deployment, kubectlOk, nginxDeployment, service, whoami } from './ingress-fixtures.js';

/** Starts `kubectl proxy --port=0` (it picks a free loopback port); resolves with that port and a stop. */
function kubectlProxy(knet: Knet, version: string, procs: ChildProcess[]): Promise<number> {
  const args = ['--kubeconfig', knet.kubeconfig, '--cache-dir', join(knet.dir, `cache-proxy-${version}`), 'proxy', '--port=0'];
  const p = spawn(kubectlPath(version), args, { env: { ...process.env, HOME: knet.dir }, stdio: ['ignore', 'pipe', 'pipe'] });
  procs.push(p);
  let out = '';
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => { p.kill('SIGKILL'); fail(new Error(`kubectl proxy did not start:\n${out}`)); }, 15_000);
    const onData = (d: Buffer): void => {
      out += d.toString();
      const m = /Starting to serve on 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) { clearTimeout(timer); ok(Number(m[1])); }
    };
    p.stdout.on('data', onData);
    p.stderr.on('data', onData);
    p.on('exit', (c) => { clearTimeout(timer); fail(new Error(`kubectl proxy exited with ${c}:\n${out}`)); });
  });
}

const netexec = deployment('echo', 1, `      - name: netexec
        image: registry.k8s.io/e2e-test-images/agnhost:2.53
        args: ["netexec", "--http-port=8080"]
        ports:
        - containerPort: 8080
`);

describe('API server proxy subresources and kubectl proxy', () => {
  const knet = new Knet(['--dns-port', '0']);
  const procs: ChildProcess[] = [];
  const svcPath = (svc: string, rest = '/'): string => `/api/v1/namespaces/default/services/${svc}/proxy${rest}`;

  before(async () => {
    await knet.start();
    const yaml = [nginxDeployment('web'), service('web', 'web', [[80, 80]]), netexec, service('echo', 'echo', [[8080, 8080]]),
      whoami('who'), service('who', 'who', [[80, 80]]), service('empty', 'nobody', [[80, 80]])].join('---\n');
    await kubectlOk(knet, ['apply', '-f', '-'], yaml);
    for (const d of ['web', 'echo', 'who']) await kubectlOk(knet, ['rollout', 'status', `deployment/${d}`, '--timeout=60s']);
    for (const s of ['web', 'echo', 'who']) {
      await until(`endpoints of ${s}`, async () => (await knet.kubectl(['get', 'endpoints', s, '-o', 'jsonpath={.subsets[0].addresses[0].ip}'])).stdout || undefined);
    }
  });
  after(async () => {
    for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill();
    await knet.cleanup();
  });

  for (const version of ['default', '1.27', '1.33']) {
    it(`kubectl ${version} proxy reaches the nginx page, passes path, query and body, and rewrites redirects`, async () => {
      const port = await kubectlProxy(knet, version, procs);
      const base = `http://127.0.0.1:${port}`;
      const page = await curl([`${base}${svcPath('web:80')}`]);
      assert.equal(page.code, 200, page.body + page.stderr);
      assert.match(page.body, /<title>Welcome to nginx!<\/title>/);

      const who = await curl([`${base}${svcPath('http:who:p80', '/some/path')}?q=1&r=a%20b`]);
      assert.equal(who.code, 200, who.body);
      assert.match(who.body, /^GET \/some\/path\?q=1&r=a%20b HTTP\/1\.1\r?$/m);
      assert.match(who.body, new RegExp(`^X-Forwarded-Uri: ${svcPath('http:who:p80', '/some/path').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\r?$`, 'm'));
      assert.match(who.body, /^X-Forwarded-For: 127\.0\.0\.1/m);
      assert.doesNotMatch(who.body, /^Authorization:/im);

      const posted = await curl(['-X', 'POST', '-H', 'Content-Type: application/x-www-form-urlencoded', '--data', 'msg=posted-through-the-proxy', `${base}${svcPath('echo:8080', '/echo')}`]);
      assert.equal(posted.code, 200, posted.body);
      assert.equal(posted.body, 'posted-through-the-proxy');

      // netexec /redirect answers 302 with the given Location: a path on the backend stays under the proxy path.
      const moved = await curl([`${base}${svcPath('echo:8080', '/redirect')}?location=/echo%3Fmsg%3Dback`]);
      assert.equal(moved.code, 302);
      assert.equal(moved.headers['location'], `${svcPath('echo:8080', '/echo')}?msg=back`);
      const followed = await curl(['-L', `${base}${svcPath('echo:8080', '/redirect')}?location=/echo%3Fmsg%3Dback`]);
      assert.equal(followed.body.split('\r\n\r\n').pop(), 'back');

      // No path after /proxy: a 301 to the trailing slash, as kube-apiserver answers.
      const bare = await curl([`${base}/api/v1/namespaces/default/services/web:80/proxy`]);
      assert.equal(bare.code, 301);
      assert.equal(bare.headers['location'], '/api/v1/namespaces/default/services/web:80/proxy/');
    });
  }

  it('a WebSocket goes through kubectl proxy to the whoami echo', async () => {
    const port = await kubectlProxy(knet, 'default', procs);
    const ws = new WebSocket(`ws://127.0.0.1:${port}${svcPath('who:80', '/echo')}`);
    const answer = await new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no WebSocket answer')), 10_000);
      ws.on('open', () => ws.send('hello through the API server'));
      ws.on('message', (m: Buffer) => { clearTimeout(t); resolve(m.toString()); });
      ws.on('error', (e) => { clearTimeout(t); reject(e); });
    });
    ws.close();
    assert.equal(answer, 'hello through the API server');
  });

  it('kubectl get --raw reaches services and pods proxies', async () => {
    const page = await kubectlOk(knet, ['get', '--raw', svcPath('web:80')]);
    assert.match(page.stdout, /Welcome to nginx!/);
    const pod = (await kubectlOk(knet, ['get', 'pods', '-l', 'app=echo', '-o', 'jsonpath={.items[0].metadata.name}'])).stdout;
    const viaPod = await kubectlOk(knet, ['get', '--raw', `/api/v1/namespaces/default/pods/${pod}:8080/proxy/echo?msg=from-pod`]);
    assert.equal(viaPod.stdout, 'from-pod');
    // No port: the first declared container port.
    const hostname = await kubectlOk(knet, ['get', '--raw', `/api/v1/namespaces/default/pods/${pod}/proxy/hostname`]);
    assert.equal(hostname.stdout, pod);
  });

  it('nodes proxy reaches the kubelet API: /healthz and the node\'s pods', async () => {
    const node = (await kubectlOk(knet, ['get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}'])).stdout;
    assert.equal((await kubectlOk(knet, ['get', '--raw', `/api/v1/nodes/${node}/proxy/healthz`])).stdout, 'ok');
    const list = JSON.parse((await kubectlOk(knet, ['get', '--raw', `/api/v1/nodes/${node}/proxy/pods`])).stdout) as { kind: string; items: { metadata: { name: string } }[] };
    assert.equal(list.kind, 'PodList');
    const web = (await kubectlOk(knet, ['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}'])).stdout;
    assert.ok(list.items.some((p) => p.metadata.name === web), `${web} in the kubelet's pods`);
    const missing = await knet.kubectl(['get', '--raw', '/api/v1/nodes/no-such-node/proxy/healthz']);
    assert.match(missing.stderr, /nodes "no-such-node" not found/);
  });

  it('no endpoints, a missing Service, a port the Service lacks and a refused dial: the Statuses of kube-apiserver', async () => {
    const status = async (path: string): Promise<{ code: number; message: string; reason: string }> => {
      const r = await curl(['-k', ...await clientCert(), `https://127.0.0.1:${knet.port}${path}`]);
      const s = JSON.parse(r.body) as { code: number; message: string; reason: string };
      assert.equal(s.code, r.code);
      return { code: s.code, message: s.message, reason: s.reason };
    };
    assert.deepEqual(await status(svcPath('empty:80')), { code: 503, reason: 'ServiceUnavailable', message: 'no endpoints available for service "empty"' });
    assert.deepEqual(await status(svcPath('missing:80')), { code: 404, reason: 'NotFound', message: 'services "missing" not found' });
    assert.deepEqual(await status(svcPath('web:81')), { code: 503, reason: 'ServiceUnavailable', message: 'no service port 81 found for service "web"' });
    const pod = (await kubectlOk(knet, ['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name} {.items[0].status.podIP}'])).stdout.split(' ');
    assert.deepEqual(await status(`/api/v1/namespaces/default/pods/${pod[0]}:81/proxy/`),
      { code: 503, reason: 'ServiceUnavailable', message: `error trying to reach service: dial tcp ${pod[1]}:81: connect: connection refused` });
    // A pod without an IP (never scheduled) is refused as upstream refuses it.
    await kubectlOk(knet, ['apply', '-f', '-'], 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: pending\nspec:\n  nodeSelector:\n    no-such-label: x\n  containers:\n  - name: c\n    image: nginx\n');
    assert.deepEqual(await status('/api/v1/namespaces/default/pods/pending/proxy/'), { code: 400, reason: 'BadRequest', message: 'address not allowed' });
    const raw = await knet.kubectl(['get', '--raw', svcPath('missing:80')]);
    assert.notEqual(raw.code, 0);
    assert.match(raw.stderr, /services "missing" not found/);
  });

  it('a proxy upgrade whose impersonation is refused or malformed gets a Status and the API server keeps running', async () => {
    const pod = (await kubectlOk(knet, ['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}'])).stdout;
    const token = (await kubectlOk(knet, ['create', 'token', 'default'])).stdout.trim();
    const url = `https://127.0.0.1:${knet.port}/api/v1/namespaces/default/pods/${pod}/proxy/`;
    const upgrade = ['-k', '--http1.1', '-H', 'Connection: Upgrade', '-H', 'Upgrade: websocket', '-H', 'Sec-WebSocket-Version: 13', '-H', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=='];
    const refused = await curl([...upgrade, '-H', `Authorization: Bearer ${token}`, '-H', 'Impersonate-User: admin', url]);
    assert.equal(refused.code, 403, refused.body + refused.stderr);
    const st = JSON.parse(refused.body) as { kind: string; reason: string; message: string };
    assert.deepEqual([st.kind, st.reason], ['Status', 'Forbidden']);
    assert.match(st.message, /cannot impersonate resource "users"/);
    const malformed = await curl([...upgrade, ...await clientCert(), '-H', 'Impersonate-User: jane', '-H', 'Impersonate-Extra-%zz: x', url]);
    assert.ok(malformed.code >= 400, malformed.body + malformed.stderr);
    assert.equal((JSON.parse(malformed.body) as { kind: string }).kind, 'Status');
    assert.equal((await kubectlOk(knet, ['get', '--raw', '/readyz'])).stdout, 'ok');
  });

  it('discovery lists the proxy subresources', async () => {
    const list = JSON.parse((await kubectlOk(knet, ['get', '--raw', '/api/v1'])).stdout) as { resources: { name: string; kind: string; verbs: string[] }[] };
    for (const [name, kind] of [['services/proxy', 'ServiceProxyOptions'], ['pods/proxy', 'PodProxyOptions'], ['nodes/proxy', 'NodeProxyOptions']]) {
      const r = list.resources.find((x) => x.name === name);
      assert.deepEqual(r && { kind: r.kind, verbs: r.verbs }, { kind, verbs: ['create', 'delete', 'get', 'patch', 'update'] });
    }
  });

  it('kubectl cluster-info names the control plane and CoreDNS, and the CoreDNS URL answers without hanging', async () => {
    const out = (await kubectlOk(knet, ['cluster-info'])).stdout.replace(/\x1b\[[0-9;]*m/g, '');
    assert.match(out, new RegExp(`^Kubernetes control plane is running at https://127\\.0\\.0\\.1:${knet.port}$`, 'm'));
    const m = /^CoreDNS is running at (\S+)$/m.exec(out);
    assert.equal(m?.[1], `https://127.0.0.1:${knet.port}/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy`);
    // The dns port is a DNS server, not HTTP: the request fails with a Status once the server gives up on it.
    const t0 = Date.now();
    const r = await knet.kubectl(['get', '--raw', '/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy/'], { timeoutMs: 30_000 });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /error trying to reach service|ServiceUnavailable|the server is currently unable to handle the request/);
    assert.ok(Date.now() - t0 < 20_000, `took ${Date.now() - t0} ms`);
  });

  it('proxied requests come from the control-plane node: a default-deny ingress policy lets them into its pods, as it lets the kubelet', async () => {
    await kubectlOk(knet, ['apply', '-f', '-'], `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny-web
spec:
  podSelector:
    matchLabels:
      app: web
  policyTypes: [Ingress]
`);
    // A pod is cut off at once; the API server's proxy (from the pod's own node) is not.
    const pod = (await kubectlOk(knet, ['get', 'pods', '-l', 'app=echo', '-o', 'jsonpath={.items[0].metadata.name}'])).stdout;
    const fromPod = await knet.kubectl(['exec', pod, '--', 'sh', '-c', 'curl -sS -m 2 http://web/ >/dev/null && echo reached || echo blocked']);
    assert.equal(fromPod.stdout.trim(), 'blocked', fromPod.stderr);
    assert.match((await kubectlOk(knet, ['get', '--raw', svcPath('web:80')])).stdout, /Welcome to nginx!/);
  });

  /** curl's arguments for the admin client certificate of the kubeconfig knet wrote. */
  async function clientCert(): Promise<string[]> {
    const files: string[] = [];
    for (const [field, file] of [['client-certificate-data', 'admin.crt'], ['client-key-data', 'admin.key']] as const) {
      const r = await kubectlOk(knet, ['config', 'view', '--raw', '-o', `jsonpath={.users[0].user.${field}}`]);
      writeFileSync(join(knet.dir, file), Buffer.from(r.stdout, 'base64'), { mode: 0o600 });
      files.push(join(knet.dir, file));
    }
    return ['--cert', files[0]!, '--key', files[1]!];
  }
});
