/** For tests: a zombie process (exited, never reaped by its parent). */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { processState } from './liveness.js';

/**
 * `sh` starts a short `sleep` in the background, prints its pid and replaces itself with a long
 * `sleep` that never reaps it: the short one stays a zombie (state Z) until the reaper is killed.
 */
export async function zombie(): Promise<{ pid: number; reaper: ChildProcess }> {
  const reaper = spawn('sh', ['-c', 'sleep 0.05 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const [line] = await once(reaper.stdout!, 'data') as [Buffer];
  const pid = Number(line.toString().trim());
  const end = Date.now() + 5000;
  while (processState(pid) !== 'Z' && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  return { pid, reaper };
}
