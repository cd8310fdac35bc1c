import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corefileHandler } from '../../testutil.js';

test('process plugins fill the settings: reload, health, ready, prometheus (table)', () => {
  const cases: [string, object][] = [
    ['reload', { reload: { intervalMs: 30_000, jitterMs: 15_000 } }],
    ['reload 2s', { reload: { intervalMs: 2000, jitterMs: 1000 } }],
    ['reload 10s 1s', { reload: { intervalMs: 10_000, jitterMs: 1000 } }],
    ['reload 1m 45s', { reload: { intervalMs: 60_000, jitterMs: 30_000 } }],
    ['health :8091 {\n  lameduck 2s\n}', { health: { port: 8091, lameduckMs: 2000 } }],
    ['health', { health: { port: 8080, lameduckMs: 0 } }],
    ['ready :8282', { ready: { port: 8282 } }],
    ['prometheus 0.0.0.0:9253', { prometheus: { port: 9253 } }],
    ['loop\nminimal\nany', {}],
  ];
  for (const [body, want] of cases) assert.deepEqual(corefileHandler(`. {\n${body}\n}\n`).config.settings, want, body);
});

test('bad process plugin arguments fail', () => {
  for (const [body, want] of [
    ['reload 1s', /interval value must be greater or equal to 2s/],
    ['reload 10s 500ms', /jitter value must be greater or equal to 1s/],
    ['reload 2s 1s 1s', /Wrong argument count/],
    ['health nowhere', /missing port in address/],
    ['loop 1', /Wrong argument count/],
    ['minimal please', /Wrong argument count/],
  ] as const) assert.throws(() => corefileHandler(`. {\n${body}\n}\n`), { message: want }, body);
});
