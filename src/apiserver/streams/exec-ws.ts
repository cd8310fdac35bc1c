/** exec/attach over WebSocket `v5.channel.k8s.io`: channel byte, then payload; [255, ch] closes a channel. */
import type { Readable } from 'node:stream';
import type { WebSocket } from 'ws';
import type { Session } from './session.js';
import { ResizeParser } from './resize.js';

/** The subprotocol served for exec/attach over WebSocket. */
export const V5_PROTOCOL = 'v5.channel.k8s.io';

/**
 * How long the server's first message waits after the handshake for a client that may still be
 * creating its streams. client-go before 1.34 (kubectl 1.30–1.33) starts reading the connection in
 * one goroutine while another creates the streams, and drops a message for a stream it has not
 * created yet (`Unknown stream id 3, discarding message`, then `error: closed all streams` when the
 * close follows): kubernetes/kubernetes#131189, fixed in 1.34 by #131203. On a real cluster the
 * first output comes after the kubelet and the runtime have started the process, tens of
 * milliseconds after the 101; an in-process command can end before the 101 leaves, so its output,
 * Status and close reached kubectl with the handshake and lost that race when kubectl's goroutine
 * creating the streams was descheduled (12 in 84,000 execs at load average 10; with 50 ms, still 1
 * in 2,000 once on a 2-core CI run).
 */
export const STREAM_CREATION_GRACE_MS = 100;

/** Output queued to the socket beyond which the session stops reading the process's output. */
const HIGH_WATER = 1 << 20;

/**
 * Whether a client's User-Agent names client-go 1.34 or later (`kubectl/v1.34.1 (linux/amd64) …`),
 * which creates its streams before reading; anything else may be an older client.
 */
export function createsStreamsBeforeReading(userAgent: string | undefined): boolean {
  const m = /^[^/\s]+\/v(\d+)\.(\d+)\.\d+/.exec(userAgent ?? '');
  if (!m) return false;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  return major > 1 || (major === 1 && minor >= 34);
}

/** How the WebSocket transport behaves for one client. */
export interface ExecWebSocketOptions {
  /** Milliseconds the first message waits unless the client sends something first (it has its streams then). */
  holdMs: number;
}

/** Connects a session to an open WebSocket and finishes with the Status on channel 3. */
export function serveExecWebSocket(ws: WebSocket, s: Session, opts: ExecWebSocketOptions = { holdMs: 0 }): void {
  let held: (() => void)[] | undefined = opts.holdMs > 0 ? [] : undefined;
  let heldBytes = 0;
  const sources = [s.stdout, s.stderr].filter((x): x is NonNullable<typeof x> => x !== null);
  const release = () => {
    if (!held) return; // released already: output follows the send callbacks' backpressure
    clearTimeout(timer);
    const q = held;
    held = undefined;
    for (const f of q) f();
    if (ws.bufferedAmount < HIGH_WATER) for (const x of sources) x.resume();
  };
  const timer = held ? setTimeout(release, opts.holdMs) : undefined;
  const later = (f: () => void) => { if (held) held.push(f); else f(); };
  const send = (ch: number, data: Buffer, from: Readable) => {
    if (held && (heldBytes += data.length) >= HIGH_WATER) from.pause();
    later(() => {
      if (ws.readyState !== ws.OPEN) return;
      ws.send(Buffer.concat([Buffer.from([ch]), data]), { binary: true }, () => {
        if (from.isPaused() && !held && ws.bufferedAmount < HIGH_WATER / 2) from.resume();
      });
      if (ws.bufferedAmount >= HIGH_WATER) from.pause();
    });
  };
  const { stdout, stderr } = s;
  stdout?.on('data', (d: Buffer) => send(1, d, stdout));
  stderr?.on('data', (d: Buffer) => send(2, d, stderr));
  const resize = new ResizeParser((w, h) => s.resize(w, h));
  ws.on('message', (raw: Buffer | ArrayBuffer | Buffer[]) => {
    release(); // client-go writes only after it has created every stream
    const data = Buffer.isBuffer(raw) ? raw : Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw);
    if (data.length === 0) return;
    const payload = data.subarray(1);
    switch (data[0]) {
      case 0: if (payload.length && s.stdin && !s.stdin.writableEnded) s.stdin.write(payload); return;
      case 4: resize.push(payload); return;
      case 255: if (payload[0] === 0) s.stdin?.end(); return;
      default: return;
    }
  });
  ws.on('error', () => undefined);
  ws.on('close', () => {
    clearTimeout(timer);
    held = undefined;
    if (s.stdin && !s.stdin.writableEnded) s.stdin.end();
    s.stdout?.destroy();
    s.stderr?.destroy();
  });
  void s.done.then((status) => later(() => {
    if (ws.readyState !== ws.OPEN) return;
    ws.send(Buffer.concat([Buffer.from([3]), Buffer.from(JSON.stringify(status))]), { binary: true });
    ws.close(1000);
  })).catch(() => ws.terminate());
}
