import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { ConnectionBudget, LIMIT_REPORT_INTERVAL_MS, OWN_DESCRIPTORS, apiServerReserve, describeLimitHit, planDescriptors, type LimitHit } from './budget.js';

/** A stand-in socket that closes when told. */
const sock = (): EventEmitter & { close(): void } => Object.assign(new EventEmitter(), { close(this: EventEmitter) { this.emit('close'); } });

test('a plan keeps the API server its reserve: the data plane never takes it, whatever the listeners hold', () => {
  const p = planDescriptors(256, 24);
  const free = 256 - 24 - OWN_DESCRIPTORS;
  assert.equal(apiServerReserve(256), 64);
  assert.equal(p.dataPlane, free - 64);
  assert.equal(p.perListener, Math.floor(p.dataPlane / 4));
  assert.ok(p.dataPlane + 64 <= free, 'data plane + reserve fit in what is free');
  assert.ok(p.apiServer >= 64 && p.apiServer <= free);
  const big = planDescriptors(1_048_576, 40);
  assert.equal(apiServerReserve(1_048_576), 1024, 'the reserve is at most 1024');
  assert.equal(big.dataPlane, 1_048_576 - 40 - OWN_DESCRIPTORS - 1024);
  const tiny = planDescriptors(64, 30);
  assert.ok(tiny.dataPlane >= 8 && tiny.perListener >= 8 && tiny.apiServer >= 8, 'never below the minimum');
});

test('a gate admits up to its cap, refuses more, and admits again once one closes', () => {
  const budget = new ConnectionBudget({ limit: 1000, inUse: 0, apiServer: 100, dataPlane: 100, perListener: 3 });
  const hits: LimitHit[] = [];
  const g = budget.gate((h) => hits.push(h));
  const socks = [sock(), sock(), sock()];
  for (const s of socks) assert.equal(g.admit(s), true);
  assert.equal(g.admit(sock()), false);
  assert.equal(g.open, 3);
  assert.equal(budget.open, 3);
  assert.deepEqual(hits, [{ scope: 'listener', cap: 3, refused: 1 }]);
  socks[0]!.close();
  assert.equal(g.open, 2);
  assert.equal(budget.open, 2);
  assert.equal(g.admit(sock()), true);
});

test('the shared pool caps all gates together; refusals are reported at most once a minute, with the count since', () => {
  let now = 0;
  const budget = new ConnectionBudget({ limit: 1000, inUse: 0, apiServer: 100, dataPlane: 4, perListener: 3 }, () => now);
  const hits: LimitHit[] = [];
  const a = budget.gate((h) => hits.push(h));
  const b = budget.gate((h) => hits.push(h));
  for (let i = 0; i < 3; i++) assert.equal(a.admit(sock()), true);
  assert.equal(b.admit(sock()), true);
  assert.equal(budget.full, true);
  assert.equal(b.admit(sock()), false, 'b is under its own cap but the pool is full');
  assert.equal(b.admit(sock()), false);
  assert.deepEqual(hits, [{ scope: 'data plane', cap: 4, refused: 1 }], 'told once');
  now += LIMIT_REPORT_INTERVAL_MS;
  assert.equal(b.admit(sock()), false);
  assert.deepEqual(hits.at(-1), { scope: 'data plane', cap: 4, refused: 2 }, 'the next report counts the refusals since the last');
  assert.match(describeLimitHit('nodePort 30080', hits[0]!), /^nodePort 30080: refusing new connections: the host listeners hold 4 connections, all the descriptors they may use \(the rest are kept for the API server\); 1 refused since the last such message \(raise the open-files limit, ulimit -n, to allow more\)$/);
});
