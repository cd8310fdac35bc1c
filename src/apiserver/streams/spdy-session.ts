/** A server-side SPDY/3.1 session over any byte Duplex: streams as Duplexes, auto SYN_REPLY, PING echo. */
import { EventEmitter } from 'node:events';
import { Duplex } from 'node:stream';
import { FrameParser, RstStatus, type SpdyFrame, type SpdyHeaders } from './spdy-frames.js';
import { HeaderCompressor, HeaderDecompressor, decodeFrame, encodeFrame } from './spdy-codec.js';

/** Data frames are split to at most this many bytes. */
const MAX_DATA = 32 * 1024;

/** One SPDY stream: readable side carries the peer's DATA, writable side sends DATA; end() sends FIN. */
export class SpdyStream extends Duplex {
  /** Set when the peer reset the stream. */
  resetByPeer = false;

  constructor(private readonly session: SpdySession, readonly id: number, readonly headers: SpdyHeaders) {
    super({ allowHalfOpen: true });
  }

  override _read(): void { this.session.resumeInput(); }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    const frames: Promise<void>[] = [];
    for (let at = 0; at < chunk.length || at === 0; at += MAX_DATA) {
      frames.push(this.session.send({ type: 'data', streamId: this.id, fin: false, data: chunk.subarray(at, at + MAX_DATA) }));
      if (chunk.length === 0) break;
    }
    Promise.all(frames).then(() => cb(), cb);
  }

  override _final(cb: (e?: Error | null) => void): void {
    if (this.resetByPeer) { cb(); return; }
    this.session.send({ type: 'data', streamId: this.id, fin: true, data: Buffer.alloc(0) }).then(() => cb(), cb);
  }

  /** Sends RST_STREAM and tears the stream down. */
  reset(status: number = RstStatus.CANCEL): void {
    if (!this.resetByPeer) this.session.send({ type: 'rst_stream', streamId: this.id, status }).catch(() => this.session.close());
    this.destroy();
  }
}

/** A server-side SPDY session; emits 'stream' (SpdyStream) for each SYN_STREAM and 'close'. */
export class SpdySession extends EventEmitter {
  private readonly parser = new FrameParser();
  private readonly compressor = new HeaderCompressor();
  private readonly decompressor = new HeaderDecompressor();
  private readonly streams = new Map<number, SpdyStream>();
  private inChain: Promise<void> = Promise.resolve();
  private outChain: Promise<void> = Promise.resolve();
  private closed = false;
  private paused = false;

  constructor(private readonly transport: Duplex) {
    super();
    transport.on('data', (chunk: Buffer) => this.input(chunk));
    transport.on('end', () => this.close());
    transport.on('close', () => this.close());
    transport.on('error', () => this.close());
  }

  private input(chunk: Buffer): void {
    let frames;
    try { frames = this.parser.push(chunk); } catch { this.close(); return; }
    for (const raw of frames) {
      this.inChain = this.inChain.then(async () => {
        if (this.closed) return;
        this.handle(await decodeFrame(raw, this.decompressor));
      }).catch(() => this.close());
    }
  }

  /** Resumes reading from the transport after a stream's consumer caught up. */
  resumeInput(): void {
    if (this.paused) { this.paused = false; this.transport.resume(); }
  }

  private handle(f: SpdyFrame): void {
    switch (f.type) {
      case 'syn_stream': {
        const s = new SpdyStream(this, f.streamId, f.headers);
        this.streams.set(f.streamId, s);
        s.on('close', () => this.streams.delete(f.streamId));
        this.send({ type: 'syn_reply', streamId: f.streamId, fin: false, headers: {} }).catch(() => this.close());
        if (f.fin) s.push(null);
        this.emit('stream', s);
        return;
      }
      case 'data': {
        const s = this.streams.get(f.streamId);
        if (!s) { this.send({ type: 'rst_stream', streamId: f.streamId, status: RstStatus.INVALID_STREAM }).catch(() => this.close()); return; }
        if (f.data.length && !s.push(f.data) && !this.paused) { this.paused = true; this.transport.pause(); }
        if (f.fin) s.push(null);
        return;
      }
      case 'rst_stream': {
        const s = this.streams.get(f.streamId);
        if (s) { s.resetByPeer = true; this.streams.delete(f.streamId); s.destroy(); }
        return;
      }
      case 'ping': this.send({ type: 'ping', id: f.id }).catch(() => this.close()); return;
      case 'goaway': this.emit('goaway'); return;
      case 'headers': { const s = this.streams.get(f.streamId); if (s && f.fin) s.push(null); return; }
      default: return;
    }
  }

  /** Queues a frame; resolves when it has been handed to the transport (and drained). */
  send(f: SpdyFrame): Promise<void> {
    const p = this.outChain.then(async () => {
      if (this.closed) return;
      const buf = await encodeFrame(f, this.compressor);
      if (this.closed || this.transport.destroyed) return;
      if (!this.transport.write(buf)) {
        await new Promise<void>((r) => {
          const done = () => { this.transport.off('drain', done); this.transport.off('close', done); r(); };
          this.transport.on('drain', done);
          this.transport.on('close', done);
        });
      }
    });
    this.outChain = p.catch(() => undefined);
    return p;
  }

  /** Sends GOAWAY after queued frames, then ends the transport. */
  async goAway(): Promise<void> {
    await this.send({ type: 'goaway', lastGoodStreamId: Math.max(0, ...this.streams.keys()), status: 0 });
    this.transport.end();
  }

  /** Tears down every stream and the transport. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.streams.values()) s.destroy();
    this.streams.clear();
    this.compressor.close();
    this.decompressor.close();
    if (!this.transport.destroyed) this.transport.destroy();
    this.emit('close');
  }
}
