// End-to-end: pods that run (issue "Pods that run"): deployments over two worker nodes, rollouts, exec
// into toolbox pods, logs, probes, port-forward, agnhost and stand-in images, with the real kubectl.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createConnection } from 'node:net';
import { Knet, squash, until as poll } from './harness.js';

/** Polls every 200 ms (see the harness's until). */
const until = <T>(what: string, f: () => Promise<T | undefined>, ms = 20_000): Promise<T> => poll(what, f, ms, 200);

describe('pods that run', () => {
  // Three nodes: with workers the control plane is tainted NoSchedule (as on kind), so workloads spread over the two workers.
  const knet = new Knet(['--nodes', '3']);
  const k = (...args: string[]) => knet.kubectl(args);
  before(async () => { await knet.start(); });
  after(async () => { await knet.cleanup(); });

  it('a deployment gets Running pods with IPs spread over the two workers', async () => {
    assert.equal((await k('create', 'deployment', 'nginx', '--image=nginx', '--replicas=3')).code, 0);
    const st = await k('rollout', 'status', 'deployment/nginx', '--timeout=30s');
    assert.equal(st.code, 0, st.stderr);
    assert.match(st.stdout, /deployment "nginx" successfully rolled out/);
    const pods = squash((await k('get', 'pods', '-o', 'wide')).stdout).split('\n');
    assert.equal(pods[0], 'NAME READY STATUS RESTARTS AGE IP NODE NOMINATED NODE READINESS GATES');
    const rows = pods.slice(1);
    assert.equal(rows.length, 3);
    for (const r of rows) assert.match(r, /^nginx-[a-z0-9]+-[a-z0-9]{5} 1\/1 Running 0 \d+s 10\.244\.\d\.\d+ knet-worker2? <none> <none>$/);
    assert.equal(new Set(rows.map((r) => r.split(' ')[6])).size, 2, 'pods spread over both workers');
  });

  it('set image rolls out; rollout undo goes back', async () => {
    assert.equal((await k('set', 'image', 'deployment/nginx', 'nginx=nginx:1.27')).stdout.trim(), 'deployment.apps/nginx image updated');
    const st = await k('rollout', 'status', 'deployment/nginx', '--timeout=30s');
    assert.equal(st.code, 0, st.stdout + st.stderr + (await k('get', 'pods,rs', '-o', 'wide')).stdout);
    const img = await k('get', 'deploy', 'nginx', '-o', 'jsonpath={.spec.template.spec.containers[0].image}');
    assert.equal(img.stdout, 'nginx:1.27');
    const hist = squash((await k('rollout', 'history', 'deployment/nginx')).stdout);
    assert.match(hist, /^REVISION CHANGE-CAUSE\n1 <none>\n2 <none>$/m);
    assert.equal((await k('rollout', 'undo', 'deployment/nginx')).stdout.trim(), 'deployment.apps/nginx rolled back');
    assert.equal((await k('rollout', 'status', 'deployment/nginx', '--timeout=30s')).code, 0);
    const back = await k('get', 'deploy', 'nginx', '-o', 'jsonpath={.spec.template.spec.containers[0].image}');
    assert.equal(back.stdout, 'nginx');
  });

  it('exec from a toolbox pod: curl, wget, nc against a pod IP', async () => {
    await k('run', 'tools', '--image=nicolaka/netshoot', '--', 'sleep', '3600');
    await k('wait', '--for=condition=Ready', 'pod/tools', '--timeout=30s');
    const ip = (await k('get', 'pods', '-l', 'app=nginx', '-o', 'jsonpath={.items[0].status.podIP}')).stdout;
    assert.match(ip, /^10\.244\./);
    const curl = await k('exec', 'tools', '--', 'curl', '-s', `http://${ip}`);
    assert.equal(curl.code, 0, curl.stderr);
    assert.match(curl.stdout, /<title>Welcome to nginx!<\/title>/);
    const wget = await k('exec', 'tools', '--', 'wget', '-q', '-O', '-', `http://${ip}`);
    assert.match(wget.stdout, /Welcome to nginx!/);
    const nc = await k('exec', 'tools', '--', 'nc', '-z', '-v', '-w', '1', ip, '80');
    assert.equal(nc.code, 0, nc.stdout + nc.stderr);
    const closed = await k('exec', 'tools', '--', 'curl', '-sS', `http://${ip}:81`);
    assert.equal(closed.code, 7);
    assert.match(closed.stderr, /curl: \(7\) Failed to connect to 10\.244\.\d+\.\d+ port 81/);
    assert.match(closed.stderr, /command terminated with exit code 7/);
  });

  it('logs show nginx access lines', async () => {
    const name = (await k('get', 'pods', '-l', 'app=nginx', '-o', 'jsonpath={.items[0].metadata.name}')).stdout;
    const logs = await k('logs', name);
    assert.equal(logs.code, 0, logs.stderr);
    assert.match(logs.stdout, /"GET \/ HTTP\/1\.1" 200 \d+ "-" "curl\//);
  });

  it('logs: deploy/x, -l, --tail, --timestamps, --previous; nslookup of a pod name', async () => {
    const d = await k('logs', 'deploy/nginx', '--tail=1');
    assert.equal(d.code, 0, d.stderr);
    assert.equal(d.stdout.trim().split('\n').length, 1);
    const l = await k('logs', '-l', 'app=nginx', '--tail=1', '--timestamps');
    assert.equal(l.code, 0, l.stderr);
    assert.match(l.stdout, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z /m);
    const ip = (await k('get', 'pods', '-l', 'app=nginx', '-o', 'jsonpath={.items[0].status.podIP}')).stdout;
    const ns = await k('exec', 'tools', '--', 'nslookup', `${ip.replace(/\./g, '-')}.default.pod.cluster.local`);
    assert.equal(ns.code, 0, ns.stdout + ns.stderr);
    assert.match(ns.stdout, new RegExp(`Address: ${ip.replace(/\./g, '\\.')}`));
    const prev = await k('logs', 'tools', '--previous');
    assert.equal(prev.code, 1);
    assert.match(prev.stderr, /previous terminated container "tools" in pod "tools" not found/);
  });

  it('a failing readiness probe keeps a pod out of Ready; a failing liveness probe restarts it', async () => {
    const manifest = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'probed' },
      spec: { containers: [{ name: 'web', image: 'nginx',
        readinessProbe: { httpGet: { path: '/ready', port: 80 }, periodSeconds: 1, failureThreshold: 1 },
        livenessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1, failureThreshold: 2 } }] },
    };
    assert.equal((await knet.kubectl(['apply', '-f', '-'], { input: JSON.stringify(manifest) })).code, 0);
    const restarts = await until('a restart', async () => {
      const r = squash((await k('get', 'pod', 'probed')).stdout).split('\n')[1] ?? '';
      const m = /^probed 0\/1 \S+ (\d+)/.exec(r);
      return m && Number(m[1]) >= 1 ? r : undefined;
    }, 30_000);
    assert.match(restarts, /^probed 0\/1 /);
    const ev = await k('describe', 'pod', 'probed');
    assert.match(ev.stdout, /Readiness probe failed: HTTP probe failed with statuscode: 404/);
    assert.match(ev.stdout, /Liveness probe failed: dial tcp 10\.244\.\d+\.\d+:8080: connect: connection refused/);
    const prev = await k('logs', 'probed', '--previous');
    assert.equal(prev.code, 0, prev.stderr);
    assert.match(prev.stdout, /start worker process/);
  });

  it('port-forward to a pod, then curl from the host', async () => {
    const name = (await k('get', 'pods', '-l', 'app=nginx', '-o', 'jsonpath={.items[0].metadata.name}')).stdout;
    const pf = await knet.portForward(`pod/${name}`, 80);
    const body = await until('port-forward', () => new Promise<string | undefined>((resolve) => {
      const s = createConnection({ host: '127.0.0.1', port: pf.port }, () => s.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
      let out = '';
      s.on('data', (d) => { out += d.toString(); });
      s.on('end', () => resolve(out || undefined));
      s.on('error', () => resolve(undefined));
    }), 6000);
    assert.match(body, /Welcome to nginx!/);
    pf.stop();
    assert.equal((await k('expose', 'deployment', 'nginx', '--port=8080', '--target-port=80')).code, 0);
    const spf = await knet.portForward('svc/nginx', 8080);
    const viaSvc = await until('port-forward svc', () => new Promise<string | undefined>((resolve) => {
      const s = createConnection({ host: '127.0.0.1', port: spf.port }, () => s.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
      let out = '';
      s.on('data', (d) => { out += d.toString(); });
      s.on('end', () => resolve(out || undefined));
      s.on('error', () => resolve(undefined));
    }), 6000);
    assert.match(viaSvc, /Welcome to nginx!/);
    spf.stop();
  });

  it('agnhost connect and serve-hostname', async () => {
    await k('run', 'echo', '--image=registry.k8s.io/e2e-test-images/agnhost:2.53', '--', 'serve-hostname', '--tcp', '--udp', '--http=false', '--port=9376');
    await k('wait', '--for=condition=Ready', 'pod/echo', '--timeout=30s');
    const ip = (await k('get', 'pod', 'echo', '-o', 'jsonpath={.status.podIP}')).stdout;
    await k('run', 'prober', '--image=registry.k8s.io/e2e-test-images/agnhost:2.53', '--', 'pause');
    await k('wait', '--for=condition=Ready', 'pod/prober', '--timeout=30s');
    const ok = await k('exec', 'prober', '--', '/agnhost', 'connect', `${ip}:9376`, '--timeout=1s', '--protocol=tcp');
    assert.equal(ok.code, 0, ok.stderr);
    const bad = await k('exec', 'prober', '--', '/agnhost', 'connect', `${ip}:9999`, '--timeout=1s', '--protocol=tcp');
    assert.equal(bad.code, 1);
    const tcp = await k('exec', 'tools', '--', 'sh', '-c', `nc -w 1 ${ip} 9376 </dev/null`);
    assert.equal(tcp.stdout.trim(), 'echo');
    const udp = await k('exec', 'tools', '--', 'sh', '-c', `echo hi | nc -u -w 1 ${ip} 9376`);
    assert.equal(udp.stdout.trim(), 'echo');
  });

  it('init containers run in order before the app; deletion shows Terminating for the grace period', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'init' }, spec: {
      initContainers: [
        { name: 'first', image: 'busybox', command: ['sh', '-c', 'echo first done'] },
        { name: 'second', image: 'busybox', command: ['sh', '-c', 'sleep 1; echo second done'] },
      ],
      containers: [{ name: 'app', image: 'registry.k8s.io/e2e-test-images/agnhost:2.53', args: ['serve-hostname', '--http=false', '--tcp'] }],
      terminationGracePeriodSeconds: 3 } };
    assert.equal((await knet.kubectl(['apply', '-f', '-'], { input: JSON.stringify(pod) })).code, 0);
    const init = await until('Init:1/2', async () => {
      const r = squash((await k('get', 'pod', 'init')).stdout).split('\n')[1] ?? '';
      return /Init:1\/2/.test(r) ? r : undefined;
    });
    assert.match(init, /^init 0\/1 Init:1\/2 0 /);
    assert.equal((await k('wait', '--for=condition=Ready', 'pod/init', '--timeout=20s')).code, 0);
    assert.equal((await k('logs', 'init', '-c', 'first')).stdout, 'first done\n');
    assert.equal((await k('logs', 'init', '-c', 'second')).stdout, 'second done\n');
    assert.equal((await k('delete', 'pod', 'init', '--wait=false')).code, 0);
    const row = squash((await k('get', 'pod', 'init')).stdout).split('\n')[1] ?? '';
    assert.match(row, /^init 1\/1 Terminating 0 /);
    assert.equal((await k('wait', '--for=delete', 'pod/init', '--timeout=20s')).code, 0);
  });

  it('an unknown image runs as a stand-in serving its declared port', async () => {
    const d = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' },
      spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } },
        spec: { containers: [{ name: 'api', image: 'myorg/api:1.2', ports: [{ containerPort: 3000 }] }] } } } };
    assert.equal((await knet.kubectl(['apply', '-f', '-'], { input: JSON.stringify(d) })).code, 0);
    assert.equal((await k('rollout', 'status', 'deployment/api', '--timeout=30s')).code, 0);
    const name = (await k('get', 'pods', '-l', 'app=api', '-o', 'jsonpath={.items[0].metadata.name}')).stdout;
    const ip = (await k('get', 'pods', '-l', 'app=api', '-o', 'jsonpath={.items[0].status.podIP}')).stdout;
    const r = await k('exec', 'tools', '--', 'curl', '-s', `http://${ip}:3000/`);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(name));
    const desc = await k('describe', 'pod', name);
    assert.match(desc.stdout, /not runnable here; knet runs a stand-in/);
  });
});

