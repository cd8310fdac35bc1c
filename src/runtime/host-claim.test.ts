import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { busyMessage, claimHostNetwork, type ClaimOptions } from './host-claim.js';
import { knetCommand } from './self.js';

const cmd = knetCommand().replace(/[./]/g, '\\$&');

// Each test has its own holder folder and marker port, so it never meets a real knet on this machine.
function env(): { opts: (o?: Partial<ClaimOptions>) => ClaimOptions; dir: string; port: number; done(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'knet-claim-'));
  const port = 20000 + Math.floor(Math.random() * 10000);
  return { dir, port, opts: (o = {}) => ({ dataDir: '/data/x', holdersDir: dir, markerPort: port, ...o }), done: () => rmSync(dir, { recursive: true, force: true }) };
}

async function occupy(ip: string, port: number): Promise<net.Server> {
  const s = net.createServer().listen({ host: ip, port, exclusive: true });
  await once(s, 'listening');
  return s;
}

test('clusters get the lowest free block; a released block is free again', async () => {
  const e = env();
  const a = await claimHostNetwork(e.opts());
  const b = await claimHostNetwork(e.opts({ dataDir: '/data/b' }));
  assert.deepEqual([a.index, b.index], [0, 1]);
  assert.equal(JSON.parse(readFileSync(join(e.dir, '1.json'), 'utf8')).dataDir, '/data/b');
  await a.release();
  assert.equal(existsSync(join(e.dir, '0.json')), false, 'the holder file goes with the claim');
  const c = await claimHostNetwork(e.opts());
  assert.equal(c.index, 0);
  await b.release();
  await c.release();
  e.done();
});

test('the listener decides: a stale holder file of a dead process does not keep a block', async () => {
  const e = env();
  const dead = spawnSync(process.execPath, ['-e', '0']).pid;
  writeFileSync(join(e.dir, '0.json'), JSON.stringify({ pid: dead, dataDir: '/gone', startedAt: 'then' }));
  const a = await claimHostNetwork(e.opts());
  assert.equal(a.index, 0);
  assert.equal(JSON.parse(readFileSync(join(e.dir, '0.json'), 'utf8')).pid, process.pid);
  await a.release();
  e.done();
});

test('a pinned block in use: the error names the holder and the fix; a free pinned block is used', async () => {
  const e = env();
  const other = await occupy('127.1.3.1', e.port);
  writeFileSync(join(e.dir, '3.json'), JSON.stringify({ pid: process.ppid, dataDir: '/data/other', startedAt: 'now' }));
  await assert.rejects(claimHostNetwork(e.opts({ pinned: 3 })), { message: busyMessage(3, { pid: process.ppid, dataDir: '/data/other', startedAt: 'now' }, e.port) });
  assert.match(busyMessage(3, { pid: 42, dataDir: '/data/other', startedAt: 'now' }),
    new RegExp(String.raw`^host network block 3 \(node IPs 127\.1\.3\.1, 127\.1\.3\.2, …; load balancer pool 127\.240\.3\.0\/24\) is in use by another knet \(pid 42, data dir \/data\/other\); stop it with ${cmd} down --data-dir \/data\/other, or choose another block with --host-network-index N \(0-255\), or leave the flag out to use a free one$`));
  rmSync(join(e.dir, '3.json'));
  await assert.rejects(claimHostNetwork(e.opts({ pinned: 3 })), { message: new RegExp(`is in use: another process listens on 127\\.1\\.3\\.1:${e.port}; stop it, or choose another block`) });
  other.close();
  const five = await claimHostNetwork(e.opts({ pinned: 5 }));
  assert.equal(five.index, 5);
  await five.release();
  e.done();
});

test('the recorded block is preferred; when taken, the lowest free one, saying who took it', async () => {
  const e = env();
  const seven = await claimHostNetwork(e.opts({ preferred: 7 }));
  assert.equal(seven.index, 7);
  assert.equal(seven.displaced, undefined);
  const again = await claimHostNetwork(e.opts({ preferred: 7 }));
  assert.equal(again.index, 0);
  assert.deepEqual(again.displaced, { index: 7, holder: undefined }, 'held by this very process: no holder to name');
  await Promise.all([seven.release(), again.release()]);
  e.done();
});

test('blocks taken by other programs are skipped', async () => {
  const e = env();
  const squatters = await Promise.all([occupy('127.1.0.1', e.port), occupy('127.1.1.1', e.port)]);
  const a = await claimHostNetwork(e.opts());
  assert.equal(a.index, 2);
  await a.release();
  for (const s of squatters) s.close();
  e.done();
});

test('a holders folder that is a symlink (planted in /tmp) is not written to; the listener alone decides', async () => {
  const e = env();
  const link = join(e.dir, 'link');
  const target = mkdtempSync(join(e.dir, 'target-'));
  symlinkSync(target, link);
  const a = await claimHostNetwork(e.opts({ holdersDir: link }));
  const b = await claimHostNetwork(e.opts({ holdersDir: link }));
  assert.deepEqual([a.index, b.index], [0, 1]);
  assert.deepEqual(readdirSync(link), []);
  assert.equal(statSync(target).mode & 0o7777, 0o700, 'the link\'s target keeps its mode');
  await Promise.all([a.release(), b.release()]);
  e.done();
});
