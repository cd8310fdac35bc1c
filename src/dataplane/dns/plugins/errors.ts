/** The errors plugin: a failing plugin below it turns into SERVFAIL and a CoreDNS-style log line, never a crash. */
import { rcodeReply, type Plugin } from '../types.js';

/** Creates the errors plugin; `log` receives `[ERROR] plugin/errors: 2 name. A: message`. */
export function errorsPlugin(log: (line: string) => void = () => undefined): Plugin {
  return {
    name: 'errors',
    async serve(req, next) {
      try {
        return await next(req);
      } catch (e) {
        log(`[ERROR] plugin/errors: 2 ${req.name}. ${req.type}: ${(e as Error).message}`);
        return rcodeReply('SERVFAIL');
      }
    },
  };
}
