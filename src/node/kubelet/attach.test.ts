// Unit tests: attach follows containerd's CRI ContainerIO.Attach when the client's stdin ends, and a
// first attach replays the output written before it (kubernetes/kubernetes#27264).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { EarlyOutput, connectStdin } from './attach.js';

const tick = () => new Promise((r) => setImmediate(r));

test('stdinOnce without a TTY: stdin EOF closes the container stdin and the session goes on', async () => {
  const input = new PassThrough();
  const stdin = new PassThrough();
  let ended = false;
  connectStdin(input, { stdin, stdinOnce: true, tty: false }, () => { ended = true; });
  input.end('hello\n');
  await tick();
  assert.equal(stdin.read()?.toString(), 'hello\n');
  assert.equal(stdin.writableEnded, true);
  assert.equal(ended, false);
});

test('without stdinOnce, stdin EOF ends the session and the container stdin stays open', async () => {
  const input = new PassThrough();
  const stdin = new PassThrough();
  let ended = false;
  connectStdin(input, { stdin, stdinOnce: false, tty: false }, () => { ended = true; });
  input.end();
  await tick();
  assert.equal(ended, true);
  assert.equal(stdin.writableEnded, false);
});

test('stdinOnce with a TTY: stdin EOF closes the container stdin and ends the session', async () => {
  const input = new PassThrough();
  const stdin = new PassThrough();
  let ended = false;
  connectStdin(input, { stdin, stdinOnce: true, tty: true }, () => { ended = true; });
  input.end();
  await tick();
  assert.deepEqual([ended, stdin.writableEnded], [true, true]);
});

test('input after the container stdin closed is dropped, not an error', async () => {
  const input = new PassThrough();
  const stdin = new PassThrough();
  stdin.end();
  connectStdin(input, { stdin, stdinOnce: true, tty: false }, () => undefined);
  input.end('late');
  await tick();
  assert.equal(stdin.writableEnded, true);
});

test('early output: the first attach gets what came before, later ones nothing', () => {
  const e = new EarlyOutput(0);
  e.record(Buffer.from('one\n'), 1);
  e.record(Buffer.from('two\n'), 2);
  assert.equal(e.take(3).toString(), 'one\ntwo\n');
  e.record(Buffer.from('three\n'), 4);
  assert.equal(e.take(5).length, 0);
});

test('early output: a log read shows it, so the first attach replays only what follows', () => {
  const e = new EarlyOutput(0);
  e.record(Buffer.from('one\n'), 1);
  e.shown();
  e.record(Buffer.from('two\n'), 2);
  assert.equal(e.take(3).toString(), 'two\n');
});

test('early output is bounded: the newest 64 KiB, and nothing after 30 s', () => {
  const e = new EarlyOutput(0);
  e.record(Buffer.alloc(60 * 1024, 'a'), 1);
  e.record(Buffer.alloc(10 * 1024, 'b'), 2);
  const got = e.take(3);
  assert.equal(got.length, 64 * 1024);
  assert.equal(got.at(-1), 'b'.charCodeAt(0));
  assert.equal(got.subarray(0, 54 * 1024).every((x) => x === 'a'.charCodeAt(0)), true);
  const late = new EarlyOutput(0);
  late.record(Buffer.from('x'), 1);
  assert.equal(late.take(30_001).length, 0);
});
