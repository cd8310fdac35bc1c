// End-to-end: Services for real (issue 4, acceptance 1–3) with the real kubectl, the host's curl
// and the toolbox images: seed 001 verbatim, NodePort and LoadBalancer from the host, multi-port,
// selector-less, headless, ExternalName, session affinity and externalTrafficPolicy.
// The cluster's node and load balancer IPs are its own host network block; the checks on
// 127.0.0.1 need these NodePorts there, so no other test file holding them runs at the same time:
// run-tests: needs host ports 30080 30090 30081 30082
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { Knet, repoRoot, runCommand, squash, until, type Run } from './harness.js';

const fixtures = join(repoRoot, 'test', 'e2e', 'fixtures', 'services');
const fixture = (name: string): string => join(fixtures, name);

/** The host's curl (only ever to 127.0.0.0/8). */
function curl(...args: string[]): Promise<Run> {
  return runCommand('curl', ['-sS', '-m', '2', ...args], { timeoutMs: 5000 });
}

/** One UDP request from the host to a loopback address; resolves with the answer or undefined. */
function udpAsk(ip: string, port: number, text: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    const done = (v: string | undefined): void => { clearTimeout(t); s.close(); resolve(v); };
    const t = setTimeout(() => done(undefined), 1500);
    s.on('message', (m) => done(m.toString()));
    s.on('error', () => done(undefined));
    s.send(text, port, ip);
  });
}

