/** The toolbox images: busybox, alpine, curlimages/curl, nicolaka/netshoot, ubuntu and debian. */
import type { ImageDef, Program } from '../types.js';
import { baseTools, binFiles, busyboxTools, shellProgram } from '../shell/index.js';
import { curl } from './curl.js';
import { dig, host } from './dns-tools.js';
import { nslookupProgram } from './nslookup.js';
import { ncProgram } from './nc.js';
import { ifconfig, ip, pingProgram } from './netinfo.js';
import { apk, aptProgram, installable } from './pkg.js';
import { wget } from './wget.js';
import { busyboxNslookup } from './busybox-nslookup.js';
import { jessieDnsutilsImage } from './dnsutils.js';

export { resolveHost, readResolvConf, candidates, query } from './resolver.js';
export { curl } from './curl.js';
export { wget } from './wget.js';

/** Busybox's network applets. */
const busyboxNet: Record<string, Program> = {
  wget, nc: ncProgram('busybox'), nslookup: busyboxNslookup, ping: pingProgram('busybox'), ip, ifconfig,
};

const bbPrograms = { ...busyboxTools, ...busyboxNet };
const OS_RELEASE_ALPINE = 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.21.3\nPRETTY_NAME="Alpine Linux v3.21"\nHOME_URL="https://alpinelinux.org/"\nBUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"\n';
const PATH_ENV = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' };

/** Programs available only after a package install (curl on alpine, …). */
function gated(progs: Record<string, Program>): Record<string, Program> {
  return Object.fromEntries(Object.entries(progs).map(([n, p]) => [n, installable(n, p)]));
}

/** The curlimages/curl entrypoint: options go to curl, anything else is executed. */
const entrypoint: Program = async (ctx) => {
  let argv = ctx.argv.slice(1);
  if (!argv.length || argv[0]!.startsWith('-')) argv = ['curl', ...argv];
  return ctx.spawn(argv, { stdin: ctx.stdin, stdout: ctx.stdout, stderr: ctx.stderr, env: ctx.env, cwd: ctx.cwd, signal: ctx.signal });
};

const ubuntuLike = (distro: 'ubuntu' | 'debian'): ImageDef => {
  const later = { curl, wget, ping: pingProgram('iputils'), nslookup: nslookupProgram(true), dig, host, ip, nc: ncProgram('openbsd') };
  const apt = aptProgram(distro);
  const own = { ...baseTools, 'apt-get': apt, apt };
  const osRelease = distro === 'ubuntu'
    ? 'PRETTY_NAME="Ubuntu 24.04.2 LTS"\nNAME="Ubuntu"\nVERSION_ID="24.04"\nVERSION="24.04.2 LTS (Noble Numbat)"\nVERSION_CODENAME=noble\nID=ubuntu\nID_LIKE=debian\n'
    : 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\n';
  return {
    repositories: distro === 'ubuntu' ? ['ubuntu', 'library/ubuntu'] : ['debian', 'library/debian'],
    entrypoint: [], cmd: ['/bin/bash'], env: PATH_ENV,
    files: { ...binFiles(Object.keys(own), '/usr/bin'), ...binFiles(['sh', 'bash'], '/bin'), '/etc/os-release': osRelease },
    programs: { ...own, ...gated(later) },
  };
};

/** Every toolbox image. */
export const toolboxImages: ImageDef[] = [
  {
    repositories: ['busybox', 'library/busybox'], entrypoint: [], cmd: ['sh'], env: PATH_ENV,
    files: binFiles(Object.keys(bbPrograms)), programs: bbPrograms,
  },
  {
    repositories: ['alpine', 'library/alpine'], entrypoint: [], cmd: ['/bin/sh'], env: PATH_ENV,
    files: { ...binFiles(Object.keys(bbPrograms)), '/sbin/apk': '#!knet-builtin\n', '/etc/alpine-release': '3.21.3\n', '/etc/os-release': OS_RELEASE_ALPINE },
    programs: { ...bbPrograms, apk, ...gated({ curl, dig, host, bash: shellProgram('bash') }) },
  },
  {
    repositories: ['curlimages/curl'], entrypoint: ['/entrypoint.sh'], cmd: ['curl'], env: PATH_ENV,
    files: { ...binFiles(Object.keys(bbPrograms)), '/usr/bin/curl': '#!knet-builtin\n', '/entrypoint.sh': '#!/bin/sh\n', '/etc/os-release': OS_RELEASE_ALPINE },
    programs: { ...bbPrograms, curl, 'entrypoint.sh': entrypoint },
  },
  (() => {
    const programs: Record<string, Program> = {
      ...bbPrograms, curl, dig, host, nslookup: nslookupProgram(true), nc: ncProgram('openbsd'), ping: pingProgram('iputils'),
      bash: shellProgram('bash'), zsh: shellProgram('zsh'), apk,
    };
    return {
      repositories: ['nicolaka/netshoot'], entrypoint: [], cmd: ['zsh'], env: PATH_ENV,
      files: { ...binFiles(Object.keys(programs)), '/etc/os-release': OS_RELEASE_ALPINE },
      programs,
    };
  })(),
  ubuntuLike('ubuntu'),
  ubuntuLike('debian'),
  jessieDnsutilsImage,
];
