import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chain } from '../chain.js';
import { rcodeReply, type DnsRequest, type Plugin } from '../types.js';
import { errorsPlugin } from './errors/index.js';
import { logPlugin } from './log/index.js';
import { errorReply } from './forward/index.js';

const req = (name: string, type = 'A'): DnsRequest => ({ name, lname: name.toLowerCase(), type, transport: 'udp', client: '127.0.0.1:5000', depth: 0, resolve: async () => rcodeReply('SERVFAIL') });
const boom: Plugin = { name: 'boom', serve: async () => { throw new Error('kaput'); } };
const answer: Plugin = { name: 'answer', serve: async () => ({ rcode: 'NOERROR', authoritative: true, answers: [] }) };

test('errors turns a failing plugin into SERVFAIL and logs like CoreDNS', async () => {
  const lines: string[] = [];
  const r = await chain([errorsPlugin((l) => lines.push(l)), boom])(req('x.example'));
  assert.equal(r.rcode, 'SERVFAIL');
  assert.deepEqual(lines, ['[ERROR] plugin/errors: 2 x.example. A: kaput']);
});

test('log writes one line per query in CoreDNS\'s common log format; past the end of the chain is SERVFAIL', async () => {
  const lines: string[] = [];
  await chain([logPlugin((l) => lines.push(l)), answer])({ ...req('Web.example', 'AAAA'), id: 4242, size: 40, bufsize: 1232 });
  // plugin/log README: {remote}:{port} - {>id} "{type} {class} {name} {proto} {size} {>do} {>bufsize}" {rcode} {>rflags} {rsize} {duration}
  assert.match(lines[0] ?? '', /^\[INFO\] 127\.0\.0\.1:5000 - 4242 "AAAA IN Web\.example\. udp 40 false 1232" NOERROR qr,aa,rd,ra \d+ \d+(\.\d+)?s$/);
  assert.equal((await chain([])(req('a'))).rcode, 'SERVFAIL');
});

test('forward maps resolver errors: not found → NXDOMAIN, no data → NOERROR, the rest → SERVFAIL', () => {
  const table: [string | undefined, string][] = [['ENOTFOUND', 'NXDOMAIN'], ['ENODATA', 'NOERROR'], ['ETIMEOUT', 'SERVFAIL'], ['ECONNREFUSED', 'SERVFAIL'], [undefined, 'SERVFAIL']];
  for (const [code, rcode] of table) assert.equal(errorReply(code).rcode, rcode, String(code));
});
