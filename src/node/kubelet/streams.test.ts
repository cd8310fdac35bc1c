// Unit test: terminal output processing for exec -t (lone LF becomes CR LF; CR LF stays, also across chunks).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { onlcr } from './streams.js';

test('onlcr turns lone newlines into CR LF and leaves CR LF alone', async () => {
  const got: Buffer[] = [];
  const sink = new Writable({ write: (c: Buffer, _e, cb) => { got.push(c); cb(); } });
  const t = onlcr(sink);
  t.write('a\nb\r');
  t.write('\nc\r\n');
  await new Promise<void>((r) => t.end(r));
  assert.equal(Buffer.concat(got).toString(), 'a\r\nb\r\nc\r\n');
});
