// End-to-end (issue 7, acceptance 4): two clusters side by side on one machine, each with its own
// data dir and host network block, serve a NodePort and a LoadBalancer Service from the host at
// the same time, each answered by its own pods; `knet status` shows each block; a restart keeps
// it. Both clusters ask for the same nodePort: each serves it on its own node IPs, and on
// 127.0.0.1 the first one serves it while the second records a Warning event, as kube-proxy does
// for a port it cannot open.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { join } from 'node:path';
import { Knet, knetCmd, knetMain, nodeBin, runCommand, squash, until } from './harness.js';

/** A Deployment of http-echo answering `text`, a NodePort Service on `nodePort` and a LoadBalancer Service on 8080. */
function echoApp(text: string, nodePort: number): string {
  const labels = { app: 'echo' };
  return JSON.stringify({
    apiVersion: 'v1', kind: 'List', items: [
      {
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'echo' },
        spec: {
          replicas: 2, selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: { containers: [{ name: 'echo', image: 'hashicorp/http-echo', args: [`-text=${text}`], ports: [{ containerPort: 5678 }] }] } },
        },
      },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'echo-np' }, spec: { type: 'NodePort', selector: labels, ports: [{ port: 80, targetPort: 5678, nodePort }] } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'echo-lb' }, spec: { type: 'LoadBalancer', selector: labels, ports: [{ port: 8080, targetPort: 5678 }] } },
    ],
  });
}

/** A nodePort that nothing on this machine holds on 127.0.0.1 now (outside the ports other test files fix). */
async function freeNodePort(): Promise<number> {
  for (;;) {
    const port = 31000 + Math.floor(Math.random() * 1700);
    const s = net.createServer().listen({ host: '127.0.0.1', port, exclusive: true });
    const ok = await Promise.race([once(s, 'listening').then(() => true), once(s, 'error').then(() => false)]);
    if (ok) { s.close(); await once(s, 'close'); return port; }
  }
}

/** The body the host's curl gets from a loopback URL, or undefined. */
async function get(url: string): Promise<string | undefined> {
  const r = await runCommand('curl', ['-sS', '-m', '2', url], { timeoutMs: 5000 });
  return r.code === 0 ? r.stdout : undefined;
}

const status = (knet: Knet) => runCommand(nodeBin, [knetMain, 'status', '--data-dir', join(knet.dir, 'data')]);