describe('--unknown-images=fail, and exec/port-forward with kubectl 1.27 (SPDY)', () => {
  const knet = new Knet(['--unknown-images', 'fail']);
  const k = (...args: string[]) => knet.kubectl(args, { version: '1.27' });
  before(async () => { await knet.start(); });
  after(async () => { await knet.cleanup(); });

  it('an unknown image fails with ErrImagePull and says why', async () => {
    await k('run', 'api', '--image=myorg/api:1.2');
    const row = await until('ErrImagePull', async () => {
      const r = squash((await k('get', 'pod', 'api')).stdout).split('\n')[1] ?? '';
      return /ErrImagePull/.test(r) ? r : undefined;
    });
    assert.match(row, /^api 0\/1 ErrImagePull 0 /);
    const d = await k('describe', 'pod', 'api');
    assert.match(d.stdout, /Failed to pull image "myorg\/api:1\.2": .*knet runs only its built-in images/);
  });

  it('exec and port-forward over SPDY', async () => {
    await k('run', 'web', '--image=nginx');
    await k('wait', '--for=condition=Ready', 'pod/web', '--timeout=30s');
    const e = await k('exec', 'web', '--', 'cat', '/etc/hostname');
    assert.equal(e.stdout, 'web\n', e.stderr);
    const f = await k('exec', 'web', '--', 'sh', '-c', 'exit 3');
    assert.equal(f.code, 3);
    const pf = await knet.portForward('pod/web', 80, { version: '1.27' });
    const body = await until('port-forward', () => new Promise<string | undefined>((resolve) => {
      const s = createConnection({ host: '127.0.0.1', port: pf.port }, () => s.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
      let out = '';
      s.on('data', (d) => { out += d.toString(); });
      s.on('end', () => resolve(out || undefined));
      s.on('error', () => resolve(undefined));
    }), 6000);
    assert.match(body, /^HTTP\/1\.1 200 OK/);
    pf.stop();
  });
});
