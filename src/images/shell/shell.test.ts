import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { MemoryFileSystem } from '../fs.js';
import { baseTools, binFiles, busyboxTools } from './index.js';
import { runProgram } from './testkit.js';
import { Collector } from './streams.js';
import type { Program } from '../types.js';

const bbFs = (): MemoryFileSystem => new MemoryFileSystem({ ...binFiles(Object.keys(busyboxTools)), '/etc/motd': 'hi\n' });
const sh = (script: string, stdin?: string) => runProgram(busyboxTools, ['sh', '-c', script], { fs: bbFs(), stdin });

const cases: [string, string, number, string?][] = [
  ['echo hello world', 'hello world\n', 0],
  ["echo 'a  b' \"c  $HOME\" d\\ e", 'a  b c  /root d e\n', 0],
  ['echo -n x; echo y', 'xy\n', 0],
  ['echo -e "a\\tb"', 'a\tb\n', 0],
  ['false || echo no; true && echo yes', 'no\nyes\n', 0],
  ['false; echo $?', '1\n', 0],
  ['x=5; echo $x ${x} ${y:-def} ${#x}', '5 5 def 1\n', 0],
  ['echo $(echo sub) `echo bq`', 'sub bq\n', 0],
  ['i=0; while [ $i -lt 3 ]; do echo $i; i=$((i+1)); done', '0\n1\n2\n', 0],
  ['until true; do echo never; done; echo ok', 'ok\n', 0],
  ['for x in a b c; do echo -n $x; done; echo', 'abc\n', 0],
  ['if [ 1 = 2 ]; then echo a; elif test -n "x"; then echo b; else echo c; fi', 'b\n', 0],
  ['case foo.txt in *.md) echo md;; *.txt|*.text) echo txt;; esac', 'txt\n', 0],
  ['echo a b c | wc -w', '3\n', 0],
  ['printf "%s-%03d\\n" a 7 b 8', 'a-007\nb-008\n', 0],
  ['exit 3', '', 3],
  ['f() { echo "fn $1"; return 4; }; f arg; echo $?', 'fn arg\n4\n', 0],
  ['export A=1; env | grep ^A=', 'A=1\n', 0],
  ['echo hi > /tmp/x; cat /tmp/x; echo more >> /tmp/x; wc -l < /tmp/x', 'hi\n2\n', 0],
  ['cat /etc/motd | head -n 1', 'hi\n', 0],
  ['ls /nope 2>&1', 'ls: /nope: No such file or directory\n', 1],
  ['echo err 1>&2 2>/dev/null', '', 0, 'err\n'],
  ['cd /etc && pwd', '/etc\n', 0],
  ['read a b; echo "[$a][$b]"', '[one][two three]\n', 0],
  ['hostname; whoami', 'test\nroot\n', 0],
  ['type echo', 'echo is a shell builtin\n', 0],
  ['cat <<EOF\nx=$HOME\nEOF', 'x=/root\n', 0],
  ['set -- a b; echo $# "$@"', '2 a b\n', 0],
  ['v=abc.tar.gz; echo ${v%%.*} ${v#*.}', 'abc tar.gz\n', 0],
  ['for i in 1 2 3; do [ $i = 2 ] && continue; echo $i; done', '1\n3\n', 0],
];

test('sh -c cases', async () => {
  for (const [script, out, code, err] of cases) {
    const r = await sh(script, 'one two three\n');
    assert.equal(r.stdout, out, script);
    assert.equal(r.code, code, script);
    if (err !== undefined) assert.equal(r.stderr, err, script);
  }
});

test('not found and syntax errors per flavour', async () => {
  let r = await sh('foo');
  assert.deepEqual([r.code, r.stderr], [127, 'sh: foo: not found\n']);
  r = await runProgram(baseTools, ['bash', '-c', 'foo'], { fs: new MemoryFileSystem(binFiles(Object.keys(baseTools))) });
  assert.deepEqual([r.code, r.stderr], [127, 'bash: line 1: foo: command not found\n']);
  r = await runProgram(baseTools, ['sh', '-c', 'foo'], { fs: new MemoryFileSystem(binFiles(Object.keys(baseTools))) });
  assert.deepEqual([r.code, r.stderr], [127, 'sh: 1: foo: not found\n']);
  r = await sh('if true; then echo x');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^sh: syntax error: unexpected end of file/);
  r = await sh('echo "unterminated');
  assert.equal(r.code, 2);
});

test('unknown images without /bin fall back to spawn', async () => {
  const r = await runProgram(busyboxTools, ['sh', '-c', 'echo hi | cat; nope'], { fs: new MemoryFileSystem() });
  assert.equal(r.stdout, 'hi\n');
  assert.equal(r.stderr, 'sh: nope: not found\n');
});

test('stdin script mode (no tty) runs lines and exits at EOF', async () => {
  const r = await runProgram(busyboxTools, ['sh'], { fs: bbFs(), stdin: 'echo a\nif true\nthen echo b\nfi\nexit 5\necho never\n' });
  assert.deepEqual([r.stdout, r.code], ['a\nb\n', 5]);
});

test('interactive tty: prompt, echo, CRLF, Ctrl-C interrupts a foreground program', async () => {
  const stdin = new PassThrough();
  const out = new Collector();
  const progs: Record<string, Program> = { ...busyboxTools };
  const fs = bbFs();
  const run = runProgram(progs, ['sh'], { fs, stdin, tty: true });
  void out;
  const feed = async (s: string, wait = 20): Promise<void> => { stdin.write(s); await new Promise((r) => setTimeout(r, wait)); };
  await feed('echo hi\r');
  await feed('sleep 100\r');
  await feed('\x03');
  await feed('exit 7\r');
  const r = await run;
  assert.equal(r.code, 7);
  assert.equal(r.stdout, '/ # echo hi\r\nhi\r\n/ # sleep 100\r\n^C\r\n/ # exit 7\r\n');
});

test('bash prompt shows user, host and directory', async () => {
  const stdin = new PassThrough();
  const run = runProgram(baseTools, ['bash'], { fs: new MemoryFileSystem(binFiles(Object.keys(baseTools))), stdin, tty: true, pod: { hostname: 'web-1' } });
  stdin.write('cd /tmp\r');
  await new Promise((r) => setTimeout(r, 20));
  stdin.write('\x04');
  const r = await run;
  assert.equal(r.stdout, 'root@web-1:/# cd /tmp\r\nroot@web-1:/tmp# exit\r\n');
});

test('SIGTERM stops a sleeping shell with 143', async () => {
  const ac = new AbortController();
  const run = runProgram(busyboxTools, ['sh', '-c', 'while true; do sleep 1; done'], { fs: bbFs(), signal: ac.signal });
  setTimeout(() => ac.abort(), 30);
  assert.equal((await run).code, 143);
});

test('sleep infinity (GNU and BusyBox accept inf/infinity) lasts until the signal, as the program or in sh', async () => {
  for (const argv of [['sleep', 'infinity'], ['sh', '-c', 'sleep inf'], ['sleep', '1d', '1h']]) {
    const ac = new AbortController();
    let done = false;
    const run = runProgram(busyboxTools, argv, { fs: bbFs(), signal: ac.signal }).finally(() => { done = true; });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(done, false, `${argv.join(' ')} still sleeps`);
    ac.abort();
    assert.notEqual((await run).code, 0);
  }
  const bad = await runProgram(busyboxTools, ['sleep', 'forever'], { fs: bbFs() });
  assert.equal(bad.stderr, "sleep: invalid number 'forever'\n");
});
