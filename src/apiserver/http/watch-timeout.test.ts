import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../api/errors.js';
import { MAX_TIMER_MS, longTimer, parseTimeoutSeconds, watchTimeoutMs } from './watch-timeout.js';

const status = (f: () => unknown): unknown => { try { f(); } catch (e) { return (e as StatusError).status; } return undefined; };

test('timeoutSeconds is read as strconv.ParseInt(v, 10, 64): anything else is a 400 with Go\'s message', () => {
  assert.equal(parseTimeoutSeconds(null), undefined);
  assert.equal(parseTimeoutSeconds('30'), 30n);
  assert.equal(parseTimeoutSeconds('+30'), 30n);
  assert.equal(parseTimeoutSeconds('-5'), -5n);
  assert.equal(parseTimeoutSeconds('9223372036854775807'), 2n ** 63n - 1n);
  for (const [v, why] of [['abc', 'invalid syntax'], ['', 'invalid syntax'], ['1e3', 'invalid syntax'], ['1.5', 'invalid syntax'], [' 1', 'invalid syntax'], ['9223372036854775808', 'value out of range'], ['-9223372036854775809', 'value out of range']]) {
    assert.deepEqual(status(() => parseTimeoutSeconds(v!)), {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`.replace('invalid syntax', why!), reason: 'BadRequest', code: 400,
    }, v);
  }
});

test('the duration as GetTimeoutForWatch computes it: seconds as a Go Duration (wrapping past int64 nanoseconds), 0 or absent 30-60 min, negative at once', () => {
  assert.equal(watchTimeoutMs(5n), 5000);
  assert.equal(watchTimeoutMs(2147484n), 2_147_484_000, 'past 2^31-1 ms: a long timer, not an immediate end');
  assert.equal(watchTimeoutMs(9223372036n), 9_223_372_036_000);
  assert.equal(watchTimeoutMs(-1n), 0);
  assert.equal(watchTimeoutMs(9223372037n), 0, '9223372037 s overflows int64 nanoseconds to a negative Duration: at once');
  assert.equal(watchTimeoutMs(18446744074n), 290, 'wraps around to a small positive Duration, as in Go');
  assert.equal(watchTimeoutMs(undefined, () => 0), 1_800_000);
  assert.equal(watchTimeoutMs(0n, () => 0.5), 2_700_000);
  assert.equal(watchTimeoutMs(undefined, () => 0.999999), 3_599_998);
});

test('a long timer chains Node timers past 2^31-1 ms and can be cancelled', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    let fired = 0;
    longTimer(MAX_TIMER_MS * 2 + 10, () => fired++);
    mock.timers.tick(MAX_TIMER_MS);
    mock.timers.tick(MAX_TIMER_MS);
    assert.equal(fired, 0);
    mock.timers.tick(10);
    assert.equal(fired, 1);
    const t = longTimer(MAX_TIMER_MS + 1, () => fired++);
    mock.timers.tick(MAX_TIMER_MS);
    t.cancel();
    mock.timers.tick(10);
    assert.equal(fired, 1);
  } finally { mock.timers.reset(); }
});
