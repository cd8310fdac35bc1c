import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { removeFromKubeconfig, writeKubeconfig } from './kubeconfig.js';
import type { Pki } from '../apiserver/pki.js';

const pki = { caCert: 'CA', adminCert: 'CERT', adminKey: 'KEY' } as Pki;
const current = (p: string) => (parse(readFileSync(p, 'utf8')) as { 'current-context': string })['current-context'];
const userConfig = `apiVersion: v1
kind: Config
clusters: [{ name: kind-kind, cluster: { server: https://127.0.0.1:1 } }]
users: [{ name: kind-kind, user: {} }]
contexts: [{ name: kind-kind, context: { cluster: kind-kind, user: kind-kind } }]
current-context: kind-kind
`;

test('up then down of a merged context gives the user their current context back', () => {
  const p = join(mkdtempSync(join(tmpdir(), 'knet-kc-')), 'config');
  writeFileSync(p, userConfig);
  const previous = writeKubeconfig(p, 'knet', 'https://127.0.0.1:6443', pki);
  assert.equal(previous, 'kind-kind');
  assert.equal(current(p), 'knet');
  removeFromKubeconfig(p, 'knet', previous);
  assert.equal(current(p), 'kind-kind');
  assert.deepEqual((parse(readFileSync(p, 'utf8')) as { contexts: { name: string }[] }).contexts.map((c) => c.name), ['kind-kind']);
});

test('down leaves no current context when the previous one is gone, and keeps another the user chose since', () => {
  const p = join(mkdtempSync(join(tmpdir(), 'knet-kc-')), 'config');
  writeFileSync(p, userConfig);
  const previous = writeKubeconfig(p, 'knet', 'https://127.0.0.1:6443', pki);
  removeFromKubeconfig(p, 'kind-kind');
  removeFromKubeconfig(p, 'knet', previous);
  assert.equal(current(p), '');
  writeFileSync(p, userConfig);
  writeKubeconfig(p, 'knet', 'https://127.0.0.1:6443', pki);
  writeKubeconfig(p, 'other', 'https://127.0.0.1:6444', pki); // the user switched meanwhile
  removeFromKubeconfig(p, 'knet', 'kind-kind');
  assert.equal(current(p), 'other');
});

test('a fresh kubeconfig has no previous context', () => {
  const p = join(mkdtempSync(join(tmpdir(), 'knet-kc-')), 'config');
  assert.equal(writeKubeconfig(p, 'knet', 'https://127.0.0.1:6443', pki), undefined);
  assert.equal(writeKubeconfig(p, 'knet', 'https://127.0.0.1:6443', pki), undefined, 'its own context is not a previous one');
});
