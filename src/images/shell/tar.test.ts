// Unit tests: tar as kubectl cp runs it (`tar cf - SRC`, `tar -xmf - -C DIR`), checked against the
// host's GNU tar both ways, with GNU's and busybox's messages for missing files and bad options.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { MemoryFileSystem } from '../fs.js';
import { baseTools, busyboxTools } from './index.js';
import { loopStall, runProgram, TEST_POD } from './testkit.js';
import { tarProgram } from './tar.js';
import { MAX_ARCHIVE_BYTES } from './tar-create.js';
import type { ProcessContext } from '../types.js';
import { parseTarArgs } from './tar-args.js';

const BINARY = Buffer.from([0, 1, 2, 255, 254, 10, 13, 0, 128]);

function podFs(): MemoryFileSystem {
  return new MemoryFileSystem({ '/tmp/x.txt': 'hello\n', '/data/bin.dat': BINARY, '/data/sub/deep.txt': 'deep\n' });
}

test('kubectl cp argv: old-style, clusters, -C and the --no-same-* options', () => {
  assert.deepEqual(parseTarArgs(['cf', '-', '/tmp/x.txt'], 'gnu'), { mode: 'c', file: '-', verbose: false, gzip: false, toStdout: false, names: ['/tmp/x.txt'] });
  assert.deepEqual(parseTarArgs(['-xmf', '-', '-C', '/tmp'], 'busybox'), { mode: 'x', file: '-', dir: '/tmp', verbose: false, gzip: false, toStdout: false, names: [] });
  assert.deepEqual(parseTarArgs(['--no-same-permissions', '--no-same-owner', '-xmf', '-', '-C', '/d'], 'gnu'), { mode: 'x', file: '-', dir: '/d', verbose: false, gzip: false, toStdout: false, names: [] });
  assert.deepEqual(parseTarArgs(['-tvzf', 'a.tgz'], 'gnu'), { mode: 't', file: 'a.tgz', verbose: true, gzip: true, toStdout: false, names: [] });
});

test('usage errors: GNU exits 2 with its hint, busybox 1 with its usage', () => {
  assert.deepEqual(parseTarArgs(['-f', '-'], 'gnu'), { code: 2, error: "tar: You must specify one of the '-Acdtrux', '--delete' or '--test-label' options\nTry 'tar --help' or 'tar --usage' for more information.\n" });
  assert.deepEqual(parseTarArgs(['cf', '-'], 'gnu'), { code: 2, error: "tar: Cowardly refusing to create an empty archive\nTry 'tar --help' or 'tar --usage' for more information.\n" });
  assert.deepEqual(parseTarArgs(['cf', '-'], 'busybox'), { code: 1, error: 'tar: empty archive\n' });
  const bad = parseTarArgs(['--bogus'], 'gnu');
  assert.ok('error' in bad && bad.error.startsWith("tar: unrecognized option '--bogus'\n"));
});

