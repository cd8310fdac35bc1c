/** The errors plugin: a failing plugin below it turns into SERVFAIL and a CoreDNS-style log line, never a crash. */
import { argErr, unknownProperty, type Setup } from '../../config/setup.js';
import { rcodeReply, type Plugin } from '../../types.js';

/** Creates the errors plugin; lines (`[ERROR] plugin/errors: 2 name. A: message`) go to the query's log sink, else `log`. */
export function errorsPlugin(log: (line: string) => void = () => undefined): Plugin {
  return {
    name: 'errors',
    async serve(req, next) {
      try {
        return await next(req);
      } catch (e) {
        (req.log ?? log)(`[ERROR] plugin/errors: 2 ${req.name}. ${req.type}: ${(e as Error).message}`);
        return rcodeReply('SERVFAIL');
      }
    },
  };
}

/** `errors [FILE] { stacktrace; consolidate DURATION REGEXP [LEVEL] }` (the options are accepted and not acted on). */
export const setup: Setup = (d, ctx) => {
  if (d.args.length > 1) throw argErr('errors', d);
  for (const o of d.block) {
    if (o.name === 'stacktrace') { if (o.args.length) throw argErr('errors', o); continue; }
    if (o.name === 'consolidate') { if (o.args.length < 2 || o.args.length > 3) throw argErr('errors', o); continue; }
    throw unknownProperty('errors', o);
  }
  return errorsPlugin(ctx.log);
};
