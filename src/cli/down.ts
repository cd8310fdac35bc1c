/** `knet down`: stop the cluster of a data dir. */
import { removeFromKubeconfig } from '../runtime/kubeconfig.js';
import { alive, defaultDataDir, readRunInfo, clearRunInfo } from '../runtime/state.js';

/** Stops a running cluster; resolves with the exit code. */
export async function down(flags: { dataDir?: string }): Promise<number> {
  const dataDir = flags.dataDir ?? defaultDataDir();
  const info = readRunInfo(dataDir);
  if (!info) {
    console.log(`knet is not running (data dir ${dataDir})`);
    return 0;
  }
  process.kill(info.pid, 'SIGTERM');
  const deadline = Date.now() + 15_000;
  while (alive(info.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  if (alive(info.pid)) {
    process.kill(info.pid, 'SIGKILL');
    clearRunInfo(dataDir, info.pid);
  }
  if (info.merged) removeFromKubeconfig(info.kubeconfig, info.context);
  console.log(`knet stopped (pid ${info.pid}, data dir ${dataDir})`);
  return 0;
}
