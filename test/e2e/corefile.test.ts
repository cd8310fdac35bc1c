// End-to-end: the CoreDNS ConfigMap (issue 11, "the Corefile journey"). Editing kube-system/coredns
// reaches the coredns pods through their mounted volume (kubelet --sync-frequency, shortened here)
// and their reload plugin (`reload 2s`); the cluster DNS then follows the new Corefile: a `hosts`
// entry, a stub-domain `forward` to a DNS server on loopback, a `rewrite`; a broken Corefile keeps
// the old one serving with CoreDNS's error line; an unknown plugin is logged and the rest served.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Knet, kubectlPath, runCommand, until } from './harness.js';
import { fakeUpstream } from '../../src/dataplane/dns/testutil.js';

/** kubeadm's Corefile with `reload 2s` and extra lines in the main block, plus extra server blocks. */
function corefile(extra: string[] = [], blocks = ''): string {
  return [
    '.:53 {', '    errors', '    health {', '       lameduck 5s', '    }', '    ready',
    '    kubernetes cluster.local in-addr.arpa ip6.arpa {', '       pods insecure', '       fallthrough in-addr.arpa ip6.arpa', '       ttl 30', '    }',
    ...extra.map((l) => `    ${l}`),
    '    prometheus :9153', '    forward . /etc/resolv.conf {', '       max_concurrent 1000', '    }',
    '    cache 30 {', '       disable success cluster.local', '       disable denial cluster.local', '    }',
    '    loop', '    reload 2s', '    loadbalance', '}', blocks,
  ].join('\n');
}

const configMap = (text: string): string => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: text } });

