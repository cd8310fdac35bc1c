/** The log plugin: one CoreDNS-format line per query (`[INFO] ip:port - "A IN name. udp false" NOERROR qr,aa,rd 0.000123s`). */
import type { Plugin } from '../types.js';

/** Creates the log plugin. */
export function logPlugin(log: (line: string) => void): Plugin {
  return {
    name: 'log',
    async serve(req, next) {
      const t0 = performance.now();
      const r = await next(req);
      const flags = ['qr', ...(r.authoritative ? ['aa'] : []), 'rd', 'ra'].join(',');
      const secs = ((performance.now() - t0) / 1000).toFixed(6);
      log(`[INFO] ${req.client ?? '-'} - "${req.type} IN ${req.name}. ${req.transport}" ${r.rcode} ${flags} ${secs}s`);
      return r;
    },
  };
}
