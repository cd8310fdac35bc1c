import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldError } from '../errors.js';
import { endpointsDef, endpointsDeprecationWarning, type Endpoints } from './endpoints.js';

const ep = (subsets: unknown): Endpoints => ({ metadata: { name: 'external-db', namespace: 'default' }, subsets } as Endpoints);
const validate = (e: Endpoints) => (endpointsDef.validate?.(e, { operation: 'create' }) ?? []).map(formatFieldError);

test('seed manual Endpoints default the port protocol and validate', () => {
  const e = ep([{ addresses: [{ ip: '192.168.1.1' }], ports: [{ port: 5432 }] }]);
  endpointsDef.default?.(e);
  assert.deepEqual(e.subsets, [{ addresses: [{ ip: '192.168.1.1' }], ports: [{ port: 5432, protocol: 'TCP' }] }]);
  assert.deepEqual(validate(e), []);
});

test('validation messages for addresses and ports', () => {
  assert.deepEqual(validate(ep([{ ports: [{ port: 80, protocol: 'TCP' }] }])), ['subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`']);
  assert.deepEqual(validate(ep([{ addresses: [{ ip: '127.0.0.1' }, { ip: 'nope' }], ports: [{ port: 80, protocol: 'TCP' }, { port: 70000, protocol: 'TCP' }] }])), [
    'subsets[0].addresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
    'subsets[0].addresses[1].ip: Invalid value: "nope": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    'subsets[0].addresses[1].ip: Invalid value: "nope": must be a valid IP address',
    'subsets[0].ports[0].name: Required value',
    'subsets[0].ports[1].name: Required value',
    'subsets[0].ports[1].port: Invalid value: 70000: must be between 1 and 65535, inclusive',
  ]);
});

test('printer: first three ip:port pairs, then + N more, <none> without subsets', () => {
  const now = new Date('2024-01-01T00:15:00Z');
  const ips = ['10.244.0.5', '10.244.0.6', '10.244.0.7', '10.244.0.8', 'fd00::1'];
  const e = ep([{ addresses: ips.map((ip) => ({ ip })), ports: [{ port: 80, protocol: 'TCP' }] }]);
  e.metadata.creationTimestamp = '2024-01-01T00:00:00Z';
  assert.deepEqual(endpointsDef.row(e, now), ['external-db', '10.244.0.5:80,10.244.0.6:80,10.244.0.7:80 + 2 more...', '15m']);
  assert.equal(endpointsDef.row(ep([{ addresses: [{ ip: 'fd00::1' }], ports: [{ port: 80 }] }]), now)[1], '[fd00::1]:80');
  assert.equal(endpointsDef.row(ep([{ addresses: [{ ip: '10.0.0.1' }] }]), now)[1], '10.0.0.1');
  assert.equal(endpointsDef.row(ep(undefined), now)[1], '<none>');
  assert.equal(endpointsDeprecationWarning, 'v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice');
});
