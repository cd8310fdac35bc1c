/** curl's command line: the common options, bundled short flags, and its usage errors. */

/** Parsed curl options. */
export interface CurlOpts {
  urls: string[];
  silent: boolean; showError: boolean; verbose: boolean; include: boolean; head: boolean; fail: boolean; follow: boolean;
  output?: string; remoteName: boolean; writeOut?: string; method?: string; data?: string; headers: string[];
  maxTimeMs?: number; connectTimeoutMs?: number; resolve: Map<string, string>; user?: string; userAgent?: string;
  /** -k: skip certificate verification. */
  insecure: boolean;
  /** --cacert: the CA bundle to verify the server with. */
  cacert?: string;
}

const NEEDS_ARG = new Set(['o', 'w', 'X', 'd', 'H', 'm', 'u', 'A', 'e', 'x', 'T', 'F', 'b', 'c', 'D', 'K', 'r', 'E', 'Y', 'y', 'z', 'C']);
const LONG: Record<string, string> = {
  '--silent': 's', '--show-error': 'S', '--verbose': 'v', '--include': 'i', '--head': 'I', '--fail': 'f', '--location': 'L',
  '--output': 'o', '--write-out': 'w', '--request': 'X', '--data': 'd', '--data-raw': 'd', '--data-binary': 'd', '--data-ascii': 'd',
  '--header': 'H', '--max-time': 'm', '--user': 'u', '--user-agent': 'A', '--insecure': 'k', '--remote-name': 'O', '--referer': 'e',
  '--fail-with-body': 'f', '--proxy': 'x',
};
const LONG_WITH_ARG = new Set(['--connect-timeout', '--resolve', '--retry', '--retry-delay', '--retry-max-time', '--cacert', '--cert', '--key', '--data-urlencode', '--json', '--interface', '--local-port', '--limit-rate', '--max-redirs', '--noproxy']);

/** Parses argv (without argv[0]); returns an error text (`option -x: …`) for unknown options. */
export function parseCurlArgs(args: string[]): CurlOpts | { error: string; code: number } {
  const o: CurlOpts = { urls: [], silent: false, showError: false, verbose: false, include: false, head: false, fail: false, follow: false, remoteName: false, headers: [], resolve: new Map(), insecure: false };
  const secs = (v: string): number => Math.round(Number.parseFloat(v) * 1000);
  const set = (f: string, v: string | undefined): void => {
    switch (f) {
      case 's': o.silent = true; break;
      case 'S': o.showError = true; break;
      case 'v': o.verbose = true; break;
      case 'i': o.include = true; break;
      case 'I': o.head = true; break;
      case 'f': o.fail = true; break;
      case 'L': o.follow = true; break;
      case 'O': o.remoteName = true; break;
      case 'o': o.output = v; break;
      case 'w': o.writeOut = v; break;
      case 'X': o.method = v; break;
      case 'd': o.data = o.data !== undefined ? `${o.data}&${v ?? ''}` : v; break;
      case 'H': o.headers.push(v ?? ''); break;
      case 'm': o.maxTimeMs = secs(v ?? '0'); break;
      case 'u': o.user = v; break;
      case 'A': o.userAgent = v; break;
      case 'k': o.insecure = true; break;
      default: break;
    }
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--')) {
      const [name, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
      const short = LONG[name];
      if (name === '--connect-timeout') { o.connectTimeoutMs = secs(inline ?? args[++i] ?? '0'); continue; }
      if (name === '--resolve') {
        const [h, p, addr] = (inline ?? args[++i] ?? '').split(':');
        if (h && p && addr) o.resolve.set(`${h}:${p}`, addr);
        continue;
      }
      if (name === '--cacert') { o.cacert = inline ?? args[++i]; continue; }
      if (name === '--json') { o.data = inline ?? args[++i]; o.headers.push('Content-Type: application/json', 'Accept: application/json'); continue; }
      if (LONG_WITH_ARG.has(name)) { if (inline === undefined) i++; continue; }
      if (short) { set(short, NEEDS_ARG.has(short) ? inline ?? args[++i] : undefined); continue; }
      if (/^--(no-)?[a-z0-9-]+$/.test(name)) { if (name === '--url') o.urls.push(args[++i] ?? ''); continue; }
      return { error: `curl: option ${a}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n`, code: 2 };
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const f = a[j]!;
        if (NEEDS_ARG.has(f)) {
          const v = j + 1 < a.length ? a.slice(j + 1) : args[++i];
          if (v === undefined) return { error: `curl: option -${f}: requires parameter\ncurl: try 'curl --help' or 'curl --manual' for more information\n`, code: 2 };
          set(f, v);
          break;
        }
        set(f, undefined);
      }
      continue;
    }
    o.urls.push(a);
  }
  return o;
}
