// Unit tests: CoreDNS's minimal plugin strips authority and additional records from NOERROR answers only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corefileHandler, rr } from '../../testutil.js';

const SOA = 'authority "example.org. 60 IN SOA ns.example.org. hostmaster.example.org. 1 60 60 60 60"';
const corefile = (minimal: boolean): string => `. {\n${minimal ? '  minimal\n' : ''}  template IN SRV example.org {\n    match "^_http\\._tcp\\."\n    answer "{{ .Name }} 60 IN SRV 0 100 80 web.example.org."\n    additional "web.example.org. 60 IN A 192.0.2.5"\n    ${SOA}\n  }\n  template IN ANY nx.example.org {\n    rcode NXDOMAIN\n    ${SOA}\n  }\n  template IN AAAA example.org {\n    ${SOA}\n  }\n}\n`;

test('minimal: a NOERROR answer loses its authority and additional sections; NXDOMAIN and NODATA keep their SOA', async () => {
  const plain = corefileHandler(corefile(false));
  const full = await plain.ask('_http._tcp.example.org', 'SRV');
  assert.deepEqual([full.authorities?.length, (full.additionals ?? []).filter((a) => a.type !== 'OPT').length], [1, 1]);
  const { ask } = corefileHandler(corefile(true));
  const srv = await ask('_http._tcp.example.org', 'SRV');
  assert.equal(srv.rcode, 'NOERROR');
  assert.deepEqual((srv.answers ?? []).map(rr), ['SRV 0 100 80 web.example.org']);
  assert.deepEqual(srv.authorities ?? [], []);
  assert.deepEqual((srv.additionals ?? []).filter((a) => a.type !== 'OPT'), []);
  const nx = await ask('a.nx.example.org', 'A');
  assert.equal(nx.rcode, 'NXDOMAIN');
  assert.deepEqual((nx.authorities ?? []).map(rr), ['SOA ns.example.org']);
  const nodata = await ask('x.example.org', 'AAAA');
  assert.deepEqual([nodata.rcode, nodata.answers?.length, (nodata.authorities ?? []).map(rr)], ['NOERROR', 0, ['SOA ns.example.org']]);
});
