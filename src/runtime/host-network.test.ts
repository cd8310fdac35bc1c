import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeHostNetwork, hostNetwork, hostNetworkFile, readHostNetworkIndex, recordHostNetworkIndex } from './host-network.js';

test('block 0 is the addresses a lone knet always had; block N moves the third octet', () => {
  assert.deepEqual(hostNetwork(0, 2), { index: 0, nodeIPs: ['127.1.0.1', '127.1.0.2'], loadBalancerPool: '127.240.0.0/24' });
  assert.deepEqual(hostNetwork(12, 3), { index: 12, nodeIPs: ['127.1.12.1', '127.1.12.2', '127.1.12.3'], loadBalancerPool: '127.240.12.0/24' });
  assert.equal(describeHostNetwork(hostNetwork(1, 1)), 'block 1: node IP 127.1.1.1; load balancer pool 127.240.1.0/24');
  assert.equal(describeHostNetwork(hostNetwork(2, 2)), 'block 2: node IPs 127.1.2.1, 127.1.2.2; load balancer pool 127.240.2.0/24');
  assert.equal(describeHostNetwork(hostNetwork(0, 10)), 'block 0: node IPs 127.1.0.1 … 127.1.0.10 (10 nodes); load balancer pool 127.240.0.0/24');
});

test('a data dir records its block; a missing or garbled record means none', () => {
  const dir = mkdtempSync(join(tmpdir(), 'knet-hostnet-'));
  assert.equal(readHostNetworkIndex(dir), undefined);
  recordHostNetworkIndex(dir, 9);
  assert.equal(readHostNetworkIndex(dir), 9);
  for (const bad of ['{', '{"index":256}', '{"index":-1}', '{"index":"3"}', '{"index":1.5}']) {
    writeFileSync(hostNetworkFile(dir), bad);
    assert.equal(readHostNetworkIndex(dir), undefined, bad);
  }
  rmSync(dir, { recursive: true, force: true });
});
