/** SPDY/3.1 framing: frame types, the byte-level parser and encoder, and header blocks. */

/** SPDY/3 control frame type numbers. */
export const FrameType = { SYN_STREAM: 1, SYN_REPLY: 2, RST_STREAM: 3, SETTINGS: 4, PING: 6, GOAWAY: 7, HEADERS: 8, WINDOW_UPDATE: 9 } as const;

/** RST_STREAM status codes used here. */
export const RstStatus = { PROTOCOL_ERROR: 1, INVALID_STREAM: 2, REFUSED_STREAM: 3, CANCEL: 5, INTERNAL_ERROR: 6, STREAM_ALREADY_CLOSED: 9 } as const;

/** Header names and values of a SYN_STREAM, SYN_REPLY or HEADERS frame. */
export type SpdyHeaders = Record<string, string>;

/** One decoded SPDY frame. */
export type SpdyFrame =
  | { type: 'data'; streamId: number; fin: boolean; data: Buffer }
  | { type: 'syn_stream'; streamId: number; assocId: number; priority: number; fin: boolean; unidirectional: boolean; headers: SpdyHeaders }
  | { type: 'syn_reply'; streamId: number; fin: boolean; headers: SpdyHeaders }
  | { type: 'headers'; streamId: number; fin: boolean; headers: SpdyHeaders }
  | { type: 'rst_stream'; streamId: number; status: number }
  | { type: 'settings'; clear: boolean; entries: { id: number; flags: number; value: number }[] }
  | { type: 'ping'; id: number }
  | { type: 'goaway'; lastGoodStreamId: number; status: number }
  | { type: 'window_update'; streamId: number; delta: number }
  | { type: 'unknown'; frameType: number; flags: number; payload: Buffer };

/** A frame split off the byte stream, header blocks still compressed. */
export interface RawFrame {
  control: boolean;
  /** Control frame type, or the stream id of a data frame. */
  typeOrStream: number;
  version: number;
  flags: number;
  payload: Buffer;
}

/** The largest frame payload accepted (24-bit length field). */
export const MAX_FRAME_PAYLOAD = 0xffffff;

/** Splits a byte stream into frames; feed it chunks, it returns the complete frames. */
export class FrameParser {
  private buf: Buffer = Buffer.alloc(0);

  /** Adds bytes and returns every frame now complete. */
  push(chunk: Buffer): RawFrame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: RawFrame[] = [];
    while (this.buf.length >= 8) {
      const len = this.buf.readUIntBE(5, 3);
      if (this.buf.length < 8 + len) break;
      const w0 = this.buf.readUInt32BE(0);
      const control = (w0 & 0x80000000) !== 0;
      out.push({
        control,
        typeOrStream: control ? w0 & 0xffff : w0 & 0x7fffffff,
        version: control ? (w0 >>> 16) & 0x7fff : 0,
        flags: this.buf[4]!,
        payload: this.buf.subarray(8, 8 + len),
      });
      this.buf = this.buf.subarray(8 + len);
    }
    return out;
  }
}

function header(w0: number, flags: number, len: number): Buffer {
  if (len > MAX_FRAME_PAYLOAD) throw new Error(`SPDY frame too large: ${len}`);
  const h = Buffer.alloc(8);
  h.writeUInt32BE(w0 >>> 0, 0);
  h.writeUInt32BE(((flags & 0xff) << 24 | len) >>> 0, 4);
  return h;
}

/** Encodes a control frame from its type, flags and payload. */
export function encodeControl(type: number, flags: number, payload: Buffer): Buffer {
  return Buffer.concat([header((0x80000000 | (3 << 16) | type) >>> 0, flags, payload.length), payload]);
}

/** Encodes a data frame. */
export function encodeData(streamId: number, fin: boolean, data: Buffer): Buffer {
  return Buffer.concat([header(streamId & 0x7fffffff, fin ? 1 : 0, data.length), data]);
}

/** Serialises headers into the uncompressed SPDY/3 block (32-bit counts and lengths). */
export function encodeHeaderBlock(headers: SpdyHeaders): Buffer {
  const parts: Buffer[] = [];
  const n = Buffer.alloc(4);
  const entries = Object.entries(headers);
  n.writeUInt32BE(entries.length);
  parts.push(n);
  for (const [k, v] of entries) {
    for (const s of [k.toLowerCase(), v]) {
      const b = Buffer.from(s, 'utf8');
      const l = Buffer.alloc(4);
      l.writeUInt32BE(b.length);
      parts.push(l, b);
    }
  }
  return Buffer.concat(parts);
}

/** Parses an uncompressed SPDY/3 header block; repeated values are joined with NUL as sent. */
export function decodeHeaderBlock(block: Buffer): SpdyHeaders {
  const out: SpdyHeaders = {};
  if (block.length < 4) throw new Error('SPDY header block too short');
  const count = block.readUInt32BE(0);
  let at = 4;
  const str = (): string => {
    if (at + 4 > block.length) throw new Error('SPDY header block truncated');
    const len = block.readUInt32BE(at);
    at += 4;
    if (at + len > block.length) throw new Error('SPDY header block truncated');
    const s = block.toString('utf8', at, at + len);
    at += len;
    return s;
  };
  for (let i = 0; i < count; i++) {
    const name = str().toLowerCase();
    out[name] = str();
  }
  return out;
}
