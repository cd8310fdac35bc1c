import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Duplex } from 'node:stream';
import { WsByteStream, websocketAccept, wsFrame } from './ws-raw.js';
import { ResizeParser } from './resize.js';

function masked(opcode: number, payload: Buffer): Buffer {
  const mask = Buffer.from([1, 2, 3, 4]);
  const body = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
  const len = payload.length;
  const head = len < 126 ? Buffer.from([0x80 | opcode, 0x80 | len]) : Buffer.from([0x80 | opcode, 0x80 | 126, len >> 8, len & 255]);
  return Buffer.concat([head, mask, body]);
}

describe('raw WebSocket byte stream', () => {
  it('computes the RFC 6455 accept key', () => {
    assert.equal(websocketAccept('dGhlIHNhbXBsZSBub25jZQ=='), 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  it('unmasks client frames split anywhere, answers pings, and frames writes', async () => {
    const fromClient = new PassThrough();
    const toClient = new PassThrough();
    const sock = Duplex.from({ readable: fromClient, writable: toClient });
    const ws = new WsByteStream(sock, Buffer.alloc(0));
    const got: Buffer[] = [];
    ws.on('data', (d: Buffer) => got.push(d));
    const big = Buffer.alloc(300, 7);
    const bytes = Buffer.concat([masked(2, Buffer.from('hello')), masked(9, Buffer.from('p')), masked(2, big)]);
    for (let i = 0; i < bytes.length; i += 5) fromClient.write(bytes.subarray(i, i + 5));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(Buffer.concat(got), Buffer.concat([Buffer.from('hello'), big]));
    ws.write(Buffer.from('out'));
    await new Promise((r) => setImmediate(r));
    const out = toClient.read() as Buffer;
    assert.deepEqual(out, Buffer.concat([wsFrame(0xa, Buffer.from('p')), wsFrame(2, Buffer.from('out'))]));
    ws.destroy();
  });
});

describe('resize parser', () => {
  it('reads back-to-back size objects across chunks', () => {
    const sizes: [number, number][] = [];
    const p = new ResizeParser((w, h) => sizes.push([w, h]));
    p.push(Buffer.from('{"Width":80,"Height":24}\n{"Wid'));
    p.push(Buffer.from('th":120,"Height":40}'));
    assert.deepEqual(sizes, [[80, 24], [120, 40]]);
  });
});
