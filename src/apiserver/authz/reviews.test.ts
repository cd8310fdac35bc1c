import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore } from '../../store/memory.js';
import { reviewKinds } from '../../api/kinds/authorization.js';
import { RbacAuthorizer } from './rbac.js';
import { answerReview } from './reviews.js';

const def = (kind: string) => reviewKinds.find((d) => d.kind === kind)!;
const admin = { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };

test('access reviews: the decision for the caller or a named subject, and upstream validation', () => {
  const authz = new RbacAuthorizer(new MemoryStore());
  const spec = { resourceAttributes: { verb: 'create', resource: 'pods', namespace: 'default' } };
  const self = answerReview(authz, def('SelfSubjectAccessReview'), { metadata: {}, spec }, '', admin);
  assert.deepEqual(self['status'], { allowed: true });
  const sar = answerReview(authz, def('SubjectAccessReview'), { metadata: {}, spec: { ...spec, user: 'jane' } }, '', admin);
  assert.deepEqual(sar['status'], { allowed: false });
  assert.throws(() => answerReview(authz, def('SelfSubjectAccessReview'), { metadata: {}, spec: {} }, '', admin),
    /SelfSubjectAccessReview\.authorization\.k8s\.io "" is invalid: spec\.resourceAttributes: Invalid value: null: exactly one of nonResourceAttributes or resourceAttributes must be specified/);
  assert.throws(() => answerReview(authz, def('SubjectAccessReview'), { metadata: {}, spec }, '', admin), /spec\.user: Invalid value: "": at least one of user or group must be specified/);
  assert.throws(() => answerReview(authz, def('LocalSubjectAccessReview'), { metadata: {}, spec: { ...spec, user: 'jane' } }, 'other', admin),
    /spec\.resourceAttributes\.namespace must match metadata\.namespace/);
  const who = answerReview(authz, def('SelfSubjectReview'), { metadata: {} }, '', admin);
  assert.deepEqual(who['status'], { userInfo: { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] } });
});
