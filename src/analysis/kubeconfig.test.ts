// Reading kubeconfigs as kubectl does (client-go clientcmd loading rules): --kubeconfig alone, else
// $KUBECONFIG merged with the first file winning, else ~/.kube/config; relative paths resolve against
// the file that names them; errors are worded as kubectl words them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { stringify } from 'yaml';
import { resolveClusterAccess } from './kubeconfig.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'knet-kubeconfig-'));
}

function config(o: { clusters?: [string, object][]; users?: [string, object][]; contexts?: [string, object][]; current?: string }): string {
  return stringify({
    apiVersion: 'v1', kind: 'Config',
    clusters: (o.clusters ?? []).map(([name, cluster]) => ({ name, cluster })),
    users: (o.users ?? []).map(([name, user]) => ({ name, user })),
    contexts: (o.contexts ?? []).map(([name, context]) => ({ name, context })),
    'current-context': o.current ?? '',
  });
}

test('the current context: server, CA data, client certificate data, the context namespace', () => {
  const dir = tmp(), f = join(dir, 'config');
  writeFileSync(f, config({
    clusters: [['kind-a', { server: 'https://127.0.0.1:6443', 'certificate-authority-data': b64('CA') }]],
    users: [['kind-a', { 'client-certificate-data': b64('CERT'), 'client-key-data': b64('KEY') }]],
    contexts: [['kind-a', { cluster: 'kind-a', user: 'kind-a', namespace: 'shop' }]], current: 'kind-a',
  }));
  const a = resolveClusterAccess({ kubeconfig: f });
  assert.deepEqual([a.context, a.cluster, a.user, a.namespace, a.server], ['kind-a', 'kind-a', 'kind-a', 'shop', 'https://127.0.0.1:6443']);
  assert.deepEqual([a.ca?.toString(), a.cert?.toString(), a.key?.toString(), a.token, a.insecureSkipTLSVerify], ['CA', 'CERT', 'KEY', undefined, false]);
});

test('$KUBECONFIG: files merged, the first to name an entry or set current-context wins, missing files skipped', () => {
  const dir = tmp();
  mkdirSync(join(dir, 'certs'));
  writeFileSync(join(dir, 'certs', 'ca.crt'), 'FILE-CA');
  writeFileSync(join(dir, 'certs', 'token'), 'tok-from-file\n');
  writeFileSync(join(dir, 'one'), config({
    clusters: [['c', { server: 'https://one:443', 'certificate-authority': 'certs/ca.crt', 'tls-server-name': 'kubernetes' }]],
    contexts: [['first', { cluster: 'c', user: 'u' }]], current: 'first',
  }));
  writeFileSync(join(dir, 'two'), config({
    clusters: [['c', { server: 'https://two:443' }], ['d', { server: 'https://d:443', 'insecure-skip-tls-verify': true }]],
    users: [['u', { tokenFile: 'certs/token' }], ['v', { token: 'inline', username: 'ignored' }]],
    contexts: [['second', { cluster: 'd', user: 'v' }]], current: 'second',
  }));
  const env = { KUBECONFIG: [join(dir, 'missing'), join(dir, 'one'), join(dir, 'two')].join(delimiter) };
  const a = resolveClusterAccess({ env });
  assert.deepEqual([a.context, a.server, a.ca?.toString(), a.token, a.tlsServerName], ['first', 'https://one:443', 'FILE-CA', 'tok-from-file', 'kubernetes']);
  const b = resolveClusterAccess({ env, context: 'second' });
  assert.deepEqual([b.server, b.insecureSkipTLSVerify, b.token, b.ca], ['https://d:443', true, 'inline', undefined]);
  const c = resolveClusterAccess({ env, kubeconfig: join(dir, 'two') });
  assert.equal(c.context, 'second', '--kubeconfig alone: its own current-context');
});

test('~/.kube/config when $KUBECONFIG is unset; an exec plugin is read with its env and a command relative to the file', () => {
  const home = tmp();
  mkdirSync(join(home, '.kube'));
  writeFileSync(join(home, '.kube', 'config'), config({
    clusters: [['eks', { server: 'https://eks.example:443' }]],
    users: [['eks', { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: './bin/token', args: ['--cluster', 'x'], env: [{ name: 'AWS_PROFILE', value: 'dev' }] } }]],
    contexts: [['eks', { cluster: 'eks', user: 'eks' }]], current: 'eks',
  }));
  const a = resolveClusterAccess({ env: {}, home });
  assert.deepEqual(a.exec, {
    command: join(home, '.kube', 'bin', 'token'), args: ['--cluster', 'x'], env: [{ name: 'AWS_PROFILE', value: 'dev' }],
    apiVersion: 'client.authentication.k8s.io/v1beta1', provideClusterInfo: false,
  });
});

test('errors: missing file, unknown context, no context, broken YAML, dangling cluster or user, no kubeconfig at all', () => {
  const dir = tmp(), f = join(dir, 'config');
  assert.throws(() => resolveClusterAccess({ kubeconfig: join(dir, 'nope') }), { message: `stat ${join(dir, 'nope')}: no such file or directory` });
  writeFileSync(f, config({ clusters: [['c', { server: 'https://x' }]], contexts: [['a', { cluster: 'c' }], ['b', { cluster: 'gone' }], ['u', { cluster: 'c', user: 'who' }]] }));
  // kubectl 1.32: "error: context was not found for specified context: nope".
  assert.throws(() => resolveClusterAccess({ kubeconfig: f, context: 'nope' }), { message: 'context was not found for specified context: nope' });
  assert.throws(() => resolveClusterAccess({ kubeconfig: f }), { message: `no context chosen: current-context is not set in ${f}; pass --context NAME` });
  assert.throws(() => resolveClusterAccess({ kubeconfig: f, context: 'b' }), { message: 'cluster "gone" of context "b" was not found in the kubeconfig' });
  assert.throws(() => resolveClusterAccess({ kubeconfig: f, context: 'u' }), { message: 'user "who" of context "u" was not found in the kubeconfig' });
  assert.equal(resolveClusterAccess({ kubeconfig: f, context: 'a' }).user, '', 'a context without a user is anonymous');
  writeFileSync(f, 'clusters: [\n');
  assert.throws(() => resolveClusterAccess({ kubeconfig: f }), { message: new RegExp(`^error loading config file "${f}": `) });
  assert.throws(() => resolveClusterAccess({ env: {}, home: dir }), { message: `no kubeconfig found at ${join(dir, '.kube', 'config')}; pass --kubeconfig FILE` });
});
