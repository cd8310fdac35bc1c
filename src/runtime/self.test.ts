import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { knetCommand, knetVersion } from './self.js';

test('knetCommand: knet when an executable knet is on PATH', () => {
  const d = mkdtempSync(join(tmpdir(), 'knet-self-'));
  writeFileSync(join(d, 'knet'), '#!/bin/sh\n');
  chmodSync(join(d, 'knet'), 0o755);
  assert.equal(knetCommand({ PATH: `/nonexistent:${d}` }, '/', '/opt/knet'), 'knet');
});

test('knetCommand: bin/knet relative to a cwd inside the checkout, else the absolute path', () => {
  const root = mkdtempSync(join(tmpdir(), 'knet-root-'));
  mkdirSync(join(root, 'docs'));
  assert.equal(knetCommand({ PATH: '/nonexistent' }, root, root), 'bin/knet');
  assert.equal(knetCommand({ PATH: '' }, join(root, 'bin'), root), './knet');
  assert.equal(knetCommand({ PATH: '' }, join(root, 'docs'), root), join(root, 'bin', 'knet'));
  assert.equal(knetCommand({ PATH: 'relative/dir' }, join(root, 'docs'), root), join(root, 'bin', 'knet'), 'relative PATH entries are ignored');
});

test('knetVersion reads package.json', () => {
  const root = mkdtempSync(join(tmpdir(), 'knet-ver-'));
  writeFileSync(join(root, 'package.json'), '{"version":"1.2.3"}');
  assert.equal(knetVersion(root), '1.2.3');
});