describe('services for real', () => {
  const knet = new Knet(['--nodes', '2', '--dns-port', '0']);
  const k = (...args: string[]) => knet.kubectl(args);
  const ok = async (...args: string[]): Promise<string> => {
    const r = await k(...args);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const inPod = (pod: string, script: string) => k('exec', pod, '--', 'sh', '-c', script);
  const podsOf = async (label: string) => {
    const out = await ok('get', 'pods', '-l', label, '-o', 'jsonpath={range .items[*]}{.metadata.name} {.status.podIP} {.spec.nodeName}{"\\n"}{end}');
    return out.trim().split('\n').map((l) => { const [name = '', ip = '', node = ''] = l.split(' '); return { name, ip, node }; });
  };
  /** How many access-log lines with the given user agent each nginx pod has. */
  const nginxHits = async (agent: string): Promise<Map<string, number>> => {
    const counts = new Map<string, number>();
    for (const p of await podsOf('app=nginx')) counts.set(p.name, (await ok('logs', p.name)).split('\n').filter((l) => l.includes(`"${agent}"`)).length);
    return counts;
  };
  let clusterIP = '';
  /** Explains a failure caused by another process on this machine holding the same host port. */
  const portClash = (ip: string, port: number): string =>
    knet.output.includes(`can't open port ${ip}:${port}/tcp`) ? ` (another process holds ${ip}:${port})` : '';
  /** The cluster's node IPs (control plane, worker) and a pattern of its load balancer addresses. */
  const block = () => knet.hostNetwork.index;
  const nodeIP = (i: number): string => `127.1.${block()}.${i + 1}`;
  const lbPattern = () => `127\\.240\\.${block()}\\.\\d+`;

  before(async () => { await knet.start(); });
  after(async () => { await knet.cleanup(); });

  it('seed 001: get svc, get endpoints and describe svc print what a real cluster prints', async () => {
    await ok('run', 'early', '--image=busybox', '--', 'sleep', '3600');
    await ok('wait', '--for=condition=Ready', 'pod/early', '--timeout=30s');
    assert.equal((await ok('create', 'deployment', 'nginx', '--image=nginx', '--replicas=3')).trim(), 'deployment.apps/nginx created');
    assert.equal((await ok('apply', '-f', fixture('nginx-service.yaml'))).trim(), 'service/nginx-service created');
    await ok('rollout', 'status', 'deployment/nginx', '--timeout=30s');
    clusterIP = (await ok('get', 'svc', 'nginx-service', '-o', 'jsonpath={.spec.clusterIP}'));
    assert.match(clusterIP, /^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/, 'an IP of 10.96.0.0/12');
    const svc = squash(await ok('get', 'services')).split('\n');
    assert.equal(svc[0], 'NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE');
    assert.match(svc[1]!, /^kubernetes ClusterIP 10\.96\.0\.1 <none> 443\/TCP \d+s$/);
    assert.equal(svc[2]!.replace(/ \d+s$/, ''), `nginx-service ClusterIP ${clusterIP} <none> 80/TCP`);
    const ips = (await podsOf('app=nginx')).map((p) => p.ip);
    assert.equal(ips.length, 3);
    const eps = await until('3 endpoints', async () => {
      const r = squash((await k('get', 'endpoints', 'nginx-service')).stdout).split('\n');
      return r[1]?.split(' ')[1]?.split(',').length === 3 ? r : undefined;
    });
    assert.equal(eps[0], 'NAME ENDPOINTS AGE');
    const [name, list] = eps[1]!.split(' ');
    assert.equal(name, 'nginx-service');
    assert.deepEqual(list!.split(',').sort(), ips.map((ip) => `${ip}:80`).sort());
    const warn = await k('get', 'endpoints', 'nginx-service');
    assert.match(warn.stderr, /^Warning: v1 Endpoints is deprecated in v1\.33\+; use discovery\.k8s\.io\/v1 EndpointSlice$/m);
    const desc = (await ok('describe', 'svc', 'nginx-service')).split('\n');
    const line = desc.findIndex((l) => l.startsWith('Endpoints:'));
    assert.deepEqual(desc[line]!.replace(/^Endpoints: +/, '').split(',').sort(), ips.map((ip) => `${ip}:80`).sort());
    desc[line] = 'Endpoints:                <endpoints>';
    assert.equal(desc.join('\n'), [
      'Name:                     nginx-service',
      'Namespace:                default',
      'Labels:                   <none>',
      'Annotations:              <none>',
      'Selector:                 app=nginx',
      'Type:                     ClusterIP',
      'IP Family Policy:         SingleStack',
      'IP Families:              IPv4',
      `IP:                       ${clusterIP}`,
      `IPs:                      ${clusterIP}`,
      'Port:                     <unset>  80/TCP',
      'TargetPort:               80/TCP',
      'Endpoints:                <endpoints>',
      'Session Affinity:         None',
      'Internal Traffic Policy:  Cluster',
      'Events:                   <none>',
      '',
    ].join('\n'));
  });

  it('seed 001: curl nginx-service by name, FQDN and IP from a pod; 30 requests reach every replica; env in a later pod', async () => {
    await ok('run', 'tools', '--image=nicolaka/netshoot', '--', 'sleep', '3600');
    await ok('wait', '--for=condition=Ready', 'pod/tools', '--timeout=30s');
    for (const target of ['nginx-service', 'nginx-service.default.svc.cluster.local', clusterIP]) {
      const r = await k('exec', 'tools', '--', 'curl', '-s', target);
      assert.equal(r.code, 0, `curl ${target}: ${r.stderr}`);
      assert.match(r.stdout, /<title>Welcome to nginx!<\/title>/, target);
    }
    const loop = await inPod('tools', 'for i in $(seq 30); do curl -s -o /dev/null -A spread-check -w "%{http_code} " nginx-service; done');
    assert.equal(loop.stdout.trim(), Array(30).fill('200').join(' '));
    const hits = await nginxHits('spread-check');
    assert.equal([...hits.values()].reduce((a, b) => a + b, 0), 30);
    for (const [pod, n] of hits) assert.ok(n > 0, `replica ${pod} got none of 30 requests: ${JSON.stringify([...hits])}`);
    const env = (await ok('exec', 'tools', '--', 'env')).split('\n');
    assert.ok(env.includes(`NGINX_SERVICE_SERVICE_HOST=${clusterIP}`), env.join('\n'));
    assert.ok(env.includes('NGINX_SERVICE_SERVICE_PORT=80'));
    assert.ok(env.includes(`NGINX_SERVICE_PORT=tcp://${clusterIP}:80`));
  });

  // Service variables are fixed when the container starts, as the kubelet does.
  it('a pod started before the Service does not get its variables', async () => {
    const early = await ok('exec', 'early', '--', 'env');
    assert.doesNotMatch(early, /NGINX_SERVICE/);
  });

  it('seed 001: NodePort 30080 answers from the host on 127.0.0.1 and on each node IP', async () => {
    assert.equal((await ok('apply', '-f', fixture('nginx-nodeport.yaml'))).trim(), 'service/nginx-nodeport created');
    const row = squash(await ok('get', 'svc', 'nginx-nodeport')).split('\n')[1]!;
    assert.match(row, /^nginx-nodeport NodePort 10\.\d+\.\d+\.\d+ <none> 80:30080\/TCP \d+s$/);
    const nodeIPs = (await ok('get', 'nodes', '-o', 'jsonpath={.items[*].status.addresses[?(@.type=="InternalIP")].address}')).split(' ');
    assert.deepEqual(nodeIPs, [nodeIP(0), nodeIP(1)], 'the addresses of the block knet up announced');
    assert.deepEqual(nodeIPs, knet.hostNetwork.nodeIPs);
    for (const host of ['127.0.0.1', ...nodeIPs]) {
      // Check that our own nginx logged the request (not some other process on this machine).
      const agent = `nodeport-${host}`;
      await until(`NodePort 30080 on ${host}`, async () => {
        const r = await curl('-A', agent, `http://${host}:30080/`);
        if (r.code !== 0 || !r.stdout.includes('Welcome to nginx!')) return undefined;
        return [...(await nginxHits(agent)).values()].some((n) => n > 0) ? true : undefined;
      }, 20_000).catch((e: Error) => { throw new Error(`${e.message}${portClash(host, 30080)}`); });
    }
  });

  it('seed 001: a LoadBalancer Service gets an EXTERNAL-IP within a second; the host and pods reach it', async () => {
    const t0 = Date.now();
    await ok('apply', '-f', fixture('nginx-lb.yaml'));
    const row = await until('an EXTERNAL-IP', async () => {
      const r = squash(await ok('get', 'svc', 'nginx-lb')).split('\n')[1]!;
      return r.includes('<pending>') ? undefined : r;
    }, 5000);
    assert.ok(Date.now() - t0 < 1000 + 500, `EXTERNAL-IP after ${Date.now() - t0} ms (kubectl itself takes a few 100 ms)`);
    const m = new RegExp(`^nginx-lb LoadBalancer 10\\.\\d+\\.\\d+\\.\\d+ (${lbPattern()}) 80:(3\\d{4})/TCP \\d+s$`).exec(row);
    assert.ok(m, row);
    const ip = m[1]!;
    assert.equal(await ok('get', 'svc', 'nginx-lb', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ipMode}'), 'VIP');
    await until(`LoadBalancer ${ip}`, async () => {
      const r = await curl('-A', 'lb-check', `http://${ip}/`);
      if (r.code !== 0 || !r.stdout.includes('Welcome to nginx!')) return undefined;
      return [...(await nginxHits('lb-check')).values()].some((n) => n > 0) ? true : undefined;
    }, 20_000).catch((e: Error) => { throw new Error(`${e.message}${portClash(ip, 80)}`); });
    const fromPod = await k('exec', 'tools', '--', 'curl', '-s', '-m', '2', `http://${ip}/`);
    assert.equal(fromPod.code, 0, `a pod reaches the load balancer IP: ${fromPod.stderr}`);
    assert.match(fromPod.stdout, /Welcome to nginx!/);
  });

  it('multi-port with names and named targetPorts (TCP and UDP sharing a nodePort)', async () => {
    await ok('apply', '-f', fixture('web.yaml'));
    await ok('rollout', 'status', 'deployment/web', '--timeout=30s');
    const names = new Set((await podsOf('app=web')).map((p) => p.name));
    const row = squash(await ok('get', 'svc', 'multi')).split('\n')[1]!;
    assert.match(row, /^multi NodePort 10\.\d+\.\d+\.\d+ <none> 80:30090\/TCP,80:30090\/UDP,9090:3\d{4}\/TCP \d+s$/);
    const ports = await until('the EndpointSlice', async () => {
      const out = (await k('get', 'endpointslices', '-l', 'kubernetes.io/service-name=multi', '-o', 'jsonpath={.items[0].ports}')).stdout;
      return out ? JSON.parse(out) as { name: string; port: number; protocol: string }[] : undefined;
    });
    assert.deepEqual(ports.map((p) => `${p.name}=${p.port}/${p.protocol}`).sort(), ['http=8080/TCP', 'metrics=8080/TCP', 'udp=8081/UDP']);
    const desc = await ok('describe', 'svc', 'multi');
    assert.match(desc, /^Port:\s+http {2}80\/TCP\nTargetPort:\s+http\/TCP\nNodePort:\s+http {2}30090\/TCP\nEndpoints:\s+(10\.244\.\d+\.\d+:8080,?){3}$/m);
    assert.match(desc, /^Port:\s+udp {2}80\/UDP\nTargetPort:\s+udp\/UDP\nNodePort:\s+udp {2}30090\/UDP\nEndpoints:\s+(10\.244\.\d+\.\d+:8081,?){3}$/m);
    for (const url of ['multi/hostname', 'multi:9090/hostname']) {
      const r = await k('exec', 'tools', '--', 'curl', '-s', url);
      assert.ok(names.has(r.stdout), `${url}: ${r.stdout} ${r.stderr}`);
    }
    const udp = await inPod('tools', 'echo hostname | nc -u -w 1 multi 80');
    assert.ok(names.has(udp.stdout.trim()), `UDP via the ClusterIP: ${udp.stdout} ${udp.stderr}`);
    const tcpHost = await until('NodePort 30090/TCP from the host', async () => {
      const r = await curl('http://127.0.0.1:30090/hostname');
      return names.has(r.stdout) ? r.stdout : undefined;
    }, 12_000);
    assert.ok(names.has(tcpHost));
    for (const ip of ['127.0.0.1', nodeIP(1)]) {
      const a = await until(`NodePort 30090/UDP on ${ip}`, async () => {
        const v = await udpAsk(ip, 30090, 'hostname');
        return v && names.has(v) ? v : undefined;
      }, 12_000);
      assert.ok(names.has(a));
    }
    const other = await k('create', 'service', 'nodeport', 'other', '--tcp=80:80', '--node-port=30090');
    assert.equal(other.code, 1);
    assert.equal(other.stderr.trim(), 'error: failed to create NodePort service: Service "other" is invalid: spec.ports[0].nodePort: Invalid value: 30090: provided port is already allocated');
  });

  it('a selector-less Service with hand-written Endpoints routes to the given pod IP', async () => {
    const [target] = await podsOf('app=web');
    const manifest = {
      apiVersion: 'v1', kind: 'List', items: [
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'manual' }, spec: { ports: [{ port: 80, targetPort: 8080 }] } },
        { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'manual' }, subsets: [{ addresses: [{ ip: target!.ip }], ports: [{ port: 8080 }] }] },
      ],
    };
    const r = await knet.kubectl(['apply', '-f', '-'], { input: JSON.stringify(manifest) });
    assert.equal(r.code, 0, r.stderr);
    const eps = squash((await k('get', 'endpoints', 'manual')).stdout).split('\n')[1]!;
    assert.match(eps, new RegExp(`^manual ${target!.ip.replace(/\./g, '\\.')}:8080 \\d+s$`));
    const slice = await until('the mirrored EndpointSlice', async () => {
      const out = (await k('get', 'endpointslices', '-l', 'kubernetes.io/service-name=manual', '-o', 'json')).stdout;
      const items = (JSON.parse(out) as { items: { metadata: { labels: Record<string, string> }; endpoints?: { addresses: string[] }[] }[] }).items;
      return items[0]?.endpoints?.length ? items[0] : undefined;
    });
    assert.equal(slice.metadata.labels['endpointslice.kubernetes.io/managed-by'], 'endpointslicemirroring-controller.k8s.io');
    assert.deepEqual(slice.endpoints!.map((e) => e.addresses[0]), [target!.ip]);
    const loop = await until('manual routed', async () => {
      const out = (await inPod('tools', 'for i in 1 2 3 4 5; do curl -s manual/hostname; echo; done')).stdout.trim().split('\n');
      return out.length === 5 ? out : undefined;
    }, 5000);
    assert.deepEqual(loop, Array(5).fill(target!.name));
  });

  it('headless Service: no ClusterIP, DNS returns every ready pod IP', async () => {
    const row = squash(await ok('get', 'svc', 'web-headless')).split('\n')[1]!;
    assert.match(row, /^web-headless ClusterIP None <none> 80\/TCP \d+s$/);
    const ips = (await podsOf('app=web')).map((p) => p.ip).sort();
    const dig = await k('exec', 'tools', '--', 'dig', '+short', 'web-headless.default.svc.cluster.local');
    assert.equal(dig.code, 0, dig.stderr);
    assert.deepEqual(dig.stdout.trim().split('\n').sort(), ips);
  });

  it('ExternalName: listed with its name, DNS answers a CNAME', async () => {
    assert.equal((await ok('apply', '-f', fixture('external-service.yaml'))).trim(), 'service/external-service created');
    const row = squash(await ok('get', 'svc', 'external-service')).split('\n')[1]!;
    assert.match(row, /^external-service ExternalName <none> api\.example\.com <none> \d+s$/);
    // CNAME only: an A query would chase api.example.com through the host's (non-loopback) resolver.
    // TODO(toolbox dig): real dig also takes the type before the name (`dig CNAME name`) and honours
    // `+noall +answer`; knet's takes the type as the name and ignores +noall. +short works.
    const dig = await k('exec', 'tools', '--', 'dig', '+short', 'external-service.default.svc.cluster.local', 'CNAME');
    assert.equal(dig.stdout, 'api.example.com.\n');
  });

  it('session affinity ClientIP keeps one client on one pod and lets go after timeoutSeconds', async () => {
    const names = new Set((await podsOf('app=web')).map((p) => p.name));
    const spread = (await inPod('tools', 'for i in $(seq 12); do curl -s multi/hostname; echo; done')).stdout.trim().split('\n');
    assert.ok(new Set(spread).size > 1, `without affinity requests spread: ${spread.join(' ')}`);
    const sticky = (await inPod('tools', 'for i in $(seq 8); do curl -s sticky/hostname; echo; sleep 0.2; done')).stdout.trim().split('\n');
    assert.equal(sticky.length, 8);
    assert.equal(new Set(sticky).size, 1, `one client, one pod: ${sticky.join(' ')}`);
    assert.ok(names.has(sticky[0]!));
    // timeoutSeconds is 1: after a pause the choice is random again, so some pause lands elsewhere.
    let moved = '';
    for (let i = 0; i < 12 && !moved; i++) {
      await new Promise((r) => setTimeout(r, 1100));
      const h = (await k('exec', 'tools', '--', 'curl', '-s', 'sticky/hostname')).stdout;
      if (h !== sticky[0]) moved = h;
    }
    assert.ok(names.has(moved), 'after the affinity timeout another pod answers');
  });

  it('externalTrafficPolicy Local serves only on the node with an endpoint and keeps the client address; Cluster shows the node address', async () => {
    await ok('apply', '-f', fixture('local.yaml'));
    await ok('rollout', 'status', 'deployment/solo', '--timeout=30s');
    const [solo] = await podsOf('app=solo');
    assert.equal(solo!.node, 'knet-worker');
    const from = ['--interface', '127.0.0.9'];
    const local = await until('Local on the worker', async () => {
      const r = await curl(...from, `http://${nodeIP(1)}:30081/clientip`);
      return r.code === 0 ? r.stdout : undefined;
    }, 12_000);
    assert.match(local, /^127\.0\.0\.9:\d+$/, 'Local keeps the client address');
    const none = await curl(...from, '-m', '1', `http://${nodeIP(0)}:30081/clientip`);
    assert.notEqual(none.code, 0, `the node without an endpoint does not serve: ${none.stdout}`);
    for (const [node, ip] of [['knet-control-plane', nodeIP(0)], ['knet-worker', nodeIP(1)]] as const) {
      const c = await until(`Cluster on ${node}`, async () => {
        const r = await curl(...from, `http://${ip}:30082/clientip`);
        return r.code === 0 ? r.stdout : undefined;
      }, 12_000);
      assert.match(c, new RegExp(`^${ip.replace(/\./g, '\\.')}:\\d+$`), `Cluster: the source is ${node}'s address`);
    }
    const lb = await ok('get', 'svc', 'solo-lb', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}');
    assert.match(lb, new RegExp(`^${lbPattern()}$`));
    const hcnp = await ok('get', 'svc', 'solo-lb', '-o', 'jsonpath={.spec.healthCheckNodePort}');
    assert.match(hcnp, /^3\d{4}$/);
    // kube-proxy's health server on every node: 200 where the endpoint is, 503 elsewhere (service_health.go).
    const health = await until('the healthCheckNodePort on the worker', async () => {
      const r = await curl('-s', '-i', `http://${nodeIP(1)}:${hcnp}/healthz`);
      return r.code === 0 ? r.stdout : undefined;
    }, 12_000);
    assert.match(health, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(health, /\r\nX-Load-Balancing-Endpoint-Weight: 1\r\n/i);
    assert.deepEqual(JSON.parse(health.split('\r\n\r\n')[1]!), { service: { namespace: 'default', name: 'solo-lb' }, localEndpoints: 1, serviceProxyHealthy: true });
    const elsewhere = await curl('-s', '-o', '/dev/null', '-w', '%{http_code}', `http://${nodeIP(0)}:${hcnp}/healthz`);
    assert.equal(elsewhere.stdout, '503', 'no local endpoint on the control plane');
    const viaLb = await until('the Local load balancer', async () => {
      const r = await curl(...from, `http://${lb}:8080/clientip`);
      return r.code === 0 ? r.stdout : undefined;
    }, 12_000);
    assert.match(viaLb, /^127\.0\.0\.9:\d+$/);
  });
});
