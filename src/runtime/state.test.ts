import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRunInfo, runFile } from './state.js';

const root = mkdtempSync(join(tmpdir(), 'knet-state-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('a reader polling the run file (knet up --detach waiting for readiness) never sees it partial, nor removes it while it is rewritten', async () => {
  const dir = root;
  const state = new URL('./state.js', import.meta.url).href;
  // Another process rewrites the run file of a live cluster (this test process) for a second.
  const code = `const { writeRunInfo } = await import(${JSON.stringify(state)});
    const end = Date.now() + 1000; let n = 0;
    while (Date.now() < end) writeRunInfo(${JSON.stringify(dir)}, { pid: ${process.pid}, apiPort: 1, server: 's', kubeconfig: 'k', merged: false, context: 'c', ephemeral: true, startedAt: String(n++) });`;
  const writer = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: 'inherit' });
  const exited = once(writer, 'exit');
  while (!existsSync(runFile(dir))) await new Promise((r) => setTimeout(r, 1));
  let reads = 0;
  let missed = 0;
  let done = false;
  void exited.then(() => { done = true; });
  while (!done) {
    if (readRunInfo(dir)?.pid !== process.pid) missed++;
    reads++;
    if (reads % 200 === 0) await new Promise((r) => setImmediate(r));
  }
  assert.equal((await exited)[0], 0);
  assert.equal(missed, 0, `${missed} of ${reads} reads saw no live cluster`);
  assert.equal(readRunInfo(dir)?.pid, process.pid, 'the run file is still there');
});
