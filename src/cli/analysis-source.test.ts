// The analysis commands take their objects from exactly one source, and say in one line how to fix
// a missing one; bad input exits 2 with `error: <message>`.
import { test } from 'node:test';
import { knetCommand } from '../runtime/self.js';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SnapshotError } from '../analysis/snapshot.js';
import { checkOneSource, loadSource, runAnalysis } from './analysis-source.js';

test('one source only: -f, --kubeconfig/--context, or --data-dir', () => {
  assert.doesNotThrow(() => checkOneSource({ kubeconfig: 'k', context: 'c' }));
  assert.throws(() => checkOneSource({ file: 'd', context: 'c' }), { message: 'take the objects from one source: -f or --kubeconfig/--context, not both' });
  assert.throws(() => checkOneSource({ file: 'd', dataDir: '/x' }), /-f or --data-dir, not both/);
});

test('no knet runs for the data dir: one line naming the data dir and the fixes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'knet-nodir-'));
  await assert.rejects(loadSource({ dataDir: dir }), {
    name: 'SnapshotError',
    message: `knet is not running (data dir ${dir}): start it with ${knetCommand()} up, or read manifests with -f DIR_OR_FILE or a cluster with --kubeconfig FILE`,
  });
});

test('runAnalysis: bad input is exit 2 with error: <message> on stderr; other failures are not hidden', async () => {
  const lines: string[] = [];
  const orig = console.error;
  console.error = (l: string) => { lines.push(l); };
  try {
    assert.equal(await runAnalysis(() => Promise.reject(new SnapshotError('x.yaml:3: bad'))), 2);
    assert.equal(await runAnalysis(() => Promise.resolve(1)), 1);
  } finally {
    console.error = orig;
  }
  assert.deepEqual(lines, ['error: x.yaml:3: bad']);
  await assert.rejects(runAnalysis(() => Promise.reject(new TypeError('bug'))), TypeError);
});
