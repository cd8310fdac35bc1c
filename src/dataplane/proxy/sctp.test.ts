// A Service port with protocol SCTP: the service translator DNATs SCTP associations to the SCTP
// endpoint port, and only them (a TCP dial to the same ClusterIP:port is not this Service's).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createNetwork } from '../../net/network.js';
import type { Conn, NetError } from '../../net/types.js';
import { compileService } from './compile.js';
import type { ProxyNode } from './model.js';
import { ProxyTable } from './table.js';
import { slice, svc } from './testdata.js';
import { ServiceTranslator } from './translator.js';

const NODES: ProxyNode[] = [{ name: 'cp', ip: '127.1.0.1' }];

test('a ClusterIP Service with an SCTP port reaches the pod serving SCTP; TCP to the same port is not translated', async () => {
  const net = createNetwork();
  net.addStack(['127.1.0.1'], { kind: 'node', name: 'cp' });
  const client = net.addStack(['10.244.0.9'], { kind: 'pod', namespace: 'default', name: 'client', nodeName: 'cp' });
  const server = net.addStack(['10.244.0.5'], { kind: 'pod', namespace: 'default', name: 'server', nodeName: 'cp' });
  server.listenSctp(8080, (c) => c.end(`sctp from ${c.remote.ip}`));
  server.listen(8080, (c) => c.end('tcp'));
  const t = new ServiceTranslator(NODES);
  const ports = compileService(svc('s', { clusterIP: '10.96.0.60', ports: [{ name: 'sctp', port: 80, protocol: 'SCTP' }] }),
    [slice('s', 's-1', [{ ip: '10.244.0.5', node: 'cp' }], [{ name: 'sctp', port: 8080, protocol: 'SCTP' }])]);
  t.setTable(ProxyTable.empty(NODES).with(new Map([['default/s', ports]]), NODES));
  net.addTranslator(t);

  const plan = net.plan({ protocol: 'SCTP', src: { ip: '10.244.0.9', port: 40000 }, dst: { ip: '10.96.0.60', port: 80 }, from: { kind: 'pod', ip: '10.244.0.9' }, node: 'cp', seed: 0, at: 0 });
  assert.equal(plan.trace[0]?.summary, 'ClusterIP 10.96.0.60:80/SCTP of Service default/s -> 10.244.0.5:8080 (the only one of the ready endpoints)');
  const c: Conn = await client.connect({ ip: '10.96.0.60', port: 80 }, { protocol: 'SCTP' });
  let got = '';
  for await (const d of c) got += (d as Buffer).toString();
  assert.equal(got, 'sctp from 10.244.0.9');
  const tcp = await client.connect({ ip: '10.96.0.60', port: 80 }, { timeoutMs: 30 }).then((x) => { x.destroy(); return 'connected'; }, (e: NetError) => e.code);
  assert.equal(tcp, 'ETIMEDOUT', 'no TCP port on this Service: nobody owns the ClusterIP for TCP');
});
