import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RE2JS } from 're2js';
import { globMatcher, posixToRe2, RegexError } from './posix-regex.js';

const matches = (pattern: string, ere: boolean, line: string): boolean => RE2JS.compile(posixToRe2(pattern, ere), RE2JS.LONGEST_MATCH).test(line);
const longest = (pattern: string, ere: boolean, line: string): string | null => {
  const m = RE2JS.compile(posixToRe2(pattern, ere), RE2JS.LONGEST_MATCH).matcher(line);
  return m.find() ? m.group() : null;
};

test('basic syntax (BRE, with GNU\'s \\+ \\? \\| \\{\\}): escaped operators operate, bare ones are literal', () => {
  const cases: [string, string, boolean][] = [
    ['a\\+b', 'xaab', true], ['a+b', 'aab', false], ['a+b', 'a+b', true],
    ['\\(ab\\)*c', 'ababc', true], ['a\\{2\\}', 'xaay', true], ['a\\{3\\}', 'aa', false],
    ['a|b', 'b', false], ['a|b', 'a|b', true], ['a\\|b', 'b', true], ['colou\\?r', 'color', true],
    ['^*a', '*a', true], ['^*a', 'a', false], ['*a', '*a', true], ['x$y', 'x$y', true], ['a^b', 'a^b', true],
    ['^ab$', 'ab', true], ['\\(^a\\)', 'ab', true], ['a.c', 'abc', true], ['a\\.c', 'abc', false],
    ['[]a]', ']', true], ['[^]a]', ']', false], ['[\\]', '\\', true], ['[[:digit:]]\\{3\\}', 'ab123', true],
    ['\\<foo\\>', 'a foo b', true], ['\\<foo\\>', 'afoob', false], ['\\w\\+', '--x--', true], ['(a)', '(a)', true],
  ];
  for (const [p, line, want] of cases) assert.equal(matches(p, false, line), want, `${p} on ${line}`);
});

test('extended syntax (ERE): intervals, stacked repetitions, literal braces and parentheses where GNU grep takes them literally', () => {
  const cases: [string, string, boolean][] = [
    ['(ab|cd)e', 'xcde', true], ['a{2,3}', 'aa', true], ['^a{,2}$', 'aa', true], ['^a{,2}$', 'aaa', false],
    ['{x', '{x', true], ['a{', 'a{', true], ['a{x}', 'a{x}', true], ['*a', '*a', true], ['a)', 'a)', true],
    ['a**', 'aaa', true], ['xa+?y', 'xy', true], ['xa+*y', 'xy', true], ['^(a|b)+$', 'abba', true],
  ];
  for (const [p, line, want] of cases) assert.equal(matches(p, true, line), want, `${p} on ${line}`);
  assert.equal(longest('a|ab', true, 'abc'), 'ab', 'POSIX leftmost-longest');
});

test('a catastrophic pattern for a backtracking engine runs in linear time', () => {
  const t0 = performance.now();
  // (a+)+$ on 23 a's and a "!" took 4.2 s in V8's engine, doubling per extra a.
  assert.equal(matches('(a+)+$', true, 'a'.repeat(100_000) + '!'), false);
  assert.equal(matches('\\(a*\\)*b', false, 'a'.repeat(100_000)), false);
  assert.ok(performance.now() - t0 < 2_000, `took ${performance.now() - t0} ms`);
});

test('back-references and malformed patterns are refused with a clear error', () => {
  assert.throws(() => posixToRe2('\\(a\\)\\1', false), (e: unknown) => e instanceof RegexError && /back-references \(\\1\) are not supported: knet runs regular expressions in linear time/.test(e.message));
  assert.throws(() => posixToRe2('(a)\\2', true), /back-references \(\\2\)/);
  assert.throws(() => posixToRe2('[abc', false), /^Error: Unmatched \[, \[\^, \[:, \[\., or \[=$/);
  assert.throws(() => posixToRe2('\\(a', false), /Unmatched \( or \\\(/);
  assert.throws(() => posixToRe2('(a', true), /Unmatched \( or \\\(/);
  assert.throws(() => posixToRe2('a\\)', false), /Unmatched \) or \\\)/);
  assert.throws(() => posixToRe2('a\\{1,x\\}', false), /Invalid content of \\\{\\\}/);
  assert.throws(() => posixToRe2('a{3,1}', true), /Invalid content of \\\{\\\}/);
  assert.throws(() => posixToRe2('[[:nope:]]', true), /Invalid character class name/);
  assert.throws(() => posixToRe2('ab\\', true), /Trailing backslash/);
});

test('shell patterns match whole strings in linear time', () => {
  assert.equal(globMatcher('*.txt').test('a.txt'), true);
  assert.equal(globMatcher('*.txt').test('a.txt.gz'), false);
  assert.equal(globMatcher('?[!a]*').test('xbc'), true);
  assert.equal(globMatcher('?[!a]*').test('xac'), false);
  assert.equal(globMatcher('\\*').test('*'), true);
  assert.equal(globMatcher('[').test('['), true, 'an unmatched [ is literal');
  assert.equal(globMatcher('a(b)|c').test('a(b)|c'), true, 'regex operators are literal in a glob');
  assert.equal(globMatcher('*').test('multi\nline'), true);
  const t0 = performance.now();
  assert.equal(globMatcher('*a*a*a*a*a*a*a*a*a*a*b').test('a'.repeat(50_000)), false);
  assert.ok(performance.now() - t0 < 2_000, `took ${performance.now() - t0} ms`);
});
