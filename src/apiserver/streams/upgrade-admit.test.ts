import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { errors } from '../../api/errors.js';
import { setRequestUser } from '../authz/request-user.js';
import type { UserInfo } from '../authz/user.js';
import { createUpgradeHandler } from './upgrade.js';

// The exec/attach/portforward upgrade path admits as the authenticated user (AdmissionReview request.userInfo).
test('exec over an upgrade goes to CONNECT admission with the request user, and a refusal is its Status', async () => {
  const user: UserInfo = { username: 'jane', groups: ['dev', 'system:authenticated'] };
  const admitted: UserInfo[] = [];
  const handle = createUpgradeHandler({
    backend: {} as never, store: {} as never, registry: {} as never,
    admit: (_ns, _name, _sub, _q, u) => { admitted.push(u); return Promise.reject(errors.forbidden('admission webhook "deny.example.com" denied the request: no exec')); },
  });
  const server = http.createServer();
  server.on('upgrade', (req, socket, head: Buffer) => handle({ authenticated: (r) => { setRequestUser(r, user); return true; } }, req, socket, head));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const answer = await new Promise<string>((resolve, reject) => {
      const c = net.connect((server.address() as AddressInfo).port, '127.0.0.1', () => c.write(
        'GET /api/v1/namespaces/default/pods/p/exec?command=ls&stdout=true HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n'));
      let out = '';
      c.on('data', (d: Buffer) => { out += d.toString(); });
      c.on('end', () => resolve(out));
      c.on('error', reject);
    });
    assert.match(answer, /^HTTP\/1\.1 403 /);
    assert.match(answer, /no exec/);
    assert.deepEqual(admitted, [user]);
  } finally { server.close(); handle.closeAll(); }
});
