/**
 * The forward plugin as a Corefile configures it: `forward FROM TO... { except …; policy …;
 * max_concurrent …; … }`. `/etc/resolv.conf` is the host's resolver (the coredns pods run with
 * dnsPolicy Default); loopback servers are asked over real sockets (stub domains in tests); servers
 * on the cluster network are asked from the serving pod's stack; other addresses go through the
 * host's resolver, since knet opens real sockets on loopback only.
 */
import { isIP } from 'node:net';
import { inClusterRanges } from '../kubernetes/reverse.js';
import { argErr, durationArg, inZone, intArg, lineErr, normalizeZone, pluginError, unknownProperty, type Setup, type SetupContext } from '../../config/setup.js';
import { rcodeReply, type DnsReply, type DnsRequest, type Plugin } from '../../types.js';
import { exchange, isLoopback, type Upstream } from './exchange.js';
import { hostResolver, type ForwardOptions } from './index.js';

type Target = { host: true } | (Upstream & { host?: false });
type Policy = 'random' | 'round_robin' | 'sequential';

/** A compiled forward directive. */
export interface ForwardConfig {
  from: string;
  except: string[];
  targets: Target[];
  policy: Policy;
  maxConcurrent: number;
  timeoutMs: number;
}

/** Parses `ip`, `ip:port`, `[v6]:port` or `dns://…` (undefined when it is none of them). */
export function parseAddress(s: string): Upstream | undefined {
  const a = s.replace(/^dns:\/\//, '');
  if (isIP(a)) return { ip: a, port: 53 };
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(a);
  if (m && isIP(m[1]!) && Number(m[2]) <= 65535) return { ip: m[1]!, port: Number(m[2]) };
  return undefined;
}

function nameservers(text: string): string[] {
  return text.split('\n').map((l) => l.trim().split(/\s+/)).filter((w) => w[0] === 'nameserver' && w[1]).map((w) => w[1]!);
}

function targets(to: string[], ctx: SetupContext): Target[] {
  const out: Target[] = [];
  for (const t of to) {
    if (/^(tls|https|grpc):\/\//.test(t)) throw pluginError('forward', `knet does not forward over ${t.split(':')[0]}: ${t}`);
    const a = parseAddress(t);
    if (a) {
      if (isLoopback(a.ip) || inClusterRanges(a.ip, ctx.cidrs)) out.push(a);
      else {
        ctx.log(`[WARNING] plugin/forward: ${a.ip}:${a.port} is neither loopback nor on the cluster network; knet asks the host's resolver instead`);
        out.push({ host: true });
      }
      continue;
    }
    if (t === '/etc/resolv.conf') { out.push({ host: true }); continue; }
    const file = ctx.readFile(t);
    if (file === undefined) throw pluginError('forward', `not an IP address or file: "${t}"`);
    out.push(...targets(nameservers(file), ctx));
  }
  return out;
}

function order<T>(list: T[], policy: Policy, rr: { next: number }, random: () => number): T[] {
  if (list.length < 2 || policy === 'sequential') return list;
  if (policy === 'round_robin') { const i = rr.next++ % list.length; return [...list.slice(i), ...list.slice(0, i)]; }
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) { const j = Math.floor(random() * (i + 1)); [out[i], out[j]] = [out[j]!, out[i]!]; }
  return out;
}

/** Creates a forward plugin from its compiled configuration. */
export function forwardFromConfig(c: ForwardConfig, host: (req: DnsRequest) => Promise<DnsReply>, random: () => number, log: (line: string) => void): Plugin {
  let inflight = 0;
  const rr = { next: 0 };
  return {
    name: 'forward',
    async serve(req, next) {
      if (!inZone(req.lname, c.from) || c.except.some((z) => inZone(req.lname, z))) return next(req);
      if (c.maxConcurrent > 0 && inflight >= c.maxConcurrent) return rcodeReply('REFUSED');
      inflight++;
      try {
        let last = '';
        for (const t of order(c.targets, c.policy, rr, random)) {
          if (t.host) return await host(req);
          try { return await exchange(t, req.name, req.type, c.timeoutMs, req.net); } catch (e) { last = (e as Error).message; }
        }
        (req.log ?? log)(`[ERROR] plugin/errors: 2 ${req.name}. ${req.type}: ${last}`);
        return rcodeReply('SERVFAIL');
      } finally {
        inflight--;
      }
    },
  };
}

/** The forward directive's setup; `upstream` is how the host's resolver is asked. */
export function forwardSetup(upstream: ForwardOptions): Setup {
  return (d, ctx) => {
    if (d.args.length < 2) throw argErr('forward', d);
    const c: ForwardConfig = { from: normalizeZone(d.args[0]!), except: [], targets: targets(d.args.slice(1), ctx), policy: 'random', maxConcurrent: 0, timeoutMs: 2000 };
    if (c.targets.length > 15) throw pluginError('forward', `more than 15 TOs configured: ${c.targets.length}`);
    for (const o of d.block) {
      switch (o.name) {
        case 'except': if (!o.args.length) throw argErr('forward', o); c.except.push(...o.args.map(normalizeZone)); break;
        case 'policy':
          if (o.args.length !== 1) throw argErr('forward', o);
          if (o.args[0] !== 'random' && o.args[0] !== 'round_robin' && o.args[0] !== 'sequential') throw lineErr('forward', o, `unknown policy '${o.args[0]}'`);
          c.policy = o.args[0];
          break;
        case 'max_concurrent': if (o.args.length !== 1) throw argErr('forward', o); c.maxConcurrent = intArg('forward', o, o.args[0]!); break;
        case 'max_fails': if (o.args.length !== 1) throw argErr('forward', o); intArg('forward', o, o.args[0]!); break;
        case 'expire': case 'max_age': if (o.args.length !== 1) throw argErr('forward', o); durationArg('forward', o, o.args[0]!); break;
        case 'health_check': if (!o.args.length) throw argErr('forward', o); durationArg('forward', o, o.args[0]!); break;
        case 'force_tcp': case 'prefer_udp': if (o.args.length) throw argErr('forward', o); break;
        case 'tls': case 'tls_servername': case 'next': case 'failfast_all_unhealthy_upstreams': case 'failover': break;
        default: throw unknownProperty('forward', o);
      }
    }
    const host = hostResolver({ ...upstream, log: ctx.log });
    return forwardFromConfig(c, host, ctx.random, ctx.log);
  };
}
