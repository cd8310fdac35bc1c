/** `registry.k8s.io/pause`: sleeps until stopped; SIGTERM/SIGINT make it exit 0 with a note on stderr. */
import type { ImageDef, ProcessContext } from './types.js';
import { untilAborted } from './util/proc.js';

/** The pause program (`-v` prints its version). */
export async function pause(ctx: ProcessContext): Promise<number> {
  if (ctx.argv[1] === '-v') { ctx.stdout.write('pause.c v3.10\n'); return 0; }
  if (ctx.argv.length > 1) { ctx.stderr.write('Supported options are:\n  -v         Prints version and exit.\n'); return 1; }
  await untilAborted(ctx.signal);
  if (ctx.signal.reason === 'SIGKILL') return 137;
  ctx.stderr.write(`Shutting down, got signal: ${ctx.signal.reason === 'SIGINT' ? 'Interrupt' : 'Terminated'}\n`);
  return 0;
}

/** The pause image (ENTRYPOINT /pause). */
export const pauseImage: ImageDef = {
  repositories: ['pause', 'google_containers/pause', 'google-containers/pause', 'pause-amd64', 'google_containers/pause-amd64'],
  entrypoint: ['/pause'],
  cmd: [],
  programs: { pause },
};
