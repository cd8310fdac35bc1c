import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Job } from '../../api/kinds/job.js';
import { expiresIn } from './controller.js';

const job = (ttl: number | undefined, done?: string): Job => ({
  metadata: { name: 'j' },
  spec: { template: {}, ...(ttl !== undefined ? { ttlSecondsAfterFinished: ttl } : {}) },
  status: done ? { conditions: [{ type: 'Complete', status: 'True', lastTransitionTime: done }] } : {},
});

test('a finished Job expires ttlSecondsAfterFinished after its Complete/Failed transition', () => {
  const t = Date.parse('2026-01-01T00:00:10Z');
  assert.equal(expiresIn(job(30, '2026-01-01T00:00:00Z'), t), 20_000);
  assert.equal(expiresIn(job(0, '2026-01-01T00:00:00Z'), t), 0);
  assert.equal(expiresIn(job(undefined, '2026-01-01T00:00:00Z'), t), undefined, 'no TTL: kept');
  assert.equal(expiresIn(job(30), t), undefined, 'not finished: kept');
});
