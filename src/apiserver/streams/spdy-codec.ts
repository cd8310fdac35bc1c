/** SPDY/3 frame codec with header compression: one streaming zlib context per direction. */
import zlib from 'node:zlib';
import { SPDY3_DICTIONARY } from './spdy-dictionary.js';
import { FrameType, decodeHeaderBlock, encodeControl, encodeData, encodeHeaderBlock, type RawFrame, type SpdyFrame } from './spdy-frames.js';

/** Runs bytes through a zlib stream and collects what one Z_SYNC_FLUSH yields. */
function flushThrough(z: zlib.Deflate | zlib.Inflate, input: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    z.once('error', onError);
    z.write(input);
    z.flush(zlib.constants.Z_SYNC_FLUSH, () => {
      z.off('error', onError);
      const chunks: Buffer[] = [];
      for (let c = z.read() as Buffer | null; c !== null; c = z.read() as Buffer | null) chunks.push(c);
      resolve(Buffer.concat(chunks));
    });
  });
}

/** Serialises async work so results keep their order. */
class Serial {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(f: () => Promise<T>): Promise<T> {
    const p = this.tail.then(f);
    this.tail = p.catch(() => undefined);
    return p;
  }
}

/** Compresses header blocks for one direction of a session. */
export class HeaderCompressor {
  private readonly z = zlib.createDeflate({ dictionary: SPDY3_DICTIONARY });
  private readonly serial = new Serial();
  /** Compresses one header block, continuing the shared context. */
  compress(block: Buffer): Promise<Buffer> { return this.serial.run(() => flushThrough(this.z, block)); }
  /** Releases the zlib context. */
  close(): void { this.z.close(); }
}

/** Decompresses header blocks for one direction of a session. */
export class HeaderDecompressor {
  private readonly z = zlib.createInflate({ dictionary: SPDY3_DICTIONARY });
  private readonly serial = new Serial();
  /** Decompresses one header block, continuing the shared context. */
  decompress(block: Buffer): Promise<Buffer> { return this.serial.run(() => flushThrough(this.z, block)); }
  /** Releases the zlib context. */
  close(): void { this.z.close(); }
}

function u32(...vals: number[]): Buffer {
  const b = Buffer.alloc(vals.length * 4);
  vals.forEach((v, i) => b.writeUInt32BE(v >>> 0, i * 4));
  return b;
}

/** Whether encoding this frame needs the (asynchronous) header compressor. */
export function hasHeaders(f: SpdyFrame): boolean {
  return f.type === 'syn_stream' || f.type === 'syn_reply' || f.type === 'headers';
}

/** Encodes a frame that carries no header block (synchronous). */
export function encodeSimple(f: SpdyFrame): Buffer {
  switch (f.type) {
    case 'data': return encodeData(f.streamId, f.fin, f.data);
    case 'rst_stream': return encodeControl(FrameType.RST_STREAM, 0, u32(f.streamId & 0x7fffffff, f.status));
    case 'ping': return encodeControl(FrameType.PING, 0, u32(f.id));
    case 'goaway': return encodeControl(FrameType.GOAWAY, 0, u32(f.lastGoodStreamId & 0x7fffffff, f.status));
    case 'window_update': return encodeControl(FrameType.WINDOW_UPDATE, 0, u32(f.streamId & 0x7fffffff, f.delta & 0x7fffffff));
    case 'settings': {
      const body = Buffer.alloc(4 + f.entries.length * 8);
      body.writeUInt32BE(f.entries.length, 0);
      f.entries.forEach((e, i) => {
        body.writeUInt32BE(((e.flags & 0xff) << 24 | (e.id & 0xffffff)) >>> 0, 4 + i * 8);
        body.writeUInt32BE(e.value >>> 0, 8 + i * 8);
      });
      return encodeControl(FrameType.SETTINGS, f.clear ? 1 : 0, body);
    }
    case 'unknown': return encodeControl(f.frameType, f.flags, f.payload);
    default: throw new Error(`frame ${f.type} carries headers`);
  }
}

