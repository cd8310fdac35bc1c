/** `knet up --detach`: start `knet up` as a background process and return once it is ready. */
import { spawn } from 'node:child_process';
import { closeSync, readFileSync } from 'node:fs';
import { logFile, readRunInfo } from './state.js';
import { alive } from './liveness.js';
import { openPrivateFile } from './private-files.js';
import { knetCommand } from './self.js';

/** Spawns the cluster process with output to the data dir's log; resolves with an exit code. */
export async function startDetached(dataDir: string, upArgs: string[]): Promise<number> {
  const log = logFile(dataDir);
  const fd = openPrivateFile(log, 'w');
  const child = spawn(process.execPath, [process.argv[1]!, ...upArgs], { detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  child.unref();
  const pid = child.pid!;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const info = readRunInfo(dataDir);
    if (info && info.pid === pid) {
      console.log(`knet is ready: ${info.server} (pid ${pid}, context ${info.context}, log ${log}); stop it with: ${knetCommand()} down${dataDirArg(upArgs)}`);
      return 0;
    }
    if (!alive(pid)) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  let out = '';
  try { out = readFileSync(log, 'utf8'); } catch { /* no log */ }
  if (alive(pid)) process.kill(pid, 'SIGTERM');
  process.stderr.write(out);
  console.error(`error: knet did not become ready (see ${log})`);
  return 1;
}

function dataDirArg(args: string[]): string {
  const i = args.indexOf('--data-dir');
  if (i >= 0 && args[i + 1]) return ` --data-dir ${args[i + 1]}`;
  const eq = args.find((a) => a.startsWith('--data-dir='));
  return eq ? ` ${eq}` : '';
}
