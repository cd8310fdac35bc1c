/**
 * registry.k8s.io/e2e-test-images/jessie-dnsutils (any tag): Debian 8 with dnsutils, the image the
 * Kubernetes DNS debugging guide runs; dig, host and nslookup print as BIND 9.9.5 does.
 */
import type { ImageDef, Program } from '../types.js';
import { baseTools, binFiles } from '../shell/index.js';
import { BIND_99 } from './bind.js';
import { digProgram, hostProgram } from './dig.js';
import { nslookupProgram } from './nslookup.js';
import { pingProgram } from './netinfo.js';

const OS_RELEASE_JESSIE = 'PRETTY_NAME="Debian GNU/Linux 8 (jessie)"\nNAME="Debian GNU/Linux"\nVERSION_ID="8"\nVERSION="8 (jessie)"\nID=debian\nHOME_URL="http://www.debian.org/"\n';

const programs: Record<string, Program> = {
  ...baseTools, dig: digProgram(BIND_99), host: hostProgram(BIND_99), nslookup: nslookupProgram(BIND_99), ping: pingProgram('iputils'),
};

/** The jessie-dnsutils image (also under its older gcr.io repository names). */
export const jessieDnsutilsImage: ImageDef = {
  repositories: ['e2e-test-images/jessie-dnsutils', 'kubernetes-e2e-test-images/jessie-dnsutils', 'google-containers/jessie-dnsutils'],
  entrypoint: [], cmd: ['/bin/bash'],
  env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' },
  files: { ...binFiles(Object.keys(baseTools), '/bin'), ...binFiles(['dig', 'host', 'nslookup'], '/usr/bin'), '/etc/os-release': OS_RELEASE_JESSIE, '/etc/debian_version': '8.11\n' },
  programs,
};
