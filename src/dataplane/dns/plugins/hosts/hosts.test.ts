import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corefileHandler, rr } from '../../testutil.js';
import { parseHosts } from './index.js';
import { ttlOf } from '../../types.js';

const FILE = '# a hosts file\n127.0.0.1 localhost\n192.0.2.20 db.example.internal db\n2001:db8::20 db.example.internal\n';

// [name, Corefile body, query name, type, rcode, answers]
const cases: [string, string, string, string, string, string[]][] = [
  ['inline entry', 'hosts {\n  192.0.2.1 app.example.internal\n}', 'app.example.internal', 'A', 'NOERROR', ['A 192.0.2.1']],
  ['case-insensitive', 'hosts {\n  192.0.2.1 app.example.internal\n}', 'APP.Example.Internal', 'A', 'NOERROR', ['A 192.0.2.1']],
  ['file entries (A and AAAA)', 'hosts /etc/coredns/hosts', 'db.example.internal', 'AAAA', 'NOERROR', ['AAAA 2001:db8::20']],
  ['short names from the file', 'hosts /etc/coredns/hosts', 'db', 'A', 'NOERROR', ['A 192.0.2.20']],
  ['name with other types only: NODATA', 'hosts {\n  192.0.2.1 app.example.internal\n}', 'app.example.internal', 'AAAA', 'NOERROR', []],
  ['unknown name without fallthrough: SERVFAIL (no SOA to deny with)', 'hosts {\n  192.0.2.1 app.example.internal\n}', 'other.example.internal', 'A', 'SERVFAIL', []],
  ['fallthrough hands on to the kubernetes plugin', 'hosts {\n  192.0.2.1 app.example.internal\n  fallthrough\n}\nkubernetes cluster.local', 'kubernetes.default.svc.cluster.local', 'A', 'NOERROR', ['A 10.96.0.1']],
  ['PTR from inline entries', 'hosts {\n  192.0.2.1 app.example.internal\n}', '1.2.0.192.in-addr.arpa', 'PTR', 'NOERROR', ['PTR app.example.internal']],
  ['no_reverse', 'hosts {\n  192.0.2.1 app.example.internal\n  no_reverse\n  fallthrough\n}', '1.2.0.192.in-addr.arpa', 'PTR', 'SERVFAIL', []],
  ['zones limit what it answers', 'hosts /etc/coredns/hosts example.internal {\n  fallthrough\n}\ntemplate IN A {\n  answer "{{ .Name }} 5 IN A 192.0.2.99"\n}', 'localhost', 'A', 'NOERROR', ['A 192.0.2.99']],
];

test('hosts answers (table)', async () => {
  for (const [name, body, q, type, rcode, answers] of cases) {
    const h = corefileHandler(`. {\n${body}\n}\n`, { files: { '/etc/coredns/hosts': FILE } });
    const r = await h.ask(q, type);
    assert.equal(r.rcode, rcode, name);
    assert.deepEqual(r.answers?.map(rr), answers, name);
  }
});

test('ttl option and the default of 3600', async () => {
  const h = corefileHandler('. {\n  hosts {\n    192.0.2.1 a.test\n    ttl 60\n  }\n}\n');
  assert.equal(ttlOf((await h.ask('a.test')).answers![0]!), 60);
  const d = corefileHandler('. {\n  hosts {\n    192.0.2.1 a.test\n  }\n}\n');
  assert.equal(ttlOf((await d.ask('a.test')).answers![0]!), 3600);
});

test('the file is re-read after its reload interval', async () => {
  let now = 0;
  const files: Record<string, string> = { '/h': '192.0.2.1 a.test\n' };
  const h = corefileHandler('. {\n  hosts /h {\n    reload 5s\n  }\n}\n', { files, now: () => now });
  assert.deepEqual((await h.ask('a.test')).answers?.map(rr), ['A 192.0.2.1']);
  files['/h'] = '192.0.2.2 a.test\n';
  now = 4000;
  assert.deepEqual((await h.ask('a.test')).answers?.map(rr), ['A 192.0.2.1']);
  now = 5000;
  assert.deepEqual((await h.ask('a.test')).answers?.map(rr), ['A 192.0.2.2']);
});

test('a missing file is logged and inline entries still answer; bad options fail', async () => {
  const lines: string[] = [];
  const h = corefileHandler('. {\n  hosts /nope {\n    192.0.2.1 a.test\n  }\n}\n', { log: (l) => lines.push(l) });
  assert.deepEqual(lines, ['[WARNING] plugin/hosts: File does not exist: /nope']);
  assert.deepEqual((await h.ask('a.test')).answers?.map(rr), ['A 192.0.2.1']);
  assert.throws(() => corefileHandler('. {\n  hosts {\n    ttl\n  }\n}\n'), { message: /^plugin\/hosts: Corefile:3 - Error during parsing: Wrong argument count or unexpected line ending after 'ttl'$/ });
  assert.throws(() => corefileHandler('. {\n  hosts {\n    bogus\n  }\n}\n'), { message: /unknown property 'bogus'/ });
});

test('parseHosts skips comments and junk, normalizes IPv6', () => {
  const t = parseHosts('# x\nnot-an-ip foo\n192.0.2.1\n2001:0db8:0:0:0:0:0:1 six.test # c\n');
  assert.deepEqual([...t.byName], [['six.test', ['2001:db8::1']]]);
});
