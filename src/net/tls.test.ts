import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { closeWithTls } from './tls.js';

test('the connection under a TLS socket is destroyed when that socket closes, even if Node left it open', async () => {
  const t = new PassThrough();
  const conn = new PassThrough();
  closeWithTls(t, conn);
  assert.equal(conn.destroyed, false);
  t.destroy();
  await new Promise((resolve) => t.once('close', resolve));
  assert.equal(conn.destroyed, true);
});
