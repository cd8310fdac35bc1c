// htpasswd formats nginx's auth_basic_user_file accepts (notes §5.3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { htpasswdVerifier, parseHtpasswd, unreadableLines, verifyHash } from './htpasswd.js';

const sha = (s: string) => '{SHA}' + createHash('sha1').update(s).digest('base64');
const ssha = (s: string, salt: string) => '{SSHA}' + Buffer.concat([createHash('sha1').update(s + salt).digest(), Buffer.from(salt)]).toString('base64');

const cases: [string, string, string, boolean][] = [
  ['apr1 (ingress-nginx example foo/bar)', '$apr1$OFG3Xybp$ckL0FHDAkoXYIlH9.cysT0', 'bar', true],
  ['apr1 wrong password', '$apr1$OFG3Xybp$ckL0FHDAkoXYIlH9.cysT0', 'baz', false],
  ['bcrypt $2y$', bcrypt.hashSync('secret', 4).replace(/^\$2b\$/, '$2y$'), 'secret', true],
  ['bcrypt wrong password', bcrypt.hashSync('secret', 4), 'nope', false],
  ['{SHA}', sha('pw'), 'pw', true],
  ['{SHA} wrong', sha('pw'), 'pw2', false],
  ['{SSHA}', ssha('pw', 'salt'), 'pw', true],
  ['{SSHA} wrong', ssha('pw', 'salt'), 'px', false],
  ['{PLAIN}', '{PLAIN}open', 'open', true],
  ['truncated apr1 never matches', '$apr1$OFG3Xybp$ckL0', 'bar', false],
  ['unknown scheme never matches', 'plaintext', 'plaintext', false],
  ['empty hash never matches', '', '', false],
];
for (const [name, hash, password, want] of cases) {
  test(`verifyHash: ${name}`, async () => assert.equal(await verifyHash(hash, password), want));
}

test('parseHtpasswd skips comments, blank and malformed lines; the first entry of a user counts', async () => {
  const users = parseHtpasswd('# comment\n\nfoo:$apr1$OFG3Xybp$ckL0FHDAkoXYIlH9.cysT0\r\nbroken line\n:nouser\nfoo:{PLAIN}other\n');
  assert.deepEqual([...users.keys()], ['foo']);
  const verify = htpasswdVerifier(users);
  assert.equal(await verify('foo', 'bar'), true);
  assert.equal(await verify('foo', 'other'), false);
  assert.equal(await verify('nobody', 'bar'), false);
});

test('unreadableLines names the lines no password can match (malformed, or a hash knet cannot read)', () => {
  assert.deepEqual(unreadableLines('# c\nfoo:$apr1$OFG3Xybp$ckL0FHDAkoXYIlH9.cysT0\nthis is not htpasswd\n:x\nbar:$6$salt$abc\nbaz:{PLAIN}ok\n'), [3, 4, 5]);
  assert.deepEqual(unreadableLines(''), []);
});
