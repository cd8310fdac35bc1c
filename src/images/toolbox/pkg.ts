/** Package managers that "install" by making a tool's binary appear: apk (Alpine) and apt-get (Debian/Ubuntu). */
import type { ProcessContext, Program } from '../types.js';

/** A package: version, dependencies (name, version) and the programs it puts on PATH. */
interface Pkg { v: string; deps?: [string, string][]; bins?: string[] }

const APK: Record<string, Pkg> = {
  curl: { v: '8.12.1-r1', deps: [['brotli-libs', '1.1.0-r2'], ['c-ares', '1.34.5-r0'], ['libunistring', '1.2-r0'], ['libidn2', '2.3.7-r0'], ['nghttp2-libs', '1.64.0-r0'], ['libpsl', '0.21.5-r3'], ['zstd-libs', '1.5.6-r2'], ['libcurl', '8.12.1-r1']], bins: ['curl'] },
  'bind-tools': { v: '9.18.35-r0', deps: [['fstrm', '0.6.1-r4'], ['krb5-conf', '1.0-r2'], ['libcom_err', '1.47.1-r1'], ['keyutils-libs', '1.6.3-r4'], ['libverto', '0.3.2-r2'], ['krb5-libs', '1.21.3-r0'], ['json-c', '0.18-r0'], ['libuv', '1.49.2-r0'], ['libxml2', '2.13.4-r5'], ['bind-libs', '9.18.35-r0']], bins: ['dig', 'host', 'nslookup'] },
  bash: { v: '5.2.37-r0', deps: [['readline', '8.2.13-r0']], bins: ['bash'] },
  wget: { v: '1.25.0-r0', deps: [['libunistring', '1.2-r0'], ['libidn2', '2.3.7-r0']], bins: ['wget'] },
  'netcat-openbsd': { v: '1.226.1.1-r0', deps: [['libmd', '1.1.0-r0'], ['libbsd', '0.12.2-r0']], bins: ['nc'] },
  iputils: { v: '20240905-r0', bins: ['ping'] },
  iproute2: { v: '6.11.0-r0', deps: [['libelf', '0.191-r0'], ['libmnl', '1.0.5-r2']], bins: ['ip'] },
};

const APT: Record<string, Pkg> = {
  curl: { v: '8.5.0-2ubuntu10.6', deps: [['ca-certificates', '20240203'], ['libbrotli1', '1.1.0-2build2'], ['libcurl4t64', '8.5.0-2ubuntu10.6'], ['libnghttp2-14', '1.59.0-1ubuntu0.2'], ['libpsl5t64', '0.21.2-1.1build1'], ['librtmp1', '2.4+20151223.gitfa8646d.1-2build7'], ['libssh-4', '0.10.6-2build2'], ['openssl', '3.0.13-0ubuntu3.5']], bins: ['curl'] },
  wget: { v: '1.21.4-1ubuntu4.1', deps: [['libpsl5t64', '0.21.2-1.1build1']], bins: ['wget'] },
  'iputils-ping': { v: '3:20240117-1build1', deps: [['libcap2-bin', '1:2.66-5ubuntu2']], bins: ['ping'] },
  dnsutils: { v: '1:9.18.30-0ubuntu0.24.04.2', deps: [['bind9-dnsutils', '1:9.18.30-0ubuntu0.24.04.2'], ['bind9-libs', '1:9.18.30-0ubuntu0.24.04.2']], bins: ['dig', 'host', 'nslookup'] },
  'bind9-dnsutils': { v: '1:9.18.30-0ubuntu0.24.04.2', deps: [['bind9-libs', '1:9.18.30-0ubuntu0.24.04.2']], bins: ['dig', 'host', 'nslookup'] },
  iproute2: { v: '6.1.0-1ubuntu6', deps: [['libbpf1', '1:1.3.0-2build2'], ['libmnl0', '1.0.5-2build1']], bins: ['ip'] },
  'netcat-openbsd': { v: '1.226-1ubuntu2', bins: ['nc'] },
  netcat: { v: '1.226-1ubuntu2', bins: ['nc'] },
};

function install(ctx: ProcessContext, bins: string[] = []): void {
  for (const b of bins) ctx.fs.write(`/usr/bin/${b}`, '#!knet-builtin\n');
}

