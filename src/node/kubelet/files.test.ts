// Unit tests: the kubelet-managed /etc/hosts and /etc/resolv.conf (per dnsPolicy/dnsConfig).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostsFile, resolvConf, unmountableVolume, volumeFiles } from './files.js';
import type { Client } from '../../client/client.js';
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

/** A pod with the `kube-api-access` projected volume the ServiceAccount admission adds (its shape). */
const apiAccessPod = (extra: Record<string, unknown>[] = []): KObject => pod({ volumes: [{ name: 'kube-api-access-x7k2p', projected: { defaultMode: 420, sources: [
  { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
  { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
  { downwardAPI: { items: [{ fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' }, path: 'namespace' }] } },
  ...extra,
] } }] });
const clientWith = (objs: Record<string, KObject>): Client => ({ peek: (ref: { resource: string }, ns: string, name: string) => objs[`${ref.resource}/${ns}/${name}`] }) as unknown as Client;
const rootCA = { 'configmaps/shop/kube-root-ca.crt': { metadata: { name: 'kube-root-ca.crt' }, data: { 'ca.crt': 'PEM' } } };

test('a projected kube-api-access volume whose token cannot be minted or whose CA ConfigMap is missing is unmountable (FailedMount), as upstream', () => {
  const token = (): string => 'jwt';
  const noSA = (): string => { throw new Error('serviceaccounts "default" not found'); };
  assert.equal(unmountableVolume(clientWith(rootCA), apiAccessPod(), noSA), 'MountVolume.SetUp failed for volume "kube-api-access-x7k2p" : failed to fetch token: serviceaccounts "default" not found');
  assert.equal(unmountableVolume(clientWith({}), apiAccessPod(), token), 'MountVolume.SetUp failed for volume "kube-api-access-x7k2p" : configmap "kube-root-ca.crt" not found');
  assert.equal(unmountableVolume(clientWith(rootCA), apiAccessPod([{ secret: { name: 'extra' } }]), token), 'MountVolume.SetUp failed for volume "kube-api-access-x7k2p" : secret "extra" not found');
  assert.equal(unmountableVolume(clientWith(rootCA), apiAccessPod([{ secret: { name: 'extra', optional: true } }]), token), undefined);
  const files = volumeFiles(clientWith(rootCA), apiAccessPod(), (apiAccessPod().spec as { volumes: Record<string, unknown>[] }).volumes[0]!, token);
  assert.deepEqual(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, String(v)])), { token: 'jwt', 'ca.crt': 'PEM', namespace: 'shop' });
});
