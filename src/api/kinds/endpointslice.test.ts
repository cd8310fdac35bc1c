import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldError } from '../errors.js';
import { endpointSliceDef, type EndpointSlice } from './endpointslice.js';

const slice = (o: Record<string, unknown>): EndpointSlice => ({ metadata: { name: 'web-abc12', namespace: 'default' }, ...o } as EndpointSlice);
const validate = (s: EndpointSlice) => (endpointSliceDef.validate?.(s, { operation: 'create' }) ?? []).map(formatFieldError);

test('ports default to name "" and protocol TCP', () => {
  const s = slice({ addressType: 'IPv4', endpoints: [{ addresses: ['10.244.0.5'], conditions: { ready: true } }], ports: [{ port: 80 }] });
  endpointSliceDef.default?.(s);
  assert.deepEqual(s.ports, [{ port: 80, name: '', protocol: 'TCP' }]);
  assert.deepEqual(validate(s), []);
});

test('validation: addressType enum, addresses, too many endpoints', () => {
  assert.deepEqual(validate(slice({ addressType: 'IP', endpoints: [] })), ['addressType: Unsupported value: "IP": supported values: "FQDN", "IPv4", "IPv6"']);
  assert.deepEqual(validate(slice({ addressType: 'IPv4', endpoints: [{ addresses: [] }, { addresses: ['fd00::1'] }] })), [
    'endpoints[0].addresses: Required value: must contain at least 1 address',
    'endpoints[1].addresses[0]: Invalid value: "fd00::1": must be a valid IPv4 address',
  ]);
  const many = Array.from({ length: 1001 }, () => ({ addresses: ['10.0.0.1'] }));
  assert.deepEqual(validate(slice({ addressType: 'IPv4', endpoints: many })), ['endpoints: Too many: 1001: must have at most 1000 items']);
  assert.deepEqual(validate(slice({ addressType: 'FQDN', endpoints: [{ addresses: ['db'] }] })),
    ['endpoints[0].addresses[0]: Invalid value: "db": should be a domain with at least two segments separated by dots']);
});

test('printer: Name, AddressType, Ports, Endpoints, Age', () => {
  const now = new Date('2024-01-01T00:01:00Z');
  const s = slice({ addressType: 'IPv4', endpoints: ['1', '2', '3', '4', '5'].map((n) => ({ addresses: [`10.244.0.${n}`] })),
    ports: [{ port: 80, name: 'http', protocol: 'TCP' }, { port: 443, name: 'https', protocol: 'TCP' }] });
  s.metadata.creationTimestamp = '2024-01-01T00:00:00Z';
  assert.deepEqual(endpointSliceDef.row(s, now), ['web-abc12', 'IPv4', '80,443', '10.244.0.1,10.244.0.2,10.244.0.3 + 2 more...', '60s']);
  assert.deepEqual(endpointSliceDef.row(slice({ addressType: 'IPv4', endpoints: [] }), now).slice(2, 4), ['<unset>', '<unset>']);
});
