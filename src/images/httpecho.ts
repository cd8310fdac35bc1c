/** `hashicorp/http-echo`: answers every request with `-text` (or $ECHO_TEXT) and `-status-code`. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NetError } from '../net/types.js';
import type { ImageDef, ProcessContext } from './types.js';
import { goBadRequest, goReply, serveHttp } from './util/http.js';
import { parseGoFlags } from './util/flags.js';
import { goLog, goLogTime, untilAborted } from './util/proc.js';

const VERSION = '1.0.0';
const USAGE = `Usage of /http-echo:
  -listen string
    \taddress and port to listen (default ":5678")
  -status-code int
    \thttp response code, e.g.: 200 (default 200)
  -text string
    \ttext to put on the webpage
  -version
    \tdisplay version information
`;

function micros(start: bigint): string {
  const us = Number(process.hrtime.bigint() - start) / 1000;
  return us < 1000 ? `${us.toFixed(3).replace(/\.?0+$/, '')}µs` : `${(us / 1000).toFixed(6).replace(/\.?0+$/, '')}ms`;
}

/** The http-echo program. */
export async function httpEcho(ctx: ProcessContext): Promise<number> {
  const parsed = parseGoFlags(ctx.argv.slice(1), { listen: 'string', text: 'string', version: 'bool', 'status-code': 'int', help: 'bool', h: 'bool' },
    { listen: ':5678', text: '', version: false, 'status-code': 200 });
  if (!parsed.ok) { ctx.stderr.write(`${parsed.error}\n${USAGE}`); return 2; }
  const v = parsed.values;
  if (v.help || v.h) { ctx.stderr.write(USAGE); return 0; }
  if (v.version) { ctx.stdout.write(`http-echo v${VERSION} ()\nBuilt: \n`); return 0; }
  const text = String(v.text) || ctx.env.ECHO_TEXT || '';
  if (!text) { ctx.stderr.write('Missing -text option or ECHO_TEXT env var!\n'); return 127; }
  if (parsed.args.length > 0) { ctx.stderr.write('Too many arguments!\n'); return 127; }
  const listen = String(v.listen);
  const port = Number(/:(\d+)$/.exec(listen)?.[1] ?? NaN);
  const status = Number(v['status-code']);
  goLog(ctx.stderr, `[INFO] server is listening on ${listen}`);
  if (!Number.isInteger(port)) { goLog(ctx.stderr, `[ERR] server exited with: listen tcp: address ${listen}: missing port in address`); return 1; }
  const app = { 'X-App-Name': 'http-echo', 'X-App-Version': VERSION };
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/health') { goReply(req, res, 200, '{"status":"ok"}\n', app); return; }
    const start = process.hrtime.bigint();
    req.resume();
    goReply(req, res, status, text + '\n', app);
    ctx.stdout.write(`${goLogTime()} ${req.headers.host ?? ''} ${req.socket.remoteAddress ?? ''}:${req.socket.remotePort ?? 0} "${req.method ?? ''} ${path} HTTP/${req.httpVersion}" ${status} ${Buffer.byteLength(text) + 1} "${req.headers['user-agent'] ?? ''}" ${micros(start)}\n`);
  };
  let server;
  try {
    server = serveHttp(ctx.net, port, handler, goBadRequest);
  } catch (e) {
    if (!(e instanceof NetError)) throw e;
    goLog(ctx.stderr, `[ERR] server exited with: listen tcp ${listen}: bind: address already in use`);
    return 1;
  }
  await untilAborted(ctx.signal);
  server.close();
  if (ctx.signal.reason === 'SIGKILL') return 137;
  goLog(ctx.stderr, '[INFO] received interrupt, shutting down...');
  return 2;
}

/** The hashicorp/http-echo image (ENTRYPOINT /http-echo, ECHO_TEXT=hello-world). */
export const httpEchoImage: ImageDef = {
  repositories: ['hashicorp/http-echo'],
  entrypoint: ['/http-echo'],
  cmd: [],
  env: { ECHO_TEXT: 'hello-world' },
  programs: { 'http-echo': httpEcho },
};
