/** exec/attach over SPDY/3.1 with `v4.channel.k8s.io` semantics: one stream per standard stream plus error and resize. */
import type { SessionRequest, Session } from './session.js';
import type { SpdySession, SpdyStream } from './spdy-session.js';
import { ResizeParser } from './resize.js';

/** The remote-command protocols a client may offer, best first; v5 over SPDY is served as v4. */
const SERVED = ['v4.channel.k8s.io'];

/** Picks the protocol to answer from an X-Stream-Protocol-Version list, or undefined. */
export function chooseRemoteCommandProtocol(offered: string[]): string | undefined {
  return SERVED.find((p) => offered.includes(p));
}

/** How long to wait for the client's streams (as the kubelet's stream creation timeout). */
const STREAM_WAIT_MS = 30_000;

/** Serves a session on a SPDY connection; the Status goes on the error stream, then GOAWAY. */
export function serveExecSpdy(spdy: SpdySession, s: Session, r: SessionRequest): void {
  const expected = new Set(['error']);
  if (r.stdin) expected.add('stdin');
  if (r.stdout) expected.add('stdout');
  if (r.stderr && !r.tty) expected.add('stderr');
  if (r.tty) expected.add('resize');
  const got = new Map<string, SpdyStream>();
  let ready!: () => void;
  const allThere = new Promise<void>((res) => { ready = res; });
  const timer = setTimeout(() => spdy.close(), STREAM_WAIT_MS);
  const resize = new ResizeParser((w, h) => s.resize(w, h));
  spdy.on('stream', (st: SpdyStream) => {
    const type = st.headers['streamtype'] ?? '';
    st.on('error', () => undefined);
    got.set(type, st);
    switch (type) {
      case 'stdin':
        if (s.stdin) st.pipe(s.stdin); else st.resume();
        break;
      case 'stdout': if (s.stdout) s.stdout.pipe(st); else st.end(); st.resume(); break;
      case 'stderr': if (s.stderr) s.stderr.pipe(st); else st.end(); st.resume(); break;
      case 'resize': st.on('data', (d: Buffer) => resize.push(d)); break;
      default: st.resume(); break;
    }
    if ([...expected].every((t) => got.has(t))) { clearTimeout(timer); ready(); }
  });
  spdy.on('close', () => {
    clearTimeout(timer);
    if (s.stdin && !s.stdin.writableEnded) s.stdin.end();
    s.stdout?.destroy();
    s.stderr?.destroy();
  });
  const finished = (st: SpdyStream | undefined) => new Promise<void>((res) => {
    if (!st || st.writableFinished || st.destroyed) { res(); return; }
    st.once('finish', res);
    st.once('close', res);
  });
  void Promise.all([s.done, allThere]).then(async ([status]) => {
    await Promise.all([finished(got.get('stdout')), finished(got.get('stderr'))]);
    const err = got.get('error');
    if (!err || err.destroyed) { spdy.close(); return; }
    err.end(Buffer.from(JSON.stringify(status)), () => { spdy.goAway().catch(() => spdy.close()); });
  }).catch(() => spdy.close()); // a rejection here must not become an unhandled one (that ends the process)
}
