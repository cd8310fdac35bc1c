// Unit tests: the kubelet-managed /etc/hosts and /etc/resolv.conf (per dnsPolicy/dnsConfig).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostsFile, resolvConf } from './files.js';
import type { KObject } from '../../api/meta.js';

const dns = { clusterDNS: '10.96.0.10', clusterDomain: 'cluster.local' };
const pod = (spec: Record<string, unknown>): KObject => ({ metadata: { name: 'web-1', namespace: 'shop' }, spec });

test('ClusterFirst: cluster DNS, the namespace search path and ndots:5', () => {
  assert.equal(resolvConf(pod({}), dns), 'search shop.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
});

test('None with dnsConfig uses only the given settings; dnsConfig options override by name', () => {
  assert.equal(resolvConf(pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['8.8.8.8'], searches: ['example.com'], options: [{ name: 'ndots', value: '5' }] } }), dns),
    'search example.com\nnameserver 8.8.8.8\noptions ndots:5\n');
  assert.equal(resolvConf(pod({ dnsConfig: { options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] } }), dns),
    'search shop.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:2 edns0\n');
});

test('hosts: localhost entries, the pod FQDN with hostname+subdomain, and HostAliases', () => {
  const h = hostsFile(pod({ hostname: 'db-0', subdomain: 'db', hostAliases: [{ ip: '1.2.3.4', hostnames: ['foo', 'bar'] }] }), '10.244.0.5', dns);
  assert.match(h, /^# Kubernetes-managed hosts file\.\n127\.0\.0\.1\tlocalhost\n/);
  assert.match(h, /\n10\.244\.0\.5\tdb-0\.db\.shop\.svc\.cluster\.local\tdb-0\n/);
  assert.match(h, /\n# Entries added by HostAliases\.\n1\.2\.3\.4\tfoo\tbar\n$/);
  assert.match(hostsFile(pod({}), '10.244.0.6', dns), /\n10\.244\.0\.6\tweb-1\n$/);
});