describe('the Corefile journey', () => {
  const knet = new Knet(['--dns-port', '0', '--sync-frequency', '2s']);
  const k = (...args: string[]) => knet.kubectl(args);
  let port = 0;
  let barIP = '';
  let stub: Awaited<ReturnType<typeof fakeUpstream>>;
  const apply = async (text: string): Promise<void> => {
    const r = await knet.kubectl(['apply', '-f', '-'], { input: configMap(text) });
    assert.equal(r.code, 0, r.stderr);
  };
  const logs = async (): Promise<string> => (await k('logs', '-n', 'kube-system', '-l', 'k8s-app=kube-dns', '--tail=-1')).stdout;
  const nslookup = async (name: string): Promise<string> => { const r = await k('exec', 'tools', '--', 'nslookup', name); return r.stdout + r.stderr; };
  const dig = async (...args: string[]): Promise<string> => (await runCommand('dig', ['@127.0.0.1', '-p', String(port), '+tries=1', '+time=2', ...args], { timeoutMs: 10_000 })).stdout;

  before(async () => {
    stub = await fakeUpstream({ 'api.stub.test A': [{ name: '', type: 'A', ttl: 60, data: '198.51.100.7' }], 'gone.stub.test A': 'NXDOMAIN' });
    await knet.start();
    port = Number(/dns: 127\.0\.0\.1:(\d+)/.exec(knet.output)?.[1]);
    assert.ok(port > 0, knet.output);
    await Promise.all([
      k('create', 'service', 'clusterip', 'bar', '--tcp=80:80'),
      k('run', 'tools', '--image=nicolaka/netshoot', '--', 'sleep', '3600'),
    ]);
    assert.equal((await k('wait', '--for=condition=Ready', 'pod/tools', '--timeout=60s')).code, 0);
    barIP = (await k('get', 'svc', 'bar', '-o', 'jsonpath={.spec.clusterIP}')).stdout;
    // The first edit is seen at the stock `reload` interval (30s ± 15s); restart the pods so `reload 2s` applies at once.
    await apply(corefile());
    assert.equal((await k('rollout', 'restart', '-n', 'kube-system', 'deployment/coredns')).code, 0);
    const st = await k('rollout', 'status', '-n', 'kube-system', 'deployment/coredns', '--timeout=90s');
    assert.equal(st.code, 0, st.stdout + st.stderr);
  });
  after(async () => {
    stub.close();
    await knet.stop();
    await knet.cleanup();
  });

  it('kubectl edit adds a hosts entry; a pod resolves it after the reload, and the coredns log says so', async () => {
    const sed = String.raw`sed -i -e 's/^\( *\)loop$/\1hosts {\n\1   192.0.2.10 legacy.example.internal\n\1   fallthrough\n\1}\n\1loop/'`;
    const edit = await runCommand(kubectlPath(), ['--kubeconfig', knet.kubeconfig, 'edit', '-n', 'kube-system', 'configmap/coredns'], { env: { HOME: knet.dir, KUBE_EDITOR: sed } });
    assert.equal(edit.code, 0, edit.stderr);
    assert.match(edit.stdout, /configmap\/coredns edited/);
    const out = await until('legacy.example.internal from a pod', async () => { const o = await nslookup('legacy.example.internal'); return /Address:\s+192\.0\.2\.10/.test(o) ? o : undefined; }, 60_000, 500);
    assert.match(out, /Name:\s+legacy\.example\.internal/);
    assert.match(await dig('+short', 'legacy.example.internal'), /^192\.0\.2\.10$/m);
    const log = await logs();
    assert.match(log, /\[INFO\] Reloading\n(\[INFO\] plugin\/health: Going into lameduck mode for 5s\n)?\[INFO\] plugin\/reload: Running configuration SHA512 = [0-9a-f]{128}\n\[INFO\] Reloading complete/);
    // fallthrough: cluster names are still answered by the kubernetes plugin.
    assert.match(await nslookup('bar.default.svc.cluster.local'), new RegExp(`Address:\\s+${barIP.replace(/\./g, '\\.')}`));
  });

  it('a stub domain forwards to a DNS server on loopback; a rewrite answers with the Service; log prints queries', async () => {
    await apply(corefile([
      'hosts {', '   192.0.2.10 legacy.example.internal', '   fallthrough', '}',
      'rewrite name foo.example.com bar.default.svc.cluster.local', 'log',
    ], `stub.test:53 {\n    errors\n    forward . ${stub.server}\n}\n`));
    const out = await until('api.stub.test from a pod', async () => { const o = await nslookup('api.stub.test'); return /Address:\s+198\.51\.100\.7/.test(o) ? o : undefined; }, 60_000, 500);
    assert.match(out, /Name:\s+api\.stub\.test/);
    assert.match(await dig('gone.stub.test'), /status: NXDOMAIN/);
    const rewritten = await dig('foo.example.com');
    assert.match(rewritten, /status: NOERROR/);
    assert.match(rewritten, new RegExp(`^bar\\.default\\.svc\\.cluster\\.local\\.\\s+\\d+\\s+IN\\s+A\\s+${barIP.replace(/\./g, '\\.')}$`, 'm'));
    assert.match(await nslookup('foo.example.com'), new RegExp(`Address:\\s+${barIP.replace(/\./g, '\\.')}`));
    // `log` is in the main block only: the pod's search walk and the rewritten name are logged, the stub block's answers are not.
    const queryLog = /\[INFO\] 10\.244\.\d+\.\d+:\d+ - \d+ "A IN foo\.example\.com\. udp \d+ false \d+" NOERROR qr,aa,rd,ra \d+ [\d.]+s/;
    const all = await until('a query log line in a coredns pod', async () => { const l = await logs(); return queryLog.test(l) ? l : undefined; }, 20_000, 500);
    assert.doesNotMatch(all, /"A IN api\.stub\.test\. /);
  });

  it('a broken Corefile keeps the old one serving and logs CoreDNS\'s error; an unknown plugin is logged and the rest served', async () => {
    await apply(corefile(['hosts {', '   192.0.2.11 broken.example.internal', '   fallthrough', '}', 'forward . not-a-server']));
    const log = await until('the reload error', async () => { const l = await logs(); return l.includes('Corefile changed but reload failed') ? l : undefined; }, 60_000, 500);
    assert.match(log, /\[ERROR\] Restart failed: plugin\/forward: not an IP address or file: "not-a-server"\n\[ERROR\] plugin\/reload: Corefile changed but reload failed: starting with listener file descriptors: plugin\/forward: not an IP address or file: "not-a-server"/);
    // Every coredns pod reloads, so the Deployment's log (one pod's) shows it too.
    const deployLog = await until('the error in deploy/coredns', async () => { const r = await k('logs', '-n', 'kube-system', 'deploy/coredns'); return r.stdout.includes('reload failed') ? r.stdout : undefined; }, 30_000, 500);
    assert.match(deployLog, /\[ERROR\] plugin\/reload: Corefile changed but reload failed: /);
    assert.match(await nslookup('legacy.example.internal'), /Address:\s+192\.0\.2\.10/);
    assert.match(await dig('+short', 'api.stub.test'), /^198\.51\.100\.7$/m);
    assert.doesNotMatch(await dig('+short', 'broken.example.internal'), /192\.0\.2\.11/);

    await apply(corefile(['foo bar', 'hosts {', '   192.0.2.12 fixed.example.internal', '   fallthrough', '}']));
    await until('fixed.example.internal after the next good Corefile', async () => (/Address:\s+192\.0\.2\.12/.test(await nslookup('fixed.example.internal')) ? true : undefined), 60_000, 500);
    assert.match(await logs(), /\[WARNING\] \/etc\/coredns\/Corefile:\d+ - Error during parsing: Unknown directive 'foo'/);
    assert.match(await nslookup('bar.default.svc.cluster.local'), new RegExp(`Address:\\s+${barIP.replace(/\./g, '\\.')}`));
    assert.doesNotMatch(await dig('+short', 'api.stub.test'), /198\.51\.100\.7/, 'the stub block is gone');
  });
  it('forwarding to an in-cluster DNS server goes over the pod network; that coredns keeps its own Corefile', async () => {
    const corp = [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'corp-dns' }, data: { Corefile: '.:53 {\n    errors\n    template IN A corp {\n        answer "{{ .Name }} 30 IN A 10.1.2.3"\n    }\n}\n' } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'corp-dns' }, spec: { selector: { matchLabels: { app: 'corp-dns' } }, template: { metadata: { labels: { app: 'corp-dns' } }, spec: {
        containers: [{ name: 'coredns', image: 'registry.k8s.io/coredns/coredns:v1.11.3', args: ['-conf', '/etc/coredns/Corefile'], volumeMounts: [{ name: 'cfg', mountPath: '/etc/coredns' }] }],
        volumes: [{ name: 'cfg', configMap: { name: 'corp-dns' } }] } } } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'corp-dns' }, spec: { selector: { app: 'corp-dns' }, ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }] } },
    ];
    const r = await knet.kubectl(['apply', '-f', '-'], { input: corp.map((o) => JSON.stringify(o)).join('\n') });
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await k('rollout', 'status', 'deployment/corp-dns', '--timeout=60s')).code, 0);
    const ip = (await k('get', 'svc', 'corp-dns', '-o', 'jsonpath={.spec.clusterIP}')).stdout;
    await apply(corefile([], `corp:53 {\n    errors\n    forward . ${ip}\n}\n`));
    await until('db.corp from a pod', async () => (/Address:\s+10\.1\.2\.3/.test(await nslookup('db.corp')) ? true : undefined), 60_000, 500);
    assert.match(await dig('+short', 'db.corp'), /^10\.1\.2\.3$/m, 'from the host listener too (asked from a node)');
    assert.match(await nslookup('bar.default.svc.cluster.local'), new RegExp(`Address:\\s+${barIP.replace(/\./g, '\\.')}`), 'the cluster keeps its own Corefile');
  });
});
