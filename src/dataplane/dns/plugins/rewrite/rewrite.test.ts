import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corefileHandler, rr } from '../../testutil.js';
import { ttlOf } from '../../types.js';

const K = 'kubernetes cluster.local';

// [name, rewrite lines, query, type, answers ("owner TYPE data")]
const cases: [string, string, string, string, string[]][] = [
  ['exact', 'rewrite name foo.example.com web.dns-a.svc.cluster.local', 'foo.example.com', 'A', ['web.dns-a.svc.cluster.local A 10.96.5.5']],
  ['exact with answer auto', 'rewrite name exact foo.example.com web.dns-a.svc.cluster.local answer auto', 'Foo.Example.com', 'A', ['Foo.Example.com A 10.96.5.5']],
  ['suffix', 'rewrite name suffix .corp.internal .dns-a.svc.cluster.local answer auto', 'web.corp.internal', 'A', ['web.corp.internal A 10.96.5.5']],
  ['prefix', 'rewrite name prefix old- "" ', 'old-web.dns-a.svc.cluster.local', 'A', ['web.dns-a.svc.cluster.local A 10.96.5.5']],
  ['substring', 'rewrite name substring .legacy. .dns-a. answer auto', 'web.legacy.svc.cluster.local', 'A', ['web.legacy.svc.cluster.local A 10.96.5.5']],
  ['regex with groups and answer name', 'rewrite name regex (.*)\\.my\\.domain\\.$ {1}.dns-a.svc.cluster.local answer name (.*)\\.dns-a\\.svc\\.cluster\\.local\\.$ {1}.my.domain', 'web.my.domain', 'A', ['web.my.domain A 10.96.5.5']],
  ['no match: untouched', 'rewrite name foo.example.com web.dns-a.svc.cluster.local', 'kubernetes.default.svc.cluster.local', 'A', ['kubernetes.default.svc.cluster.local A 10.96.0.1']],
  ['type rewrite', 'rewrite type AAAA A', 'web.dns-a.svc.cluster.local', 'AAAA', ['web.dns-a.svc.cluster.local A 10.96.5.5']],
  ['ttl rewrite', 'rewrite ttl web.dns-a.svc.cluster.local 7', 'web.dns-a.svc.cluster.local', 'A', ['web.dns-a.svc.cluster.local A 10.96.5.5 ttl=7']],
  ['answer value rewrites CNAME targets', 'rewrite name ext2.dns-a.svc.cluster.local ext.dns-a.svc.cluster.local answer auto answer value (.*)\\.example\\.com\\.$ {1}.example.net', 'ext2.dns-a.svc.cluster.local', 'CNAME', ['ext2.dns-a.svc.cluster.local CNAME foo.example.net']],
  // stop (default): the first matching rule ends the list; continue: later rules see its result.
  ['stop', 'rewrite name a.test b.test\nrewrite name b.test web.dns-a.svc.cluster.local', 'a.test', 'A', []],
  ['continue', 'rewrite continue name a.test b.test\nrewrite name b.test web.dns-a.svc.cluster.local', 'a.test', 'A', ['web.dns-a.svc.cluster.local A 10.96.5.5']],
  ['block form', 'rewrite stop {\n  name regex (.*)\\.my\\.domain\\.$ {1}.dns-a.svc.cluster.local\n  answer name (.*)\\.dns-a\\.svc\\.cluster\\.local\\.$ {1}.my.domain\n}', 'web.my.domain', 'A', ['web.my.domain A 10.96.5.5']],
];

test('rewrite (table)', async () => {
  for (const [name, rules, q, type, want] of cases) {
    const h = corefileHandler(`. {\n${rules}\n${K}\ntemplate IN A test {\n  rcode NXDOMAIN\n}\n}\n`);
    const r = await h.ask(q, type);
    const got = (r.answers ?? []).map((a) => `${a.name} ${rr(a)}${name.startsWith('ttl') ? ` ttl=${ttlOf(a)}` : ''}`);
    assert.deepEqual(got, want, name);
    assert.equal(r.questions?.[0]?.name, q, `${name}: the question is the client's`);
  }
});

test('bad rewrite rules fail with CoreDNS-style errors', () => {
  for (const [text, want] of [
    ['rewrite name a.test', /Wrong argument count/],
    ['rewrite nonsense a b', /invalid field: 'nonsense'/],
    ['rewrite name exact a.test b.test answer sideways', /Wrong argument count or unexpected line ending after 'sideways'/],
    ['rewrite name regex ( x', /invalid regex pattern/],
  ] as const) assert.throws(() => corefileHandler(`. {\n${text}\n}\n`), { message: want }, text);
});
