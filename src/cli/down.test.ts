import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { down } from './down.js';
import { runFile, writeRunInfo } from '../runtime/state.js';
import { alive } from '../runtime/liveness.js';

const root = mkdtempSync(join(tmpdir(), 'knet-down-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A stand-in for a running knet: a node process that handles SIGTERM as told, recorded in a run file. */
async function fakeKnet(name: string, onTerm: 'exit' | 'ignore'): Promise<{ dir: string; proc: ChildProcess }> {
  const dir = join(root, name);
  const code = `process.on('SIGTERM', () => { ${onTerm === 'exit' ? 'process.exit(0)' : ''} }); setInterval(() => {}, 1000); console.log('ready');`;
  const proc = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'ignore'] });
  await once(proc.stdout!, 'data');
  mkdirSync(dir);
  writeRunInfo(dir, { pid: proc.pid!, apiPort: 1, server: 'https://127.0.0.1:1', kubeconfig: join(dir, 'kc'), merged: false, context: 'knet-x', ephemeral: true, startedAt: new Date().toISOString() });
  return { dir, proc };
}

/** Captures what down prints. */
async function run(dir: string, deadlineMs: number): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...a: unknown[]) => { out.push(a.join(' ')); };
  console.error = (...a: unknown[]) => { err.push(a.join(' ')); };
  try {
    const code = await down({ dataDir: dir }, { deadlineMs });
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    console.log = log;
    console.error = error;
  }
}

test('down: a cluster that stops on SIGTERM in time: "knet stopped", exit 0', async () => {
  const { dir, proc } = await fakeKnet('clean', 'exit');
  const r = await run(dir, 5000);
  assert.deepEqual(r, { code: 0, out: `knet stopped (pid ${proc.pid}, data dir ${dir})`, err: '' });
  assert.equal(alive(proc.pid!), false);
});

test('down: a cluster that outlives the deadline is SIGKILLed, and down says so on stderr and exits 1', async () => {
  const { dir, proc } = await fakeKnet('stuck', 'ignore');
  const exited = once(proc, 'exit');
  const t0 = Date.now();
  const r = await run(dir, 300);
  assert.equal(r.code, 1);
  assert.equal(r.out, '', 'no "knet stopped"');
  assert.match(r.err, new RegExp(`^knet did not stop within 0\\.3 s of SIGTERM and was killed with SIGKILL \\(pid ${proc.pid}, data dir .*stuck\\): its pods did not finish their grace periods; acknowledged writes are kept$`));
  const [, signal] = await exited;
  assert.equal(signal, 'SIGKILL');
  assert.ok(Date.now() - t0 < 5000);
  assert.equal(existsSync(runFile(dir)), false, 'the dead cluster\'s run file is gone');
});
