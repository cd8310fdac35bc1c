/** The setups of the plugins knet runs from a Corefile, by directive name. */
import type { Setup } from './setup.js';
import { setup as cache } from '../plugins/cache/index.js';
import { setup as errors } from '../plugins/errors/index.js';
import { forwardSetup } from '../plugins/forward/setup.js';
import { setup as health } from '../plugins/health/index.js';
import { setup as hosts } from '../plugins/hosts/index.js';
import { setup as kubernetes } from '../plugins/kubernetes/setup.js';
import { setup as loadbalance } from '../plugins/loadbalance/index.js';
import { setup as log } from '../plugins/log/index.js';
import { setup as loop } from '../plugins/loop/index.js';
import { parseOnly, setup as minimal } from '../plugins/minimal/index.js';
import { setup as prometheus } from '../plugins/prometheus/index.js';
import { setup as ready } from '../plugins/ready/index.js';
import { setup as reload } from '../plugins/reload/index.js';
import { setup as rewrite } from '../plugins/rewrite/index.js';
import { setup as template } from '../plugins/template/index.js';
import type { ForwardOptions } from '../plugins/forward/index.js';

/** Setups by directive; `upstream` is how `forward . /etc/resolv.conf` reaches the host's resolver. */
export function setups(upstream: ForwardOptions): Readonly<Record<string, Setup>> {
  return {
    cache, errors, forward: forwardSetup(upstream), health, hosts, kubernetes, loadbalance, log, loop, prometheus, ready,
    reload, rewrite, template, minimal, any: parseOnly('any'),
  };
}
