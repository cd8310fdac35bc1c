import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryFileSystem } from './fs.js';
import { MountedFileSystem } from './fs-mount.js';

test('MountedFileSystem: writes under a mount land in the volume and outlive the container filesystem', () => {
  const volume = new MemoryFileSystem();
  const first = new MountedFileSystem(new MemoryFileSystem({ '/etc/hostname': 'a\n' }), [{ path: '/data/', fs: volume }]);
  assert.deepEqual(first.list('/'), ['data', 'etc']);
  first.write('/data/x', 'hi\n');
  first.mkdir('/data/sub');
  assert.equal(first.read('/etc/hostname')?.toString(), 'a\n');
  assert.equal(volume.read('/x')?.toString(), 'hi\n');
  const second = new MountedFileSystem(new MemoryFileSystem(), [{ path: '/var/lib/data', fs: volume }]);
  assert.equal(second.read('/var/lib/data/x')?.toString(), 'hi\n');
  assert.deepEqual(second.list('/var/lib/data'), ['sub', 'x']);
  assert.equal(second.remove('/var/lib/data'), false, 'the mount point itself cannot be removed');
  assert.equal(second.remove('/var/lib/data/x'), true);
  assert.equal(volume.read('/x'), undefined);
});

test('MountedFileSystem: a read-only mount refuses writes', () => {
  const fs = new MountedFileSystem(new MemoryFileSystem(), [{ path: '/ro', fs: new MemoryFileSystem({ '/f': '1' }), readOnly: true }]);
  assert.throws(() => fs.write('/ro/g', 'x'), /Read-only file system/);
  assert.equal(fs.read('/ro/f')?.toString(), '1');
});
