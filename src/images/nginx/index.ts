/** The official `nginx` image: docker-entrypoint.sh then `nginx -g 'daemon off;'`. */
import type { ImageDef, ProcessContext } from '../types.js';
import { DEFAULT_CONF, withIpv6Listen } from './conf.js';
import { ERR50X_2021, INDEX_2026 } from './pages.js';
import { nginxMain } from './server.js';

/** The official image's /docker-entrypoint.sh: configuration notices, then the command. */
export async function dockerEntrypoint(ctx: ProcessContext): Promise<number> {
  const args = ctx.argv.slice(1);
  const say = (s: string): void => { if (!ctx.env.NGINX_ENTRYPOINT_QUIET_LOGS) ctx.stdout.write(s + '\n'); };
  const me = '/docker-entrypoint.sh';
  if (args[0] === 'nginx' || args[0] === 'nginx-debug') {
    say(`${me}: /docker-entrypoint.d/ is not empty, will attempt to perform configuration`);
    say(`${me}: Looking for shell scripts in /docker-entrypoint.d/`);
    say(`${me}: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh`);
    const conf = ctx.fs.read('/etc/nginx/conf.d/default.conf')?.toString();
    if (conf === undefined) say('10-listen-on-ipv6-by-default.sh: info: /etc/nginx/conf.d/default.conf is not a file or does not exist');
    else if (/listen\s+\[::\]:80;/.test(conf)) say('10-listen-on-ipv6-by-default.sh: info: IPv6 listen already enabled');
    else {
      say('10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf');
      if (conf === DEFAULT_CONF) {
        ctx.fs.write('/etc/nginx/conf.d/default.conf', withIpv6Listen(conf));
        say('10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf');
      } else {
        say('10-listen-on-ipv6-by-default.sh: info: /etc/nginx/conf.d/default.conf differs from the packaged version');
      }
    }
    say(`${me}: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh`);
    say(`${me}: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh`);
    say(`${me}: Launching /docker-entrypoint.d/30-tune-worker-processes.sh`);
    say(`${me}: Configuration complete; ready for start up`);
    return nginxMain({ ...ctx, argv: args });
  }
  if (args.length === 0) return 0;
  const code = await ctx.spawn(args, { stdin: ctx.stdin, stdout: ctx.stdout, stderr: ctx.stderr, env: ctx.env, cwd: ctx.cwd });
  if (code === 127) ctx.stderr.write(`${me}: 47: exec: ${args[0] ?? ''}: not found\n`);
  return code;
}

/** nginx (Docker Hub `nginx`, any tag; the page and Server header follow the tag's version). */
export const nginxImage: ImageDef = {
  repositories: ['nginx', 'library/nginx'],
  entrypoint: ['/docker-entrypoint.sh'],
  cmd: ['nginx', '-g', 'daemon off;'],
  env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' },
  files: {
    '/usr/share/nginx/html/index.html': INDEX_2026,
    '/usr/share/nginx/html/50x.html': ERR50X_2021,
    '/etc/nginx/conf.d/default.conf': DEFAULT_CONF,
  },
  programs: { 'docker-entrypoint.sh': dockerEntrypoint, nginx: nginxMain, 'nginx-debug': nginxMain },
};
