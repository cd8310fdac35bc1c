/**
 * In-memory TCP connections: two Duplex ends where one end's writes become the other end's reads
 * without copying. end() is a FIN (the peer sees 'end'); destroy() before end() is a RST (the
 * peer gets an ECONNRESET error when it listens for errors, else just closes).
 */
import { Duplex } from 'node:stream';
import { NetError, type Addr, type Conn } from './types.js';

type WriteCb = (err?: Error | null) => void;

const HWM = 64 * 1024;

/** One end of an in-memory TCP connection; offers the net.Socket helpers servers commonly call. */
export class PipeConn extends Duplex implements Conn {
  peer: PipeConn | null = null;
  private pendingWrite: WriteCb | null = null;
  private forceReset = false;
  private idleMs = 0;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(readonly local: Addr, readonly remote: Addr) {
    super({ allowHalfOpen: true, readableHighWaterMark: HWM, writableHighWaterMark: HWM });
  }

  get remoteAddress(): string { return this.remote.ip; }
  get remotePort(): number { return this.remote.port; }
  get remoteFamily(): string { return this.remote.ip.includes(':') ? 'IPv6' : 'IPv4'; }
  get localAddress(): string { return this.local.ip; }
  get localPort(): number { return this.local.port; }

  /** The local address as net.Socket#address() reports it. */
  address(): { address: string; family: string; port: number } {
    return { address: this.local.ip, family: this.local.ip.includes(':') ? 'IPv6' : 'IPv4', port: this.local.port };
  }

  /** Emits 'timeout' after ms of inactivity (0 disables), like net.Socket#setTimeout. */
  setTimeout(ms: number, cb?: () => void): this {
    this.idleMs = ms;
    // As net.Socket: a callback is added as a 'timeout' listener, or removed again with ms 0.
    if (cb) {
      if (ms === 0) this.removeListener('timeout', cb);
      else this.once('timeout', cb);
    }
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (ms > 0) {
      this.idleTimer = setTimeout(() => this.emit('timeout'), ms);
      this.idleTimer.unref();
    }
    return this;
  }

  /** Accepted for net.Socket compatibility; there is no Nagle delay here. */
  setNoDelay(_noDelay?: boolean): this { return this; }
  /** Accepted for net.Socket compatibility; in-memory connections never go stale. */
  setKeepAlive(_enable?: boolean, _delay?: number): this { return this; }
  /** Accepted for net.Socket compatibility. */
  ref(): this { return this; }
  /** Accepted for net.Socket compatibility. */
  unref(): this { return this; }

  /** Destroys with a RST even after end(), like net.Socket#resetAndDestroy. */
  resetAndDestroy(): this {
    this.forceReset = true;
    return this.destroy();
  }

  private touch(): void {
    if (this.idleTimer && this.idleMs > 0) this.idleTimer.refresh();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: WriteCb): void {
    this.deliver(chunk, cb);
  }

  private deliver(chunk: Buffer, cb: WriteCb): void {
    const p = this.peer;
    if (!p || p.destroyed || p.readableEnded) return this.failWrite(cb);
    this.touch();
    p.touch();
    if (p.push(chunk)) cb();
    else p.pendingWrite = cb;
  }

  override _writev(chunks: Array<{ chunk: Buffer }>, cb: WriteCb): void {
    // A corked burst (an HTTP head and its body) arrives as one read, as one TCP segment would.
    const data = chunks.length === 1 ? chunks[0]!.chunk : Buffer.concat(chunks.map((c) => c.chunk));
    // Delivered on the next tick: a peer answering synchronously would write to us while Node's
    // Writable is inside this _writev, and Node drops writes made then (clearBuffer resets its
    // buffer after _writev returns), e.g. a WebSocket client's reply to a close frame.
    process.nextTick(() => this.deliver(data, cb));
  }

  override _read(): void {
    const cb = this.pendingWrite;
    if (cb) {
      this.pendingWrite = null;
      cb();
    }
  }

  override _final(cb: WriteCb): void {
    const p = this.peer;
    if (p && !p.destroyed) p.push(null);
    cb();
  }

  override _destroy(err: Error | null, cb: (err: Error | null) => void): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const p = this.peer;
    const pending = this.pendingWrite;
    this.pendingWrite = null;
    if (p && !p.destroyed && (this.forceReset || !this.writableFinished)) resetConn(p);
    // The peer's blocked write completes; its next write sees us gone.
    if (pending && p && !p.destroyed) process.nextTick(pending);
    cb(err);
  }

  private failWrite(cb: WriteCb): void {
    if (this.listenerCount('error') > 0) {
      cb(new NetError('ECONNRESET', 'write ECONNRESET'));
    } else {
      cb();
      this.destroy();
    }
  }
}

/** Destroys a connection as a RST from its peer would: an ECONNRESET error if someone listens, else a plain close. */
export function resetConn(c: PipeConn): void {
  if (c.destroyed) return;
  if (c.listenerCount('error') > 0) c.destroy(new NetError('ECONNRESET', 'read ECONNRESET'));
  else c.destroy();
}

/** Creates a connected pair: the client end (local/remote as the client sees them) and the server end. */
export function connPair(client: { local: Addr; remote: Addr }, server: { local: Addr; remote: Addr }): [PipeConn, PipeConn] {
  const a = new PipeConn(client.local, client.remote);
  const b = new PipeConn(server.local, server.remote);
  a.peer = b;
  b.peer = a;
  return [a, b];
}
