/** `knet down`: stop the cluster of a data dir. */
import { existsSync } from 'node:fs';
import { removeFromKubeconfig } from '../runtime/kubeconfig.js';
import { defaultDataDir, logFile, readRunInfo, clearRunInfo } from '../runtime/state.js';
import { alive } from '../runtime/liveness.js';
import { DOWN_DEADLINE_MS } from '../runtime/shutdown.js';

/** Waits until pid has exited or `ms` have passed; true when it exited. */
async function exited(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return !alive(pid);
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try { process.kill(pid, sig); } catch { /* exited meanwhile */ }
}

/**
 * Stops a running cluster: SIGTERM, then SIGKILL once `deadlineMs` has passed. Resolves with the
 * exit code: 0 when it stopped by itself, 1 when it had to be killed (said on stderr: its pods did
 * not finish their grace periods and its shutdown did not run, which a script should notice).
 */
export async function down(flags: { dataDir?: string }, opts: { deadlineMs?: number } = {}): Promise<number> {
  const dataDir = flags.dataDir ?? defaultDataDir();
  const info = readRunInfo(dataDir);
  if (!info) {
    console.log(`knet is not running (data dir ${dataDir})`);
    return 0;
  }
  const deadlineMs = opts.deadlineMs ?? DOWN_DEADLINE_MS;
  signal(info.pid, 'SIGTERM');
  let killed = false;
  if (!await exited(info.pid, deadlineMs)) {
    signal(info.pid, 'SIGKILL');
    killed = true;
    if (!await exited(info.pid, 5_000)) {
      console.error(`error: knet (pid ${info.pid}, data dir ${dataDir}) is still running after SIGKILL`);
      return 1;
    }
    clearRunInfo(dataDir, info.pid);
  }
  if (info.merged) removeFromKubeconfig(info.kubeconfig, info.context, info.previousContext);
  if (killed) {
    const log = existsSync(logFile(dataDir)) ? `; its log: ${logFile(dataDir)}` : '';
    console.error(`knet did not stop within ${deadlineMs / 1000} s of SIGTERM and was killed with SIGKILL (pid ${info.pid}, data dir ${dataDir}): `
      + `its pods did not finish their grace periods; acknowledged writes are kept${log}`);
    return 1;
  }
  console.log(`knet stopped (pid ${info.pid}, data dir ${dataDir})`);
  return 0;
}
