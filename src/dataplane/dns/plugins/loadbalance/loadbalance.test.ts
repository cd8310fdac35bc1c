import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Answer } from 'dns-packet';
import { shuffleAddresses } from './index.js';
import { corefileHandler, rr } from '../../testutil.js';

const a = (ip: string): Answer => ({ name: 'x', type: 'A', ttl: 5, data: ip });

test('round_robin shuffles address records and keeps CNAMEs first', () => {
  const cname: Answer = { name: 'x', type: 'CNAME', ttl: 5, data: 'y' };
  const seq = [0.99, 0.0, 0.5];
  let i = 0;
  const out = shuffleAddresses([a('1.1.1.1'), cname, a('2.2.2.2'), a('3.3.3.3')], () => seq[i++ % seq.length]!);
  assert.equal(out[0], cname);
  assert.deepEqual(out.slice(1).map((x) => String((x as { data: string }).data)).sort(), ['1.1.1.1', '2.2.2.2', '3.3.3.3']);
  const one = [a('1.1.1.1')];
  assert.equal(shuffleAddresses(one, Math.random), one, 'one record: untouched');
});

test('loadbalance over a headless Service spreads the first answer', async () => {
  let n = 0;
  const h = corefileHandler('. {\n  loadbalance\n  kubernetes cluster.local\n}\n', { random: () => (n++ % 2 === 0 ? 0 : 0.99) });
  const firsts = new Set<string>();
  for (let i = 0; i < 4; i++) firsts.add(rr((await h.ask('hl.dns-a.svc.cluster.local')).answers![0]!));
  assert.ok(firsts.size > 1, [...firsts].join());
  assert.throws(() => corefileHandler('. {\n  loadbalance weighted /w\n}\n'), { message: /Wrong argument count/ });
  assert.throws(() => corefileHandler('. {\n  loadbalance random\n}\n'), { message: /unknown policy: random/ });
});
