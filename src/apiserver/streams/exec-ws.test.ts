// Unit test: exec over WebSocket v5 holds its first message for clients that create their streams
// after they start reading (client-go < 1.34, kubernetes/kubernetes#131189), and applies backpressure.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import type { PodStreamBackend, StreamIO } from './backend.js';
import { startSession } from './session.js';
import { STREAM_CREATION_GRACE_MS, V5_PROTOCOL, createsStreamsBeforeReading, serveExecWebSocket, type ExecWebSocketOptions } from './exec-ws.js';

/** A backend whose `exec` ends at once after writing to stdout and stderr, or echoes stdin with `cat`, or floods with `flood`. */
function backend(progress: { written: number }): PodStreamBackend {
  const no = () => Promise.reject(new Error('unused'));
  return {
    async exec(_ns, _pod, _c, command, io: StreamIO) {
      if (command[0] === 'cat' && io.stdin) { for await (const c of io.stdin) io.stdout?.write(c as Buffer); return 0; }
      if (command[0] === 'flood') {
        const chunk = Buffer.alloc(64 * 1024, 'x');
        while (progress.written < 64 << 20) {
          progress.written += chunk.length;
          if (!io.stdout!.write(chunk)) await new Promise((r) => io.stdout!.once('drain', r));
        }
        return 0;
      }
      io.stdout?.write('o\n');
      io.stderr?.write('e\n');
      return 3;
    },
    attach: no, portForward: no, logs: no,
  };
}

describe('exec over WebSocket v5', () => {
  let wss: WebSocketServer;
  let url = '';
  const progress = { written: 0 };
  let opts: ExecWebSocketOptions = { holdMs: 0 };
  before(async () => {
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, handleProtocols: () => V5_PROTOCOL });
    await new Promise((r) => wss.once('listening', r));
    url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`;
    wss.on('connection', (ws, req) => {
      const command = new URL(req.url ?? '/', url).searchParams.getAll('command');
      const s = startSession(backend(progress), { kind: 'exec', ns: 'default', pod: 'p', command, stdin: command[0] === 'cat', stdout: true, stderr: true, tty: false });
      serveExecWebSocket(ws, s, opts);
    });
  });
  after(() => { for (const c of wss.clients) c.terminate(); wss.close(); });

  /**
   * Runs one exec as kubectl 1.30–1.33 does: reading starts at the handshake, the streams (1, 2,
   * 3) exist only `createAfterMs` later; a message for a stream not created yet is discarded.
   */
  function racyExec(command: string, createAfterMs: number, stdin?: string): Promise<{ got: Record<number, string>; discarded: number[] }> {
    return new Promise((ok, fail) => {
      const ws = new WebSocket(`${url}?command=${command}`, V5_PROTOCOL);
      const got: Record<number, string> = {};
      const discarded: number[] = [];
      let created = false;
      ws.on('open', () => {
        setTimeout(() => { created = true; if (stdin !== undefined) { ws.send(Buffer.from(`\x00${stdin}`)); ws.send(Buffer.from([255, 0])); } }, createAfterMs);
      });
      ws.on('message', (d: Buffer) => {
        const ch = d[0]!;
        if (!created) { discarded.push(ch); return; }
        got[ch] = (got[ch] ?? '') + d.subarray(1).toString();
      });
      ws.on('close', () => ok({ got, discarded }));
      ws.on('error', fail);
    });
  }

  it('a client that creates its streams a few ms after the handshake loses nothing', async () => {
    opts = { holdMs: STREAM_CREATION_GRACE_MS };
    const runs = await Promise.all(Array.from({ length: 20 }, () => racyExec('quick', 5)));
    for (const r of runs) {
      assert.deepEqual(r.discarded, []);
      assert.equal(r.got[1], 'o\n');
      assert.equal(r.got[2], 'e\n');
      assert.match(r.got[3] ?? '', /"reason":"NonZeroExitCode".*"message":"3"/);
    }
  });

  it('a message from the client proves its streams exist and releases the output at once', async () => {
    opts = { holdMs: 60_000 };
    const t0 = Date.now();
    const r = await racyExec('cat', 0, 'hello');
    assert.ok(Date.now() - t0 < 30_000, 'released before the hold ran out');
    assert.equal(r.got[1], 'hello');
  });

  it('stops reading the process output while the client does not read', async () => {
    opts = { holdMs: 0 };
    progress.written = 0;
    const ws = new WebSocket(`${url}?command=flood`, V5_PROTOCOL);
    await new Promise((r) => ws.once('open', r));
    const sock = (ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    sock.pause();
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(progress.written < 24 << 20, `wrote ${progress.written >> 20} MiB to a client that reads nothing`);
    let bytes = 0;
    ws.on('message', (d: Buffer) => { if (d[0] === 1) bytes += d.length - 1; });
    const closed = new Promise((r) => ws.once('close', r));
    sock.resume();
    await closed;
    assert.equal(bytes, 64 << 20);
  });

  it('knows which clients create their streams before reading', () => {
    assert.equal(createsStreamsBeforeReading('kubectl.1.32/v1.32.5 (linux/amd64) kubernetes/9894294'), false);
    assert.equal(createsStreamsBeforeReading('kubectl/v1.33.1 (linux/amd64) kubernetes/8adc0f0'), false);
    assert.equal(createsStreamsBeforeReading('kubectl/v1.34.0 (linux/amd64) kubernetes/f28b4c9'), true);
    assert.equal(createsStreamsBeforeReading('kubectl/v1.36.2 (darwin/arm64) kubernetes/abc'), true);
    assert.equal(createsStreamsBeforeReading('myapp/v0.0.0 (linux/amd64) kubernetes/$Format'), false);
    assert.equal(createsStreamsBeforeReading(undefined), false);
    assert.equal(createsStreamsBeforeReading('Python-urllib/3.12'), false);
  });
});
