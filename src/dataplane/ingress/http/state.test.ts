import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultGlobalConfig } from '../defaults.js';
import { Balancer } from './balancer.js';
import { Cidrs } from './cidrs.js';
import { Limiter } from './limits.js';
import type { Exchange } from './exchange.js';
import { location, server, table, upstream } from './testing.js';

const fakeCert = { source: 'fake', context: {} as never };

test('round-robin positions are dropped when their upstream leaves the table', () => {
  const up = upstream('web', [{ ip: '10.0.0.1', port: 80 }, { ip: '10.0.0.2', port: 80 }]);
  const b = new Balancer(() => 0, () => 0);
  assert.equal(b.endpoint(up)?.ip, '10.0.0.1');
  b.prune(table([server('example.com', [location('/', up)])], fakeCert));
  assert.equal(b.endpoint(up)?.ip, '10.0.0.2', 'kept while the table has the upstream');
  b.prune(table([], fakeCert));
  assert.equal(b.endpoint(up)?.ip, '10.0.0.1', 'forgotten once it is gone: starts again at the random one');
});

test('limit zones are dropped when their Ingress no longer has limits in the table', () => {
  const limits = { rps: 1, burstMultiplier: 0, allowlist: [], reqStatusCode: 503, connStatusCode: 503 };
  const loc = location('/', upstream('web', []), { limits });
  const l = new Limiter(() => 1000, new Cidrs());
  const statuses: number[] = [];
  const check = (): boolean => l.check({
    location: loc, clientIp: '10.1.1.1', answered: false, headers: [], https: false, global: defaultGlobalConfig(),
    res: { once: () => undefined, writeHead: (status: number) => statuses.push(status), end: () => undefined },
    req: { httpVersionMajor: 2, method: 'GET', headers: {} },
  } as unknown as Exchange);
  assert.equal(check(), false);
  assert.equal(check(), true, 'the second request in the same millisecond is over the rate');
  l.prune(table([server('example.com', [loc])], fakeCert));
  assert.equal(check(), true, 'the zone survives a table that still limits the Ingress');
  l.prune(table([], fakeCert));
  assert.equal(check(), false, 'a fresh zone after the Ingress was gone');
  assert.deepEqual(statuses, [503, 503]);
});
