import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corefileHandler, decodeReply, query, rr } from '../../testutil.js';
import { parseRecord } from './render.js';

// [name, template directive, query, type, rcode, answers]
const cases: [string, string, string, string, string, string[]][] = [
  ['fixed answer', 'template IN A example.org {\n  answer "{{ .Name }} 60 IN A 192.0.2.1"\n}', 'x.example.org', 'A', 'NOERROR', ['x.example.org A 192.0.2.1']],
  ['match groups via index .Match', 'template IN A example.org {\n  match "^ip-(\\d+)-(\\d+)-(\\d+)-(\\d+)\\.example\\.org\\.$"\n  answer "{{ .Name }} 60 IN A {{ index .Match 1 }}.{{ index .Match 2 }}.{{ index .Match 3 }}.{{ index .Match 4 }}"\n}', 'ip-10-1-2-3.example.org', 'A', 'NOERROR', ['ip-10-1-2-3.example.org A 10.1.2.3']],
  ['named groups and .Group.1', 'template IN CNAME example.org {\n  match "^(?P<svc>[a-z]+)\\.example\\.org\\.$"\n  answer "{{ .Name }} 60 IN CNAME {{ .Group.svc }}.{{ .Group.1 }}.example.net."\n}', 'web.example.org', 'CNAME', 'NOERROR', ['web.example.org CNAME web.web.example.net']],
  ['no match, no fallthrough: NXDOMAIN', 'template IN A example.org {\n  match "^www\\."\n  answer "{{ .Name }} 60 IN A 192.0.2.1"\n}', 'api.example.org', 'A', 'NXDOMAIN', []],
  ['no match with fallthrough: the next plugin', 'template IN A example.org {\n  match "^www\\."\n  answer "{{ .Name }} 60 IN A 192.0.2.1"\n  fallthrough\n}\nhosts {\n  192.0.2.50 api.example.org\n}', 'api.example.org', 'A', 'NOERROR', ['api.example.org A 192.0.2.50']],
  ['other type: the next plugin', 'template IN AAAA example.org {\n  rcode NXDOMAIN\n}\nhosts {\n  192.0.2.50 api.example.org\n}', 'api.example.org', 'A', 'NOERROR', ['api.example.org A 192.0.2.50']],
  ['rcode with authority', 'template ANY ANY invalid {\n  rcode NXDOMAIN\n  authority "invalid. 60 IN SOA ns.invalid. hostmaster.invalid. 1 60 60 60 60"\n}', 'x.invalid', 'A', 'NXDOMAIN', []],
  ['additional records', 'template IN SRV example.org {\n  answer "{{ .Name }} 60 IN SRV 0 100 80 web.example.org."\n  additional "web.example.org. 60 IN A 192.0.2.5"\n}', '_http._tcp.example.org', 'SRV', 'NOERROR', ['_http._tcp.example.org SRV 0 100 80 web.example.org']],
];

test('template (table)', async () => {
  for (const [name, directive, q, type, rcode, answers] of cases) {
    const h = corefileHandler(`. {\n${directive}\n}\n`);
    const r = await h.ask(q, type);
    assert.equal(r.rcode, rcode, name);
    assert.deepEqual((r.answers ?? []).map((a) => `${a.name} ${rr(a)}`), answers, name);
  }
});

test('records are parsed as zone-file lines; what knet cannot render fails at setup', () => {
  assert.deepEqual(parseRecord('a.test. IN TXT "hello world" x'), { name: 'a.test', ttl: 3600, type: 'TXT', data: ['hello world', 'x'] });
  assert.deepEqual(parseRecord('a.test. 5 IN MX 10 mail.test.'), { name: 'a.test', ttl: 5, type: 'MX', data: { preference: 10, exchange: 'mail.test' } });
  assert.throws(() => parseRecord('a.test. 5 IN A not-an-ip'), /dns: bad A/);
  assert.throws(() => corefileHandler('. {\n  template IN A {\n    answer "{{ .Message.Question }}"\n  }\n}\n'), { message: /^plugin\/template: Corefile:3 - Error during parsing: template: answer:1: function or field not supported by knet/ });
  assert.throws(() => corefileHandler('. {\n  template IN A {\n    rcode WHATEVER\n  }\n}\n'), { message: /unknown rcode WHATEVER/ });
  assert.throws(() => corefileHandler('. {\n  template IN\n}\n'), { message: /Wrong argument count/ });
});

test('a reply rendered from {{ .Remote }} is never reused for another client; one without it is', async () => {
  const { handler } = corefileHandler('. {\n  template IN TXT whoami.test {\n    answer "{{ .Name }} 5 IN TXT {{ .Remote }}"\n  }\n  template IN A fixed.test {\n    answer "{{ .Name }} 5 IN A 192.0.2.1"\n  }\n}\n');
  const q = query('me.whoami.test', 'TXT');
  const txt = async (client: string): Promise<string> => rr(decodeReply(await handler.handle(q, 'udp', client)).answers![0]!);
  assert.equal(await txt('10.244.0.9:5353'), 'TXT 10.244.0.9');
  assert.equal(handler.cached(q, 'udp'), undefined);
  assert.equal(await txt('10.244.1.7:4000'), 'TXT 10.244.1.7');
  const a = query('x.fixed.test', 'A');
  await handler.handle(a, 'udp', '10.244.0.9:5353');
  assert.ok(handler.cached(a, 'udp'), 'a client-independent answer is reused');
});
