import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import type { Pod } from '../../api/kinds/pod.js';
import type { KObject } from '../../api/meta.js';
import { baseEnv } from '../../controllers/util/testenv.js';
import { createNetwork } from '../../net/network.js';
import { nodeIP } from '../../node/registrar.js';
import { ConnectionBudget } from '../../net/budget.js';
import { startHostPorts, wantedHostPorts, HOST_PORT_FAILED_REASON, HOST_PORT_LIMIT_REASON } from './hostports.js';

const PODS = { resource: 'pods' };

/** A free TCP port on 127.0.0.1 right now. */
async function freePort(): Promise<number> {
  const s = net.createServer().listen(0, '127.0.0.1');
  await once(s, 'listening');
  const port = (s.address() as net.AddressInfo).port;
  s.close();
  return port;
}

/** Reads the first line a real TCP connection receives. */
async function greet(ip: string, port: number): Promise<string> {
  const s = net.connect({ host: ip, port });
  s.on('error', () => undefined);
  const [d] = await once(s, 'data') as [Buffer];
  s.destroy();
  return d.toString();
}

async function setup(connections?: ConnectionBudget) {
  const env = await baseEnv(1);
  const network = createNetwork();
  const nodes = [{ name: 'knet-control-plane', ip: nodeIP(0) }];
  network.addStack([nodes[0]!.ip], { kind: 'node', name: nodes[0]!.name, nodeName: nodes[0]!.name });
  const podStack = network.addStack(['10.244.0.7'], { kind: 'pod', namespace: 'default', name: 'web' });
  podStack.listen(8080, (c) => c.end(`hello from web to ${c.remote.ip}\n`));
  const lines: string[] = [];
  const events: string[] = [];
  const hp = startHostPorts({
    view: env.view, network, nodes, log: (l) => lines.push(l),
    recordEvent: (o, t, r, m) => events.push(`${o.metadata.name ?? ''} ${t} ${r} ${m}`),
    hint: () => 'pick other ports with knet up --http-port N --https-port N', connections,
  });
  const runPod = async (name: string, hostPort: number, podIP = '10.244.0.7', containerPort = 8080): Promise<void> => {
    await env.client.create(PODS, { metadata: { name, namespace: 'default' }, spec: { nodeName: 'knet-control-plane', containers: [{ name: 'c', image: 'x', ports: [{ containerPort, hostPort }] }] } });
    const p = env.client.get(PODS, 'default', name)!;
    await env.client.update(PODS, { ...p, status: { phase: 'Running', podIP, podIPs: [{ ip: podIP }] } } as KObject, 'status');
  };
  return { env, hp, lines, events, runPod, podStack, close: async () => { hp.stop(); env.view.stop(); await env.store.close(); } };
}

test("a running pod's hostPort listens on its node's IP and 127.0.0.1 and forwards into the pod; deleting the pod unbinds", async () => {
  const t = await setup();
  const port = await freePort();
  await t.runPod('web', port);
  await until(() => t.hp.bound().length === 2, t.hp);
  assert.deepEqual(t.hp.bound(), [`TCP 127.0.0.1:${port}`, `TCP ${nodeIP(0)}:${port}`].sort());
  assert.equal(await greet('127.0.0.1', port), 'hello from web to 127.0.0.1\n');
  assert.equal(await greet(nodeIP(0), port), 'hello from web to 127.0.0.1\n');
  await t.env.client.delete(PODS, 'default', 'web', { gracePeriodSeconds: 0 });
  await until(() => t.hp.bound().length === 0, t.hp);
  const s = net.connect({ host: '127.0.0.1', port });
  const [err] = await once(s, 'error') as [NodeJS.ErrnoException];
  assert.equal(err.code, 'ECONNREFUSED');
  await t.close();
});

