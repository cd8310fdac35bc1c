import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { compileService } from './compile.js';
import { HealthCheckServers, healthBody } from './healthcheck.js';
import { ProxyTable } from './table.js';
import { slice, svc } from './testdata.js';

const NODES = [{ name: 'cp', ip: '127.1.251.1' }, { name: 'w1', ip: '127.1.251.2' }];

function get(ip: string, port: number, path = '/healthz'): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((ok, fail) => {
    const r = request({ host: ip, port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => { body += d.toString(); });
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    r.on('error', fail);
    r.end();
  });
}

function table(hcnp: number, eps: { ip: string; node: string; ready?: boolean }[], etp = 'Local'): ProxyTable {
  const s = svc('web', { type: 'LoadBalancer', etp, ports: [{ port: 80, nodePort: 30080 }], lb: ['127.240.251.1'] });
  s.spec!.healthCheckNodePort = hcnp;
  return ProxyTable.empty(NODES).with(new Map([['default/web', compileService(s, [slice('web', 'web-1', eps)])]]), NODES);
}

test('kube-proxy\'s health body: the Service, its local endpoints, tab-indented as service_health.go prints it', () => {
  assert.equal(healthBody('default/web', 2), '{\n\t"service": {\n\t\t"namespace": "default",\n\t\t"name": "web"\n\t},\n\t"localEndpoints": 2,\n\t"serviceProxyHealthy": true\n}');
});

test('healthCheckNodePort: 200 with the count on a node with ready endpoints, 503 on one without; follows endpoint changes; closed when the Service goes Cluster', async () => {
  const port = 32000 + Math.floor(Math.random() * 700);
  const hc = new HealthCheckServers(() => undefined);
  try {
    hc.reconcile(table(port, [{ ip: '10.244.1.2', node: 'w1' }, { ip: '10.244.1.3', node: 'w1' }, { ip: '10.244.0.2', node: 'cp', ready: false }]));
    await new Promise((r) => setTimeout(r, 50));
    const w1 = await get('127.1.251.2', port);
    assert.equal(w1.status, 200);
    assert.equal(w1.headers['content-type'], 'application/json');
    assert.equal(w1.headers['x-load-balancing-endpoint-weight'], '2');
    assert.equal(w1.body, healthBody('default/web', 2));
    const cp = await get('127.1.251.1', port, '/any/path');
    assert.equal(cp.status, 503, 'a not-ready endpoint does not count');
    assert.equal(JSON.parse(cp.body).localEndpoints, 0);
    hc.reconcile(table(port, [{ ip: '10.244.0.2', node: 'cp' }]));
    assert.equal((await get('127.1.251.1', port)).status, 200);
    assert.equal((await get('127.1.251.2', port)).status, 503);
    hc.reconcile(table(port, [{ ip: '10.244.0.2', node: 'cp' }], 'Cluster'));
    await new Promise((r) => setTimeout(r, 50));
    await assert.rejects(get('127.1.251.1', port), /ECONNREFUSED/);
  } finally {
    hc.close();
  }
});
