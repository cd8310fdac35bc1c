import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, it } from 'node:test';
import { DurableStore } from './durable.js';

const child = fileURLToPath(new URL('./durable-crash-child.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'knet-crash-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the writer child until its first ack, SIGKILLs it 100–400 ms later and returns the complete lines it printed. */
function runAndKill(round: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [child, dir, String(round)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    p.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      timer ??= setTimeout(() => p.kill('SIGKILL'), 100 + Math.random() * 300);
    });
    p.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    p.on('error', reject);
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') return reject(new Error(`child exited early (${code}): ${err}`));
      resolve(out.split('\n').slice(0, -1)); // the last piece may be a partial line
    });
  });
}

it('every acknowledged write survives kill -9 (3 rounds)', { timeout: 60_000 }, async () => {
  let lastRV = 0;
  for (let round = 0; round < 3; round++) {
    const lines = await runAndKill(round);
    assert.ok(lines.length > 0, 'the child acknowledged some writes');
    const store = await DurableStore.open(dir);
    try {
      assert.ok(store.currentRV() > lastRV, 'the RV moved on');
      for (const line of lines) {
        const key = line.slice(1);
        const obj = store.get(key);
        if (line[0] === '+' && !key.endsWith('-del')) assert.ok(obj, `acknowledged create of ${key} lost`);
        if (line[0] === '~') assert.equal(obj?.data && (obj.data as { v: string }).v, '2', `acknowledged update of ${key} lost`);
        if (line[0] === '-') assert.equal(obj, undefined, `acknowledged delete of ${key} lost`);
      }
      for (const o of store.list('/').items) assert.ok(Number(o.metadata.resourceVersion) <= store.currentRV());
      const created = await store.create(`/core/configmaps/after/${round}`, { metadata: { name: `after${round}` } });
      assert.equal(Number(created.metadata.resourceVersion), store.currentRV());
      lastRV = store.currentRV();
    } finally {
      await store.close();
    }
  }
});
