/**
 * A minimal server-side RFC 6455 connection as a byte Duplex: binary payloads in, binary frames out.
 * Used for `SPDY/3.1+portforward.k8s.io`, a subprotocol name the `ws` package refuses.
 */
import { createHash } from 'node:crypto';
import { Duplex } from 'node:stream';

/** The Sec-WebSocket-Accept value for a client key. */
export function websocketAccept(key: string): string {
  return createHash('sha1').update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
}

/** The 101 response for a hand-made WebSocket handshake with the given subprotocol. */
export function websocketHandshake(key: string, protocol: string): string {
  return 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
    `Sec-WebSocket-Accept: ${websocketAccept(key)}\r\nSec-WebSocket-Protocol: ${protocol}\r\n\r\n`;
}

/** Encodes one unmasked server frame. */
export function wsFrame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  let head: Buffer;
  if (len < 126) head = Buffer.from([0x80 | opcode, len]);
  else if (len < 65536) { head = Buffer.alloc(4); head[0] = 0x80 | opcode; head[1] = 126; head.writeUInt16BE(len, 2); }
  else { head = Buffer.alloc(10); head[0] = 0x80 | opcode; head[1] = 127; head.writeBigUInt64BE(BigInt(len), 2); }
  return Buffer.concat([head, payload]);
}

/** A byte stream carried in binary (and continuation) WebSocket messages over a socket. */
export class WsByteStream extends Duplex {
  private buf: Buffer = Buffer.alloc(0);
  private closing = false;

  constructor(private readonly socket: Duplex, head: Buffer) {
    super({ allowHalfOpen: false });
    socket.on('data', (d: Buffer) => this.input(d));
    socket.on('end', () => { this.push(null); });
    socket.on('close', () => this.destroy());
    socket.on('error', () => this.destroy());
    if (head.length) this.input(head);
  }

  private input(d: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
    for (;;) {
      const b = this.buf;
      if (b.length < 2) return;
      const opcode = b[0]! & 0x0f;
      const masked = (b[1]! & 0x80) !== 0;
      let len = b[1]! & 0x7f;
      let at = 2;
      if (len === 126) { if (b.length < 4) return; len = b.readUInt16BE(2); at = 4; }
      else if (len === 127) { if (b.length < 10) return; len = Number(b.readBigUInt64BE(2)); at = 10; }
      const maskAt = at;
      if (masked) at += 4;
      if (b.length < at + len) return;
      const payload = Buffer.from(b.subarray(at, at + len));
      if (masked) for (let i = 0; i < len; i++) payload[i]! ^= b[maskAt + (i & 3)]!;
      this.buf = b.subarray(at + len);
      this.message(opcode, payload);
    }
  }

  private message(opcode: number, payload: Buffer): void {
    switch (opcode) {
      case 0x0: case 0x1: case 0x2: if (payload.length) this.push(payload); return;
      case 0x8:
        if (!this.closing) { this.closing = true; this.socket.end(wsFrame(0x8, payload.subarray(0, 2))); }
        this.push(null);
        return;
      case 0x9: this.socket.write(wsFrame(0xa, payload)); return;
      default: return;
    }
  }

  override _read(): void { /* data is pushed as it arrives */ }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    if (this.socket.destroyed || this.closing) { cb(); return; }
    if (this.socket.write(wsFrame(0x2, chunk))) { cb(); return; }
    const done = () => { this.socket.off('drain', done); this.socket.off('close', done); cb(); };
    this.socket.on('drain', done);
    this.socket.on('close', done);
  }

  override _final(cb: (e?: Error | null) => void): void {
    if (!this.closing && !this.socket.destroyed) {
      this.closing = true;
      const code = Buffer.alloc(2);
      code.writeUInt16BE(1000);
      this.socket.end(wsFrame(0x8, code));
    }
    cb();
  }

  override _destroy(err: Error | null, cb: (e: Error | null) => void): void {
    if (!this.socket.destroyed) this.socket.destroy();
    cb(err);
  }
}
