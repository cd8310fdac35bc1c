import { test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import type { Socket } from 'node:net';
import tls from 'node:tls';
import type { Pod } from '../../api/kinds/pod-types.js';
import { loadOrCreatePki } from '../../apiserver/pki.js';
import { createNetwork } from '../../net/network.js';
import { KUBELET_PORT, serveKubeletApi } from './server.js';

test('the kubelet API on a node stack answers /healthz, /pods and 404 over TLS', async () => {
  const pki = await loadOrCreatePki(undefined);
  const net = createNetwork();
  const node = net.addStack(['127.1.0.1'], { kind: 'node', name: 'n1', nodeName: 'n1' });
  const other = net.addStack(['127.1.0.2'], { kind: 'node', name: 'n2', nodeName: 'n2' });
  const pod = { metadata: { name: 'p', namespace: 'default' }, spec: { nodeName: 'n1', containers: [] } } as unknown as Pod;
  const stop = serveKubeletApi(node, { cert: pki.serverCert, key: pki.serverKey, pods: () => [pod] });
  const get = async (path: string): Promise<{ code: number; body: string }> => {
    const conn = await other.connect({ ip: '127.1.0.1', port: KUBELET_PORT });
    return new Promise((resolve, reject) => {
      const req = https.request({ path, rejectUnauthorized: false, createConnection: () => tls.connect({ socket: conn as unknown as Socket, rejectUnauthorized: false }) } as https.RequestOptions, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
  };
  try {
    assert.deepEqual(await get('/healthz'), { code: 200, body: 'ok' });
    const pods = await get('/pods');
    assert.equal(pods.code, 200);
    assert.deepEqual(JSON.parse(pods.body), { kind: 'PodList', apiVersion: 'v1', metadata: {}, items: [pod] });
    assert.deepEqual(await get('/configz'), { code: 404, body: '404 page not found\n' });
  } finally { stop(); }
});
