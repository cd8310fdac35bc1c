import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryFileSystem } from '../fs.js';
import { baseTools, binFiles, busyboxTools } from './index.js';
import { loopStall, runProgram } from './testkit.js';
import { Slicer } from './pacing.js';
import { lines, splitLines } from './tool-input.js';

const bb = (script: string, signal?: AbortSignal) => runProgram(busyboxTools, ['sh', '-c', script], { fs: new MemoryFileSystem(binFiles(Object.keys(busyboxTools))), signal });
const gnu = (script: string) => runProgram(baseTools, ['bash', '-c', script], { fs: new MemoryFileSystem(binFiles(Object.keys(baseTools))) });


/** Generous for a loaded CI machine; the slice is 8 ms and the work below takes seconds unsliced. */
const BOUND_MS = 250;

test('long CPU work in the toolbox yields: seq of a large range, sort and wc of big input, a shell loop', async () => {
  for (const script of ['seq 1 400000 | wc -l', 'seq 400000 -1 1 | sort -n | tail -1', 'i=0; for x in $(seq 1 20000); do i=$((i+1)); done; echo $i']) {
    let out = '';
    const stall = await loopStall(async () => { out = (await bb(script)).stdout; });
    assert.ok(stall < BOUND_MS, `${script}: event loop stalled ${stall.toFixed(0)} ms`);
    assert.match(out, /^\s*(400000|20000)\n$/, script);
  }
});

test('a busy loop yields to the event loop and stops on the signal', async () => {
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 300);
  let code = -1;
  const stall = await loopStall(async () => { code = (await bb('while true; do :; done', ac.signal)).code; });
  assert.equal(code, 143);
  assert.ok(stall < BOUND_MS, `stalled ${stall.toFixed(0)} ms`);
});

test('a writer into a pipe whose reader has finished stops (SIGPIPE), so seq of a huge range under head ends at once', async () => {
  const t0 = performance.now();
  const r = await bb('seq 1 1000000000 | head -n 3; echo done');
  assert.equal(r.stdout, '1\n2\n3\ndone\n');
  assert.ok(performance.now() - t0 < 5_000, `took ${(performance.now() - t0).toFixed(0)} ms`);
  assert.equal((await bb('seq 1 1000000000 | head -c 4')).stdout, '1\n2\n');
});

test('seq formats and refuses as GNU and BusyBox do, never looping on a zero step', async () => {
  assert.equal((await gnu('seq 3')).stdout, '1\n2\n3\n');
  assert.equal((await gnu('seq 0 0.1 0.3')).stdout, '0.0\n0.1\n0.2\n0.3\n');
  assert.equal((await gnu('seq 5 -2 1')).stdout, '5\n3\n1\n');
  assert.equal((await gnu('seq -s, 1 3')).stdout, '1,2,3\n');
  let r = await gnu('seq 5 0 1');
  assert.deepEqual([r.code, r.stderr], [1, "seq: invalid Zero increment value: '0'\nTry 'seq --help' for more information.\n"]);
  r = await gnu('seq abc');
  assert.deepEqual([r.code, r.stderr], [1, "seq: invalid floating point argument: 'abc'\nTry 'seq --help' for more information.\n"]);
  r = await bb('seq abc');
  assert.deepEqual([r.code, r.stderr], [1, "seq: invalid number 'abc'\n"]);
});

test('sort keeps its orders (-n, -r, -u) on input larger than one sorted run', async () => {
  const r = await gnu('seq 1 5000 | sort -r | sort -n | head -n 3; seq 1 3 | sort -rn; printf "b\\na\\nb\\n" | sort -u');
  assert.equal(r.stdout, '1\n2\n3\n3\n2\n1\na\nb\n');
  assert.equal((await gnu('seq 1 3000 | sort | head -n 3')).stdout, '1\n10\n100\n');
});

test('input split in windows keeps every line whole, long lines and multi-byte characters included', async () => {
  const long = 'é'.repeat(700_000); // 1.4 MB in one line: longer than a window
  const text = Buffer.from(`a\n${long}\nb\n${'x\n'.repeat(600_000)}tail`);
  assert.deepEqual(await splitLines(text, new Slicer()), lines(text));
});
