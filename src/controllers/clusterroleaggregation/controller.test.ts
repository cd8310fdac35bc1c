import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregateRules } from './controller.js';
import type { Role } from '../../api/kinds/rbac-schema.js';

const role = (name: string, labels: Record<string, string>, rules: Role['rules'], aggregationRule?: Role['aggregationRule']): Role =>
  ({ metadata: { name, labels }, rules, ...(aggregationRule ? { aggregationRule } : {}) }) as Role;

test('aggregated rules come from the selected roles in name order, without duplicates or the role itself', () => {
  const r1 = { verbs: ['get'], apiGroups: [''], resources: ['pods'] };
  const r2 = { verbs: ['list'], apiGroups: [''], resources: ['pods'] };
  const agg = role('monitoring', {}, [], { clusterRoleSelectors: [{ matchLabels: { 'example.com/monitoring': 'true' } }] });
  const all = [agg, role('b', { 'example.com/monitoring': 'true' }, [r2, r1]), role('a', { 'example.com/monitoring': 'true' }, [r1]), role('c', {}, [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }])];
  assert.deepEqual(aggregateRules(agg, all), [r1, r2]);
});
