import { test } from 'node:test';
import assert from 'node:assert/strict';
import { format } from 'node:util';
import { errors, StatusError } from '../api/errors.js';
import { logReconcileError, WorkQueue } from './workqueue.js';

/** What console.error printed while `fn` ran. */
async function stderrOf(fn: () => unknown): Promise<string[]> {
  const lines: string[] = [];
  const orig = console.error;
  console.error = (...args: unknown[]) => { lines.push(format(...args)); };
  try { await fn(); } finally { console.error = orig; }
  return lines;
}

test('expected reconcile failures are one log line; conflicts are quiet; internal errors keep their stack', async () => {
  const terminating = new StatusError({
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 403, reason: 'Forbidden',
    message: 'pods "web-1" is forbidden: unable to create new content in namespace shop because it is being terminated',
    details: { name: 'web-1', kind: 'pods', causes: [{ reason: 'NamespaceTerminating', message: 'namespace shop is being terminated', field: 'metadata.namespace' }] },
  });
  let out = await stderrOf(() => logReconcileError('shop/web', terminating));
  assert.deepEqual(out, ['knet: reconcile shop/web: pods "web-1" is forbidden: unable to create new content in namespace shop because it is being terminated']);
  out = await stderrOf(() => logReconcileError('shop/web', errors.notFound('pods', 'web-1')));
  assert.deepEqual(out, ['knet: reconcile shop/web: pods "web-1" not found']);
  out = await stderrOf(() => logReconcileError('shop/web', errors.conflict('replicasets', 'web-1', 'the object has been modified; please apply your changes to the latest version and try again', 'apps')));
  assert.deepEqual(out, []);
  out = await stderrOf(() => logReconcileError('shop/web', new TypeError('x is undefined')));
  assert.equal(out.length, 1);
  assert.match(out[0]!, /^knet: reconcile shop\/web: TypeError: x is undefined\n\s+at /, 'a bug keeps its stack trace');
});

test('a WorkQueue without its own reporter logs the same way', async () => {
  const out = await stderrOf(async () => {
    const q = new WorkQueue(() => Promise.reject(errors.notFound('endpoints', 'web')));
    q.add('shop/web');
    await new Promise((r) => setImmediate(r));
    q.stop();
  });
  assert.deepEqual(out, ['knet: reconcile shop/web: endpoints "web" not found']);
});