/** apk (Alpine 3.21). */
export const apk: Program = async (ctx) => {
  const a = ctx.argv.slice(1);
  const cmd = a.find((x) => !x.startsWith('-'));
  const repos = ['main', 'community'].map((r) => `fetch https://dl-cdn.alpinelinux.org/alpine/v3.21/${r}/x86_64/APKINDEX.tar.gz\n`).join('');
  const base = Number(ctx.fs.read('/lib/apk/db/count')?.toString() ?? '15');
  if (cmd === 'update') { ctx.stdout.write(`${repos}v3.21.3-0-g1f2bf3a0 [https://dl-cdn.alpinelinux.org/alpine/v3.21/main]\nv3.21.3-0-g1f2bf3a0 [https://dl-cdn.alpinelinux.org/alpine/v3.21/community]\nOK: 25256 distinct packages available\n`); return 0; }
  if (cmd !== 'add') {
    if (!cmd) { ctx.stdout.write('apk-tools 2.14.6, compiled for x86_64.\n\nusage: apk [<OPTIONS>...] COMMAND [<ARGUMENTS>...]\n'); return 1; }
    ctx.stdout.write(`OK: 8 MiB in ${base} packages\n`);
    return 0;
  }
  const names = a.slice(a.indexOf('add') + 1).filter((x) => !x.startsWith('-'));
  const installed = new Set((ctx.fs.read('/lib/apk/db/names')?.toString() ?? '').split('\n').filter(Boolean));
  const steps: [string, string][] = [];
  const bins: string[] = [];
  for (const n of names) {
    const p = APK[n.replace(/[=<>~].*$/, '')] ?? { v: '1.0-r0' };
    for (const d of [...(p.deps ?? []), [n, p.v] as [string, string]]) if (!installed.has(d[0])) { installed.add(d[0]); steps.push(d); }
    bins.push(...(p.bins ?? []));
  }
  ctx.stdout.write(repos);
  steps.forEach(([n, v], i) => ctx.stdout.write(`(${i + 1}/${steps.length}) Installing ${n} (${v})\n`));
  if (steps.length) ctx.stdout.write('Executing busybox-1.37.0-r12.trigger\n');
  install(ctx, bins);
  const total = base + steps.length;
  ctx.fs.write('/lib/apk/db/count', String(total));
  ctx.fs.write('/lib/apk/db/names', [...installed].join('\n'));
  ctx.stdout.write(`OK: ${8 + Math.ceil(steps.length / 2)} MiB in ${total} packages\n`);
  return 0;
};

/** apt-get / apt for Ubuntu 24.04 or Debian 12 wording. */
export function aptProgram(distro: 'ubuntu' | 'debian'): Program {
  return async (ctx) => {
    const a = ctx.argv.slice(1);
    const cmd = a.find((x) => !x.startsWith('-'));
    const mirror = distro === 'ubuntu' ? ['http://archive.ubuntu.com/ubuntu noble', 'http://security.ubuntu.com/ubuntu noble-security'] : ['http://deb.debian.org/debian bookworm', 'http://deb.debian.org/debian bookworm-updates', 'http://deb.debian.org/debian-security bookworm-security'];
    if (cmd === 'update') {
      mirror.forEach((m, i) => ctx.stdout.write(`Get:${i + 1} ${m} InRelease [${[256, 126, 55][i]} kB]\n`));
      ctx.stdout.write(`Fetched ${distro === 'ubuntu' ? '27.4 MB in 3s (9,145 kB/s)' : '9,263 kB in 1s (7,012 kB/s)'}\nReading package lists... Done\n`);
      ctx.fs.write('/var/lib/apt/lists/lock', '');
      return 0;
    }
    if (cmd !== 'install') { ctx.stdout.write('Reading package lists... Done\n'); return 0; }
    const names = a.slice(a.indexOf('install') + 1).filter((x) => !x.startsWith('-'));
    ctx.stdout.write('Reading package lists... Done\nBuilding dependency tree... Done\nReading state information... Done\n');
    const updated = ctx.fs.exists('/var/lib/apt/lists/lock');
    const missing = names.filter((n) => !updated || !APT[n]);
    if (missing.length) { ctx.stderr.write(`E: Unable to locate package ${missing[0]}\n`); return 100; }
    const deps = names.flatMap((n) => APT[n]!.deps ?? []).filter((d, i, all) => all.findIndex((x) => x[0] === d[0]) === i && !names.includes(d[0]));
    const all = [...deps.map((d) => d[0]), ...names];
    if (deps.length) ctx.stdout.write(`The following additional packages will be installed:\n  ${deps.map((d) => d[0]).join(' ')}\n`);
    ctx.stdout.write(`The following NEW packages will be installed:\n  ${[...all].sort().join(' ')}\n0 upgraded, ${all.length} newly installed, 0 to remove and 0 not upgraded.\n`);
    ctx.stdout.write(`Need to get ${all.length * 187} kB of archives.\nAfter this operation, ${all.length * 523} kB of additional disk space will be used.\n`);
    const pkgs: [string, string][] = [...deps, ...names.map((n) => [n, APT[n]!.v] as [string, string])];
    pkgs.forEach(([n, v], i) => ctx.stdout.write(`Get:${i + 1} ${mirror[0]}/main amd64 ${n} amd64 ${v} [${100 + i * 37} kB]\n`));
    ctx.stdout.write(`Fetched ${all.length * 187} kB in 0s (${all.length * 1870} kB/s)\n`);
    for (const [n, v] of pkgs) ctx.stdout.write(`Selecting previously unselected package ${n}.\nUnpacking ${n} (${v}) ...\n`);
    for (const [n, v] of pkgs) ctx.stdout.write(`Setting up ${n} (${v}) ...\n`);
    ctx.stdout.write(`Processing triggers for libc-bin (${distro === 'ubuntu' ? '2.39-0ubuntu8.4' : '2.36-9+deb12u10'}) ...\n`);
    install(ctx, names.flatMap((n) => APT[n]!.bins ?? []));
    return 0;
  };
}

/** Wraps a program that only exists once its package is installed (its binary file is on PATH). */
export function installable(name: string, prog: Program): Program {
  return async (ctx) => {
    const dirs = (ctx.env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin').split(':');
    if (!dirs.some((d) => d && ctx.fs.exists(`${d}/${name}`))) {
      ctx.stderr.write(`OCI runtime exec failed: exec failed: unable to start container process: exec: "${name}": executable file not found in $PATH: unknown\n`);
      return 127;
    }
    return prog(ctx);
  };
}
