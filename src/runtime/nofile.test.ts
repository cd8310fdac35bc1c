import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describeDescriptors, describeNofile, descriptorsInUse, nofileLimits, parseNofile, raiseNofile, type NofileLimits } from './nofile.js';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max open files            1024                 524288               files
Max locked memory         8388608              8388608              bytes
`;

test('the Max open files line of /proc/<pid>/limits', () => {
  assert.deepEqual(parseNofile(LIMITS), { soft: 1024, hard: 524288 });
  assert.deepEqual(parseNofile(LIMITS.replace('524288 ', 'unlimited')), { soft: 1024, hard: Infinity });
  assert.equal(parseNofile('Max cpu time unlimited unlimited seconds'), undefined);
});

test('this process: limits and descriptors from /proc (Linux), as knet status reports them', { skip: process.platform !== 'linux' }, () => {
  const own = nofileLimits();
  assert.deepEqual(own, parseNofile(readFileSync('/proc/self/limits', 'utf8')));
  assert.ok((descriptorsInUse() ?? 0) > 3);
  assert.match(describeDescriptors(process.pid), /^\d+ in use; limit \d+ soft, \d+ hard$/);
  assert.match(describeDescriptors(2 ** 22 + 1), /^unknown in use; limits unknown \(no \/proc\)$/);
});

test('a soft limit below the hard one is raised with prlimit on the own pid; an equal one is left alone', () => {
  let limits: NofileLimits = { soft: 256, hard: 4096 };
  const runs: string[][] = [];
  const r = raiseNofile({ pid: 42, read: () => limits, run: (file, args) => { runs.push([file, ...args]); limits = { soft: 4096, hard: 4096 }; } });
  assert.deepEqual(runs, [['prlimit', '--pid', '42', '--nofile=4096:']]);
  assert.deepEqual(r, { limits: { soft: 4096, hard: 4096 }, raisedFrom: 256 });
  assert.equal(describeNofile(r), 'open files: soft limit raised from 256 to 4096 (hard 4096)');
  const again = raiseNofile({ pid: 42, read: () => limits, run: () => assert.fail('nothing to raise') });
  assert.equal(describeNofile(again), 'open files: limit 4096');
});

test('without prlimit (or when it fails) the limit is reported as it is, with why', () => {
  const limits = { soft: 256, hard: 4096 };
  const missing = raiseNofile({ read: () => limits, run: () => { throw Object.assign(new Error('spawnSync prlimit ENOENT'), { code: 'ENOENT' }); } });
  assert.equal(describeNofile(missing), 'open files: soft limit 256, below the hard limit 4096 (prlimit (util-linux) is not installed); idle clients run out of descriptors sooner');
  const refused = raiseNofile({ read: () => limits, run: () => { throw Object.assign(new Error('failed'), { stderr: Buffer.from('prlimit: failed to set the NOFILE resource limit: Operation not permitted\n') }); } });
  assert.match(describeNofile(refused), /\(prlimit: failed to set the NOFILE resource limit: Operation not permitted\)/);
  assert.equal(describeNofile(raiseNofile({ read: () => undefined })), 'open files: limit unknown on this platform (no /proc)');
});

const hasPrlimit = process.platform === 'linux' && spawnSync('prlimit', ['--version']).status === 0;

test('for real: prlimit raises the soft limit of a process started with a low one', { skip: !hasPrlimit }, async () => {
  const child = spawn('bash', ['-c', 'ulimit -Sn 128 && ulimit -Hn 512 && exec sleep 30'], { stdio: 'ignore' });
  try {
    const pid = child.pid!;
    for (let i = 0; i < 100 && nofileLimits(pid)?.hard !== 512; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(nofileLimits(pid), { soft: 128, hard: 512 });
    const r = raiseNofile({ pid });
    assert.deepEqual(r, { limits: { soft: 512, hard: 512 }, raisedFrom: 128 });
    assert.deepEqual(nofileLimits(pid), { soft: 512, hard: 512 });
  } finally { child.kill(); }
});
