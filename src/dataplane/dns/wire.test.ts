import { test } from 'node:test';
import assert from 'node:assert/strict';
import dnsPacket from 'dns-packet';
import { decodeReply, fixture, fixtureCache, query, slice, testHandler } from './testutil.js';

const h = testHandler(fixtureCache(), '127.0.0.1:9');
const NAME = 'kubernetes.default.svc.cluster.local';

test('runts and responses are dropped', async () => {
  assert.equal(await h.handle(Buffer.from([1, 2, 3]), 'udp'), undefined);
  const resp = query(NAME, 'A');
  resp[2] = (resp[2] ?? 0) | 0x80;
  assert.equal(await h.handle(resp, 'udp'), undefined);
});

test('undecodable and multi-question queries get FORMERR with the same id', async () => {
  const cut = query(NAME, 'A', { id: 777 }).subarray(0, 20);
  const r = decodeReply(await h.handle(cut, 'udp'));
  assert.equal(r.id, 777);
  assert.equal(r.rcode, 'FORMERR');
  const two = dnsPacket.encode({ id: 5, type: 'query', questions: [{ name: 'a', type: 'A' }, { name: 'b', type: 'A' }] });
  assert.equal(decodeReply(await h.handle(two, 'udp')).rcode, 'FORMERR');
});

test('other opcodes get NOTIMP, other classes REFUSED, EDNS version 1 BADVERS', async () => {
  const q = query(NAME, 'A');
  q[2] = (q[2] ?? 0) | (2 << 3);
  assert.equal(decodeReply(await h.handle(q, 'udp')).rcode, 'NOTIMP');
  const ch = dnsPacket.encode({ id: 6, type: 'query', questions: [{ name: 'version.bind', type: 'TXT', class: 'CH' }] });
  assert.equal(decodeReply(await h.handle(ch, 'udp')).rcode, 'REFUSED');
  const v1 = query(NAME, 'A', { edns: 1232 });
  v1[v1.length - 5] = 1;
  const r = decodeReply(await h.handle(v1, 'udp'));
  const opt = r.additionals?.find((a) => a.type === 'OPT') as { extendedRcode?: number } | undefined;
  assert.equal(opt?.extendedRcode, 1);
});

test('EDNS0: the reply carries OPT; large UDP answers are truncated unless the advertised size allows them; TCP is never truncated', async () => {
  const { cache, api } = fixture();
  const eps: [string][] = Array.from({ length: 40 }, (_, i) => [`10.244.3.${i + 1}`]);
  api.put('endpointslices', slice('dns-a', 'hl', 'hl-abc', eps));
  const big = testHandler(cache, '127.0.0.1:9');
  const name = 'hl.dns-a.svc.cluster.local';
  const plain = decodeReply(await big.handle(query(name, 'A'), 'udp'));
  assert.ok(plain.flags! & dnsPacket.TRUNCATED_RESPONSE);
  assert.equal(plain.answers?.length ?? 0, 0);
  const edns = await big.handle(query(name, 'A', { edns: 4096 }), 'udp');
  const r = decodeReply(edns);
  assert.equal(r.answers?.length, 40);
  assert.equal(r.flags! & dnsPacket.TRUNCATED_RESPONSE, 0);
  assert.ok(r.additionals?.some((a) => a.type === 'OPT'));
  assert.ok(edns!.length > 512);
  const tcp = decodeReply(await big.handle(query(name, 'A'), 'tcp'));
  assert.equal(tcp.answers?.length, 40);
  const small = decodeReply(await big.handle(query(name, 'A', { edns: 600 }), 'udp'));
  assert.ok(small.flags! & dnsPacket.TRUNCATED_RESPONSE);
});

test('the reply cache echoes each query id and the question as sent', async () => {
  const a = decodeReply(await h.handle(query(NAME, 'A', { id: 1 }), 'udp'));
  const hit = h.cached(query(NAME, 'A', { id: 2 }), 'udp');
  assert.equal(decodeReply(hit).id, 2);
  assert.deepEqual(decodeReply(hit).answers, a.answers);
});

test('randomized malformed packets: FORMERR or drop, never a crash, and the server keeps answering', async () => {
  let seed = 12345;
  const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
  const valid = query(NAME, 'A');
  for (let i = 0; i < 3000; i++) {
    let pkt: Buffer;
    if (i % 3 === 0) pkt = Buffer.from(Array.from({ length: rnd(80) }, () => rnd(256)));
    else {
      pkt = Buffer.from(valid.subarray(0, rnd(valid.length + 1)));
      for (let k = rnd(4); k > 0 && pkt.length; k--) pkt[rnd(pkt.length)] = rnd(256);
      if (i % 5 === 0) pkt = Buffer.concat([pkt, Buffer.from([rnd(256), 0xc0, rnd(256)])]);
    }
    const out = await h.handle(pkt, i % 2 ? 'udp' : 'tcp');
    if (!out) continue;
    assert.ok(out.length >= 12);
    assert.equal(out.readUInt16BE(0), pkt.readUInt16BE(0));
    assert.ok(out.readUInt16BE(2) & 0x8000, 'QR set');
  }
  assert.equal(decodeReply(await h.handle(valid, 'udp')).rcode, 'NOERROR');
});