test('a directory with a binary file round-trips through an archive file, and the host GNU tar reads it', async () => {
  const fs = podFs();
  const c = await runProgram(baseTools, ['tar', 'cf', '/tmp/a.tar', '/data'], { fs });
  assert.deepEqual([c.code, c.stderr], [0, "tar: Removing leading `/' from member names\n"]);
  const archive = fs.read('/tmp/a.tar')!;
  const dir = mkdtempSync(join(tmpdir(), 'knet-tar-'));
  try {
    writeFileSync(join(dir, 'a.tar'), archive);
    const listed = execFileSync('tar', ['tf', join(dir, 'a.tar')], { encoding: 'utf8' });
    assert.deepEqual(listed.trim().split('\n').sort(), ['data/', 'data/bin.dat', 'data/sub/', 'data/sub/deep.txt']);
    execFileSync('tar', ['xf', join(dir, 'a.tar'), '-C', dir]);
    assert.deepEqual(readFileSync(join(dir, 'data', 'bin.dat')), BINARY);
    fs.mkdir('/restore');
    const x = await runProgram(busyboxTools, ['tar', '-xmf', '/tmp/a.tar', '-C', '/restore'], { fs });
    assert.equal(x.code, 0, x.stderr);
    assert.deepEqual(fs.read('/restore/data/bin.dat'), BINARY);
    assert.equal(fs.read('/restore/data/sub/deep.txt')?.toString(), 'deep\n');
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('extracts what the host GNU tar made from stdin, as kubectl cp sends it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'knet-tar-'));
  try {
    mkdirSync(join(dir, 'd', 'e'), { recursive: true });
    writeFileSync(join(dir, 'd', 'e', 'f.bin'), BINARY);
    writeFileSync(join(dir, 'x.txt'), 'local\n');
    const archive = execFileSync('tar', ['cf', '-', '-C', dir, 'x.txt', 'd']);
    const fs = podFs();
    const stdin = new PassThrough();
    stdin.end(archive);
    const r = await runProgram(baseTools, ['tar', '--no-same-permissions', '--no-same-owner', '-xmvf', '-', '-C', '/tmp'], { fs, stdin });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.split('\n').filter(Boolean).sort(), ['d/', 'd/e/', 'd/e/f.bin', 'x.txt']);
    assert.equal(fs.read('/tmp/x.txt')?.toString(), 'local\n');
    assert.deepEqual(fs.read('/tmp/d/e/f.bin'), BINARY);
    assert.deepEqual(fs.list('/tmp/d'), ['e']);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('missing files: GNU "Cannot stat" and exit 2, busybox "No such file or directory" and exit 1', async () => {
  const gnu = await runProgram(baseTools, ['tar', 'cf', '/tmp/o.tar', 'nope'], { fs: podFs() });
  assert.deepEqual([gnu.code, gnu.stderr], [2, 'tar: nope: Cannot stat: No such file or directory\ntar: Exiting with failure status due to previous errors\n']);
  const bb = await runProgram(busyboxTools, ['tar', 'cf', '/tmp/o.tar', 'nope'], { fs: podFs() });
  assert.deepEqual([bb.code, bb.stderr], [1, 'tar: nope: No such file or directory\ntar: error exit delayed from previous errors\n']);
  const dir = await runProgram(baseTools, ['tar', 'xf', '-', '-C', '/missing'], { fs: podFs(), stdin: '' });
  assert.deepEqual([dir.code, dir.stderr], [2, 'tar: /missing: Cannot open: No such file or directory\ntar: Error is not recoverable: exiting now\n']);
  const bbDir = await runProgram(busyboxTools, ['tar', 'xf', '-', '-C', '/missing'], { fs: podFs(), stdin: '' });
  assert.deepEqual([bbDir.code, bbDir.stderr], [1, "tar: can't change directory to '/missing': No such file or directory\n"]);
});

test('listing: names, GNU and busybox long formats, and gzip both ways', async () => {
  const fs = podFs();
  assert.equal((await runProgram(baseTools, ['tar', 'czf', '/tmp/a.tgz', '-C', '/tmp', 'x.txt'], { fs })).code, 0);
  assert.deepEqual([...fs.read('/tmp/a.tgz')!.subarray(0, 2)], [0x1f, 0x8b]);
  const names = await runProgram(baseTools, ['tar', 'tzf', '/tmp/a.tgz'], { fs });
  assert.equal(names.stdout, 'x.txt\n');
  const gnu = await runProgram(baseTools, ['tar', 'tvf', '/tmp/a.tgz'], { fs });
  // GNU tar 1.34 `tar tvf`: `-rw-r--r-- root/root         6 2026-12-07 07:13 x.txt`.
  assert.match(gnu.stdout, /^-rw-r--r-- root\/root {9}6 \d{4}-\d\d-\d\d \d\d:\d\d x\.txt\n$/);
  const bb = await runProgram(busyboxTools, ['tar', 'tvf', '/tmp/a.tgz'], { fs });
  assert.match(bb.stdout, /^-rw-r--r-- root\/root {9}6 \d{4}-\d\d-\d\d \d\d:\d\d:\d\d x\.txt\n$/);
});

test('test -d as a program (kubectl cp asks whether the destination is a directory)', async () => {
  const fs = podFs();
  assert.equal((await runProgram(busyboxTools, ['test', '-d', '/tmp'], { fs })).code, 0);
  assert.equal((await runProgram(busyboxTools, ['test', '-d', '/tmp/x.txt'], { fs })).code, 1);
  assert.equal((await runProgram(baseTools, ['[', '-f', '/tmp/x.txt', ']'], { fs })).code, 0);
});

test('tar c over many files lets the event loop run and streams at the pace of a slow reader', async () => {
  const files: Record<string, Buffer> = {};
  for (let i = 0; i < 3000; i++) files[`/big/d${i % 30}/f${i}.bin`] = Buffer.alloc(8192, i % 251);
  const fs = new MemoryFileSystem(files);
  let taken = 0;
  let release: (() => void) | undefined;
  const gate = new Promise<void>((r) => { release = r; });
  const slow = new Writable({
    highWaterMark: 16 * 1024,
    write(chunk: Buffer, _e, cb) { taken += chunk.length; if (taken < 2 * 1024 * 1024) cb(); else void gate.then(() => cb()); },
  });
  const ctx = { argv: ['tar', 'cf', '-', '/big'], env: {}, cwd: '/', stdin: null, stdout: slow, stderr: new PassThrough(), signal: new AbortController().signal, pod: TEST_POD, net: {}, fs, cluster: {}, spawn: async () => 127 } as unknown as ProcessContext;
  let code: number | undefined;
  const stall = await loopStall(async () => {
    const run = tarProgram('gnu')(ctx).then((c) => { code = c; });
    await new Promise((r) => setTimeout(r, 300));
    // 24 MiB of members, but the reader stopped at 2 MiB: tar waits with only its window buffered.
    assert.equal(code, undefined);
    assert.ok(slow.writableLength < 4 * 1024 * 1024, `buffered ${slow.writableLength}`);
    release?.();
    await run;
  });
  assert.equal(code, 0);
  assert.ok(taken > 3000 * 8192, `archive of ${taken} bytes`);
  assert.ok(stall < 250, `event loop stalled ${Math.round(stall)} ms`);
});

test('tar c refuses an archive over the size limit with a clear error and writes nothing', async () => {
  const fs = new MemoryFileSystem({ '/huge/a.bin': Buffer.alloc(MAX_ARCHIVE_BYTES / 2), '/huge/b.bin': Buffer.alloc(MAX_ARCHIVE_BYTES / 2) });
  const gnu = await runProgram(baseTools, ['tar', 'cf', '-', '-C', '/huge', '.'], { fs });
  assert.equal(gnu.code, 2);
  assert.equal(gnu.stdout, '');
  assert.match(gnu.stderr, /^tar: -: Cannot write: File too large \(archive of \d+ bytes exceeds the 67108864-byte limit\)\ntar: Error is not recoverable: exiting now\n$/);
  const bb = await runProgram(busyboxTools, ['tar', 'cf', '/tmp/o.tar', '/huge'], { fs });
  assert.equal(bb.code, 1);
  assert.equal(fs.read('/tmp/o.tar'), undefined);
});