describe('two clusters side by side', () => {
  let a = new Knet(['--durable', '--nodes', '2']);
  let b = new Knet(['--durable', '--nodes', '2']);
  let nodePort = 0;
  const ok = async (knet: Knet, ...args: string[]): Promise<string> => {
    const r = await knet.kubectl(args);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const lbIP = async (knet: Knet): Promise<string> => until('an EXTERNAL-IP', async () => (await ok(knet, 'get', 'svc', 'echo-lb', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}')) || undefined);
  /** Every node IP serves the NodePort and the LoadBalancer IP serves port 8080, each with the cluster's own text. */
  const servesOwn = async (knet: Knet, text: string): Promise<void> => {
    const urls = [...knet.hostNetwork.nodeIPs.map((ip) => `http://${ip}:${nodePort}/`), `http://${await lbIP(knet)}:8080/`];
    for (const url of urls) assert.equal(await until(`${url} of cluster ${text}`, () => get(url)), `${text}\n`, url);
  };

  before(async () => {
    nodePort = await freeNodePort();
    await Promise.all([a.start(), b.start()]); // at the same moment: the claims must not collide
  });
  after(async () => { await Promise.all([a.cleanup(), b.cleanup()]); });

  it('each cluster holds its own block: node IPs, load balancer pool, knet status', async () => {
    assert.notEqual(a.hostNetwork.index, b.hostNetwork.index);
    for (const knet of [a, b]) {
      const n = knet.hostNetwork.index;
      assert.deepEqual(knet.hostNetwork, { index: n, nodeIPs: [`127.1.${n}.1`, `127.1.${n}.2`], loadBalancerPool: `127.240.${n}.0/24` });
      assert.match(knet.output, new RegExp(`^ • host network block ${n}: node IPs 127\\.1\\.${n}\\.1, 127\\.1\\.${n}\\.2; load balancer pool 127\\.240\\.${n}\\.0/24$`, 'm'));
      const st = await status(knet);
      assert.equal(st.code, 0, st.stderr);
      assert.match(st.stdout, new RegExp(`^  host block: ${n}\\n  node IPs:   127\\.1\\.${n}\\.1, 127\\.1\\.${n}\\.2\\n  LB pool:    127\\.240\\.${n}\\.0/24\\n`, 'm'));
      const [head, ...rows] = squash(await ok(knet, 'get', 'nodes', '-o', 'wide')).split('\n').map((l) => l.split(' '));
      const col = head!.indexOf('INTERNAL-IP');
      assert.deepEqual(rows.map((r) => `${r[0]} ${r[col]}`), [`knet-control-plane 127.1.${n}.1`, `knet-worker 127.1.${n}.2`]);
    }
  });

  it('a pinned block that another knet holds is refused with the fix', async () => {
    const dir = join(a.dir, 'third');
    const r = await runCommand(nodeBin, [knetMain, 'up', '--ephemeral', '--api-port', '0', '--data-dir', dir, '--kubeconfig', join(a.dir, 'third.kc'), '--host-network-index', String(a.hostNetwork.index)]);
    assert.equal(r.code, 1, r.stdout);
    const info = JSON.parse((await runCommand('cat', [join(a.dir, 'data', 'knet.run.json')])).stdout) as { pid: number };
    assert.ok(r.stderr.includes(`error: host network block ${a.hostNetwork.index} (`), r.stderr);
    assert.ok(r.stderr.includes(`is in use by another knet (pid ${info.pid}, data dir ${join(a.dir, 'data')}); stop it with ${knetCmd} down --data-dir ${join(a.dir, 'data')}, or choose another block with --host-network-index N (0-255), or leave the flag out to use a free one`), r.stderr);
  });

  it('both serve a NodePort and a LoadBalancer Service from the host at the same time, each from its own pods', async () => {
    assert.equal((await a.kubectl(['apply', '-f', '-'], { input: echoApp('A', nodePort) })).code, 0);
    await ok(a, 'rollout', 'status', 'deployment/echo', '--timeout=30s');
    await until(`127.0.0.1:${nodePort} served by A`, async () => ((await get(`http://127.0.0.1:${nodePort}/`)) === 'A\n' ? true : undefined));
    assert.equal((await b.kubectl(['apply', '-f', '-'], { input: echoApp('B', nodePort) })).code, 0);
    await ok(b, 'rollout', 'status', 'deployment/echo', '--timeout=30s');
    const [ipA, ipB] = [await lbIP(a), await lbIP(b)];
    assert.match(ipA, new RegExp(`^127\\.240\\.${a.hostNetwork.index}\\.\\d+$`));
    assert.match(ipB, new RegExp(`^127\\.240\\.${b.hostNetwork.index}\\.\\d+$`));
    await Promise.all([servesOwn(a, 'A'), servesOwn(b, 'B')]);
    // Interleaved, so both answer while the other does too.
    for (let i = 0; i < 3; i++) {
      for (const [knet, text, lb] of [[a, 'A', ipA], [b, 'B', ipB]] as const) {
        assert.equal(await get(`http://${knet.hostNetwork.nodeIPs[i % 2]}:${nodePort}/`), `${text}\n`);
        assert.equal(await get(`http://${lb}:8080/`), `${text}\n`);
      }
    }
    // 127.0.0.1 has room for one of them: the first; the second says why it is not there.
    assert.equal(await get(`http://127.0.0.1:${nodePort}/`), 'A\n');
    const msg = `can't open port 127.0.0.1:${nodePort}/tcp (nodePort ${nodePort} for Service default/echo-np`;
    const events = await until('the FailedToBindPort event', async () => {
      const out = await ok(b, 'get', 'events', '--field-selector', 'reason=FailedToBindPort', '-o', 'jsonpath={range .items[*]}{.type} {.involvedObject.name} {.message}{"\\n"}{end}');
      return out.includes(msg) ? out : undefined;
    });
    assert.match(events, new RegExp(`^Warning echo-np ${msg.replace(/[.()/]/g, '\\$&')}`, 'm'));
    assert.ok(b.output.includes(`service proxy: ${msg}`), 'and a log line');
  });

  it('a restarted cluster keeps its block, its load balancer IP and serves again', async () => {
    const { index } = b.hostNetwork;
    const lb = await lbIP(b);
    await b.stop();
    b = await new Knet(['--durable', '--nodes', '2'], { dir: b.dir }).start();
    assert.equal(b.hostNetwork.index, index);
    assert.match((await status(b)).stdout, new RegExp(`^  host block: ${index}$`, 'm'));
    assert.equal(await lbIP(b), lb);
    await servesOwn(b, 'B');
    await servesOwn(a, 'A');
  });

  it('when the first cluster stops, the second takes the freed 127.0.0.1 port', async () => {
    await a.stop();
    assert.equal(await until(`127.0.0.1:${nodePort} served by B`, async () => ((await get(`http://127.0.0.1:${nodePort}/`)) === 'B\n' ? 'B' : undefined), 15_000), 'B');
    a = new Knet([], { dir: a.dir }); // stopped: cleanup only removes its folder
  });
});
