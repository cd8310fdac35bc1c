import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { Duplex, PassThrough } from 'node:stream';
import { FrameParser, decodeHeaderBlock, encodeHeaderBlock, type SpdyFrame } from './spdy-frames.js';
import { HeaderCompressor, HeaderDecompressor, decodeFrame, encodeFrame } from './spdy-codec.js';
import { SPDY3_DICTIONARY } from './spdy-dictionary.js';
import { SpdySession, type SpdyStream } from './spdy-session.js';

const frames: SpdyFrame[] = [
  { type: 'syn_stream', streamId: 1, assocId: 0, priority: 0, fin: false, unidirectional: false, headers: { streamtype: 'error', port: '8080', requestid: '0' } },
  { type: 'syn_reply', streamId: 1, fin: false, headers: {} },
  { type: 'data', streamId: 1, fin: false, data: Buffer.from('hello') },
  { type: 'data', streamId: 1, fin: true, data: Buffer.alloc(0) },
  { type: 'syn_stream', streamId: 3, assocId: 0, priority: 2, fin: true, unidirectional: false, headers: { streamtype: 'data', port: '8080', requestid: '0' } },
  { type: 'headers', streamId: 3, fin: false, headers: { a: 'b' } },
  { type: 'rst_stream', streamId: 3, status: 5 },
  { type: 'settings', clear: false, entries: [{ id: 7, flags: 1, value: 65536 }, { id: 4, flags: 0, value: 100 }] },
  { type: 'ping', id: 1 },
  { type: 'goaway', lastGoodStreamId: 3, status: 0 },
  { type: 'window_update', streamId: 3, delta: 4096 },
];

describe('SPDY framing', () => {
  it('header blocks round-trip', () => {
    const h = { streamtype: 'stdout', 'x-long': 'v'.repeat(300) };
    assert.deepEqual(decodeHeaderBlock(encodeHeaderBlock(h)), h);
  });

  it('round-trips every frame type, fed byte by byte, with one zlib context per direction', async () => {
    const c = new HeaderCompressor();
    const d = new HeaderDecompressor();
    const bytes = Buffer.concat(await Promise.all(frames.map((f) => encodeFrame(f, c))));
    const p = new FrameParser();
    const raws = [];
    for (let i = 0; i < bytes.length; i++) raws.push(...p.push(bytes.subarray(i, i + 1)));
    assert.equal(raws.length, frames.length);
    const back = [];
    for (const r of raws) back.push(await decodeFrame(r, d));
    assert.deepEqual(back, frames);
    c.close();
    d.close();
  });

  it('compressed header blocks continue one zlib stream with the SPDY/3 dictionary', async () => {
    const c = new HeaderCompressor();
    const h = { streamtype: 'data', port: '8080', requestid: '17' };
    const b1 = await c.compress(encodeHeaderBlock(h));
    const b2 = await c.compress(encodeHeaderBlock(h));
    assert.ok(b2.length < b1.length, 'the second block reuses the shared window');
    assert.equal(SPDY3_DICTIONARY.length, 1423);
    const all = zlib.inflateSync(Buffer.concat([b1, b2]), { dictionary: SPDY3_DICTIONARY, finishFlush: zlib.constants.Z_SYNC_FLUSH });
    assert.deepEqual(all, Buffer.concat([encodeHeaderBlock(h), encodeHeaderBlock(h)]));
    const d = new HeaderDecompressor();
    assert.throws(() => decodeHeaderBlock(Buffer.alloc(2)));
    assert.deepEqual(decodeHeaderBlock(await d.decompress(b1)), h);
    assert.deepEqual(decodeHeaderBlock(await d.decompress(b2)), h);
    c.close();
    d.close();
  });
});

/** A connected pair of in-memory Duplexes. */
function pipePair(): [Duplex, Duplex] {
  const ab = new PassThrough();
  const ba = new PassThrough();
  const a = Duplex.from({ readable: ba, writable: ab });
  const b = Duplex.from({ readable: ab, writable: ba });
  for (const s of [ab, ba, a, b]) s.on('error', () => undefined);
  return [a, b];
}

describe('SPDY session', () => {
  it('replies to SYN_STREAM, carries data both ways, echoes PING and handles RST', async () => {
    const [server, client] = pipePair();
    const session = new SpdySession(server);
    session.on('stream', (s: SpdyStream) => {
      if (s.headers['streamtype'] === 'echo') s.pipe(s);
    });
    const c = new HeaderCompressor();
    const d = new HeaderDecompressor();
    const parser = new FrameParser();
    const got: SpdyFrame[] = [];
    const waiters: (() => void)[] = [];
    let chain = Promise.resolve();
    client.on('data', (b: Buffer) => {
      for (const r of parser.push(b)) {
        chain = chain.then(async () => { got.push(await decodeFrame(r, d)); waiters.splice(0).forEach((w) => w()); });
      }
    });
    const until = async (pred: () => boolean) => { while (!pred()) await new Promise<void>((r) => waiters.push(r)); };
    const send = async (f: SpdyFrame) => { client.write(await encodeFrame(f, c)); };
    await send({ type: 'syn_stream', streamId: 1, assocId: 0, priority: 0, fin: false, unidirectional: false, headers: { streamtype: 'echo' } });
    await send({ type: 'data', streamId: 1, fin: false, data: Buffer.from('abc') });
    await send({ type: 'ping', id: 7 });
    await send({ type: 'data', streamId: 1, fin: true, data: Buffer.alloc(0) });
    await until(() => got.some((f) => f.type === 'data' && f.fin));
    assert.deepEqual(got.find((f) => f.type === 'syn_reply'), { type: 'syn_reply', streamId: 1, fin: false, headers: {} });
    assert.ok(got.some((f) => f.type === 'ping' && f.id === 7));
    const data = got.filter((f): f is Extract<SpdyFrame, { type: 'data' }> => f.type === 'data');
    assert.equal(Buffer.concat(data.map((f) => f.data)).toString(), 'abc');
    await send({ type: 'syn_stream', streamId: 3, assocId: 0, priority: 0, fin: false, unidirectional: false, headers: { streamtype: 'other' } });
    await until(() => got.some((f) => f.type === 'syn_reply' && f.streamId === 3));
    await send({ type: 'rst_stream', streamId: 3, status: 5 });
    await send({ type: 'data', streamId: 3, fin: false, data: Buffer.from('late') });
    await until(() => got.some((f) => f.type === 'rst_stream' && f.streamId === 3));
    session.close();
    c.close();
    d.close();
  });
});