/** Encodes any frame, compressing header blocks with the given compressor. */
export async function encodeFrame(f: SpdyFrame, c: HeaderCompressor): Promise<Buffer> {
  if (!hasHeaders(f)) return encodeSimple(f);
  const block = await c.compress(encodeHeaderBlock((f as { headers: Record<string, string> }).headers));
  switch (f.type) {
    case 'syn_stream': {
      const pre = Buffer.alloc(10);
      pre.writeUInt32BE(f.streamId & 0x7fffffff, 0);
      pre.writeUInt32BE(f.assocId & 0x7fffffff, 4);
      pre[8] = (f.priority & 7) << 5;
      return encodeControl(FrameType.SYN_STREAM, (f.fin ? 1 : 0) | (f.unidirectional ? 2 : 0), Buffer.concat([pre, block]));
    }
    case 'syn_reply': return encodeControl(FrameType.SYN_REPLY, f.fin ? 1 : 0, Buffer.concat([u32(f.streamId & 0x7fffffff), block]));
    case 'headers': return encodeControl(FrameType.HEADERS, f.fin ? 1 : 0, Buffer.concat([u32(f.streamId & 0x7fffffff), block]));
    default: throw new Error('unreachable');
  }
}

function need(p: Buffer, n: number, what: string): void {
  if (p.length < n) throw new Error(`SPDY ${what} frame too short`);
}

/** Decodes a raw frame, decompressing its header block if any (call in arrival order). */
export async function decodeFrame(r: RawFrame, d: HeaderDecompressor): Promise<SpdyFrame> {
  const p = r.payload;
  if (!r.control) return { type: 'data', streamId: r.typeOrStream, fin: (r.flags & 1) !== 0, data: p };
  const fin = (r.flags & 1) !== 0;
  switch (r.typeOrStream) {
    case FrameType.SYN_STREAM: {
      need(p, 10, 'SYN_STREAM');
      const headers = decodeHeaderBlock(await d.decompress(p.subarray(10)));
      return { type: 'syn_stream', streamId: p.readUInt32BE(0) & 0x7fffffff, assocId: p.readUInt32BE(4) & 0x7fffffff, priority: p[8]! >> 5, fin, unidirectional: (r.flags & 2) !== 0, headers };
    }
    case FrameType.SYN_REPLY: case FrameType.HEADERS: {
      need(p, 4, 'SYN_REPLY/HEADERS');
      const headers = decodeHeaderBlock(await d.decompress(p.subarray(4)));
      return { type: r.typeOrStream === FrameType.SYN_REPLY ? 'syn_reply' : 'headers', streamId: p.readUInt32BE(0) & 0x7fffffff, fin, headers };
    }
    case FrameType.RST_STREAM: need(p, 8, 'RST_STREAM'); return { type: 'rst_stream', streamId: p.readUInt32BE(0) & 0x7fffffff, status: p.readUInt32BE(4) };
    case FrameType.PING: need(p, 4, 'PING'); return { type: 'ping', id: p.readUInt32BE(0) };
    case FrameType.GOAWAY: need(p, 4, 'GOAWAY'); return { type: 'goaway', lastGoodStreamId: p.readUInt32BE(0) & 0x7fffffff, status: p.length >= 8 ? p.readUInt32BE(4) : 0 };
    case FrameType.WINDOW_UPDATE: need(p, 8, 'WINDOW_UPDATE'); return { type: 'window_update', streamId: p.readUInt32BE(0) & 0x7fffffff, delta: p.readUInt32BE(4) & 0x7fffffff };
    case FrameType.SETTINGS: {
      need(p, 4, 'SETTINGS');
      const n = p.readUInt32BE(0);
      need(p, 4 + n * 8, 'SETTINGS');
      const entries = [];
      for (let i = 0; i < n; i++) {
        const w = p.readUInt32BE(4 + i * 8);
        entries.push({ flags: w >>> 24, id: w & 0xffffff, value: p.readUInt32BE(8 + i * 8) });
      }
      return { type: 'settings', clear: (r.flags & 1) !== 0, entries };
    }
    default: return { type: 'unknown', frameType: r.typeOrStream, flags: r.flags, payload: p };
  }
}