test('a refused port is told once (log line with the way out, Warning event on the pod) and the other address still serves', async () => {
  const t = await setup();
  const port = await freePort();
  const squatter = net.createServer((s) => s.end('squatter\n')).listen(port, '127.0.0.1');
  await once(squatter, 'listening');
  await t.runPod('web', port);
  await until(() => t.hp.refused().size === 1 && t.hp.bound().length === 1, t.hp);
  assert.equal(t.hp.refused().get(`TCP 127.0.0.1:${port}`), 'EADDRINUSE');
  assert.equal(await greet(nodeIP(0), port), 'hello from web to 127.0.0.1\n');
  assert.equal(t.lines.length, 1);
  assert.match(t.lines[0]!, new RegExp(`^hostPort: can't open hostPort 127\\.0\\.0\\.1:${port}/tcp for pod default/web \\(EADDRINUSE: .*\\).*knet up --http-port N --https-port N$`));
  assert.equal(t.events.length, 1);
  assert.ok(t.events[0]!.startsWith(`web Warning ${HOST_PORT_FAILED_REASON} can't open hostPort 127.0.0.1:${port}/tcp`));
  // More pod changes do not repeat the warning.
  const p = t.env.client.get(PODS, 'default', 'web')!;
  await t.env.client.update(PODS, { ...p, metadata: { ...p.metadata, labels: { x: 'y' } } });
  await t.hp.synced();
  assert.equal(t.lines.length, 1);
  squatter.close();
  await t.close();
});

test('a hostPort holds at most its share of the connection budget: more are closed at once, told with a log line and a Warning event', async () => {
  const budget = new ConnectionBudget({ limit: 256, inUse: 0, apiServer: 64, dataPlane: 100, perListener: 3 });
  const t = await setup(budget);
  t.podStack.listen(8081, (c) => { c.on('error', () => undefined); c.on('end', () => c.end()); c.resume(); c.write('held\n'); });
  const port = await freePort();
  await t.runPod('web', port, '10.244.0.7', 8081);
  await until(() => t.hp.bound().length === 2, t.hp);
  const held: net.Socket[] = [];
  try {
    for (let i = 0; i < 3; i++) assert.equal(await greetAndHold('127.0.0.1', port, held), 'held\n');
    const extra = net.connect({ host: '127.0.0.1', port });
    extra.on('error', () => undefined);
    extra.resume();
    await new Promise((r) => extra.once('close', r));
    assert.equal(budget.open, 3);
    assert.equal(t.lines.length, 1);
    assert.match(t.lines[0]!, new RegExp(`^hostPort: hostPort 127\\.0\\.0\\.1:${port}/tcp of pod default/web: refusing new connections: 3 connections are open there; 1 refused`));
    assert.deepEqual(t.events.map((e) => e.split(' ').slice(0, 3).join(' ')), [`web Warning ${HOST_PORT_LIMIT_REASON}`]);
    assert.equal(await greet(nodeIP(0), port), 'held\n', 'the node address is another listener, with its own cap');
    held[0]!.destroy();
    await until(() => budget.open === 2, t.hp);
    assert.equal(await greetAndHold('127.0.0.1', port, held), 'held\n', 'a closed connection frees its place');
  } finally {
    for (const s of held) s.destroy();
    await t.close();
  }
});

/** Reads the first data of a real TCP connection and keeps it open (in `held`). */
async function greetAndHold(ip: string, port: number, held: net.Socket[]): Promise<string> {
  const s = net.connect({ host: ip, port });
  s.on('error', () => undefined);
  held.push(s);
  const [d] = await once(s, 'data') as [Buffer];
  return d.toString();
}

test('the oldest running pod claims a contested address; pods not running claim nothing', () => {
  const pod = (name: string, created: string, phase: string, hostPort: number, node = 'n1'): Pod => ({
    metadata: { name, namespace: 'default', creationTimestamp: created },
    spec: { nodeName: node, containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80, hostPort }] }] },
    status: { phase, podIP: `10.244.0.${name.length}` },
  }) as Pod;
  const nodes = [{ name: 'n1', ip: '127.1.0.1' }, { name: 'n2', ip: '127.1.0.2' }];
  const want = wantedHostPorts([pod('young', '2026-01-02T00:00:00Z', 'Running', 80, 'n2'), pod('old', '2026-01-01T00:00:00Z', 'Running', 80), pod('pending', '2025-01-01T00:00:00Z', 'Pending', 80)], nodes);
  assert.deepEqual([...want].map(([k, b]) => `${k} ${b.pod}`).sort(), ['TCP 127.0.0.1:80 default/old', 'TCP 127.1.0.1:80 default/old', 'TCP 127.1.0.2:80 default/young']);
});

async function until(f: () => boolean, hp: { synced(): Promise<void> }): Promise<void> {
  for (let i = 0; i < 200 && !f(); i++) { await hp.synced(); await new Promise((r) => setTimeout(r, 10)); }
  assert.ok(f(), 'condition not reached');
}
