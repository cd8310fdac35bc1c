// Notices: once per object version; reset and prune forget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Notices } from './notices.js';

test('a notice is said once per object version; a new version, reset or prune lets it be said again', () => {
  const n = new Notices();
  const said: string[] = [];
  const v1 = { metadata: { namespace: 'a', name: 'x', resourceVersion: '1' } };
  const v2 = { metadata: { namespace: 'a', name: 'x', resourceVersion: '2' } };
  const say = (obj: typeof v1, t: string) => n.once(obj, t, () => said.push(`${obj.metadata.resourceVersion} ${t}`));
  assert.equal(say(v1, 'hello'), true);
  assert.equal(say(v1, 'hello'), false);
  say(v2, 'hello');
  n.reset('a/x');
  say(v2, 'hello');
  say({ metadata: { namespace: 'b', name: 'y' } } as typeof v1, 'other');
  assert.equal(n.size, 2);
  n.prune((k) => k !== 'b/y');
  assert.equal(n.size, 1);
  assert.deepEqual(said, ['1 hello', '2 hello', '2 hello', 'undefined other']);
});
