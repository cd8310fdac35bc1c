/** exec/attach over WebSocket `v5.channel.k8s.io`: channel byte, then payload; [255, ch] closes a channel. */
import type { WebSocket } from 'ws';
import type { Session } from './session.js';
import { ResizeParser } from './resize.js';

/** The subprotocol served for exec/attach over WebSocket. */
export const V5_PROTOCOL = 'v5.channel.k8s.io';

/** Connects a session to an open WebSocket and finishes with the Status on channel 3. */
export function serveExecWebSocket(ws: WebSocket, s: Session): void {
  const send = (ch: number, data: Buffer) => {
    if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([ch]), data]), { binary: true });
  };
  s.stdout?.on('data', (d: Buffer) => send(1, d));
  s.stderr?.on('data', (d: Buffer) => send(2, d));
  const resize = new ResizeParser((w, h) => s.resize(w, h));
  ws.on('message', (raw: Buffer | ArrayBuffer | Buffer[]) => {
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
    if (s.stdin && !s.stdin.writableEnded) s.stdin.end();
    s.stdout?.destroy();
    s.stderr?.destroy();
  });
  void s.done.then((status) => {
    send(3, Buffer.from(JSON.stringify(status)));
    if (ws.readyState === ws.OPEN) ws.close(1000);
  });
}
