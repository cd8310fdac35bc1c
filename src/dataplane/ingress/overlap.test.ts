// ingress-nginx's overlap check (IN:internal/ingress/controller/controller.go checkOverlap) as its
// admission webhook words it: `host "_" and path "/pay" is already defined in ingress app/wear`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Ingress } from '../../api/kinds/ingress.js';
import { overlapError } from './overlap.js';

const ing = (ns: string, name: string, host: string | undefined, path: string | undefined, annotations?: Record<string, string>): Ingress => ({
  metadata: { namespace: ns, name, ...(annotations ? { annotations } : {}) },
  spec: { rules: [{ ...(host ? { host } : {}), http: { paths: [{ ...(path ? { path } : {}), pathType: 'Prefix', backend: { service: { name: 's', port: { number: 80 } } } }] } }] },
});

test('a host and path another Ingress serves is refused; no host is "_", no path "/"', () => {
  const served = [ing('app', 'wear', undefined, '/pay'), ing('app', 'root', 'x.example.com', undefined)];
  assert.equal(overlapError(ing('crit', 'pay', undefined, '/pay'), served), 'host "_" and path "/pay" is already defined in ingress app/wear');
  assert.equal(overlapError(ing('crit', 'pay', 'x.example.com', '/'), served), 'host "x.example.com" and path "/" is already defined in ingress app/root');
  assert.equal(overlapError(ing('crit', 'pay', 'y.example.com', '/pay'), served), undefined, 'another host');
  assert.equal(overlapError(ing('app', 'wear', undefined, '/pay'), served), undefined, 'the same Ingress updated');
});

test('a canary beside its main Ingress is allowed; two canaries overlap', () => {
  const served = [ing('a', 'main', 'x', '/')];
  const canary = { 'nginx.ingress.kubernetes.io/canary': 'true' };
  assert.equal(overlapError(ing('a', 'c1', 'x', '/', canary), served), undefined);
  assert.match(overlapError(ing('a', 'c2', 'x', '/', canary), [...served, ing('a', 'c1', 'x', '/', canary)]) ?? '', /already defined in ingress a\/c1/);
});
