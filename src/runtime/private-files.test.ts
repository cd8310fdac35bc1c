import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePrivateDir, openPrivateFile, tightenTree, writePrivateFile } from './private-files.js';
import { prepareDataDir } from './state.js';
import { closeSync } from 'node:fs';

const root = mkdtempSync(join(tmpdir(), 'knet-private-'));
after(() => rmSync(root, { recursive: true, force: true }));
const mode = (p: string): number => statSync(p).mode & 0o7777;

/** Runs f with the given umask, restoring the old one. */
function withUmask<T>(mask: number, f: () => T): T {
  const old = process.umask(mask);
  try { return f(); } finally { process.umask(old); }
}

test('new folders are 0700 and files 0600 under umask 022 and 0 alike; an existing wider file is narrowed when rewritten', () => {
  for (const mask of [0o022, 0o000]) {
    withUmask(mask, () => {
      const d = join(root, `new-${mask}`, 'a', 'b');
      ensurePrivateDir(d);
      assert.equal(mode(d), 0o700);
      const f = join(d, 'f');
      writePrivateFile(f, 'secret');
      assert.equal(mode(f), 0o600);
      chmodSync(f, 0o644);
      writePrivateFile(f, 'again');
      assert.equal(mode(f), 0o600);
      assert.throws(() => writePrivateFile(f, 'x', 'create'), { code: 'EEXIST' });
      assert.equal(readFileSync(f, 'utf8'), 'again');
      assert.deepEqual(readdirSync(d).sort(), ['f'], 'no temporary file left behind');
      closeSync(openPrivateFile(join(d, 'log'), 'w'));
      assert.equal(mode(join(d, 'log')), 0o600);
    });
  }
});

test('an existing folder is tightened by ensurePrivateDir', () => {
  const d = join(root, 'wide');
  mkdirSync(d, { mode: 0o755 });
  chmodSync(d, 0o755);
  ensurePrivateDir(d);
  assert.equal(mode(d), 0o700);
});

test('tightenTree narrows a tree (reporting what changed) and leaves symbolic links, and with `only` the other entries, alone', () => {
  const d = join(root, 'tree');
  mkdirSync(join(d, 'store'), { recursive: true });
  writeFileSync(join(d, 'store', 'data.mdb'), 'x', { mode: 0o644 });
  writeFileSync(join(d, 'knet.run.json'), '{}', { mode: 0o600 });
  writeFileSync(join(d, 'notes.sh'), 'echo', { mode: 0o755 });
  const outside = join(root, 'outside');
  writeFileSync(outside, 'x', { mode: 0o644 });
  symlinkSync(outside, join(d, 'store', 'link'));
  chmodSync(d, 0o755);
  chmodSync(join(d, 'store'), 0o755);
  chmodSync(join(d, 'store', 'data.mdb'), 0o644);
  const changed = tightenTree(d, ['store', 'knet.run.json', 'absent']);
  assert.deepEqual(changed.sort(), [d, join(d, 'store'), join(d, 'store', 'data.mdb')].sort());
  assert.equal(mode(join(d, 'store', 'data.mdb')), 0o600);
  assert.equal(mode(join(d, 'notes.sh')), 0o755, 'a file that is not knet\'s keeps its mode');
  assert.equal(mode(outside), 0o644, 'links are not followed');
  assert.deepEqual(tightenTree(d, ['store']), [], 'nothing left to change');
});

test('prepareDataDir creates an owner-only data dir and tightens knet\'s entries an older version left open', () => {
  withUmask(0o022, () => {
    const d = join(root, 'data');
    assert.deepEqual(prepareDataDir(d), []);
    assert.equal(mode(d), 0o700);
    mkdirSync(join(d, 'pki'), { mode: 0o755 });
    writeFileSync(join(d, 'pki', 'ca.key'), 'k', { mode: 0o644 });
    writeFileSync(join(d, 'host-network.json'), '{}', { mode: 0o644 });
    chmodSync(d, 0o755);
    assert.equal(prepareDataDir(d).length, 4);
    for (const p of [d, join(d, 'pki')]) assert.equal(mode(p), 0o700, p);
    for (const p of [join(d, 'pki', 'ca.key'), join(d, 'host-network.json')]) assert.equal(mode(p), 0o600, p);
  });
});
