import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryFileSystem } from '../fs.js';
import { baseTools, binFiles, busyboxTools } from './index.js';
import { loopStall, runProgram } from './testkit.js';

const files = { '/f1': 'foo\nbar\nfoo bar\n', '/f2': 'nothing\n' };
const bb = (script: string, stdin?: string) => runProgram(busyboxTools, ['sh', '-c', script], { fs: new MemoryFileSystem({ ...binFiles(Object.keys(busyboxTools)), ...files }), stdin });
const gnu = (script: string, stdin?: string) => runProgram(baseTools, ['bash', '-c', script], { fs: new MemoryFileSystem({ ...binFiles(Object.keys(baseTools)), ...files }), stdin });


test('the issue\'s reproduction: grep -E "(a+)+$" answers at once and never holds the event loop', async () => {
  let r = { code: -1, stdout: '', stderr: '' };
  const stall = await loopStall(async () => { r = await bb('echo aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa! | grep -E "(a+)+$"; echo "status $?"'); });
  assert.equal(r.stdout, 'status 1\n');
  assert.ok(stall < 250, `event loop stalled ${stall.toFixed(0)} ms`);
  r = await bb('echo aaaa | grep -E "(a+)+$"');
  assert.deepEqual([r.code, r.stdout], [0, 'aaaa\n']);
});

test('options: -c -n -v -o -w -x -i -F -e -l -L -q -m, several files, context', async () => {
  const cases: [string, string, number][] = [
    ['grep -c foo /f1', '2\n', 0],
    ['grep -n bar /f1', '2:bar\n3:foo bar\n', 0],
    ['grep -v foo /f1', 'bar\n', 0],
    ['echo "xaaay aay" | grep -o "a\\+y"', 'aaay\naay\n', 0],
    ['grep -w foo /f1', 'foo\nfoo bar\n', 0],
    ['grep -x foo /f1', 'foo\n', 0],
    ['echo FOO | grep -i foo', 'FOO\n', 0],
    ['printf "a.b\\naxb\\n" | grep -F a.b', 'a.b\n', 0],
    ['grep -e nothing -e bar /f1 /f2', '/f1:bar\n/f1:foo bar\n/f2:nothing\n', 0],
    ['grep -c foo /f1 /f2', '/f1:2\n/f2:0\n', 0],
    ['grep -l foo /f1 /f2', '/f1\n', 0],
    ['grep -L foo /f1 /f2', '/f2\n', 0],
    ['grep -q foo /f1; echo $?', '0\n', 0],
    ['grep -m1 foo /f1', 'foo\n', 0],
    ['printf "1\\n2\\nx\\n3\\n4\\n5\\nx\\n" | grep -A1 x', 'x\n3\n--\nx\n', 0],
    ['printf "1\\n2\\nx\\n" | grep -B1 x', '2\nx\n', 0],
    ['grep zzz /f1', '', 1],
    ['echo "a{1" | grep -E "a{1"', 'a{1\n', 0],
  ];
  for (const [script, out, code] of cases) {
    const r = await bb(script);
    assert.deepEqual([r.stdout, r.code], [out, code], script);
  }
});

test('what the linear-time engine cannot run gets a clear error, in each userland\'s words', async () => {
  let r = await gnu('echo aa | grep "\\(a\\)\\1"');
  assert.equal(r.code, 2);
  assert.equal(r.stderr, 'grep: back-references (\\1) are not supported: knet runs regular expressions in linear time (RE2), which cannot match them\n');
  r = await bb('echo aa | grep "\\(a\\)\\1"');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^grep: bad regex '\\\(a\\\)\\1': back-references/);
  r = await gnu('echo a | grep "[a"');
  assert.deepEqual([r.code, r.stderr], [2, 'grep: Unmatched [, [^, [:, [., or [=\n']);
  r = await gnu('echo a | grep -P "a(?=b)"');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^grep: error parsing regexp: /);
  r = await gnu('echo a | grep -z a');
  assert.deepEqual([r.code, r.stderr], [2, "grep: invalid option -- 'z'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n"]);
  r = await gnu('grep foo /nope');
  assert.deepEqual([r.code, r.stderr], [2, 'grep: /nope: No such file or directory\n']);
});
