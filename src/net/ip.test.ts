import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cidrContains, formatIPv4, IPAllocator, isIPv4, nthAddress, parseCIDR, parseIPv4 } from './ip.js';

test('parse and format IPv4', () => {
  assert.equal(parseIPv4('10.244.1.5'), 0x0af40105);
  assert.equal(formatIPv4(0x0af40105), '10.244.1.5');
  assert.equal(formatIPv4(parseIPv4('255.255.255.255') ?? 0), '255.255.255.255');
  for (const bad of ['1.2.3', '1.2.3.256', '01.2.3.4', 'a.b.c.d', '1.2.3.4.5', '']) assert.equal(isIPv4(bad), false, bad);
});

test('CIDR parsing, containment and nth address', () => {
  assert.deepEqual(parseCIDR('10.96.5.7/12'), { network: parseIPv4('10.96.0.0'), prefix: 12, size: 1 << 20 });
  assert.throws(() => parseCIDR('10.0.0.0/33'), RangeError);
  assert.ok(cidrContains('10.244.1.0/24', '10.244.1.255'));
  assert.ok(!cidrContains('10.244.1.0/24', '10.244.2.0'));
  assert.equal(nthAddress('10.96.0.0/12', 10), '10.96.0.10');
  assert.equal(nthAddress('10.244.3.0/24', -1), '10.244.3.255');
  assert.throws(() => nthAddress('10.244.3.0/24', 256), RangeError);
});

test('IPAllocator hands out addresses sequentially, skipping network, broadcast and reserved', () => {
  const a = new IPAllocator('10.244.1.0/29', ['10.244.1.1']);
  assert.equal(a.free, 5);
  assert.equal(a.allocate(), '10.244.1.2');
  assert.equal(a.allocate(), '10.244.1.3');
  assert.equal(a.allocate('10.244.1.6'), '10.244.1.6');
  assert.throws(() => a.allocate('10.244.1.6'), /already allocated/);
  assert.throws(() => a.allocate('10.244.1.7'), /not in the range/);
  assert.throws(() => a.allocate('10.244.2.2'), /not in the range/);
  assert.ok(a.has('10.244.1.2'));
  a.release('10.244.1.2');
  assert.ok(!a.has('10.244.1.2'));
  assert.equal(a.allocate(), '10.244.1.4');
  assert.equal(a.allocate(), '10.244.1.5');
  assert.equal(a.allocate(), '10.244.1.2');
  assert.throws(() => a.allocate(), /full/);
});

test('IPAllocator random mode stays within the block', () => {
  let x = 0.37;
  const a = new IPAllocator('10.96.0.0/12', ['10.96.0.1', '10.96.0.10'], { mode: 'random', random: () => (x = (x * 7.13) % 1) });
  const seen = new Set<string>();
  for (let i = 0; i < 1000; i++) {
    const ip = a.allocate();
    assert.ok(cidrContains('10.96.0.0/12', ip) && ip !== '10.96.0.0' && ip !== '10.111.255.255');
    assert.ok(!seen.has(ip));
    seen.add(ip);
  }
  assert.equal(a.free, (1 << 20) - 2 - 2 - 1000);
});
